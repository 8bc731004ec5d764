// brand_impersonation: a message that names a brand or public service (data/brands.tsv plus the
// organisation's supplier lists) while coming from none of its domains. Where the name appears
// sets the strength: the sender's display name is what the reader trusts most (strong), then the
// subject, then the visible text and HTML title (weak alone: many legitimate mails talk about
// brands). A sender domain owned by the brand, or a passing DKIM signature of one of its domains,
// clears the brand. Separately, a brand name written with look-alike characters ("Binаnсе" with
// Cyrillic letters, "PayPaI") is reported whoever sent it: no brand disguises its own name.
//
// Per-message cost: one folding pass over the display name, subject and at most [limits]
// max_brand_text_bytes of text, and one hash lookup per token (intel/brands/brand_names.h);
// nothing scales with the size of the list.
#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>

#include "analyzers/analyzer.h"
#include "intel/brands/brand_list.h"
#include "intel/brands/brand_names.h"
#include "intel/brands/text_fold.h"
#include "intel/shared/shared_lists.h"
#include "parse/url/url.h"

namespace vigie::analyzers::brand_impersonation {
namespace {

using verdict::FindingId;

constexpr std::size_t kEvidenceDomains = 4;

// Words that surround a brand in a service's display name ("Apple Support", "Orange Service
// Client"): a common-word brand name counts in a display name only next to these, so that a
// person called "Chase Miller" is not taken for the bank.
constexpr std::string_view kServiceWords[] = {
    "support", "service", "services", "team", "account", "accounts", "security", "billing",
    "customer", "customers", "care", "help", "helpdesk", "desk", "center", "centre", "notification",
    "notifications", "notice", "alert", "alerts", "info", "information", "no", "reply", "noreply",
    "donotreply", "online", "mobile", "bank", "banking", "official", "id", "mail", "email", "store",
    "shop", "pay", "payment", "payments", "client", "clients", "clientele", "equipe", "securite",
    "compte", "assistance", "verification", "update", "updates", "rewards", "reward", "gift",
    "card", "cards", "wallet", "app", "admin", "administrator", "kundenservice", "kunden",
    "sicherheit", "konto", "the", "de", "du", "la", "le", "des", "via", "from", "your", "votre",
    "inc", "ltd", "llc", "corp", "sa", "sas", "gmbh", "fr", "france", "uk", "us", "usa", "de",
    "group", "groupe", "delivery", "livraison", "express", "tracking", "suivi", "colis", "parcel",
    "order", "orders", "commande", "news", "newsletter", "member", "members", "membership",
    "energy", "energie", "telecom", "connect", "cloud", "plus", "premium", "pro", "business",
    "entreprise", "entreprises", "particuliers", "service-client", "serviceclient", "contact",
};

// Words after a brand name that make the text speak as the brand or to its customer ("Microsoft
// account team", "PayPal Kundenservice", "DHL parcel"): a narrower set than kServiceWords, without
// the product words news and discussion also use ("Google News", "Amazon Prime").
constexpr std::string_view kIdentityWordsAfter[] = {
    "support", "service", "services", "team", "account", "accounts", "security", "billing",
    "customer", "customers", "care", "help", "helpdesk", "notification", "notifications", "alert",
    "alerts", "id", "wallet", "card", "verification", "kundenservice", "konto", "sicherheit",
    "compte", "equipe", "client", "clients", "member", "members", "membership", "login",
    "password", "subscription", "abonnement", "payment", "order", "delivery", "package", "parcel",
    "paket", "colis", "livraison", "refund", "remboursement", "reward", "rewards", "gift", "admin",
};

// Words before a brand name that make the text speak as the brand or to its customer ("your
// PayPal account", "Dear Netflix member", "votre compte Ameli"); after the name, kServiceWords play
// that role ("Microsoft account team"). News and discussion say "Google announced" instead.
constexpr std::string_view kIdentityWordsBefore[] = {
    "your", "dear", "votre", "vos", "cher", "chere", "ihr", "ihre", "ihres", "ihren", "dein",
    "deine", "deinen", "lieber", "liebe", "seu", "sua", "su", "tu", "tuo", "tua", "uw", "je",
    "copyright", "compte", "espace", "konto", "conta", "cuenta", "account", "team", "equipe",
};

struct State final : AnalyzerState {
  std::shared_ptr<const intel::BrandList> brand_list;
  intel::BrandNameIndex names;
  std::unordered_set<std::string> service_words;  // folded
  std::unordered_set<std::string> identity_before;  // folded
  std::unordered_set<std::string> identity_after;   // folded
  std::unordered_set<std::string> from_words;       // folded "from", "von"
};

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  Result<std::shared_ptr<const intel::BrandList>> brands = setup.lists.brands();
  if (!brands) return fail(brands.error());
  Result<intel::BrandNameIndex> names = intel::BrandNameIndex::build(**brands);
  if (!names) return fail(names.error());
  auto state = std::make_shared<State>();
  state->brand_list = std::move(*brands);
  state->names = std::move(*names);
  for (std::string_view word : kServiceWords) state->service_words.insert(intel::fold_key(word));
  for (std::string_view word : {"from", "von"}) state->from_words.insert(intel::fold_key(word));
  for (std::string_view word : kIdentityWordsAfter) state->identity_after.insert(intel::fold_key(word));
  for (std::string_view word : kIdentityWordsBefore) {
    state->identity_before.insert(intel::fold_key(word));
  }
  return std::shared_ptr<const AnalyzerState>(std::move(state));
}

// Where a brand was seen in one message.
struct Sighting {
  bool display_name = false;
  bool subject = false;
  bool title = false;
  unsigned body_mentions = 0;  // most in any one part (alternatives repeat the same text)
  bool disguised_header = false;  // display name or subject
  bool disguised_body = false;
  bool identity = false;          // "your <brand> account", "<brand> support" in subject or text
  std::uint32_t name = 0;         // a name as found, for evidence
  std::string disguised_as;       // the disguised spelling, for evidence
};

// A disguise worth reporting: look-alike characters from another script, or invisible ones, or an
// ASCII swap (I for l, 0 for o, rn for m) in a name long enough not to be another word by chance
// ("clc" is not a disguised "CIC").
bool real_disguise(const intel::FoldedText& text, const intel::NameMatch& m) {
  if (!m.disguised) return false;
  std::size_t letters = 0;
  for (std::uint32_t k = 0; k < m.token_count; ++k) {
    for (char c : text.plain_token(m.first_token + k)) {
      if (static_cast<unsigned char>(c) >= 0x80 || c == '\x01') return true;
      ++letters;
    }
  }
  return letters >= intel::kMinLettersForAsciiDisguise;
}

// A match that only folding made (disguised) but that is no real disguise is a chance collision
// with another word: not a sighting of the brand at all.
bool chance_collision(const intel::FoldedText& text, const intel::NameMatch& m) {
  return m.disguised && !real_disguise(text, m);
}

// The text speaks as the brand or to its customers around this mention.
bool identity_phrase(const State& state, const intel::FoldedText& text, const intel::NameMatch& m) {
  const std::size_t after = m.first_token + m.token_count;
  if (after < text.tokens.size() &&
      state.identity_after.contains(std::string(text.folded_token(after)))) {
    return true;
  }
  return m.first_token > 0 &&
         state.identity_before.contains(std::string(text.folded_token(m.first_token - 1)));
}

std::string token_text(std::string_view original_hint, const intel::FoldedText& text,
                       const intel::NameMatch& m) {
  // The plain tokens keep the reader's view of the disguise (with invisible characters shown).
  std::string out;
  for (std::uint32_t k = 0; k < m.token_count; ++k) {
    if (k != 0) out.push_back(' ');
    for (char c : text.plain_token(m.first_token + k)) {
      if (c == '\x01') {
        out += "<invisible>";
      } else {
        out.push_back(c);
      }
    }
  }
  return original_hint.empty() ? out : out + " (in " + std::string(original_hint) + ")";
}

void analyze(const ParsedMessage& message, const ScanContext& context, const AnalyzerState* base,
             FindingSink& sink) {
  const auto& state = static_cast<const State&>(*base);
  std::map<std::uint32_t, Sighting> seen;  // few brands per message: ordered and small

  // --- Sender ---
  const facts::Identity* author = context.facts.author();
  const Mailbox* sender = author == nullptr ? nullptr : &author->mailbox;
  const std::string sender_host = author == nullptr ? std::string() : author->host;
  intel::FoldedText text;
  if (sender != nullptr) {
    // Without a display name the reader sees the address: its local part plays the same role.
    const bool from_local_part = sender->display_name.empty();
    intel::fold_text(from_local_part ? std::string_view(sender->local_part)
                                     : std::string_view(sender->display_name),
                     text, 1024);
    const std::string_view shown = from_local_part ? std::string_view(sender->local_part)
                                                   : std::string_view(sender->display_name);
    state.names.match(text, [&](const intel::NameMatch& m) {
      if (chance_collision(text, m)) return;
      const std::string& name_text = state.names.name_text(m.name);
      // A short acronym counts only as written by the brand, in capitals: "dhs" is a nickname.
      if (name_text.size() <= 3 && shown.find(name_text) == std::string_view::npos) return;
      if (m.common_word) {
        // Only "<brand> <service words>" or "<someone> from <brand>" reads as the brand itself.
        const bool from_brand = m.first_token > 0 &&
                                state.from_words.contains(std::string(text.folded_token(m.first_token - 1)));
        for (std::size_t i = 0; i < text.tokens.size() && !from_brand; ++i) {
          if (i >= m.first_token && i < m.first_token + m.token_count) continue;
          const std::string_view token = text.folded_token(i);
          const bool digits = std::all_of(token.begin(), token.end(),
                                          [](char c) { return c >= '0' && c <= '9'; });
          if (!digits && !state.service_words.contains(std::string(token))) return;
        }
      }
      Sighting& s = seen[m.brand];
      s.display_name = true;
      s.name = m.name;
      if (real_disguise(text, m)) {
        s.disguised_header = true;
        s.disguised_as = token_text("From", text, m);
      }
    });
  }

  // --- Subject ---
  text.clear();
  intel::fold_text(message.subject(), text, 2048);
  state.names.match(text, [&](const intel::NameMatch& m) {
    if (m.common_word || chance_collision(text, m)) return;
    Sighting& s = seen[m.brand];
    if (!s.display_name) s.name = m.name;
    s.subject = true;
    s.identity = s.identity || identity_phrase(state, text, m);
    if (real_disguise(text, m) && !s.disguised_header) {
      s.disguised_header = true;
      s.disguised_as = token_text("Subject", text, m);
    }
  });

  // --- Visible text and HTML titles ---
  std::uint64_t budget = context.limits.max_brand_text_bytes;
  std::uint64_t unread = 0;
  const std::vector<PartId> leaves = message.leaves();
  const bool has_attachment = std::any_of(leaves.begin(), leaves.end(),
                                          [&](PartId id) { return message.part(id).is_attachment(); });
  std::map<std::uint32_t, unsigned> part_mentions;
  for (const facts::ReadableText& readable : context.facts.readable_texts()) {
    if (readable.attachment) continue;
    if (readable.html != nullptr) {
      text.clear();
      intel::fold_text(readable.html->title, text, 512);
      state.names.match(text, [&](const intel::NameMatch& m) {
        if (m.common_word || chance_collision(text, m)) return;
        Sighting& s = seen[m.brand];
        if (!s.display_name && !s.subject && !s.title) s.name = m.name;
        s.title = true;
        s.identity = true;  // the page presents itself as the brand
      });
    }
    const std::string_view body = readable.text;
    if (body.empty()) continue;
    const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(body.size(), budget));
    budget -= take;
    unread += body.size() - take;
    if (take == 0) continue;
    text.clear();
    intel::fold_text(body, text, take);
    part_mentions.clear();
    state.names.match(text, [&](const intel::NameMatch& m) {
      if (m.common_word || chance_collision(text, m)) return;
      ++part_mentions[m.brand];
      Sighting& s = seen[m.brand];
      if (!s.display_name && !s.subject && !s.title && s.body_mentions == 0) s.name = m.name;
      s.identity = s.identity || identity_phrase(state, text, m);
      if (real_disguise(text, m)) {
        if (!s.disguised_body && !s.disguised_header) s.disguised_as = token_text("text", text, m);
        s.disguised_body = true;
      }
    });
    for (const auto& [brand, count] : part_mentions) {
      Sighting& s = seen[brand];
      s.body_mentions = std::max(s.body_mentions, count);
    }
  }
  if (unread > 0) {
    sink.limit_reached("max_brand_text_bytes", context.limits.max_brand_text_bytes + unread,
                       context.limits.max_brand_text_bytes,
                       LocalizedText{std::to_string(unread) + " bytes of readable text not read for brand names",
                                     std::to_string(unread) + " octets de texte lisible non lus pour les noms de marque"});
  }
  if (seen.empty()) return;

  // --- What the message offers the reader to act on ---
  // Every distinct host: one past a cap would hide the attacker's link behind the brand's own
  // (the parser's max_urls bounds them).
  std::vector<std::string_view> link_hosts;
  std::unordered_set<std::string_view> distinct_hosts;
  for (const Url* link : context.facts.followable_links()) {
    if (distinct_hosts.insert(link->host_ascii()).second) link_hosts.push_back(link->host_ascii());
  }
  const bool in_thread = message.header("In-Reply-To") != nullptr || message.header("References") != nullptr;
  const bool from_list = message.header("List-Id") != nullptr || message.header("List-Post") != nullptr ||
                         message.header("Mailing-List") != nullptr;
  // Addresses exist only at the user domain itself: news.yahoo.com is Yahoo, anyone@yahoo.com is not.
  const bool sender_is_user = sender_host.empty() || state.brand_list->is_listed_user_domain(sender_host);
  const bool sender_internal = !sender_host.empty() && context.facts.profile().is_protected(sender_host);

  struct Candidate {
    double confidence = 0;
    std::uint32_t brand = 0;
    std::vector<Evidence> evidence;
  };
  Candidate display, subject, content, disguised;
  auto offer = [](Candidate& c, double confidence, std::uint32_t brand, std::vector<Evidence> ev) {
    if (confidence > c.confidence) c = Candidate{confidence, brand, std::move(ev)};
  };

  // Not a structured binding: Clang 14 (the fuzz build) cannot capture those in the lambdas below.
  for (const auto& entry : seen) {
    const auto brand_index = entry.first;
    const auto& s = entry.second;
    const intel::Brand& brand = state.brand_list->brand(brand_index);
    auto brand_owns = [&](std::string_view host) {
      return !host.empty() && !state.brand_list->is_listed_user_domain(host) &&
             state.brand_list->owns(brand_index, host);
    };
    // A bare brand top-level domain ("notifica@bradesco") is no mail domain: forged.
    bool legitimate = !sender_is_user && sender_host.find('.') != std::string::npos &&
                      brand_owns(sender_host);
    for (const DkimAuthResult& dkim : context.auth.dkim) {
      if (dkim.result == AuthResultCode::kPass && brand_owns(parse::normalize_host(dkim.domain))) {
        legitimate = true;
      }
    }
    std::size_t brand_links = 0;
    for (std::string_view host : link_hosts) brand_links += brand_owns(host) ? 1 : 0;
    const bool only_brand_links = !link_hosts.empty() && brand_links == link_hosts.size();
    const bool offers_action = has_attachment || link_hosts.size() > brand_links;

    std::string domains;
    for (std::size_t i = 0; i < brand.domains.size() && i < kEvidenceDomains; ++i) {
      domains += (i ? ", " : "") + brand.domains[i].domain;
    }
    if (brand.domains.size() > kEvidenceDomains) domains += ", …";
    const LocalizedText domains_text =
        domains.empty() ? LocalizedText{"(none: no outside sender uses this name legitimately)",
                                        "(aucun : aucun expéditeur extérieur n'utilise ce nom légitimement)"}
                        : LocalizedText{domains, {}};
    auto evidence = [&](LocalizedText where) {
      std::vector<Evidence> ev;
      ev.push_back(Evidence{"brand", state.names.name_text(s.name) + " (" + brand.id + ", " +
                                         brand.category + ")"});
      ev.push_back(Evidence{"seen in", std::move(where)});
      if (sender != nullptr) {
        ev.push_back(Evidence{"header:From", sender->display_name.empty()
                                                 ? sender->address()
                                                 : "\"" + sender->display_name + "\" <" +
                                                       sender->address() + ">"});
      }
      ev.push_back(sender_host.empty() ? Evidence{"sender domain", LocalizedText{"(none)", "(aucun)"}}
                                       : Evidence{"sender domain", sender_host});
      ev.push_back(Evidence{"brand domains", domains_text});
      return ev;
    };


    if (s.disguised_header || s.disguised_body) {
      double confidence = s.disguised_header ? 1.0 : 0.6;
      if (legitimate) confidence *= 0.6;
      std::vector<Evidence> ev =
          evidence(s.disguised_header ? LocalizedText{"sender name or subject", "nom de l'expéditeur ou objet"}
                                      : LocalizedText{"text", "texte"});
      ev.push_back(Evidence{"written as", s.disguised_as});
      offer(disguised, confidence, brand_index, std::move(ev));
    }
    if (legitimate) continue;

    if (s.display_name) {
      // The reader sees the brand as the sender; links to the brand's real site (copied
      // templates) or a fake thread do not change that. Only a sender inside the organisation
      // (an Outlook notice from our own server) lowers it.
      const bool corroborated = s.subject || s.title || s.body_mentions > 0;
      double confidence = sender_is_user || corroborated ? 1.0 : 0.9;
      if (sender != nullptr && sender->display_name.empty() && !sender->domain.empty()) {
        confidence *= 0.8;  // a brand word in a local part ("paypal-news@") is weaker
      }
      if (sender_internal) confidence *= 0.5;
      offer(display, confidence, brand_index,
            evidence(sender != nullptr && sender->display_name.empty()
                         ? LocalizedText{"sender address", "adresse de l'expéditeur"}
                         : LocalizedText{"sender display name", "nom affiché de l'expéditeur"}));
      continue;
    }
    // Subject and text: legitimate mail talks about brands all the time; threads, mailing lists
    // and messages that offer nothing to click or open are far less likely to be impersonation.
    double weak_factor = 1;
    if (sender_internal) weak_factor *= 0.5;
    if (only_brand_links) weak_factor *= 0.6;
    if (in_thread) weak_factor *= 0.4;
    if (from_list) weak_factor *= 0.5;
    if (!offers_action) weak_factor *= 0.5;
    // Without words that speak as the brand, a brand in the subject or text is most often news.
    if (!s.identity) weak_factor *= 0.25;
    if (s.subject) {
      const double confidence = (s.title || s.body_mentions > 0) ? 0.9 : 0.6;
      offer(subject, confidence * weak_factor, brand_index, evidence({"subject", "objet"}));
      continue;
    }
    if (s.identity && (s.body_mentions >= 2 || s.title)) {
      double confidence = s.body_mentions >= 4 ? 0.75 : s.body_mentions == 3 ? 0.6 : 0.5;
      if (s.title) confidence += 0.25;
      offer(content, std::min(confidence, 1.0) * weak_factor, brand_index,
            evidence({std::string(s.title ? "HTML title, " : "") + "text (" + std::to_string(s.body_mentions) +
                          " mentions)",
                      std::string(s.title ? "titre HTML, " : "") + "texte (" + std::to_string(s.body_mentions) +
                          " mentions)"}));
    }
  }
  // Below this a finding is noise that would only add up with other weak signals.
  constexpr double kMinConfidence = 0.15;
  if (subject.confidence < kMinConfidence) subject.confidence = 0;
  if (content.confidence < kMinConfidence) content.confidence = 0;
  if (display.confidence > 0) {
    sink.emit(FindingId::BRAND_DISPLAY_NAME_IMPERSONATION, std::move(display.evidence),
              display.confidence);
  }
  if (subject.confidence > 0 && subject.brand != display.brand) {
    sink.emit(FindingId::BRAND_SUBJECT_IMPERSONATION, std::move(subject.evidence), subject.confidence);
  }
  if (content.confidence > 0 && display.confidence == 0 && subject.confidence == 0) {
    sink.emit(FindingId::BRAND_CONTENT_IMPERSONATION, std::move(content.evidence), content.confidence);
  }
  if (disguised.confidence > 0) {
    sink.emit(FindingId::BRAND_NAME_DISGUISED, std::move(disguised.evidence), disguised.confidence);
  }
}

constexpr FindingId kEmits[] = {
    FindingId::BRAND_DISPLAY_NAME_IMPERSONATION,
    FindingId::BRAND_SUBJECT_IMPERSONATION,
    FindingId::BRAND_CONTENT_IMPERSONATION,
    FindingId::BRAND_NAME_DISGUISED,
};

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "brand_impersonation",
      "Brand or public-service names used by senders that are not that brand",
      kEmits,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::brand_impersonation

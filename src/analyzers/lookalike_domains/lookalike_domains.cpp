// lookalike_domains: domains built to be mistaken for the organisation's own and partner domains
// (config [organisation]) or for a brand's domains (data/brands.tsv), wherever the reader meets
// them — sender, Reply-To, Sender and Return-Path addresses, link hosts, and domains written into
// display names. Hosts are compared as they read (skeleton.h: diacritics and compatibility forms
// folded, decorated Latin letters and small capitals read as their letter, UTS #39 confusables),
// so every technique below also catches its internationalised spelling. Techniques, each with its
// own confidence:
//   - the target domain written as the left labels of another domain (paypal.com.evil.example);
//   - same confusable key (reading, then the rn/m, vv/w, cl/d, 0/o, 1/l swaps): IDN homoglyphs
//     (inteŕieuʀ.gouv.fr, ѕѕі.gouv.fr) and ASCII look-alikes (paypa1.com, rnicrosoft.com);
//   - same name under another suffix (exemple.gouv.fr → exemple.fr, paypal.com → paypal.co);
//   - small edit distance on the read registrable label (Damerau-Levenshtein 1, or 2 on long names):
//     typos, and homoglyphs combined with a typo;
//   - the target domain with a dot or hyphen moved, added or removed, read across the labels
//     (interi.eur.gouv.fr, exemple-gouv.fr, exemple-gouv-fr.com), and for the organisation's
//     domains also with one letter changed (exernple-gouv.fr);
//   - the name plus added words or hyphens (paypal-secure-login.com, exemple-gouv.fr);
//   - the name as a subdomain label of an unrelated or free-hosting domain.
// An organisation name that is an ordinary word ("interieur", "defense": intel/brands/common_words)
// or shorter than 5 letters counts in the last two only next to words that imitate an official
// or sign-in service (gouv, secure, login…): "deco-interieur.fr" and "hotel-elysee-paris.fr" are
// somebody else's business, "interieur-gouv.fr" is not. Brand names marked '~' in the list only
// count by confusable characters.
// Without a target, internationalised labels that mix scripts or read as Latin are reported too.
// Never reported: the targets themselves, their subdomains, any brand-owned domain, and user
// domains (free mail and hosting providers are real domains, not look-alikes).
// Evidence shows the host in Unicode beside its ASCII form and names each imitating character.
//
// Everything per target is precomputed in prepare(): confusable keys, exact labels, full domains
// read without separators, and symmetric-deletion indexes for edit distance, so a host costs a
// bounded number of hash lookups whatever the number of targets.
#include <unicode/uspoof.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "analyzers/analyzer.h"
#include "analyzers/lookalike_domains/skeleton.h"
#include "intel/brands/brand_list.h"
#include "intel/shared/shared_lists.h"
#include "intel/brands/common_words.h"
#include "parse/url/url.h"

namespace vigie::analyzers::lookalike_domains {
namespace {

using verdict::FindingId;
using intel::StringMap;

constexpr std::size_t kMaxEvidence = 8;
constexpr std::size_t kMaxLabels = 16;
constexpr std::size_t kMaxWords = 16;    // words of a host compared across separators
constexpr std::size_t kMaxRunWords = 6;  // words of a target domain ("institut-strategie.gouv.fr": 4)
constexpr std::size_t kBloomBits = std::size_t{1} << 20;

// Words attackers add to a borrowed name ("paypal-secure-login", "exemple-gouv").
constexpr std::string_view kLureWords[] = {
    "secure", "security", "login", "signin", "sign", "verify", "verification", "account",
    "accounts", "support", "service", "services", "help", "helpdesk", "update", "online", "auth",
    "billing", "pay", "payment", "wallet", "alert", "notice", "id", "mail", "webmail", "team",
    "official", "center", "centre", "desk", "app", "web", "my", "portal", "customer", "client",
    "access", "confirm", "recovery", "unlock", "gouv", "gov", "fr", "com", "info", "net", "org",
    "uk", "us", "de", "eu", "tracking", "track", "delivery", "livraison", "colis", "parcel",
    "reward", "rewards", "gift", "bonus", "claim", "refund", "remboursement", "amende", "amendes",
    "paiement", "facture", "invoice", "docs", "drive", "share", "file", "files", "cloud", "office",
    "mobile", "espace", "compte", "connexion", "securite", "assistance", "contact", "client",
    "clients", "usa", "global", "group", "notification", "notifications", "check", "status",
};

// Words that make a domain pass for an official, sign-in or payment service, beyond adding words
// to a name: an ordinary-word name counts as imitated only next to one of these
// ("interieur-gouv.fr", "secure-interieur.fr", "payment-elysee.fr", but not "espace-interieur.fr"
// nor "interieur-services.fr"). The actions of dnstwist's list of words used in targeted phishing,
// French ones, and what makes a name look governmental.
constexpr std::string_view kImitationWords[] = {
    "gouv", "gov", "gouvfr", "govfr", "gouvernement", "government", "ministere", "ministry",
    "secure", "securise", "security", "securite", "ssl", "login", "signin", "signup", "logon",
    "auth", "authentification", "authentication", "verify", "verification", "validation",
    "confirm", "confirmation", "account", "accounts", "compte", "comptes", "connexion", "access",
    "admin", "webmail", "mail", "messagerie", "password", "motdepasse", "reset", "recovery",
    "unlock", "update", "download", "install", "enroll", "register", "claim", "pay", "payment",
    "payments", "paiement", "billing", "invoice", "facture", "refund", "remboursement", "amende",
    "amendes", "portail", "portal", "intranet", "extranet", "officiel", "official", "sso", "www",
};

struct Target {
  std::string domain;   // registrable domain: "paypal.com", "exemple.gouv.fr"
  std::string label;    // its first label: "paypal"
  std::string suffix;   // the rest: "com"
  std::string reading;  // the label as read (skeleton.h): the label itself unless internationalised
  std::string joined;   // the whole domain read without dots and hyphens: "exemplegouvfr"
  std::string separators;  // the dots and hyphens between its words: ".."
  std::string owner;    // "organisation" / "partner" / brand id, for evidence
  bool organisation = false;
  bool common_word = false;    // brand list '~': look-alike by confusable characters only
  bool ordinary_word = false;  // organisation name that is a common word or short (see top)
  bool user_domain = false;    // a mailbox or hosting provider: nobody imitates it by moving dots
};

struct Hit {
  double confidence = 0;
  std::uint32_t target = 0;
  LocalizedText technique;  // how the target is imitated, for the analyst
};

// An internationalised label that imitates Latin without imitating any target.
struct Confusable {
  enum class Kind : std::uint8_t { kNone, kMixedScripts, kReadsAsLatin };
  Kind kind = Kind::kNone;
  LocalizedText reason;  // for the analyst
};

// What the checker concluded about one host.
struct HostVerdict {
  Hit hit;
  Confusable confusable;
};

// Mail repeats the same hosts across messages (senders, trackers, CDNs), so the state remembers
// recent verdicts. Shards with their own locks keep concurrent scans from waiting on each other;
// a full shard is emptied (the next messages refill it with what is current).
class VerdictCache {
 public:
  std::optional<HostVerdict> find(const std::string& host) const {
    Shard& shard = shard_of(host);
    std::lock_guard lock(shard.mutex);
    const auto it = shard.entries.find(host);
    if (it == shard.entries.end()) return std::nullopt;
    return it->second;
  }
  void remember(const std::string& host, const HostVerdict& verdict) const {
    Shard& shard = shard_of(host);
    std::lock_guard lock(shard.mutex);
    if (shard.entries.size() >= kEntriesPerShard) shard.entries.clear();
    shard.entries.insert_or_assign(host, verdict);
  }

 private:
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kEntriesPerShard = 256;
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, HostVerdict> entries;
  };
  Shard& shard_of(const std::string& host) const { return shards_[std::hash<std::string>{}(host) % kShards]; }
  mutable std::array<Shard, kShards> shards_;
};

struct State final : AnalyzerState {
  std::unique_ptr<USpoofChecker, decltype(&uspoof_close)> checker{nullptr, &uspoof_close};
  std::shared_ptr<const intel::BrandList> brand_list;
  std::vector<Target> targets;
  StringMap<std::vector<std::uint32_t>> by_key;       // confusable key of the label
  StringMap<std::vector<std::uint32_t>> by_label;     // exact label
  StringMap<std::vector<std::uint32_t>> by_domain;    // full domain, for the subdomain trick
  StringMap<std::vector<std::uint32_t>> by_deletion;  // label with 0..2 characters deleted
  StringMap<std::vector<std::uint32_t>> by_joined;    // Target::joined
  // Organisation targets' joined form with 0..1 character deleted, and the lengths of those forms
  // (a host's run of words is looked up only when its length is one of them ±1).
  StringMap<std::vector<std::uint32_t>> by_joined_deletion;
  std::bitset<64> joined_lengths;
  // One bit per hash of a by_deletion key: most variants of a host's label match nothing, and a
  // bit test in 128 KiB is far cheaper than a probe of the map.
  std::vector<std::uint64_t> deletion_bloom = std::vector<std::uint64_t>(kBloomBits / 64);
  VerdictCache verdicts;
  std::unordered_set<std::string> lure_words;
  std::unordered_set<std::string> imitation_words;
};

// Labels short enough to collide by chance are only compared by confusable key.
std::size_t max_distance(const Target& t) {
  if (t.common_word) return 0;
  const std::size_t n = t.label.size();
  if (t.organisation) return n >= 9 ? 2 : n >= 5 ? 1 : 0;
  return n >= 10 ? 2 : n >= 6 ? 1 : 0;
}
std::size_t min_label(const Target& t) { return t.organisation ? 3 : 4; }

std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// ICU's UTS #39 skeleton of one label, lowercased (twice, see text_fold.cpp), then the ASCII swaps
// skeletons leave alone ('w' reads as "vv", 'd' as "cl"). Kept for labels compared with no target
// (CONFUSABLE_DOMAIN): unlike a reading it keeps diacritics, so an accented French name does not
// "read as Latin" by itself.
std::string icu_skeleton_key(const USpoofChecker& checker, std::string_view label) {
  std::string current(label);
  for (int round = 0; round < 2; ++round) {
    UErrorCode status = U_ZERO_ERROR;
    char buffer[512];
    const int32_t length = uspoof_getSkeletonUTF8(&checker, 0, current.data(),
                                                  static_cast<int32_t>(current.size()), buffer,
                                                  sizeof buffer, &status);
    if (U_FAILURE(status) || length < 0) break;
    current = to_lower_ascii(std::string_view(buffer, static_cast<std::size_t>(length)));
  }
  std::string key;
  key.reserve(current.size() + 4);
  for (char c : current) {
    if (c == 'w') {
      key += "vv";
    } else if (c == 'd') {
      key += "cl";
    } else {
      key.push_back(c);
    }
  }
  return key;
}

std::size_t bloom_bit(std::string_view s) { return std::hash<std::string_view>{}(s) % kBloomBits; }

void add_deletions(std::string_view s, std::size_t depth, std::uint32_t target,
                   StringMap<std::vector<std::uint32_t>>& index, std::vector<std::uint64_t>& bloom) {
  const std::size_t bit = bloom_bit(s);
  bloom[bit / 64] |= std::uint64_t{1} << (bit % 64);
  auto& list = index[std::string(s)];
  if (std::find(list.begin(), list.end(), target) == list.end()) list.push_back(target);
  if (depth == 0 || s.size() <= 3) return;
  std::string shorter;
  for (std::size_t i = 0; i < s.size(); ++i) {
    shorter.assign(s.substr(0, i)).append(s.substr(i + 1));
    add_deletions(shorter, depth - 1, target, index, bloom);
  }
}

// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring),
// for labels of at most 63 bytes.
std::size_t osa_distance(std::string_view a, std::string_view b) {
  if (a.size() > 63 || b.size() > 63) return 99;
  std::size_t d[64][64];
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// Words of a host (or domain) as read, split at dots and hyphens, with the separator before each
// word but the first; empty words ("a--b") are skipped. At most kMaxWords.
struct Words {
  std::vector<std::string_view> words;
  std::string separators;  // separators[i] stands between words[i] and words[i + 1]
};
Words split_words(std::string_view host) {
  Words out;
  std::size_t start = 0;
  char pending = 0;
  for (std::size_t i = 0; i <= host.size() && out.words.size() < kMaxWords; ++i) {
    if (i < host.size() && host[i] != '.' && host[i] != '-') continue;
    if (i > start) {
      if (!out.words.empty()) out.separators.push_back(pending == 0 ? '.' : pending);
      out.words.push_back(host.substr(start, i - start));
      pending = 0;
    }
    if (i < host.size() && (pending == 0 || host[i] == '.')) pending = host[i];
    start = i + 1;
  }
  return out;
}

// The reading of a listed domain (ASCII or punycode) through its Unicode form.
std::string read_listed_domain(std::string_view ascii_domain) {
  const Url url = parse::normalize_url("http://" + std::string(ascii_domain) + "/", UrlSource::kText);
  return read_host(url.valid ? url.host_unicode() : ascii_domain).text;
}

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  auto state = std::make_shared<State>();
  UErrorCode status = U_ZERO_ERROR;
  state->checker.reset(uspoof_open(&status));
  if (U_SUCCESS(status)) {
    uspoof_setChecks(state->checker.get(),
                     USPOOF_RESTRICTION_LEVEL | USPOOF_INVISIBLE | USPOOF_MIXED_NUMBERS, &status);
    uspoof_setRestrictionLevel(state->checker.get(), USPOOF_MODERATELY_RESTRICTIVE);
  }
  if (U_FAILURE(status)) return fail(Error::config(std::string("ICU spoof checker: ") + u_errorName(status)));
  Result<std::shared_ptr<const intel::BrandList>> brands = setup.lists.brands();
  if (!brands) return fail(brands.error());
  state->brand_list = std::move(*brands);

  auto add_target = [&](std::string_view listed, std::string owner, bool organisation, bool common_word,
                        bool user_domain) -> Result<void> {
    const std::string host = parse::normalize_host(listed);
    if (host.empty()) {
      return fail(Error::config("organisation: invalid domain '" + std::string(listed) + "'"));
    }
    const std::string registrable = parse::registrable_domain(host);
    // A listed subdomain (informeddelivery.usps.com) is covered by its registrable domain's
    // entry; a public suffix or brand TLD has no label to imitate.
    if (registrable.empty() || registrable != host) return {};
    const std::size_t dot = registrable.find('.');
    if (dot == std::string::npos) return {};
    Target t;
    t.domain = registrable;
    t.label = registrable.substr(0, dot);
    t.suffix = registrable.substr(dot + 1);
    t.owner = std::move(owner);
    t.organisation = organisation;
    t.common_word = common_word;
    t.user_domain = user_domain;
    const std::string reading = read_listed_domain(registrable);
    t.reading = reading.substr(0, reading.find('.'));
    const Words words = split_words(reading);
    for (std::string_view w : words.words) t.joined += w;
    t.separators = words.separators;
    const auto index = static_cast<std::uint32_t>(state->targets.size());
    auto& same_domain = state->by_domain[t.domain];
    for (std::uint32_t other : same_domain) {
      if (state->targets[other].owner == t.owner) return {};  // listed as own and user domain
    }
    same_domain.push_back(index);
    if (t.label.size() >= min_label(t)) {
      state->by_key[confusable_key(t.reading)].push_back(index);
      state->by_label[t.reading].push_back(index);
      if (const std::size_t depth = max_distance(t); depth > 0) {
        add_deletions(t.reading, depth, index, state->by_deletion, state->deletion_bloom);
      }
      if (words.words.size() <= kMaxRunWords && t.joined.size() < state->joined_lengths.size() - 1) {
        state->by_joined[t.joined].push_back(index);
        if (organisation) {
          add_deletions(t.joined, 1, index, state->by_joined_deletion, state->deletion_bloom);
          state->joined_lengths.set(t.joined.size());
        }
      }
    }
    state->targets.push_back(std::move(t));
    return {};
  };
  for (const std::string& d : setup.profile.protected_domains()) {
    if (auto r = add_target(d, "organisation", true, false, false); !r) return fail(r.error());
  }
  for (const std::string& d : setup.profile.partner_domains()) {
    if (auto r = add_target(d, "partner", true, false, false); !r) return fail(r.error());
  }
  for (const intel::Brand& brand : state->brand_list->brands()) {
    for (const intel::BrandDomain& d : brand.domains) {
      if (auto r = add_target(d.domain, brand.id, false, d.common_word, false); !r) return fail(r.error());
    }
    for (const intel::BrandDomain& d : brand.user_domains) {
      if (auto r = add_target(d.domain, brand.id, false, d.common_word, true); !r) return fail(r.error());
    }
  }
  // A label is a common word when any list entry says so, as a domain or as a name ('~'):
  // "windows" marked on windows.com also covers windows.net.
  std::unordered_set<std::string> common_labels;
  for (const intel::Brand& brand : state->brand_list->brands()) {
    for (const auto* domains : {&brand.domains, &brand.user_domains}) {
      for (const intel::BrandDomain& d : *domains) {
        if (d.common_word) common_labels.insert(d.domain.substr(0, d.domain.find('.')));
      }
    }
    for (const intel::BrandName& name : brand.names) {
      if (name.common_word) common_labels.insert(to_lower_ascii(name.text));
    }
  }
  std::vector<std::string> organisation_labels;
  for (Target& t : state->targets) {
    if (!t.organisation && common_labels.contains(t.label)) t.common_word = true;
    if (t.organisation) organisation_labels.push_back(t.reading);
  }
  // The organisation's names are judged by the word lists; brand names by the '~' of their list,
  // since many brands are words too ("amazon", "google" are in the English list).
  const std::vector<bool> ordinary = intel::common_words(organisation_labels);
  std::size_t next = 0;
  for (Target& t : state->targets) {
    if (!t.organisation) continue;
    t.ordinary_word = ordinary[next++] || t.reading.size() < 5;
  }
  for (std::string_view w : kLureWords) state->lure_words.insert(std::string(w));
  for (std::string_view w : kImitationWords) {
    state->lure_words.insert(std::string(w));
    state->imitation_words.insert(std::string(w));
  }
  return std::shared_ptr<const AnalyzerState>(std::move(state));
}

// "fr", "co.uk", "com.au": a country code, possibly under com/co/org/net.
bool country_suffix(std::string_view suffix) {
  const std::size_t dot = suffix.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? suffix : suffix.substr(dot + 1);
  if (last.size() != 2) return false;
  if (dot == std::string_view::npos) return true;
  const std::string_view second = suffix.substr(0, dot);
  return second == "com" || second == "co" || second == "org" || second == "net" || second == "gov";
}

std::vector<std::string_view> split_labels(std::string_view host) {
  std::vector<std::string_view> labels;
  while (!host.empty() && labels.size() < kMaxLabels) {
    const std::size_t dot = host.find('.');
    labels.push_back(host.substr(0, dot));
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return labels;
}

std::vector<std::string_view> split_hyphens(std::string_view label) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t at = label.find('-');
    if (at != 0) parts.push_back(label.substr(0, at));
    if (at == std::string_view::npos) break;
    label.remove_prefix(at + 1);
  }
  return parts;
}

class HostChecker {
 public:
  explicit HostChecker(const State& state) : state_(state) {}

  // The best look-alike of `url`'s host, or confidence 0.
  Hit check(const Url& url) const {
    Hit best;
    const std::string_view host = url.host_ascii();
    const std::string_view registrable = url.registrable_domain();
    if (registrable.empty() || registrable.size() >= host.size() + 1) return best;
    // Compare what the reader sees: the host read through skeleton.h, label for label.
    const HostReading reading = read_host(url.host_unicode().empty() ? host : url.host_unicode());
    const std::vector<std::string_view> read_labels = split_labels(reading.text);
    const std::size_t label_count = split_labels(host).size();
    const std::size_t registrable_count = split_labels(registrable).size();
    if (read_labels.size() != label_count || registrable_count > label_count) return best;
    const std::size_t label_index = label_count - registrable_count;
    const std::string_view read_label = read_labels[label_index];
    const std::string_view read_left =
        label_index == 0 ? std::string_view()
                         : std::string_view(reading.text)
                               .substr(0, static_cast<std::size_t>(read_label.data() - reading.text.data()) - 1);
    const Words words = split_words(reading.text);
    // For each left label: whether it or a label right of it, up to the registrable one, holds a
    // word that imitates ("interieur.gouv-portail.com"; not "mail.interieur.maison-deco.fr").
    std::vector<bool> imitation_from(label_index, false);
    const std::vector<std::string_view> registrable_words = split_hyphens(read_label);
    bool imitation = std::any_of(registrable_words.begin(), registrable_words.end(),
                                 [&](std::string_view w) { return is_imitation(w); });
    for (std::size_t i = label_index; i-- > 0;) {
      for (std::string_view w : split_hyphens(read_labels[i])) imitation = imitation || is_imitation(w);
      imitation_from[i] = imitation;
    }
    // On a hosting provider the public suffix list may stop at the provider ("x.web.app" is
    // registrable) or not ("x.sharepoint.com" is not): either way the customer-chosen part is
    // what imitates.
    const bool hosted = state_.brand_list->is_user_domain(registrable);
    check_subdomains(read_left, hosted, imitation_from, best);
    check_moved_separators(words, best);
    if (!state_.brand_list->is_listed_user_domain(registrable)) {
      const std::size_t dot = registrable.find('.');
      const std::string_view label = std::string_view(registrable).substr(0, dot);
      const std::string_view suffix =
          dot == std::string::npos ? std::string_view() : std::string_view(registrable).substr(dot + 1);
      check_label(label, read_label, reading.latin, suffix, best);
    }
    if (best.confidence > 0 && !reading.imitations.empty()) {
      best.technique.en += "; " + describe_imitations(reading.imitations, "imitates");
      best.technique.fr += " ; " + describe_imitations(reading.imitations, "imite");
    }
    return best;
  }

  // Mixed scripts or a whole label of non-Latin letters that reads as Latin.
  Confusable confusable_reason(const Url& url) const {
    for (std::string_view label : split_labels(url.host_unicode())) {
      if (std::all_of(label.begin(), label.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        continue;
      }
      UErrorCode status = U_ZERO_ERROR;
      const int32_t result = uspoof_check2UTF8(state_.checker.get(), label.data(),
                                               static_cast<int32_t>(label.size()), nullptr, &status);
      if (U_SUCCESS(status) && result != 0) {
        return {Confusable::Kind::kMixedScripts,
                {"label '" + std::string(label) + "' mixes scripts or hides characters",
                 "l'étiquette '" + std::string(label) + "' mélange des écritures ou cache des caractères"}};
      }
      const std::string key = icu_skeleton_key(*state_.checker, label);
      if (!key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
          })) {
        return {Confusable::Kind::kReadsAsLatin,
                {"label '" + std::string(label) + "' reads as '" + key + "'",
                 "l'étiquette '" + std::string(label) + "' se lit '" + key + "'"}};
      }
    }
    return {};
  }

 private:
  void offer(Hit& best, double confidence, std::uint32_t target, LocalizedText technique) const {
    if (state_.targets[target].organisation) confidence = std::min(1.0, confidence + 0.1);
    if (confidence > best.confidence) best = Hit{confidence, target, std::move(technique)};
  }

  bool is_lure(std::string_view word) const { return state_.lure_words.contains(std::string(word)); }

  bool is_imitation(std::string_view word) const {
    return state_.imitation_words.contains(std::string(word));
  }

  void check_subdomains(std::string_view left, bool hosted, const std::vector<bool>& imitation_from,
                        Hit& best) const {
    if (left.empty()) return;
    const std::vector<std::string_view> labels = split_labels(left);
    // A whole target domain among the left labels: "paypal.com.secure-login.example".
    for (std::size_t i = 0; i < labels.size(); ++i) {
      std::size_t begin = static_cast<std::size_t>(labels[i].data() - left.data());
      for (std::size_t j = i + 1; j < labels.size(); ++j) {
        const std::size_t end = static_cast<std::size_t>(labels[j].data() - left.data()) + labels[j].size();
        const auto it = state_.by_domain.find(left.substr(begin, end - begin));
        if (it == state_.by_domain.end()) continue;
        for (std::uint32_t t : it->second) {
          offer(best, 0.95, t,
                {"its domain written as a subdomain of another domain",
                 "son domaine écrit comme sous-domaine d'un autre domaine"});
        }
      }
    }
    // The target's name as a subdomain label or a word of one: "paypal.account-check.example".
    for (std::size_t l = 0; l < labels.size(); ++l) {
      const bool imitation = l < imitation_from.size() && imitation_from[l];
      for (std::string_view word : split_hyphens(labels[l])) {
        const auto it = state_.by_label.find(word);
        if (it == state_.by_label.end()) continue;
        for (std::uint32_t t : it->second) {
          const Target& target = state_.targets[t];
          if (target.common_word || word.size() < 5) continue;
          // "interieur.maison-deco.fr" is a decoration blog; "interieur.gouv-portail.com" is not.
          if (target.ordinary_word && !imitation) continue;
          offer(best, hosted ? 0.8 : 0.6, t,
                hosted ? LocalizedText{"its name as a subdomain on a free hosting service",
                                       "son nom comme sous-domaine d'un service d'hébergement gratuit"}
                       : LocalizedText{"its name as a subdomain of an unrelated domain",
                                       "son nom comme sous-domaine d'un domaine sans rapport"});
        }
      }
    }
  }

  // A target domain read across the host's dots and hyphens: a run of the host's words that,
  // joined, spells the target's words joined ("interi.eur.gouv.fr", "exemple-gouv.fr",
  // "exemple-gouv-fr.com", "secure-exemple.gouv.fr.evil.example"), exactly or, for the
  // organisation's domains, with one letter changed ("interleur-gouv.fr"). A run with the target's
  // own separators is reported only inside a label and before the end ("secure-exemple.gouv.fr.x"):
  // from a label's start it is the target under another suffix (cisco.com.au, a brand's regional
  // site) or written as a subdomain, and at the end it is the target's text closing another name
  // ("shopping-list.ru" for list.ru, "champs-elysees.fr" for elysee.fr): other checks judge those.
  void check_moved_separators(const Words& host, Hit& best) const {
    const std::size_t n = host.words.size();
    std::string joined, separators, variant;
    std::vector<std::uint32_t> near;
    for (std::size_t i = 0; i < n; ++i) {
      joined.clear();
      separators.clear();
      for (std::size_t j = i; j < n && j - i < kMaxRunWords; ++j) {
        if (j > i) separators.push_back(host.separators[j - 1]);
        joined.append(host.words[j]);
        const bool same_place = j + 1 == n || i == 0 || host.separators[i - 1] == '.';
        const auto run_text = [&] {
          const char* begin = host.words[i].data();
          return std::string(begin, static_cast<std::size_t>(host.words[j].data() + host.words[j].size() - begin));
        };
        if (const auto it = state_.by_joined.find(joined); it != state_.by_joined.end()) {
          for (std::uint32_t t : it->second) {
            const Target& target = state_.targets[t];
            if (target.common_word || target.user_domain) continue;
            if (same_place && separators == target.separators) continue;
            offer(best, 0.9, t,
                  {"its domain with a dot or hyphen moved ('" + run_text() + "')",
                   "son domaine avec un point ou un tiret déplacé ('" + run_text() + "')"});
          }
        }
        // One letter changed as well: organisation domains only, whose list is short and whose
        // joined names are long enough not to meet by chance.
        const std::size_t length = joined.size();
        if (length + 1 >= state_.joined_lengths.size()) break;
        if (!state_.joined_lengths[length] && !state_.joined_lengths[length + 1] &&
            (length == 0 || !state_.joined_lengths[length - 1])) {
          continue;
        }
        near.clear();
        auto lookup = [&](std::string_view v) {
          const auto it = state_.by_joined_deletion.find(v);
          if (it == state_.by_joined_deletion.end()) return;
          for (std::uint32_t t : it->second) {
            if (std::find(near.begin(), near.end(), t) == near.end()) near.push_back(t);
          }
        };
        lookup(joined);
        for (std::size_t k = 0; k < length; ++k) {
          variant.assign(joined, 0, k).append(joined, k + 1);
          lookup(variant);
        }
        for (std::uint32_t t : near) {
          const Target& target = state_.targets[t];
          if (target.joined.size() < 8 || (same_place && separators == target.separators)) continue;
          if (osa_distance(joined, target.joined) != 1) continue;
          offer(best, 0.85, t,
                {"its domain with a dot or hyphen moved and a letter changed ('" + run_text() + "')",
                 "son domaine avec un point ou un tiret déplacé et une lettre changée ('" + run_text() + "')"});
        }
      }
    }
  }

  void check_label(std::string_view label, std::string_view reading, bool latin, std::string_view suffix,
                   Hit& best) const {
    const bool idn = reading != label;
    const std::string key = confusable_key(reading);
    if (const auto it = state_.by_key.find(key); it != state_.by_key.end()) {
      for (std::uint32_t t : it->second) {
        const Target& target = state_.targets[t];
        const bool same_suffix = target.suffix == suffix;
        if (target.label == label) {
          // Brands own their name under many suffixes, country ones above all (yahoo.com.au,
          // cisco.com.au): a brand's name under an unlisted suffix is only a hint.
          if (!same_suffix && !target.common_word &&
              (target.organisation || (label.size() >= 5 && !country_suffix(suffix)))) {
            offer(best, target.organisation ? 0.75 : 0.3, t,
                  {"same name under another suffix", "même nom sous un autre suffixe"});
          }
          continue;
        }
        offer(best, (idn ? 1.0 : 0.9) * (same_suffix ? 1.0 : 0.9), t,
              idn ? LocalizedText{"look-alike characters (internationalised name)",
                                  "caractères sosies (nom internationalisé)"}
                  : LocalizedText{"look-alike letters (rn/m, vv/w, cl/d, 0/o, 1/l)",
                                  "lettres sosies (rn/m, vv/w, cl/d, 0/o, 1/l)"});
      }
    }
    if (latin && reading.size() >= 5) check_edit_distance(reading, idn, suffix, best);
    check_added_words(reading, best);
  }

  void check_edit_distance(std::string_view label, bool idn, std::string_view suffix, Hit& best) const {
    std::vector<std::uint32_t> candidates;
    auto lookup = [&](std::string_view variant) {
      const std::size_t bit = bloom_bit(variant);
      if (((state_.deletion_bloom[bit / 64] >> (bit % 64)) & 1) == 0) return;
      const auto it = state_.by_deletion.find(variant);
      if (it == state_.by_deletion.end()) return;
      for (std::uint32_t t : it->second) {
        if (std::find(candidates.begin(), candidates.end(), t) == candidates.end()) candidates.push_back(t);
      }
    };
    lookup(label);
    std::string one, two;
    for (std::size_t i = 0; i < label.size(); ++i) {
      one.assign(label.substr(0, i)).append(label.substr(i + 1));
      lookup(one);
      if (label.size() < 8) continue;
      for (std::size_t j = i; j < one.size(); ++j) {
        two.assign(std::string_view(one).substr(0, j)).append(std::string_view(one).substr(j + 1));
        lookup(two);
      }
    }
    for (std::uint32_t t : candidates) {
      const Target& target = state_.targets[t];
      if (target.reading == label) continue;
      // Readers anchor on the first letter, and typosquats keep it: a brand name with another
      // first letter is far more often an ordinary word ("finance" for "binance").
      if (!target.organisation && label.front() != target.reading.front()) continue;
      const std::size_t distance = osa_distance(label, target.reading);
      if (distance == 0 || distance > max_distance(target)) continue;
      // Look-alike characters and a typo together are no accident.
      double confidence = distance == 1 ? (idn ? 0.9 : 0.85) : (idn ? 0.8 : 0.65);
      if (target.suffix != suffix) confidence *= 0.9;
      offer(best, confidence, t,
            idn ? LocalizedText{"look-alike characters and " + std::to_string(distance) + " letter(s) changed ('" +
                                    std::string(label) + "')",
                                "caractères sosies et " + std::to_string(distance) + " lettre(s) changée(s) ('" +
                                    std::string(label) + "')"}
                : LocalizedText{"name at edit distance " + std::to_string(distance) + " ('" + std::string(label) + "')",
                                "nom à distance d'édition " + std::to_string(distance) + " ('" + std::string(label) +
                                    "')"});
    }
  }

  void check_added_words(std::string_view label, Hit& best) const {
    const std::vector<std::string_view> words = split_hyphens(label);
    if (words.size() >= 2) {
      // The name is a run of the label's words (a target label may be several: "ministere-exemple").
      for (std::size_t i = 0; i < words.size(); ++i) {
        for (std::size_t j = i + 1; j <= words.size() && j - i <= kMaxRunWords; ++j) {
          if (i == 0 && j == words.size()) break;  // the whole label: check_label's comparisons
          const auto begin = static_cast<std::size_t>(words[i].data() - label.data());
          const auto end = static_cast<std::size_t>(words[j - 1].data() - label.data()) + words[j - 1].size();
          const std::string_view name = label.substr(begin, end - begin);
          // The name as written, or in look-alike letters ("paypa1-secure"): both are the name.
          const auto exact = state_.by_label.find(name);
          const auto alike = state_.by_key.find(confusable_key(name));
          if (exact == state_.by_label.end() && alike == state_.by_key.end()) continue;
          bool all_lures = true, imitation = false;
          for (std::size_t k = 0; k < words.size(); ++k) {
            if (k >= i && k < j) continue;
            if (!is_lure(words[k])) all_lures = false;
            if (is_imitation(words[k])) imitation = true;
          }
          if (exact != state_.by_label.end()) {
            for (std::uint32_t t : exact->second) {
              const Target& target = state_.targets[t];
              if (target.common_word) continue;
              // An ordinary word with other words is somebody else's name ("deco-interieur",
              // "avocat-defense") unless everything around it imitates ("interieur-gouv").
              if (target.ordinary_word && !(all_lures && imitation)) continue;
              if (name.size() < 4 && !(all_lures && target.organisation)) continue;
              offer(best, all_lures ? 0.9 : 0.75, t,
                    {"its name with added words ('" + std::string(label) + "')",
                     "son nom avec des mots ajoutés ('" + std::string(label) + "')"});
            }
          }
          if (alike != state_.by_key.end()) {
            for (std::uint32_t t : alike->second) {
              const Target& target = state_.targets[t];
              // Look-alike letters are chosen, never chance: only the shortest names, which
              // other words spell by accident, are left out.
              if (target.label == name || name.size() < 5) continue;
              offer(best, all_lures ? 0.95 : 0.85, t,
                    {"its name in look-alike letters with added words ('" + std::string(label) + "')",
                     "son nom en lettres sosies avec des mots ajoutés ('" + std::string(label) + "')"});
            }
          }
        }
      }
      return;
    }
    // Glued words: "paypalsecure", "securepaypal".
    for (std::size_t cut = 2; cut + 2 <= label.size(); ++cut) {
      const std::string_view head = label.substr(0, cut);
      const std::string_view tail = label.substr(cut);
      for (const auto& [name, rest] : {std::pair{head, tail}, std::pair{tail, head}}) {
        const auto it = state_.by_label.find(name);
        if (it == state_.by_label.end()) continue;
        for (std::uint32_t t : it->second) {
          const Target& target = state_.targets[t];
          if (target.common_word || name.size() < (target.organisation ? 5u : 6u)) continue;
          if (target.ordinary_word && !is_imitation(rest)) continue;
          offer(best, is_lure(rest) ? 0.8 : 0.55, t,
                {"its name with added letters ('" + std::string(label) + "')",
                 "son nom avec des lettres ajoutées ('" + std::string(label) + "')"});
        }
      }
    }
  }

  const State& state_;
};

// The host as the reader sees it, with its ASCII (punycode) form beside it when they differ.
std::string shown_host(const Url& url) {
  const std::string_view ascii = url.host_ascii();
  const std::string_view unicode = url.host_unicode();
  if (unicode.empty() || unicode == ascii) return std::string(ascii);
  return std::string(unicode) + " (" + std::string(ascii) + ")";
}

struct Candidate {
  ObjectId object;
  std::string location;
  const Url* url;  // into the message's urls() or the analyzer's own list of header domains
};

// Domain-like words of a display name ("PayPal.com Support", "service@paypa1.com").
void domains_in_display_name(std::string_view name, std::string_view field, std::deque<Url>& urls,
                             std::vector<Candidate>& out) {
  std::size_t i = 0;
  while (i < name.size()) {
    const auto is_host_char = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
             c == '.' || static_cast<unsigned char>(c) >= 0x80;
    };
    while (i < name.size() && !is_host_char(name[i])) ++i;
    std::size_t end = i;
    while (end < name.size() && is_host_char(name[end])) ++end;
    std::string_view word = name.substr(i, end - i);
    while (!word.empty() && (word.back() == '.' || word.back() == '-')) word.remove_suffix(1);
    if (word.find('.') != std::string_view::npos && word.front() != '.') {
      Url url = parse::normalize_url("http://" + std::string(word) + "/", UrlSource::kText);
      if (url.valid && !url.host_is_ip && !url.registrable_domain().empty()) {
        urls.push_back(std::move(url));
        out.push_back(Candidate{kMessageObject, "display name:" + std::string(field), &urls.back()});
      }
    }
    i = end;
  }
}

void analyze(const ParsedMessage& /*message*/, const ScanContext& context, const AnalyzerState* base,
             FindingSink& sink) {
  const auto& state = static_cast<const State&>(*base);
  std::vector<Candidate> candidates;
  std::deque<Url> header_urls;  // stable addresses for the candidates
  // In the order a reader meets them: the sender, then the links they can follow, then the
  // resources that load on their own.
  for (const facts::Identity& identity : context.facts.identities()) {
    if (identity.field == facts::IdentityField::kEnvelopeFrom) continue;
    const std::string field(facts::identity_field_name(identity.field));
    if (!identity.mailbox.domain.empty()) {
      Url url = parse::normalize_url("http://" + identity.mailbox.domain + "/", UrlSource::kText);
      if (url.valid && !url.host_is_ip) {
        header_urls.push_back(std::move(url));
        candidates.push_back(Candidate{kMessageObject, facts::identity_location(identity.field), &header_urls.back()});
      }
    }
    if (identity.field != facts::IdentityField::kReturnPath) {
      domains_in_display_name(identity.mailbox.display_name, field, header_urls, candidates);
    }
  }
  for (const Url* url : context.facts.urls_in_reading_order()) {
    if (!url->valid || url->host_is_ip || url->host_ascii().empty()) continue;
    candidates.push_back(Candidate{context.objects.of_url(*url), "url", url});
  }

  const HostChecker checker(state);
  std::unordered_set<std::string> done;
  std::vector<Evidence> organisation, brand, confusable;
  double organisation_confidence = 0, brand_confidence = 0, confusable_confidence = 0;
  std::size_t not_checked = 0;
  for (const Candidate& c : candidates) {
    const std::string host(c.url->host_ascii());
    if (done.contains(c.location + "|" + host)) continue;
    if (done.size() >= context.limits.max_hosts_checked) {
      ++not_checked;
      continue;
    }
    done.insert(c.location + "|" + host);
    // The real thing: organisation domains, brand domains and user domains are never look-alikes.
    const bool ours = context.facts.profile().standing(host) != facts::DomainStanding::kOutside;
    if (ours || !state.brand_list->owners(host).empty()) continue;

    std::optional<HostVerdict> verdict = state.verdicts.find(host);
    if (!verdict) {
      verdict.emplace();
      verdict->hit = checker.check(*c.url);
      if (verdict->hit.confidence == 0 && !state.brand_list->is_user_domain(host)) {
        verdict->confusable = checker.confusable_reason(*c.url);
      }
      state.verdicts.remember(host, *verdict);
    }
    const Hit& hit = verdict->hit;
    if (hit.confidence > 0) {
      const Target& t = state.targets[hit.target];
      // The owner is "organisation", "partner" or a brand's id (data).
      const std::string owner_fr = !t.organisation       ? "marque " + t.owner
                                   : t.owner == "partner" ? std::string("partenaire")
                                                          : t.owner;
      Evidence ev{c.object, c.location,
                  LocalizedText{shown_host(*c.url) + " imitates " + t.domain + " (" +
                                    (t.organisation ? t.owner : "brand " + t.owner) + "): " + hit.technique.en,
                                shown_host(*c.url) + " imite " + t.domain + " (" + owner_fr + ") : " + hit.technique.fr}};
      if (t.organisation) {
        if (organisation.size() < kMaxEvidence) organisation.push_back(std::move(ev));
        organisation_confidence = std::max(organisation_confidence, hit.confidence);
      } else {
        if (brand.size() < kMaxEvidence) brand.push_back(std::move(ev));
        brand_confidence = std::max(brand_confidence, hit.confidence);
      }
      continue;
    }
    if (const Confusable& found = verdict->confusable; found.kind != Confusable::Kind::kNone) {
      if (confusable.size() < kMaxEvidence) {
        confusable.push_back(
            Evidence{c.object, c.location,
                     LocalizedText{std::string(c.url->host_unicode()) + " (" + host + "): " + found.reason.en,
                                   std::string(c.url->host_unicode()) + " (" + host + ") : " + found.reason.fr}});
      }
      confusable_confidence =
          std::max(confusable_confidence, found.kind == Confusable::Kind::kMixedScripts ? 0.9 : 0.7);
    }
  }
  if (not_checked > 0) {
    sink.limit_reached("max_hosts_checked", done.size() + not_checked, context.limits.max_hosts_checked,
                       LocalizedText{std::to_string(not_checked) + " hosts not checked for look-alikes",
                                     std::to_string(not_checked) + " noms d'hôte non examinés pour les imitations de domaine"});
  }
  if (!organisation.empty()) {
    sink.emit(FindingId::LOOKALIKE_ORGANISATION_DOMAIN, std::move(organisation), organisation_confidence);
  }
  if (!brand.empty()) sink.emit(FindingId::LOOKALIKE_BRAND_DOMAIN, std::move(brand), brand_confidence);
  if (!confusable.empty()) sink.emit(FindingId::CONFUSABLE_DOMAIN, std::move(confusable), confusable_confidence);
}

constexpr FindingId kEmits[] = {
    FindingId::LOOKALIKE_ORGANISATION_DOMAIN,
    FindingId::LOOKALIKE_BRAND_DOMAIN,
    FindingId::CONFUSABLE_DOMAIN,
};

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "lookalike_domains",
      "Domains imitating the organisation's, its partners' or a brand's domains",
      kEmits,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::lookalike_domains

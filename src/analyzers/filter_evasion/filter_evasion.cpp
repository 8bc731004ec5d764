// filter_evasion: the tricks bulk phishing and scam senders use to get past text filters and to
// look personal at scale, seen in what the reader sees: invisible characters splitting words
// ("Pass\u200Bword"), "styled" Unicode letters in the sender or subject (𝗣𝗮𝘆𝗣𝗮𝗹) that no keyword
// list matches, a body that is one picture with next to no text, a subject that greets the
// reader by their mailbox address (the sender knows the address, not the person), and a sender
// address on a free hosting platform or a cloud-mail tenant's default domain (throw-away
// subdomains), where no organisation runs its mail. Each is weak alone and common in untargeted campaigns; the verdict
// adds them to the rest. Owns nothing: it reads the shared link categories (intel::SharedLists).
#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "intel/identity/domains.h"
#include "intel/link_categories/link_categories.h"
#include "intel/shared/shared_lists.h"

namespace vigie::analyzers::filter_evasion {
namespace {

using verdict::FindingId;

// Visible text examined per message for split words: the trick is used throughout a lure, so
// the first screens show it.
// Split words needed in body text; in the subject or the sender's name one is enough, as no
// mail client or editor puts invisible characters there.
constexpr int kMinSplitWordsInBody = 3;
// Styled letters needed: one could be a symbol used as decoration.
constexpr int kMinStyledLetters = 3;
// A body with at most this many words of text beside a picture carries its message in the image.
constexpr std::size_t kMaxWordsOfImageOnlyBody = 15;
constexpr std::size_t kMaxEvidenceExcerpt = 80;

// Code points that render as nothing: zero-width space/joiners, directional marks, word joiner
// and invisible operators, the byte-order mark, combining grapheme joiner, Mongolian vowel
// separator. Soft hyphens count only in headers: HTML bodies use &shy; for real hyphenation.
bool is_invisible(UChar32 c) {
  return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF || c == 0x034F || c == 0x180E || c == 0x061C;
}

// Letters from the Mathematical Alphanumeric Symbols block, fullwidth Latin and enclosed or
// squared Latin letters: they look like bold, italic or boxed ASCII to a reader but are other
// characters to a filter.
bool is_styled_letter(UChar32 c) {
  return (c >= 0x1D400 && c <= 0x1D7FF) || (c >= 0xFF21 && c <= 0xFF3A) ||
         (c >= 0xFF41 && c <= 0xFF5A) || (c >= 0x24B6 && c <= 0x24E9) ||
         (c >= 0x1F130 && c <= 0x1F189);
}

struct TextScan {
  int split_words = 0;      // invisible characters between two letters
  int styled_letters = 0;
  std::string first_split;  // excerpt around the first split word, invisible characters shown
};

// At most `max_bytes` of `text`, cut before a character, not inside one.
std::string utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  while (end > 0 && U8_IS_TRAIL(static_cast<uint8_t>(text[end]))) --end;
  return std::string(text.substr(0, end));
}

std::string show_invisible(UChar32 c) {
  std::string out = "<U+";
  for (int shift = 12; shift >= 0; shift -= 4) out += ascii::hex_digit(static_cast<unsigned>(c) >> shift, true);
  return out + ">";
}

// The word starting at `start`, up to the next space, with its invisible characters written out
// ("Pass<U+200B>word"): what the analyst needs to see.
std::string word_excerpt(std::string_view text, int32_t start) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto end = static_cast<int32_t>(std::min(text.size(), static_cast<std::size_t>(start) + 48));
  std::string excerpt;
  for (int32_t i = start; i < end;) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(bytes, i, end, c);
    if (c < 0 || c == ' ' || c == '\n') break;
    if (is_invisible(c) || c == 0x00AD) {
      excerpt += show_invisible(c);
    } else {
      excerpt.append(text.substr(static_cast<std::size_t>(at), static_cast<std::size_t>(i - at)));
    }
  }
  return utf8_prefix(excerpt, kMaxEvidenceExcerpt);
}

// One pass over UTF-8 text: counts letters split by invisible characters and styled letters.
// At most max_bytes of it ([limits] max_evasion_text_bytes): the check is per code point.
TextScan scan_text(std::string_view text, bool soft_hyphen_counts, std::uint64_t max_bytes) {
  TextScan scan;
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(std::min<std::uint64_t>(text.size(), max_bytes));
  bool after_letter = false;            // the last visible code point was a letter
  bool invisible_after_letter = false;  // and invisible characters followed it
  int32_t word_start = 0;
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    if (bytes[i] < 0x80) {
      c = bytes[i++];  // ASCII, most of the text: no decoding; u_isalpha below is a call
    } else {
      U8_NEXT(bytes, i, length, c);
    }
    if (c < 0) {
      after_letter = invisible_after_letter = false;
      continue;
    }
    if (is_invisible(c) || (soft_hyphen_counts && c == 0x00AD)) {
      invisible_after_letter = invisible_after_letter || after_letter;
      continue;
    }
    const bool letter = c < 0x80 ? ascii::is_alpha(static_cast<char>(c)) : u_isalpha(c);
    if (is_styled_letter(c)) ++scan.styled_letters;
    if (letter && invisible_after_letter) {
      ++scan.split_words;
      if (scan.first_split.empty()) scan.first_split = word_excerpt(text, word_start);
    }
    if (!letter) word_start = i;
    after_letter = letter;
    invisible_after_letter = false;
  }
  return scan;
}

// The words of `text`, counted until there are more than `enough`.
std::size_t count_words(std::string_view text, std::size_t enough) {
  std::size_t words = 0;
  bool in_word = false;
  for (const char ch : text) {
    const bool word_char = static_cast<unsigned char>(ch) >= 0x80 || (ch >= '0' && ch <= '9') ||
                           (ascii::lower(ch) >= 'a' && ascii::lower(ch) <= 'z');
    if (word_char && !in_word && ++words > enough) break;
    in_word = word_char;
  }
  return words;
}

class EvasionState final : public AnalyzerState {
 public:
  explicit EvasionState(std::shared_ptr<const intel::LinkCategories> categories)
      : categories_(std::move(categories)) {}
  const intel::LinkCategories& categories() const { return *categories_; }

 private:
  std::shared_ptr<const intel::LinkCategories> categories_;
};

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  Result<std::shared_ptr<const intel::LinkCategories>> categories = setup.lists.link_categories();
  if (!categories) return fail(categories.error());
  return std::make_shared<const EvasionState>(std::move(*categories));
}

// Platforms where anyone gets a subdomain for a web app in a minute; a sender address there is
// a throw-away identity, never an organisation's mail domain. Dynamic DNS is not among them:
// people who run their own mail server at home send from such names.
bool is_hosting_platform(intel::LinkCategory category) {
  switch (category) {
    case intel::LinkCategory::kFreeHosting:
    case intel::LinkCategory::kSiteBuilder:
    case intel::LinkCategory::kServerless:
    case intel::LinkCategory::kTunnel:
    case intel::LinkCategory::kIpfs:
      return true;
    default:
      return false;
  }
}

void check_split_and_styled(const facts::MessageFacts& facts, const ObjectTree& objects, const Limits& limits,
                            const Mailbox* sender, FindingSink& sink) {
  const std::uint64_t max_bytes = limits.max_evasion_text_bytes;
  std::vector<Evidence> split, styled;
  const auto header_scan = [&](std::string_view text, std::string location) {
    const TextScan scan = scan_text(text, /*soft_hyphen_counts=*/true, max_bytes);
    if (scan.split_words > 0) split.push_back({location, scan.first_split});
    if (scan.styled_letters >= kMinStyledLetters) {
      styled.push_back({location, utf8_prefix(text, kMaxEvidenceExcerpt * 2)});
    }
  };
  header_scan(facts.message().subject(), "header:Subject");
  if (sender != nullptr) {
    header_scan(sender->display_name, "header:From (name)");
    header_scan(sender->address(), "header:From (address)");
  }
  int body_split_words = 0;
  std::string body_example;
  ObjectId body_object = kMessageObject;
  for (const facts::ReadableText& readable : facts.readable_texts()) {
    const TextScan scan = scan_text(readable.text, /*soft_hyphen_counts=*/false, max_bytes);
    if (readable.text.size() > max_bytes) {
      sink.limit_reached("max_evasion_text_bytes", readable.text.size(), max_bytes,
                         LocalizedText{std::to_string(readable.text.size() - max_bytes) +
                                           " bytes of readable text not examined for words split by invisible characters",
                                       std::to_string(readable.text.size() - max_bytes) +
                                           " octets de texte lisible non examinés pour les mots coupés par des "
                                           "caractères invisibles"},
                         objects.of_part(readable.part));
    }
    body_split_words += scan.split_words;
    if (body_example.empty() && !scan.first_split.empty()) {
      body_example = scan.first_split;
      body_object = objects.of_part(readable.part);
    }
  }
  if (body_split_words >= kMinSplitWordsInBody) {
    const std::string count = std::to_string(body_split_words);
    split.push_back({body_object, "text",
                     LocalizedText{count + " words split by invisible characters, e.g. " + body_example,
                                   count + " mots coupés par des caractères invisibles, par exemple " + body_example}});
  }
  if (!split.empty()) sink.emit(FindingId::WORDS_SPLIT_BY_INVISIBLE_CHARACTERS, std::move(split));
  if (!styled.empty()) sink.emit(FindingId::STYLED_UNICODE_LETTERS, std::move(styled));
}

void check_image_only_body(const facts::MessageFacts& facts, const ObjectTree& objects, FindingSink& sink) {
  const ParsedMessage& message = facts.message();
  std::size_t words = 0;
  bool has_html = false;
  for (const facts::ReadableText& readable : facts.readable_texts()) {
    has_html = has_html || readable.html != nullptr;
    words += count_words(readable.text, kMaxWordsOfImageOnlyBody - std::min(words, kMaxWordsOfImageOnlyBody));
    if (words > kMaxWordsOfImageOnlyBody) return;
  }
  if (!has_html || words > kMaxWordsOfImageOnlyBody) return;
  const auto image = std::find_if(message.urls().begin(), message.urls().end(), [](const Url& u) {
    return u.source == UrlSource::kSrc || u.source == UrlSource::kSrcset;
  });
  const bool linked = std::any_of(message.urls().begin(), message.urls().end(),
                                  [](const Url& u) { return u.source == UrlSource::kHref; });
  if (image == message.urls().end() || !linked) return;
  sink.emit(FindingId::IMAGE_ONLY_BODY,
            {Evidence{objects.of_url(*image), "url",
                      LocalizedText{std::to_string(words) + " words of text beside the image " +
                                        utf8_prefix(image->normalized(), kMaxEvidenceExcerpt * 2),
                                    std::to_string(words) + " mots de texte à côté de l'image " +
                                        utf8_prefix(image->normalized(), kMaxEvidenceExcerpt * 2)}}});
}

void check_recipient_in_subject(const ParsedMessage& message, const ScanContext& context,
                                FindingSink& sink) {
  const std::string subject = ascii::lowercase(message.subject());
  if (subject.find('@') == std::string::npos) return;
  // A list post is addressed to the list, and list software may put that address in the subject.
  if (message.header("List-Id") != nullptr || message.header("List-Post") != nullptr) return;
  std::vector<std::string> recipients = context.envelope.recipients;
  for (const char* field : {"To", "Cc"}) {
    for (const Mailbox& m : message.addresses(field).mailboxes) {
      if (!m.domain.empty()) recipients.push_back(m.address());
    }
  }
  for (const std::string& recipient : recipients) {
    if (recipient.find('@') == std::string::npos) continue;
    if (subject.find(ascii::lowercase(recipient)) != std::string::npos) {
      sink.emit(FindingId::RECIPIENT_ADDRESS_IN_SUBJECT,
                {Evidence{"header:Subject", utf8_prefix(message.subject(), kMaxEvidenceExcerpt * 2)}});
      return;
    }
  }
}

// Default domains of cloud-mail tenants: every Microsoft 365 tenant gets <name>.onmicrosoft.com,
// and a trial tenant costs nothing. Organisations send from their own domains; throw-away tenants
// send from these (Microsoft Threat Intelligence on Midnight Blizzard's Teams and mail lures from
// new onmicrosoft.com tenants, 2023, and on tenant abuse by phishing kits).
constexpr std::string_view kTenantDefaultDomains[] = {"onmicrosoft.com"};

void check_sender_platform(const facts::Identity* sender, const EvasionState& state, FindingSink& sink) {
  if (sender == nullptr || sender->domain.empty()) return;
  const std::string& domain = sender->domain;
  for (const std::string_view tenant : kTenantDefaultDomains) {
    if (intel::identity::is_subdomain_of(domain, tenant)) {
      sink.emit(FindingId::SENDER_ON_HOSTING_PLATFORM,
                {Evidence{"header:From",
                          LocalizedText{sender->mailbox.address() + " (" + std::string(tenant) +
                                            ": default domain of a cloud-mail tenant)",
                                        sender->mailbox.address() + " (" + std::string(tenant) +
                                            " : domaine par défaut d'un client de messagerie en nuage)"}}});
      return;
    }
  }
  const intel::LinkCategoryEntry* entry = state.categories().match(domain, "");
  if (entry == nullptr || !is_hosting_platform(entry->category)) return;
  sink.emit(FindingId::SENDER_ON_HOSTING_PLATFORM,
            {Evidence{"header:From", sender->mailbox.address() + " (" + entry->host + ": " +
                                         std::string(intel::link_category_name(entry->category)) +
                                         ", " + entry->origin + ")"}});
}

void analyze(const ParsedMessage& message, const ScanContext& context, const AnalyzerState* state,
             FindingSink& sink) {
  const facts::Identity* author = context.facts.author();
  check_split_and_styled(context.facts, context.objects, context.limits,
                         author == nullptr ? nullptr : &author->mailbox, sink);
  check_image_only_body(context.facts, context.objects, sink);
  check_recipient_in_subject(message, context, sink);
  check_sender_platform(author, static_cast<const EvasionState&>(*state), sink);
}

constexpr std::array kEmits = {
    FindingId::WORDS_SPLIT_BY_INVISIBLE_CHARACTERS, FindingId::STYLED_UNICODE_LETTERS,
    FindingId::IMAGE_ONLY_BODY, FindingId::RECIPIENT_ADDRESS_IN_SUBJECT,
    FindingId::SENDER_ON_HOSTING_PLATFORM,
};

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "filter_evasion",
      "Tricks of bulk phishing against text filters: invisible characters splitting words, "
      "styled Unicode letters, image-only bodies, the recipient's address in the subject, "
      "senders on free hosting platforms",
      kEmits,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::filter_evasion

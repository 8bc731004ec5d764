// Message tokens for the content classifier (see tokenizer.h). One pass over each text, one code
// point at a time; ASCII words (most of the words of most mail) skip ICU normalisation.
#include "intel/content_model/tokenizer.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

namespace vigie::intel::content_model {
namespace {

const icu::Normalizer2& nfkc_casefold() {
  static const icu::Normalizer2* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    // Part of ICU's built-in data; without it no text handling of vigie works.
    if (U_FAILURE(status) || n == nullptr) throw std::runtime_error("ICU NFKC_Casefold unavailable");
    return n;
  }();
  return *instance;
}

bool is_word_character(UChar32 c) {
  if (u_isalnum(c)) return true;
  // Combining marks belong to the word they modify: Indic vowel signs, decomposed accents.
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
}

// Scripts written without spaces between words: a run of them would be one huge "word".
bool is_unspaced_script(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(c, &status)) {
    case USCRIPT_HAN: case USCRIPT_HIRAGANA: case USCRIPT_KATAKANA: case USCRIPT_THAI:
    case USCRIPT_LAO: case USCRIPT_KHMER: case USCRIPT_MYANMAR:
      return true;
    default:
      return false;
  }
}

// `c` is a valid code point (decoded by U8_NEXT), so the unchecked append is safe.
void append_utf8(std::string& out, UChar32 c) {
  char buffer[U8_MAX_LENGTH];
  int32_t length = 0;
  U8_APPEND_UNSAFE(buffer, length, c);
  out.append(buffer, static_cast<std::size_t>(length));
}

std::size_t count_code_points(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char ch) { return !U8_IS_TRAIL(ch); }));
}

std::string fold(std::string_view word) {
  if (std::all_of(word.begin(), word.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; })) {
    std::string folded(word);
    for (char& ch : folded) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    return folded;
  }
  std::string folded;
  icu::StringByteSink<std::string> sink(&folded);
  UErrorCode status = U_ZERO_ERROR;
  nfkc_casefold().normalizeUTF8(0, icu::StringPiece(word.data(), static_cast<int32_t>(word.size())),
                                sink, nullptr, status);
  // The word was built from valid code points only, so normalisation cannot fail on it.
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFKC_Casefold failed on a word");
  return folded;
}

bool is_number(std::string_view utf8) {
  for (int32_t i = 0, length = static_cast<int32_t>(utf8.size()); i < length;) {
    UChar32 c;
    U8_NEXT(utf8.data(), i, length, c);
    if (c < 0 || !u_isdigit(c)) return false;
  }
  return true;
}

bool starts_with_ascii_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// Length of the URL written at the start of `text` ("https://…", "www.…"), 0 when none. A URL is
// represented by its host token; its scheme and path as words ("http", "www", "index", "php")
// would describe the mail client's habits (and the era: plain-text mail shows its URLs, HTML mail
// hides them in links), not the message.
std::size_t url_length(std::string_view text) {
  if (!starts_with_ascii_nocase(text, "http://") && !starts_with_ascii_nocase(text, "https://") &&
      !starts_with_ascii_nocase(text, "www.")) {
    return 0;
  }
  const std::size_t end = text.find_first_of(" \t\r\n<>\"'");
  return end == std::string_view::npos ? text.size() : end;
}

// "pdf" from "Facture.PDF"; empty when the name has no plausible extension.
std::string extension_of(std::string_view filename) {
  constexpr std::size_t kMaxExtension = 10;
  const std::size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == filename.size() ||
      filename.size() - dot - 1 > kMaxExtension) {
    return "";
  }
  std::string extension;
  for (const char ch : filename.substr(dot + 1)) {
    if (std::isalnum(static_cast<unsigned char>(ch)) == 0) return "";
    extension += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return extension;
}

}  // namespace

void TokenSet::add_token(std::string token) {
  if (token.size() > kMaxTokenBytes) return;
  if (tokens_.size() >= max_tokens_) {
    token_budget_spent_ = token_budget_spent_ || !tokens_.contains(token);
    return;
  }
  tokens_.insert(std::move(token));
}

void TokenSet::add_word(std::string_view word, std::size_t code_points) {
  // Cheap rejection before folding; folding may change the length a little (ß → ss, ﬁ → fi).
  if (code_points < kMinWordCodePoints || code_points > 2 * kMaxWordCodePoints) return;
  std::string folded = fold(word);
  const std::size_t length = count_code_points(folded);
  if (length < kMinWordCodePoints || length > kMaxWordCodePoints) return;
  if (is_number(folded)) return add_token("num:" + std::to_string(length));
  add_token(std::move(folded));
}

void TokenSet::add_text(std::string_view utf8) {
  const std::size_t read = static_cast<std::size_t>(std::min<std::uint64_t>(utf8.size(), text_budget_));
  unread_text_bytes_ += utf8.size() - read;
  utf8 = utf8.substr(0, read);
  text_budget_ -= read;
  std::string word;
  std::size_t word_code_points = 0;
  UChar32 previous_unspaced = -1;  // last character of a run of an unspaced script, or -1
  const auto end_word = [&] {
    if (!word.empty()) add_word(word, word_code_points);
    word.clear();
    word_code_points = 0;
  };
  for (int32_t i = 0, length = static_cast<int32_t>(utf8.size()); i < length;) {
    if (tokens_.size() >= max_tokens_) {
      token_budget_spent_ = true;
      return;
    }
    if (word.empty() && previous_unspaced < 0) {
      if (const std::size_t skip = url_length(utf8.substr(static_cast<std::size_t>(i))); skip > 0) {
        i += static_cast<int32_t>(skip);
        continue;
      }
    }
    UChar32 c;
    U8_NEXT(utf8.data(), i, length, c);
    // ASCII, most of the text of most mail, needs no Unicode property lookup: no ASCII character
    // is a combining mark, a format character or part of an unspaced script.
    if (c >= 0 && c < 0x80) {
      previous_unspaced = -1;
      if (std::isalnum(c) != 0) {
        word += static_cast<char>(c);
        ++word_code_points;
      } else {
        end_word();
      }
      continue;
    }
    if (c >= 0 && is_word_character(c)) {
      if (is_unspaced_script(c)) {
        end_word();
        if (previous_unspaced >= 0) {
          std::string pair;
          append_utf8(pair, previous_unspaced);
          append_utf8(pair, c);
          add_word(pair, 2);
        }
        previous_unspaced = c;
        continue;
      }
      previous_unspaced = -1;
      append_utf8(word, c);
      ++word_code_points;
    } else if (c >= 0 && u_charType(c) == U_FORMAT_CHAR) {
      continue;  // zero-width space, joiners, soft hyphen: invisible, so they split nothing
    } else {
      end_word();
      previous_unspaced = -1;
    }
  }
  end_word();
}

std::vector<std::string> TokenSet::sorted() const {
  std::vector<std::string> out(tokens_.begin(), tokens_.end());
  std::sort(out.begin(), out.end());
  return out;
}

void TokenSet::remove_all(const TokenSet& other) {
  for (const std::string& token : other.tokens_) tokens_.erase(token);
}

MessageTokens message_tokens(const facts::MessageFacts& facts, const Limits& limits) {
  const ParsedMessage& message = facts.message();
  TokenSet tokens(limits);
  // Structural tokens first: they are few, and the word budget must not crowd them out.
  for (const Url& url : message.urls()) {
    if (url.host_is_ip) {
      tokens.add_token("host:ip");
    } else if (url.valid && !url.registrable_domain().empty()) {
      tokens.add_token("host:" + std::string(url.registrable_domain()));
    }
  }
  const std::vector<PartId> leaves = message.leaves();
  for (const PartId leaf : leaves) {
    const Part& part = message.part(leaf);
    if (!part.is_attachment()) continue;
    const std::string extension = extension_of(part.filename);
    tokens.add_token("attach:" + (extension.empty() ? std::string("none") : extension));
  }
  tokens.add_text(message.subject());
  for (const Mailbox& sender : message.addresses("From").mailboxes) tokens.add_text(sender.display_name);
  for (const facts::ReadableText& readable : facts.readable_texts()) tokens.add_text(readable.text);
  TokenSet recipient_words(limits);
  for (const char* field : {"To", "Cc", "Bcc", "Delivered-To", "X-Original-To"}) {
    for (const Mailbox& recipient : message.addresses(field).mailboxes) {
      recipient_words.add_text(recipient.address());
      recipient_words.add_text(recipient.display_name);
    }
  }
  tokens.remove_all(recipient_words);
  return MessageTokens{tokens.sorted(), tokens.unread_text_bytes(), tokens.token_budget_spent()};
}

MessageTokens message_tokens(const ParsedMessage& message, const Limits& limits) {
  static const facts::OrganisationProfile kNoProfile = *facts::OrganisationProfile::compile({});
  const Envelope no_envelope;
  return message_tokens(facts::MessageFacts(message, no_envelope, kNoProfile), limits);
}

}  // namespace vigie::intel::content_model

// Name folding and matching (see names.h). ICU's NFKD normaliser and the spoof checker are
// created once and only read afterwards: ICU documents both const paths as thread-safe.
#include "intel/identity/names.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>

namespace vigie::intel::identity {
namespace {

const USpoofChecker* spoof_checker() {
  static const std::unique_ptr<USpoofChecker, void (*)(USpoofChecker*)> checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* c = uspoof_open(&status);
    if (U_FAILURE(status)) c = nullptr;
    return std::unique_ptr<USpoofChecker, void (*)(USpoofChecker*)>(c, &uspoof_close);
  }();
  return checker.get();
}

// Letters NFKD leaves whole although readers take them for a base letter plus a stroke or ligature.
void append_folded(icu::UnicodeString& out, UChar32 c) {
  switch (c) {
    case 0x0153: out.append(u"oe"); return;  // œ
    case 0x00E6: out.append(u"ae"); return;  // æ
    case 0x00F8: out.append(u'o'); return;   // ø
    case 0x0142: out.append(u'l'); return;   // ł
    case 0x0111: out.append(u'd'); return;   // đ
    default: out.append(c);
  }
}

bool is_mark(UChar32 c) {
  const std::int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK;
}

struct Folded {
  std::vector<std::string> tokens;
  bool saw_digit = false;
  bool saw_at = false;
};

Folded fold(std::string_view utf8, bool skeleton) {
  Folded result;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  if (U_FAILURE(status)) return result;
  const icu::UnicodeString source =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
  const icu::UnicodeString decomposed = nfkd->normalize(source, status);
  if (U_FAILURE(status)) return result;

  const USpoofChecker* checker = skeleton ? spoof_checker() : nullptr;
  icu::UnicodeString token;
  const auto finish_token = [&] {
    if (token.isEmpty()) return;
    icu::UnicodeString key = token;
    if (checker != nullptr) {
      UErrorCode skeleton_status = U_ZERO_ERROR;
      icu::UnicodeString skeleton_text;
      uspoof_getSkeletonUnicodeString(checker, 0, token, skeleton_text, &skeleton_status);
      // The skeleton may reintroduce case ("0" → "O"); fold again so keys stay lowercase.
      if (U_SUCCESS(skeleton_status)) key = skeleton_text.foldCase();
    }
    std::string utf8_key;
    key.toUTF8String(utf8_key);
    result.tokens.push_back(std::move(utf8_key));
    token.remove();
  };
  for (std::int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (is_mark(c)) continue;
    if (u_isalnum(c)) {
      if (u_isdigit(c)) result.saw_digit = true;
      append_folded(token, u_foldCase(c, U_FOLD_CASE_DEFAULT));
    } else {
      if (c == '@' || c == 0xFF20) result.saw_at = true;
      finish_token();
    }
  }
  finish_token();
  return result;
}

}  // namespace

std::vector<std::string> fold_name_tokens(std::string_view utf8) { return fold(utf8, true).tokens; }

std::string name_key(std::string_view utf8) {
  std::vector<std::string> tokens = fold_name_tokens(utf8);
  std::sort(tokens.begin(), tokens.end());
  std::string joined;
  for (const std::string& t : tokens) {
    if (!joined.empty()) joined += ' ';
    joined += t;
  }
  return joined;
}

bool contains_token_run(const std::vector<std::string>& haystack,
                        const std::vector<std::string>& needle) {
  if (needle.empty() || needle.size() > haystack.size()) return false;
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

NameMatch match_person_name(const std::vector<std::string>& display,
                            const std::vector<std::string>& name) {
  if (name.empty() || display.empty()) return NameMatch::kNone;
  std::vector<std::string> sorted_display = display, sorted_name = name;
  std::sort(sorted_display.begin(), sorted_display.end());
  std::sort(sorted_name.begin(), sorted_name.end());
  if (sorted_display == sorted_name) return NameMatch::kExact;
  if (name.size() < 2) return NameMatch::kNone;

  // Initials: every display token is either a full name token or the first letter of one, each
  // name token used once, and at least one full token (an all-initials "J. D." is too vague).
  if (display.size() == name.size()) {
    std::vector<std::string> left = name;
    std::vector<const std::string*> initials;
    bool ok = true;
    std::size_t full = 0;
    for (const std::string& token : display) {
      if (token.size() == 1) {
        initials.push_back(&token);
        continue;
      }
      const auto it = std::find(left.begin(), left.end(), token);
      if (it == left.end()) {
        ok = false;
        break;
      }
      left.erase(it);
      ++full;
    }
    for (const std::string* initial : initials) {
      if (!ok) break;
      const auto it = std::find_if(left.begin(), left.end(), [&](const std::string& t) {
        return t.size() > 1 && t.front() == initial->front();
      });
      if (it == left.end()) {
        ok = false;
      } else {
        left.erase(it);
      }
    }
    if (ok && full > 0 && left.empty()) return NameMatch::kInitials;
  }

  // Containment: the name, in either order, plus at most four other words.
  constexpr std::size_t kMaxExtraTokens = 4;
  if (display.size() > name.size() && display.size() <= name.size() + kMaxExtraTokens &&
      std::find(display.begin(), display.end(), "via") == display.end()) {
    const std::vector<std::string> reversed(name.rbegin(), name.rend());
    if (contains_token_run(display, name) || contains_token_run(display, reversed)) {
      return NameMatch::kContained;
    }
  }
  return NameMatch::kNone;
}

bool looks_like_person_name(std::string_view utf8) {
  const Folded folded = fold(utf8, false);
  if (folded.saw_digit || folded.saw_at) return false;
  // "Amazon.com", "john.smith": a dot glued to a letter on both sides is a domain or an address.
  for (std::size_t i = 1; i + 1 < utf8.size(); ++i) {
    const auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
    if (utf8[i] == '.' && letter(utf8[i - 1]) && letter(utf8[i + 1])) return false;
  }
  if (folded.tokens.size() < 2 || folded.tokens.size() > 4) return false;
  const auto long_tokens = std::count_if(folded.tokens.begin(), folded.tokens.end(),
                                         [](const std::string& t) { return t.size() > 1; });
  return long_tokens >= 2;
}

}  // namespace vigie::intel::identity

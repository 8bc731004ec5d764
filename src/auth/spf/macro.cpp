// SPF macro-strings, RFC 7208 §7. This file owns both the syntax check (run on every term when a
// record is parsed, so that a bad macro anywhere is a permerror, §4.6) and the expansion (run when
// a term is evaluated, and for the explanation text). One tokenizer serves both so the two can
// never disagree on what is valid.
#include "auth/spf/macro.h"

#include <algorithm>
#include <vector>

#include "common/ascii.h"

namespace vigie::auth::spf {
namespace {

// More parts than any domain name has; larger DIGIT transformers are equivalent ("all parts").
constexpr unsigned kMaxTransformerDigits = 1000;

constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_delimiter(char c) {
  return c == '.' || c == '-' || c == '+' || c == ',' || c == '/' || c == '_' || c == '=';
}
// unreserved (RFC 3986 §2.3), the characters an upper-case macro leaves unescaped (§7.3).
constexpr bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || is_upper(c) || is_digit(c) || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

bool letter_allowed(char lower, MacroScope scope) {
  switch (lower) {
    case 's': case 'l': case 'o': case 'd': case 'i': case 'p': case 'h': case 'v':
      return true;
    case 'c': case 'r': case 't':
      return scope == MacroScope::kExplanation;  // §7.1: exp text only
    default:
      return false;
  }
}

// The i macro: dotted quad for IPv4; for IPv6 the 32 nibbles separated by dots (§7.3), upper-case
// hex like pyspf, against which the conformance suite's explanations (v-macro-ip6) were written;
// DNS names are case-insensitive, so queries are unaffected.
std::string dotted_ip(const IpAddress& ip) {
  if (ip.is_v4()) return ip.to_string();
  std::string out;
  out.reserve(63);
  for (std::uint8_t byte : ip.bytes) {
    if (!out.empty()) out += '.';
    out += ascii::hex_digit(byte >> 4, true);
    out += '.';
    out += ascii::hex_digit(byte, true);
  }
  return out;
}

std::string letter_value(char lower, const MacroContext& context) {
  switch (lower) {
    case 's': return std::string(context.sender);
    case 'l': return std::string(context.local_part);
    case 'o': return std::string(context.sender_domain);
    case 'd': return std::string(context.domain);
    case 'i': return dotted_ip(context.ip);
    case 'p': return context.validated_name ? context.validated_name() : std::string("unknown");
    case 'v': return context.ip.is_v4() ? "in-addr" : "ip6";
    case 'h': return std::string(context.helo);
    case 'c': return context.ip.to_string();
    case 'r': return context.receiver.empty() ? std::string("unknown") : std::string(context.receiver);
    case 't': return std::to_string(context.timestamp);
    default: return {};
  }
}

// §7.3: split on the delimiters (default "."), optionally reverse, keep the rightmost `keep`
// parts (0 = all), join with ".".
std::string transform(std::string_view value, unsigned keep, bool reverse,
                      std::string_view delimiters) {
  if (delimiters.empty()) delimiters = ".";
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= value.size(); ++i) {
    if (i == value.size() || delimiters.find(value[i]) != std::string_view::npos) {
      parts.push_back(value.substr(start, i - start));
      start = i + 1;
    }
  }
  if (reverse) std::reverse(parts.begin(), parts.end());
  std::size_t first = 0;
  if (keep != 0 && keep < parts.size()) first = parts.size() - keep;
  std::string out;
  for (std::size_t i = first; i < parts.size(); ++i) {
    if (i != first) out += '.';
    out += parts[i];
  }
  return out;
}

void url_escape_into(std::string_view value, std::string& out) {
  for (char c : value) {
    if (is_unreserved(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += ascii::hex_digit(byte >> 4, true);
      out += ascii::hex_digit(byte, true);
    }
  }
}

LocalizedText too_long_expansion() { return {"macro expansion too long", "expansion de macro trop longue"}; }

// Walks text once; with context == nullptr it only checks syntax.
MacroCheck walk(std::string_view text, MacroScope scope, const MacroContext* context,
                std::string* out) {
  MacroCheck check;
  auto invalid = [&](LocalizedText why) {
    check.valid = false;
    check.error = std::move(why.en);
    check.error_fr = std::move(why.fr);
    return check;
  };
  auto too_long = [&] { return out != nullptr && out->size() > kMaxMacroExpansion; };
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c != '%') {
      const bool visible = c >= 0x21 && c <= 0x7e;
      const bool space_ok = c == ' ' && scope == MacroScope::kExplanation;
      if (!visible && !space_ok) {
        const std::string hex{ascii::hex_digit(c >> 4), ascii::hex_digit(c)};
        return invalid({"character 0x" + hex + " is not allowed in a macro-string",
                        "le caractère 0x" + hex + " n'est pas permis dans une macro-string"});
      }
      if (out != nullptr) *out += c;
      check.ends_with_macro = false;
      ++i;
      continue;
    }
    if (i + 1 >= text.size()) return invalid({"'%' at the end of a macro-string", "'%' à la fin d'une macro-string"});
    const char next = text[i + 1];
    if (next == '%' || next == '_' || next == '-') {
      // §7.1: "%%" is '%', "%_" a space, "%-" a URL-encoded space.
      if (out != nullptr) *out += next == '%' ? "%" : next == '_' ? " " : "%20";
      check.ends_with_macro = true;
      i += 2;
      continue;
    }
    if (next != '{') {
      return invalid({"'%' must be followed by '{', '%', '_' or '-' (RFC 7208 §7.1)",
                      "'%' doit être suivi de '{', '%', '_' ou '-' (RFC 7208 §7.1)"});
    }
    std::size_t j = i + 2;
    if (j >= text.size()) return invalid({"unterminated macro", "macro non terminée"});
    const char letter = text[j];
    const char lower = to_lower(letter);
    if (!letter_allowed(lower, scope)) {
      const bool explanation_only = letter_allowed(lower, MacroScope::kExplanation);
      return invalid({std::string("macro letter '") + letter + "' is not allowed here" +
                          (explanation_only ? " (c, r and t only in explanations, RFC 7208 §7.1)" : ""),
                      std::string("la lettre de macro '") + letter + "' n'est pas permise ici" +
                          (explanation_only ? " (c, r et t seulement dans les explications, RFC 7208 §7.1)" : "")});
    }
    ++j;
    unsigned keep = 0;
    bool has_digits = false;
    while (j < text.size() && is_digit(text[j])) {
      has_digits = true;
      keep = std::min(kMaxTransformerDigits, keep * 10 + static_cast<unsigned>(text[j] - '0'));
      ++j;
    }
    // §7.3: "If a DIGIT is specified, the value MUST be nonzero."
    if (has_digits && keep == 0) {
      return invalid({"macro transformer 0 (must be nonzero)", "transformateur de macro 0 (doit être non nul)"});
    }
    bool reverse = false;
    if (j < text.size() && (text[j] == 'r' || text[j] == 'R')) {
      reverse = true;
      ++j;
    }
    const std::size_t delimiters_begin = j;
    while (j < text.size() && is_delimiter(text[j])) ++j;
    if (j >= text.size() || text[j] != '}') {
      return invalid({"malformed macro (expected '}')", "macro mal formée ('}' attendu)"});
    }
    if (out != nullptr && context != nullptr) {
      const std::string value = transform(letter_value(lower, *context), keep, reverse,
                                          text.substr(delimiters_begin, j - delimiters_begin));
      if (value.size() > kMaxMacroExpansion) return invalid(too_long_expansion());
      // §7.3: an upper-case letter means the value is URL-escaped.
      if (is_upper(letter)) {
        url_escape_into(value, *out);
      } else {
        *out += value;
      }
    }
    check.ends_with_macro = true;
    i = j + 1;
    if (too_long()) return invalid(too_long_expansion());
  }
  if (too_long()) return invalid(too_long_expansion());
  check.valid = true;
  return check;
}

}  // namespace

MacroCheck check_macro_string(std::string_view text, MacroScope scope) {
  return walk(text, scope, nullptr, nullptr);
}

Result<std::string> expand_macros(std::string_view text, MacroScope scope,
                                  const MacroContext& context) {
  std::string out;
  MacroCheck check = walk(text, scope, &context, &out);
  if (!check.valid) return fail(Error::invalid_argument_in_words({std::move(check.error), std::move(check.error_fr)}));
  return out;
}

}  // namespace vigie::auth::spf

// SPF macros (RFC 7208 §7): syntax checking of macro-strings and their expansion for one check.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/ip_address.h"
#include "vigie/result.h"

namespace vigie::auth::spf {

// Where a macro-string appears. The letters c, r and t are only allowed in explanation text
// (RFC 7208 §7.1), which may also contain spaces (explain-string = *( macro-string / SP )).
enum class MacroScope : std::uint8_t { kDomainSpec, kExplanation };

// The values the macro letters stand for during one check_host() call (RFC 7208 §7.2).
struct MacroContext {
  std::string_view sender;         // s: <sender>, local-part@domain
  std::string_view local_part;     // l
  std::string_view sender_domain;  // o
  std::string_view domain;         // d: the <domain> of the current check_host()
  IpAddress ip;               // i, c, v: the client, IPv4-mapped already unmapped
  std::string_view helo;           // h
  std::string_view receiver;       // r
  std::int64_t timestamp = 0;      // t
  // p: computed on first use only, as it costs DNS lookups (RFC 7208 §7.3, §5.5). Unset: "unknown".
  std::function<std::string()> validated_name;
};

struct MacroCheck {
  bool valid = false;
  // The last token is a macro-expand ("%{..}", "%%", "%_", "%-"): such a domain-spec needs no
  // literal top label (domain-end, RFC 7208 §7.1).
  bool ends_with_macro = false;
  std::string error;     // why it is invalid
  std::string error_fr;  // the same in French
};

// Syntax of a macro-string (§7.1): '%' must start "%{letter digits [r] delimiters}", "%%", "%_" or
// "%-"; literal characters are visible ASCII other than '%' (plus space in explanations).
MacroCheck check_macro_string(std::string_view text, MacroScope scope);

// Longest expansion produced; a longer one is an error (a bounded amount of work for any input).
inline constexpr std::size_t kMaxMacroExpansion = 8192;

// Expands text (§7.3–§7.4): transformers (rightmost N parts, reversal), delimiters, URL escaping
// for upper-case letters. Fails with the same errors as check_macro_string, or when the result
// would exceed kMaxMacroExpansion.
Result<std::string> expand_macros(std::string_view text, MacroScope scope,
                                  const MacroContext& context);

}  // namespace vigie::auth::spf

// An SPF record (RFC 7208 §4.5, §4.6, §5, §6, §12 ABNF) parsed and syntax-checked as a whole, before
// any term is evaluated — §4.6 requires syntax errors anywhere in the record to be found.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "vigie/result.h"

namespace vigie::auth::spf {

enum class Qualifier : std::uint8_t { kPass, kFail, kSoftFail, kNeutral };

enum class MechanismKind : std::uint8_t { kAll, kInclude, kA, kMx, kPtr, kIp4, kIp6, kExists };

struct Mechanism {
  std::string text;  // the term as written, for reasons shown to analysts
  Qualifier qualifier = Qualifier::kPass;
  MechanismKind kind = MechanismKind::kAll;
  // include, exists: always set; a, mx, ptr: empty means <domain> (§5.3–§5.5). Not yet expanded.
  std::string domain_spec;
  IpAddress network;  // ip4, ip6
  // ip4-cidr-length / ip6-cidr-length; defaults are the full lengths (§5.6).
  unsigned cidr4 = 32;
  unsigned cidr6 = 128;
};

struct Record {
  std::vector<Mechanism> mechanisms;      // in record order
  std::optional<std::string> redirect;    // domain-spec of redirect= (§6.1)
  std::optional<std::string> explanation; // domain-spec of exp= (§6.2)
};

// §4.5: the record starts with "v=spf1" (case-insensitive) followed by a space or its end.
bool is_spf_record(std::string_view text);

// Parses a record for which is_spf_record() is true. The error message is the permerror reason.
Result<Record> parse_record(std::string_view text);

// domain-spec (§7.1): a valid macro-string ending in a macro-expand or in "." toplabel ["."].
// Empty when valid, else the reason.
std::string domain_spec_error(std::string_view spec);
// The same problem in English and French (both empty when the domain-spec is valid).
LocalizedText domain_spec_problem(std::string_view spec);

}  // namespace vigie::auth::spf

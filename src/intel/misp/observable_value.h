// Checking one indicator value as a feed wrote it (a MISP attribute, a line of a list) and putting
// it in the form the matcher compares: domains lowercase ASCII (IDNA), IP addresses and networks
// in inet_ntop form, URLs with a scheme, hashes lowercase hex of the right length. Shared by the
// MISP importer and the list importers so that a value is judged the same whatever file carried it.
// Stateless and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "intel/indicators/indicator.h"
#include "vigie/result.h"

namespace vigie::intel::misp {

// What a value is declared to be. Coarser than ObservableType where the value itself tells the
// rest (an IP is v4 or v6 by its text).
enum class ValueKind {
  kDomain,
  kUrl,
  kIp,  // an address or a CIDR network, either family
  kEmailAddress,
  kEmailSubject,
  kFileName,
  kMd5,
  kSha1,
  kSha256,
  kSha512,
};

// The kind a list or a CSV type column names: the observable type names of indicator.h ("domain",
// "url", "ipv4", "email-address", "file-name", "sha256"...), the usual short forms ("ip",
// "hostname", "email", "filename", "subject", "cidr") and the MISP attribute types that carry a
// single value ("ip-dst", "email-src", "email-attachment"...). nullopt for anything else.
std::optional<ValueKind> value_kind_from_name(std::string_view name);

// The value in matcher form, or why it is not a `kind` (an English sentence quoting the value,
// clipped). Surrounding spaces are trimmed first; an empty value is refused.
Result<IndicatorValue> check_value(ValueKind kind, std::string_view text);

}  // namespace vigie::intel::misp

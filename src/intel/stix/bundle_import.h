// Import of STIX 2.1 bundles into vigie's indicator model (intel/indicators/indicator.h).
//
// Owns the reading of a bundle's JSON (nlohmann) and the mapping of `indicator` objects (with STIX
// patterns, parsed by intel/stix/pattern.h), their markings, producer and `indicates`
// relationships. It keeps nothing between calls and touches no store; it is thread-safe.
//
// What happens to each object:
// - `indicator` with pattern_type "stix": kept, unless its pattern does not parse, uses a
//   construct one message cannot satisfy (FOLLOWEDBY, WITHIN, REPEATS, START/STOP), tests only
//   object types a message has no instance of (x509-certificate, process...), or carries an
//   unreadable valid_from/valid_until: each of those is an ImportProblem naming the indicator id
//   and, for a pattern, the byte offset. Revoked and expired indicators are kept with their flags
//   and bounds (the store decides); `values` is filled only when the pattern is nothing but
//   equalities on indexable paths (see extract_equality_values), `pattern` always.
// - `indicator` with another pattern_type (sigma, snort, yara, suricata, pcre...): a problem.
// - `relationship` `indicates` from an indicator to an intrusion-set, campaign or malware: an
//   IntelLink on the indicator, named from the bundle (the target's id when it is not there).
// - `identity` and `marking-definition`: read for created_by_ref and object_marking_refs.
// - every other type: ignored without a problem (not an indicator).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

#include "intel/indicators/indicator.h"
#include "intel/stix/pattern.h"
#include "vigie/result.h"

namespace vigie::intel::stix {

struct BundleLimits {
  std::size_t max_bundle_bytes = 256u << 20;  // a larger file or buffer is refused unread
  std::size_t max_objects = 2'000'000;        // objects of one bundle
  PatternLimits pattern;                      // per indicator pattern
};

// Imports one bundle (or one bare STIX object) held in `json`. `where` names it in problems
// ("partner.json"). The error, when there is one, means nothing of the input can be trusted
// (malformed JSON with its byte offset, not STIX, over a limit); otherwise every object that
// could not be taken is a problem in the result.
[[nodiscard]] Result<ImportResult> import_bundle(std::string_view json, std::string_view where,
                                                 const BundleLimits& limits = {});

// The same from a file; `where` is the file name. An unreadable file is an I/O error.
[[nodiscard]] Result<ImportResult> import_bundle_file(const std::filesystem::path& path,
                                                      const BundleLimits& limits = {});

// The TLP of a marking-definition id fixed by the STIX 2.1 specification (§7.2.1.4, TLP 1.0) or
// by the TLP 2.0 extension (FIRST TLP 2.0 marking definitions); kUnknown for any other id.
Tlp tlp_of_marking_id(std::string_view marking_definition_id);

}  // namespace vigie::intel::stix

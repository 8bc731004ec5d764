// Name-based UUIDs (RFC 4122 §4.3, version 5: SHA-1), for the deterministic ids of the exports.
#pragma once

#include <string>
#include <string_view>

namespace vigie::intel::sharing {

// The STIX 2.1 namespace for SCO ids (§2.9).
inline constexpr std::string_view kStixScoNamespace = "00abedb4-aa42-466c-9c01-fed23315a9b7";
// vigie's own namespace, for the ids of the objects vigie makes (identity, sightings, indicators,
// observed-data, MISP events and attributes).
inline constexpr std::string_view kVigieNamespace = "1c3f8d7e-52a4-4b0e-9f61-2d7a8e4c0b95";

// The lowercase UUID of `name` in `namespace_uuid` (itself in the 8-4-4-4-12 form; an invalid
// namespace is a bug and throws std::invalid_argument).
std::string uuid5(std::string_view namespace_uuid, std::string_view name);

}  // namespace vigie::intel::sharing

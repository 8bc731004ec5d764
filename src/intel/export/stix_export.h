// Detections as a STIX 2.1 bundle, to share back what vigie saw with the partners who shared
// indicators (a CERT, a sector ISAC). One bundle holds:
//   - an `identity` for the producer (ExportOptions::producer), the created_by_ref of everything,
//     and where every sighting was made;
//   - the TLP 2.0 `marking-definition` of ExportOptions::tlp, on every object that can carry one;
//   - per detection, one `observed-data` whose object_refs are the SCOs of the message's
//     observables (email-message, email-addr, domain-name, url, ipv4-addr/ipv6-addr, file with
//     its hashes and name);
//   - per indicator matched, a `sighting` of it: sighting_of_ref is the partner's indicator id
//     when it is a STIX one; for MISP and list indicators a derived `indicator` (its pattern made
//     from the value matched, an external reference to the original id) is written so that the
//     ref resolves in the bundle;
//   - for detections whose verdict is warn or stronger, new `indicator`s derived from the message
//     (the sender's address, every URL, every file's SHA-256) with a `based-on` relationship to
//     the observed-data.
// Ids are deterministic: SCOs by UUIDv5 over their id-contributing properties (STIX 2.1 §2.9),
// the other objects by UUIDv5 in vigie's own namespace over what they stand for, so exporting
// the same detections twice gives the same ids. Timestamps are RFC 3339 UTC with milliseconds.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "intel/export/detection.h"
#include "intel/indicators/indicator.h"

namespace vigie::intel::sharing {

struct ExportOptions {
  std::string producer = "vigie";  // [export] producer: the identity that made the export
  Tlp tlp = Tlp::kAmber;           // [export] tlp; kUnknown reads as TLP:AMBER
  std::int64_t now = 0;            // the export's time (created, modified); 0: the current time
};

// The bundle as pretty-printed JSON (two-space indent), ending in a newline.
std::string export_stix_bundle(std::span<const Detection> detections, const ExportOptions& options);

// `unix_seconds` as RFC 3339 UTC with milliseconds: "2026-12-07T17:42:36.000Z".
std::string rfc3339_millis(std::int64_t unix_seconds);
// ExportOptions::now, or the current time when it is 0.
std::int64_t export_time(const ExportOptions& options);

// The TLP 2.0 marking-definition id of a level ("marking-definition--55d920b0-..." for AMBER);
// TLP:AMBER's for kUnknown.
std::string_view tlp2_marking_id(Tlp tlp);

// A STIX pattern that says "this value": "[domain-name:value = 'evil.example']",
// "[file:hashes.'SHA-256' = '…']"; quotes and backslashes in the value escaped.
std::string stix_pattern_of(ObservableType type, std::string_view value);

// The TLP level named by "clear", "white", "green", "amber", "amber+strict", "red", with or
// without "TLP:" and in any case; false when it names none.
bool parse_tlp(std::string_view name, Tlp& out);

}  // namespace vigie::intel::sharing

// What a scanned message leaves behind once its scan ends: the event store's row (metadata,
// verdict, findings with the object each was seen in, an objects summary) built from the scan
// result while its views are still alive. Shared by scan_message() and the quarantine, so that a
// held message's findings read exactly like its event's. Never the body.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/event_store.h"
#include "vigie/engine.h"

namespace vigie::service {

// Every finding with its group, contribution and the path of the object of its first evidence
// ("message" when it has none), in the order the engine reported them.
std::vector<store::EventFinding> event_findings(const ScanResult& result);
// The same as a JSON array of {id, group, score, object}.
nlohmann::json findings_json(const std::vector<store::EventFinding>& findings);

// The event of one scanned message. `size` is the raw message's; `listener` "http" or "milter".
// A message worth sharing (warn or stronger, or a partner's indicator matched) carries its
// detection record (intel/export/detection.h), its observables read against the engine's
// organisation.
// Files in the objects summary carry their SHA-256 (memoized by the object: the JSON output of
// the same scan computes it anyway).
store::Event scan_event(const std::string& id, const ScanResult& result, const Envelope& envelope,
                        std::uint64_t size, std::uint64_t engine_generation, std::string_view listener,
                        const facts::OrganisationProfile& organisation);

}  // namespace vigie::service

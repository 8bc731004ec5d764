// MISP event JSON (draft-dulaunoy-misp-core-format) to vigie indicators: one event
// (`{"Event": {...}}`), a list of them, or a MISP API answer (`{"response": [...]}`). Every
// attribute of a type that can be seen in a message (domains, hosts, URLs, IPs and CIDRs, addresses,
// subjects, attachment names, MD5/SHA-1/SHA-256/SHA-512 and their filename| composites), at the
// event level and inside Objects, becomes one Indicator with id "misp:<event uuid>/<attribute uuid>".
// What is not taken is accounted for: attributes not meant for detection (to_ids false), deleted
// ones and types that do not apply to mail are counted in MispCounts; values that are malformed for
// their type are ImportProblems whose `where` is "<file>:<event uuid>:<attribute uuid>".
// Owns no state; thread-safe. Reads only the bytes given; the feed reader (misp_feed.h) fetches them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "intel/indicators/indicator.h"

namespace vigie::intel::misp {

// Bounds on one import; the input is untrusted (a partner's feed, a file an analyst was sent).
struct MispLimits {
  std::size_t max_event_bytes = 64u << 20;  // one JSON document (an event file, a manifest)
  std::size_t max_json_depth = 64;          // nesting of arrays and objects in one document
  std::size_t max_attributes = 2'000'000;   // attributes read in one import, all events together
  std::size_t max_events = 100'000;         // events read in one import (feed manifest entries)
  std::uint64_t max_feed_bytes = 2ull << 30;  // all the files of one feed together
};

struct MispOptions {
  MispLimits limits;
  // MISP marks an event published when its creator released it; a draft is counted and skipped
  // unless asked for.
  bool include_unpublished = false;
};

// What an import saw besides the indicators and problems it returns.
struct MispCounts {
  std::size_t events = 0;              // events read (unpublished ones included)
  std::size_t unpublished_events = 0;  // skipped drafts (include_unpublished false)
  std::size_t attributes = 0;          // attributes read, event level and in objects
  std::size_t indicators = 0;          // attributes taken as indicators
  std::size_t not_for_detection = 0;   // to_ids false: context, not something to alert on
  std::size_t deleted = 0;             // deleted attributes, or attributes of deleted objects
  std::size_t other_types = 0;         // types that do not apply to mail; by type below
  std::size_t malformed = 0;           // attributes reported as problems
  std::map<std::string, std::size_t> other_types_by_name;  // "regkey" -> 3
};

struct MispImport {
  ImportResult result;
  MispCounts counts;
};

// Imports every event in `json`. `where` names the input in problems (a file name or URL).
// Never fails: a document that is not JSON, too large or too deep is one problem; an event without
// uuid is one problem and is skipped; counts and problems add up to every attribute read.
MispImport import_misp_events(std::string_view json, std::string_view where, const MispOptions& options = {});

// Adds the events in `json` to `into` (the feed reader uses this to gather many files in one import;
// limits on counts apply to the total).
void add_misp_events(std::string_view json, std::string_view where, const MispOptions& options, MispImport& into);

}  // namespace vigie::intel::misp

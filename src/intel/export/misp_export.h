// Detections as one MISP event (MISP core format, {"Event": {...}}), for partners who share
// through MISP. The event: info saying what vigie detected and when, date of the first
// detection, threat_level_id from the strongest verdict (reject or quarantine: high, warn:
// medium, else low), analysis "2" (complete: these are the engine's conclusions), distribution
// from the TLP (CLEAR: all communities, GREEN: connected communities, AMBER and AMBER+STRICT:
// this community, RED: your organisation only), the TLP as a tag ("tlp:amber"), Orgc the producer.
// Attributes: each distinct observable (email-src, domain, url, ip-src, md5/sha1/sha256,
// filename, email-subject), to_ids true for the values vigie derives indicators from (the
// sender's address, URLs and file hashes of a warn-or-stronger detection) and for values that
// matched a partner's indicator; the comment names the message. A value that matched a MISP
// attribute carries a Sighting (type "0", seen) naming that attribute's uuid.
#pragma once

#include <span>
#include <string>

#include "intel/export/detection.h"
#include "intel/export/stix_export.h"

namespace vigie::intel::sharing {

// The event as pretty-printed JSON (two-space indent), ending in a newline.
std::string export_misp_event(std::span<const Detection> detections, const ExportOptions& options);

}  // namespace vigie::intel::sharing

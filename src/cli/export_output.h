// What `vigie scan --export` and `vigie intel export` share: the export's options from [export]
// and the command line, the format chosen, and where the export is written.
#pragma once

#include <span>
#include <string>

#include "intel/export/detection.h"
#include "intel/export/stix_export.h"
#include "vigie/config.h"

namespace vigie::cli {

// [export] producer and tlp, the tlp replaced by `tlp_override` when given; false after saying
// why when the override names no TLP level (the configuration's was checked when it was read).
bool export_options(const Config& config, const std::string& tlp_override, intel::sharing::ExportOptions& out);

// "stix": a STIX 2.1 bundle; "misp": a MISP event.
std::string render_export(const std::string& format, std::span<const intel::sharing::Detection> detections,
                          const intel::sharing::ExportOptions& options);

// Writes the export to `path` (replaced whole, readable by its owner and group only: it is
// marked TLP), or to stdout when path is empty or "-"; false after saying why.
bool write_export(const std::string& path, const std::string& text);

}  // namespace vigie::cli

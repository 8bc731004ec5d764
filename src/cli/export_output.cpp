// The export's options, format and destination for the commands that share detections.
#include "cli/export_output.h"

#include <cstdio>

#include "cli/status_line.h"
#include "common/atomic_file.h"
#include "intel/export/misp_export.h"

namespace vigie::cli {

bool export_options(const Config& config, const std::string& tlp_override, intel::sharing::ExportOptions& out) {
  out.producer = config.exports.producer;
  const std::string& level = tlp_override.empty() ? config.exports.tlp : tlp_override;
  if (!intel::sharing::parse_tlp(level, out.tlp)) {
    say("unknown TLP level '" + level + "' (clear, green, amber, amber+strict, red)");
    return false;
  }
  return true;
}

std::string render_export(const std::string& format, std::span<const intel::sharing::Detection> detections,
                          const intel::sharing::ExportOptions& options) {
  return format == "misp" ? intel::sharing::export_misp_event(detections, options)
                          : intel::sharing::export_stix_bundle(detections, options);
}

bool write_export(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    const bool written = std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && std::fflush(stdout) == 0;
    if (!written) say("cannot write the export");
    return written;
  }
  const Result<void> written = replace_file(path, text, 0640, "the export");
  if (!written) say(written.error().message);
  return static_cast<bool>(written);
}

}  // namespace vigie::cli

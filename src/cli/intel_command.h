// `vigie intel import|list|stats|remove`: the indicator store from the command line. The store is
// `--store PATH`, else `[analyzers.intelligence] store` of `--config`. The work is the library's
// (src/intel/indicators); this file parses nothing and prints what the store says.
// `vigie intel export`: the detections `vigie serve` recorded in its event store (`--events PATH`,
// else [events] path of `--config`) as a STIX bundle or a MISP event (src/intel/export).
#pragma once

#include <string>

namespace vigie::cli {

struct IntelOptions {
  std::string action;  // "import", "list", "stats", "remove", "export"
  std::string store_path;
  std::string config_path;
  std::string feed;      // the feed's name (import, remove; list filters on it)
  std::string source;    // import: file, folder or http(s) URL
  std::string format = "auto";  // import: auto, stix, misp, misp-feed, list, csv
  std::string type;      // import of a list: the observable type of its values
  std::string auth_header_file;  // import over HTTP: a file holding the Authorization value
  bool json = false;     // list, stats: JSON instead of text
  // export
  std::string events_path;
  std::string since, until;  // YYYY-MM-DD (UTC, until inclusive) or RFC 3339 date-time
  std::string export_format = "stix";  // stix, misp
  std::string tlp;           // overrides [export] tlp
  std::string output;        // file; empty or "-": stdout
};

int run_intel(const IntelOptions& options);

}  // namespace vigie::cli

// `vigie intel import|list|stats|remove`: the indicator store from the command line. The store is
// `--store PATH`, else `[analyzers.intelligence] store` of `--config`. The work is the library's
// (src/intel/indicators); this file parses nothing and prints what the store says.
#pragma once

#include <string>

namespace vigie::cli {

struct IntelOptions {
  std::string action;  // "import", "list", "stats", "remove"
  std::string store_path;
  std::string config_path;
  std::string feed;      // the feed's name (import, remove; list filters on it)
  std::string source;    // import: file, folder or http(s) URL
  std::string format = "auto";  // import: auto, stix, misp, misp-feed, list, csv
  std::string type;      // import of a list: the observable type of its values
  std::string auth_header_file;  // import over HTTP: a file holding the Authorization value
  bool json = false;     // list, stats: JSON instead of text
};

int run_intel(const IntelOptions& options);

}  // namespace vigie::cli

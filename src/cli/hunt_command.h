// `vigie hunt --intel FEED... ARCHIVE...`: the retro-hunt from the command line. Imports the feeds
// into a private store (or takes --store, or adds them to a private copy of it), scans the archives (mbox files, Maildir folders,
// directories of .eml, single messages) in parallel with the intelligence alone (or every analyzer)
// and prints what matched. The work is the library's (service/hunt, service/batch, intake/,
// intel/indicators); this file handles options, temporary files and printing.
#pragma once

#include <string>
#include <vector>

namespace vigie::cli {

struct HuntOptions {
  std::vector<std::string> feeds;  // --intel: STIX bundles, MISP events or feeds, lists
  std::string feed_format = "auto";  // --intel-format, for every feed
  std::string feed_type;             // --intel-type: the observable type of plain and CSV lists
  std::string store_path;            // --store: an existing store, alone or with the feeds
  std::vector<std::string> archives;
  std::string config_path;
  bool all_analyzers = false;
  unsigned jobs = 0;                 // 0: one per core
  bool progress = true;
  // --output FORMAT FILE, repeatable: pairs of (format, file); "-" is standard output.
  std::vector<std::string> outputs;
  std::size_t rows = 20;             // rows of each summary table
};

int run_hunt(const HuntOptions& options);

}  // namespace vigie::cli

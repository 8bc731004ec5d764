// One entry point for every feed format `vigie intel import` takes: it works out the format when
// asked to (a URL or a folder with manifest.json is a MISP feed; a JSON file is a STIX bundle or a
// MISP event by its content; a .csv file is a CSV list; anything else needs --type and is a plain
// list), reads it with the importer of that format and returns what it read with its problems. An
// error means nothing usable was read (a file that cannot be opened, a format that cannot be
// recognised, a bundle that is not JSON): the store is then left as it was.
#pragma once

#include <string>
#include <vector>

#include "intel/indicators/indicator.h"
#include "vigie/limits.h"
#include "vigie/result.h"

namespace vigie::intel {

struct ImportRequest {
  std::string format = "auto";  // auto, stix, misp, misp-feed, list, csv
  std::string location;         // file, folder, or http(s) URL of a MISP feed
  std::string type;             // plain and CSV lists: the observable type ("domain", "url", "ipv4"...)
  std::string auth_header_file;  // MISP feed over HTTP: a file whose first line is the Authorization value
  Limits limits;                 // the intel_* keys bound what is read ([limits] of --config, else defaults)
};

struct ImportedFeed {
  std::string kind;  // the format read: stix, misp, misp-feed, list, csv
  ImportResult result;
  // What was read but is not an indicator, in words ("12 attributes not for detection (to_ids
  // false)"): counted, not problems.
  std::vector<std::string> notes;
};

Result<ImportedFeed> import_source(const ImportRequest& request);

}  // namespace vigie::intel

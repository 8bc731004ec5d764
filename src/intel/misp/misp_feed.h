// MISP feeds: a folder or an HTTP(S) location holding manifest.json (an object keyed by event uuid)
// and one <event uuid>.json per event, as MISP publishes them ("feed" export, PyMISP feed
// generator). Every event the manifest lists is read and imported with misp_import.h; an event
// file that is missing, unreadable, too large or broken is a problem for that event only. The
// manifest itself is what makes a feed: without a readable one the import fails as a whole, so the
// store keeps its previous state.
// Over the network: libcurl, http and https only, TLS verification always on, connect and total
// timeouts, a byte bound per file and per feed, at most 3 redirects. A MISP API key is read from a
// file (never from the configuration text) and sent as the Authorization header, never over plain
// http except to the loopback interface.
// Thread-safe: no shared state besides curl's one-time global initialisation.
#pragma once

#include <chrono>
#include <string>

#include "intel/misp/misp_import.h"
#include "vigie/result.h"

namespace vigie::intel::misp {

struct MispFeedOptions {
  MispOptions import;
  // A file holding the MISP API key (first line; surrounding blanks ignored); empty: none sent.
  std::string authorization_file;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds transfer_timeout{120'000};  // per file
  // PEM bundle to verify the feed's certificate with instead of the system store (a private CA).
  std::string ca_file;
};

// Imports the feed at `location`: a directory, or an http:// or https:// URL of the directory
// (with or without the trailing slash). Fails (Error::io / Error::config / Error::limit) when the
// manifest cannot be fetched or is not a JSON object, or the options are unusable (unreadable key
// file, a key over plain http to another host); otherwise per-event trouble is in the problems.
Result<MispImport> import_misp_feed(const std::string& location, const MispFeedOptions& options = {});

}  // namespace vigie::intel::misp

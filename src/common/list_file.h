// Reading the files a configuration names (lists, models, zones, trust anchors): one place that
// says why a path cannot serve as such a file — missing, a directory, not a regular file, not
// readable, too large — in the same words everywhere, so a site's mistake reads the same whether
// load_config() finds it or an analyzer's prepare() does. A directory opens as an empty stream on
// Linux; without this check a list named by its folder would load as an empty list.
#pragma once

#include <cstdint>
#include <string>

#include "vigie/result.h"

namespace vigie {

// Largest list file read whole (the shipped lists are below 1 MiB each).
inline constexpr std::uint64_t kMaxConfigFileBytes = 16u << 20;

// Why `path` cannot be read as a file, "" when it can (it exists, is a regular file or a link to
// one, and opens for reading).
std::string file_problem(const std::string& path);

// Why `path` cannot be used as a directory, "" when it can.
std::string directory_problem(const std::string& path);

// The whole content of `path`, refused (Error::config naming the path) when file_problem() finds
// a problem or it holds more than max_bytes.
Result<std::string> read_config_file(const std::string& path, std::uint64_t max_bytes);

}  // namespace vigie

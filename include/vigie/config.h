// Configuration: typed structs with built-in defaults, so every command works without a file.
// load_config() reads TOML and rejects unknown keys and wrong types with "file:line:column: key:
// message" errors. Later stages add sections (organisation, policy lists, DNS).
#pragma once

#include <string>
#include <vector>

#include "vigie/limits.h"
#include "vigie/verdict.h"
#include "vigie/result.h"

namespace vigie {

struct PolicyConfig {
  // Minimum score for each action; a message below tag_at is accepted.
  double tag_at = 4;
  double warn_at = 7;
  double quarantine_at = 12;
  double reject_at = 20;
};

struct AnalyzerConfig {
  std::vector<std::string> disabled;  // analyzer names not run
};

struct Config {
  Limits limits;
  PolicyConfig policy;
  AnalyzerConfig analyzers;
  std::string source;  // file it was read from, empty for built-in defaults
};

// Reads and validates a TOML configuration file over the built-in defaults.
Result<Config> load_config(const std::string& path);

}  // namespace vigie

// Configuration: typed structs with built-in defaults, so every command works without a file.
// load_config() reads TOML and rejects unknown keys and wrong types with "file:line:column: key:
// message" errors. Later stages add sections (organisation, policy lists).
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

// [dns]: live DNS for sender authentication (used with `vigie scan --dns` or --dns-server).
struct DnsConfig {
  unsigned timeout_ms = 3000;               // one attempt of one lookup
  unsigned retries = 1;                     // further attempts after a timeout or SERVFAIL
  unsigned max_queries_per_message = 50;    // lookups of all checks of one message together
  unsigned message_budget_ms = 10000;       // time all lookups of one message may take
  std::vector<std::string> servers;         // forwarders "IP[:PORT]"; empty: /etc/resolv.conf
  std::string trust_anchor_file;            // DNSSEC validation with this anchor when set
};

// [relays]: the organisation's own mail relays. Without an envelope client IP, the client is read
// from the Received chain, skipping hops whose client is one of these (see
// src/auth/stage/client_identity.h).
struct RelayConfig {
  std::vector<std::string> trusted;  // IP addresses or CIDR networks ("192.0.2.0/24", "2001:db8::/32")
};

struct Config {
  Limits limits;
  PolicyConfig policy;
  AnalyzerConfig analyzers;
  DnsConfig dns;
  RelayConfig relays;
  std::string source;  // file it was read from, empty for built-in defaults
};

// Reads and validates a TOML configuration file over the built-in defaults.
Result<Config> load_config(const std::string& path);

}  // namespace vigie

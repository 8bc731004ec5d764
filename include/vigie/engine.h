// The engine: runs the scan pipeline on one message.
//
//   raw bytes + Envelope → ParsedMessage → authentication → analyzers (registry) → Verdict
//
// An Engine is built once from a Config and is immutable afterwards: scan() is const and may be
// called from many threads at once, each scan owning its own ParsedMessage.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vigie/auth.h"
#include "vigie/config.h"
#include "vigie/finding.h"
#include "vigie/message.h"
#include "vigie/verdict.h"

namespace vigie {
namespace auth {
struct AuthSettings;
namespace dns {
class Resolver;
}
}  // namespace auth

// What the MTA (or the operator, for an archive) knows about the delivery, not in the message.
struct Envelope {
  std::string client_ip;
  std::string helo;
  std::string mail_from;
  std::vector<std::string> recipients;
  std::string queue_id;
};

// Read-only inputs every analyzer gets besides the message.
struct ScanContext {
  const Envelope& envelope;
  const Config& config;
  const AuthResults& auth;
};

struct ScanResult {
  std::unique_ptr<ParsedMessage> message;
  AuthResults auth;
  std::vector<Finding> findings;
  Verdict verdict;
  std::uint64_t elapsed_us = 0;
};

class Engine {
 public:
  // Without a resolver, authentication does no lookup and reports "none" with the reason.
  // config.dns gives the per-message lookup budget, config.relays the trusted relays; an invalid
  // relay network (load_config() rejects them) throws std::invalid_argument.
  explicit Engine(Config config, std::shared_ptr<const auth::dns::Resolver> resolver = nullptr);
  ~Engine();
  const Config& config() const { return config_; }
  ScanResult scan(std::shared_ptr<const std::string> bytes, const Envelope& envelope) const;

 private:
  Config config_;
  std::shared_ptr<const auth::dns::Resolver> resolver_;
  std::shared_ptr<const auth::AuthSettings> auth_settings_;
};

}  // namespace vigie

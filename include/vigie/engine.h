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
#include <stdexcept>
#include <string>
#include <vector>

#include "vigie/auth.h"
#include "vigie/config.h"
#include "vigie/finding.h"
#include "vigie/message.h"
#include "vigie/services.h"
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
  // When the message was received (unix seconds), for signature expiry (DKIM x=); 0: now. An
  // analyst replaying an archived message sets it to the time of delivery.
  std::int64_t received_at = 0;
};

struct ScanResult {
  std::unique_ptr<ParsedMessage> message;
  AuthResults auth;
  std::vector<Finding> findings;
  Verdict verdict;
  std::uint64_t elapsed_us = 0;
};

namespace analyzers {
struct AnalyzerDescriptor;
class AnalyzerState;
}  // namespace analyzers
namespace intel::sender_history {
class SenderHistory;
}
namespace facts {
class OrganisationProfile;
}

// A configuration the engine cannot start with (an analyzer's list is unreadable or invalid).
class EngineConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Engine {
 public:
  // Without a resolver, authentication does no lookup and reports "none" with the reason.
  // config.dns gives the per-message lookup budget, config.relays the trusted relays.
  // Prepares every enabled analyzer (loading its lists, checking its [analyzers.<name>] section);
  // throws EngineConfigError listing every problem (each analyzer and file:line:column at fault)
  // when one cannot start, when a relay network is invalid (load_config() already rejects those)
  // or when [history] path is not a usable history.
  explicit Engine(Config config, Services services = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  const Config& config() const { return config_; }
  // After the verdict, scan() records the message's sender for its recipients in the sender
  // history (when configured and the message was accepted or tagged: see
  // intel/sender_history/scan_contacts.h).
  ScanResult scan(std::shared_ptr<const std::string> bytes, const Envelope& envelope) const;

 private:
  struct EnabledAnalyzer {
    const analyzers::AnalyzerDescriptor* descriptor;
    std::shared_ptr<const analyzers::AnalyzerState> state;
    double weight;
  };
  Config config_;
  Services services_;
  std::unique_ptr<const facts::OrganisationProfile> profile_;
  std::vector<EnabledAnalyzer> analyzers_;
  std::shared_ptr<const auth::AuthSettings> auth_settings_;
  std::shared_ptr<intel::sender_history::SenderHistory> history_;  // null without [history] path
};

}  // namespace vigie

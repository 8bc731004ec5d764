// The engine: runs the scan pipeline on one message.
//
//   raw bytes + Envelope → ParsedMessage → authentication → object tree (object analyzers and
//   extractors) → message facts → analyzers → Verdict
//
// An Engine is built once from a Config and injected Services and is immutable afterwards: scan()
// is const, has no side effect, and may be called from many threads at once, each scan owning its
// own ParsedMessage. What should happen after a verdict (recording the sender in the history) is
// the caller's to run: after_scan().
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
#include "vigie/object.h"
#include "vigie/services.h"
#include "vigie/verdict.h"

namespace vigie {

namespace facts {
class OrganisationProfile;
}

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
  ObjectTree objects;                        // views into *message: they live together
  std::vector<Finding> findings;
  std::vector<LimitCrossing> limits_reached;  // what was not examined, and why
  Verdict verdict;
  std::uint64_t elapsed_us = 0;
};

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
  // when [history] path is not a usable history, or when [lists] public_suffix_list cannot be
  // read or is not the list this process already uses (the list is the process's: see
  // ARCHITECTURE.md, "The public suffix list").
  explicit Engine(Config config, Services services = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  const Config& config() const;
  // The [organisation] section compiled once at start: the protected domains and people every
  // scan and every export of a detection reads.
  const facts::OrganisationProfile& organisation() const;
  ScanResult scan(std::shared_ptr<const std::string> bytes, const Envelope& envelope) const;
  // What follows a verdict, for the caller to run once the message is decided: recording the
  // sender for the recipients in the sender history (when configured and the message was
  // accepted or tagged, intel/sender_history/scan_contacts.h). Kept out of scan() so that
  // re-scanning an archive or a retro-hunt teaches the history nothing. A failed write never
  // fails: the history only makes later senders look familiar or new.
  void after_scan(const ScanResult& result, const Envelope& envelope) const;

 private:
  struct Impl;
  std::unique_ptr<const Impl> impl_;
};

}  // namespace vigie

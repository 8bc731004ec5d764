// The scan pipeline: parse (fully decoded, so every anomaly is known), authenticate the sender,
// work out the message facts, run every enabled analyzer (analyzers::run_analyzer: a throwing
// analyzer becomes an ANALYZER_ERROR finding and the scan goes on, so one bad detector never loses
// a message), then decide.
#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>

#include "analyzers/analyzer.h"
#include "auth/stage/authenticate.h"
#include "facts/organisation_profile.h"
#include "intel/sender_history/scan_contacts.h"
#include "verdict/scoring.h"
#include "vigie/engine.h"

namespace vigie {

namespace {

auth::AuthSettings auth_settings(const Config& config) {
  auth::AuthSettings settings;
  settings.budget.max_queries = config.dns.max_queries_per_message;
  settings.budget.max_time = std::chrono::milliseconds(config.dns.message_budget_ms);
  for (const std::string& text : config.relays.trusted) {
    const std::optional<IpNetwork> network = IpNetwork::parse(text);
    if (!network) throw EngineConfigError("relays.trusted: '" + text + "' is not an IP network");
    settings.trusted_relays.push_back(*network);
  }
  settings.config = config.auth;
  return settings;
}

}  // namespace

Engine::Engine(Config config, std::shared_ptr<const auth::dns::Resolver> resolver)
    : config_(std::move(config)),
      resolver_(std::move(resolver)),
      auth_settings_(std::make_shared<const auth::AuthSettings>(auth_settings(config_))) {
  Result<facts::OrganisationProfile> profile = facts::OrganisationProfile::compile(config_.organisation);
  if (!profile) throw EngineConfigError(profile.error().message);
  profile_ = std::make_unique<const facts::OrganisationProfile>(std::move(*profile));
  const analyzers::AnalyzerSetup setup{config_, *profile_};
  if (!config_.history.path.empty()) {
    auto history = intel::sender_history::open_configured(config_.history);
    if (!history) throw EngineConfigError(history.error().message);
    history_ = std::move(*history);
  }
  const auto& disabled = config_.analyzers.disabled;
  for (const analyzers::AnalyzerDescriptor* analyzer : analyzers::registry()) {
    if (std::find(disabled.begin(), disabled.end(), analyzer->name) != disabled.end()) continue;
    EnabledAnalyzer enabled{analyzer, nullptr, 1.0};
    if (const auto w = config_.analyzers.weights.find(analyzer->name);
        w != config_.analyzers.weights.end()) {
      enabled.weight = w->second;
    }
    if (analyzer->prepare != nullptr) {
      Result<std::shared_ptr<const analyzers::AnalyzerState>> state = analyzer->prepare(setup);
      if (!state) {
        throw EngineConfigError("analyzer " + std::string(analyzer->name) + ": " +
                                state.error().message);
      }
      enabled.state = std::move(*state);
    }
    analyzers_.push_back(std::move(enabled));
  }
}
Engine::~Engine() = default;

ScanResult Engine::scan(std::shared_ptr<const std::string> bytes, const Envelope& envelope) const {
  const auto start = std::chrono::steady_clock::now();
  ScanResult result;
  result.message = ParsedMessage::parse(std::move(bytes), config_.limits);
  result.message->decode_all();
  result.auth = auth::authenticate(*result.message, envelope, resolver_.get(), *auth_settings_);

  const facts::MessageFacts facts(*result.message, envelope, *profile_);
  const analyzers::ScanContext context{envelope, result.auth, facts};
  for (const EnabledAnalyzer& analyzer : analyzers_) {
    analyzers::run_analyzer(*analyzer.descriptor, analyzer.state.get(), analyzer.weight,
                            config_.analyzers, *result.message, context, result.findings);
  }
  result.verdict = verdict::decide(result.findings, config_.policy);
  if (history_) {
    // The history only makes later senders look familiar or new; a failed write must not fail
    // the scan of this message. The next write retries on the same store.
    (void)intel::sender_history::record_scan(*history_, facts, result.verdict);
  }
  result.elapsed_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start)
          .count());
  return result;
}

}  // namespace vigie

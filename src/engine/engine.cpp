// The scan pipeline: parse (fully decoded, so every anomaly is known), authenticate the sender, run
// every enabled analyzer, weigh its findings, then decide. An analyzer that throws is a bug in that
// analyzer: it becomes an ANALYZER_ERROR finding naming it and the scan goes on, so one bad detector
// never loses a message.
#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>

#include "analyzers/analyzer.h"
#include "auth/stage/authenticate.h"
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
      Result<std::shared_ptr<const analyzers::AnalyzerState>> state = analyzer->prepare(config_);
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

  const ScanContext context{envelope, config_, result.auth};
  analyzers::FindingSink sink(result.findings);
  for (const EnabledAnalyzer& analyzer : analyzers_) {
    const std::size_t first = result.findings.size();
    try {
      analyzer.descriptor->analyze(*result.message, context, analyzer.state.get(), sink);
    } catch (const std::exception& e) {
      sink.emit(verdict::FindingId::ANALYZER_ERROR,
                {Evidence{"analyzer:" + std::string(analyzer.descriptor->name), e.what()}});
    }
    for (std::size_t i = first; i < result.findings.size(); ++i) {
      Finding& f = result.findings[i];
      f.analyzer = std::string(analyzer.descriptor->name);
      if (const auto s = config_.analyzers.scores.find(f.id); s != config_.analyzers.scores.end()) {
        f.score = s->second;
      }
      f.score *= analyzer.weight * f.confidence;
    }
  }
  result.verdict = verdict::decide(result.findings, config_.policy);
  if (history_) {
    // The history only makes later senders look familiar or new; a failed write must not fail
    // the scan of this message. The next write retries on the same store.
    (void)intel::sender_history::record_scan(*history_, *result.message, envelope,
                                             config_.organisation, result.verdict);
  }
  result.elapsed_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start)
          .count());
  return result;
}

}  // namespace vigie

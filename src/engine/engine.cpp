// The scan pipeline: parse (fully decoded, so every anomaly is known), authenticate the sender, run
// every enabled analyzer, then decide. An analyzer that throws is a bug in that analyzer: it
// becomes an ANALYZER_ERROR finding naming it and the scan goes on, so one bad detector never loses
// a message.
#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>

#include "analyzers/analyzer.h"
#include "auth/stage/authenticate.h"
#include "verdict/scoring.h"
#include "vigie/engine.h"

namespace vigie {

namespace {

auth::AuthSettings auth_settings(const Config& config) {
  auth::AuthSettings settings;
  settings.budget.max_queries = config.dns.max_queries_per_message;
  settings.budget.max_time = std::chrono::milliseconds(config.dns.message_budget_ms);
  for (const std::string& text : config.relays.trusted) {
    const std::optional<auth::IpNetwork> network = auth::IpNetwork::parse(text);
    if (!network) throw std::invalid_argument("relays.trusted: '" + text + "' is not an IP network");
    settings.trusted_relays.push_back(*network);
  }
  return settings;
}

}  // namespace

Engine::Engine(Config config, std::shared_ptr<const auth::dns::Resolver> resolver)
    : config_(std::move(config)),
      resolver_(std::move(resolver)),
      auth_settings_(std::make_shared<const auth::AuthSettings>(auth_settings(config_))) {}
Engine::~Engine() = default;

ScanResult Engine::scan(std::shared_ptr<const std::string> bytes, const Envelope& envelope) const {
  const auto start = std::chrono::steady_clock::now();
  ScanResult result;
  result.message = ParsedMessage::parse(std::move(bytes), config_.limits);
  result.message->decode_all();
  result.auth = auth::authenticate(*result.message, envelope, resolver_.get(), *auth_settings_);

  const ScanContext context{envelope, config_, result.auth};
  analyzers::FindingSink sink(result.findings);
  const auto& disabled = config_.analyzers.disabled;
  for (const analyzers::AnalyzerDescriptor* analyzer : analyzers::registry()) {
    if (std::find(disabled.begin(), disabled.end(), analyzer->name) != disabled.end()) continue;
    try {
      analyzer->analyze(*result.message, context, sink);
    } catch (const std::exception& e) {
      sink.emit(verdict::FindingId::ANALYZER_ERROR,
                {Evidence{"analyzer:" + std::string(analyzer->name), e.what()}});
    }
  }
  result.verdict = verdict::decide(result.findings, config_.policy);
  result.elapsed_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start)
          .count());
  return result;
}

}  // namespace vigie

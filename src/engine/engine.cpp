// The scan pipeline: parse (fully decoded, so every anomaly is known), authenticate the sender,
// work out the message facts, run every enabled analyzer (analyzers::run_analyzer: a throwing
// analyzer becomes an ANALYZER_ERROR finding and the scan goes on, so one bad detector never loses
// a message), then decide.
#include <algorithm>
#include <chrono>

#include "analyzers/analyzer.h"
#include "auth/stage/authenticate.h"
#include "config/section.h"
#include "facts/organisation_profile.h"
#include "intel/sender_history/scan_contacts.h"
#include "intel/shared/shared_lists.h"
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

const analyzers::AnalyzerDescriptor* find_analyzer(std::string_view name) {
  for (const analyzers::AnalyzerDescriptor* analyzer : analyzers::registry()) {
    if (analyzer->name == name) return analyzer;
  }
  return nullptr;
}

// Every analyzer name the [analyzers] table uses (disabled, weights, sections) must exist; the
// configuration reader cannot tell, since it does not know the analyzers.
void check_analyzer_names(const ConfigSection& table, std::vector<std::string>& errors) {
  const ConfigSection::Data* data = table.data();
  if (data == nullptr) return;
  const auto check = [&](const toml::node& node, std::string_view name, const std::string& key) {
    if (find_analyzer(name) == nullptr) {
      errors.push_back(config::located_error(data->file, node, key, "unknown analyzer '" + std::string(name) + "'"));
    }
  };
  for (const auto& [key, node] : *data->table) {
    const std::string full = "analyzers." + std::string(key.str());
    if (key.str() == "disabled") {
      if (const toml::array* names = node.as_array()) {
        for (const toml::node& item : *names) {
          if (const auto name = item.value<std::string>()) check(item, *name, full);
        }
      }
    } else if (key.str() == "weights") {
      if (const toml::table* weights = node.as_table()) {
        for (const auto& [name, value] : *weights) check(value, name.str(), full + "." + std::string(name.str()));
      }
    } else if (node.is_table()) {
      check(node, key.str(), full);
    }
  }
}

}  // namespace

std::shared_ptr<const Clock> Clock::system() {
  class SystemClock final : public Clock {
   public:
    std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
    std::chrono::steady_clock::time_point steady_now() const override { return std::chrono::steady_clock::now(); }
  };
  static const std::shared_ptr<const Clock> kSystem = std::make_shared<const SystemClock>();
  return kSystem;
}

Engine::Engine(Config config, Services services)
    : config_(std::move(config)),
      services_(std::move(services)),
      auth_settings_(std::make_shared<const auth::AuthSettings>(auth_settings(config_))) {
  if (!services_.clock) services_.clock = Clock::system();
  Result<facts::OrganisationProfile> profile = facts::OrganisationProfile::compile(config_.organisation);
  if (!profile) throw EngineConfigError(profile.error().message);
  profile_ = std::make_unique<const facts::OrganisationProfile>(std::move(*profile));
  if (!config_.history.path.empty()) {
    auto history = intel::sender_history::open_configured(config_.history);
    if (!history) throw EngineConfigError(history.error().message);
    history_ = std::move(*history);
  }

  // Every analyzer is prepared and every error collected, so a configuration is fixed in one pass.
  std::vector<std::string> errors;
  check_analyzer_names(config_.analyzers.table, errors);
  intel::SharedLists lists(config_);
  const auto& disabled = config_.analyzers.disabled;
  for (const analyzers::AnalyzerDescriptor* analyzer : analyzers::registry()) {
    if (std::find(disabled.begin(), disabled.end(), analyzer->name) != disabled.end()) continue;
    EnabledAnalyzer enabled{analyzer, nullptr, 1.0};
    if (const auto w = config_.analyzers.weights.find(analyzer->name); w != config_.analyzers.weights.end()) {
      enabled.weight = w->second;
    }
    const auto section = config_.analyzers.sections.find(analyzer->name);
    config::SectionReader settings(section == config_.analyzers.sections.end() ? ConfigSection{} : section->second);
    if (analyzer->prepare != nullptr) {
      const analyzers::AnalyzerSetup setup{config_, settings, *profile_, services_, lists};
      Result<std::shared_ptr<const analyzers::AnalyzerState>> state = analyzer->prepare(setup);
      if (!state) {
        errors.push_back("analyzer " + std::string(analyzer->name) + ": " + state.error().message);
        continue;
      }
      enabled.state = std::move(*state);
    }
    if (Result<void> checked = settings.finish(); !checked) {
      errors.push_back(checked.error().message);
      continue;
    }
    analyzers_.push_back(std::move(enabled));
  }
  if (!errors.empty()) {
    std::string all;
    for (const std::string& e : errors) all += (all.empty() ? "" : "\n") + e;
    throw EngineConfigError(all);
  }
}
Engine::~Engine() = default;

ScanResult Engine::scan(std::shared_ptr<const std::string> bytes, const Envelope& envelope) const {
  const auto start = services_.clock->steady_now();
  ScanResult result;
  result.message = ParsedMessage::parse(std::move(bytes), config_.limits);
  result.message->decode_all();
  result.auth = auth::authenticate(*result.message, envelope, services_.resolver.get(), *auth_settings_);

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
      std::chrono::duration_cast<std::chrono::microseconds>(services_.clock->steady_now() - start).count());
  return result;
}

}  // namespace vigie

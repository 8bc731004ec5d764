// The scan pipeline: parse (fully decoded, so every anomaly is known), authenticate the sender,
// build the object tree and run the object queue, work out the message facts, run every enabled
// analyzer (analyzers::run_analyzer: a throwing analyzer becomes an ANALYZER_ERROR finding and the
// scan goes on, so one bad detector never loses a message) until [limits] max_analysis_ms, then
// decide, naming the known intrusion sets the evidence points at (intel/attack/attribution.h).
// Engine::after_scan runs what follows a verdict (the sender-history recorder).
#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>

#include "analyzers/analyzer.h"
#include "engine/object_queue.h"
#include "auth/stage/authenticate.h"
#include "common/list_file.h"
#include "config/section.h"
#include "facts/organisation_profile.h"
#include "intel/attack/attack_knowledge.h"
#include "intel/attack/attribution.h"
#include "intel/sender_history/scan_contacts.h"
#include "intel/shared/shared_lists.h"
#include "objects/magic_types.h"
#include "parse/url/public_suffix_list.h"
#include "verdict/scoring.h"
#include "vigie/engine.h"

namespace vigie {

namespace {

// The networks of a configuration list (checked by config check; a bug if one does not parse).
std::vector<IpNetwork> networks(const std::vector<std::string>& texts, std::string_view key) {
  std::vector<IpNetwork> out;
  for (const std::string& text : texts) {
    const std::optional<IpNetwork> network = IpNetwork::parse(text);
    if (!network) throw EngineConfigError(std::string(key) + ": '" + text + "' is not an IP network");
    out.push_back(*network);
  }
  return out;
}

auth::AuthSettings auth_settings(const Config& config) {
  auth::AuthSettings settings;
  settings.budget.max_queries = config.dns.max_queries_per_message;
  settings.budget.max_time = std::chrono::milliseconds(config.dns.message_budget_ms);
  settings.trusted_relays = networks(config.relays.trusted, "relays.trusted");
  settings.internal_networks = networks(config.organisation.internal_networks, "organisation.internal_networks");
  settings.config = config.auth;
  return settings;
}

// A message analyzer or an object analyzer: both are configured in [analyzers].
bool is_analyzer(std::string_view name) {
  for (const analyzers::AnalyzerDescriptor* analyzer : analyzers::registry()) {
    if (analyzer->name == name) return true;
  }
  for (const analyzers::ObjectAnalyzerDescriptor* analyzer : analyzers::object_registry()) {
    if (analyzer->name == name) return true;
  }
  return false;
}

// Every analyzer name the [analyzers] table uses (disabled, weights, sections) must exist; the
// configuration reader cannot tell, since it does not know the analyzers.
void check_analyzer_names(const ConfigSection& table, std::vector<std::string>& errors) {
  const ConfigSection::Data* data = table.data();
  if (data == nullptr) return;
  const auto check = [&](const toml::node& node, std::string_view name, const std::string& key) {
    if (!is_analyzer(name)) {
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

void Services::tell_operator(const OperatorNotice& notice) const {
  if (notify) return notify(notice);
  std::cerr << "vigie: warning: " << notice.text << "\n" << std::flush;
}

// A step that follows a verdict, run by the caller through Engine::after_scan().
class ScanObserver {
 public:
  virtual ~ScanObserver() = default;
  virtual void after_scan(const ScanResult& result, const Envelope& envelope) const = 0;
};

// Records accepted and tagged senders for their recipients (intel/sender_history/scan_contacts.h).
class HistoryRecorder final : public ScanObserver {
 public:
  HistoryRecorder(std::shared_ptr<intel::sender_history::SenderHistory> history,
                  const facts::OrganisationProfile& profile)
      : history_(std::move(history)), profile_(profile) {}
  void after_scan(const ScanResult& result, const Envelope& envelope) const override {
    const facts::MessageFacts facts(*result.message, envelope, profile_);
    // A failed write is counted by the store; the next write retries.
    (void)intel::sender_history::record_scan(*history_, facts, result.verdict);
  }

 private:
  std::shared_ptr<intel::sender_history::SenderHistory> history_;
  const facts::OrganisationProfile& profile_;
};

struct Engine::Impl {
  struct Analyzer {
    const analyzers::AnalyzerDescriptor* descriptor;
    std::shared_ptr<const analyzers::AnalyzerState> state;
    analyzers::Weighing weighing;
  };

  Config config;
  Services services;
  std::unique_ptr<const facts::OrganisationProfile> profile;
  std::shared_ptr<const auth::AuthSettings> auth_settings;
  std::vector<engine::EnabledObjectAnalyzer> object_analyzers;
  std::vector<Analyzer> analyzers;
  std::vector<std::unique_ptr<const ScanObserver>> observers;
  // Names and tactics of the findings' techniques.
  std::shared_ptr<const intel::attack::AttackKnowledge> attack;
  // The attribution hints on the verdict, from the same knowledge.
  std::unique_ptr<const intel::attack::AttributionRanker> attribution;
};

namespace {

// Prepares one analyzer of either kind with its section, or records why it cannot start.
template <typename Descriptor>
std::optional<std::shared_ptr<const analyzers::AnalyzerState>> prepare(
    const Descriptor& analyzer, const Config& config, const facts::OrganisationProfile& profile,
    const Services& services, intel::SharedLists& lists, std::vector<std::string>& errors) {
  const auto section = config.analyzers.sections.find(analyzer.name);
  config::SectionReader settings(section == config.analyzers.sections.end() ? ConfigSection{} : section->second);
  std::shared_ptr<const analyzers::AnalyzerState> state;
  if (analyzer.prepare != nullptr) {
    Result<std::shared_ptr<const analyzers::AnalyzerState>> prepared =
        analyzer.prepare(analyzers::AnalyzerSetup{config, settings, profile, services, lists});
    if (!prepared) {
      errors.push_back("analyzer " + std::string(analyzer.name) + ": " + prepared.error().message);
      return std::nullopt;
    }
    state = std::move(*prepared);
  }
  if (Result<void> checked = settings.finish(); !checked) {
    errors.push_back(checked.error().message);
    return std::nullopt;
  }
  return state;
}

template <typename Descriptor>
std::optional<analyzers::Weighing> enabled_weighing(const Descriptor& analyzer, const AnalyzerConfig& config) {
  if (std::find(config.disabled.begin(), config.disabled.end(), analyzer.name) != config.disabled.end()) {
    return std::nullopt;
  }
  const auto weight = config.weights.find(analyzer.name);
  return analyzers::Weighing{weight == config.weights.end() ? 1.0 : weight->second, &config};
}

// The limit crossings of one scan as one finding, so the verdict's reasons show them.
void report_crossings(const std::vector<LimitCrossing>& crossings, std::vector<Finding>& findings) {
  if (crossings.empty()) return;
  std::vector<Evidence> evidence;
  for (const LimitCrossing& c : crossings) {
    const std::string counts = " (" + std::to_string(c.observed) + " > " + std::to_string(c.allowed) + ")";
    evidence.emplace_back(c.object, "limit:" + c.limit,
                          LocalizedText{c.stage + ": " + c.not_examined + counts,
                                        c.not_examined_fr.empty() ? std::string()
                                                                  : c.stage + " : " + c.not_examined_fr + counts});
  }
  Finding f = verdict::make_finding(verdict::FindingId::ANALYSIS_INCOMPLETE, std::move(evidence));
  f.analyzer = "engine";
  findings.push_back(std::move(f));
}

}  // namespace

Engine::Engine(Config config, Services services) {
  // Before anything computes a registrable domain (the organisation profile below does): the list
  // is the process's, fixed by its first use (parse/url/public_suffix_list.h).
  if (Result<void> suffixes = parse::use_public_suffix_list_file(config.lists.public_suffix_list); !suffixes) {
    throw EngineConfigError(suffixes.error().message);
  }
  // File types from content: without the libmagic database the engine still runs on vigie's own
  // signatures, and says so once on stderr.
  objects::check_magic_database();
  auto impl = std::make_unique<Impl>();
  impl->config = std::move(config);
  impl->services = std::move(services);
  if (!impl->services.clock) impl->services.clock = Clock::system();
  impl->auth_settings = std::make_shared<const auth::AuthSettings>(auth_settings(impl->config));
  Result<facts::OrganisationProfile> profile = facts::OrganisationProfile::compile(impl->config.organisation);
  if (!profile) throw EngineConfigError(profile.error().message);
  impl->profile = std::make_unique<const facts::OrganisationProfile>(std::move(*profile));
  const Config& cfg = impl->config;
  // One store for the whole engine: the first-contact analyzer reads it, the recorder writes it.
  if (!impl->services.store && !cfg.history.path.empty()) {
    auto store = intel::sender_history::open_history_store(cfg.history, impl->services.clock);
    if (!store) throw EngineConfigError(store.error().message);
    impl->services.store = std::move(*store);
  }
  if (impl->services.store) {
    impl->observers.push_back(std::make_unique<HistoryRecorder>(
        std::make_shared<intel::sender_history::SenderHistory>(impl->services.store), *impl->profile));
  }

  // Every analyzer is prepared and every error collected, so a configuration is fixed in one pass.
  std::vector<std::string> errors;
  check_analyzer_names(cfg.analyzers.table, errors);
  intel::SharedLists lists(cfg);
  for (const analyzers::ObjectAnalyzerDescriptor* analyzer : analyzers::object_registry()) {
    const std::optional<analyzers::Weighing> weighing = enabled_weighing(*analyzer, cfg.analyzers);
    if (!weighing) continue;
    auto state = prepare(*analyzer, cfg, *impl->profile, impl->services, lists, errors);
    if (state) impl->object_analyzers.push_back(engine::EnabledObjectAnalyzer{analyzer, std::move(*state), *weighing});
  }
  for (const analyzers::AnalyzerDescriptor* analyzer : analyzers::registry()) {
    const std::optional<analyzers::Weighing> weighing = enabled_weighing(*analyzer, cfg.analyzers);
    if (!weighing) continue;
    auto state = prepare(*analyzer, cfg, *impl->profile, impl->services, lists, errors);
    if (state) impl->analyzers.push_back(Impl::Analyzer{analyzer, std::move(*state), *weighing});
  }
  if (Result<std::shared_ptr<const intel::attack::AttackKnowledge>> attack = lists.attack_knowledge(); attack) {
    impl->attack = std::move(*attack);
    impl->attribution = std::make_unique<const intel::attack::AttributionRanker>(impl->attack);
  } else {
    errors.push_back("ATT&CK knowledge: " + attack.error().message);
  }
  if (!errors.empty()) {
    // Without the shipped lists every analyzer that reads one fails on its own file: say the one
    // cause instead.
    if (const std::string problem = directory_problem(data_dir(cfg)); !problem.empty()) {
      throw EngineConfigError("lists.data_dir: '" + data_dir(cfg) + "' " + problem +
                              ": the shipped lists are read from there; set [lists] data_dir or VIGIE_DATA_DIR");
    }
    std::string all;
    for (const std::string& e : errors) all += (all.empty() ? "" : "\n") + e;
    throw EngineConfigError(all);
  }
  impl_ = std::move(impl);
}

Engine::~Engine() = default;

const Config& Engine::config() const { return impl_->config; }

const facts::OrganisationProfile& Engine::organisation() const { return *impl_->profile; }

ScanResult Engine::scan(std::shared_ptr<const std::string> bytes, const Envelope& envelope) const {
  const Impl& impl = *impl_;
  const auto start = impl.services.clock->steady_now();
  ScanResult result;
  result.message = ParsedMessage::parse(std::move(bytes), impl.config.limits);
  result.message->decode_all();
  result.auth = auth::authenticate(*result.message, envelope, impl.services.resolver.get(), *impl.auth_settings);

  const analyzers::Deadline deadline{
      impl.services.clock.get(),
      impl.services.clock->steady_now() + std::chrono::milliseconds(impl.config.limits.max_analysis_ms)};
  result.objects = ObjectTree(result.message->raw());
  engine::run_object_queue(*result.message, impl.config.limits, deadline, impl.object_analyzers, result.objects,
                           result.findings, result.limits_reached);
  const facts::MessageFacts facts(*result.message, envelope, *impl.profile, &result.objects);
  const analyzers::ScanContext context{envelope,           result.auth,    facts,   result.objects,
                                       impl.config.limits, impl.services, deadline};
  std::string not_run;
  for (const Impl::Analyzer& analyzer : impl.analyzers) {
    if (context.deadline.passed()) {
      not_run += (not_run.empty() ? "" : ", ") + std::string(analyzer.descriptor->name);
      continue;
    }
    analyzers::run_analyzer(*analyzer.descriptor, analyzer.state.get(), analyzer.weighing, *result.message,
                            context, result.findings, result.limits_reached);
  }
  if (!not_run.empty()) {
    result.limits_reached.push_back(LimitCrossing{"max_analysis_ms", "engine", impl.config.limits.max_analysis_ms + 1u,
                                                  impl.config.limits.max_analysis_ms, kMessageObject,
                                                  "analyzers not run, out of time: " + not_run,
                                                  "analyseurs non exécutés, faute de temps : " + not_run});
  }
  report_crossings(result.limits_reached, result.findings);
  for (Finding& finding : result.findings) {
    finding.attack_techniques = intel::attack::name_techniques(*impl.attack, finding.attack);
  }
  result.verdict = verdict::decide(result.findings, impl.config.policy);
  result.verdict.attribution = intel::attack::verdict_hints(*impl.attribution, result.findings);
  const auto anomalies = result.message->anomalies();
  result.verdict.complete = result.limits_reached.empty() &&
                            std::none_of(anomalies.begin(), anomalies.end(), [](const Anomaly& a) { return a.limit != 0; });
  result.elapsed_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(impl.services.clock->steady_now() - start).count());
  return result;
}

void Engine::after_scan(const ScanResult& result, const Envelope& envelope) const {
  for (const auto& observer : impl_->observers) observer->after_scan(result, envelope);
}

}  // namespace vigie

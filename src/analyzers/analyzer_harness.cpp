// One analyzer alone, for tests (see analyzer_harness.h).
#include "analyzers/analyzer_harness.h"

#include "config/section.h"
#include "engine/object_queue.h"
#include "intel/shared/shared_lists.h"

namespace vigie::analyzers {

AnalyzerHarness::AnalyzerHarness(std::string_view analyzer, Config config, Services services)
    : config_(std::move(config)), services_(std::move(services)) {
  if (!services_.clock) services_.clock = Clock::system();
  for (const AnalyzerDescriptor* d : registry()) {
    if (d->name == analyzer) descriptor_ = d;
  }
  for (const ObjectAnalyzerDescriptor* d : object_registry()) {
    if (d->name == analyzer) object_descriptor_ = d;
  }
  if (descriptor_ == nullptr && object_descriptor_ == nullptr) {
    throw EngineConfigError("no analyzer named " + std::string(analyzer));
  }
  Result<facts::OrganisationProfile> profile = facts::OrganisationProfile::compile(config_.organisation);
  if (!profile) throw EngineConfigError(profile.error().message);
  profile_ = std::make_unique<const facts::OrganisationProfile>(std::move(*profile));
  const auto section = config_.analyzers.sections.find(analyzer);
  config::SectionReader settings(section == config_.analyzers.sections.end() ? ConfigSection{} : section->second);
  intel::SharedLists lists(config_);
  const auto prepare = descriptor_ != nullptr ? descriptor_->prepare : object_descriptor_->prepare;
  if (prepare != nullptr) {
    Result<std::shared_ptr<const AnalyzerState>> state =
        prepare(AnalyzerSetup{config_, settings, *profile_, services_, lists});
    if (!state) throw EngineConfigError("analyzer " + std::string(analyzer) + ": " + state.error().message);
    state_ = std::move(*state);
  }
  if (Result<void> checked = settings.finish(); !checked) throw EngineConfigError(checked.error().message);
}

AnalyzerHarness::~AnalyzerHarness() = default;

AnalyzerHarness::Run AnalyzerHarness::run(const std::string& raw, const AuthResults& auth, const Envelope& envelope,
                                          Deadline deadline) const {
  Run out;
  out.message = ParsedMessage::parse(std::make_shared<const std::string>(raw), config_.limits);
  out.message->decode_all();
  out.objects = ObjectTree(out.message->raw());
  const std::string_view name = descriptor_ != nullptr ? descriptor_->name : object_descriptor_->name;
  const auto weight = config_.analyzers.weights.find(name);
  const Weighing weighing{weight == config_.analyzers.weights.end() ? 1.0 : weight->second, &config_.analyzers};
  std::vector<engine::EnabledObjectAnalyzer> object_analyzers;
  if (object_descriptor_ != nullptr) object_analyzers.push_back({object_descriptor_, state_, weighing});
  engine::run_object_queue(*out.message, config_.limits, deadline, object_analyzers, out.objects, out.findings,
                           out.limits_reached);
  if (descriptor_ != nullptr) {
    const facts::MessageFacts facts(*out.message, envelope, *profile_, &out.objects);
    const ScanContext context{envelope, auth, facts, out.objects, config_.limits, services_, deadline};
    run_analyzer(*descriptor_, state_.get(), weighing, *out.message, context, out.findings, out.limits_reached);
  }
  return out;
}

const Finding* AnalyzerHarness::find(const std::vector<Finding>& findings, std::string_view id) {
  for (const Finding& f : findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

}  // namespace vigie::analyzers

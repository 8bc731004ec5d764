// One analyzer alone, for tests (see analyzer_harness.h).
#include "analyzers/analyzer_harness.h"

#include "config/section.h"
#include "intel/shared/shared_lists.h"

namespace vigie::analyzers {

AnalyzerHarness::AnalyzerHarness(std::string_view analyzer, Config config, Services services)
    : config_(std::move(config)), services_(std::move(services)) {
  if (!services_.clock) services_.clock = Clock::system();
  for (const AnalyzerDescriptor* d : registry()) {
    if (d->name == analyzer) descriptor_ = d;
  }
  if (descriptor_ == nullptr) throw EngineConfigError("no analyzer named " + std::string(analyzer));
  Result<facts::OrganisationProfile> profile = facts::OrganisationProfile::compile(config_.organisation);
  if (!profile) throw EngineConfigError(profile.error().message);
  profile_ = std::make_unique<const facts::OrganisationProfile>(std::move(*profile));
  const auto section = config_.analyzers.sections.find(analyzer);
  config::SectionReader settings(section == config_.analyzers.sections.end() ? ConfigSection{} : section->second);
  intel::SharedLists lists(config_);
  if (descriptor_->prepare != nullptr) {
    Result<std::shared_ptr<const AnalyzerState>> state =
        descriptor_->prepare(AnalyzerSetup{config_, settings, *profile_, services_, lists});
    if (!state) throw EngineConfigError("analyzer " + std::string(analyzer) + ": " + state.error().message);
    state_ = std::move(*state);
  }
  if (Result<void> checked = settings.finish(); !checked) throw EngineConfigError(checked.error().message);
}

std::vector<Finding> AnalyzerHarness::analyze(const std::string& raw, const AuthResults& auth,
                                              const Envelope& envelope) const {
  const auto message = ParsedMessage::parse(std::make_shared<const std::string>(raw), config_.limits);
  message->decode_all();
  const facts::MessageFacts facts(*message, envelope, *profile_);
  const ScanContext context{envelope, auth, facts};
  std::vector<Finding> findings;
  const auto weight = config_.analyzers.weights.find(descriptor_->name);
  run_analyzer(*descriptor_, state_.get(), weight == config_.analyzers.weights.end() ? 1.0 : weight->second,
               config_.analyzers, *message, context, findings);
  return findings;
}

const Finding* AnalyzerHarness::find(const std::vector<Finding>& findings, std::string_view id) {
  for (const Finding& f : findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

}  // namespace vigie::analyzers

// One analyzer alone, for its unit tests: prepares only that analyzer (a message analyzer or an
// object analyzer), so only the lists it needs are loaded, and runs it on a message as the engine
// does — the object tree, the message facts, run_analyzer's naming and weighing. Authentication
// results are given directly, so a test of what an analyzer makes of "dkim=pass" needs no DNS.
// Tests that exercise authentication itself build an Engine with a recorded resolver instead.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"

namespace vigie::analyzers {

class AnalyzerHarness {
 public:
  // Throws EngineConfigError when the analyzer is unknown or cannot prepare (as the engine would).
  explicit AnalyzerHarness(std::string_view analyzer, Config config = {}, Services services = {});
  ~AnalyzerHarness();

  struct Run {
    std::unique_ptr<ParsedMessage> message;
    ObjectTree objects;
    std::vector<Finding> findings;
    std::vector<LimitCrossing> limits_reached;
  };
  // The whole run: findings, the object tree, the limits reached. `deadline` is the engine's
  // [limits] max_analysis_ms; none by default.
  Run run(const std::string& raw, const AuthResults& auth = {}, const Envelope& envelope = {},
          Deadline deadline = {}) const;
  // The analyzer's findings on `raw`, weighed as in a scan.
  std::vector<Finding> analyze(const std::string& raw, const AuthResults& auth = {},
                               const Envelope& envelope = {}) const {
    return run(raw, auth, envelope).findings;
  }
  // The first finding with this id, nullptr when there is none.
  static const Finding* find(const std::vector<Finding>& findings, std::string_view id);

  const Config& config() const { return config_; }

 private:
  Config config_;
  Services services_;
  const AnalyzerDescriptor* descriptor_ = nullptr;
  const ObjectAnalyzerDescriptor* object_descriptor_ = nullptr;
  std::unique_ptr<const facts::OrganisationProfile> profile_;
  std::shared_ptr<const AnalyzerState> state_;
};

}  // namespace vigie::analyzers

// The analyzer contract. An analyzer reads the parsed message and the scan context (envelope,
// authentication results, the message facts) and emits findings into a sink; it never sees
// another analyzer's state or findings, so analyzers can be added, removed or reordered freely.
// One descriptor serves every scan on every thread, so an analyzer keeps no per-scan state: what
// it needs beyond the message (compiled lists, indexes of the organisation profile) it builds once
// in prepare() from its AnalyzerSetup, and analyze() only reads it. A prepare() error (an
// unreadable or invalid list) stops the engine from starting: a broken list never silently
// disables a detector.
//
// Adding an analyzer: create src/analyzers/<name>/ with <name>.cpp defining
// vigie::analyzers::<name>::descriptor(), add its findings to src/verdict/catalog.def, and add one
// VIGIE_ANALYZER(<name>) line to src/analyzers/registry.def. See src/analyzers/parse_anomalies.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "facts/message_facts.h"
#include "facts/organisation_profile.h"
#include "verdict/catalog.h"
#include "vigie/config.h"
#include "vigie/engine.h"
#include "vigie/result.h"
#include "vigie/services.h"
#include "vigie/finding.h"
#include "vigie/message.h"

namespace vigie {
namespace config {
class SectionReader;
}
namespace intel {
class SharedLists;
}
}  // namespace vigie

namespace vigie::analyzers {

// Read-only inputs every analyzer gets besides the message, for one scan.
struct ScanContext {
  const Envelope& envelope;
  const AuthResults& auth;
  const facts::MessageFacts& facts;
};

// What prepare() builds an analyzer's state from, once per engine.
struct AnalyzerSetup {
  const Config& config;                       // limits, data_dir
  // The analyzer's own [analyzers.<name>] section: it asks for its keys (config/section.h), and
  // the engine reports every key it did not ask for as unknown, at its line and column.
  config::SectionReader& settings;
  const facts::OrganisationProfile& profile;
  const Services& services;
  intel::SharedLists& lists;                  // lists several analyzers read, loaded once
};

class FindingSink {
 public:
  explicit FindingSink(std::vector<Finding>& out) : out_(out) {}
  // confidence in 0..1 (clamped): how sure the analyzer is that this finding is what it says.
  void emit(verdict::FindingId id, std::vector<Evidence> evidence, double confidence = 1) {
    Finding f = verdict::make_finding(id, std::move(evidence));
    f.confidence = confidence < 0 ? 0 : confidence > 1 ? 1 : confidence;
    out_.push_back(std::move(f));
  }

 private:
  std::vector<Finding>& out_;
};

// The immutable per-engine state of an analyzer; each analyzer derives its own.
class AnalyzerState {
 public:
  virtual ~AnalyzerState() = default;

 protected:
  AnalyzerState() = default;
  AnalyzerState(const AnalyzerState&) = default;
  AnalyzerState& operator=(const AnalyzerState&) = default;
};

struct AnalyzerDescriptor {
  std::string_view name;
  std::string_view description;
  std::span<const verdict::FindingId> emits;  // every id analyze() may emit
  // Builds the state analyze() reads; nullptr for an analyzer that needs none. Errors name the
  // file, line and entry at fault.
  Result<std::shared_ptr<const AnalyzerState>> (*prepare)(const AnalyzerSetup& setup);
  // `state` is what prepare() returned (nullptr without prepare()).
  void (*analyze)(const ParsedMessage& message, const ScanContext& context,
                  const AnalyzerState* state, FindingSink& sink);
};

// Every compiled-in analyzer, in registry.def order.
std::span<const AnalyzerDescriptor* const> registry();

// Runs one analyzer on one message and appends its findings to `out`, each named after the
// analyzer, with the configured score override ([analyzers] scores) multiplied by the analyzer's
// weight and the finding's confidence. An analyzer that throws is a bug in that analyzer: it
// becomes an ANALYZER_ERROR finding naming it, and the scan goes on.
void run_analyzer(const AnalyzerDescriptor& analyzer, const AnalyzerState* state, double weight,
                  const AnalyzerConfig& config, const ParsedMessage& message,
                  const ScanContext& context, std::vector<Finding>& out);

}  // namespace vigie::analyzers

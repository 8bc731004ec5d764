// The analyzer contract. An analyzer reads the parsed message and the scan context and emits
// findings into a sink; it never sees another analyzer's state or findings, so analyzers can be
// added, removed or reordered freely. Analyzers must be stateless (or hold only immutable state)
// because one descriptor serves every scan on every thread.
//
// Adding an analyzer: create src/analyzers/<name>/ with <name>.cpp defining
// vigie::analyzers::<name>::descriptor(), add its findings to src/verdict/catalog.def, and add one
// VIGIE_ANALYZER(<name>) line to src/analyzers/registry.def. See src/analyzers/parse_anomalies.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "verdict/catalog.h"
#include "vigie/engine.h"
#include "vigie/finding.h"
#include "vigie/message.h"

namespace vigie::analyzers {

class FindingSink {
 public:
  explicit FindingSink(std::vector<Finding>& out) : out_(out) {}
  void emit(verdict::FindingId id, std::vector<Evidence> evidence) {
    out_.push_back(verdict::make_finding(id, std::move(evidence)));
  }

 private:
  std::vector<Finding>& out_;
};

struct AnalyzerDescriptor {
  std::string_view name;
  std::string_view description;
  std::span<const verdict::FindingId> emits;  // every id analyze() may emit
  void (*analyze)(const ParsedMessage& message, const ScanContext& context, FindingSink& sink);
};

// Every compiled-in analyzer, in registry.def order.
std::span<const AnalyzerDescriptor* const> registry();

}  // namespace vigie::analyzers

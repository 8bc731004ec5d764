// The object work queue of one scan: seeds the object tree from the MIME structure, then takes the
// objects in the order they were added (breadth first) and runs every enabled object analyzer
// whose predicate accepts each. Extractors push the files they find through push_child, which
// enforces the extraction limits ([limits] max_object_depth, max_extracted_objects,
// max_extracted_bytes, max_expansion_ratio) so that an archive bomb or a file nested a thousand
// times costs bounded time and memory; what a limit refused is recorded as a LimitCrossing and a
// note on the object it was found in.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "analyzers/analyzer.h"

namespace vigie::engine {

struct EnabledObjectAnalyzer {
  const analyzers::ObjectAnalyzerDescriptor* descriptor = nullptr;
  std::shared_ptr<const analyzers::AnalyzerState> state;
  analyzers::Weighing weighing;
};

// Objects not reached when `deadline` passes are flagged not examined and reported under
// [limits] max_analysis_ms.
void run_object_queue(const ParsedMessage& message, const Limits& limits, const analyzers::Deadline& deadline,
                      std::span<const EnabledObjectAnalyzer> analyzers, ObjectTree& tree,
                      std::vector<Finding>& findings, std::vector<LimitCrossing>& crossings);

}  // namespace vigie::engine

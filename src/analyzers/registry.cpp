// Builds the analyzer list from registry.def (an X-macro rather than self-registering static
// objects, which static linking and initialisation order break silently), and runs one analyzer.
#include "analyzers/analyzer.h"

#include <exception>

namespace vigie::analyzers {

#define VIGIE_ANALYZER(name) \
  namespace name {           \
  const AnalyzerDescriptor& descriptor(); \
  }
#include "analyzers/registry.def"
#undef VIGIE_ANALYZER

std::span<const AnalyzerDescriptor* const> registry() {
  static const AnalyzerDescriptor* const kAll[] = {
#define VIGIE_ANALYZER(name) &name::descriptor(),
#include "analyzers/registry.def"
#undef VIGIE_ANALYZER
  };
  return kAll;
}

void run_analyzer(const AnalyzerDescriptor& analyzer, const AnalyzerState* state, double weight,
                  const AnalyzerConfig& config, const ParsedMessage& message,
                  const ScanContext& context, std::vector<Finding>& out) {
  const std::size_t first = out.size();
  FindingSink sink(out);
  try {
    analyzer.analyze(message, context, state, sink);
  } catch (const std::exception& e) {
    sink.emit(verdict::FindingId::ANALYZER_ERROR,
              {Evidence{"analyzer:" + std::string(analyzer.name), e.what()}});
  }
  for (std::size_t i = first; i < out.size(); ++i) {
    Finding& f = out[i];
    f.analyzer = std::string(analyzer.name);
    if (const auto s = config.scores.find(f.id); s != config.scores.end()) f.score = s->second;
    f.score *= weight * f.confidence;
  }
}

}  // namespace vigie::analyzers

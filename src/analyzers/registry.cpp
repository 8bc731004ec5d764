// Builds the analyzer list from registry.def (an X-macro rather than self-registering static
// objects, which static linking and initialisation order break silently).
#include "analyzers/analyzer.h"

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

}  // namespace vigie::analyzers

// Builds the analyzer lists from registry.def and object_registry.def (X-macros rather than
// self-registering static objects, which static linking and initialisation order break
// silently), and runs one analyzer.
#include <exception>

#include "analyzers/analyzer.h"

namespace vigie::analyzers {

#define VIGIE_ANALYZER(name) \
  namespace name {           \
  const AnalyzerDescriptor& descriptor(); \
  }
#include "analyzers/registry.def"
#undef VIGIE_ANALYZER

#define VIGIE_OBJECT_ANALYZER(name) \
  namespace name {                  \
  const ObjectAnalyzerDescriptor& descriptor(); \
  }
#include "analyzers/object_registry.def"
#undef VIGIE_OBJECT_ANALYZER

std::span<const AnalyzerDescriptor* const> registry() {
  static const AnalyzerDescriptor* const kAll[] = {
#define VIGIE_ANALYZER(name) &name::descriptor(),
#include "analyzers/registry.def"
#undef VIGIE_ANALYZER
  };
  return kAll;
}

std::span<const ObjectAnalyzerDescriptor* const> object_registry() {
  static const ObjectAnalyzerDescriptor* const kAll[] = {
#define VIGIE_OBJECT_ANALYZER(name) &name::descriptor(),
#include "analyzers/object_registry.def"
#undef VIGIE_OBJECT_ANALYZER
  };
  return kAll;
}

namespace {

template <typename Analyze>
void run_weighed(std::string_view name, const Weighing& weighing, std::vector<Finding>& out,
                 std::vector<LimitCrossing>& crossings, Analyze&& analyze) {
  const std::size_t first = out.size();
  FindingSink sink(out, crossings, name);
  try {
    analyze(sink);
  } catch (const std::exception& e) {
    // The exception's text is a diagnostic for developers, left as written; the French reader is
    // told what it is rather than shown a bare English sentence.
    sink.emit(verdict::FindingId::ANALYZER_ERROR,
              {Evidence{"analyzer:" + std::string(name),
                        LocalizedText{e.what(), std::string("erreur technique (en anglais) : ") + e.what()}}});
  }
  for (std::size_t i = first; i < out.size(); ++i) {
    Finding& f = out[i];
    f.analyzer = std::string(name);
    if (weighing.config != nullptr) {
      if (const auto s = weighing.config->scores.find(f.id); s != weighing.config->scores.end()) f.score = s->second;
    }
    f.score *= weighing.weight * f.confidence;
  }
}

}  // namespace

void run_analyzer(const AnalyzerDescriptor& analyzer, const AnalyzerState* state, const Weighing& weighing,
                  const ParsedMessage& message, const ScanContext& context, std::vector<Finding>& out,
                  std::vector<LimitCrossing>& crossings) {
  run_weighed(analyzer.name, weighing, out, crossings,
              [&](FindingSink& sink) { analyzer.analyze(message, context, state, sink); });
}

std::string_view markup_of(const Object& object, ObjectContext& context, FindingSink& sink,
                           LocalizedText not_examined) {
  const ParsedMessage& message = context.message();
  const Limits& limits = message.limits();
  const bool text_part = object.origin == ObjectOrigin::kMimePart && message.part(object.part).is_text();
  std::string_view text = text_part ? message.text(object.part) : object.bytes();
  if (text.size() > limits.max_html_bytes) {
    sink.limit_reached("max_html_bytes", text.size(), limits.max_html_bytes, std::move(not_examined), object.id);
    text = text.substr(0, limits.max_html_bytes);
  }
  return text;
}

void run_object_analyzer(const ObjectAnalyzerDescriptor& analyzer, const AnalyzerState* state,
                         const Weighing& weighing, const Object& object, ObjectContext& context,
                         std::vector<Finding>& out, std::vector<LimitCrossing>& crossings) {
  run_weighed(analyzer.name, weighing, out, crossings,
              [&](FindingSink& sink) { analyzer.analyze(object, context, state, sink); });
}

}  // namespace vigie::analyzers

// Fuzz target for the STIX 2.1 patterning language (src/intel/stix/pattern.h): the input is a
// pattern, parsed with the default limits and with small ones (depth 4, 3 set members, 8
// comparisons, 4 KiB of RE2 memory), then evaluated against a fixed observation of one message
// and its equalities extracted. It owns only the harness.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "intel/stix/pattern.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;
namespace stix = vigie::intel::stix;

namespace {

const stix::Observation& fixed_observation() {
  static const stix::Observation observation = [] {
    stix::Observation o;
    o.add_object("email-message")
        .add("from_ref.value", "alice@evil.example")
        .add("subject", "[IMPORTANT] invoice")
        .add("body_multipart[*].body_raw_ref.name", "a.pdf")
        .add("body_multipart[*].body_raw_ref.name", "Final Report.exe");
    o.add_object("domain-name").add("value", "evil.example");
    o.add_object("url").add("value", "http://evil.example/a?b=c");
    o.add_object("ipv4-addr").add("value", "198.51.100.7");
    o.add_object("ipv6-addr").add("value", "2001:db8::1");
    o.add_object("email-addr").add("value", "alice@evil.example");
    o.add_object("file").add("name", "a.pdf").add("size", 1234.0).add("hashes.'SHA-256'", "AB").add("ctime",
                                                                                                    "2026-01-01T00:00:00Z");
    return o;
  }();
  return observation;
}

void check(std::string_view text, const stix::PatternLimits& limits) {
  const auto pattern = stix::Pattern::parse(text, limits);
  if (!pattern) {
    require(pattern.error().offset <= text.size() || pattern.error().offset == limits.max_pattern_bytes,
            "a parse error's offset lies within the pattern");
    require(!pattern.error().message.empty(), "a parse error says what was expected");
    return;
  }
  require(pattern->tests().size() <= limits.max_comparisons, "comparisons within max_comparisons");
  for (const stix::PropertyTest& test : pattern->tests()) {
    require(test.path.steps.size() <= limits.max_path_steps, "object paths within max_path_steps");
    require(test.op != stix::ComparisonOperator::kIn || test.values.size() <= limits.max_set_size,
            "sets within max_set_size");
  }
  const stix::Evaluation evaluation = stix::evaluate(*pattern, fixed_observation());
  require((evaluation.truth == stix::Truth::kUnsupported) == !evaluation.unsupported.empty(),
          "an unsupported result names its construct, and only then");
  const stix::EqualityValues values = stix::extract_equality_values(*pattern);
  require(values.complete == !values.values.empty(), "equality values are complete exactly when present");
  for (const vigie::intel::IndicatorValue& value : values.values) consume(value.value);
  for (const std::string& type : pattern->object_types()) consume(type);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check(input, stix::PatternLimits{});
  stix::PatternLimits small;
  small.max_depth = 4;
  small.max_set_size = 3;
  small.max_comparisons = 8;
  small.max_regex_memory = 4096;
  small.max_path_steps = 4;
  check(input, small);
  return 0;
}

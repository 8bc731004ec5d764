// Fuzz target for the MISP event importer (src/intel/misp/misp_import.h) and the plain and CSV
// list importers (src/intel/misp/list_import.h): intelligence files a partner sends or a feed
// serves, so any bytes must give indicators and problems, never a crash, an escaped exception or
// unbounded work. It owns only the harness; the input is the file as it is, given to the event
// importer (default and small limits) and to every list reader.
//
// Besides crashes, it checks what the headers promise: every attribute read is counted once
// (indicators, not for detection, deleted, other types, malformed); indicator ids carry the MISP
// or list prefix; every indicator has at least one value and at most two; list problems are at
// "<name>:<line>".

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "intel/misp/list_import.h"
#include "intel/misp/misp_import.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;

namespace misp = vigie::intel::misp;

namespace {

void check(const vigie::intel::ImportResult& result, std::string_view id_prefix) {
  for (const auto& indicator : result.indicators) {
    require(indicator.id.compare(0, id_prefix.size(), id_prefix) == 0, "indicator id without its prefix");
    require(!indicator.values.empty() && indicator.values.size() <= 2, "indicator with no value or more than two");
    for (const auto& value : indicator.values) {
      require(!value.value.empty(), "empty indicator value");
      consume(value.value);
    }
    consume(indicator.source);
    consume(indicator.description);
    for (const auto& label : indicator.labels) consume(label);
    for (const auto& link : indicator.links) consume(link.name);
  }
  for (const auto& problem : result.problems) {
    consume(problem.where);
    consume(problem.what);
  }
}

void check_event_import(std::string_view text, const misp::MispOptions& options) {
  const misp::MispImport import = misp::import_misp_events(text, "event.json", options);
  const misp::MispCounts& c = import.counts;
  require(c.attributes == c.indicators + c.not_for_detection + c.deleted + c.other_types + c.malformed,
          "attribute counts do not add up");
  require(c.indicators == import.result.indicators.size(), "indicator count differs from the indicators");
  require(c.attributes <= options.limits.max_attributes, "more attributes than max_attributes");
  check(import.result, "misp:");
}

void check_list(const vigie::intel::ImportResult& result, std::string_view name) {
  check(result, "list:");
  for (const auto& problem : result.problems) {
    require(problem.where.compare(0, name.size(), name) == 0 && problem.where.size() > name.size() &&
                problem.where[name.size()] == ':',
            "list problem not at <name>:<line>");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_event_import(text, misp::MispOptions{});
  misp::MispOptions small;
  small.limits.max_attributes = 3;
  small.limits.max_events = 2;
  small.limits.max_json_depth = 6;
  small.include_unpublished = true;
  check_event_import(text, small);

  // The first byte picks the declared kind of the plain list; the whole input is every list.
  const auto kind = static_cast<misp::ValueKind>(size > 0 ? data[0] % 10 : 0);
  check_list(misp::import_plain_list(text, "list.txt", kind), "list.txt");
  check_list(misp::import_csv_list(text, "list.csv", std::nullopt), "list.csv");
  check_list(misp::import_csv_list(text, "list.csv", kind), "list.csv");
  return 0;
}

// Plain and CSV indicator lists, the simplest thing a partner sends ("these 40 domains", a CSV
// export of a spreadsheet). Each good line becomes one Indicator with id "list:<list name>:<line>"
// and the list name as source; each bad line is an ImportProblem at "<list name>:<line>" saying
// why. Values are checked and normalised as MISP values are (observable_value.h).
//   plain: one value per line, of the type the caller declares; blank lines and comments (a line
//          starting with '#', or " #" after a value) are ignored.
//   CSV:   comma-separated, RFC 4180 quoting within one line ("a,b" and "" for a quote). Either a
//          header names the columns (value, type, comment; any order, others ignored), or the
//          columns are value,type[,comment] — or value[,comment] when the caller declares the type.
//          A row's type column wins over the declared type; '#' lines and blank lines are ignored.
// Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "intel/indicators/indicator.h"
#include "intel/misp/observable_value.h"
#include "vigie/result.h"

namespace vigie::intel::misp {

enum class ListFormat { kPlain, kCsv };

ImportResult import_plain_list(std::string_view text, std::string_view list_name, ValueKind kind);

ImportResult import_csv_list(std::string_view text, std::string_view list_name, std::optional<ValueKind> declared);

// Reads `path` (refused as a whole when unreadable or larger than max_bytes, [limits]
// intel_max_list_bytes) and imports it; the list name is the file's name without its folder. A
// plain list needs `declared`.
Result<ImportResult> import_list_file(const std::string& path, ListFormat format, std::optional<ValueKind> declared,
                                      std::uint64_t max_bytes);

}  // namespace vigie::intel::misp

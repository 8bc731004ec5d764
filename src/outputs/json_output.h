// JSON renderings of a scan and of a parse. Renderers only read; this is the one place where
// views into the message are copied into output (evidence outlives the scan from here on).
// Text from the message may be invalid UTF-8: the scan record (written for every message, by the
// streaming json_writer.h) and to_json_line() (the parse output, an nlohmann tree) replace it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "vigie/engine.h"

namespace vigie::outputs {

// One JSON Lines record per scanned message (schema in docs/output.md), without the newline:
// written straight to text (json_writer.h), since it is the one output made for every message.
std::string scan_json_line(const ScanResult& result, std::string_view label);

// The full parsed structure: headers, part tree, text excerpts, URLs, HTML facts, anomalies.
nlohmann::json parse_to_json(const ParsedMessage& message);

// Compact single-line serialisation, invalid UTF-8 replaced by U+FFFD.
std::string to_json_line(const nlohmann::json& value);

// Cuts UTF-8 text at max_bytes without splitting a character; appends "…" when cut.
std::string excerpt(std::string_view text, std::size_t max_bytes);

// Where a piece of evidence was seen, for people: its field alone in the message itself
// ("header:From"), else the object's path and the field ("part 3: url", "part 2 > invoice.zip:
// filename"). `part_word` names a MIME part in the reader's language for the text output
// ("partie"); JSON's `where` keeps "part".
std::string evidence_place(const ObjectTree& objects, const Evidence& evidence, std::string_view part_word = "part");

}  // namespace vigie::outputs

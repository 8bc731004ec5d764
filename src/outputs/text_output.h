// Human-readable renderings for a terminal: one block per scanned message, and a part tree for
// `vigie parse` without --json.
#pragma once

#include <string>
#include <string_view>

#include "vigie/engine.h"

namespace vigie::outputs {

enum class Language { kEnglish, kFrench };

// One line per finding; with `explain`, each finding's evidence follows, shown in its context in
// the message (the header as written, the link with its visible text, the part it came from).
std::string scan_to_text(const ScanResult& result, std::string_view label, Language language,
                         bool explain = false);
std::string parse_to_text(const ParsedMessage& message);

}  // namespace vigie::outputs

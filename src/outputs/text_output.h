// Human-readable renderings for a terminal: one block per scanned message, and a part tree for
// `vigie parse` without --json.
#pragma once

#include <string>
#include <string_view>

#include "vigie/engine.h"

namespace vigie::outputs {

enum class Language { kEnglish, kFrench };

std::string scan_to_text(const ScanResult& result, std::string_view label, Language language);
std::string parse_to_text(const ParsedMessage& message);

}  // namespace vigie::outputs

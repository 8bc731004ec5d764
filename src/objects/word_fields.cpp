// Word field nesting and QUOTE (see word_fields.h).
#include "objects/word_fields.h"

#include <algorithm>

#include "common/ascii.h"

namespace vigie::objects {

std::string field_keyword(std::string_view instruction) {
  const std::string_view trimmed = ascii::trim_blanks(instruction);
  std::size_t end = 0;
  while (end < trimmed.size() && !ascii::is_space(trimmed[end]) && trimmed[end] != '"') ++end;
  return ascii::lowercase(trimmed.substr(0, end));
}

std::string quote_result(std::string_view arguments) {
  std::string out;
  std::size_t at = 0;
  while (at < arguments.size()) {
    while (at < arguments.size() && ascii::is_space(arguments[at])) ++at;
    if (at >= arguments.size()) break;
    if (arguments[at] == '"') {
      const std::size_t end = arguments.find('"', at + 1);
      out += arguments.substr(at + 1, end == std::string_view::npos ? std::string_view::npos : end - at - 1);
      at = end == std::string_view::npos ? arguments.size() : end + 1;
      continue;
    }
    std::size_t end = at;
    while (end < arguments.size() && !ascii::is_space(arguments[end])) ++end;
    const std::string_view token = arguments.substr(at, end - at);
    unsigned code = 0;
    const bool number =
        token.size() <= 3 && std::all_of(token.begin(), token.end(), [](char c) { return ascii::is_digit(c); });
    for (char c : number ? token : std::string_view{}) code = code * 10 + static_cast<unsigned>(c - '0');
    if (number && code > 0 && code < 256) {
      out.push_back(static_cast<char>(code));
    } else {
      out += token;
    }
    at = end;
  }
  return out;
}

void WordFieldNesting::begin() {
  if (skipped_depth_ > 0 || open_.size() >= kMaxDepth) {
    ++skipped_depth_;
    return;
  }
  open_.emplace_back();
}

void WordFieldNesting::text(std::string_view instruction_text) {
  if (skipped_depth_ > 0 || open_.empty()) return;
  std::string& instruction = open_.back().instruction;
  instruction += instruction_text.substr(0, kMaxInstructionBytes - std::min(instruction.size(), kMaxInstructionBytes));
}

void WordFieldNesting::end(std::vector<WordField>& done) {
  if (skipped_depth_ > 0) {
    --skipped_depth_;
    return;
  }
  if (open_.empty()) return;
  WordField field = std::move(open_.back());
  open_.pop_back();
  if (!open_.empty() && field_keyword(field.instruction) == "quote") {
    const std::string_view trimmed = ascii::trim_blanks(field.instruction);
    text(quote_result(trimmed.substr(std::min<std::size_t>(5, trimmed.size()))));
    open_.back().assembled = true;
  }
  done.push_back(std::move(field));
}

}  // namespace vigie::objects

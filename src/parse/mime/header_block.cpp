// Header block splitting: finds field boundaries and the header/body separator without copying.
// Folding is kept inside the value view; unfolding happens lazily when a value is read.
#include "parse/mime/header_block.h"

#include <cstring>

namespace vigie::parse {
namespace {

// RFC 5322 §3.6.8: field-name = 1*ftext, ftext = %d33-57 / %d59-126.
bool is_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c < 33 || c > 126 || c == ':') return false;
  }
  return true;
}

std::string_view trim_right_wsp(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

HeaderSplit split_header(std::string_view data, std::uint64_t base_offset,
                         std::uint32_t max_fields) {
  HeaderSplit out;
  const std::size_t size = data.size();
  std::size_t pos = 0;
  // An mbox separator line ("From sender date") before the first field is not a header field.
  if (data.starts_with("From ")) {
    const std::size_t nl = data.find('\n');
    pos = nl == std::string_view::npos ? size : nl + 1;
  }
  const std::size_t header_start = pos;
  bool have_field = false;
  std::size_t value_start = 0;  // of the current field
  std::size_t body_start = size;

  while (pos < size) {
    const char* line_ptr = data.data() + pos;
    const void* nl_ptr = std::memchr(line_ptr, '\n', size - pos);
    const std::size_t nl = nl_ptr ? static_cast<std::size_t>(static_cast<const char*>(nl_ptr) - data.data())
                                  : size;
    std::size_t line_end = nl;  // exclusive, without CR
    if (line_end > pos && data[line_end - 1] == '\r') --line_end;
    const std::size_t next = nl < size ? nl + 1 : size;

    if (line_end == pos) {  // empty line: end of header (RFC 5322 §2.1)
      out.separator_found = true;
      body_start = next;
      break;
    }
    const char first = data[pos];
    if (first == ' ' || first == '\t') {
      // Continuation of the previous field (folding). Before any field, clients ignore it.
      if (have_field) {
        out.fields.back().value = data.substr(value_start, line_end - value_start);
      }
      pos = next;
      continue;
    }
    const std::string_view line = data.substr(pos, line_end - pos);
    const std::size_t colon = line.find(':');
    const std::string_view name =
        colon == std::string_view::npos ? std::string_view{} : trim_right_wsp(line.substr(0, colon));
    if (!is_field_name(name)) {
      // Not a field: the header ended without an empty line; this line begins the body.
      out.syntax_error = true;
      out.first_error_offset = base_offset + pos;
      body_start = pos;
      break;
    }
    ++out.field_count_seen;
    if (out.fields.size() < max_fields) {
      value_start = pos + colon + 1;
      out.fields.push_back(HeaderField{name, data.substr(value_start, line_end - value_start),
                                       base_offset + pos});
      have_field = true;
    } else {
      out.field_limit_hit = true;
      have_field = false;  // continuation lines of dropped fields are dropped too
    }
    pos = next;
  }
  if (pos >= size) body_start = size;
  out.header_block = data.substr(header_start, (body_start > header_start ? body_start : header_start) - header_start);
  out.body = data.substr(body_start);
  out.nul_byte = std::memchr(out.header_block.data(), '\0', out.header_block.size()) != nullptr;
  return out;
}

}  // namespace vigie::parse

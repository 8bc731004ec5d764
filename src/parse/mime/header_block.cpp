// Header block splitting: finds field boundaries and the header/body separator without copying.
// Folding is kept inside the value view; unfolding happens lazily when a value is read.
#include "parse/mime/header_block.h"

#include <algorithm>
#include <cstring>

#include "common/byte_scan.h"

namespace vigie::parse {
namespace {

// RFC 5322 §3.6.8: field-name = 1*ftext, ftext = %d33-57 / %d59-126.
constexpr bool is_ftext(unsigned char c) { return c >= 33 && c <= 126 && c != ':'; }

// Length of the field name at the start of line and the position of its colon, when the line is
// ftext+ then optional blanks (obsolete syntax, RFC 5322 §4.5) then ':'. Reads only up to the
// colon, so the line end is searched once, from there.
bool find_field_name(const char* line, const char* end, std::size_t& name_size, std::size_t& colon) {
  const char* p = line;
  while (p < end && is_ftext(static_cast<unsigned char>(*p))) ++p;
  name_size = static_cast<std::size_t>(p - line);
  while (p < end && (*p == ' ' || *p == '\t')) ++p;
  if (name_size == 0 || p == end || *p != ':') return false;
  colon = static_cast<std::size_t>(p - line);
  return true;
}

}  // namespace

HeaderSplit split_header(std::string_view data, std::uint64_t base_offset,
                         std::uint32_t max_fields) {
  HeaderSplit out;
  // One allocation covers the fields of a MIME part and most of a message's (growing one field at
  // a time from empty took five for a typical message header).
  out.fields.reserve(std::min<std::size_t>(max_fields, 16));
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

  const char* const end = data.data() + size;
  // The end (without its CR) of the line that holds offset `from`, and where the next line starts.
  const auto line_from = [&](std::size_t from, std::size_t& line_end, std::size_t& next) {
    // Inline vector scan rather than memchr: header lines are short, and a call per line showed.
    const std::size_t nl = static_cast<std::size_t>(scan::find_any(data.data() + from, end, '\n', '\n', '\n') - data.data());
    line_end = nl;
    if (line_end > from && data[line_end - 1] == '\r') --line_end;
    next = nl < size ? nl + 1 : size;
  };

  while (pos < size) {
    const char first = data[pos];
    std::size_t line_end = 0;
    std::size_t next = 0;
    if (first == '\n' || (first == '\r' && (pos + 1 == size || data[pos + 1] == '\n'))) {
      // Empty line: end of header (RFC 5322 §2.1).
      out.separator_found = true;
      body_start = first == '\n' ? pos + 1 : std::min(pos + 2, size);
      break;
    }
    if (first == ' ' || first == '\t') {
      // Continuation of the previous field (folding). Before any field, clients ignore it.
      line_from(pos, line_end, next);
      if (have_field) {
        out.fields.back().value = data.substr(value_start, line_end - value_start);
      }
      pos = next;
      continue;
    }
    std::size_t name_size = 0;
    std::size_t colon = 0;
    if (!find_field_name(data.data() + pos, end, name_size, colon)) {
      // Not a field: the header ended without an empty line; this line begins the body.
      out.syntax_error = true;
      out.first_error_offset = base_offset + pos;
      body_start = pos;
      break;
    }
    line_from(pos + colon + 1, line_end, next);
    ++out.field_count_seen;
    if (out.fields.size() < max_fields) {
      value_start = pos + colon + 1;
      out.fields.push_back(HeaderField{data.substr(pos, name_size), data.substr(value_start, line_end - value_start),
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

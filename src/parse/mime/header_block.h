// Splitting a header block into fields (RFC 5322 §2.2, §3.6; obsolete syntax §4.5) and locating
// where a part's header ends and its body begins. Pure functions over views.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/ascii.h"
#include "vigie/message.h"

namespace vigie::parse {

struct HeaderSplit {
  std::string_view header_block;  // fields, including their line breaks
  std::string_view body;          // everything after the empty line (may be empty)
  std::vector<HeaderField> fields;
  bool separator_found = false;   // an empty line ended the header
  bool field_limit_hit = false;
  bool syntax_error = false;      // a non-field line ended the header early
  bool nul_byte = false;
  std::uint64_t first_error_offset = 0;
  std::uint64_t field_count_seen = 0;
};

// Reads fields from the start of `data` until an empty line, end of input, or a line that is
// neither a field nor a continuation (that line starts the body, as GMime and Thunderbird do).
// A leading mbox "From " line is skipped. `base_offset` is added to the offsets recorded.
HeaderSplit split_header(std::string_view data, std::uint64_t base_offset,
                         std::uint32_t max_fields);

// Case-insensitive ASCII comparison; inline because header lookups run it on every field.
inline bool iequals(std::string_view a, std::string_view b) { return ascii::iequals(a, b); }

}  // namespace vigie::parse

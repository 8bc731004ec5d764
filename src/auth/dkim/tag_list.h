// Tag=value lists, RFC 6376 §3.2: the syntax shared by DKIM-Signature fields, DKIM key records and
// the ARC-Seal / ARC-Message-Signature fields of RFC 8617. This file owns only the list syntax and
// its hard limits; what each tag means belongs to the code that reads the list.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/result.h"

namespace vigie::auth::dkim {

// Limits that keep hostile lists cheap. A DKIM-Signature has about a dozen tags and its longest
// value is b= (an RSA-8192 signature is 1,366 base64 characters, more with folding); key records
// are shorter. The limits leave room for real fields and stop floods.
inline constexpr std::size_t kMaxTags = 64;
inline constexpr std::size_t kMaxTagValue = 16384;
inline constexpr std::size_t kMaxTagListSize = 65536;

struct Tag {
  std::string_view name;   // as written (tag names are case-sensitive, §3.2)
  std::string_view value;  // without surrounding whitespace; inner folding whitespace kept
};

struct TagList {
  std::vector<Tag> tags;  // in the order written

  // The value of the tag, nullopt when absent.
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
};

// What to do with an empty tag-spec (";;", a leading ';'). The grammar of §3.2,
// tag-list = tag-spec *( ";" tag-spec ) [ ";" ], allows none but a single ';' at the end.
enum class EmptyTagSpecs : std::uint8_t {
  kSkip,    // DKIM signatures and key records: real senders are sloppy, and nothing is ambiguous
  kReject,  // ARC-Seal: RFC 8617 validators (and its test suite) fail the chain on them
};

// Parses a tag-list. Views point into `text`. Fails (the message is the reason) on a tag-spec
// without '=', an invalid tag name, a control character in a value, a duplicate tag (§3.2: "tags
// with duplicate names MUST NOT occur ... the entire tag-list is invalid"), an empty tag-spec
// when `empty` is kReject, or a crossed limit. Otherwise lenient where nothing is ambiguous: bare
// LF counts as a line break inside folding whitespace, and bytes over 0x7E are allowed in values
// (RFC 8616 puts UTF-8 in some of them). A final ';', alone or followed by whitespace, is always
// accepted.
Result<TagList> parse_tag_list(std::string_view text, EmptyTagSpecs empty = EmptyTagSpecs::kSkip);

// Removes every whitespace byte (SP, HTAB, CR, LF): base64 values (b=, bh=, p=) may be folded.
std::string strip_whitespace(std::string_view value);

// Decodes a base64 tag value (b=, bh=, p=): whitespace anywhere is ignored, '=' padding is
// optional but only at the end. nullopt on any other byte or an impossible length.
std::optional<std::string> decode_base64(std::string_view value);

// Trims SP, HTAB, CR and LF on both sides.
std::string_view trim(std::string_view value);

}  // namespace vigie::auth::dkim

// Anomaly: a recorded fact that the message is malformed, hostile or over a limit. Parsing never
// fails on malformed mail; it records one of these and keeps going, so that analyzers can decide
// what matters for security (see src/analyzers/parse_anomalies).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigie {

using PartId = std::uint32_t;
inline constexpr PartId kNoPart = 0xffffffffu;

// An object of the scan's object tree (include/vigie/object.h): 0 is the message itself.
using ObjectId = std::uint32_t;
inline constexpr ObjectId kMessageObject = 0;
inline constexpr ObjectId kNoObject = 0xffffffffu;

// X-macro list: name, one-line meaning. Stable identifiers: they appear in JSON output.
#define VIGIE_ANOMALY_KINDS(X)                                                                 \
  X(kMessageTooLarge, "message_too_large", "message exceeds max_message_bytes")               \
  X(kDepthLimit, "depth_limit", "MIME nesting deeper than max_mime_depth; not descended")     \
  X(kPartLimit, "part_limit", "more MIME parts than max_parts; the rest is not split")       \
  X(kHeaderFieldLimit, "header_field_limit", "more header fields than max_header_fields")     \
  X(kDecodedSizeLimit, "decoded_size_limit", "decoded body over a size limit; truncated")     \
  X(kHtmlSizeLimit, "html_size_limit", "HTML part larger than max_html_bytes; truncated")     \
  X(kUrlLimit, "url_limit", "more URLs than max_urls")                                         \
  X(kNoHeader, "no_header", "a message without a single header field (empty, or a body alone)") \
  X(kNoHeaderBody, "no_header_body_separator", "no empty line between header and body")      \
  X(kHeaderSyntax, "header_syntax", "a header line that is not a field and not folding")     \
  X(kNulByte, "nul_byte", "NUL byte in header or text")                                        \
  X(kDuplicateHeader, "duplicate_header", "a header that must appear once appears again")     \
  X(kMissingBoundary, "missing_boundary", "multipart without a boundary parameter")           \
  X(kBoundaryNotFound, "boundary_not_found", "multipart whose boundary never occurs")         \
  X(kMissingCloseBoundary, "missing_close_boundary", "multipart not closed by --boundary--") \
  X(kNestedBoundaryPrefix, "nested_boundary_prefix",                                           \
    "a nested boundary starts with an outer one: clients split the message differently")      \
  X(kBoundaryWhitespace, "boundary_whitespace", "boundary line with trailing junk")           \
  X(kDuplicateContentType, "duplicate_content_type",                                           \
    "several Content-Type fields: clients disagree on which applies")                         \
  X(kInvalidContentType, "invalid_content_type", "unparsable Content-Type; text/plain used")  \
  X(kUnknownTransferEncoding, "unknown_transfer_encoding", "unknown Content-Transfer-Encoding") \
  X(kEncodingOnMultipart, "encoding_on_multipart", "multipart with a non-identity encoding")  \
  X(kBase64Garbage, "base64_garbage", "invalid characters or bad padding in base64")          \
  X(kQuotedPrintableInvalid, "qp_invalid", "invalid quoted-printable escape")                 \
  X(kUnknownCharset, "unknown_charset", "declared charset unknown; detected or assumed")     \
  X(kCharsetMismatch, "charset_mismatch", "bytes are not valid in the declared charset")      \
  X(kUndeclared8bit, "undeclared_8bit", "8-bit text without a declared charset")              \
  X(kUuencodeInText, "uuencode_in_text", "uuencoded file inside a text part")                 \
  X(kFilenameConflict, "filename_conflict",                                                    \
    "file name differs between Content-Disposition and Content-Type name")                    \
  X(kCalendarLimit, "calendar_limit",                                                          \
    "calendar part over a max_calendar_* limit; the rest is not read")                       \
  X(kCalendarMalformed, "calendar_malformed", "calendar part that libical cannot fully read")

enum class AnomalyKind : std::uint8_t {
#define VIGIE_X(id, name, doc) id,
  VIGIE_ANOMALY_KINDS(VIGIE_X)
#undef VIGIE_X
};

// Stable snake_case name of a kind, as written in JSON.
std::string_view anomaly_name(AnomalyKind kind);
// One-line description for humans.
std::string_view anomaly_description(AnomalyKind kind);

struct Anomaly {
  AnomalyKind kind;
  PartId part = kNoPart;      // part it belongs to, kNoPart for the top-level message header
  std::uint64_t offset = 0;   // byte offset in the part's source buffer, when meaningful
  std::uint64_t observed = 0; // observed count or size (for limits), 0 otherwise
  std::uint64_t limit = 0;    // the limit that was crossed, 0 when not a limit
  std::string detail;         // short detail: data (a header name, a charset...) or a word of ours
  std::string detail_fr;      // the French of a detail that is our word ("header"); empty for data
};

}  // namespace vigie

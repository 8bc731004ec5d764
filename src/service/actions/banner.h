// The reader's banner in the body of a warned message: which body parts get it, how it is written
// in each (plain text lines or a styled HTML block), and the part rewritten in its own charset and
// Content-Transfer-Encoding so that the MIME structure stays valid and every other part keeps its
// bytes.
//
// Which parts: a single text/plain or text/html body; in multipart/alternative each alternative
// (recursively); in any other multipart (mixed, related, report...) its first part, recursively
// (the start part of a multipart/related). Never an attachment, never inside an attached message.
// Whole-message refusals: multipart/signed, multipart/encrypted, application/(x-)pkcs7-mime,
// inline PGP in a chosen part, a message cut at max_message_bytes, no text body. Per-part refusals:
// larger than max_banner_part_bytes, a structural anomaly on the part or an enclosing multipart,
// an unsupported transfer encoding, a charset that is not ASCII-compatible (HTML), a text whose
// charset cannot carry the banner and whose reading is a guess (see below).
//
// Charsets: an HTML banner is ASCII (numeric character references), valid in the part's charset
// as it is. A text banner is written in the part's charset: UTF-8, or US-ASCII turned UTF-8 (the
// charset parameter changes); ISO-8859-* and windows-125* through iconv when every character
// exists there. Otherwise the whole text part is rewritten in UTF-8, read the way the parser reads
// it (src/parse/encoding/charset.h), when that reading was not a detection and met no invalid byte.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/actions/action_settings.h"
#include "service/actions/message_edits.h"
#include "vigie/localized_text.h"
#include "vigie/message.h"

namespace vigie::service {

struct BannerEdits {
  std::optional<std::string> body;  // the new top-level body (CRLF line ends), when a part changed
  // Content-Type / Content-Transfer-Encoding / MIME-Version changes of a single-part message.
  std::vector<HeaderEdit> headers;
  std::string skipped;     // why some or all parts got no banner; empty when none was refused
  std::size_t parts = 0;   // parts that got the banner
};

BannerEdits plan_banner(const ParsedMessage& message, const LocalizedText& banner, const ActionSettings& settings);

// The paragraphs of the banner in the configured languages, in order, made safe to show: no control
// or bidirectional-override characters, invalid UTF-8 bytes as '?', blanks collapsed. Empty
// paragraphs are dropped.
std::vector<std::string> banner_paragraphs(const LocalizedText& banner, const std::vector<std::string>& languages);

// The plain-text banner: each paragraph wrapped at 76 characters, a blank line between them, a
// separator line, a blank line; CRLF line ends, UTF-8.
std::string text_banner(const std::vector<std::string>& paragraphs);

// The HTML banner: one styled <div> (inline style, no external resource), every character outside
// printable ASCII written as a numeric character reference so that the block reads the same in any
// ASCII-compatible charset; lines under 78 characters.
std::string html_banner(const std::vector<std::string>& paragraphs);

// Where the banner goes in an HTML document: just after the <body> start tag, as the WHATWG
// tokenizer finds it (not inside a comment, script or attribute); 0 when there is none.
std::size_t html_banner_offset(std::string_view html);

// The ASCII text of a header value: folded at spaces so that lines stay within 78 columns where
// words allow, every byte outside printable ASCII replaced by '?', CR and LF by spaces. The result
// starts with a space and folds with CRLF + space.
std::string folded_header_value(std::string_view name, std::string_view value);

}  // namespace vigie::service

// Content-Transfer-Encoding encoders (RFC 2045 §6.7, §6.8), the writing side of
// transfer_decoding.h: used where vigie changes a message (the reader's banner,
// src/service/actions). Output lines end in CRLF, the form a message has on the wire and in a
// milter's body. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace vigie::parse {

// Base64 in lines of at most `line_length` characters (76 by RFC 2045 §6.8; rounded down to a
// multiple of 4), each followed by CRLF except the last.
std::string encode_base64(std::string_view data, std::size_t line_length = 76);

// Quoted-printable (RFC 2045 §6.7) of text whose line breaks (CRLF or a bare LF) are hard line
// breaks, written as CRLF. Lines are cut with soft breaks to at most 76 characters; '=', control
// bytes other than tab, bytes above 0x7E, and a space or tab at the end of a line are escaped. A
// "." or "From " at the start of a line is escaped too (=2E, =46), so the result survives SMTP
// dot-stuffing and mbox "From " quoting unchanged.
std::string encode_quoted_printable(std::string_view text);

}  // namespace vigie::parse

// Canonicalisation, RFC 6376 §3.4: the "simple" and "relaxed" forms of header fields and bodies
// that DKIM (and ARC, RFC 8617 §4.1) hash. This file owns the byte-level rules only; which fields
// are hashed and in what order is the verifier's business (dkim.cpp, arc.cpp).
//
// Line breaks. Messages stored on disk often use bare LF; the signer saw CRLF on the wire, so
// both forms here read LF as CRLF ("\r\n" and "\n" end a line; a CR alone is an ordinary byte).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigie::auth::dkim {

enum class Canon : std::uint8_t { kSimple, kRelaxed };

// "simple" or "relaxed".
std::string_view to_string(Canon canon);

// Appends the canonical form of one header field to `out`, CRLF included. `field` is the field
// as written: name, optional whitespace, ':', the value with its folding, no final line break.
//   simple  (§3.4.1): the bytes unchanged (bare LF in folding becomes CRLF).
//   relaxed (§3.4.2): name lowercased; value unfolded, whitespace runs made one SP, whitespace
//                     around the colon and at the value's end removed.
void canonicalize_header(Canon canon, std::string_view field, std::string& out);

// The canonical body (§3.4.3, §3.4.4).
//   simple:  trailing empty lines removed; an empty body becomes one CRLF; a missing final CRLF
//            is added.
//   relaxed: whitespace at line ends removed, whitespace runs made one SP, trailing empty lines
//            removed, a missing final CRLF added to a non-empty body; an empty body stays empty.
std::string canonicalize_body(Canon canon, std::string_view body);

}  // namespace vigie::auth::dkim

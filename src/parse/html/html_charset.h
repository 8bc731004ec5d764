// The charset an HTML document declares for itself in a <meta> element, found the way browsers
// and mail clients find it before parsing: the WHATWG prescan of the first 1024 bytes (HTML
// §13.2.3.2). A text/html part whose Content-Type carries no charset is displayed in this one;
// without it vigie would have to guess, and a guess can differ from what the reader sees.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigie::parse::html {

// Bytes the prescan reads, as the HTML standard and browsers do.
inline constexpr std::size_t kMetaPrescanBytes = 1024;

// The charset label of the first <meta charset> or <meta http-equiv="content-type" content="...;
// charset=..."> within the first kMetaPrescanBytes of document, lowercase; empty when there is
// none. UTF-16 labels give "utf-8" and x-user-defined gives "windows-1252" (§13.2.3.2 step
// "charset is UTF-16BE/LE": an ASCII-compatible prescan cannot have read UTF-16). The label is not
// checked against any charset table: the caller's converter decides whether it knows it.
std::string prescan_meta_charset(std::string_view document);

}  // namespace vigie::parse::html

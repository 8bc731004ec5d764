// URLs: normalisation, hosts and the registrable domain, and URLs found in plain text. Owns IDNA
// (ICU UTS #46, non-transitional, punycode both ways), percent-decoding of unreserved characters,
// IPv4 literal forms (decimal, hex, octal, dotted shortcuts, as browsers accept them) and the
// registrable domain via the public suffix list (libpsl; the process's list, built-in unless
// [lists] public_suffix_list names a file: public_suffix_list.h). Thread-safe.
//   url_normalize.cpp    normalize_url: the WHATWG parse of a URL as written, and its fast path
//   url_host.cpp         hosts: the host parser, IP literals, IDNA, registrable_domain,
//                        normalize_host (url_host.h: what normalisation uses of it)
//   url_text_finder.cpp  find_urls_in_text
//   public_suffix_list.cpp  the list registrable domains come from
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/content.h"

namespace vigie::parse {

// Fills every field of a Url from raw (trimmed; a URL without scheme that starts with "www." is
// read as http). Never fails: invalid hosts give valid=false with what could be recovered.
Url normalize_url(std::string_view raw, UrlSource source);

// Finds URLs in plain UTF-8 text: scheme URLs (http, https, ftp, mailto excluded, file, data,
// javascript), bare "www." forms, UNC paths (\\server\share...) and Windows protocol handlers
// (ms-msdt:, search-ms:, ms-word:..., mk:@MSITStore:), with trailing punctuation and
// closing brackets trimmed the way mail clients linkify. Returns views of text in order of
// appearance, at most max_urls.
std::vector<std::string_view> find_urls_in_text(std::string_view text, std::size_t max_urls);

// Finds URLs in a command line or a script (a shortcut's arguments, PDF JavaScript, PowerShell):
// find_urls_in_text, except that quotes, backquotes, semicolons, parentheses, pipes and commas end
// a URL, since there they delimit strings and statements ('https://x.example/a';iex...). Views of
// `code`, in order, at most max_urls.
std::vector<std::string_view> find_urls_in_code(std::string_view code, std::size_t max_urls);

// What registrable_domain() returns for a host that has no registrable domain (a public suffix,
// an IP literal, a single label).
enum class WithoutRegistrable : std::uint8_t {
  kEmpty,  // "": for URL fields and checks that must tell "none" apart
  kHost,   // the host itself: RFC 7489 §3.2's organizational domain, "the same organisation" tests
};

// The registrable domain (eTLD+1, public suffix list) of an ASCII host (any case, trailing dot
// allowed): the one definition of "organisation domain" for DMARC alignment, sender identities,
// link hosts and look-alikes.
std::string registrable_domain(std::string_view host_ascii,
                               WithoutRegistrable without = WithoutRegistrable::kEmpty);

// Lowercase ASCII host for a domain as written in an address, a display name or a list (IDNA for
// Unicode names, trailing dots and brackets removed); empty when it is not a usable host name.
std::string normalize_host(std::string_view domain);

namespace detail {
// normalize_url without its fast path for common http(s) URLs: the reference the fast path is
// tested against. Same result as normalize_url for every input; slower.
Url normalize_url_general(std::string_view raw, UrlSource source);
}  // namespace detail

}  // namespace vigie::parse

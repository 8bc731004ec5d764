// Hosts, inside src/parse/url: the WHATWG URL host parser (IP literals in every form browsers
// accept, IDNA per UTS #46 both ways) and the registrable domain from the public suffix list,
// memoised per thread. url_host.cpp implements these and the public host functions of url.h
// (registrable_domain, normalize_host); URL normalisation (url_normalize.cpp) calls them for the
// host of each URL. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace vigie::parse {

// A URL's host as the host parser leaves it.
struct UrlHost {
  std::string ascii;    // lowercase, punycode (xn--) labels; an IP literal serialised (WHATWG §3.6)
  std::string unicode;  // ascii with its punycode labels decoded (IDNA ToUnicode)
  bool is_ip = false;   // an IPv4 (any number form) or bracketed IPv6 literal

  void clear() {
    ascii.clear();
    unicode.clear();
    is_ip = false;
  }
};

// WHATWG URL §3.5 "host parser" for a special URL's host as written (percent-escapes, Unicode,
// IP literals). Returns false when the host is invalid; host then keeps what could be recovered.
bool parse_host(std::string_view input, UrlHost& host);

// WHATWG URL §3.5 "ends in a number checker": the host must then be an IPv4 address.
bool ends_in_a_number(std::string_view host);

// The registrable domain of a lowercase ASCII host (trailing dot allowed), "" when it has none
// (an IP literal, a public suffix, a single label). A view into a per-thread memo: valid until the
// next call on this thread.
std::string_view memoised_registrable_domain(std::string_view host_ascii);

}  // namespace vigie::parse

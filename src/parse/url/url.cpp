// URL normalisation, host canonicalisation and URL discovery in plain text. This file owns the one
// place where vigie turns a URL as written into the URL a browser would fetch: it follows the
// WHATWG URL Standard (https://url.spec.whatwg.org/) for the parts that matter to a security
// verdict — scheme, authority split, host parsing (IDNA per UTS #46, IPv4 number forms, IPv6) and
// port — and is deliberately lighter for path/query (only unreserved percent-escapes are decoded,
// RFC 3986 §6.2.2.2, so that two spellings of one URL compare equal without changing its meaning).
// The registrable domain comes from libpsl's built-in public suffix list. Nothing here throws on
// bad input: an unparsable URL yields valid=false with the fields that could be recovered.
#include "parse/url/url.h"

#include <unicode/uidna.h>

#include <libpsl.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/ascii.h"
#include "common/byte_scan.h"
#include "common/direct_memo.h"

namespace vigie::parse {
namespace {

constexpr bool is_hex_digit(unsigned char c) {
  return ascii::is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
constexpr int hex_value(unsigned char c) {
  return ascii::is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}
// RFC 3986 §2.3 unreserved characters: decoding their escapes never changes a URL's meaning.
constexpr bool is_unreserved(unsigned char c) {
  return ascii::is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

void lower_in_place(std::string& s) {
  for (char& c : s) c = ascii::lower(c);
}

using ascii::iequals;
using ascii::istarts_with;

// WHATWG URL §4.1 "special schemes": they have a host, a default port, and treat '\' like '/'.
bool is_special_scheme(std::string_view scheme) {
  return scheme == "http" || scheme == "https" || scheme == "ftp" || scheme == "ws" ||
         scheme == "wss" || scheme == "file";
}

int default_port(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws") return 80;
  if (scheme == "https" || scheme == "wss") return 443;
  if (scheme == "ftp") return 21;
  return -1;
}

// Decodes %XX escapes of unreserved characters, upper-cases the hex of the others (RFC 3986
// §6.2.2.1 case normalisation), keeps everything else byte for byte.
void append_decoding_unreserved(std::string& out, std::string_view in) {
  out.reserve(out.size() + in.size());
  // Runs between escapes are copied in bulk: most of a URL has no '%', and a byte-wise push_back
  // showed up in profiles of link-heavy HTML.
  std::size_t i = 0;
  while (i < in.size()) {
    const void* hit = std::memchr(in.data() + i, '%', in.size() - i);
    const std::size_t pct = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - in.data())
                                : in.size();
    out.append(in.data() + i, pct - i);
    if (pct == in.size()) break;
    if (pct + 2 < in.size() && is_hex_digit(in[pct + 1]) && is_hex_digit(in[pct + 2])) {
      const auto decoded =
          static_cast<unsigned char>(hex_value(in[pct + 1]) * 16 + hex_value(in[pct + 2]));
      if (is_unreserved(decoded)) {
        out.push_back(static_cast<char>(decoded));
      } else {
        out.push_back('%');
        out.push_back(ascii::hex_digit(decoded >> 4, true));
        out.push_back(ascii::hex_digit(decoded, true));
      }
      i = pct + 3;
    } else {
      out.push_back('%');
      i = pct + 1;
    }
  }
}

bool contains_byte(std::string_view s, char c) {
  return !s.empty() && std::memchr(s.data(), c, s.size()) != nullptr;
}

// RFC 3986 §5.2.4 remove_dot_segments (the WHATWG path state reaches the same result for
// special URLs, %2e included since it is decoded as unreserved before this runs).
std::string remove_dot_segments(std::string_view path) {
  if (path.find('.') == std::string_view::npos) return std::string(path);
  std::string out;
  out.reserve(path.size());
  std::size_t i = 0;
  while (i < path.size()) {
    std::string_view rest = path.substr(i);
    if (rest.starts_with("../")) {
      i += 3;
    } else if (rest.starts_with("./")) {
      i += 2;
    } else if (rest.starts_with("/./")) {
      i += 2;
    } else if (rest == "/.") {
      out.push_back('/');
      break;
    } else if (rest.starts_with("/../") || rest == "/..") {
      const std::size_t slash = out.rfind('/');
      out.resize(slash == std::string::npos ? 0 : slash);
      if (rest == "/..") {
        out.push_back('/');
        break;
      }
      i += 3;
    } else if (rest == "." || rest == "..") {
      break;
    } else {
      std::size_t next = path.find('/', i + 1);
      if (next == std::string_view::npos) next = path.size();
      out.append(path.substr(i, next - i));
      i = next;
    }
  }
  return out;
}

// ---- IP literals --------------------------------------------------------------------------

std::string serialize_ipv4(std::uint32_t address) {
  std::string out;
  out.reserve(15);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.append(std::to_string((address >> shift) & 0xff));
    if (shift != 0) out.push_back('.');
  }
  return out;
}

// WHATWG URL §3.5 "IPv4 number parser": 0x/0X → hex, leading 0 → octal, else decimal.
std::optional<std::uint64_t> parse_ipv4_number(std::string_view part) {
  if (part.empty()) return std::nullopt;
  int radix = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    radix = 16;
    part.remove_prefix(2);
  } else if (part.size() >= 2 && part[0] == '0') {
    radix = 8;
    part.remove_prefix(1);
  }
  if (part.empty()) return 0;  // "0x" alone is zero
  std::uint64_t value = 0;
  for (const char c : part) {
    int digit;
    if (radix == 16 && is_hex_digit(c)) {
      digit = hex_value(c);
    } else if (ascii::is_digit(c) && c - '0' < radix) {
      digit = c - '0';
    } else {
      return std::nullopt;
    }
    value = value * radix + digit;
    if (value > 0xffffffffull) value = 0x100000000ull;  // saturate: any overflow is a failure
  }
  return value;
}

// WHATWG URL §3.5 "ends in a number checker".
bool ends_in_a_number(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  const std::size_t dot = host.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty()) return false;
  bool all_digits = true;
  for (const char c : last) all_digits = all_digits && ascii::is_digit(c);
  if (all_digits) return true;
  if (last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')) {
    for (const char c : last.substr(2)) {
      if (!is_hex_digit(c)) return false;
    }
    return true;
  }
  return false;
}

// WHATWG URL §3.5 "IPv4 parser": 1 to 4 parts, the last one fills the remaining bytes
// ("192.168.257" = 192.168.1.1, "3232235777" = 192.168.1.1).
std::optional<std::uint32_t> parse_ipv4(std::string_view host) {
  std::array<std::uint64_t, 4> numbers{};
  std::size_t count = 0;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty()) return std::nullopt;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = host.find('.', start);
    const std::string_view part =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (count == 4) return std::nullopt;
    const auto number = parse_ipv4_number(part);
    if (!number) return std::nullopt;
    numbers[count++] = *number;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  for (std::size_t i = 0; i + 1 < count; ++i) {
    if (numbers[i] > 255) return std::nullopt;
  }
  const std::uint64_t last_limit = 1ull << (8 * (5 - count));
  if (numbers[count - 1] >= last_limit) return std::nullopt;
  std::uint64_t address = numbers[count - 1];
  for (std::size_t i = 0; i + 1 < count; ++i) address += numbers[i] << (8 * (3 - i));
  return static_cast<std::uint32_t>(address);
}

// WHATWG URL §3.5 "IPv6 parser" (input without the brackets), including an embedded IPv4 tail.
std::optional<std::array<std::uint16_t, 8>> parse_ipv6(std::string_view in) {
  std::array<std::uint16_t, 8> address{};
  int piece_index = 0;
  int compress = -1;
  std::size_t p = 0;
  const auto at = [&](std::size_t i) -> int {
    return i < in.size() ? static_cast<unsigned char>(in[i]) : -1;
  };
  if (at(p) == ':') {
    if (at(p + 1) != ':') return std::nullopt;
    p += 2;
    compress = ++piece_index;
  }
  while (at(p) != -1) {
    if (piece_index == 8) return std::nullopt;
    if (at(p) == ':') {
      if (compress != -1) return std::nullopt;
      ++p;
      compress = ++piece_index;
      continue;
    }
    int value = 0;
    int length = 0;
    while (length < 4 && at(p) != -1 && is_hex_digit(static_cast<unsigned char>(at(p)))) {
      value = value * 16 + hex_value(static_cast<unsigned char>(at(p)));
      ++p;
      ++length;
    }
    if (at(p) == '.') {
      if (length == 0) return std::nullopt;
      p -= length;
      if (piece_index > 6) return std::nullopt;
      int numbers_seen = 0;
      while (at(p) != -1) {
        int ipv4_piece = -1;
        if (numbers_seen > 0) {
          if (at(p) == '.' && numbers_seen < 4) {
            ++p;
          } else {
            return std::nullopt;
          }
        }
        if (at(p) == -1 || !ascii::is_digit(static_cast<unsigned char>(at(p)))) return std::nullopt;
        while (at(p) != -1 && ascii::is_digit(static_cast<unsigned char>(at(p)))) {
          const int number = at(p) - '0';
          if (ipv4_piece == -1) {
            ipv4_piece = number;
          } else if (ipv4_piece == 0) {
            return std::nullopt;
          } else {
            ipv4_piece = ipv4_piece * 10 + number;
          }
          if (ipv4_piece > 255) return std::nullopt;
          ++p;
        }
        address[piece_index] = static_cast<std::uint16_t>(address[piece_index] * 0x100 + ipv4_piece);
        ++numbers_seen;
        if (numbers_seen == 2 || numbers_seen == 4) ++piece_index;
      }
      if (numbers_seen != 4) return std::nullopt;
      break;
    }
    if (at(p) == ':') {
      ++p;
      if (at(p) == -1) return std::nullopt;
    } else if (at(p) != -1) {
      return std::nullopt;
    }
    address[piece_index++] = static_cast<std::uint16_t>(value);
  }
  if (compress != -1) {
    int swaps = piece_index - compress;
    piece_index = 7;
    while (piece_index != 0 && swaps > 0) {
      std::swap(address[piece_index], address[compress + swaps - 1]);
      --piece_index;
      --swaps;
    }
  } else if (piece_index != 8) {
    return std::nullopt;
  }
  return address;
}

// WHATWG URL §3.6 IPv6 serializer: the first longest run (≥2) of zero pieces becomes "::".
std::string serialize_ipv6(const std::array<std::uint16_t, 8>& address) {
  int best_start = -1;
  int best_len = 1;
  for (int i = 0; i < 8;) {
    if (address[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && address[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out = "[";
  bool ignore0 = false;
  for (int i = 0; i < 8; ++i) {
    if (ignore0 && address[i] == 0) continue;
    ignore0 = false;
    if (i == best_start) {
      out.append(i == 0 ? "::" : ":");
      ignore0 = true;
      continue;
    }
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const int nibble = (address[i] >> shift) & 15;
      if (nibble != 0 || started || shift == 0) {
        out.push_back(ascii::hex_digit(static_cast<unsigned>(nibble)));
        started = true;
      }
    }
    if (i != 7) out.push_back(':');
  }
  out.push_back(']');
  return out;
}

// ---- Domains --------------------------------------------------------------------------------

// WHATWG URL §3.2 "forbidden domain code point".
bool is_forbidden_domain_byte(unsigned char c) {
  if (c <= 0x20 || c == 0x7f) return true;
  switch (c) {
    case '#': case '%': case '/': case ':': case '<': case '>': case '?': case '@':
    case '[': case '\\': case ']': case '^': case '|':
      return true;
    default:
      return false;
  }
}

// One UTS #46 processor for the process: ICU documents a UIDNA as usable concurrently from several
// threads once created, and creating one loads mapping data, so it is built once.
// Options follow WHATWG URL §3.3 "domain to ASCII": non-transitional processing (ß, ς, ZWJ kept,
// as browsers do since 2017), CheckBidi and CheckJoiners on, UseSTD3ASCIIRules off.
const UIDNA* uts46() {
  static const UIDNA* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    UIDNA* idna = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE |
                                      UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ,
                                  &status);
    return U_SUCCESS(status) ? idna : nullptr;
  }();
  return instance;
}

// WHATWG runs UTS #46 with CheckHyphens=false and VerifyDnsLength=false (beStrict is false for
// URLs), so ICU's reports about hyphen positions and label/domain length are not failures.
constexpr std::uint32_t kIgnoredIdnaErrors =
    UIDNA_ERROR_EMPTY_LABEL | UIDNA_ERROR_LABEL_TOO_LONG | UIDNA_ERROR_DOMAIN_NAME_TOO_LONG |
    UIDNA_ERROR_LEADING_HYPHEN | UIDNA_ERROR_TRAILING_HYPHEN | UIDNA_ERROR_HYPHEN_3_4;

enum class IdnaDirection { kToAscii, kToUnicode };

// Returns false on a UTS #46 error that WHATWG treats as a failure.
bool run_idna(IdnaDirection direction, std::string_view in, std::string& out) {
  const UIDNA* idna = uts46();
  if (idna == nullptr) return false;
  out.resize(in.size() * 2 + 16);
  for (int attempt = 0; attempt < 2; ++attempt) {
    UErrorCode status = U_ZERO_ERROR;
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    const int32_t length =
        direction == IdnaDirection::kToAscii
            ? uidna_nameToASCII_UTF8(idna, in.data(), static_cast<int32_t>(in.size()), out.data(),
                                     static_cast<int32_t>(out.size()), &info, &status)
            : uidna_nameToUnicodeUTF8(idna, in.data(), static_cast<int32_t>(in.size()), out.data(),
                                      static_cast<int32_t>(out.size()), &info, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR && attempt == 0) {
      out.resize(static_cast<std::size_t>(length) + 1);
      continue;
    }
    if (U_FAILURE(status) || length < 0) {
      out.clear();
      return false;
    }
    out.resize(static_cast<std::size_t>(length));
    return (info.errors & ~kIgnoredIdnaErrors) == 0;
  }
  out.clear();
  return false;
}

// An ASCII host made only of letters, digits, '-', '.', '_' with no "xn--" label maps to itself
// lowercased under UTS #46 (non-STD3), so ICU is skipped for the common case.
bool is_plain_ascii_host(std::string_view host) {
  for (std::size_t i = 0; i < host.size(); ++i) {
    const auto c = static_cast<unsigned char>(host[i]);
    if (!(ascii::is_alnum(c) || c == '-' || c == '.' || c == '_')) return false;
    if ((c == 'x' || c == 'X') && (i == 0 || host[i - 1] == '.') && istarts_with(host.substr(i), "xn--")) {
      return false;
    }
  }
  return true;
}

std::string percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && is_hex_digit(in[i + 1]) && is_hex_digit(in[i + 2])) {
      out.push_back(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// A Url while it is being normalised: one string per field, reused from one URL to the next (see
// normalize), then packed into the Url's single buffer.
struct UrlDraft {
  std::string raw, normalized, scheme, host_ascii, host_unicode, registrable_domain, userinfo;
  std::int32_t port = -1;
  bool host_is_ip = false;
  bool valid = true;

  void reset() {
    for (std::string* field : {&raw, &normalized, &scheme, &host_ascii, &host_unicode, &registrable_domain, &userinfo}) {
      field->clear();
    }
    port = -1;
    host_is_ip = false;
    valid = true;
  }
};

// WHATWG URL §3.5 "host parser" for a special URL, writing host fields of url. Returns false when
// the host is invalid (url keeps what could be recovered).
bool parse_host(std::string_view input, UrlDraft& url) {
  if (input.empty()) return false;
  if (input.front() == '[') {
    if (input.size() < 2 || input.back() != ']') {
      url.host_ascii = std::string(input);
      return false;
    }
    const auto v6 = parse_ipv6(input.substr(1, input.size() - 2));
    url.host_is_ip = true;
    if (!v6) {
      url.host_ascii = std::string(input);
      lower_in_place(url.host_ascii);
      url.host_unicode = url.host_ascii;
      return false;
    }
    url.host_ascii = serialize_ipv6(*v6);
    url.host_unicode = url.host_ascii;
    return true;
  }
  std::string decoded = percent_decode(input);
  bool ok = true;
  if (is_plain_ascii_host(decoded)) {
    lower_in_place(decoded);
    url.host_ascii = decoded;
  } else {
    ok = run_idna(IdnaDirection::kToAscii, decoded, url.host_ascii);
    if (!ok) {
      url.host_ascii = decoded;
      lower_in_place(url.host_ascii);
    }
  }
  if (url.host_ascii.empty()) ok = false;
  for (const char c : url.host_ascii) {
    if (is_forbidden_domain_byte(static_cast<unsigned char>(c))) ok = false;
  }
  if (ok && ends_in_a_number(url.host_ascii)) {
    url.host_is_ip = true;
    const auto v4 = parse_ipv4(url.host_ascii);
    if (!v4) {
      url.host_unicode = url.host_ascii;
      return false;
    }
    url.host_ascii = serialize_ipv4(*v4);
    url.host_unicode = url.host_ascii;
    return true;
  }
  if (!ok) {
    url.host_unicode = std::move(decoded);
    return false;
  }
  if (url.host_ascii.find("xn--") == std::string::npos) {
    url.host_unicode = url.host_ascii;
  } else if (!run_idna(IdnaDirection::kToUnicode, url.host_ascii, url.host_unicode)) {
    url.host_unicode = url.host_ascii;
  }
  return true;
}

// WHATWG URL §4.4 "port state": ASCII digits only, at most 65535; empty means no port.
bool parse_port(std::string_view text, std::int32_t& port) {
  port = -1;
  if (text.empty()) return true;
  std::int64_t value = 0;
  for (const char c : text) {
    if (!ascii::is_digit(c)) return false;
    value = value * 10 + (c - '0');
    if (value > 65535) return false;
  }
  port = static_cast<std::int32_t>(value);
  return true;
}

// Splits "//authority/path?query#fragment" (the leading slashes already removed) and fills url.
void parse_hierarchical(std::string_view rest, bool special, bool is_file, UrlDraft& url) {
  // Authority ends at '/', '?', '#' and, for special schemes, '\' (WHATWG §4.4 authority state).
  std::size_t end = 0;
  while (end < rest.size()) {
    const char c = rest[end];
    if (c == '/' || c == '?' || c == '#' || (special && c == '\\')) break;
    ++end;
  }
  std::string_view authority = rest.substr(0, end);
  std::string_view tail = rest.substr(end);

  // Everything before the last '@' is userinfo (WHATWG percent-encodes earlier '@'s into it).
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    url.userinfo = std::string(authority.substr(0, at));
    authority.remove_prefix(at + 1);
  }
  // Host ends at the first ':' outside brackets (WHATWG §4.4 host state).
  std::string_view host = authority;
  std::string_view port_text;
  bool has_port = false;
  bool in_brackets = false;
  for (std::size_t i = 0; i < authority.size(); ++i) {
    if (authority[i] == '[') in_brackets = true;
    if (authority[i] == ']') in_brackets = false;
    if (authority[i] == ':' && !in_brackets) {
      host = authority.substr(0, i);
      port_text = authority.substr(i + 1);
      has_port = true;
      break;
    }
  }
  bool valid = true;
  if (is_file && host.empty()) {
    // file:///path has an empty host, which is valid for file: only.
  } else if (is_file && host.size() == 1 && ascii::is_alpha(host[0]) && has_port && port_text.empty()) {
    // WHATWG "Windows drive letter" quirk: file://C:/x is a path, not a host.
    tail = rest;
    host = {};
    has_port = false;
  } else {
    valid = parse_host(host, url);
  }
  if (has_port && !parse_port(port_text, url.port)) valid = false;
  url.valid = valid;

  // Path, query, fragment.
  std::string_view path = tail;
  std::string_view query;
  std::string_view fragment;
  bool has_query = false;
  bool has_fragment = false;
  const std::size_t hash = path.find('#');
  if (hash != std::string_view::npos) {
    fragment = path.substr(hash + 1);
    path = path.substr(0, hash);
    has_fragment = true;
  }
  const std::size_t question = path.find('?');
  if (question != std::string_view::npos) {
    query = path.substr(question + 1);
    path = path.substr(0, question);
    has_query = true;
  }
  std::string decoded_path;
  append_decoding_unreserved(decoded_path, path);
  if (special) {
    for (char& c : decoded_path) {
      if (c == '\\') c = '/';  // WHATWG §4.4 path state: '\' is a separator in special URLs
    }
    decoded_path = remove_dot_segments(decoded_path);
    if (decoded_path.empty() || decoded_path.front() != '/') decoded_path.insert(0, 1, '/');
  }

  std::string& out = url.normalized;
  out.reserve(url.scheme.size() + url.host_ascii.size() + rest.size() + 8);
  if (!url.scheme.empty()) {
    out.append(url.scheme);
    out.push_back(':');
  }
  out.append("//");
  out.append(url.host_ascii);
  // WHATWG serialises no port when it equals the scheme's default; url.port still says it was there.
  if (url.port >= 0 && url.port != default_port(url.scheme)) {
    out.push_back(':');
    out.append(std::to_string(url.port));
  }
  out.append(decoded_path);
  if (has_query) {
    out.push_back('?');
    append_decoding_unreserved(out, query);
  }
  if (has_fragment) {
    out.push_back('#');
    append_decoding_unreserved(out, fragment);
  }
}

// registrable_domain, as a view into a per-thread memo: valid until the next call on this thread.
// Mail repeats the same few hosts (tracking, images, the sender's site): the memo saves the
// suffix-list walk. Hosts longer than a DNS name are not memoised.
std::string_view memoised_registrable_domain(std::string_view host_ascii) {
  if (host_ascii.empty() || host_ascii.front() == '[') return {};
  if (host_ascii.back() == '.') host_ascii.remove_suffix(1);  // "example.com." is example.com
  if (host_ascii.empty() || ends_in_a_number(host_ascii)) return {};
  const psl_ctx_t* psl = psl_builtin();
  if (psl == nullptr) return {};
  thread_local DirectMemo<std::string, 4096, 255> memo;
  return memo.get(host_ascii, [psl](const std::string& host) {  // libpsl wants a NUL-terminated string
    const char* domain = psl_registrable_domain(psl, host.c_str());
    return domain == nullptr ? std::string() : std::string(domain);
  });
}

// WHATWG URL §4.4 removes leading/trailing C0 controls and spaces, and every tab and newline.
// Tabs and newlines inside a URL are rare (folded href attributes), so the copy is made once at
// its final size and only rewritten when one is actually present.
void clean_input(std::string_view raw, std::string& out) {
  while (!raw.empty() && static_cast<unsigned char>(raw.front()) <= 0x20) raw.remove_prefix(1);
  while (!raw.empty() && static_cast<unsigned char>(raw.back()) <= 0x20) raw.remove_suffix(1);
  out.assign(raw);
  // One vector scan, not string_view::find_first_of: with a 3-byte set that one calls memchr once
  // per input byte, and data: URLs of several hundred KiB reach this.
  const char* const end = raw.data() + raw.size();
  if (scan::find_any(raw.data(), end, '\t', '\n', '\r') != end) {
    std::erase_if(out, [](char x) { return x == '\t' || x == '\n' || x == '\r'; });
  }
}

// Fast path for the shape nearly every URL in mail has: http(s) with an ASCII letters/digits/
// '-'/'.'/'_' host that is not an IPv4 number form and has no "xn--", an optional numeric port, no
// userinfo, no brackets, no escapes in the authority, and a path without '\\' or dot segments
// ("/." or "/%2e"). For exactly that shape every step of the general path is an identity or a
// lowercase (percent_decode: no '%'; UTS #46 on such a host: lowercase; remove_dot_segments:
// nothing to remove), so the fields can be written directly, each with one allocation at most.
// `rest` is what follows the scheme's slashes. Returns false without touching url when the input
// is outside that shape; the general path then handles it (it is the reference — see
// detail::normalize_url_general and the equivalence test).
bool normalize_common_http(std::string_view scheme, std::string_view rest, UrlDraft& url) {
  std::size_t end = 0;
  while (end < rest.size()) {
    const char c = rest[end];
    if (c == '/' || c == '?' || c == '#' || c == '\\') break;
    ++end;
  }
  const std::string_view authority = rest.substr(0, end);
  const std::string_view tail = rest.substr(end);

  std::size_t host_end = 0;
  while (host_end < authority.size()) {
    const auto c = static_cast<unsigned char>(authority[host_end]);
    if (c == ':') break;
    if (!(ascii::is_alnum(c) || c == '-' || c == '.' || c == '_')) return false;
    ++host_end;
  }
  const std::string_view host = authority.substr(0, host_end);
  if (host.empty() || ends_in_a_number(host)) return false;
  // Any "xn--", not only at a label start: the general path runs ToUnicode whenever the ASCII host
  // contains it, and the fast path must never differ from it.
  for (std::size_t i = 0; i + 4 <= host.size(); ++i) {
    if ((host[i] == 'x' || host[i] == 'X') && istarts_with(host.substr(i), "xn--")) return false;
  }
  std::int32_t port = -1;
  if (host_end < authority.size() && !parse_port(authority.substr(host_end + 1), port)) return false;

  const std::size_t hash = tail.find('#');
  const std::string_view before_hash = tail.substr(0, hash);
  const std::size_t question = before_hash.find('?');
  const std::string_view path = before_hash.substr(0, question);
  if (contains_byte(path, '\\')) return false;
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
       slash = path.find('/', slash + 1)) {
    const std::string_view after = path.substr(slash + 1);
    if (after.starts_with('.') || istarts_with(after, "%2e")) return false;
  }

  url.scheme.assign(scheme);
  url.host_ascii.assign(host);
  lower_in_place(url.host_ascii);
  url.host_unicode = url.host_ascii;
  url.port = port;
  std::string& out = url.normalized;
  out.reserve(scheme.size() + 3 + host.size() + 6 + tail.size() + 1);
  out.append(scheme).append("://").append(url.host_ascii);
  if (port >= 0 && port != default_port(scheme)) {
    out.push_back(':');
    out.append(std::to_string(port));
  }
  if (path.empty()) out.push_back('/');
  append_decoding_unreserved(out, path);
  if (question != std::string_view::npos) {
    out.push_back('?');
    append_decoding_unreserved(out, before_hash.substr(question + 1));
  }
  if (hash != std::string_view::npos) {
    out.push_back('#');
    append_decoding_unreserved(out, tail.substr(hash + 1));
  }
  url.registrable_domain.assign(memoised_registrable_domain(url.host_ascii));
  return true;
}

}  // namespace

std::string registrable_domain(std::string_view host_ascii, WithoutRegistrable without) {
  std::string lowered;
  if (std::any_of(host_ascii.begin(), host_ascii.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    lowered = ascii::lowercase(host_ascii);
    host_ascii = lowered;
  }
  std::string registrable(memoised_registrable_domain(host_ascii));
  if (registrable.empty() && without == WithoutRegistrable::kHost) {
    while (!host_ascii.empty() && host_ascii.back() == '.') host_ascii.remove_suffix(1);
    registrable = host_ascii;
  }
  return registrable;
}

std::string normalize_host(std::string_view domain) {
  while (!domain.empty() && (domain.back() == '.' || domain.back() == '>' || domain.back() == ']')) {
    domain.remove_suffix(1);
  }
  while (!domain.empty() && (domain.front() == '[' || domain.front() == '<')) domain.remove_prefix(1);
  if (domain.empty() || domain.size() > 253) return {};
  bool ascii_simple = true;
  std::string host;
  host.reserve(domain.size());
  for (char c : domain) {
    const char lower = ascii::lower(c);
    if (!((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '-' ||
          lower == '.')) {
      ascii_simple = false;
    }
    host.push_back(lower);
  }
  if (ascii_simple) return host.find("..") == std::string::npos ? host : std::string();
  const Url url = normalize_url("http://" + std::string(domain) + "/", UrlSource::kText);
  if (!url.valid || url.host_is_ip) return {};
  return std::string(url.host_ascii());
}

namespace {

// The whole normalisation; `try_fast` = false forces the general path so tests can check that the
// fast path never changes a result.
void normalize_into(std::string_view raw, bool try_fast, UrlDraft& url) {
  clean_input(raw, url.raw);
  const std::string& input = url.raw;
  std::string_view in = input;

  // WHATWG §4.4 scheme state: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":".
  std::size_t colon = std::string_view::npos;
  if (!in.empty() && ascii::is_alpha(in[0])) {
    for (std::size_t i = 1; i < in.size(); ++i) {
      const auto c = static_cast<unsigned char>(in[i]);
      if (c == ':') {
        colon = i;
        break;
      }
      if (!(ascii::is_alnum(c) || c == '+' || c == '-' || c == '.')) break;
    }
  }

  if (try_fast) {
    if (colon == std::string_view::npos) {
      if (istarts_with(in, "www.") && normalize_common_http("http", in, url)) return;
    } else if (colon == 4 || colon == 5) {
      const std::string_view scheme = in.substr(0, colon);
      if (iequals(scheme, "http") || iequals(scheme, "https")) {
        // Same slash skipping as the general path (special authority ignore slashes state).
        std::string_view rest = in.substr(colon + 1);
        while (!rest.empty() && (rest.front() == '/' || rest.front() == '\\')) rest.remove_prefix(1);
        if (normalize_common_http(colon == 4 ? "http" : "https", rest, url)) return;
      }
    }
  }

  if (colon == std::string_view::npos) {
    if (istarts_with(in, "www.")) {
      // Mail clients linkify bare www. forms as http (and so do the HTML href of some clients).
      url.scheme = "http";
      parse_hierarchical(in, true, false, url);
    } else if (in.size() >= 2 && (in[0] == '/' || in[0] == '\\') && (in[1] == '/' || in[1] == '\\')) {
      // Scheme-relative: the host is known even if the scheme depends on a base we do not have.
      parse_hierarchical(in.substr(2), true, false, url);
    } else {
      // A relative reference: no host to check; kept as written.
      url.normalized = input;
    }
    if (url.valid && !url.host_is_ip) url.registrable_domain.assign(memoised_registrable_domain(url.host_ascii));
    return;
  }

  url.scheme = std::string(in.substr(0, colon));
  lower_in_place(url.scheme);
  std::string_view rest = in.substr(colon + 1);
  const bool special = is_special_scheme(url.scheme);
  if (special) {
    const bool is_file = url.scheme == "file";
    if (is_file) {
      if (rest.size() >= 2 && (rest[0] == '/' || rest[0] == '\\') && (rest[1] == '/' || rest[1] == '\\')) {
        parse_hierarchical(rest.substr(2), true, true, url);
      } else {
        url.normalized = "file://";
        std::string path;
        append_decoding_unreserved(path, rest);
        if (path.empty() || path.front() != '/') url.normalized.push_back('/');
        url.normalized.append(path);
      }
    } else {
      // WHATWG §4.4 "special authority ignore slashes state": any run of '/' or '\' is skipped,
      // so "http:\\\\evil.example" and "http:evil.example" both reach evil.example.
      while (!rest.empty() && (rest.front() == '/' || rest.front() == '\\')) rest.remove_prefix(1);
      parse_hierarchical(rest, true, false, url);
    }
  } else if (rest.starts_with("//")) {
    parse_hierarchical(rest.substr(2), false, false, url);
  } else {
    // Opaque URLs (mailto:, data:, javascript:, tel:, cid:...) have no host.
    url.normalized.reserve(url.scheme.size() + 1 + rest.size());
    url.normalized.append(url.scheme).append(":").append(rest);
  }
  if (url.valid && !url.host_is_ip) url.registrable_domain.assign(memoised_registrable_domain(url.host_ascii));
}

Url normalize(std::string_view raw, UrlSource source, bool try_fast) {
  // One draft per thread: its strings keep their capacity from one URL to the next, so the Url's
  // own buffer is the only allocation.
  thread_local UrlDraft draft;
  draft.reset();
  normalize_into(raw, try_fast, draft);
  Url url;
  url.source = source;
  url.port = draft.port;
  url.host_is_ip = draft.host_is_ip;
  url.valid = draft.valid;
  url.assign_text({draft.raw, draft.normalized, draft.scheme, draft.host_ascii, draft.host_unicode,
                   draft.registrable_domain, draft.userinfo});
  return url;
}

}  // namespace

Url normalize_url(std::string_view raw, UrlSource source) {
  // Mail repeats its links (the same tracking URL on a banner's image and on its text; a third of
  // the URLs of the shared corpus repeat one earlier in the same message): the last results are
  // remembered per thread. Bounded: 256 entries, URLs over 1 KiB are not remembered.
  thread_local DirectMemo<Url, 256, 1024> memo;
  Url url = memo.get(raw, [](const std::string& key) { return normalize(key, UrlSource::kText, true); });
  url.source = source;
  return url;
}

namespace detail {
Url normalize_url_general(std::string_view raw, UrlSource source) {
  return normalize(raw, source, false);
}
}  // namespace detail

}  // namespace vigie::parse

namespace vigie {

void Url::assign_text(const std::array<std::string_view, kFieldCount>& fields) {
  // The earlier field each one most often ends (so shares the bytes of): the Unicode host is
  // usually the ASCII host, and the registrable domain ends the host. kFieldCount: stored on its
  // own (the normalised form too: comparing it with the raw URL cost more than the bytes saved).
  static constexpr std::array<std::size_t, kFieldCount> kSharesWith = {
      kFieldCount, kFieldCount, kFieldCount, kFieldCount,
      static_cast<std::size_t>(Field::kHostAscii), static_cast<std::size_t>(Field::kHostAscii), kFieldCount};
  std::size_t total = 0;
  for (const std::string_view f : fields) total += f.size();
  text_.clear();
  text_.reserve(total);
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    const std::string_view f = fields[i];
    Span& span = spans_[i];
    span = Span{static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(f.size())};
    const std::size_t j = kSharesWith[i];
    if (!f.empty() && j < i && field(static_cast<Field>(j)).ends_with(f)) {
      span.offset = spans_[j].offset + spans_[j].length - span.length;
    } else {
      text_.append(f);
    }
  }
}

}  // namespace vigie

namespace vigie::parse {

// ---- URLs in plain text ---------------------------------------------------------------------

namespace {

// Length of a UTF-8 encoded Unicode space at p (NBSP, U+2000–U+200B, U+2028/9, U+202F, U+205F,
// U+3000), 0 if none: mail clients end a link at any of them.
std::size_t unicode_space_length(std::string_view text, std::size_t p) {
  const auto b = [&](std::size_t i) {
    return p + i < text.size() ? static_cast<unsigned char>(text[p + i]) : 0;
  };
  if (b(0) == 0xC2 && b(1) == 0xA0) return 2;
  if (b(0) == 0xE2 && b(1) == 0x80 && (b(2) <= 0x8B || b(2) == 0xA8 || b(2) == 0xA9 || b(2) == 0xAF))
    return 3;
  if (b(0) == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return 3;
  if (b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;
  return 0;
}

// End of the URL that starts at `start`: at whitespace, '<', '>', '"' or a control character.
std::size_t scan_url_end(std::string_view text, std::size_t start) {
  std::size_t p = start;
  while (p < text.size()) {
    const auto c = static_cast<unsigned char>(text[p]);
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"') break;
    if (c >= 0xC2 && unicode_space_length(text, p) != 0) break;
    ++p;
  }
  return p;
}

// Trailing punctuation is sentence punctuation, not URL (what Thunderbird, Gmail and Outlook do):
// . , ; : ! ? ' and a closing bracket without its opening one in the URL; also the ideographic
// full stop and comma (U+3002, U+3001, U+FF0C) after URLs in CJK text.
std::size_t trim_url_end(std::string_view text, std::size_t start, std::size_t end) {
  while (end > start) {
    const char c = text[end - 1];
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'') {
      --end;
      continue;
    }
    if (c == ')' || c == ']' || c == '}') {
      const char open = c == ')' ? '(' : (c == ']' ? '[' : '{');
      int balance = 0;
      for (std::size_t i = start; i < end; ++i) {
        if (text[i] == open) ++balance;
        if (text[i] == c) --balance;
      }
      if (balance < 0) {
        --end;
        continue;
      }
      break;
    }
    if (end - start >= 3 && static_cast<unsigned char>(text[end - 3]) == 0xE3 &&
        static_cast<unsigned char>(text[end - 2]) == 0x80 &&
        (static_cast<unsigned char>(text[end - 1]) == 0x82 ||
         static_cast<unsigned char>(text[end - 1]) == 0x81)) {
      end -= 3;
      continue;
    }
    if (end - start >= 3 && static_cast<unsigned char>(text[end - 3]) == 0xEF &&
        static_cast<unsigned char>(text[end - 2]) == 0xBC &&
        static_cast<unsigned char>(text[end - 1]) == 0x8C) {
      end -= 3;
      continue;
    }
    break;
  }
  return end;
}

// The next byte of [p, end) where find_urls_in_text may recognise a URL: a ':' followed by '/' or
// following an 'a' or a 't' (every scheme it knows has "//" after the colon, except data: and
// javascript:), or a '.' following a 'w' (www.). A superset of what it accepts, found 16 bytes at
// a time: prose has a dot per sentence and colons of its own, and stopping at each of them was
// most of the search. `begin` (<= p) is where the text starts.
const char* next_url_anchor(const char* begin, const char* p, const char* end) {
  const auto lower = [](char c) { return static_cast<char>(c | 0x20); };
  const auto anchor = [&](const char* q) {
    const char before = q > begin ? lower(q[-1]) : '\0';
    if (*q == '.') return before == 'w';
    return *q == ':' && ((q + 1 < end && q[1] == '/') || before == 'a' || before == 't');
  };
  if (p == begin && p < end) {
    if (anchor(p)) return p;
    ++p;
  }
#if defined(__SSE2__)
  const auto byte = [](char c) { return _mm_set1_epi8(c); };
  while (end - p >= 17) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i before = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p - 1)), byte(0x20));
    const __m128i after = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    const __m128i colon_anchor =
        _mm_and_si128(_mm_cmpeq_epi8(x, byte(':')),
                      _mm_or_si128(_mm_cmpeq_epi8(after, byte('/')),
                                   _mm_or_si128(_mm_cmpeq_epi8(before, byte('a')), _mm_cmpeq_epi8(before, byte('t')))));
    const __m128i dot_anchor = _mm_and_si128(_mm_cmpeq_epi8(x, byte('.')), _mm_cmpeq_epi8(before, byte('w')));
    const int mask = _mm_movemask_epi8(_mm_or_si128(colon_anchor, dot_anchor));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  for (; p < end; ++p) {
    if (anchor(p)) return p;
  }
  return end;
}

// A "data:" in prose ("data: 3 rows") is not a URL; a data URL starts with a MIME type or ','.
bool looks_like_data_url(std::string_view after) {
  if (!after.empty() && after[0] == ',') return true;
  std::size_t i = 0;
  while (i < after.size() && (ascii::is_alnum(after[i]) || after[i] == '-' || after[i] == '.' || after[i] == '+'))
    ++i;
  return i > 0 && i < after.size() && after[i] == '/';
}

}  // namespace

std::vector<std::string_view> find_urls_in_text(std::string_view text, std::size_t max_urls) {
  std::vector<std::string_view> urls;
  const char* const base = text.data();
  const std::size_t n = text.size();
  std::size_t pos = 0;
  while (pos < n && urls.size() < max_urls) {
    // A URL is found from its scheme's ':' or from the '.' of "www.".
    const std::size_t hit = static_cast<std::size_t>(next_url_anchor(base, base + pos, base + n) - base);
    if (hit >= n) break;

    std::size_t start = n;
    std::size_t body = n;  // first byte that must exist after the scheme/prefix
    if (text[hit] == ':') {
      const std::size_t c = hit;
      pos = c + 1;
      std::size_t s = c;
      while (s > 0 && c - s < 12 && ascii::is_alpha(static_cast<unsigned char>(text[s - 1]))) --s;
      const std::string_view run = text.substr(s, c - s);
      const bool slashes = c + 2 < n && text[c + 1] == '/' && text[c + 2] == '/';
      const auto ends_with_scheme = [&](std::string_view scheme) {
        return run.size() >= scheme.size() && iequals(run.substr(run.size() - scheme.size()), scheme);
      };
      if (slashes && ends_with_scheme("https")) {
        start = c - 5;
      } else if (slashes && ends_with_scheme("http")) {
        start = c - 4;
      } else if (slashes && (ends_with_scheme("ftp"))) {
        start = c - 3;
      } else if (slashes && ends_with_scheme("file")) {
        start = c - 4;
      } else if (iequals(run, "data") && looks_like_data_url(text.substr(c + 1))) {
        start = s;
      } else if (iequals(run, "javascript")) {
        start = s;
      } else {
        continue;
      }
      body = slashes ? c + 3 : c + 1;
      if (ends_with_scheme("file") && start == c - 4 && body < n && text[body] == '/') ++body;
    } else {
      const std::size_t d = hit;
      pos = d + 1;
      if (d < 3 || !(ascii::lower(text[d - 1]) == 'w' && ascii::lower(text[d - 2]) == 'w' &&
                     ascii::lower(text[d - 3]) == 'w')) {
        continue;
      }
      const std::size_t w = d - 3;
      // "www." inside a word, a host (x.www.y), an e-mail address or a path is not a bare link.
      if (w > 0) {
        const auto p = static_cast<unsigned char>(text[w - 1]);
        if (ascii::is_alnum(p) || p == '.' || p == '@' || p == '/' || p == '-' || p == '_') continue;
      }
      const auto next = d + 1 < n ? static_cast<unsigned char>(text[d + 1]) : 0;
      if (!(ascii::is_alnum(next) || next >= 0x80)) continue;
      start = w;
      body = d + 1;
    }
    const std::size_t end = trim_url_end(text, start, scan_url_end(text, start));
    if (end <= body) continue;
    urls.emplace_back(text.substr(start, end - start));
    pos = end;
  }
  return urls;
}

}  // namespace vigie::parse

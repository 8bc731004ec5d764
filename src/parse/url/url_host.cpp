// Hosts of URLs and domains: the WHATWG URL host parser (https://url.spec.whatwg.org/#host-parsing)
// with the IP literal forms browsers accept (IPv4 as one to four decimal, octal or hexadecimal
// numbers, IPv6 with an embedded IPv4 tail) and IDNA per UTS #46 (ICU, non-transitional, punycode
// both ways); the registrable domain from libpsl's public suffix list; normalize_host for domains
// written outside URLs (addresses, display names, lists). Nothing here throws on bad input: an
// invalid host is reported invalid with what could be recovered.
#include "parse/url/url_host.h"

#include <unicode/uidna.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "common/ascii.h"
#include "common/direct_memo.h"
#include "parse/url/public_suffix_list.h"
#include "parse/url/url.h"

namespace vigie::parse {
namespace {

using ascii::istarts_with;

// ---- IP literals --------------------------------------------------------------------------
// Not common/ip_address's inet_pton/inet_ntop: a URL host is read the way browsers read it, which
// accepts more than the canonical forms ("0x7f.1" is 127.0.0.1, "[1:2:3:4::5:6:7:8]" is an IPv6
// address, both refused by inet_pton) and serialises otherwise (WHATWG writes ::ffff:102:304 where
// inet_ntop writes ::ffff:1.2.3.4). What these functions produce, the serialised literal, is a
// canonical form IpAddress::parse reads, which is how the analyzers compare it with networks.

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
    if (radix == 16 && ascii::is_hex_digit(c)) {
      digit = ascii::hex_value(c);
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
    while (length < 4 && at(p) != -1 && ascii::is_hex_digit(static_cast<unsigned char>(at(p)))) {
      value = value * 16 + ascii::hex_value(static_cast<unsigned char>(at(p)));
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
    if (in[i] == '%' && i + 2 < in.size() && ascii::is_hex_digit(in[i + 1]) && ascii::is_hex_digit(in[i + 2])) {
      out.push_back(static_cast<char>(ascii::hex_value(in[i + 1]) * 16 + ascii::hex_value(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

}  // namespace

// ---- Host parser ----------------------------------------------------------------------------

bool parse_host(std::string_view input, UrlHost& host) {
  if (input.empty()) return false;
  if (input.front() == '[') {
    if (input.size() < 2 || input.back() != ']') {
      host.ascii = std::string(input);
      return false;
    }
    const auto v6 = parse_ipv6(input.substr(1, input.size() - 2));
    host.is_ip = true;
    if (!v6) {
      host.ascii = std::string(input);
      ascii::lowercase_in_place(host.ascii);
      host.unicode = host.ascii;
      return false;
    }
    host.ascii = serialize_ipv6(*v6);
    host.unicode = host.ascii;
    return true;
  }
  std::string decoded = percent_decode(input);
  bool ok = true;
  if (is_plain_ascii_host(decoded)) {
    ascii::lowercase_in_place(decoded);
    host.ascii = decoded;
  } else {
    ok = run_idna(IdnaDirection::kToAscii, decoded, host.ascii);
    if (!ok) {
      host.ascii = decoded;
      ascii::lowercase_in_place(host.ascii);
    }
  }
  if (host.ascii.empty()) ok = false;
  for (const char c : host.ascii) {
    if (is_forbidden_domain_byte(static_cast<unsigned char>(c))) ok = false;
  }
  if (ok && ends_in_a_number(host.ascii)) {
    host.is_ip = true;
    const auto v4 = parse_ipv4(host.ascii);
    if (!v4) {
      host.unicode = host.ascii;
      return false;
    }
    host.ascii = serialize_ipv4(*v4);
    host.unicode = host.ascii;
    return true;
  }
  if (!ok) {
    host.unicode = std::move(decoded);
    return false;
  }
  if (host.ascii.find("xn--") == std::string::npos) {
    host.unicode = host.ascii;
  } else if (!run_idna(IdnaDirection::kToUnicode, host.ascii, host.unicode)) {
    host.unicode = host.ascii;
  }
  return true;
}

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
      if (!ascii::is_hex_digit(c)) return false;
    }
    return true;
  }
  return false;
}

// ---- Registrable domain ---------------------------------------------------------------------

// Mail repeats the same few hosts (tracking, images, the sender's site): the memo saves the
// suffix-list walk. Hosts longer than a DNS name are not memoised.
std::string_view memoised_registrable_domain(std::string_view host_ascii) {
  if (host_ascii.empty() || host_ascii.front() == '[') return {};
  if (host_ascii.back() == '.') host_ascii.remove_suffix(1);  // "example.com." is example.com
  if (host_ascii.empty() || ends_in_a_number(host_ascii)) return {};
  // The process's list cannot change once looked up (public_suffix_list.h), so the memo never
  // holds another list's answers.
  const PublicSuffixList& list = public_suffixes();
  thread_local DirectMemo<std::string, 4096, 255> memo;
  return memo.get(host_ascii, [&list](const std::string& host) {  // libpsl wants a NUL-terminated string
    return list.registrable_domain(host.c_str());
  });
}

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

}  // namespace vigie::parse

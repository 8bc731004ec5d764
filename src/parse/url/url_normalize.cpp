// URL normalisation: the one place where vigie turns a URL as written into the URL a browser
// would fetch. It follows the WHATWG URL Standard (https://url.spec.whatwg.org/) for the parts that
// matter to a security verdict (scheme, authority split, host, port) and is deliberately lighter for
// path/query: only unreserved percent-escapes are decoded (RFC 3986 §6.2.2.2), so that two
// spellings of one URL compare equal without changing its meaning. Hosts (IP literals, IDNA, the
// registrable domain) are url_host.cpp's. Nothing here throws on bad input: an unparsable URL
// yields valid=false with the fields that could be recovered.
//
// Speed: nearly every URL in mail is a plain http(s) URL, which a fast path writes directly (the
// general path is its reference: detail::normalize_url_general and the equivalence test); the
// strings of a URL being normalised are reused per thread, and the last results are remembered per
// thread, since mail repeats its links.
#include "parse/url/url.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>

#include "common/ascii.h"
#include "common/byte_scan.h"
#include "common/direct_memo.h"
#include "parse/url/url_host.h"

namespace vigie::parse {
namespace {

using ascii::iequals;
using ascii::istarts_with;

// RFC 3986 §2.3 unreserved characters: decoding their escapes never changes a URL's meaning.
constexpr bool is_unreserved(unsigned char c) {
  return ascii::is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

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
    if (pct + 2 < in.size() && ascii::is_hex_digit(in[pct + 1]) && ascii::is_hex_digit(in[pct + 2])) {
      const auto decoded =
          static_cast<unsigned char>(ascii::hex_value(in[pct + 1]) * 16 + ascii::hex_value(in[pct + 2]));
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

// A Url while it is being normalised: one string per field, reused from one URL to the next (see
// normalize), then packed into the Url's single buffer.
struct UrlDraft {
  std::string raw, normalized, scheme, registrable_domain, userinfo;
  UrlHost host;
  std::int32_t port = -1;
  bool valid = true;

  void reset() {
    for (std::string* field : {&raw, &normalized, &scheme, &registrable_domain, &userinfo}) field->clear();
    host.clear();
    port = -1;
    valid = true;
  }
};

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
    valid = parse_host(host, url.host);
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
  out.reserve(url.scheme.size() + url.host.ascii.size() + rest.size() + 8);
  if (!url.scheme.empty()) {
    out.append(url.scheme);
    out.push_back(':');
  }
  out.append("//");
  out.append(url.host.ascii);
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
  url.host.ascii.assign(host);
  ascii::lowercase_in_place(url.host.ascii);
  url.host.unicode = url.host.ascii;
  url.port = port;
  std::string& out = url.normalized;
  out.reserve(scheme.size() + 3 + host.size() + 6 + tail.size() + 1);
  out.append(scheme).append("://").append(url.host.ascii);
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
  url.registrable_domain.assign(memoised_registrable_domain(url.host.ascii));
  return true;
}

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
    if (url.valid && !url.host.is_ip) url.registrable_domain.assign(memoised_registrable_domain(url.host.ascii));
    return;
  }

  url.scheme = std::string(in.substr(0, colon));
  ascii::lowercase_in_place(url.scheme);
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
  if (url.valid && !url.host.is_ip) url.registrable_domain.assign(memoised_registrable_domain(url.host.ascii));
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
  url.host_is_ip = draft.host.is_ip;
  url.valid = draft.valid;
  url.assign_text({draft.raw, draft.normalized, draft.scheme, draft.host.ascii, draft.host.unicode,
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

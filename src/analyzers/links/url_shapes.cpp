// URL text readings for the links analyzer (see url_shapes.h).
#include "analyzers/links/url_shapes.h"

#include <array>

#include "common/ascii.h"
#include "parse/url/public_suffix_list.h"

namespace vigie::analyzers::links {
namespace {

using ascii::iequals;
using ascii::lower;

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool icontains(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    if (iequals(text.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

// Top-level domains that are also common file extensions ("setup.py", "README.md", "Foo.pm"):
// a bare "name.ext" anchor text with one of these is read as a file name, not a site.
constexpr std::array<std::string_view, 16> kFileLikeTlds{
    "zip", "mov", "py", "pl", "pm", "sh", "md", "rs", "ps", "ai", "am", "so", "cc", "in", "to", "do"};

bool is_known_tld(std::string_view tld) {
  if (tld.empty() || tld.size() > 63) return false;
  std::array<char, 64> buffer{};
  tld.copy(buffer.data(), tld.size());
  return parse::public_suffixes().is_public_suffix(buffer.data(), parse::PublicSuffixList::Section::kIcann);
}

}  // namespace

std::string_view url_path(std::string_view normalized) {
  const std::size_t scheme_end = normalized.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::size_t start = normalized.find_first_of("/?#", scheme_end + 3);
  if (start == std::string_view::npos || normalized[start] != '/') return {};
  const std::size_t end = normalized.find_first_of("?#", start);
  return normalized.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

std::string_view url_query(std::string_view normalized) {
  const std::size_t q = normalized.find('?');
  if (q == std::string_view::npos) return {};
  const std::size_t hash = normalized.find('#', q);
  return normalized.substr(q + 1, hash == std::string_view::npos ? std::string_view::npos : hash - q - 1);
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::optional<std::string> embedded_url(std::string_view value) {
  const auto is_url = [](std::string_view v) {
    return istarts_with(v, "http://") || istarts_with(v, "https://") ||
           (v.starts_with("//") && v.size() > 2 && v[2] != '/');
  };
  // Cheap rejection first: most parameters are ids and tokens.
  if (value.size() < 8 || !(is_url(value) || istarts_with(value, "http%3a") ||
                            istarts_with(value, "https%3a") || istarts_with(value, "%2f%2f") ||
                            istarts_with(value, "http%253a") || istarts_with(value, "https%253a"))) {
    return std::nullopt;
  }
  std::string decoded(value);
  for (int round = 0; round < 3; ++round) {
    if (is_url(decoded) && decoded.find("%3A") == std::string::npos &&
        decoded.find("%3a") == std::string::npos) {
      break;
    }
    if (decoded.find('%') == std::string::npos) break;
    decoded = percent_decode(decoded);
  }
  if (!is_url(decoded)) return std::nullopt;
  if (decoded.starts_with("//")) decoded.insert(0, "http:");
  return decoded;
}

bool is_redirect_parameter(std::string_view name) {
  static constexpr std::array<std::string_view, 30> kNames{
      "url",     "u",        "r",           "q",          "to",        "redirect",
      "redir",   "redirect_url", "redirect_uri", "redirecturl", "returnurl", "return",
      "return_to", "returnto", "next",       "goto",       "target",    "dest",
      "destination", "link",  "out",         "continue",   "rurl",      "forward",
      "go",      "adurl",    "z",           "a",          "l",         "href"};
  for (std::string_view n : kNames) {
    if (iequals(name, n)) return true;
  }
  return false;
}

std::string_view raw_host(std::string_view raw) {
  std::size_t start = raw.find("//");
  if (start == std::string_view::npos) return {};
  start += 2;
  std::size_t end = raw.find_first_of("/?#\\", start);
  std::string_view authority = raw.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.empty() && authority.front() == '[') return authority;
  const std::size_t colon = authority.find(':');
  return authority.substr(0, colon);
}

bool is_obfuscated_ipv4(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty() || host.front() == '[') return false;
  int parts = 0;
  std::size_t start = 0;
  while (start <= host.size()) {
    std::size_t dot = host.find('.', start);
    if (dot == std::string_view::npos) dot = host.size();
    const std::string_view part = host.substr(start, dot - start);
    ++parts;
    if (part.empty() || part.size() > 3) return true;  // "3232235777", "0xc0a80001"
    if (part.size() > 1 && part.front() == '0') return true;  // octal "0300"
    for (char c : part) {
      if (c < '0' || c > '9') return true;  // hex "0xc0"
    }
    start = dot + 1;
  }
  return parts != 4;
}

std::string displayed_host(std::string_view text) {
  const auto trim_set = std::string_view(" \t\r\n<>\"'()[]{},;");
  const std::size_t first = text.find_first_not_of(trim_set);
  if (first == std::string_view::npos) return {};
  text.remove_prefix(first);
  text = text.substr(0, text.find_last_not_of(trim_set) + 1);
  while (!text.empty() && (text.back() == '.' || text.back() == ':' || text.back() == '!')) {
    text.remove_suffix(1);
  }
  if (text.size() < 4 || text.size() > 2048) return {};
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n') return {};  // a sentence, not an address
  }
  bool explicit_form = false;
  if (istarts_with(text, "http://") || istarts_with(text, "https://")) {
    text.remove_prefix(text.find("//") + 2);
    explicit_form = true;
  }
  std::size_t end = text.find_first_of("/?#:\\");
  std::string_view host_text = text.substr(0, end);
  if (host_text.find('@') != std::string_view::npos) return {};  // an e-mail address
  if (istarts_with(host_text, "www.")) explicit_form = true;
  std::string host;
  host.reserve(host_text.size());
  for (char c : host_text) {
    c = lower(c);
    if (!is_host_char(c)) return {};
    host.push_back(c);
  }
  if (host.empty() || host.front() == '.' || host.find("..") != std::string::npos) return {};
  const std::size_t last_dot = host.rfind('.');
  if (last_dot == std::string::npos) return {};
  const std::string_view tld = std::string_view(host).substr(last_dot + 1);
  if (tld.empty() || tld.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string_view::npos) {
    return {};
  }
  if (!explicit_form) {
    for (std::string_view file_like : kFileLikeTlds) {
      if (tld == file_like) return {};
    }
  }
  if (!is_known_tld(tld)) return {};
  return host;
}

bool looks_like_ipfs(std::string_view host, std::string_view path) {
  if (istarts_with(path, "/ipfs/") || istarts_with(path, "/ipns/")) {
    // A content id (Qm..., bafy...) or a name: at least a few dozen characters for a CID.
    const std::string_view id = path.substr(6);
    return istarts_with(id, "qm") || istarts_with(id, "baf") || id.size() >= 40;
  }
  // <cid>.ipfs.<gateway> / <name>.ipns.<gateway>
  for (std::string_view label : {std::string_view(".ipfs."), std::string_view(".ipns.")}) {
    const std::size_t at = host.find(label);
    if (at != std::string_view::npos && at >= 40) return true;
  }
  return false;
}

bool is_meaningful_javascript(std::string_view url, bool& strong) {
  strong = false;
  std::string_view body = url.substr(url.find(':') + 1);
  while (!body.empty() && (body.front() == ' ' || body.front() == '/')) body.remove_prefix(1);
  while (!body.empty() && (body.back() == ';' || body.back() == ' ')) body.remove_suffix(1);
  static constexpr std::array<std::string_view, 10> kHarmless{
      "",           "void(0)",       "void 0",         "void(null)",     "window.print()",
      "print()",    "history.back()", "window.close()", "history.go(-1)", "self.close()"};
  for (std::string_view h : kHarmless) {
    if (iequals(body, h)) return false;
  }
  static constexpr std::array<std::string_view, 9> kStrong{
      "location", "eval(", "atob(", "fromcharcode", "unescape(", "document.write",
      "window.open(\"http", "fetch(", "xmlhttprequest"};
  for (std::string_view s : kStrong) {
    if (icontains(body, s)) strong = true;
  }
  return true;
}

bool is_active_data_url(std::string_view url) {
  std::string_view rest = url.substr(url.find(':') + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty() || rest.front() == ',') return true;  // default text/plain, rendered as a page
  return istarts_with(rest, "text/html") || istarts_with(rest, "image/svg") ||
         istarts_with(rest, "application/") || istarts_with(rest, "text/javascript") ||
         istarts_with(rest, "text/xml") || istarts_with(rest, "multipart/");
}

}  // namespace vigie::analyzers::links

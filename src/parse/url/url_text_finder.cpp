// URLs in plain text: where a mail client would make a link of text (scheme URLs, bare "www."
// forms, UNC paths and Windows protocol handlers), and where that link ends (whitespace, Unicode spaces, brackets without their
// opening one, sentence punctuation), the way Thunderbird, Gmail and Outlook linkify. The search
// stops only at bytes that can start a URL, found 16 at a time: most text parts hold prose and
// no link.
#include <algorithm>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/ascii.h"
#include "parse/url/url.h"

namespace vigie::parse {
namespace {

using ascii::iequals;

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

// A UNC host: a name, an IPv4 address, or a WebDAV form (host@SSL, host@8080).
bool is_unc_host_char(char c) { return ascii::is_alnum(c) || c == '.' || c == '-' || c == '_' || c == '@'; }

// Whether `at` lies inside one of `urls` (in text order): only the last one starting before it can
// hold it.
bool inside_found(const std::vector<std::string_view>& urls, const char* at) {
  const auto after =
      std::upper_bound(urls.begin(), urls.end(), at, [](const char* p, std::string_view url) { return p < url.data(); });
  return after != urls.begin() && at < std::prev(after)->data() + std::prev(after)->size();
}

// UNC paths written in text (\\server\share\file): Outlook and Windows make them clickable, and
// opening one sends the reader's credentials to the server. A backslash pair inside a longer run
// (an escaped string) or without a share after the host ("\\n") is not one.
void find_unc_paths(std::string_view text, std::size_t room, const std::vector<std::string_view>& urls,
                    std::vector<std::string_view>& extra) {
  for (std::size_t p = text.find("\\\\"); p != std::string_view::npos && extra.size() < room;
       p = text.find("\\\\", p + 2)) {
    if (p > 0 && text[p - 1] == '\\') continue;
    std::size_t host_end = p + 2;
    while (host_end < text.size() && is_unc_host_char(text[host_end])) ++host_end;
    if (host_end == p + 2 || host_end + 1 >= text.size() || text[host_end] != '\\' ||
        text[host_end + 1] == '\\' || static_cast<unsigned char>(text[host_end + 1]) <= 0x20) {
      continue;
    }
    const std::size_t end = trim_url_end(text, p, scan_url_end(text, p));
    if (!inside_found(urls, text.data() + p)) extra.push_back(text.substr(p, end - p));
    p = end > p + 2 ? end - 2 : p;
  }
}

// Windows protocol handlers written in text ("ms-msdt:/id ...", "search-ms:query=...",
// "ms-word:ofe|u|https://...", "mk:@MSITStore:..."): a link that starts a local tool. Only these
// prefixes, which prose does not write, and not inside a word or another URL.
void find_protocol_handlers(std::string_view text, std::size_t room, const std::vector<std::string_view>& urls,
                            std::vector<std::string_view>& extra) {
  for (std::string_view prefix : {"ms-", "search-ms:", "mk:@"}) {
    for (std::size_t p = text.find(prefix); p != std::string_view::npos && extra.size() < room;
         p = text.find(prefix, p + prefix.size())) {
      if (p > 0) {
        const char before = text[p - 1];
        if (ascii::is_alnum(before) || before == '-' || before == '.' || before == '/' || before == '_') continue;
      }
      std::size_t colon = p + prefix.size() - 1;
      if (prefix == "ms-") {
        colon = p + 3;
        while (colon < text.size() && (ascii::is_alpha(text[colon]) || text[colon] == '-')) ++colon;
        if (colon == p + 3 || colon >= text.size() || text[colon] != ':') continue;
      }
      if (colon + 1 >= text.size() || static_cast<unsigned char>(text[colon + 1]) <= 0x20) continue;
      const std::size_t end = trim_url_end(text, p, scan_url_end(text, p));
      if (end > colon + 1 && !inside_found(urls, text.data() + p)) extra.push_back(text.substr(p, end - p));
    }
  }
}

// The forms of links the scheme search does not see, merged into `urls` in text order.
void add_windows_links(std::string_view text, std::size_t max_urls, std::vector<std::string_view>& urls) {
  if (urls.size() >= max_urls) return;
  std::vector<std::string_view> extra;
  find_unc_paths(text, max_urls - urls.size(), urls, extra);
  find_protocol_handlers(text, max_urls - urls.size(), urls, extra);
  if (extra.empty()) return;
  extra.resize(std::min(extra.size(), max_urls - urls.size()));
  urls.insert(urls.end(), extra.begin(), extra.end());
  std::sort(urls.begin(), urls.end(), [](std::string_view a, std::string_view b) { return a.data() < b.data(); });
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
  add_windows_links(text, max_urls, urls);
  return urls;
}

std::vector<std::string_view> find_urls_in_code(std::string_view code, std::size_t max_urls) {
  // The same text with the delimiters of code made spaces: same length, so a URL found in the
  // copy is at the same place in `code`.
  std::string delimited(code);
  for (char& c : delimited) {
    if (c == '\'' || c == '"' || c == '`' || c == ';' || c == '(' || c == ')' || c == '|' || c == ',') c = ' ';
  }
  std::vector<std::string_view> urls = find_urls_in_text(delimited, max_urls);
  for (std::string_view& url : urls) url = code.substr(static_cast<std::size_t>(url.data() - delimited.data()), url.size());
  return urls;
}

}  // namespace vigie::parse

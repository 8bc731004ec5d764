// webmail_xss: markup built to run script in the reader's webmail as soon as a message is opened
// (threat-notes 3.2: Operation RoundPress, Winter Vivern, BlueDelta against Roundcube, Zimbra,
// MDaemon and Horde). Looks at HTML and plain-text bodies, SVG images and calendar items, on the
// text of the part as sent (decoded from its transfer encoding and charset, not parsed): the
// marker of a sanitizer bypass lives in the malformed markup, which a parser would repair.
// Owns:
//   - WEBMAIL_XSS: the shape of a known exploit, with the CVE and the product in the evidence:
//     SVG <animate>/<set> setting a padded "href " to javascript: (CVE-2024-37383, Roundcube);
//     <use href="data:image/svg+xml;base64,..."> (CVE-2023-5631, Roundcube); a title attribute
//     closing <noembed> (CVE-2024-11182, MDaemon); a plain-text bracketed link label holding a tag
//     (CVE-2023-43770, Roundcube); a tag glued to a plain-text link (CVE-2020-35730, Roundcube);
//     markup in X-Zimbra-Calendar-Intended-For (CVE-2024-27443) or script in a calendar's
//     description (CVE-2025-27915, Zimbra); a link to one of the organisation's own hosts with
//     script in its query (CVE-2022-27926, Zimbra; on a Roundcube page, a marker);
//   - WEBMAIL_XSS_MARKER: generic shapes (an event handler hidden in a comment or a raw-text
//     element, an attribute that closes its element, <img onerror> as used against Horde, SVG
//     animation to javascript:, script decoding hidden content in a body, webmail commands beside
//     script).
// javascript: and data: links are the links analyzer's (LINK_SCRIPT_OR_DATA_URI); an SVG file
// with script is attachment_type's. Bounded by [limits] max_html_bytes per part.
#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/links/url_shapes.h"
#include "common/ascii.h"
#include "common/byte_scan.h"
#include "parse/calendar/calendar.h"
#include "parse/url/url.h"

namespace vigie::analyzers::webmail_xss {
namespace {

using verdict::FindingId;

constexpr std::size_t kMaxTagBytes = 4096;        // one start tag (attributes included)
constexpr std::size_t kMaxContainerBytes = 65536;  // content of a comment or raw-text element examined
constexpr std::size_t kMaxExcerptBytes = 160;
constexpr std::size_t kMaxHitsShown = 3;

struct State final : AnalyzerState {
  facts::OrganisationProfile profile;
};

enum class Kind { kHtml, kPlain, kCalendar };

std::optional<Kind> kind_of(const Object& object) {
  const std::string name = ascii::lowercase(object.filename);
  const auto named = [&](std::initializer_list<std::string_view> extensions) {
    return std::any_of(extensions.begin(), extensions.end(), [&](std::string_view e) { return name.ends_with(e); });
  };
  const std::string& declared = object.declared_type;
  if (declared == "text/calendar" || declared == "application/ics" || object.detected_type == "text/calendar" ||
      named({".ics", ".vcs"})) {
    return Kind::kCalendar;
  }
  if (declared == "text/html" || declared == "image/svg+xml" || object.detected_type == "text/html" ||
      object.detected_type == "image/svg+xml" || named({".svg", ".htm", ".html"})) {
    return Kind::kHtml;
  }
  if (declared == "text/plain" && object.origin == ObjectOrigin::kMimePart) return Kind::kPlain;
  return std::nullopt;
}

bool accepts(const Object& object) {
  if (object.origin == ObjectOrigin::kMessage || object.origin == ObjectOrigin::kAttachedMessage) return false;
  return kind_of(object).has_value();
}

// One marker seen: `cve` and `product` empty for a generic one.
struct Hit {
  std::string_view cve;
  std::string_view product;
  LocalizedText what;
  std::string excerpt;
  double confidence = 1;
};

std::string excerpt_at(std::string_view text, std::size_t at) {
  std::string out(text.substr(at, kMaxExcerptBytes));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  if (text.size() - at > kMaxExcerptBytes) out += "…";
  return out;
}

bool is_name_char(char c) { return ascii::is_alnum(c) || c == '-' || c == '_' || c == ':'; }

constexpr std::size_t npos = std::string_view::npos;

// haystack.find(needle, from) through glibc's memmem, for words that start with a common letter
// ("eval(", "atob("): string_view::find stops at every byte equal to the needle's first.
// A needle longer than what is left is refused first: memmem must not be given the null data()
// of an empty view.
std::size_t find_in(std::string_view haystack, std::string_view needle, std::size_t from = 0) {
  if (from > haystack.size() || needle.size() > haystack.size() - from) return npos;
  if (needle.empty()) return from;
  const void* hit = memmem(haystack.data() + from, haystack.size() - from, needle.data(), needle.size());
  return hit == nullptr ? npos : static_cast<std::size_t>(static_cast<const char*>(hit) - haystack.data());
}

// The lowercase text of an HTML part, and where each '<' in it stands, filed under the byte that
// follows it. Built in one pass: the markers look for some twenty tag names ("<animate", "</svg",
// "<!--"...) and a page has thousands of '<', so searching each name through the whole text cost
// a tenth of a whole scan.
class Markup {
 public:
  explicit Markup(std::string_view text) : lower_(ascii::lowercase(text)) {
    const char* const begin = lower_.data();
    const char* const end = begin + lower_.size();
    for (const char* p = scan::find_any(begin, end, '<', '<', '<'); p + 1 < end; p = scan::find_any(p + 1, end, '<', '<', '<')) {
      starts_[static_cast<unsigned char>(p[1])].push_back(static_cast<std::size_t>(p - begin));
    }
  }

  std::string_view lower() const { return lower_; }

  // lower().find(needle, from).
  std::size_t find(std::string_view needle, std::size_t from = 0) const {
    if (needle.size() < 2 || needle[0] != '<') return std::string_view(lower_).find(needle, from);  // "-->", "]]>"
    const std::vector<std::size_t>& starts = starts_[static_cast<unsigned char>(needle[1])];
    for (auto it = std::lower_bound(starts.begin(), starts.end(), from); it != starts.end(); ++it) {
      if (std::string_view(lower_).compare(*it, needle.size(), needle) == 0) return *it;
    }
    return npos;
  }

 private:
  std::string lower_;
  std::array<std::vector<std::size_t>, 256> starts_;
};

// The start tag beginning at `at` ("<animate ...>") if it closes within kMaxTagBytes, else empty.
std::string_view tag_at(std::string_view lower, std::size_t at) {
  const std::string_view window = lower.substr(at, kMaxTagBytes);
  const std::size_t end = window.find('>');
  return end == std::string_view::npos ? std::string_view{} : window.substr(0, end + 1);
}

// Each start tag "<name ...>" (followed by a non-name character, closing within kMaxTagBytes).
// The search resumes after each tag, and past the window of one that does not close, so hostile
// text ("<set<set<set...") costs linear time.
template <typename F>
void for_each_tag(const Markup& markup, std::string_view name, F&& f) {
  const std::string_view lower = markup.lower();
  const std::string open = "<" + std::string(name);
  std::size_t p = markup.find(open);
  while (p != std::string_view::npos) {
    const std::size_t after = p + open.size();
    std::size_t next = after;
    if (after >= lower.size() || !is_name_char(lower[after])) {
      const std::string_view tag = tag_at(lower, p);
      if (tag.empty()) {
        next = p + kMaxTagBytes;
      } else {
        f(p, tag);
        next = p + tag.size();
      }
    }
    p = next >= lower.size() ? npos : markup.find(open, next);
  }
}

// The value of attribute `name` in a (lowercase) start tag, as written between its quotes (or
// unquoted); nullopt when absent.
std::optional<std::string_view> attribute(std::string_view tag, std::string_view name) {
  for (std::size_t p = tag.find(name); p != std::string_view::npos; p = tag.find(name, p + 1)) {
    // An attribute starts after a blank, a '/' or the quote closing the previous value; "onerror="
    // inside a URL (Cloudflare's /cdn-cgi/image/fit=scale-down,onerror=redirect/) is no attribute.
    if (p == 0) continue;
    const char before = tag[p - 1];
    if (!ascii::is_space(before) && before != '/' && before != '"' && before != '\'') continue;
    std::size_t q = p + name.size();
    while (q < tag.size() && ascii::is_space(tag[q])) ++q;
    if (q >= tag.size() || tag[q] != '=') continue;
    ++q;
    while (q < tag.size() && ascii::is_space(tag[q])) ++q;
    if (q >= tag.size()) return std::string_view{};
    if (tag[q] == '"' || tag[q] == '\'') {
      const std::size_t end = tag.find(tag[q], q + 1);
      return tag.substr(q + 1, (end == std::string_view::npos ? tag.size() : end) - q - 1);
    }
    std::size_t end = q;
    while (end < tag.size() && !ascii::is_space(tag[end]) && tag[end] != '>') ++end;
    return tag.substr(q, end - q);
  }
  return std::nullopt;
}

// An on*= event handler at p ("onerror =", after a space, a quote or '/'), in a start tag.
bool handler_at(std::string_view markup, std::size_t p) {
  if (p == 0 || markup.compare(p, 2, "on") != 0) return false;
  const char before = markup[p - 1];
  if (!ascii::is_space(before) && before != '/' && before != '"' && before != '\'') return false;
  std::size_t q = p + 2;
  while (q < markup.size() && ascii::is_alpha(markup[q])) ++q;
  if (q - p < 6) return false;  // onload is the shortest handler in use ("one", "only" are words)
  while (q < markup.size() && ascii::is_space(markup[q])) ++q;
  return q < markup.size() && markup[q] == '=';
}

// An event handler attribute anywhere in `markup` (one start tag, or a URL's decoded query).
bool has_event_handler(std::string_view markup) {
  for (std::size_t p = markup.find("on"); p != std::string_view::npos; p = markup.find("on", p + 1)) {
    if (handler_at(markup, p)) return true;
  }
  return false;
}

// A script element (unless `handlers_only`), or a start tag with an event handler, somewhere in
// `markup`. A start tag runs from a '<' followed by a letter to the next '<' or '>'.
bool has_script_markup(std::string_view markup, bool handlers_only = false) {
  if (!handlers_only && find_in(markup, "<script") != npos) return true;
  const char* const begin = markup.data();
  const char* const end = begin + markup.size();
  for (const char* open = scan::find_any(begin, end, '<', '<', '<'); open < end;) {
    if (open + 1 >= end || !ascii::is_alpha(open[1])) {
      open = scan::find_any(open + 1, end, '<', '<', '<');
      continue;
    }
    const char* const close = scan::find_any(open + 1, end, '<', '>', '>');
    const std::string_view tag(open, static_cast<std::size_t>(close - open));
    for (std::size_t o = tag.find('o'); o != npos; o = tag.find('o', o + 1)) {
      if (handler_at(tag, o)) return true;
    }
    open = close < end && *close == '<' ? close : scan::find_any(close, end, '<', '<', '<');
  }
  return false;
}

std::string compact(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (static_cast<unsigned char>(c) > 0x20) out.push_back(c);
  }
  return out;
}

// ---- HTML and SVG ---------------------------------------------------------------------------

void svg_animation(std::string_view text, const Markup& markup, std::vector<Hit>& hits) {
  for (std::string_view name : {"animate", "set"}) {
    for_each_tag(markup, name, [&](std::size_t at, std::string_view tag) {
      const std::optional<std::string_view> target = attribute(tag, "attributename");
      if (!target) return;
      const std::string_view trimmed = ascii::trim_blanks(*target);
      if (trimmed != "href" && trimmed != "xlink:href") return;
      if (tag.find("javascript") == std::string_view::npos && tag.find("&#") == std::string_view::npos) return;
      if (trimmed.size() != target->size()) {
        hits.push_back(Hit{"CVE-2024-37383", "Roundcube before 1.5.7 / 1.6.7",
                           {"SVG animation sets a padded \"href \" to a javascript: URL",
                            "une animation SVG donne à un « href » entouré d'espaces une URL javascript:"},
                           excerpt_at(text, at), 1.0});
      } else {
        hits.push_back(Hit{{}, {}, {"SVG animation sets a link to a javascript: URL",
                                    "une animation SVG fait pointer un lien vers une URL javascript:"},
                           excerpt_at(text, at), 1.0});
      }
    });
  }
}

void svg_use_data(std::string_view text, const Markup& markup, std::vector<Hit>& hits) {
  for_each_tag(markup, "use", [&](std::size_t at, std::string_view tag) {
    std::optional<std::string_view> href = attribute(tag, "href");
    if (!href) href = attribute(tag, "xlink:href");
    if (!href) return;
    const std::string value = compact(*href);
    if (!value.starts_with("data:image/svg+xml")) return;
    // Roundcube's fix compares the scheme as written: case and blanks inside it were the bypass.
    const std::size_t offset = static_cast<std::size_t>(href->data() - markup.lower().data());
    const bool mangled = text.substr(offset, href->size()) != value;
    hits.push_back(Hit{"CVE-2023-5631", "Roundcube before 1.4.15 / 1.5.5 / 1.6.4",
                       {mangled ? "SVG <use> loads an SVG document from a data: URL whose scheme is disguised by case or blanks"
                                : "SVG <use> loads an SVG document from a data: URL",
                        mangled ? "un <use> SVG charge un document SVG depuis une URL data: dont le schéma est déguisé (casse, blancs)"
                                : "un <use> SVG charge un document SVG depuis une URL data:"},
                       excerpt_at(text, at), mangled ? 1.0 : 0.9});
  });
}

// ="</noembed>…: an attribute value that closes the raw-text element it sits in, so that a parser
// that keeps it as text and a browser that does not disagree (mutation XSS).
void attribute_breakout(std::string_view text, const Markup& markup, std::vector<Hit>& hits) {
  const std::string_view lower = markup.lower();
  static constexpr std::array<std::string_view, 10> kClosers{"</noembed", "</noscript", "</style", "</title",
                                                             "</textarea", "</xmp", "</iframe", "</noframes",
                                                             "</template", "-->"};
  for (std::string_view closer : kClosers) {
    for (std::size_t p = markup.find(closer); p != npos; p = markup.find(closer, p + 1)) {
      std::size_t q = p;
      while (q > 0 && ascii::is_space(lower[q - 1])) --q;
      if (q == 0 || (lower[q - 1] != '"' && lower[q - 1] != '\'')) continue;
      --q;
      while (q > 0 && ascii::is_space(lower[q - 1])) --q;
      if (q == 0 || lower[q - 1] != '=') continue;
      const std::string_view after = lower.substr(p, 512);
      if (closer == "</noembed") {
        hits.push_back(Hit{"CVE-2024-11182", "MDaemon before 24.5.1c",
                           {"an attribute value closes <noembed> to smuggle markup past the sanitizer",
                            "une valeur d'attribut ferme <noembed> pour faire passer du balisage au-delà du filtre"},
                           excerpt_at(text, q - 1), 1.0});
      } else if (has_script_markup(after)) {
        hits.push_back(Hit{{}, {}, {"an attribute value closes its element and carries an event handler",
                                    "une valeur d'attribut ferme son élément et porte un gestionnaire d'événement"},
                           excerpt_at(text, q - 1), 1.0});
      }
    }
  }
}

// Old pages wrap a script's or a stylesheet's text in a comment (<script><!-- ... -->) so that
// browsers without script do not show it; markup written by that script (document.write) is then
// inside the comment, and is the page's own, not a sanitizer bypass.
bool opens_script_or_style(std::string_view lower, std::size_t at) {
  std::size_t q = at;
  while (q > 0 && ascii::is_space(lower[q - 1])) --q;
  if (q == 0 || lower[q - 1] != '>') return false;
  const std::size_t from = q > kMaxTagBytes ? q - kMaxTagBytes : 0;
  const std::size_t open = lower.substr(from, q - from).rfind('<');
  if (open == std::string_view::npos) return false;
  const std::string_view tag = lower.substr(from + open);
  return tag.starts_with("<script") || tag.starts_with("<style");
}

// Script or an event handler inside a comment or a raw-text element: invisible to a sanitizer
// that skips them, alive once a browser re-parses the sanitized output.
void hidden_in_containers(std::string_view text, const Markup& markup, std::vector<Hit>& hits) {
  const std::string_view lower = markup.lower();
  struct Container {
    std::string_view open;
    std::string_view close;
  };
  static constexpr std::array<Container, 7> kContainers{
      Container{"<!--", "-->"},         Container{"<noscript", "</noscript"}, Container{"<noembed", "</noembed"},
      Container{"<style", "</style"},   Container{"<title", "</title"},       Container{"<textarea", "</textarea"},
      Container{"<![cdata[", "]]>"}};
  for (const Container& c : kContainers) {
    // Containers of one kind do not nest: each search resumes after the previous one's end, and
    // the first left open ends the search, so the cost stays linear.
    for (std::size_t p = markup.find(c.open); p != npos;) {
      const std::size_t start = p + c.open.size();
      const std::size_t end = markup.find(c.close, start);
      const std::string_view content =
          lower.substr(start, std::min(end == std::string_view::npos ? lower.size() - start : end - start, kMaxContainerBytes));
      // Newsletters comment out whole blocks, ad scripts included (<!-- <iframe><script src=...>
      // -->): in a comment only an event handler counts, which a commented-out block rarely has.
      if (!opens_script_or_style(lower, p) && has_script_markup(content, c.open == "<!--")) {
        hits.push_back(Hit{{}, {}, {"script or an event handler hidden in " + std::string(c.open) + (c.open == "<!--" ? "" : ">"),
                                    "script ou gestionnaire d'événement caché dans " + std::string(c.open) + (c.open == "<!--" ? "" : ">")},
                           excerpt_at(text, p), 1.0});
        break;  // one per kind of container
      }
      if (end == std::string_view::npos) break;
      p = markup.find(c.open, end + c.close.size());
    }
  }
}

void img_onerror(std::string_view text, const Markup& markup, std::vector<Hit>& hits) {
  bool found = false;
  for_each_tag(markup, "img", [&](std::size_t at, std::string_view tag) {
    if (found) return;
    if (!attribute(tag, "onerror")) return;
    found = true;
    hits.push_back(Hit{{}, {}, {"<img> with an onerror handler (the shape used against Horde)",
                                "<img> avec un gestionnaire onerror (la forme employée contre Horde)"},
                       excerpt_at(text, at), 0.8});
  });
}

// Script inside SVG drawn in the body (<svg onload=...>, <svg><script>): SVG is where
// sanitizers written for HTML miss elements and attributes.
void inline_svg_script(std::string_view text, const Markup& markup, std::vector<Hit>& hits) {
  const std::string_view lower = markup.lower();
  bool found = false;
  // The next "</svg" is searched forward only, and nested or repeated <svg> bodies are read once:
  // "<svg><svg><svg>..." costs linear time.
  std::size_t examined_until = 0;
  std::size_t next_close = 0;
  bool close_searched = false;
  for_each_tag(markup, "svg", [&](std::size_t at, std::string_view tag) {
    if (found) return;
    if (!close_searched || next_close < at) {
      next_close = markup.find("</svg", at);
      close_searched = true;
    }
    const std::size_t body_end =
        std::min({next_close == std::string_view::npos ? lower.size() : next_close, at + kMaxContainerBytes, lower.size()});
    const std::size_t body_start = std::max(at + tag.size(), examined_until);
    const std::string_view body =
        body_start < body_end ? lower.substr(body_start, body_end - body_start) : std::string_view{};
    examined_until = std::max(examined_until, body_end);
    if (!has_event_handler(tag) && !has_script_markup(body)) return;
    found = true;
    hits.push_back(Hit{{}, {}, {"script or an event handler inside inline SVG", "script ou gestionnaire d'événement dans du SVG en ligne"},
                       excerpt_at(text, at), 1.0});
  });
}

bool decodes_hidden_script(std::string_view lower) {
  const bool decoder = find_in(lower, "atob(") != npos || find_in(lower, "fromcharcode") != npos;
  return decoder && find_in(lower, "eval(") != npos;
}

bool names_webmail_commands(std::string_view lower) {
  for (std::string_view word : {"rcmail.", "_action=viewsource", "managesieve", "_task=settings", "_task=mail&_action="}) {
    if (find_in(lower, word) != npos) return true;
  }
  return false;
}

void html_markers(const Object& object, std::string_view text, const Markup& markup, std::vector<Hit>& hits) {
  const std::string_view lower = markup.lower();
  svg_animation(text, markup, hits);
  svg_use_data(text, markup, hits);
  attribute_breakout(text, markup, hits);
  hidden_in_containers(text, markup, hits);
  img_onerror(text, markup, hits);
  inline_svg_script(text, markup, hits);
  // In a message body (an attachment's scripts are html_attachment's).
  // The tag index answers first; the word searches read the whole text.
  if (!object.is_file() && markup.find("<script") != npos && decodes_hidden_script(lower)) {
    const std::size_t at = find_in(lower, "eval(");
    hits.push_back(Hit{{}, {}, {"a script of the body decodes and runs hidden code (eval of atob/fromCharCode)",
                                "un script du corps décode et exécute du code caché (eval d'atob/fromCharCode)"},
                       excerpt_at(text, at), 1.0});
  }
  if ((has_script_markup(lower) || lower.find("javascript:") != npos) && names_webmail_commands(lower)) {
    hits.push_back(Hit{{}, {}, {"webmail commands (Roundcube rcmail, Sieve, view source) beside script",
                                "commandes de messagerie web (rcmail de Roundcube, Sieve, code source) à côté d'un script"},
                       {}, 1.0});
  }
}

// ---- Plain text ---------------------------------------------------------------------------

bool starts_link(std::string_view lower, std::size_t p) {
  const std::string_view rest = lower.substr(p);
  return rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www.") ||
         rest.starts_with("ftp://");
}

void plain_markers(std::string_view text, std::string_view lower, const Limits& limits, std::vector<Hit>& hits) {
  // [<tag ...>] https://...: Roundcube turns a bracketed label before a URL into the link text
  // and did not escape it.
  constexpr std::size_t kMaxLabelBytes = 2048;
  for (std::size_t p = lower.find("[<"); p != std::string_view::npos;) {
    const std::size_t close_in_window = lower.substr(p, kMaxLabelBytes).find(']');
    const std::size_t next = close_in_window == std::string_view::npos ? p + kMaxLabelBytes : p + close_in_window + 1;
    const std::size_t here = p;
    p = next >= lower.size() ? std::string_view::npos : lower.find("[<", next);
    if (here + 2 >= lower.size() || !ascii::is_alpha(lower[here + 2]) || close_in_window == std::string_view::npos) continue;
    const std::size_t close = here + close_in_window;
    std::size_t q = close + 1;
    while (q < lower.size() && (lower[q] == ' ' || lower[q] == '\t')) ++q;
    if (q >= lower.size() || !starts_link(lower, q)) continue;
    hits.push_back(Hit{"CVE-2023-43770", "Roundcube before 1.4.14 / 1.5.4 / 1.6.3",
                       {"plain-text link label in brackets holds HTML markup",
                        "l'intitulé entre crochets d'un lien en texte brut contient du balisage HTML"},
                       excerpt_at(text, here), 1.0});
    break;
  }
  // A tag glued to a plain-text link: the link ends at '<' or '"' for a reader, not for a
  // linkifier that writes it into an href.
  for (std::string_view url : parse::find_urls_in_text(lower, limits.max_urls)) {
    const std::size_t end = static_cast<std::size_t>(url.data() - lower.data()) + url.size();
    if (end >= lower.size() || (lower[end] != '<' && lower[end] != '"')) continue;
    const std::string_view after = lower.substr(end, 512);
    if (!has_script_markup(after)) continue;
    hits.push_back(Hit{"CVE-2020-35730", "Roundcube before 1.2.13 / 1.3.16 / 1.4.10",
                       {"script markup glued to a plain-text link", "balisage de script collé à un lien en texte brut"},
                       excerpt_at(text, static_cast<std::size_t>(url.data() - lower.data())), 1.0});
    break;
  }
  if (names_webmail_commands(lower) && has_script_markup(lower)) {
    hits.push_back(Hit{{}, {}, {"webmail commands (Roundcube rcmail, Sieve, view source) beside script",
                                "commandes de messagerie web (rcmail de Roundcube, Sieve, code source) à côté d'un script"},
                       {}, 1.0});
  }
}

// ---- Calendar items -------------------------------------------------------------------------

void calendar_markers(std::string_view text, std::vector<Hit>& hits) {
  bool intended_for = false;
  bool description = false;
  parse::for_each_content_line(text, [&](std::string& unfolded) {
    const std::string lowered = ascii::lowercase(unfolded);
    const std::string_view line = lowered;
    const std::size_t name_end = line.find_first_of(":;");
    if (name_end == std::string_view::npos) return true;
    const std::string_view name = line.substr(0, name_end);
    const std::size_t colon = line.find(':');
    const std::string_view value = line.substr(colon + 1);
    if (name == "x-zimbra-calendar-intended-for" && !intended_for &&
        (value.find('<') != std::string_view::npos || value.find('"') != std::string_view::npos ||
         value.find("javascript") != std::string_view::npos)) {
      intended_for = true;
      hits.push_back(Hit{"CVE-2024-27443", "Zimbra before 9.0.0 P39 / 10.0.7",
                         {"X-Zimbra-Calendar-Intended-For carries markup", "X-Zimbra-Calendar-Intended-For contient du balisage"},
                         excerpt_at(unfolded, 0), 1.0});
    }
    if ((name == "description" || name == "x-alt-desc" || name == "summary" || name == "location" ||
         name == "comment") && !description) {
      // Calendar text escapes (\n, \,, \;) would split a tag's attributes: read them unescaped.
      std::string unescaped;
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) {
          const char next = value[++i];
          unescaped.push_back(next == 'n' ? '\n' : next);
        } else {
          unescaped.push_back(value[i]);
        }
      }
      if (has_script_markup(unescaped)) {
        description = true;
        hits.push_back(Hit{"CVE-2025-27915", "Zimbra before 9.0.0 P44 / 10.0.13 / 10.1.5",
                           {"calendar " + std::string(name) + " holds script in HTML",
                            "le champ " + std::string(name) + " du calendrier contient un script en HTML"},
                           excerpt_at(unfolded, 0), 1.0});
      }
    }
    return true;
  });
}

// ---- Links to the organisation's own hosts --------------------------------------------------

bool script_in(std::string_view decoded_lower) {
  return decoded_lower.find("<script") != std::string_view::npos ||
         decoded_lower.find("javascript:") != std::string_view::npos ||
         decoded_lower.find("\"><") != std::string_view::npos || decoded_lower.find("'><") != std::string_view::npos ||
         has_event_handler(decoded_lower);
}

void own_host_links(const Object& object, ObjectContext& context, const State& state, std::vector<Hit>& hits) {
  if (object.origin != ObjectOrigin::kMimePart) return;
  for (const Url& url : context.message().urls()) {
    if (url.part != object.part || url.host_ascii().empty()) continue;
    if (url.scheme() != "http" && url.scheme() != "https") continue;
    if (!state.profile.is_protected(url.host_ascii())) continue;
    const std::string_view normalized = url.normalized();
    const std::size_t query = normalized.find('?');
    if (query == std::string_view::npos) continue;
    std::string decoded = ascii::lowercase(links::percent_decode(links::percent_decode(normalized.substr(query))));
    if (!script_in(decoded)) continue;
    const LocalizedText what{"link to your own host " + std::string(url.host_ascii()) + " with script in its query",
                             "lien vers votre propre hôte " + std::string(url.host_ascii()) + " avec un script dans ses paramètres"};
    // The shape of CVE-2022-27926 (Zimbra), unless the link names Roundcube: its pages are
    // "?_task=...&_action=...", and a script there is a marker with no CVE to name.
    const std::string lower = ascii::lowercase(normalized);
    const bool roundcube = decoded.starts_with("?_task=") || decoded.find("&_task=") != std::string::npos ||
                           decoded.find("_action=") != std::string::npos || lower.find("roundcube") != std::string::npos;
    if (!roundcube) {
      hits.push_back(Hit{"CVE-2022-27926", "Zimbra (reflected XSS on the webmail's own pages)", what,
                         excerpt_at(url.raw(), 0), 1.0});
    } else {
      hits.push_back(Hit{{}, {}, what, excerpt_at(url.raw(), 0), 1.0});
    }
    return;
  }
}

void emit(const Object& object, std::vector<Hit>& hits, FindingSink& sink) {
  std::vector<Evidence> specific;
  std::vector<Evidence> generic;
  double specific_confidence = 0;
  double generic_confidence = 0;
  for (Hit& hit : hits) {
    const bool is_specific = !hit.cve.empty();
    std::vector<Evidence>& evidence = is_specific ? specific : generic;
    double& confidence = is_specific ? specific_confidence : generic_confidence;
    confidence = std::max(confidence, hit.confidence);
    if (evidence.size() >= kMaxHitsShown * 2) continue;
    if (is_specific) {
      evidence.emplace_back(object.id, "cve", std::string(hit.cve) + " (" + std::string(hit.product) + ")");
    }
    LocalizedText value = std::move(hit.what);
    if (!hit.excerpt.empty()) {
      value.en += ": " + hit.excerpt;
      value.fr += " : " + hit.excerpt;
    }
    evidence.emplace_back(object.id, "markup", std::move(value));
  }
  if (!specific.empty()) sink.emit(FindingId::WEBMAIL_XSS, std::move(specific), specific_confidence);
  if (!generic.empty()) sink.emit(FindingId::WEBMAIL_XSS_MARKER, std::move(generic), generic_confidence);
}

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* state, FindingSink& sink) {
  const std::optional<Kind> kind = kind_of(object);
  if (!kind) return;
  const ParsedMessage& message = context.message();
  const Limits& limits = message.limits();
  const std::string_view text = markup_of(
      object, context, sink,
      LocalizedText{"the rest of the part, for webmail exploits", "la suite de la partie, pour les exploits de messagerie web"});
  // Every marker but the links needs markup or a calendar property; most plain-text parts have
  // neither, and are not copied.
  std::vector<Hit> hits;
  if (*kind == Kind::kHtml && text.find('<') != npos) {
    html_markers(object, text, Markup(text), hits);
  } else if (*kind == Kind::kPlain && text.find('<') != npos) {
    plain_markers(text, ascii::lowercase(text), limits, hits);
  } else if (*kind == Kind::kCalendar) {
    calendar_markers(text, hits);
  }
  own_host_links(object, context, static_cast<const State&>(*state), hits);
  emit(object, hits, sink);
}

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  auto state = std::make_shared<State>();
  state->profile = setup.profile;
  return std::shared_ptr<const AnalyzerState>(std::move(state));
}

constexpr FindingId kEmits[] = {FindingId::WEBMAIL_XSS, FindingId::WEBMAIL_XSS_MARKER};

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "webmail_xss",
      "Markup built to run script in the reader's webmail (Roundcube, Zimbra, MDaemon, Horde exploits) in "
      "HTML and plain-text bodies, SVG images and calendar items",
      kEmits,
      &accepts,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::webmail_xss

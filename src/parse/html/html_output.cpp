#include "parse/html/html_output.h"

#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "parse/html/html_ascii.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vigie::parse::html {
namespace {

void cut_at_utf8_boundary(std::string& s, std::size_t cap) {
  if (s.size() <= cap) return;
  std::size_t end = cap;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  s.resize(end);
}

void finish_text(std::string& s, std::size_t cap) {
  cut_at_utf8_boundary(s, cap);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
}

// Whitespace that collapses (HTML space and VT); NBSP (C2 A0) collapses too but is two bytes.
constexpr bool collapses(char c) { return is_html_space(c) || c == '\v'; }

#if defined(__SSE2__)
// The lanes of x holding '\t'..'\r' (9..13, the collapsing controls): x + (0x80 - 9) maps them to
// the five smallest signed bytes, -128..-124, so one signed comparison finds them.
inline __m128i collapsing_controls(__m128i x) {
  return _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(0x80 - 9))), _mm_set1_epi8(-123));
}
#endif

// Length of the prefix of [p, end) that append_collapsed copies unchanged once a non-space byte
// has been written: bytes that are neither collapsing whitespace nor 0xC2 (a possible NBSP), and
// single spaces followed by such a byte (one space collapses to itself). Stops before anything
// else, which the caller handles one byte at a time.
std::size_t verbatim_prefix(const char* p, const char* end) {
  const char* const begin = p;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i c2 = _mm_set1_epi8('\xC2');
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i control = collapsing_controls(x);
    const auto spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, space)));
    const auto others =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(control, _mm_cmpeq_epi8(x, c2))));
    // A space is verbatim when the next byte is ordinary; the last lane's next byte is unknown.
    const unsigned stop = others | (spaces & (((spaces | others) >> 1) | 0x8000u));
    if (stop != 0) return static_cast<std::size_t>(p - begin) + static_cast<unsigned>(__builtin_ctz(stop));
    p += 16;
  }
#endif
  for (; p < end; ++p) {
    if (*p == ' ' && p + 1 < end && !collapses(p[1]) && p[1] != '\xC2') {
      ++p;  // the space, then the ordinary byte after it at the loop's increment
      continue;
    }
    if (collapses(*p) || *p == '\xC2') break;
  }
  return static_cast<std::size_t>(p - begin);
}

// First byte of [p, end) that does not collapse (HTML whitespace and VT: 9-13 and 32), or end.
// HTML source is indented: the runs between two words or two tags are often longer than a few
// bytes.
const char* skip_collapsing(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i collapsing = _mm_or_si128(_mm_cmpeq_epi8(x, space), collapsing_controls(x));
    const auto kept = static_cast<unsigned>(~_mm_movemask_epi8(collapsing)) & 0xFFFFu;
    if (kept != 0) return p + __builtin_ctz(kept);
    p += 16;
  }
#endif
  while (p < end && collapses(*p)) ++p;
  return p;
}

// The uncapped case of append_collapsed (visible text, the hot path): ordinary runs are appended
// in bulk. Appending rather than resizing first and writing in place: std::string::resize
// zero-fills what it adds, and a text token (often only the whitespace between two tags) is
// usually far shorter than the room that would be zeroed for it.
void append_collapsed_uncapped(std::string& out, std::string_view text, bool pending_space) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    const char c = *p;
    if (collapses(c)) {
      pending_space = true;
      p = skip_collapsing(p + 1, end);
      continue;
    }
    if (c == '\xC2' && end - p >= 2 && p[1] == '\xA0') {
      pending_space = true;
      p += 2;
      continue;
    }
    if (pending_space && !out.empty() && out.back() != '\n') out.push_back(' ');
    pending_space = false;
    // The byte (ordinary, or a 0xC2 that does not start an NBSP), then what can follow it as is.
    const std::size_t run = 1 + verbatim_prefix(p + 1, end);
    out.append(p, run);
    p += run;
  }
  if (pending_space && !out.empty() && out.back() != '\n') out.push_back(' ');
}

}  // namespace

void append_collapsed(std::string& out, std::string_view text, std::size_t cap) {
  bool pending_space = !out.empty() && out.back() == ' ';
  if (pending_space) out.pop_back();
  // The output grows by at most the text and one space: when that fits, the cap cannot bite, and
  // the bulk copy serves anchor and hidden texts too.
  if (cap == SIZE_MAX || (text.size() < cap && out.size() + text.size() + 1 <= cap)) {
    append_collapsed_uncapped(out, text, pending_space);
    return;
  }
  // Nothing starts at or past the cap, and a character started under it is finished (finish_text
  // then cuts the string back to the cap at a character boundary): what is kept is always a prefix
  // of the collapsed text. Stopping instead before a character that did not fit whole let a
  // shorter one from a later call in after it.
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool continues_character = (static_cast<unsigned char>(c) & 0xC0) == 0x80;
    if (out.size() >= cap && !continues_character) break;
    if (is_html_space(c) || c == '\v') {
      pending_space = true;
      continue;
    }
    if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
      pending_space = true;
      ++i;
      continue;
    }
    if (pending_space && !out.empty() && out.back() != '\n') out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  if (pending_space && !out.empty() && out.back() != '\n' && out.size() < cap) out.push_back(' ');
}

void line_break(std::string& out) {
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!out.empty() && out.back() != '\n') out.push_back('\n');
}

std::string_view cut_to_limit(std::string_view utf8_html, const Limits& limits, HtmlContent& out) {
  if (utf8_html.size() <= limits.max_html_bytes) return utf8_html;
  std::size_t cut = static_cast<std::size_t>(limits.max_html_bytes);
  while (cut > 0 && (static_cast<unsigned char>(utf8_html[cut]) & 0xC0) == 0x80) --cut;
  out.truncated = true;
  return utf8_html.substr(0, cut);
}

std::int32_t open_form(HtmlContent& out, std::string_view action, std::string_view method,
                       std::int32_t enclosing) {
  if (out.forms.size() >= kMaxForms) return enclosing;
  HtmlForm form;
  form.action = std::string(trim(action));
  form.method = std::string(trim(method));
  for (char& c : form.method) c = ascii_lower(c);
  out.forms.push_back(std::move(form));
  return static_cast<std::int32_t>(out.forms.size()) - 1;
}

void count_form_control(HtmlContent& out, std::int32_t form, bool is_input, std::string_view type) {
  if (form < 0) form = static_cast<std::int32_t>(out.forms.size()) - 1;
  const bool hidden_input = is_input && iequals(trim(type), "hidden");
  if (form < 0 || hidden_input) return;
  HtmlForm& owner = out.forms[static_cast<std::size_t>(form)];
  ++owner.input_count;
  if (is_input && iequals(trim(type), "password")) owner.has_password_input = true;
}

std::int32_t hidden_group_after_style(HtmlContent& out, std::int32_t inherited, const char* before,
                                      const char* after, bool not_rendered) {
  if (after == nullptr) return -1;
  if (before != nullptr || not_rendered) return inherited;
  if (out.hidden.size() >= kMaxHidden) return -1;
  out.hidden.push_back(HiddenText{after, {}});
  return static_cast<std::int32_t>(out.hidden.size()) - 1;
}

void finish_content(HtmlContent& out) {
  finish_text(out.visible_text, out.visible_text.size());
  finish_text(out.title, kMaxTitleBytes);
  // Hidden groups that collected no text (an empty display:none tracking div) are noise.
  std::erase_if(out.hidden, [](const HiddenText& h) { return h.text.empty(); });
  for (HiddenText& h : out.hidden) finish_text(h.text, kMaxHiddenTextBytes);
  for (Url& u : out.links) finish_text(u.anchor_text, kMaxAnchorTextBytes);
}

}  // namespace vigie::parse::html

#include "parse/html/html_output.h"

#include <cstdint>
#include <utility>
#include <vector>

#include "parse/html/html_ascii.h"

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

}  // namespace

void append_collapsed(std::string& out, std::string_view text, std::size_t cap) {
  bool pending_space = !out.empty() && out.back() == ' ';
  if (pending_space) out.pop_back();
  if (cap == SIZE_MAX) {
    // Uncapped (visible text, the hot path): copy runs of ordinary bytes at once.
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
      const char c = text[i];
      if (is_html_space(c) || c == '\v') {
        pending_space = true;
        ++i;
        continue;
      }
      if (c == '\xC2' && i + 1 < n && text[i + 1] == '\xA0') {
        pending_space = true;
        i += 2;
        continue;
      }
      std::size_t j = i + 1;
      while (j < n && !is_html_space(text[j]) && text[j] != '\v' && text[j] != '\xC2') ++j;
      if (pending_space && !out.empty() && out.back() != '\n') out.push_back(' ');
      pending_space = false;
      out.append(text.substr(i, j - i));
      i = j;
    }
    if (pending_space && !out.empty() && out.back() != '\n') out.push_back(' ');
    return;
  }
  for (std::size_t i = 0; i < text.size() && out.size() < cap; ++i) {
    const char c = text[i];
    if (is_html_space(c) || c == '\v') {
      pending_space = true;
      continue;
    }
    if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
      pending_space = true;
      ++i;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0xC0) {
      // Only start a multi-byte character that fits whole under the cap.
      const std::size_t length = byte >= 0xF0 ? 4 : (byte >= 0xE0 ? 3 : 2);
      if (out.size() + length + (pending_space ? 1 : 0) > cap) break;
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

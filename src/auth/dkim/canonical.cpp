// Header and body canonicalisation, RFC 6376 §3.4 (see canonical.h). One pass each, output
// reserved up front: bodies can be megabytes and are canonicalised once per form per message.
#include "auth/dkim/canonical.h"

namespace vigie::auth::dkim {
namespace {

constexpr bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// Appends `text` with whitespace runs made one SP, without leading or trailing whitespace, line
// breaks (CRLF or LF: folding) deleted.
void append_relaxed_value(std::string_view text, std::string& out) {
  bool pending_space = false;
  bool started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) continue;
    if (is_wsp(c)) {
      pending_space = started;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    started = true;
    out.push_back(c);
  }
}

}  // namespace

std::string_view to_string(Canon canon) { return canon == Canon::kSimple ? "simple" : "relaxed"; }

void canonicalize_header(Canon canon, std::string_view field, std::string& out) {
  if (canon == Canon::kSimple) {
    out.reserve(out.size() + field.size() + 8);
    for (std::size_t i = 0; i < field.size(); ++i) {
      if (field[i] == '\n' && (i == 0 || field[i - 1] != '\r')) out.push_back('\r');
      out.push_back(field[i]);
    }
    out += "\r\n";
    return;
  }
  const std::size_t colon = field.find(':');
  std::string_view name = field.substr(0, colon);
  while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
  for (char c : name) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  out.push_back(':');
  if (colon != std::string_view::npos) append_relaxed_value(field.substr(colon + 1), out);
  out += "\r\n";
}

std::string canonicalize_body(Canon canon, std::string_view body) {
  std::string out;
  out.reserve(body.size() + body.size() / 32 + 2);
  std::size_t keep = 0;  // size of `out` after the last non-empty line
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t nl = body.find('\n', pos);
    const bool has_break = nl != std::string_view::npos;
    if (!has_break) nl = body.size();
    std::size_t end = nl;
    if (has_break && end > pos && body[end - 1] == '\r') --end;
    const std::string_view line = body.substr(pos, end - pos);
    pos = has_break ? nl + 1 : body.size();

    const std::size_t before = out.size();
    if (canon == Canon::kSimple) {
      out += line;
    } else {
      // Whitespace runs become one SP; a run at the end of the line is dropped.
      bool pending_space = false;
      for (char c : line) {
        if (is_wsp(c)) {
          pending_space = true;
          continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(c);
      }
    }
    const bool empty_line = out.size() == before;
    out += "\r\n";
    if (!empty_line) keep = out.size();
  }
  out.resize(keep);
  if (canon == Canon::kSimple && out.empty()) out = "\r\n";
  return out;
}

}  // namespace vigie::auth::dkim

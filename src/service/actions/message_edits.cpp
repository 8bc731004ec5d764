// Planning and applying the message edits of the mail-flow actions (see message_edits.h): the
// header fields vigie removes, changes and adds for every action, and the banner body of a warn
// (banner.cpp).
#include "service/actions/message_edits.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "auth/stage/authentication_results.h"
#include "common/ascii.h"
#include "parse/mime/header_block.h"
#include "service/actions/banner.h"

namespace vigie::service {
namespace {

constexpr std::uint32_t kEveryField = std::numeric_limits<std::uint32_t>::max();

// Skips folding white space and comments (RFC 5322 §3.2.2: nested, with quoted-pairs).
std::string_view skip_cfws(std::string_view s) {
  std::size_t i = 0;
  int depth = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (depth > 0) {
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '(') ++depth;
      if (c == ')') --depth;
      ++i;
      continue;
    }
    if (c == '(') {
      ++depth;
      ++i;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else {
      break;
    }
  }
  return s.substr(std::min(i, s.size()));
}

}  // namespace

// The authserv-id of an Authentication-Results value (RFC 8601 §2.2: the value before the optional
// version and the first ';', a token or a quoted-string, after optional CFWS).
std::string authserv_id_of(std::string_view value) {
  value = skip_cfws(value);
  std::string out;
  if (value.starts_with('"')) {
    for (std::size_t i = 1; i < value.size() && value[i] != '"'; ++i) {
      if (value[i] == '\\' && i + 1 < value.size()) ++i;
      out += value[i];
    }
    return out;
  }
  for (const char c : value) {
    if (c == ';' || c == '(' || c == ' ' || c == '\t' || c == '\r' || c == '\n') break;
    out += c;
  }
  return out;
}

namespace {

// Whether authentication ran: the engine writes "<authserv-id>; none" when no method ran (no DNS
// source, or nothing to check) and leaves the summary empty when the stage did not run at all.
bool authentication_ran(const AuthResults& auth) {
  const std::string_view summary = auth.authentication_results;
  if (summary.empty()) return false;
  std::string_view rest = summary.substr(std::min(summary.find(';'), summary.size()));
  if (rest.starts_with(';')) rest.remove_prefix(1);
  return ascii::trim_blanks(rest) != "none";
}

std::string one_decimal(double score) {
  if (!std::isfinite(score)) return score > 0 ? "inf" : score < 0 ? "-inf" : "nan";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f", score);
  std::string out(buffer);
  return out == "-0.0" ? "0.0" : out;
}

// Only the characters a finding id or a message id is made of: nothing else reaches a header.
std::string identifier(std::string_view text, std::size_t max_size) {
  std::string out;
  for (const char c : text) {
    if (out.size() == max_size) break;
    if (ascii::is_alnum(c) || c == '_' || c == '-' || c == '.') out += c;
  }
  return out;
}

std::string findings_value(const Verdict& verdict, std::size_t top) {
  std::string out;
  std::size_t listed = 0;
  for (const std::string& reason : verdict.reasons) {
    if (listed == top) break;
    const std::string id = identifier(reason, 128);
    if (id.empty()) continue;
    if (!out.empty()) out += ", ";
    out += id;
    ++listed;
  }
  return out;
}

bool is_forgeable(const HeaderField& field, std::string_view authserv_id) {
  if (ascii::istarts_with(field.name, "X-Vigie-")) return true;
  return parse::iequals(field.name, "Authentication-Results") &&
         ascii::iequals(authserv_id_of(field.value), authserv_id);
}

// Removals of the fields that arrived from outside under vigie's names, last field first.
void remove_forged_fields(const ParsedMessage& message, std::string_view authserv_id,
                          std::vector<HeaderEdit>& out) {
  const Part& root = message.root();
  // Past max_header_fields the parser keeps no field; a forged one hidden there must still go.
  bool limit_hit = false;
  for (const Anomaly& a : message.anomalies()) limit_hit |= a.kind == AnomalyKind::kHeaderFieldLimit && a.part == 0;
  parse::HeaderSplit all;
  if (limit_hit) all = parse::split_header(message.raw(), 0, kEveryField);
  const std::vector<HeaderField>& fields = limit_hit ? all.fields : root.headers;
  for (std::size_t i = fields.size(); i-- > 0;) {
    if (!is_forgeable(fields[i], authserv_id)) continue;
    std::size_t occurrence = 0;
    for (std::size_t j = 0; j <= i; ++j) occurrence += parse::iequals(fields[j].name, fields[i].name);
    out.push_back({HeaderEdit::Kind::kRemove, std::string(fields[i].name), {}, occurrence});
  }
}

void insert(std::vector<HeaderEdit>& out, std::string_view name, std::string_view value) {
  out.push_back({HeaderEdit::Kind::kInsertAtTop, std::string(name), folded_header_value(name, value), 0});
}

// Line ends of `text` (CRLF, or a bare CR or LF) as `eol`; a fold (a line end followed by a space
// or tab) is kept, any other line end becomes a space so that a value cannot start a field.
std::string value_with_line_ends(std::string_view text, std::string_view eol) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '\r' && c != '\n') {
      out += c;
      continue;
    }
    std::size_t next = i + 1;
    if (c == '\r' && next < text.size() && text[next] == '\n') ++next;
    if (next < text.size() && (text[next] == ' ' || text[next] == '\t')) {
      out += eol;
    } else {
      out += ' ';
    }
    i = next - 1;
  }
  return out;
}

std::string body_with_line_ends(std::string_view body, std::string_view eol) {
  if (eol == "\r\n") return std::string(body);
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n') continue;
    out += body[i];
  }
  return out;
}

}  // namespace

MessageEdits plan_message_edits(const ParsedMessage& message, const AuthResults& auth, const Verdict& verdict,
                                std::string_view id, const ActionSettings& settings) {
  MessageEdits edits;
  remove_forged_fields(message, settings.authserv_id, edits.headers);

  if (verdict.action == Action::kWarn) {
    if (!settings.banner_on_warn) {
      edits.banner_skipped = "banner_on_warn is off";
    } else {
      BannerEdits banner = plan_banner(message, verdict.banner, settings);
      edits.body = std::move(banner.body);
      edits.banner_skipped = std::move(banner.skipped);
      edits.banner_parts = banner.parts;
      // Changes first, appends after: both name fields that exist or not in the original message.
      for (HeaderEdit& edit : banner.headers) {
        if (edit.kind == HeaderEdit::Kind::kChange) edits.headers.push_back(std::move(edit));
      }
      for (HeaderEdit& edit : banner.headers) {
        if (edit.kind == HeaderEdit::Kind::kAppend) edits.headers.push_back(std::move(edit));
      }
    }
  }

  // Inserted at the top one after the other: the last ends first, so they read top-down as
  // Authentication-Results, X-Vigie-Id, -Action, -Score, -Findings, -Incomplete.
  if (!verdict.complete) insert(edits.headers, "X-Vigie-Incomplete", "yes");
  if (const std::string findings = findings_value(verdict, settings.top_findings); !findings.empty()) {
    insert(edits.headers, "X-Vigie-Findings", findings);
  }
  insert(edits.headers, "X-Vigie-Score", one_decimal(verdict.score));
  insert(edits.headers, "X-Vigie-Action", action_name(verdict.action));
  insert(edits.headers, "X-Vigie-Id", identifier(id, 64));
  if (authentication_ran(auth)) {
    insert(edits.headers, "Authentication-Results", auth::authentication_results_header(settings.authserv_id, auth));
  }
  return edits;
}

MessageEdits plan_message_edits(const ScanResult& result, std::string_view id, const ActionSettings& settings) {
  return plan_message_edits(*result.message, result.auth, result.verdict, id, settings);
}

std::string apply_message_edits(std::string_view raw, const MessageEdits& edits) {
  const parse::HeaderSplit split = parse::split_header(raw, 0, kEveryField);
  const std::size_t first_newline = raw.find('\n');
  const std::string eol =
      first_newline != std::string_view::npos && (first_newline == 0 || raw[first_newline - 1] != '\r') ? "\n" : "\r\n";

  // Each field as written, with its line break.
  const std::size_t header_start = static_cast<std::size_t>(split.header_block.data() - raw.data());
  std::size_t fields_begin = split.fields.empty() ? header_start : static_cast<std::size_t>(split.fields.front().offset);
  std::size_t fields_end = fields_begin;
  struct Field {
    std::string name;
    std::string text;
  };
  std::vector<Field> fields;
  for (std::size_t i = 0; i < split.fields.size(); ++i) {
    const HeaderField& f = split.fields[i];
    const std::size_t begin = static_cast<std::size_t>(f.offset);
    std::size_t end = static_cast<std::size_t>(f.value.data() - raw.data()) + f.value.size();
    if (i + 1 < split.fields.size()) {
      end = static_cast<std::size_t>(split.fields[i + 1].offset);
    } else {
      const std::size_t newline = raw.find('\n', end);
      end = newline == std::string_view::npos ? raw.size() : newline + 1;
    }
    std::string text(raw.substr(begin, end - begin));
    if (!text.ends_with('\n')) text += eol;
    fields.push_back({std::string(f.name), std::move(text)});
    fields_end = end;
  }

  const auto nth = [&](std::string_view name, std::size_t occurrence) -> std::vector<Field>::iterator {
    std::size_t seen = 0;
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      if (parse::iequals(it->name, name) && ++seen == occurrence) return it;
    }
    return fields.end();
  };
  for (const HeaderEdit& edit : edits.headers) {
    const std::string name = value_with_line_ends(edit.name, "");
    const std::string line = name + ":" + value_with_line_ends(edit.value, eol) + eol;
    switch (edit.kind) {
      case HeaderEdit::Kind::kInsertAtTop:
        fields.insert(fields.begin(), {name, line});
        break;
      case HeaderEdit::Kind::kAppend:
        fields.push_back({name, line});
        break;
      case HeaderEdit::Kind::kChange:
      case HeaderEdit::Kind::kRemove: {
        const auto it = nth(name, edit.occurrence);
        if (it == fields.end()) break;
        // SMFIR_CHGHEADER with an empty value deletes the field.
        if (edit.kind == HeaderEdit::Kind::kRemove || edit.value.empty()) {
          fields.erase(it);
        } else {
          it->text = line;
        }
        break;
      }
    }
  }

  std::string out(raw.substr(0, fields_begin));
  for (const Field& f : fields) out += f.text;
  if (!edits.body) {
    out.append(raw.substr(fields_end));
    return out;
  }
  const std::size_t body_start = static_cast<std::size_t>(split.body.data() - raw.data());
  if (split.separator_found && body_start >= fields_end) {
    out.append(raw.substr(fields_end, body_start - fields_end));
  } else {
    out += eol;
  }
  out += body_with_line_ends(*edits.body, eol);
  return out;
}

}  // namespace vigie::service

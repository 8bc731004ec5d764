// Terminal renderers. Plain text, no colour codes, stable for diffing. Every string that comes
// from the message or its file name goes through terminal_safe() as it is placed on its line.
#include "outputs/text_output.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "outputs/json_output.h"
#include "outputs/terminal_text.h"

namespace vigie::outputs {
namespace {

// A message-derived field on one line: cut to `max_bytes` (never inside a character), then made
// safe to print. Labels, explanations and banners are shown whole, through terminal_safe alone.
std::string field(std::string_view text, std::size_t max_bytes = 400) {
  return terminal_safe(excerpt(text, max_bytes));
}

std::string format_score(double score) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", score);
  return buf;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string describe_part(const ParsedMessage& m, PartId id) {
  if (id >= m.parts().size()) return "";
  const Part& p = m.part(id);
  std::string out = "part " + std::to_string(id) + ": " + field(p.media_type) + "/" + field(p.media_subtype);
  if (!p.filename.empty()) out += " \"" + field(p.filename, 80) + "\"";
  if (p.is_attachment()) out += " (attachment)";
  return out;
}

// Where an evidence item sits in the message, from its location convention ("header:Name",
// "part:N", "url"...); empty when the evidence carries its context already.
std::string evidence_context(const ParsedMessage& m, const Evidence& e) {
  constexpr std::string_view kHeader = "header:";
  constexpr std::string_view kPart = "part:";
  if (e.location.starts_with(kHeader)) {
    // Of several fields with that name (two From headers), the one the evidence quotes.
    const std::string_view name = std::string_view(e.location).substr(kHeader.size());
    const std::size_t open = e.value.rfind('<');
    const std::string_view quoted = open == std::string::npos
                                        ? std::string_view(e.value)
                                        : std::string_view(e.value).substr(open + 1, e.value.find('>', open) - open - 1);
    std::string first;
    for (const HeaderField& header : m.root().headers) {
      if (header.name.size() != name.size() ||
          !std::equal(name.begin(), name.end(), header.name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          })) {
        continue;
      }
      const std::string value(m.header_text(header));
      const bool quotes = value.find(quoted) != std::string::npos;
      if (!quotes && !first.empty()) continue;
      std::string text = field(header.name, 80) + ": " + field(value, 200);
      if (quotes) return text;
      first = std::move(text);
    }
    return first;
  }
  if (e.location.starts_with(kPart)) {
    const std::string number = e.location.substr(kPart.size());
    if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos || number.size() > 9) {
      return "";
    }
    return describe_part(m, static_cast<PartId>(std::stoul(number)));
  }
  if (e.location == "url" || e.location.starts_with("url:")) {
    for (const Url& u : m.urls()) {
      if (e.value.find(u.normalized()) == std::string::npos && e.value.find(u.raw()) == std::string::npos) continue;
      std::string out = describe_part(m, u.part);
      if (!u.anchor_text.empty()) out += ", link text \"" + field(u.anchor_text, 120) + "\"";
      return out;
    }
  }
  return "";
}

}  // namespace

std::string scan_to_text(const ScanResult& result, std::string_view label, Language language,
                         bool explain) {
  const ParsedMessage& m = *result.message;
  const AddressList from = m.addresses("From");
  std::string out;
  out += terminal_safe(label) + "\n";
  out += "  verdict: " + upper(action_name(result.verdict.action)) + " (score " +
         format_score(result.verdict.score) + ")\n";
  out += "  from:    " + (from.mailboxes.empty() ? std::string("-") : field(from.mailboxes.front().address(), 200)) + "\n";
  out += "  subject: " + field(m.subject(), 120) + "\n";
  const AuthResults& auth = result.auth;
  out += "  auth:    spf=" + field(auth.spf.result, 40) +
         (auth.spf.domain.empty() ? "" : " (" + field(auth.spf.domain, 200) + ")");
  for (const DkimAuthResult& d : auth.dkim) out += " dkim=" + field(d.result, 40) + " (" + field(d.domain, 200) + ")";
  out += " dmarc=" + field(auth.dmarc.result, 40) + " arc=" + field(auth.arc.result, 40) + "\n";
  out += "  parts:   " + std::to_string(m.parts().size()) + ", anomalies: " +
         std::to_string(m.anomalies().size()) + "\n";
  for (const Finding& f : result.findings) {
    out += "  - " + field(f.id) + " (+" + format_score(f.score) + ")";
    if (!f.attack.empty()) {
      out += " [";
      for (std::size_t i = 0; i < f.attack.size(); ++i) out += (i ? "," : "") + field(f.attack[i]);
      out += "]";
    }
    out += ": " + terminal_safe(language == Language::kFrench ? f.explanation.fr : f.explanation.en) + "\n";
    if (!explain) continue;
    for (const Evidence& e : f.evidence) {
      out += "      " + field(e.location, 200) + ": " + field(e.value, 160) + "\n";
      if (const std::string context = evidence_context(m, e); !context.empty()) {
        out += "        in " + context + "\n";
      }
    }
  }
  const LocalizedText& banner = result.verdict.banner;
  if (!banner.en.empty()) {
    out += "  banner:  " + terminal_safe(language == Language::kFrench ? banner.fr : banner.en) + "\n";
  }
  // Every field above is already safe; this pass keeps a field added later without field() from
  // ever reaching the terminal raw.
  return terminal_safe(out, LineBreaks::kKeep);
}

std::string parse_to_text(const ParsedMessage& m) {
  std::string out;
  out += "Message-ID: " + field(m.message_id()) + "\n";
  out += "Subject:    " + field(m.subject(), 200) + "\n";
  for (const Part& p : m.parts()) {
    out += std::string(2 * (p.depth + 1), ' ') + std::to_string(p.id) + " " + field(p.media_type) + "/" +
           field(p.media_subtype);
    if (!p.charset.empty()) out += " charset=" + field(p.charset);
    if (p.transfer_encoding != TransferEncoding::kSevenBit) {
      out += " " + std::string(transfer_encoding_name(p.transfer_encoding));
    }
    if (p.disposition != Disposition::kNone) out += " " + std::string(disposition_name(p.disposition));
    if (!p.filename.empty()) out += " \"" + field(p.filename) + "\"";
    if (p.is_leaf()) out += " " + std::to_string(m.decoded(p.id).size()) + " bytes";
    out += "\n";
  }
  const auto urls = m.urls();
  if (!urls.empty()) out += "URLs (" + std::to_string(urls.size()) + "):\n";
  for (const Url& u : urls) out += "  " + field(u.normalized(), 200) + "\n";
  if (!m.anomalies().empty()) out += "Anomalies:\n";
  for (const Anomaly& a : m.anomalies()) {
    out += "  " + std::string(anomaly_name(a.kind));
    if (a.part != kNoPart) out += " (part " + std::to_string(a.part) + ")";
    if (!a.detail.empty()) out += ": " + field(a.detail);
    out += "\n";
  }
  return terminal_safe(out, LineBreaks::kKeep);
}

}  // namespace vigie::outputs

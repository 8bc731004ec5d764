// Terminal renderers. Plain text, no colour codes, stable for diffing.
#include "outputs/text_output.h"

#include <cstdio>

#include "outputs/json_output.h"

namespace vigie::outputs {
namespace {

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

}  // namespace

std::string scan_to_text(const ScanResult& result, std::string_view label, Language language) {
  const ParsedMessage& m = *result.message;
  const AddressList from = m.addresses("From");
  std::string out;
  out += std::string(label) + "\n";
  out += "  verdict: " + upper(action_name(result.verdict.action)) + " (score " +
         format_score(result.verdict.score) + ")\n";
  out += "  from:    " + (from.mailboxes.empty() ? std::string("-") : from.mailboxes.front().address()) + "\n";
  out += "  subject: " + excerpt(m.subject(), 120) + "\n";
  out += "  spf:     " + result.auth.spf.result +
         (result.auth.spf.domain.empty() ? "" : " (" + result.auth.spf.domain + ")") + "\n";
  out += "  parts:   " + std::to_string(m.parts().size()) + ", anomalies: " +
         std::to_string(m.anomalies().size()) + "\n";
  for (const Finding& f : result.findings) {
    out += "  - " + f.id + " (+" + format_score(f.score) + ")";
    if (!f.attack.empty()) {
      out += " [";
      for (std::size_t i = 0; i < f.attack.size(); ++i) out += (i ? "," : "") + f.attack[i];
      out += "]";
    }
    out += ": " + (language == Language::kFrench ? f.explanation.fr : f.explanation.en) + "\n";
    for (const Evidence& e : f.evidence) out += "      " + e.location + ": " + excerpt(e.value, 160) + "\n";
  }
  return out;
}

std::string parse_to_text(const ParsedMessage& m) {
  std::string out;
  out += "Message-ID: " + m.message_id() + "\n";
  out += "Subject:    " + excerpt(m.subject(), 200) + "\n";
  for (const Part& p : m.parts()) {
    out += std::string(2 * (p.depth + 1), ' ') + std::to_string(p.id) + " " + p.media_type + "/" +
           p.media_subtype;
    if (!p.charset.empty()) out += " charset=" + p.charset;
    if (p.transfer_encoding != TransferEncoding::kSevenBit) {
      out += " " + std::string(transfer_encoding_name(p.transfer_encoding));
    }
    if (p.disposition != Disposition::kNone) out += " " + std::string(disposition_name(p.disposition));
    if (!p.filename.empty()) out += " \"" + p.filename + "\"";
    if (p.is_leaf()) out += " " + std::to_string(m.decoded(p.id).size()) + " bytes";
    out += "\n";
  }
  const auto urls = m.urls();
  if (!urls.empty()) out += "URLs (" + std::to_string(urls.size()) + "):\n";
  for (const Url& u : urls) out += "  " + excerpt(u.normalized, 200) + "\n";
  if (!m.anomalies().empty()) out += "Anomalies:\n";
  for (const Anomaly& a : m.anomalies()) {
    out += "  " + std::string(anomaly_name(a.kind));
    if (a.part != kNoPart) out += " (part " + std::to_string(a.part) + ")";
    if (!a.detail.empty()) out += ": " + a.detail;
    out += "\n";
  }
  return out;
}

}  // namespace vigie::outputs

// Terminal renderers. Plain text, no colour codes, stable for diffing.
#include "outputs/text_output.h"

#include <algorithm>
#include <cctype>
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

std::string describe_part(const ParsedMessage& m, PartId id) {
  if (id >= m.parts().size()) return "";
  const Part& p = m.part(id);
  std::string out = "part " + std::to_string(id) + ": " + p.media_type + "/" + p.media_subtype;
  if (!p.filename.empty()) out += " \"" + excerpt(p.filename, 80) + "\"";
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
    for (const HeaderField& field : m.root().headers) {
      if (field.name.size() != name.size() ||
          !std::equal(name.begin(), name.end(), field.name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          })) {
        continue;
      }
      std::string text = std::string(field.name) + ": " + excerpt(m.header_text(field), 200);
      if (text.find(quoted) != std::string::npos) return text;
      if (first.empty()) first = std::move(text);
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
      if (!u.anchor_text.empty()) out += ", link text \"" + excerpt(u.anchor_text, 120) + "\"";
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
  out += std::string(label) + "\n";
  out += "  verdict: " + upper(action_name(result.verdict.action)) + " (score " +
         format_score(result.verdict.score) + ")\n";
  out += "  from:    " + (from.mailboxes.empty() ? std::string("-") : from.mailboxes.front().address()) + "\n";
  out += "  subject: " + excerpt(m.subject(), 120) + "\n";
  const AuthResults& auth = result.auth;
  out += "  auth:    spf=" + std::string(to_string(auth.spf.result)) +
         (auth.spf.domain.empty() ? "" : " (" + auth.spf.domain + ")");
  for (const DkimAuthResult& d : auth.dkim) {
    out += " dkim=" + std::string(to_string(d.result)) + " (" + d.domain + ")";
  }
  out += " dmarc=" + std::string(to_string(auth.dmarc.result)) +
         " arc=" + std::string(to_string(auth.arc.result)) + "\n";
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
    if (!explain) continue;
    for (const Evidence& e : f.evidence) {
      out += "      " + e.location + ": " + excerpt(e.value, 160) + "\n";
      if (const std::string context = evidence_context(m, e); !context.empty()) {
        out += "        in " + context + "\n";
      }
    }
  }
  const LocalizedText& banner = result.verdict.banner;
  if (!banner.en.empty()) {
    out += "  banner:  " + (language == Language::kFrench ? banner.fr : banner.en) + "\n";
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
  for (const Url& u : urls) out += "  " + excerpt(u.normalized(), 200) + "\n";
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

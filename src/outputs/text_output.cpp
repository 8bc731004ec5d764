// Terminal renderers. Plain text, no colour codes, stable for diffing. Every string that comes
// from the message or its file name goes through terminal_safe() as it is placed on its line.
#include "outputs/text_output.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

#include "common/ascii.h"
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

// The fixed words of the message block and of the --explain lines, in the language asked for; what
// comes from the message is inserted between them unchanged.
struct Words {
  // The labels of the message block; their values start in one column (value_column).
  const char* verdict;
  const char* files;
  const char* from;
  const char* subject;
  const char* auth;
  const char* parts;
  const char* banner;
  std::size_t value_column;
  const char* not_fully_examined;  // after the verdict's score
  const char* anomalies;           // "parts: 3, anomalies: 0"
  const char* part;           // "part 3: text/html"
  const char* attachment;     // " (attachment)"
  const char* link_text;      // ", link text \"…\""
  const char* in;             // "in part 3: …", the context of an evidence line
  const char* unidentified;   // an extracted file of no known type
  const char* bytes;
  const char* not_examined;   // a limit's line
  const char* colon;          // French puts a space before a colon
  const char* groups;         // the groups block's heading
  const char* of;             // "10.0 of 10.9"
  const char* capped_at;
  const char* max;
  const char* none;           // a group without a cap
  const char* package_parts;  // "4 XML parts of the document (in the JSON output)"
  const char* attribution;    // the attribution hints' label
  const char* intelligence;   // "intelligence: indicator--1 from CERT-FR..."
  const char* techniques;
  const char* known_sets;     // "T1221 Template Injection (8 known sets)"
  const char* strong;         // a strong intelligence match
  const char* via;            // "indicator--1 ..., via campaign C0027"
  const char* and_word;       // "T1221 ..., T1137.002 ..., and 7 more"
  const char* more;
  std::array<const char*, 3> confidences;  // "low", "moderate", "high"
};

constexpr Words kEnglish{"verdict", "files", "from", "subject", "auth", "parts", "banner", 11,
                         ", not fully examined", "anomalies",
                         "part", " (attachment)", ", link text", "in", "unidentified content", "bytes",
                         "not examined", ":", "groups:  each counts at most its max_score", "of", "capped at",
                         "max", "none", "XML parts of the document, listed in the JSON output",
                         "attribution", "intelligence", "techniques", "known sets", "strong", "via", "and", "more",
                         {"low", "moderate", "high"}};
// "De" and "Objet" as French mail clients label From and Subject.
constexpr Words kFrench{"verdict", "fichiers", "de", "objet", "authentification", "parties", "bannière", 21,
                        ", pas entièrement examiné", "anomalies",
                        "partie", " (pièce jointe)", ", texte du lien", "dans", "contenu non identifié", "octets",
                        "non examiné", " :", "groupes :  chacun compte au plus son max_score", "sur",
                        "plafonné à", "max", "aucun", "parties XML du document, listées dans la sortie JSON",
                        "attribution", "renseignement", "techniques", "groupes connus", "forte", "via", "et", "autres",
                        {"faible", "modérée", "élevée"}};

const Words& words_for(Language language) { return language == Language::kFrench ? kFrench : kEnglish; }

// "  from:    ", "  authentification : ": a label of the message block and its colon, padded to
// the language's value column (counted in characters: "bannière" has a two-byte letter).
std::string heading(const Words& w, const char* name) {
  std::string out = std::string("  ") + name + w.colon + " ";
  std::size_t width = 0;
  for (const char c : out) width += (static_cast<unsigned char>(c) & 0xC0) == 0x80 ? 0 : 1;
  if (width < w.value_column) out.append(w.value_column - width, ' ');
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string describe_part(const ParsedMessage& m, PartId id, const Words& w) {
  if (id >= m.parts().size()) return "";
  const Part& p = m.part(id);
  std::string out = std::string(w.part) + " " + std::to_string(id) + w.colon + " " + field(p.media_type) + "/" +
                    field(p.media_subtype);
  if (!p.filename.empty()) out += " \"" + field(p.filename, 80) + "\"";
  if (p.is_attachment()) out += w.attachment;
  return out;
}

// The header field an evidence item quotes: of several fields with that name (two From
// headers), the one whose text holds the quoted address or value.
std::string quoted_header(const ParsedMessage& m, std::string_view name, const std::string& value) {
  const std::size_t open = value.rfind('<');
  const std::string_view quoted = open == std::string::npos
                                      ? std::string_view(value)
                                      : std::string_view(value).substr(open + 1, value.find('>', open) - open - 1);
  std::string first;
  for (const HeaderField& header : m.root().headers) {
    if (!ascii::iequals(header.name, name)) continue;
    std::string text = field(header.name, 80) + ": " + field(m.header_text(header), 200);
    if (text.find(quoted) != std::string::npos) return text;
    if (first.empty()) first = std::move(text);
  }
  return first;
}

// The link an evidence item quotes, looked for among the links of the part it names (or of the
// whole message, for evidence about the message itself), and its visible text.
std::string quoted_link(const ParsedMessage& m, PartId part, const Evidence& e, const Words& w) {
  for (const Url& u : m.urls()) {
    if (part != kNoPart && u.part != part) continue;
    if (e.value.find(u.normalized()) == std::string::npos && e.value.find(u.raw()) == std::string::npos) continue;
    std::string out = describe_part(m, u.part, w);
    if (!u.anchor_text.empty()) out += std::string(w.link_text) + " \"" + field(u.anchor_text, 120) + "\"";
    return out;
  }
  return "";
}

// Where an evidence item sits in the message: the header as written, the link with its visible
// text, the part or the extracted file it names; empty when the evidence carries its context.
std::string evidence_context(const ScanResult& result, const Evidence& e, const Words& w) {
  const ParsedMessage& m = *result.message;
  const Object* object = e.object < result.objects.size() ? &result.objects.at(e.object) : nullptr;
  const bool in_message = object == nullptr || e.object == kMessageObject;
  constexpr std::string_view kHeader = "header:";
  if (in_message && e.field.starts_with(kHeader)) {
    return quoted_header(m, std::string_view(e.field).substr(kHeader.size()), e.value);
  }
  if (e.field == "url") return quoted_link(m, in_message ? kNoPart : object->part, e, w);
  if (in_message) return "";
  if (object->origin == ObjectOrigin::kMimePart || object->origin == ObjectOrigin::kAttachedMessage) {
    return describe_part(m, object->part, w);
  }
  std::string out = field(result.objects.path(object->id, w.part), 200) + w.colon + " " +
                    (object->detected_type.empty() ? std::string(w.unidentified) : field(object->detected_type, 80)) +
                    ", " + std::to_string(object->size()) + " " + w.bytes + ", sha256 " + object->sha256();
  return out;
}

// One line per group: what it counted, its cap (and what it would have counted without it), its
// findings. "lure: 10.0 of 10.9, capped at 10.0 (LURE_PAYMENT, LURE_PRESSURE)".
std::string groups_text(const ScanResult& result, const Words& w) {
  std::string out = "  " + std::string(w.groups) + "\n";
  for (const GroupScore& g : result.verdict.groups) {
    out += "    " + field(g.group) + w.colon + " " + format_score(g.score);
    if (g.score < g.uncapped) {
      out += " " + std::string(w.of) + " " + format_score(g.uncapped) + ", " + w.capped_at + " " +
             format_score(g.max_score);
    } else {
      out += ", " + std::string(w.max) + " " +
             (std::isfinite(g.max_score) ? format_score(g.max_score) : std::string(w.none));
    }
    std::vector<std::string_view> ids;
    for (const Finding& f : result.findings) {
      if (f.group == g.group && std::find(ids.begin(), ids.end(), f.id) == ids.end()) ids.push_back(f.id);
    }
    out += " (";
    for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + field(ids[i]);
    out += ")\n";
  }
  return out;
}

// An XML part of an Office or OpenDocument package ([Content_Types].xml, word/document.xml...):
// the document's own structure, tens of lines that would hide the files that matter (the VBA
// project, embedded objects). Findings about one still name it in their evidence.
bool is_package_xml(const ObjectTree& objects, const Object& o) {
  if (o.origin != ObjectOrigin::kArchiveMember || o.detected_type != "text/xml" || o.parent == kNoObject) return false;
  const std::string& package = objects.at(o.parent).detected_type;
  return package.starts_with("application/vnd.openxmlformats-officedocument.") ||
         package.starts_with("application/vnd.ms-word.") || package.starts_with("application/vnd.ms-excel.") ||
         package.starts_with("application/vnd.ms-powerpoint.") || package.starts_with("application/vnd.oasis.opendocument.");
}

}  // namespace

// One line per hint: the set and the confidence in words; with --explain, the evidence behind it
// below, as under the findings.
constexpr std::size_t kTechniquesShown = 4;
std::string attribution_text(const std::vector<AttributionHint>& hints, const Words& w, bool explain) {
  std::string out;
  const std::string indent(6, ' ');  // where the evidence lines of the findings start
  for (const AttributionHint& h : hints) {
    const std::size_t level = h.confidence == "high" ? 2 : h.confidence == "moderate" ? 1 : 0;
    out += heading(w, w.attribution) + field(h.set_name, 80) + " (" + field(h.set_id, 20) + ")" + w.colon + " " +
           w.confidences[level] + "\n";
    if (!explain) continue;
    for (const AttributionHint::IntelligenceEvidence& e : h.intelligence) {
      out += indent + w.intelligence + w.colon + " " + field(e.indicator, 200);
      if (!e.named_as.empty()) out += ", " + std::string(w.via) + " " + field(e.named_as, 120);
      if (e.strong) out += " (" + std::string(w.strong) + ")";
      out += "\n";
    }
    if (!h.techniques.empty()) {
      // The heaviest few say why; the common ones that follow are counted (all are in the JSON).
      out += indent + w.techniques + w.colon + " ";
      const std::size_t shown = std::min<std::size_t>(h.techniques.size(), kTechniquesShown);
      for (std::size_t i = 0; i < shown; ++i) {
        const AttributionHint::TechniqueEvidence& t = h.techniques[i];
        out += (i ? ", " : "") + field(t.id, 20) + " " + field(t.name, 80) + " (" + std::to_string(t.sets_using) + " " +
               w.known_sets + ")";
      }
      if (h.techniques.size() > shown) {
        out += ", " + std::string(w.and_word) + " " + std::to_string(h.techniques.size() - shown) + " " + w.more;
      }
      out += "\n";
    }
  }
  return out;
}

std::string scan_to_text(const ScanResult& result, std::string_view label, Language language,
                         bool explain) {
  const ParsedMessage& m = *result.message;
  const AddressList from = m.addresses("From");
  const bool french = language == Language::kFrench;
  const Words& w = words_for(language);
  std::string out;
  out += terminal_safe(label) + "\n";
  out += heading(w, w.verdict) + upper(action_name(result.verdict.action)) + " (score " +
         format_score(result.verdict.score) + ")" + (result.verdict.complete ? "" : w.not_fully_examined) + "\n";
  for (const LimitCrossing& c : result.limits_reached) {
    const std::string& what = french && !c.not_examined_fr.empty() ? c.not_examined_fr : c.not_examined;
    // An encrypted or unreadable archive stops the analysis without a [limits] key (allowed 0).
    const std::string cause = c.allowed == 0 ? c.limit : "[limits] " + c.limit + " = " + std::to_string(c.allowed);
    out += "  " + std::string(w.not_examined) + w.colon + " " + field(what, 200) + " (" + c.stage + ", " + cause + ")\n";
  }
  std::size_t attachments = 0;
  for (const Object& o : result.objects) attachments += o.is_file() ? 1 : 0;
  if (attachments > 0) {
    out += heading(w, w.files);
    bool first = true;
    const auto line = [&](const std::string& text) {
      out += (first ? "" : "\n" + std::string(w.value_column, ' ')) + text;
      first = false;
    };
    std::map<ObjectId, std::size_t> package_xml;  // package → its XML parts, shown as a count
    for (const Object& o : result.objects) {
      if (!o.is_file()) continue;
      if (is_package_xml(result.objects, o)) {
        ++package_xml[o.parent];
        continue;
      }
      line(field(result.objects.path(o.id, w.part), 120) + ", " +
           field(o.detected_type.empty() ? o.declared_type : o.detected_type, 80) + ", " + std::to_string(o.size()) +
           " " + w.bytes + ", sha256 " + o.sha256());
    }
    for (const auto& [package, count] : package_xml) {
      line(field(result.objects.path(package, w.part), 120) + " > " + std::to_string(count) + " " + w.package_parts);
    }
    out += "\n";
  }
  out += heading(w, w.from) +
         (from.mailboxes.empty() ? std::string("-") : field(from.mailboxes.front().address(), 200)) + "\n";
  out += heading(w, w.subject) + field(m.subject(), 120) + "\n";
  const AuthResults& auth = result.auth;
  out += heading(w, w.auth) + "spf=" + std::string(to_string(auth.spf.result)) +
         (auth.spf.domain.empty() ? "" : " (" + field(auth.spf.domain, 200) + ")");
  for (const DkimAuthResult& d : auth.dkim) {
    out += " dkim=" + std::string(to_string(d.result)) + " (" + field(d.domain, 200) + ")";
  }
  out += " dmarc=" + std::string(to_string(auth.dmarc.result)) +
         " arc=" + std::string(to_string(auth.arc.result)) + "\n";
  out += heading(w, w.parts) + std::to_string(m.parts().size()) + ", " + w.anomalies + w.colon + " " +
         std::to_string(m.anomalies().size()) + "\n";
  for (const Finding& f : result.findings) {
    out += "  - " + field(f.id) + " (+" + format_score(f.score) + ")";
    if (!f.attack.empty()) {
      // Each id with its ATT&CK name when the engine knows it: "[T1566.002 Spearphishing Link, T1656 Impersonation]".
      out += " [";
      for (std::size_t i = 0; i < f.attack.size(); ++i) {
        out += (i ? ", " : "") + field(f.attack[i]);
        const auto named = std::find_if(f.attack_techniques.begin(), f.attack_techniques.end(),
                                        [&](const AttackTechnique& t) { return t.id == f.attack[i]; });
        if (named != f.attack_techniques.end()) out += " " + field(named->name, 80);
      }
      out += "]";
    }
    out += ": " + terminal_safe(french ? f.explanation.fr : f.explanation.en) + "\n";
    if (!explain) continue;
    for (const Evidence& e : f.evidence) {
      out += "      " + field(evidence_place(result.objects, e, w.part), 200) + ": " +
             field(french ? e.value_in_french() : e.value, 160) + "\n";
      if (const std::string context = evidence_context(result, e, w); !context.empty()) {
        out += "        " + std::string(w.in) + " " + context + "\n";
      }
    }
  }
  out += attribution_text(result.verdict.attribution, w, explain);
  if (explain && !result.verdict.groups.empty()) out += groups_text(result, w);
  const LocalizedText& banner = result.verdict.banner;
  if (!banner.en.empty()) {
    out += heading(w, w.banner) + terminal_safe(french ? banner.fr : banner.en) + "\n";
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
  for (const Part& p : m.parts()) {
    const CalendarContent* calendar = m.calendar(p.id);
    if (calendar == nullptr) continue;
    out += "Calendar (part " + std::to_string(p.id) + "):" +
           (calendar->method.empty() ? std::string(" no METHOD") : " METHOD " + field(calendar->method, 40)) + ", " +
           std::to_string(calendar->components) + " components\n";
    for (const CalendarParty& party : calendar->parties) {
      out += std::string(party.role == CalendarParty::Role::kOrganizer ? "  organizer " : "  attendee  ") +
             (party.common_name.empty() ? "" : "\"" + field(party.common_name, 120) + "\" ") + "<" +
             field(party.address, 200) + ">" + (party.sent_by.empty() ? "" : " sent by " + field(party.sent_by, 200)) +
             "\n";
    }
    for (const CalendarFile& file : calendar->files) {
      out += "  file      " + (file.filename.empty() ? std::string("(unnamed)") : "\"" + field(file.filename, 120) + "\"") +
             (file.declared_type.empty() ? "" : " " + field(file.declared_type, 80)) + ", " +
             std::to_string(file.content ? file.content->size() : 0) + " bytes\n";
    }
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

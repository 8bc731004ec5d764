// ooxml: what the members of an Office Open XML package (.docx, .docm, .xlsx, .xlsm, .pptx...) do
// when the document opens. The archive extractor pushes the package's members as child objects
// (origin archive_member, file name = member path); this analyzer reads the ones that matter:
//   - relationships (*.rels) whose TargetMode is External: an attachedTemplate fetched from a
//     remote address (OFFICE_REMOTE_TEMPLATE, T1221), an OLE object, frame or sub-document fetched
//     from one (OFFICE_EXTERNAL_OBJECT), targets of the shape of known exploits (ms-msdt:, an HTML
//     page ending in '!' — Follina CVE-2022-30190 —, mhtml:/x-usc: — CVE-2021-40444 —,
//     search-ms:; OFFICE_EXPLOIT_TARGET), a file share or WebDAV path that makes Windows send the
//     reader's NTLM hash (OFFICE_UNC_RESOURCE, T1187). Every external URL joins the message's
//     links (context.add_url), so the link analyzers judge its host;
//   - fields of word/*.xml (instrText runs joined between fldChar begin and end, fldSimple):
//     DDE and DDEAUTO (OFFICE_DDE_FIELD, T1559.002), INCLUDEPICTURE/INCLUDETEXT/LINK to a share;
//     nested fields are evaluated inner first, and a QUOTE field's character codes decoded into
//     the field around it ({ {QUOTE 68 68 69 65 85 84 79} cmd.exe ... } is a DDEAUTO field);
//   - xl/externalLinks/*.xml ddeLink elements (Excel DDE, same finding);
//   - Excel 4.0 macro sheets (xl/macrosheets/*) and an Auto_Open defined name in xl/workbook.xml.
// The VBA project (vbaProject.bin) and embedded objects (word/embeddings/*.bin) are OLE files,
// read by office_macros and ole_objects when they reach the queue. Limits: other computed fields
// (SET/REF bookmarks, formulas) are not evaluated; binary workbooks (.xlsb) are not read; the XML
// is scanned, not validated (objects/ooxml).
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "common/utf8_clip.h"
#include "objects/ooxml/xml_scan.h"
#include "objects/remote_path.h"
#include "parse/url/url.h"

namespace vigie::analyzers::ooxml {
namespace {

using objects::ooxml::attribute;
using objects::ooxml::decode_entities;
using objects::ooxml::local_name;
using objects::ooxml::XmlScanner;
using objects::ooxml::XmlTag;
using verdict::FindingId;

constexpr std::size_t kEvidenceBytes = 300;
constexpr std::size_t kMaxFieldBytes = 8192;
constexpr std::size_t kMaxFieldDepth = 16;  // fields inside fields; Word documents rarely pass 3

enum class Member { kNone, kRelationships, kWordPart, kExternalLink, kMacroSheet, kWorkbook };

std::string member_path(const Object& object) {
  std::string path = ascii::lowercase(object.filename);
  while (!path.empty() && (path.front() == '/' || path.front() == '\\')) path.erase(0, 1);
  return path;
}

Member member_kind(const Object& object) {
  const std::string path = member_path(object);
  if (path.ends_with(".rels")) return Member::kRelationships;
  if (path.starts_with("word/") && path.ends_with(".xml")) return Member::kWordPart;
  if (path.starts_with("xl/externallinks/") && path.ends_with(".xml")) return Member::kExternalLink;
  if (path.starts_with("xl/macrosheets/") && path.ends_with(".xml")) return Member::kMacroSheet;
  if (path == "xl/workbook.xml") return Member::kWorkbook;
  return Member::kNone;
}

// ---- targets ----------------------------------------------------------------------------------

struct Target {
  std::string scheme;  // lowercase, "" for a path without one
  bool unc = false;    // a Windows file share or a WebDAV path: Windows authenticates to it
  bool remote = false; // fetched from another machine (http, https, ftp, a share)
  std::string cve;     // the exploit whose shape it has; "" when none
  std::string exploit; // the same, in words
};

Target read_target(std::string_view raw, bool ole_object) {
  Target t;
  const std::string lower = ascii::lowercase(ascii::trim_blanks(raw));
  const std::size_t colon = lower.find(':');
  // "c:\..." is a drive, not a scheme.
  if (colon != std::string::npos && colon >= 2) {
    bool letters = true;
    for (char c : std::string_view(lower).substr(0, colon)) letters = letters && (ascii::is_alnum(c) || c == '-' || c == '+' || c == '.');
    if (letters) t.scheme = lower.substr(0, colon);
  }
  t.unc = objects::remote_path(raw).has_value();
  t.remote = t.unc || t.scheme == "http" || t.scheme == "https" || t.scheme == "ftp";
  if (t.scheme == "ms-msdt") {
    t.cve = "CVE-2022-30190";
    t.exploit = "ms-msdt: protocol handler (Follina)";
  } else if (t.scheme == "mhtml" || t.scheme == "x-usc") {
    t.cve = "CVE-2021-40444";
    t.exploit = t.scheme + ": loader (MSHTML)";
  } else if (t.scheme == "search-ms" || t.scheme == "search") {
    t.exploit = "search-ms: protocol handler (opens a remote folder in Explorer)";
  } else if (t.scheme == "ms-officecmd") {
    t.exploit = "ms-officecmd: protocol handler";
  } else if (ole_object && (t.scheme == "http" || t.scheme == "https") && lower.ends_with("!")) {
    t.cve = "CVE-2022-30190";
    t.exploit = "external OLE object to an HTML page ending in '!' (Follina)";
  }
  return t;
}

// The URL a link analyzer can read: a share as file://host/share.
std::string as_url(std::string_view raw) {
  std::string target(ascii::trim_blanks(raw));
  if (target.starts_with("\\\\")) {
    std::string url = "file://" + target.substr(2);
    for (char& c : url) {
      if (c == '\\') c = '/';
    }
    return url;
  }
  return target;
}

void add_link(std::string_view raw, UrlSource source, const Target& target, const Object& object,
              ObjectContext& context) {
  if (target.scheme.empty() && !target.unc) return;  // a relative part name, or a local path
  Url url = parse::normalize_url(as_url(raw), source);
  context.add_url(object, std::move(url));
}

Evidence target_evidence(const Object& object, std::string_view target) {
  return Evidence(object.id, "target", std::string(utf8::clip(target, kEvidenceBytes)));
}

void report_unc(const Object& object, std::string_view what, std::string_view target, FindingSink& sink) {
  sink.emit(FindingId::OFFICE_UNC_RESOURCE,
            {Evidence(object.id, "member", object.filename), Evidence(object.id, "reference", std::string(what)),
             target_evidence(object, target)});
}

// ---- members ----------------------------------------------------------------------------------

void relationships(std::string_view xml, const Object& object, ObjectContext& context, FindingSink& sink) {
  XmlScanner scanner(xml);
  XmlTag tag;
  while (scanner.next(tag)) {
    if (tag.closing || local_name(tag.name) != "Relationship") continue;
    const auto mode = attribute(tag.attributes, "TargetMode");
    if (!mode || !ascii::iequals(*mode, "External")) continue;
    const std::string type_uri = attribute(tag.attributes, "Type").value_or("");
    const std::string raw = attribute(tag.attributes, "Target").value_or("");
    if (raw.empty()) continue;
    const std::string_view type = std::string_view(type_uri).substr(type_uri.rfind('/') + 1);
    const bool hyperlink = type == "hyperlink";
    const bool template_ = type == "attachedTemplate";
    const bool object_like = type == "oleObject" || type == "frame" || type == "subDocument" || type == "package" ||
                             type == "control";
    const Target target = read_target(raw, type == "oleObject");
    add_link(raw, hyperlink ? UrlSource::kHref : UrlSource::kSrc, target, object, context);

    const Evidence member(object.id, "member", object.filename);
    const Evidence relationship(object.id, "relationship", std::string(type));
    if (!target.exploit.empty()) {
      std::vector<Evidence> evidence{member, relationship, target_evidence(object, raw),
                                     Evidence(object.id, "exploit", target.exploit)};
      if (!target.cve.empty()) evidence.emplace_back(object.id, "cve", target.cve);
      sink.emit(FindingId::OFFICE_EXPLOIT_TARGET, std::move(evidence));
    } else if (template_ && target.remote) {
      // A template on a share is first a credential leak (reported below); the template itself
      // counts for half.
      sink.emit(FindingId::OFFICE_REMOTE_TEMPLATE, {member, target_evidence(object, raw)},
                target.scheme == "http" || target.scheme == "https" || target.scheme == "ftp" ? 1.0 : 0.5);
    } else if (object_like && target.remote) {
      sink.emit(FindingId::OFFICE_EXTERNAL_OBJECT, {member, relationship, target_evidence(object, raw)});
    }
    if (target.unc && !hyperlink) report_unc(object, std::string(type), raw, sink);
  }
}

// The first quoted (or bare) argument of a field instruction: INCLUDEPICTURE "\\host\a.png" \d.
std::string field_argument(std::string_view instruction) {
  std::size_t at = instruction.find_first_of(" \t");
  if (at == std::string_view::npos) return {};
  while (at < instruction.size() && (instruction[at] == ' ' || instruction[at] == '\t')) ++at;
  if (at >= instruction.size()) return {};
  if (instruction[at] == '"') {
    const std::size_t end = instruction.find('"', at + 1);
    return std::string(instruction.substr(at + 1, end == std::string_view::npos ? std::string_view::npos : end - at - 1));
  }
  const std::size_t end = instruction.find_first_of(" \t", at);
  return std::string(instruction.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
}

// What a QUOTE field puts in the field around it: its quoted text, and for each number the character
// of that code ({ QUOTE 68 68 69 65 85 84 79 } is "DDEAUTO"). Word evaluates nested fields before
// the outer one, so a DDE command assembled this way runs while no filter reads "DDE" anywhere.
std::string quote_result(std::string_view arguments) {
  std::string out;
  std::size_t at = 0;
  while (at < arguments.size()) {
    while (at < arguments.size() && ascii::is_space(arguments[at])) ++at;
    if (at >= arguments.size()) break;
    if (arguments[at] == '"') {
      const std::size_t end = arguments.find('"', at + 1);
      out += arguments.substr(at + 1, end == std::string_view::npos ? std::string_view::npos : end - at - 1);
      at = end == std::string_view::npos ? arguments.size() : end + 1;
      continue;
    }
    std::size_t end = at;
    while (end < arguments.size() && !ascii::is_space(arguments[end])) ++end;
    const std::string_view token = arguments.substr(at, end - at);
    unsigned code = 0;
    const bool number = token.size() <= 3 && std::all_of(token.begin(), token.end(), [](char c) { return ascii::is_digit(c); });
    if (number) {
      for (char c : token) code = code * 10 + static_cast<unsigned>(c - '0');
    }
    if (number && code > 0 && code < 256) {
      out.push_back(static_cast<char>(code));
    } else {
      out += token;
    }
    at = end;
  }
  return out;
}

// The field's keyword ("ddeauto", "quote", "includepicture"), lowercase.
std::string field_word(std::string_view trimmed) {
  std::size_t word_end = 0;
  while (word_end < trimmed.size() && !ascii::is_space(trimmed[word_end]) && trimmed[word_end] != '"') ++word_end;
  return ascii::lowercase(trimmed.substr(0, word_end));
}

// `assembled`: nested QUOTE fields built part of the instruction.
void field(std::string_view instruction, bool assembled, const Object& object, ObjectContext& context,
           FindingSink& sink) {
  const std::string_view trimmed = ascii::trim_blanks(instruction);
  const std::string word = field_word(trimmed);
  if (word == "ddeauto" || word == "dde") {
    const bool automatic = word == "ddeauto";
    std::vector<Evidence> evidence{
        Evidence(object.id, "member", object.filename),
        Evidence(object.id, "field", std::string(utf8::clip(trimmed, kEvidenceBytes))),
        Evidence(object.id, "runs",
                 automatic ? LocalizedText{"when the document opens", "à l'ouverture du document"}
                           : LocalizedText{"when the reader updates the field", "quand le lecteur met le champ à jour"})};
    if (assembled) {
      evidence.emplace_back(object.id, "obfuscation",
                            LocalizedText{"the command is assembled by nested QUOTE fields from character codes",
                                          "la commande est assemblée par des champs QUOTE imbriqués à partir de codes de caractères"});
    }
    // Built to hide from filters: as sure as an automatic field.
    sink.emit(FindingId::OFFICE_DDE_FIELD, std::move(evidence), automatic || assembled ? 1.0 : 0.75);
    return;
  }
  if (word == "includepicture" || word == "includetext" || word == "link") {
    const std::string argument = field_argument(trimmed);
    // Word doubles the backslashes of paths in field codes: a share is written \\\\host\\share.
    std::string path;
    if (argument.starts_with("\\\\\\\\")) {
      for (std::size_t i = 0; i < argument.size(); ++i) {
        path.push_back(argument[i]);
        if (argument[i] == '\\' && i + 1 < argument.size() && argument[i + 1] == '\\') ++i;
      }
    } else {
      path = argument;
    }
    const Target target = read_target(path, false);
    add_link(path, UrlSource::kSrc, target, object, context);
    if (target.unc) report_unc(object, "field " + ascii::lowercase(word), path, sink);
  }
}

// Complex fields (fldChar begin ... end) nest: each is judged when it ends, inner ones first, and
// an inner QUOTE's result joins the instruction of the field around it, as Word evaluates them.
void word_part(std::string_view xml, const Object& object, ObjectContext& context, FindingSink& sink) {
  struct OpenField {
    std::string instruction;
    bool assembled = false;  // a nested QUOTE added to the instruction
  };
  XmlScanner scanner(xml);
  XmlTag tag;
  std::vector<OpenField> open;
  std::size_t unread_depth = 0;  // fields nested past kMaxFieldDepth: counted, not read
  while (scanner.next(tag)) {
    const std::string_view name = local_name(tag.name);
    if (name == "fldSimple" && !tag.closing) {
      if (auto instruction = attribute(tag.attributes, "instr")) field(*instruction, false, object, context, sink);
    } else if (name == "fldChar" && !tag.closing) {
      const std::string type = attribute(tag.attributes, "fldCharType").value_or("");
      if (type == "begin") {
        if (open.size() < kMaxFieldDepth) {
          open.emplace_back();
        } else {
          ++unread_depth;
        }
      } else if (type == "end" && unread_depth > 0) {
        --unread_depth;
      } else if (type == "end" && !open.empty()) {
        OpenField done = std::move(open.back());
        open.pop_back();
        field(done.instruction, done.assembled, object, context, sink);
        const std::string_view trimmed = ascii::trim_blanks(done.instruction);
        if (!open.empty() && field_word(trimmed) == "quote" && open.back().instruction.size() < kMaxFieldBytes) {
          open.back().instruction += quote_result(trimmed.substr(5));
          open.back().assembled = true;
        }
      }
    } else if (name == "instrText" && !tag.closing && !tag.self_closing && !open.empty() && unread_depth == 0) {
      if (open.back().instruction.size() < kMaxFieldBytes) open.back().instruction += decode_entities(tag.text_after);
    }
  }
}

void external_link(std::string_view xml, const Object& object, FindingSink& sink) {
  XmlScanner scanner(xml);
  XmlTag tag;
  while (scanner.next(tag)) {
    if (tag.closing || local_name(tag.name) != "ddeLink") continue;
    const std::string command = attribute(tag.attributes, "ddeService").value_or("") + "|" +
                                attribute(tag.attributes, "ddeTopic").value_or("");
    sink.emit(FindingId::OFFICE_DDE_FIELD,
              {Evidence(object.id, "member", object.filename),
               Evidence(object.id, "field", std::string(utf8::clip(command, kEvidenceBytes))),
               Evidence(object.id, "runs", LocalizedText{"when the workbook updates its links",
                                                          "quand le classeur met à jour ses liaisons"})});
  }
}

void workbook(std::string_view xml, const Object& object, FindingSink& sink) {
  XmlScanner scanner(xml);
  XmlTag tag;
  while (scanner.next(tag)) {
    if (tag.closing || local_name(tag.name) != "definedName") continue;
    const std::string name = attribute(tag.attributes, "name").value_or("");
    if (ascii::istarts_with(name, "_xlnm.auto_open") || ascii::istarts_with(name, "auto_open")) {
      sink.emit(FindingId::EXCEL4_AUTO_OPEN,
                {Evidence(object.id, "member", object.filename), Evidence(object.id, "name", name),
                 Evidence(object.id, "cell", std::string(utf8::clip(decode_entities(tag.text_after), kEvidenceBytes)))});
      return;
    }
  }
}

bool accepts(const Object& object) {
  return object.is_file() && (object.origin == ObjectOrigin::kArchiveMember || object.origin == ObjectOrigin::kEmbedded) &&
         member_kind(object) != Member::kNone;
}

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* /*state*/, FindingSink& sink) {
  const Limits& limits = context.message().limits();
  std::string_view xml = object.bytes();
  if (xml.size() > limits.max_office_xml_bytes) {
    sink.limit_reached("max_office_xml_bytes", xml.size(), limits.max_office_xml_bytes,
                       LocalizedText{"the end of " + object.filename, "la fin de " + object.filename}, object.id);
    xml = xml.substr(0, limits.max_office_xml_bytes);
  }
  switch (member_kind(object)) {
    case Member::kRelationships: relationships(xml, object, context, sink); break;
    case Member::kWordPart: word_part(xml, object, context, sink); break;
    case Member::kExternalLink: external_link(xml, object, sink); break;
    case Member::kMacroSheet:
      sink.emit(FindingId::EXCEL4_MACRO_SHEET, {Evidence(object.id, "macro_sheets", object.filename)});
      break;
    case Member::kWorkbook: workbook(xml, object, sink); break;
    case Member::kNone: break;
  }
}

constexpr std::array kEmits{FindingId::OFFICE_REMOTE_TEMPLATE, FindingId::OFFICE_EXTERNAL_OBJECT,
                            FindingId::OFFICE_EXPLOIT_TARGET,  FindingId::OFFICE_UNC_RESOURCE,
                            FindingId::OFFICE_DDE_FIELD,       FindingId::EXCEL4_MACRO_SHEET,
                            FindingId::EXCEL4_AUTO_OPEN};

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "ooxml",
      "Members of Office Open XML packages: remote templates, external objects and exploit targets, DDE fields, "
      "Excel 4.0 macro sheets",
      kEmits,
      &accepts,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::ooxml

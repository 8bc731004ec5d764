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
//   - Excel 4.0 macro sheets (xl/macrosheets/*: the functions their formulas call, EXEC, CALL,
//     REGISTER..., and their web addresses) and an Auto_Open defined name in xl/workbook.xml.
// The VBA project (vbaProject.bin) and embedded objects (word/embeddings/*.bin) are OLE files,
// read by office_macros and ole_objects when they reach the queue. Limits: other computed fields
// (SET/REF bookmarks, formulas) are not evaluated; binary workbooks (.xlsb) are not read; the XML
// is scanned, not validated (objects/ooxml).
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/ooxml/office_targets.h"
#include "common/ascii.h"
#include "common/utf8_clip.h"
#include "objects/ooxml/xml_scan.h"
#include "objects/word_fields.h"
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

// Complex fields (fldChar begin ... end) nest: each is judged when it ends, inner ones first
// (objects/word_fields.h evaluates the QUOTE fields that build an outer one).
void word_part(std::string_view xml, const Object& object, ObjectContext& context, FindingSink& sink) {
  XmlScanner scanner(xml);
  XmlTag tag;
  objects::WordFieldNesting nesting;
  std::vector<objects::WordField> done;
  while (scanner.next(tag)) {
    const std::string_view name = local_name(tag.name);
    if (name == "fldSimple" && !tag.closing) {
      if (auto instruction = attribute(tag.attributes, "instr")) done.push_back(objects::WordField{*instruction, false});
    } else if (name == "fldChar" && !tag.closing) {
      const std::string type = attribute(tag.attributes, "fldCharType").value_or("");
      if (type == "begin") nesting.begin();
      if (type == "end") nesting.end(done);
    } else if (name == "instrText" && !tag.closing && !tag.self_closing) {
      nesting.text(decode_entities(tag.text_after));
    }
    for (const objects::WordField& field : done) judge_word_field(field, object, context, sink);
    done.clear();
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

// Excel 4.0 functions that run programs, call Windows APIs or write code at run time: what a macro
// sheet built to drop something uses (EXEC("cmd..."), CALL/REGISTER("urlmon",
// "URLDownloadToFileA"...), FORMULA/FORMULA.FILL writing the next stage into cells).
constexpr std::string_view kXlmCalls[] = {"EXEC(",    "CALL(",        "REGISTER(",     "FORMULA(", "FORMULA.FILL(",
                                          "SET.NAME(", "FOPEN(",       "FWRITE(",       "URLDOWNLOADTOFILE",
                                          "SHELLEXECUTE", "WINEXEC",   "VIRTUALALLOC", "CREATETHREAD"};
constexpr std::size_t kMaxFormulaBytesRead = 1 << 20;  // of all formulas of one sheet, uppercased

// A macro sheet: its formulas (<f>), read for the functions above and for web addresses, which
// join the message's links.
void macro_sheet(std::string_view xml, const Object& object, ObjectContext& context, FindingSink& sink) {
  XmlScanner scanner(xml);
  XmlTag tag;
  std::string formulas;  // uppercased, one per line
  std::string first_call;
  while (scanner.next(tag) && formulas.size() < kMaxFormulaBytesRead) {
    if (tag.closing || tag.self_closing || local_name(tag.name) != "f") continue;
    const std::string formula = decode_entities(tag.text_after);
    for (std::string_view url : parse::find_urls_in_code(formula, 4)) {
      context.add_url(object, parse::normalize_url(url, UrlSource::kHref));
    }
    const std::string upper = ascii::uppercase(formula);
    if (first_call.empty() &&
        std::any_of(std::begin(kXlmCalls), std::end(kXlmCalls), [&](std::string_view c) { return upper.find(c) != std::string::npos; })) {
      first_call = formula;
    }
    formulas += upper;
    formulas += '\n';
  }
  std::vector<Evidence> evidence{Evidence(object.id, "macro_sheets", object.filename)};
  std::string calls;
  for (std::string_view call : kXlmCalls) {
    if (formulas.find(call) == std::string::npos) continue;
    if (!calls.empty()) calls += ", ";
    calls += call.ends_with('(') ? call.substr(0, call.size() - 1) : call;
  }
  if (!calls.empty()) {
    evidence.emplace_back(object.id, "calls", calls);
    evidence.emplace_back(object.id, "formula", std::string(utf8::clip(first_call, kEvidenceBytes)));
  }
  sink.emit(FindingId::EXCEL4_MACRO_SHEET, std::move(evidence));
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
    case Member::kMacroSheet: macro_sheet(xml, object, context, sink); break;
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

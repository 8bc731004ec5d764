// rtf: RTF documents, read with our scanner (src/objects/rtf) — by content, whatever their name,
// since Word opens an RTF renamed .doc by what it is, and exploit campaigns send them that way.
// Embedded OLE objects are the RTF weapon: the Equation Editor (CVE-2017-11882, CVE-2018-0802),
// OLE2Link objects that fetch an HTA from a server (CVE-2017-0199), ActiveX list views
// (CVE-2012-0158), packaged files. Each object's data becomes a child object (origin embedded),
// so the analyzers of files and documents examine what it carries. Owns:
//   - RTF_EXPLOIT_OBJECT: an object of a class known to be exploited;
//   - RTF_EMBEDDED_FILE: a packaged file (confidence 1) or an embedded document (0.5);
//   - RTF_REMOTE_TEMPLATE: \*\template naming a web address or a share (T1221); web addresses
//     also go to add_url;
//   - RTF_OBFUSCATION: what exploit builders do to blind other parsers.
// Field instructions (\fldinst) are judged like Word's in OOXML (analyzers/ooxml/office_targets.h):
// OFFICE_DDE_FIELD for DDE/DDEAUTO (assembled by nested QUOTE fields or not), OFFICE_UNC_RESOURCE
// for INCLUDEPICTURE and the like pointing at a share.
#include <array>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/ooxml/office_targets.h"
#include "common/ascii.h"
#include "objects/rtf/rtf.h"
#include "outputs/json_output.h"
#include "parse/encoding/charset.h"
#include "parse/url/url.h"

namespace vigie::analyzers::rtf {
namespace {

using objects::rtf::OleObject;
using verdict::FindingId;

constexpr std::size_t kMaxEvidenceBytes = 200;
// Deeper than any document Word writes (tables inside tables stay under 30 levels).
constexpr std::uint32_t kSuspiciousDepth = 100;

struct ExploitedClass {
  std::string_view prefix;  // lowercase
  std::string_view en;
  std::string_view fr;
};

constexpr std::array kExploitedClasses{
    ExploitedClass{"equation.", "Equation Editor, exploited by CVE-2017-11882 and CVE-2018-0802",
                   "Éditeur d'équations, exploité par CVE-2017-11882 et CVE-2018-0802"},
    ExploitedClass{"ole2link", "OLE2Link, which fetches a document from a server (CVE-2017-0199)",
                   "OLE2Link, qui va chercher un document sur un serveur (CVE-2017-0199)"},
    ExploitedClass{"mscomctllib.", "Windows Common Controls ActiveX, exploited by CVE-2012-0158",
                   "contrôles communs ActiveX de Windows, exploités par CVE-2012-0158"},
    ExploitedClass{"otkloadr.", "otkloadr, used by Office exploits to defeat ASLR",
                   "otkloadr, utilisé par les exploits d'Office pour contourner l'ASLR"},
};

// Document classes whose objects can carry macros of their own.
constexpr std::array<std::string_view, 5> kDocumentClasses{"word.document", "excel.sheet", "powerpoint.show",
                                                           "excel.sheetmacroenabled", "word.documentmacroenabled"};

bool accepts(const Object& object) {
  return object.is_file() && (object.detected_type == "text/rtf" || object.detected_type == "application/rtf" ||
                              object.bytes().starts_with("{\\rt"));
}

const ExploitedClass* exploited(std::string_view class_name) {
  const std::string lower = ascii::lowercase(class_name);
  for (const ExploitedClass& c : kExploitedClasses) {
    if (lower.starts_with(c.prefix)) return &c;
  }
  return nullptr;
}

bool document_class(std::string_view class_name) {
  const std::string lower = ascii::lowercase(class_name);
  for (std::string_view c : kDocumentClasses) {
    if (lower.starts_with(c)) return true;
  }
  return false;
}

// The address of an OLE2Link's URL moniker: UTF-16LE text starting "http" in the native data.
std::string moniker_url(std::string_view native) {
  static constexpr std::string_view kHttp{"h\0t\0t\0p\0", 8};
  const std::size_t at = native.find(kHttp);
  if (at == std::string_view::npos) return {};
  std::size_t end = at;
  while (end + 1 < native.size() && (native[end] != '\0' || native[end + 1] != '\0') && end - at < 4096) end += 2;
  std::string out;
  parse::convert_to_utf8(native.substr(at, end - at), "UTF-16LE", out);
  return out;
}

bool remote(std::string_view target) {
  const std::string lower = ascii::lowercase(target.substr(0, 16));
  return target.starts_with("\\\\") || target.starts_with("//") || lower.starts_with("http:") ||
         lower.starts_with("https:") || lower.starts_with("ftp:") || lower.starts_with("file://");
}

void add_link(std::string_view raw, const Object& object, ObjectContext& context) {
  const std::string lower = ascii::lowercase(raw.substr(0, 8));
  if (!lower.starts_with("http:") && !lower.starts_with("https:")) return;
  Url url = parse::normalize_url(raw, UrlSource::kHref);
  context.add_url(object, std::move(url));
}

void report_object(const Object& object, const OleObject& ole, ObjectContext& context, FindingSink& sink) {
  const ExploitedClass* known = exploited(ole.class_name);
  if (known == nullptr) known = exploited(ole.header_class);
  const std::string& class_name = ole.class_name.empty() ? ole.header_class : ole.class_name;
  std::string url;
  if (ole.native_data) url = moniker_url(*ole.native_data);
  if (known != nullptr) {
    std::vector<Evidence> evidence{
        Evidence(object.id, "class", outputs::excerpt(class_name, kMaxEvidenceBytes)),
        Evidence(object.id, "known_as", LocalizedText{std::string(known->en), std::string(known->fr)})};
    if (!ole.header_class.empty() && !ascii::iequals(ole.header_class, ole.class_name) && !ole.class_name.empty()) {
      evidence.emplace_back(object.id, "header_class", outputs::excerpt(ole.header_class, kMaxEvidenceBytes));
    }
    if (ole.auto_update) {
      evidence.emplace_back(object.id, "auto_update",
                            LocalizedText{"\\objupdate: the object loads when the document opens, without a click",
                                          "\\objupdate : l'objet se charge à l'ouverture du document, sans clic"});
    }
    if (!url.empty()) evidence.emplace_back(object.id, "url", outputs::excerpt(url, kMaxEvidenceBytes));
    sink.emit(FindingId::RTF_EXPLOIT_OBJECT, std::move(evidence));
  } else if (ascii::iequals(class_name, "Package") || ole.package_data) {
    std::string file = ole.package_label.empty() ? ole.package_path : ole.package_label;
    sink.emit(FindingId::RTF_EMBEDDED_FILE,
              {Evidence(object.id, "class", "Package"), Evidence(object.id, "file", outputs::excerpt(file, kMaxEvidenceBytes))});
  } else if (document_class(class_name)) {
    sink.emit(FindingId::RTF_EMBEDDED_FILE, {Evidence(object.id, "class", outputs::excerpt(class_name, kMaxEvidenceBytes))}, 0.5);
  }
  if (!url.empty()) add_link(url, object, context);

  // The payload, for the analyzers of files: the packaged file, else the native data.
  Object child;
  child.origin = ObjectOrigin::kEmbedded;
  std::shared_ptr<const std::string> content;
  if (ole.package_data) {
    child.filename = ole.package_label.empty() ? "package" : ole.package_label;
    content = ole.package_data;
  } else if (ole.native_data && !ole.native_data->empty()) {
    child.filename = (class_name.empty() ? std::string("OLE") : class_name) + " object";
    content = ole.native_data;
  } else {
    return;
  }
  if (ole.data_truncated) {
    child.flags |= kObjectTruncated;
    child.notes.emplace_back("\\objdata cut at max_rtf_object_bytes");
  }
  context.push_child(object, std::move(child), std::move(content));
}

// An RTF named like a binary Office document: Word opens it by its content.
bool named_like_word(std::string_view filename) {
  const std::string lower = ascii::lowercase(filename);
  for (std::string_view ext : {".doc", ".docx", ".docm", ".dot", ".dotm", ".xls", ".wbk"}) {
    if (lower.ends_with(ext)) return true;
  }
  return false;
}

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* /*state*/, FindingSink& sink) {
  const objects::rtf::RtfScan scan = objects::rtf::scan_rtf(object.bytes(), context.message().limits());
  if (!scan.rtf) return;
  for (const objects::rtf::LimitCrossed& l : scan.limits) {
    sink.limit_reached(l.limit, l.observed, l.allowed,
                       LocalizedText{"part of the RTF document's embedded objects", "une partie des objets incorporés du document RTF"},
                       object.id);
  }
  for (const OleObject& ole : scan.objects) report_object(object, ole, context, sink);

  for (const objects::WordField& field : scan.fields) ooxml::judge_word_field(field, object, context, sink);

  for (const std::string& target : scan.templates) {
    if (!remote(target)) continue;
    sink.emit(FindingId::RTF_REMOTE_TEMPLATE, {Evidence(object.id, "template", outputs::excerpt(target, kMaxEvidenceBytes))});
    add_link(target, object, context);
  }

  std::vector<std::string> en, fr;
  const auto reason = [&](std::string e, std::string f) {
    en.push_back(std::move(e));
    fr.push_back(std::move(f));
  };
  if (scan.overlong_control_words > 0) {
    reason(std::to_string(scan.overlong_control_words) + " control words longer than 32 letters",
           std::to_string(scan.overlong_control_words) + " mots de contrôle de plus de 32 lettres");
  }
  std::uint64_t junk = 0;
  bool binary = false;
  for (const OleObject& ole : scan.objects) {
    junk += ole.hex_junk;
    binary |= ole.binary;
  }
  if (binary) reason("\\bin binary data inside an object's hexadecimal data", "données binaires \\bin dans les données hexadécimales d'un objet");
  if (junk > 0) {
    reason(std::to_string(junk) + " junk bytes inside objects' hexadecimal data",
           std::to_string(junk) + " octets parasites dans les données hexadécimales d'objets");
  }
  if (scan.max_depth > kSuspiciousDepth) {
    reason("groups nested " + std::to_string(scan.max_depth) + " deep", "groupes imbriqués sur " + std::to_string(scan.max_depth) + " niveaux");
  }
  if (!scan.objects.empty() && named_like_word(object.filename)) {
    reason("an RTF document with embedded objects named \"" + object.filename + "\"",
           "un document RTF contenant des objets, nommé « " + object.filename + " »");
  }
  if (!en.empty()) {
    LocalizedText text;
    for (std::size_t i = 0; i < en.size(); ++i) {
      text.en += (i ? "; " : "") + en[i];
      text.fr += (i ? " ; " : "") + fr[i];
    }
    sink.emit(FindingId::RTF_OBFUSCATION, {Evidence(object.id, "tricks", std::move(text))});
  }
}

constexpr FindingId kEmits[] = {FindingId::RTF_EXPLOIT_OBJECT, FindingId::RTF_EMBEDDED_FILE,
                                FindingId::RTF_REMOTE_TEMPLATE, FindingId::RTF_OBFUSCATION,
                                FindingId::OFFICE_DDE_FIELD,    FindingId::OFFICE_UNC_RESOURCE};

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "rtf",
      "RTF documents: exploited OLE classes (Equation Editor, OLE2Link), packaged files, remote templates, "
      "DDE fields, obfuscation; embedded objects extracted",
      kEmits,
      &accepts,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::rtf

// office_macros: the macros of Office documents. Reads every VBA project of an OLE compound file
// (a .doc/.xls/.ppt with a Macros/VBA or _VBA_PROJECT_CUR/VBA storage, the vbaProject.bin of an
// OOXML package, an embedded OLE object) through objects/cfb and objects/ovba, and the Excel 4.0
// macro sheets of a BIFF8 workbook. Findings: VBA_MACRO (a project is there), VBA_AUTO_EXEC (a
// procedure Office runs by itself), VBA_SUSPICIOUS_CALLS (starting programs, downloading, calling
// the Windows API), VBA_AUTO_EXEC_DOWNLOAD_OR_RUN (both: the shape of a dropper, which reaches
// quarantine alone), VBA_STOMPING, EXCEL4_MACRO_SHEET and EXCEL4_AUTO_OPEN. The URLs written in
// a macro's source join the message's links (context.add_url).
//
// VBA stomping (T1564.007): a module stream holds the compiled p-code (its PerformanceCache,
// before MODULEOFFSET) and the compressed source after it. Office runs the p-code when the
// document is opened by the VBA version that compiled it; analysis tools read the source. A
// stomping tool replaces or removes the source and keeps the p-code. The heuristic, chosen to be
// explained in one sentence to an analyst: a watched name (an auto-exec entry point, a call that
// starts a program or downloads, a URL) written in the compiled parts of the project (the modules'
// p-code and the _VBA_PROJECT stream, where identifiers and string literals are stored as bytes)
// that appears in no module's source means the source is not the code Office will run; a module
// whose source is absent or undecompressible beside a substantial compiled part is reported too,
// with a lower confidence. Limits: the p-code is searched as bytes, not disassembled, so a stomped
// project whose real code uses only harmless names, or whose decoy source repeats the watched names
// (in a comment), is not seen; identifiers stored in a code page other than ASCII-compatible ones
// are not matched; the p-code of a project compiled for another VBA version is still compared,
// which is right (Office recompiles from the source then, but the mismatch itself is the attack's
// fingerprint).
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "common/byte_reader.h"
#include "common/utf8_clip.h"
#include "objects/cfb/cfb.h"
#include "objects/ovba/ovba.h"
#include "parse/url/url.h"

namespace vigie::analyzers::office_macros {
namespace {

using bytes::le16;
using verdict::FindingId;

constexpr std::size_t kExcerptBytes = 400;

bool identifier_char(char c) { return ascii::is_alnum(c) || c == '_'; }

// `needle` (lowercase) in `haystack` (lowercase) as a whole word: no identifier character on
// either side, so "shell" is not found in "shellfish" nor "open" in "autoopen".
std::size_t find_word(std::string_view haystack, std::string_view needle, std::size_t from = 0) {
  while (true) {
    const std::size_t at = haystack.find(needle, from);
    if (at == std::string_view::npos) return at;
    const bool left = at == 0 || !identifier_char(haystack[at - 1]);
    const std::size_t end = at + needle.size();
    const bool right = end >= haystack.size() || !identifier_char(haystack[end]) || !identifier_char(needle.back());
    if (left && right) return at;
    from = at + 1;
  }
}

// Procedures Office or an ActiveX control runs without the reader asking.
// Outlook runs Application_* event procedures of its own project (VbaProject.OTM) at start-up and
// for every message (the NotDoor backdoor's trigger).
constexpr std::array<std::string_view, 21> kAutoExec{
    "autoopen", "autoexec", "autoclose", "autonew", "autoexit", "auto_open", "auto_close", "document_open",
    "document_close", "document_new", "document_beforeclose", "documentopen", "workbook_open",
    "workbook_activate", "workbook_beforeclose", "app_documentopen", "application_startup",
    "application_newmail", "application_newmailex", "application_itemsend", "application_reminder"};
// ActiveX control events that fire when the document is displayed: a procedure named
// <control>_Layout runs without any macro prompt of its own in old Office versions.
constexpr std::array<std::string_view, 4> kActiveXAutoSuffixes{"_layout", "_painted", "_gotfocus", "_resize"};

struct Call {
  std::string_view needle;  // lowercase, matched as a word
  std::string_view label;   // as the analyst reads it
  bool strong;              // starts a program, downloads or writes a file, or calls Windows directly
};

constexpr std::array<Call, 30> kCalls{{
    {"shell", "Shell", true},
    {"wscript.shell", "WScript.Shell", true},
    {"shell.application", "Shell.Application", true},
    {"shellexecute", "ShellExecute", true},
    {"urldownloadtofile", "URLDownloadToFile", true},
    {"msxml2.xmlhttp", "MSXML2.XMLHTTP", true},
    {"msxml2.serverxmlhttp", "MSXML2.ServerXMLHTTP", true},
    {"microsoft.xmlhttp", "Microsoft.XMLHTTP", true},
    {"winhttp.winhttprequest", "WinHttp.WinHttpRequest", true},
    {"adodb.stream", "ADODB.Stream", true},
    {"savetofile", "SaveToFile", true},
    {"powershell", "PowerShell", true},
    {"cmd.exe", "cmd.exe", true},
    {"mshta", "mshta", true},
    {"rundll32", "rundll32", true},
    {"regsvr32", "regsvr32", true},
    {"certutil", "certutil", true},
    {"bitsadmin", "bitsadmin", true},
    {"win32_process", "WMI Win32_Process", true},
    {"executeexcel4macro", "ExecuteExcel4Macro", true},
    {"virtualalloc", "VirtualAlloc", true},
    {"rtlmovememory", "RtlMoveMemory", true},
    {"createthread", "CreateThread", true},
    {"callbyname", "CallByName", false},
    {"createobject", "CreateObject", false},
    {"getobject", "GetObject", false},
    {"environ", "Environ", false},
    {"strreverse", "StrReverse", false},
    {"kill", "Kill", false},
    {"document.variables", "Document.Variables", false},
}};

struct ModuleReading {
  std::string name;
  std::string lower;  // the source, ASCII-lowercased
  const std::string* source = nullptr;
};

struct Scan {
  std::vector<std::string> entry_points;  // "Module1: AutoOpen"
  std::string entry_module;
  std::size_t entry_offset = std::string::npos;
  const ModuleReading* entry_reading = nullptr;
  std::vector<std::string> calls;
  bool strong = false;
  const ModuleReading* call_reading = nullptr;
  std::size_t call_offset = 0;
};

void add_unique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// A procedure definition: "sub <name>" or "function <name>" (Private, Public, Static before it are
// words of their own and do not matter).
std::size_t find_procedure(std::string_view lower, std::string_view name) {
  for (std::size_t at = find_word(lower, name); at != std::string_view::npos; at = find_word(lower, name, at + 1)) {
    std::size_t before = at;
    while (before > 0 && (lower[before - 1] == ' ' || lower[before - 1] == '\t')) --before;
    const std::string_view head = lower.substr(0, before);
    if (head.ends_with("sub") || head.ends_with("function")) return at;
  }
  return std::string_view::npos;
}

void scan_module(const ModuleReading& m, Scan& scan) {
  for (std::string_view name : kAutoExec) {
    if (const std::size_t at = find_procedure(m.lower, name); at != std::string_view::npos) {
      add_unique(scan.entry_points, m.name + ": " + std::string(m.source->substr(at, name.size())));
      if (scan.entry_reading == nullptr) {
        scan.entry_reading = &m;
        scan.entry_offset = at;
      }
    }
  }
  // <control>_Layout and the like: find "_layout(" after "sub ".
  for (std::string_view suffix : kActiveXAutoSuffixes) {
    for (std::size_t at = m.lower.find(suffix); at != std::string::npos; at = m.lower.find(suffix, at + 1)) {
      std::size_t start = at;
      while (start > 0 && identifier_char(m.lower[start - 1])) --start;
      if (start == at) continue;
      const std::size_t end = at + suffix.size();
      if (end < m.lower.size() && identifier_char(m.lower[end])) continue;
      // A definition: "sub" right before the name (a local look, so that a source of a million
      // "x_layout" words costs one pass).
      std::size_t before = start;
      while (before > 0 && (m.lower[before - 1] == ' ' || m.lower[before - 1] == '\t')) --before;
      const std::string_view head = std::string_view(m.lower).substr(0, before);
      if (before == start || !head.ends_with("sub") || (head.size() > 3 && identifier_char(head[head.size() - 4]))) continue;
      add_unique(scan.entry_points, m.name + ": " + m.source->substr(start, end - start) + " (ActiveX event)");
      if (scan.entry_reading == nullptr) {
        scan.entry_reading = &m;
        scan.entry_offset = start;
      }
    }
  }
  // The excerpt shows the first strong call of the first module that has one.
  const bool first_strong_module = !scan.strong;
  const auto strong_at = [&](std::size_t at) {
    if (!first_strong_module) return;
    if (!scan.strong || at < scan.call_offset) scan.call_offset = at;
    scan.strong = true;
    scan.call_reading = &m;
  };
  for (const Call& call : kCalls) {
    const std::size_t at = find_word(m.lower, call.needle);
    if (at == std::string::npos) continue;
    add_unique(scan.calls, std::string(call.label));
    if (call.strong) {
      strong_at(at);
      scan.strong = true;
    }
  }
  // Declare ... Lib "kernel32": the macro calls a DLL function directly.
  for (std::size_t at = find_word(m.lower, "declare"); at != std::string::npos; at = find_word(m.lower, "declare", at + 1)) {
    const std::size_t line_end = m.lower.find('\n', at);
    const std::string_view line = std::string_view(m.lower).substr(at, line_end == std::string::npos ? std::string::npos : line_end - at);
    if (find_word(line, "lib") != std::string_view::npos) {
      add_unique(scan.calls, "Declare … Lib (Windows API)");
      strong_at(at);
      scan.strong = true;
      break;
    }
  }
  // Strings built character by character hide their words from a reader and from filters.
  std::size_t chr = 0;
  for (std::size_t at = find_word(m.lower, "chr"); at != std::string::npos; at = find_word(m.lower, "chr", at + 1)) ++chr;
  for (std::string_view w : {"chrw", "chrb"}) {
    for (std::size_t at = find_word(m.lower, w); at != std::string::npos; at = find_word(m.lower, w, at + 1)) ++chr;
  }
  if (chr >= 20) add_unique(scan.calls, "Chr() obfuscation (" + std::to_string(chr) + " calls)");
}

// The source from the start of the line holding `offset`, cut at kExcerptBytes on a code point.
std::string excerpt(const std::string& source, std::size_t offset) {
  const std::size_t line = source.rfind('\n', offset);
  const std::size_t start = line == std::string::npos ? 0 : line + 1;
  std::string out;
  for (char c : utf8::clip(std::string_view(source).substr(start), kExcerptBytes)) {
    if (c != '\r') out.push_back(c);
  }
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Words that, compiled into the project, must also be in its source.
std::vector<std::string_view> watched_names() {
  std::vector<std::string_view> names(kAutoExec.begin(), kAutoExec.end());
  for (const Call& call : kCalls) {
    if (call.strong) names.push_back(call.needle);
  }
  return names;
}

void check_stomping(const objects::ovba::Project& project, const std::vector<ModuleReading>& readings,
                    const Object& object, FindingSink& sink) {
  std::string compiled = ascii::lowercase(project.vba_project);
  for (const objects::ovba::Module& m : project.modules) compiled += ascii::lowercase(m.compiled);
  std::string sources;
  for (const ModuleReading& r : readings) sources += r.lower + "\n";

  std::vector<std::string> missing;
  for (std::string_view name : watched_names()) {
    if (find_word(compiled, name) != std::string::npos && find_word(sources, name) == std::string::npos) {
      missing.emplace_back(name);
    }
  }
  const bool names_missing = !missing.empty();
  // A URL written in the compiled code and nowhere in the source.
  for (std::string_view scheme : {"http://", "https://"}) {
    const std::size_t at = compiled.find(scheme);
    if (at == std::string::npos) continue;
    std::size_t end = at;
    while (end < compiled.size() && compiled[end] > ' ' && compiled[end] < 0x7F && compiled[end] != '"') ++end;
    const std::string url = compiled.substr(at, std::min<std::size_t>(end - at, 200));
    if (sources.find(url) == std::string::npos) missing.push_back(url);
  }
  std::vector<std::string> empty_modules;
  for (std::size_t i = 0; i < project.modules.size(); ++i) {
    const objects::ovba::Module& m = project.modules[i];
    const bool no_source = m.stream_found && (m.source.empty() || !m.error.empty()) && m.compiled.size() >= 256;
    if (no_source) empty_modules.push_back(m.record.name);
  }
  if (missing.empty() && empty_modules.empty()) return;
  std::vector<Evidence> evidence{
      Evidence(object.id, "project", project.storage_path.empty() ? std::string("(root)") : project.storage_path)};
  if (!missing.empty()) {
    evidence.emplace_back(object.id, "compiled_not_in_source", join(missing));
  }
  if (!empty_modules.empty()) {
    evidence.emplace_back(object.id, "modules_without_source", join(empty_modules));
  }
  evidence.emplace_back(object.id, "explanation",
                        LocalizedText{"names or strings present in the compiled p-code are missing from the VBA "
                                      "source: Office may run code that the source does not show",
                                      "des noms ou des chaînes présents dans le p-code compilé manquent au source "
                                      "VBA : Office peut exécuter un code que le source ne montre pas"});
  // A watched name is the strongest sign; a URL or an empty source alone may have another cause
  // (a string left in a cache by an editor), so they count for less.
  sink.emit(FindingId::VBA_STOMPING, std::move(evidence), names_missing ? 1.0 : 0.7);
}

void analyze_project(const objects::ovba::Project& project, const Object& object, ObjectContext& context,
                     FindingSink& sink) {
  const std::string where = project.storage_path.empty() ? std::string("(root)") : project.storage_path;
  if (!project.error.empty()) {
    context.add_note(object, "VBA project " + where + " not readable: " + project.error);
  }
  if (!project.dir.error.empty()) {
    context.add_note(object, "VBA project " + where + ": " + project.dir.error);
  }
  std::vector<ModuleReading> readings;
  readings.reserve(project.modules.size());
  std::vector<std::string> names;
  for (const objects::ovba::Module& m : project.modules) {
    names.push_back(m.record.name);
    if (!m.error.empty()) context.add_note(object, "VBA module " + m.record.name + ": " + m.error);
    readings.push_back(ModuleReading{m.record.name, ascii::lowercase(m.source), &m.source});
  }
  sink.emit(FindingId::VBA_MACRO, {Evidence(object.id, "project", where),
                                   Evidence(object.id, "modules", names.empty() ? std::string("(none read)") : join(names))});

  // The addresses a macro downloads from join the message's links, so the link analyzers judge
  // their hosts like those of the body.
  std::size_t urls_left = context.message().limits().max_urls;
  for (const objects::ovba::Module& m : project.modules) {
    for (std::string_view raw : parse::find_urls_in_text(m.source, urls_left)) {
      Url url = parse::normalize_url(raw, UrlSource::kSrc);
      context.add_url(object, std::move(url));
      --urls_left;
    }
  }

  Scan scan;
  for (const ModuleReading& r : readings) scan_module(r, scan);
  const bool auto_exec = !scan.entry_points.empty();
  if (auto_exec && scan.strong) {
    std::vector<Evidence> evidence{Evidence(object.id, "entry_point", join(scan.entry_points)),
                                   Evidence(object.id, "calls", join(scan.calls))};
    evidence.emplace_back(object.id, "module", scan.call_reading->name);
    evidence.emplace_back(object.id, "excerpt", excerpt(*scan.call_reading->source, scan.call_offset));
    sink.emit(FindingId::VBA_AUTO_EXEC_DOWNLOAD_OR_RUN, std::move(evidence));
  } else {
    if (auto_exec) {
      std::vector<Evidence> evidence{Evidence(object.id, "entry_point", join(scan.entry_points))};
      if (!scan.calls.empty()) evidence.emplace_back(object.id, "calls", join(scan.calls));
      evidence.emplace_back(object.id, "excerpt", excerpt(*scan.entry_reading->source, scan.entry_offset));
      sink.emit(FindingId::VBA_AUTO_EXEC, std::move(evidence));
    }
    if (scan.strong) {
      sink.emit(FindingId::VBA_SUSPICIOUS_CALLS,
                {Evidence(object.id, "calls", join(scan.calls)), Evidence(object.id, "module", scan.call_reading->name),
                 Evidence(object.id, "excerpt", excerpt(*scan.call_reading->source, scan.call_offset))});
    }
  }
  // A source cut at a limit may hold the missing names in its unread part: no comparison then
  // (the limit crossing says what was not examined).
  const bool sources_whole = !project.total_cut && std::none_of(project.modules.begin(), project.modules.end(),
                                                                [](const auto& m) { return m.source_cut; });
  if (sources_whole) check_stomping(project, readings, object, sink);
}

// ---- Excel 4.0 macro sheets in a BIFF8 workbook ([MS-XLS] 2.4.28 BoundSheet8, 2.4.150 Lbl) ------

// A BIFF8 short string (XLUnicodeStringNoCch after a character count): 8-bit or UTF-16LE.
std::string biff_string(std::string_view data, std::size_t at, std::size_t count) {
  if (at >= data.size()) return {};
  const bool wide = (static_cast<unsigned char>(data[at]) & 0x01) != 0;
  ++at;
  if (wide) return objects::cfb::utf16le_to_utf8(data.substr(at, count * 2));
  std::string out;
  for (char c : data.substr(at, count)) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      out.push_back(c);
    } else {  // Latin-1 as UTF-8
      out.push_back(static_cast<char>(0xC0 | (b >> 6)));
      out.push_back(static_cast<char>(0x80 | (b & 0x3F)));
    }
  }
  return out;
}

void analyze_workbook(std::string_view workbook, const Object& object, FindingSink& sink) {
  std::vector<std::string> macro_sheets;
  bool auto_open = false;
  std::string auto_open_name;
  for (std::size_t at = 0; at + 4 <= workbook.size();) {
    const std::uint16_t type = le16(workbook, at);
    const std::uint16_t length = le16(workbook, at + 2);
    const std::string_view data = workbook.substr(at + 4, length);
    at += 4 + std::size_t{length};
    if (type == 0x0085 && data.size() >= 8) {  // BoundSheet8
      const unsigned state = static_cast<unsigned char>(data[4]) & 0x03;
      const unsigned sheet_type = static_cast<unsigned char>(data[5]);
      if (sheet_type != 0x01) continue;
      std::string name = biff_string(data, 7, static_cast<unsigned char>(data[6]));
      if (state == 1) name += " (hidden)";
      if (state == 2) name += " (very hidden)";
      macro_sheets.push_back(std::move(name));
    } else if (type == 0x0018 && data.size() >= 16) {  // Lbl: the name's characters start at 15
      const bool builtin = (le16(data, 0) & 0x0020) != 0;
      const std::size_t count = static_cast<unsigned char>(data[3]);
      if (builtin && static_cast<unsigned char>(data[15]) == 0x01) {
        auto_open = true;
        auto_open_name = "Auto_Open (built-in name)";
      } else if (!builtin) {
        const std::string name = biff_string(data, 14, count);
        if (ascii::istarts_with(name, "auto_open")) {
          auto_open = true;
          auto_open_name = name;
        }
      }
    } else if (type == 0x000A && !macro_sheets.empty()) {  // EOF of the globals substream
      break;
    }
  }
  if (macro_sheets.empty()) return;
  sink.emit(FindingId::EXCEL4_MACRO_SHEET, {Evidence(object.id, "macro_sheets", join(macro_sheets))});
  if (auto_open) sink.emit(FindingId::EXCEL4_AUTO_OPEN, {Evidence(object.id, "name", auto_open_name)});
}

bool accepts(const Object& object) { return object.is_file() && objects::cfb::has_signature(object.bytes()); }

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* /*state*/, FindingSink& sink) {
  const Limits& limits = context.message().limits();
  auto file = objects::cfb::CompoundFile::open(object.bytes(), {limits.max_ole_directory_entries});
  if (!file) {
    context.add_note(object, file.error().message);
    return;
  }
  if (file->directory_truncated()) {
    sink.limit_reached("max_ole_directory_entries", file->entries().size() + 1, limits.max_ole_directory_entries,
                       LocalizedText{"the directory entries of the OLE file beyond the limit",
                                     "les entrées du répertoire du fichier OLE au-delà de la limite"},
                       object.id);
  }
  // max_vba_modules bounds the modules of the whole file, a project counting for one at least: a
  // file of a thousand VBA storages costs no more than one project of a thousand modules.
  std::size_t modules_left = limits.max_vba_modules;
  std::size_t bytes_left = limits.max_vba_total_bytes;
  for (const objects::cfb::Entry* storage : objects::ovba::find_vba_storages(*file)) {
    if (modules_left == 0) {
      sink.limit_reached("max_vba_modules", limits.max_vba_modules + 1u, limits.max_vba_modules,
                         LocalizedText{"the VBA projects beyond the limit", "les projets VBA au-delà de la limite"},
                         object.id);
      break;
    }
    const objects::ovba::ProjectLimits project_limits{modules_left, limits.max_vba_source_bytes,
                                                      limits.max_ole_stream_bytes, bytes_left};
    const objects::ovba::Project project = objects::ovba::read_project(*file, *storage, project_limits);
    bytes_left -= std::min(bytes_left, project.bytes_kept);
    if (project.total_cut) {
      sink.limit_reached("max_vba_total_bytes", limits.max_vba_total_bytes + 1u, limits.max_vba_total_bytes,
                         LocalizedText{"the VBA code beyond the total kept per file",
                                       "le code VBA au-delà du total conservé par fichier"},
                         object.id);
    }
    modules_left -= std::max<std::size_t>(1, std::min(modules_left, project.dir.modules.size()));
    if (project.dir.modules_cut) {
      sink.limit_reached("max_vba_modules", limits.max_vba_modules + 1u, limits.max_vba_modules,
                         LocalizedText{"the VBA modules beyond the limit", "les modules VBA au-delà de la limite"},
                         object.id);
    }
    for (const objects::ovba::Module& m : project.modules) {
      if (m.source_cut && !project.total_cut) {
        sink.limit_reached("max_vba_source_bytes", limits.max_vba_source_bytes + 1, limits.max_vba_source_bytes,
                           LocalizedText{"the end of VBA module " + m.record.name,
                                         "la fin du module VBA " + m.record.name},
                           object.id);
      }
    }
    analyze_project(project, object, context, sink);
  }
  for (std::string_view name : {"Workbook", "Book"}) {
    const objects::cfb::Entry* workbook = file->find(name);
    if (workbook == nullptr) continue;
    if (auto bytes = file->read(*workbook, limits.max_ole_stream_bytes)) {
      analyze_workbook(*bytes, object, sink);
    } else {
      context.add_note(object, bytes.error().message);
    }
    break;
  }
}

constexpr std::array kEmits{FindingId::VBA_MACRO,          FindingId::VBA_AUTO_EXEC,
                            FindingId::VBA_SUSPICIOUS_CALLS, FindingId::VBA_AUTO_EXEC_DOWNLOAD_OR_RUN,
                            FindingId::VBA_STOMPING,       FindingId::EXCEL4_MACRO_SHEET,
                            FindingId::EXCEL4_AUTO_OPEN};

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "office_macros",
      "VBA projects (auto-exec entry points, calls that run or download, stomping) and Excel 4.0 macro sheets of OLE files",
      kEmits,
      &accepts,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::office_macros

// External targets and Word fields of Office documents (see office_targets.h).
#include "analyzers/ooxml/office_targets.h"

#include "common/ascii.h"
#include "common/utf8_clip.h"
#include "objects/remote_path.h"
#include "parse/url/url.h"

namespace vigie::analyzers::ooxml {
namespace {

using verdict::FindingId;

constexpr std::size_t kEvidenceBytes = 300;
constexpr std::size_t kMaxCommandUrls = 8;  // web addresses read from one DDE command

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

}  // namespace

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

namespace {

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

}  // namespace

void judge_word_field(const objects::WordField& field, const Object& object, ObjectContext& context,
                      FindingSink& sink) {
  const std::string_view trimmed = ascii::trim_blanks(field.instruction);
  const bool assembled = field.assembled;
  const std::string word = objects::field_keyword(trimmed);
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
    // What the command downloads joins the message's links (and, later, the intelligence match).
    for (std::string_view url : parse::find_urls_in_code(trimmed, kMaxCommandUrls)) {
      context.add_url(object, parse::normalize_url(url, UrlSource::kHref));
    }
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

}  // namespace vigie::analyzers::ooxml

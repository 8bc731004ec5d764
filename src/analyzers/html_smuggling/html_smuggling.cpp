// html_smuggling: a web page, an SVG image or a script (an attachment, a file found inside one, or
// an HTML body) that rebuilds a file from a string or an array it carries and hands it to the
// browser to save (ATT&CK T1027.006; APT29's EnvyScout with ISO images, APT28's webhook pages with
// ZIPs holding shortcuts). The reading is src/objects/smuggling's; this analyzer judges it and,
// when the payload is a plain base64 string or an array of bytes, pushes it as a child object
// (origin kEmbedded, named after the download attribute) so attachment_type and the extractors
// judge what was smuggled. Owns HTML_SMUGGLING. A log-in form or a redirect in the same file is
// html_attachment's; its links are the links analyzer's.
#include <string>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "objects/smuggling/smuggling.h"

namespace vigie::analyzers::html_smuggling {
namespace {

using verdict::FindingId;

bool has_page_or_script_name(std::string_view filename) {
  const std::string name = ascii::lowercase(filename);
  for (std::string_view extension : {".html", ".htm", ".shtml", ".xhtml", ".svg", ".js", ".hta", ".mht", ".mhtml"}) {
    if (name.ends_with(extension)) return true;
  }
  return false;
}

bool accepts(const Object& object) {
  if (object.origin == ObjectOrigin::kMessage || object.origin == ObjectOrigin::kAttachedMessage) return false;
  if (has_page_or_script_name(object.filename)) return true;
  // An HTML body too: opened in a browser (or forwarded as a file) it does the same.
  return object.declared_type == "text/html" || object.declared_type == "image/svg+xml" ||
         object.declared_type == "application/javascript" || object.declared_type == "text/javascript" ||
         object.detected_type == "text/html" || object.detected_type == "image/svg+xml";
}

std::string size_text(std::uint64_t bytes) {
  if (bytes >= (1u << 20)) return std::to_string((bytes * 10 >> 20) / 10) + "." + std::to_string((bytes * 10 >> 20) % 10) + " MiB";
  if (bytes >= (1u << 10)) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " B";
}

std::string joined(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string_view encoding_fr(objects::smuggling::Encoding encoding) {
  switch (encoding) {
    case objects::smuggling::Encoding::kBase64Literal: return "chaîne base64";
    case objects::smuggling::Encoding::kNumberArray: return "tableau de nombres";
    case objects::smuggling::Encoding::kDataUrl: return "URL data: en base64";
    case objects::smuggling::Encoding::kHexString: return "chaîne hexadécimale";
  }
  return "";
}

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* /*state*/, FindingSink& sink) {
  const Limits& limits = context.message().limits();
  const std::string_view text = markup_of(
      object, context, sink, LocalizedText{"the rest of the page, for smuggled files", "la suite de la page, pour les fichiers dissimulés"});
  const objects::smuggling::Report report =
      objects::smuggling::scan(text, {limits.max_smuggling_candidates, limits.max_smuggling_payload_bytes});
  if (report.candidates_limited) {
    sink.limit_reached("max_smuggling_candidates", report.candidates, limits.max_smuggling_candidates,
                       LocalizedText{"further embedded payloads", "d'autres contenus embarqués"}, object.id);
  }
  if (!report.assembles_file()) return;
  const objects::smuggling::Payload& payload = *report.largest;

  std::vector<Evidence> evidence;
  const std::string apis = joined(objects::smuggling::api_names(report.apis));
  evidence.emplace_back(object.id, "apis", apis);
  std::string type;
  if (payload.bytes && !payload.bytes->empty()) {
    Object child;
    child.origin = ObjectOrigin::kEmbedded;
    child.filename = report.download_name;
    if (payload.truncated) {
      child.flags |= kObjectTruncated;
      child.notes.emplace_back("cut at [limits] max_smuggling_payload_bytes");
    }
    const ObjectId id = context.push_child(object, std::move(child), payload.bytes);
    if (id != kNoObject) type = context.objects().at(id).detected_type;
  }
  const std::string size = payload.bytes ? size_text(payload.bytes->size()) : std::string();
  const std::string name = report.download_name.empty() ? std::string() : "\"" + report.download_name + "\"";
  LocalizedText value{std::string(objects::smuggling::encoding_name(payload.encoding)) + " of " +
                          size_text(payload.encoded_size),
                      std::string(encoding_fr(payload.encoding)) + " de " + size_text(payload.encoded_size)};
  if (payload.bytes) {
    value.en += ", decodes to " + size + (type.empty() ? "" : " of " + type);
    value.fr += ", décodée en " + size + (type.empty() ? "" : " de type " + type);
  } else {
    value.en += ", not decoded (values beyond bytes: obfuscated)";
    value.fr += ", non décodé (valeurs au-delà d'un octet : contenu masqué)";
  }
  if (!name.empty()) {
    value.en += ", saved as " + name;
    value.fr += ", enregistré sous " + name;
  }
  evidence.emplace_back(object.id, "payload", std::move(value));
  sink.emit(FindingId::HTML_SMUGGLING, std::move(evidence), payload.bytes ? 1.0 : 0.8);
}

constexpr FindingId kEmits[] = {FindingId::HTML_SMUGGLING};

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "html_smuggling",
      "HTML, SVG and script files that rebuild a file from an embedded string and save it (HTML smuggling); "
      "the smuggled file is extracted",
      kEmits,
      &accepts,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::html_smuggling

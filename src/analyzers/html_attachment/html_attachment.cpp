// html_attachment: an HTML file attached to a message (or found inside one of its files) that is a
// phishing page the reader opens locally — a log-in form, a password field, a script that
// redirects to the attacker's site or decodes hidden content (HTML smuggling's first step). A web
// page has no business arriving as an attachment: a browser opens it from disk, outside the mail
// client's protections. Owns HTML_ATTACHMENT_PHISHING; the links inside it are the links
// analyzer's, since text/html attachments are parsed with the message's other HTML. An HTML file
// the parser never saw (found inside an archive, a TNEF stream, or smuggled by another page) is
// read here, and its links, forms' targets and meta refreshes join the message's links.
#include <array>
#include <string>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "parse/html/html_extract.h"

namespace vigie::analyzers::html_attachment {
namespace {

using verdict::FindingId;

bool has_html_name(std::string_view filename) {
  const std::string name = ascii::lowercase(filename);
  for (std::string_view extension : {".html", ".htm", ".shtml", ".xhtml", ".svg"}) {
    if (name.ends_with(extension)) return true;
  }
  return false;
}

// By its name wherever it sits, or as a file whose declared or detected type is a web page.
bool accepts(const Object& object) {
  if (object.origin == ObjectOrigin::kMessage || object.origin == ObjectOrigin::kAttachedMessage) return false;
  if (has_html_name(object.filename)) return true;
  if (!object.is_file()) return false;
  return object.declared_type == "text/html" || object.detected_type == "text/html" ||
         object.detected_type == "image/svg+xml";
}

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* /*state*/, FindingSink& sink) {
  // A MIME text part is read in its charset (UTF-16 pages included); other files as they are.
  const ParsedMessage& message = context.message();
  const bool text_part = object.origin == ObjectOrigin::kMimePart && message.part(object.part).is_text();
  const std::string_view bytes = text_part ? message.text(object.part) : object.bytes();
  if (!text_part) {
    for (Url& url : parse::extract_html(bytes, message.limits()).links) {
      context.add_url(object, std::move(url));
    }
  }
  const std::string text = ascii::lowercase(bytes.substr(0, context.message().limits().max_html_bytes));
  const auto has = [&](std::string_view needle) { return text.find(needle) != std::string::npos; };
  const bool form = has("<form");
  const bool password = has("type=\"password\"") || has("type='password'") || has("type=password");
  const bool redirect = has("window.location") || has("location.href") || has("location.replace") ||
                        has("location.assign") || has("document.location") ||
                        has("http-equiv=\"refresh\"") || has("http-equiv=refresh") ||
                        has("http-equiv='refresh'");
  const bool decodes_in_script = (has("atob(") || has("unescape(") || has("fromcharcode") || has("eval(")) &&
                                 has("<script");
  if (!form && !password && !redirect && !decodes_in_script) return;
  LocalizedText value{object.filename.empty() ? std::string("(unnamed)") : object.filename,
                      object.filename.empty() ? std::string("(sans nom)") : object.filename};
  value.en += ":";
  value.fr += " :";
  const auto add = [&value](std::string_view en, std::string_view fr) {
    value.en.append(" ").append(en);
    value.fr.append(value.fr.ends_with(":") ? " " : ", ").append(fr);
  };
  if (form) add("form", "formulaire");
  if (password) add("password input", "champ de mot de passe");
  if (redirect) add("redirect", "redirection");
  if (decodes_in_script) add("script decoding hidden content", "script qui décode un contenu caché");
  const double confidence = (form || password) ? 1.0 : redirect ? 0.9 : 0.6;
  sink.emit(FindingId::HTML_ATTACHMENT_PHISHING, {Evidence{object.id, "content", std::move(value)}}, confidence);
}

constexpr FindingId kEmits[] = {FindingId::HTML_ATTACHMENT_PHISHING};

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "html_attachment",
      "HTML files attached or extracted that are log-in pages, redirectors or script droppers",
      kEmits,
      &accepts,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::html_attachment

// pdf: what a PDF attachment does when it is opened or clicked, read with qpdf
// (src/objects/pdf). Its links (URI actions, form submit addresses, addresses in its scripts) go
// to add_url, so a look-alike or tunnel link inside a PDF is judged by the link analyzers exactly
// like one in the body (the UKR.NET campaigns put the link in a PDF to keep it out of the body's
// reach); its embedded files (/EmbeddedFiles, file attachment annotations) become child objects
// that every object analyzer examines. Owns:
//   - PDF_JAVASCRIPT_ON_OPEN / PDF_JAVASCRIPT: scripts run on opening or an event / on a click;
//   - PDF_LAUNCH_ACTION: a program or file started by the PDF, with its parameters;
//   - PDF_REMOTE_FILE_ACTION: a file on a share or a web server opened by GoToR, GoToE, Launch or
//     ImportData (a share leaks the reader's NTLM credentials, T1187);
//   - PDF_PASSWORD_FORM / PDF_SUBMIT_FORM: a form asking for a password / sending its fields away;
//   - PDF_ENCRYPTED: a PDF that needs a password to be read: not examined, or examined with the
//     password the message gives (tried when the empty one fails).
// Embedded files alone are no finding: invoices (Factur-X) carry their XML that way.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "facts/passwords.h"
#include "objects/pdf/pdf.h"
#include "outputs/json_output.h"
#include "parse/url/url.h"

namespace vigie::analyzers::pdf {
namespace {

using objects::pdf::Action;
using objects::pdf::ActionKind;
using objects::pdf::Trigger;
using verdict::FindingId;

constexpr std::size_t kMaxEvidenceBytes = 200;
constexpr std::size_t kMaxScriptUrls = 32;  // addresses read from one script

bool accepts(const Object& object) {
  if (!object.is_file()) return false;
  if (object.detected_type == "application/pdf") return true;
  // Readers accept the header anywhere in the first kilobyte; a PDF with bytes in front of it
  // escapes a signature check at offset 0.
  return object.bytes().substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

LocalizedText when(const Action& action) {
  switch (action.trigger) {
    case Trigger::kOpen: return {"when the document is opened", "à l'ouverture du document"};
    case Trigger::kDocumentScript:
      return {"when the document is opened (document-level script)", "à l'ouverture du document (script de niveau document)"};
    case Trigger::kEvent:
      return {"on the event " + action.event + ", without the reader's action",
              "sur l'événement " + action.event + ", sans action du lecteur"};
    case Trigger::kClick:
      if (!action.event.empty()) {
        return {"on the reader's action (event " + action.event + ")", "sur une action du lecteur (événement " + action.event + ")"};
      }
      return {"on a click", "sur un clic"};
    case Trigger::kUnreferenced: return {"from no page or link (unreferenced)", "depuis aucune page ni aucun lien (non référencé)"};
  }
  return {};
}

// A script or a command line for the analyst: whitespace runs folded, cut.
std::string shown(std::string_view text) {
  std::string folded;
  bool space = false;
  for (char c : text.substr(0, 4 * kMaxEvidenceBytes)) {
    if (ascii::is_space(c)) {
      space = true;
      continue;
    }
    if (space && !folded.empty()) folded += ' ';
    space = false;
    folded += c;
  }
  return outputs::excerpt(folded, kMaxEvidenceBytes);
}

bool remote(std::string_view target) {
  const std::string lower = ascii::lowercase(target.substr(0, 16));
  return target.starts_with("\\\\") || target.starts_with("//") || lower.starts_with("http:") ||
         lower.starts_with("https:") || lower.starts_with("file:") || lower.starts_with("smb:") ||
         lower.starts_with("ftp:");
}

bool web_address(std::string_view target) {
  const std::string lower = ascii::lowercase(target.substr(0, 16));
  return lower.starts_with("http:") || lower.starts_with("https:");
}

class Reporter {
 public:
  Reporter(const Object& object, ObjectContext& context, FindingSink& sink)
      : object_(object), context_(context), sink_(sink), max_urls_(context.message().limits().max_urls) {}

  void link(std::string_view raw, UrlSource source) {
    if (raw.empty() || urls_.size() >= max_urls_ || !urls_.insert(std::string(raw)).second) return;
    Url url = parse::normalize_url(raw, source);
    context_.add_url(object_, std::move(url));
  }

  void action(const Action& a) {
    const LocalizedText trigger = when(a);
    switch (a.kind) {
      case ActionKind::kUri:
        link(a.target, UrlSource::kHref);
        break;
      case ActionKind::kJavaScript: {
        // Document-level scripts are where forms (the administration's among them) define their
        // helper functions: less sure than an OpenAction or a page-open script.
        const bool on_open = a.trigger == Trigger::kOpen || a.trigger == Trigger::kEvent ||
                             a.trigger == Trigger::kDocumentScript;
        sink_.emit(on_open ? FindingId::PDF_JAVASCRIPT_ON_OPEN : FindingId::PDF_JAVASCRIPT,
                   {Evidence(object_.id, "trigger", trigger), Evidence(object_.id, "script", shown(a.script))},
                   a.trigger == Trigger::kDocumentScript ? 0.6 : 1.0);
        for (std::string_view url : parse::find_urls_in_code(a.script, kMaxScriptUrls)) link(url, UrlSource::kHref);
        break;
      }
      case ActionKind::kLaunch: {
        std::vector<Evidence> evidence{Evidence(object_.id, "trigger", trigger),
                                       Evidence(object_.id, "program", shown(a.target))};
        if (!a.parameters.empty()) evidence.emplace_back(object_.id, "parameters", shown(a.parameters));
        sink_.emit(FindingId::PDF_LAUNCH_ACTION, std::move(evidence));
        if (remote(a.target)) remote_file(a, trigger);
        break;
      }
      case ActionKind::kSubmitForm:
        if (web_address(a.target) || a.target.starts_with("mailto:")) {
          link(a.target, UrlSource::kFormAction);
          sink_.emit(FindingId::PDF_SUBMIT_FORM, {Evidence(object_.id, "submit_to", shown(a.target))});
        }
        break;
      case ActionKind::kGoToRemote:
      case ActionKind::kGoToEmbedded:
      case ActionKind::kImportData:
        if (remote(a.target)) remote_file(a, trigger);
        break;
      case ActionKind::kOther:
        break;
    }
  }

 private:
  void remote_file(const Action& a, const LocalizedText& trigger) {
    sink_.emit(FindingId::PDF_REMOTE_FILE_ACTION,
               {Evidence(object_.id, "trigger", trigger), Evidence(object_.id, "file", shown(a.target))});
  }

  const Object& object_;
  ObjectContext& context_;
  FindingSink& sink_;
  std::size_t max_urls_;
  std::set<std::string> urls_;
};

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* /*state*/, FindingSink& sink) {
  // The message's passwords are looked for only for a PDF that needs one (the rare case).
  objects::pdf::PdfContent pdf = objects::pdf::read_pdf(object.bytes(), context.message().limits());
  if (pdf.password_required) {
    const std::vector<std::string> candidates = facts::message_passwords(context.message());
    if (!candidates.empty()) pdf = objects::pdf::read_pdf(object.bytes(), context.message().limits(), candidates);
  }
  for (const objects::pdf::LimitCrossed& l : pdf.limits) {
    sink.limit_reached(l.limit, l.observed, l.allowed,
                       l.limit == "max_pdf_bytes"
                           ? LocalizedText{"the whole PDF (not opened)", "tout le PDF (non ouvert)"}
                       : l.limit == "max_pdf_stream_bytes"
                           ? LocalizedText{"the end of a script or embedded file of the PDF",
                                           "la fin d'un script ou d'un fichier incorporé du PDF"}
                           : LocalizedText{"the rest of the PDF (links, scripts, files)",
                                           "le reste du PDF (liens, scripts, fichiers)"},
                       object.id);
  }
  if (!pdf.error.empty()) context.add_note(object, "PDF not fully readable: " + outputs::excerpt(pdf.error, 300));
  if (pdf.password_required) {
    context.add_note(object, "encrypted PDF: a password is needed to read it; not examined");
    sink.emit(FindingId::PDF_ENCRYPTED,
              {Evidence(object.id, "content", LocalizedText{"encrypted with a password: not examined",
                                                            "chiffré par un mot de passe : non examiné"})});
    return;
  }
  if (!pdf.password_used.empty()) {
    // Opened with the password the message gives: still a way past filters, and now examined.
    context.add_note(object, "encrypted PDF, read with the password the message gives");
    sink.emit(FindingId::PDF_ENCRYPTED,
              {Evidence(object.id, "content",
                        LocalizedText{"encrypted with a password the message gives (\"" + pdf.password_used +
                                          "\"): examined with it",
                                      "chiffré par un mot de passe que le message donne (« " + pdf.password_used +
                                          " ») : examiné avec celui-ci"})});
  } else if (pdf.encrypted) {
    context.add_note(object, "encrypted PDF, read with the empty user password");
  }

  Reporter reporter(object, context, sink);
  for (const Action& action : pdf.actions) reporter.action(action);

  if (!pdf.password_fields.empty()) {
    std::string names;
    for (const std::string& name : pdf.password_fields) names += (names.empty() ? "" : ", ") + name;
    sink.emit(FindingId::PDF_PASSWORD_FORM, {Evidence(object.id, "password_fields", shown(names))});
  }

  std::size_t index = 0;
  for (const objects::pdf::EmbeddedFile& file : pdf.files) {
    ++index;
    Object child;
    child.origin = ObjectOrigin::kEmbedded;
    child.filename = file.name.empty() ? "embedded file " + std::to_string(index) : file.name;
    child.declared_type = ascii::lowercase(file.declared_type);
    if (file.truncated) {
      child.flags |= kObjectTruncated;
      child.notes.emplace_back("cut at max_pdf_stream_bytes, or its filters could not be decoded");
    }
    context.push_child(object, std::move(child), file.content);
  }
}

constexpr FindingId kEmits[] = {FindingId::PDF_JAVASCRIPT_ON_OPEN, FindingId::PDF_JAVASCRIPT,
                                FindingId::PDF_LAUNCH_ACTION,      FindingId::PDF_REMOTE_FILE_ACTION,
                                FindingId::PDF_PASSWORD_FORM,      FindingId::PDF_SUBMIT_FORM,
                                FindingId::PDF_ENCRYPTED};

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "pdf",
      "PDF documents (qpdf): links joined to the message's, scripts, launched programs, remote files, "
      "password forms; embedded files extracted",
      kEmits,
      &accepts,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::pdf

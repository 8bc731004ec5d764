// PDF reading with qpdf (Debian libqpdf-dev): what a PDF does rather than what it shows — the
// actions it carries (links, JavaScript, programs launched, forms submitted, remote files opened)
// and when they run (on opening, on a page or form event, on a click), the files embedded in it,
// its form fields asking for a password, and whether it is encrypted. qpdf parses (and repairs)
// the file from memory; nothing is written and nothing rendered. Its work is bounded here: the
// input size ([limits] max_pdf_bytes), the objects visited from the trailer (max_pdf_objects,
// breadth first, so that the catalog and its actions come first), the decoded size of every
// stream read (max_pdf_stream_bytes, a bounded sink that stops the decoder; all scripts and files
// together within max_extracted_bytes), the object and cross-reference streams qpdf would inflate
// whole (checked before it sees the file), and the warnings qpdf may accumulate. Thread-safe (one QPDF per call). The analysis is in src/analyzers/pdf.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/limits.h"

namespace vigie::objects::pdf {

enum class ActionKind : std::uint8_t {
  kUri,          // /URI: a web address opened on a click
  kJavaScript,   // /JavaScript (or any action with /JS, such as /Rendition)
  kLaunch,       // /Launch: a program or file opened, with parameters
  kSubmitForm,   // /SubmitForm: the form's fields sent to an address
  kGoToRemote,   // /GoToR: another PDF opened (a UNC path leaks the reader's credentials)
  kGoToEmbedded, // /GoToE: an embedded PDF opened
  kImportData,   // /ImportData: form data read from a file
  kOther,
};

// When an action runs.
enum class Trigger : std::uint8_t {
  kOpen,            // the catalog's /OpenAction
  kDocumentScript,  // a document-level script (/Names /JavaScript): run when the document opens,
                    // where forms also define their helper functions
  kEvent,           // an /AA entry that runs without the reader's action: a page opened or closed
                    // (/O, /C of a page), an annotation's page shown (/PO, /PV), the document
                    // closed, saved or printed (/WC, /WS, /DS, /WP, /DP)
  kClick,           // a link annotation's or a form widget's /A, or an /AA entry of the reader's
                    // action (a field's keystroke, format, validate, focus, mouse events)
  kUnreferenced,    // found elsewhere in the document (a /Next of nothing above, an orphan object)
};

struct Action {
  ActionKind kind = ActionKind::kOther;
  Trigger trigger = Trigger::kUnreferenced;
  std::string event;       // the /AA key for an additional action ("/O", "/C", "/WC", "/K"...)
  std::string target;      // the URI, the launched file, the submit address, the remote file
  std::string parameters;  // /Launch /Win /P
  std::string script;      // /JS (cut at max_pdf_stream_bytes)
};

struct EmbeddedFile {
  std::string name;                       // /UF, else /F of the file specification
  std::string declared_type;              // /Subtype of the embedded stream ("text/xml")
  std::shared_ptr<const std::string> content;
  bool truncated = false;                 // cut at max_pdf_stream_bytes, or its filters failed
};

struct LimitCrossed {
  std::string limit;
  std::uint64_t observed = 0;
  std::uint64_t allowed = 0;
};

struct PdfContent {
  bool opened = false;            // qpdf read the file (possibly after repairing it)
  bool encrypted = false;
  bool password_required = false; // encrypted with a user password none of those given opens
  std::string password_used;      // the given password that opened it ("" for none or the empty one)
  std::vector<Action> actions;
  std::vector<EmbeddedFile> files;
  std::vector<std::string> password_fields;  // names (/T) of text fields with the password flag
  std::uint32_t text_fields = 0;
  std::uint32_t objects_visited = 0;
  std::vector<LimitCrossed> limits;
  std::string error;              // why qpdf could not read it, or stopped
};

// Reads `bytes` as a PDF. Never throws for malformed input: qpdf's exceptions become `error`.
// An encrypted PDF is opened with the empty user password, else with each of `passwords` in turn
// (the message often gives it: "mot de passe : 2025"); each try parses the file again.
PdfContent read_pdf(std::string_view bytes, const Limits& limits, const std::vector<std::string>& passwords = {});

}  // namespace vigie::objects::pdf

// attachment_type: what every file of the message is, from its content and from its name, and
// whether the name lies. A program, a script, a shortcut, a disk image or an installer arriving by
// mail is the first step of most intrusions (T1204.002); the attacker then disguises it: a second
// extension that looks like a document (invoice.pdf.exe, T1036.007), bidi controls that reverse
// the end of the name on screen (facture<RLO>fdp.exe shows as factureexe.pdf, T1036.002), an
// extension that claims a harmless type for a program or an archive (scan.pdf that is a PE,
// T1036.008). The content type is Object::detected_type (our signatures, then libmagic); the
// extension matters on its own, since Windows runs a file by its extension (a .js is text to
// libmagic). Owns ATTACHMENT_*; what is inside archives and documents is for their extractors.
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "objects/dangerous_extension.h"
#include "objects/internet_shortcut.h"

namespace vigie::analyzers::attachment_type {
namespace {

using verdict::FindingId;

using Kind = objects::TypeName;
using objects::dangerous_extension;

// What the content is, for the types that matter here.
enum class ContentClass { kOther, kExecutable, kShortcut, kDiskImage, kInstaller, kDangerousDocument, kArchive };

struct ContentType {
  std::string_view type;
  ContentClass cls;
  Kind kind;
};

constexpr std::array kContentTypes{
    ContentType{"application/x-dosexec", ContentClass::kExecutable, {"Windows executable (PE)", "exécutable Windows (PE)"}},
    ContentType{"application/vnd.microsoft.portable-executable", ContentClass::kExecutable, {"Windows executable (PE)", "exécutable Windows (PE)"}},
    ContentType{"application/x-msdownload", ContentClass::kExecutable, {"Windows executable (PE)", "exécutable Windows (PE)"}},
    ContentType{"application/x-executable", ContentClass::kExecutable, {"Linux executable (ELF)", "exécutable Linux (ELF)"}},
    ContentType{"application/x-pie-executable", ContentClass::kExecutable, {"Linux executable (ELF)", "exécutable Linux (ELF)"}},
    ContentType{"application/x-sharedlib", ContentClass::kExecutable, {"Linux library (ELF)", "bibliothèque Linux (ELF)"}},
    ContentType{"application/x-ms-shortcut", ContentClass::kShortcut, {"Windows shortcut (LNK)", "raccourci Windows (LNK)"}},
    ContentType{"application/x-iso9660-image", ContentClass::kDiskImage, {"disc image (ISO 9660)", "image disque (ISO 9660)"}},
    ContentType{"application/x-udf-image", ContentClass::kDiskImage, {"disc image (UDF)", "image disque (UDF)"}},
    ContentType{"application/x-vhd", ContentClass::kDiskImage, {"virtual hard disk (VHD)", "disque dur virtuel (VHD)"}},
    ContentType{"application/x-vhdx", ContentClass::kDiskImage, {"virtual hard disk (VHDX)", "disque dur virtuel (VHDX)"}},
    ContentType{"application/x-msi", ContentClass::kInstaller, {"Windows installer (MSI)", "programme d'installation Windows (MSI)"}},
    ContentType{"application/java-archive", ContentClass::kInstaller, {"Java archive (JAR)", "archive Java (JAR)"}},
    ContentType{"application/vnd.ms-htmlhelp", ContentClass::kDangerousDocument, {"compiled HTML help (CHM)", "aide HTML compilée (CHM)"}},
    ContentType{"application/onenote", ContentClass::kDangerousDocument, {"OneNote notebook", "bloc-notes OneNote"}},
    ContentType{"application/zip", ContentClass::kArchive, {"zip archive", "archive zip"}},
    ContentType{"application/vnd.rar", ContentClass::kArchive, {"RAR archive", "archive RAR"}},
    ContentType{"application/x-rar", ContentClass::kArchive, {"RAR archive", "archive RAR"}},
    ContentType{"application/x-7z-compressed", ContentClass::kArchive, {"7-Zip archive", "archive 7-Zip"}},
    ContentType{"application/vnd.ms-cab-compressed", ContentClass::kArchive, {"cabinet archive", "archive cabinet"}},
    ContentType{"application/gzip", ContentClass::kArchive, {"gzip archive", "archive gzip"}},
    ContentType{"application/x-bzip2", ContentClass::kArchive, {"bzip2 archive", "archive bzip2"}},
    ContentType{"application/x-xz", ContentClass::kArchive, {"xz archive", "archive xz"}},
    ContentType{"application/x-tar", ContentClass::kArchive, {"tar archive", "archive tar"}},
    ContentType{"application/x-ace-compressed", ContentClass::kArchive, {"ACE archive", "archive ACE"}},
};

const ContentType* content_type(std::string_view detected) {
  for (const ContentType& c : kContentTypes) {
    if (c.type == detected) return &c;
  }
  return nullptr;
}


// Extensions that look like a document, a picture or a harmless container to the reader: the
// disguise of a double extension.
constexpr std::array<std::string_view, 36> kDocumentLike{
    "pdf", "doc", "docx", "docm", "dot", "dotx", "xls", "xlsx", "xlsm", "xlsb", "ppt", "pptx", "pps", "ppsx",
    "odt", "ods", "odp", "rtf", "txt", "csv", "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "heic",
    "mp3", "mp4", "avi", "mov", "wav", "zip", "rar", "7z"};

bool document_like(std::string_view extension) {
  for (std::string_view e : kDocumentLike) {
    if (e == extension) return true;
  }
  return false;
}

// Extensions that claim a harmless type, and the content classes that would make them lie. An
// Office Open XML or OpenDocument file is a zip; an old Office file or an Outlook .msg is an OLE
// file (no class here), so neither is a mismatch.
bool claims_harmless(std::string_view extension) {
  for (std::string_view e : {"pdf", "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "heic", "webp", "txt",
                             "csv", "rtf", "doc", "xls", "ppt", "mp3", "mp4", "wav", "avi", "mov"}) {
    if (e == extension) return true;
  }
  return false;
}
// Declared types that claim a document, a picture, a sound or a text.
bool declares_harmless(std::string_view declared) {
  return declared == "application/pdf" || declared.starts_with("image/") || declared.starts_with("audio/") ||
         declared.starts_with("video/") || declared == "text/plain" || declared == "application/msword" ||
         declared.starts_with("application/vnd.openxmlformats-officedocument.") ||
         declared.starts_with("application/vnd.oasis.opendocument.");
}
bool zip_based_document(std::string_view extension) {
  for (std::string_view e : {"docx", "docm", "dotx", "dotm", "xlsx", "xlsm", "xltx", "xlsb", "pptx", "pptm",
                             "ppsx", "potx", "odt", "ods", "odp", "odg", "epub", "vsdx", "xps", "oxps"}) {
    if (e == extension) return true;
  }
  return false;
}

// ---- names --------------------------------------------------------------------------------

// Code points that change how a name is shown without being seen: bidi embeddings, overrides and
// isolates (U+202A–U+202E, U+2066–U+2069), marks (U+200E, U+200F, U+061C), zero-width characters
// (U+200B–U+200D, U+2060, U+FEFF, U+180E); and characters that imitate the dot of an extension.
bool invisible_control(UChar32 c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F ||
         c == 0x061C || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF || c == 0x180E;
}
bool dot_lookalike(UChar32 c) { return c == 0x2024 || c == 0xFF0E || c == 0xFE52 || c == 0x3002 || c == 0x2E31; }

std::string code_point_label(UChar32 c) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "<U+%04X>", static_cast<unsigned>(c));
  return buffer;
}

struct NameReading {
  std::string visible;   // the name with every trick made visible: "facture<U+202E>fdp.exe"
  std::string stripped;  // the name without the invisible controls: what Windows acts on
  std::string shown;     // what a reader sees when a right-to-left override reverses its end
  bool invisible = false;
  bool dot_lookalike = false;
  bool override_ = false;
};

void append_utf8(std::string& out, UChar32 c) {
  char buffer[U8_MAX_LENGTH];
  std::int32_t length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, U8_MAX_LENGTH, c, error);
  if (!error) out.append(buffer, static_cast<std::size_t>(length));
}

NameReading read_name(std::string_view name) {
  NameReading r;
  std::vector<UChar32> shown_points;
  std::size_t reversed_from = std::string::npos;  // in shown_points, after an RLO
  const auto close_override = [&] {
    if (reversed_from == std::string::npos) return;
    std::reverse(shown_points.begin() + static_cast<std::ptrdiff_t>(reversed_from), shown_points.end());
    reversed_from = std::string::npos;
  };
  std::int32_t i = 0;
  const auto length = static_cast<std::int32_t>(name.size());
  while (i < length) {
    const std::int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(name.data(), i, length, c);
    const std::string_view raw = name.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
    if (c >= 0 && invisible_control(c)) {
      r.invisible = true;
      r.visible += code_point_label(c);
      if (c == 0x202E) {
        r.override_ = true;
        close_override();
        reversed_from = shown_points.size();
      } else if (c == 0x202C || c == 0x2069) {
        close_override();
      }
      continue;
    }
    if (c >= 0 && dot_lookalike(c)) {
      r.dot_lookalike = true;
      r.visible += code_point_label(c);
    } else {
      r.visible += raw;
    }
    r.stripped += raw;
    shown_points.push_back(c < 0 ? 0xFFFD : c);
  }
  close_override();
  for (UChar32 c : shown_points) append_utf8(r.shown, c);
  return r;
}

bool padding(char c) { return c == ' ' || c == '\t' || c == '.' || c == '_'; }

// The name's extensions as Windows reads them: lowercase, after the last dot, trailing dots and
// spaces ignored (Windows drops them). `previous` is the one before, with the padding an attacker
// puts between the two ("facture.docx      .js") removed.
struct Extensions {
  std::string last;
  std::string previous;
  bool padded = false;
};

Extensions extensions(std::string_view name) {
  Extensions e;
  while (!name.empty() && (name.back() == ' ' || name.back() == '.')) name.remove_suffix(1);
  // A name may carry a path (archive members, some mailers): the file's own name is the last step.
  if (const std::size_t slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return e;
  e.last = ascii::lowercase(name.substr(dot + 1));
  std::string_view stem = name.substr(0, dot);
  const std::size_t before = stem.size();
  while (!stem.empty() && padding(stem.back())) stem.remove_suffix(1);
  // Padding of two characters or more, or any space before the final dot (".pdf .exe").
  e.padded = before - stem.size() >= 2 || (before != stem.size() && name[stem.size()] == ' ');
  const std::size_t dot2 = stem.rfind('.');
  if (dot2 == std::string_view::npos || dot2 == 0) return e;
  e.previous = ascii::lowercase(stem.substr(dot2 + 1));
  return e;
}

// ---- content ------------------------------------------------------------------------------

// An SVG picture with script: opened from disk, a browser runs it (the html_attachment analyzer
// reads what the script does).
bool svg_with_script(const Object& object) {
  if (object.detected_type != "image/svg+xml") return false;
  const std::string head = ascii::lowercase(object.bytes().substr(0, 1 << 20));
  return head.find("<script") != std::string::npos || head.find("javascript:") != std::string::npos ||
         head.find(" onload=") != std::string::npos;
}

LocalizedText quoted(const std::string& name) {
  return LocalizedText{"\"" + name + "\"", "« " + name + " »"};
}

bool accepts(const Object& object) {
  return object.is_file() && object.origin != ObjectOrigin::kMessage &&
         object.origin != ObjectOrigin::kAttachedMessage;
}

void analyze(const Object& object, ObjectContext& /*context*/, const AnalyzerState* /*state*/, FindingSink& sink) {
  const NameReading name = read_name(object.filename);
  const Extensions ext = extensions(name.stripped);
  const objects::DangerousExtension* dangerous_ext = dangerous_extension(ext.last);
  const ContentType* content = content_type(object.detected_type);

  // What it is: a dangerous type by its content, its extension, or both.
  std::vector<Evidence> dangerous;
  if (content != nullptr && content->cls != ContentClass::kArchive) {
    dangerous.emplace_back(object.id, "content", LocalizedText{std::string(content->kind.en), std::string(content->kind.fr)});
  } else if (svg_with_script(object)) {
    dangerous.emplace_back(object.id, "content", LocalizedText{"SVG image with script", "image SVG contenant un script"});
  }
  if (dangerous_ext != nullptr) {
    dangerous.emplace_back(object.id, "filename",
                           LocalizedText{std::string(dangerous_ext->kind.en) + " ." + ext.last,
                                         std::string(dangerous_ext->kind.fr) + " ." + ext.last});
  }
  // An Internet shortcut to a web page is a bookmark people do send; one to a share, a file:// or
  // a protocol handler is a weapon (its targets are judged by the links analyzer through the
  // internet_shortcut analyzer, which reads them).
  double dangerous_confidence = 1.0;
  if (content == nullptr && (ext.last == "url" || ext.last == "website")) {
    const objects::InternetShortcut shortcut = objects::read_internet_shortcut(object.bytes());
    if (shortcut.found && objects::only_web_targets(shortcut)) {
      dangerous_confidence = 0.3;
      dangerous.emplace_back(object.id, "target", LocalizedText{"a web page", "une page web"});
    }
  }
  if (!dangerous.empty()) sink.emit(FindingId::ATTACHMENT_DANGEROUS_TYPE, std::move(dangerous), dangerous_confidence);

  // A document-like extension in front of a dangerous one.
  if (dangerous_ext != nullptr && document_like(ext.previous)) {
    LocalizedText value = quoted(name.visible);
    value.en += ": looks like a ." + ext.previous + ", is a ." + ext.last + " file";
    value.fr += " : ressemble à un fichier ." + ext.previous + ", est un fichier ." + ext.last;
    if (ext.padded) {
      value.en += " (padding hides the real extension)";
      value.fr += " (des espaces cachent la véritable extension)";
    }
    sink.emit(FindingId::ATTACHMENT_DOUBLE_EXTENSION, {Evidence{object.id, "filename", std::move(value)}});
  }

  // Characters that change how the name reads.
  if (name.invisible || name.dot_lookalike) {
    LocalizedText value = quoted(name.visible);
    if (name.override_ && name.shown != name.stripped) {
      value.en += ", shown as \"" + name.shown + "\"";
      value.fr += ", affiché « " + name.shown + " »";
    } else if (name.invisible) {
      value.en += ": invisible control characters";
      value.fr += " : caractères de contrôle invisibles";
    } else {
      value.en += ": a character that imitates the dot of an extension";
      value.fr += " : un caractère qui imite le point d'une extension";
    }
    // A control in a name that is otherwise harmless (a zero-width space copied from a web page)
    // is less sure than an override in front of an extension.
    const double confidence = name.override_ || dangerous_ext != nullptr || name.dot_lookalike ? 1.0 : 0.5;
    sink.emit(FindingId::ATTACHMENT_NAME_UNICODE_TRICK, {Evidence{object.id, "filename", std::move(value)}},
              confidence);
  }

  // An extension that claims a harmless type for a program, a shortcut, an archive...
  if (content != nullptr && content->cls != ContentClass::kOther) {
    const bool lies = !ext.last.empty() && (claims_harmless(ext.last) ||
                                            (zip_based_document(ext.last) && content->cls != ContentClass::kArchive));
    if (lies) {
      LocalizedText value = quoted(name.visible);
      value.en += ": named ." + ext.last + ", content: " + std::string(content->kind.en);
      value.fr += " : nommé ." + ext.last + ", contenu : " + std::string(content->kind.fr);
      sink.emit(FindingId::ATTACHMENT_EXTENSION_MISMATCH, {Evidence{object.id, "content", std::move(value)}},
                content->cls == ContentClass::kArchive ? 0.8 : 1.0);
    } else if (content->cls != ContentClass::kArchive && declares_harmless(object.declared_type)) {
      // The name says nothing false, but the declared type does (a program sent as application/pdf
      // or image/jpeg): the reader's client shows the declared type's icon. Archives are left out:
      // mailers often declare a zip as something else.
      LocalizedText value = quoted(name.visible);
      value.en += ": declared " + object.declared_type + ", content: " + std::string(content->kind.en);
      value.fr += " : déclaré " + object.declared_type + ", contenu : " + std::string(content->kind.fr);
      sink.emit(FindingId::ATTACHMENT_EXTENSION_MISMATCH, {Evidence{object.id, "content", std::move(value)}}, 0.8);
    }
  }
}

constexpr FindingId kEmits[] = {FindingId::ATTACHMENT_DANGEROUS_TYPE, FindingId::ATTACHMENT_DOUBLE_EXTENSION,
                                FindingId::ATTACHMENT_NAME_UNICODE_TRICK, FindingId::ATTACHMENT_EXTENSION_MISMATCH};

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "attachment_type",
      "Every file's type from its content and its name: programs, scripts, shortcuts, disk images and "
      "installers; double extensions, bidi tricks in names, extensions that lie about the content",
      kEmits,
      &accepts,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::attachment_type

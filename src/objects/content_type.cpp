// Signature table for detect_type (see content_type.h), then libmagic. Each signature is checked at
// its offset; the first that matches wins, so longer and more specific ones come first.
#include "objects/content_type.h"

#include <array>

#include "common/ascii.h"
#include "objects/magic_types.h"
#include "parse/calendar/calendar.h"

namespace vigie::objects {
namespace {

struct Signature {
  std::size_t offset;
  std::string_view magic;
  std::string_view type;
};

using namespace std::string_view_literals;

constexpr std::array kSignatures{
    Signature{0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv, "application/x-ole-storage"},
    Signature{0, "L\0\0\0\x01\x14\x02\0\0\0\0\0\xC0\0\0\0\0\0\0\x46"sv, "application/x-ms-shortcut"},
    Signature{0, "7z\xBC\xAF\x27\x1C"sv, "application/x-7z-compressed"},
    Signature{0, "Rar!\x1A\x07"sv, "application/vnd.rar"},
    Signature{0, "PK\x03\x04"sv, "application/zip"},
    Signature{0, "PK\x05\x06"sv, "application/zip"},
    Signature{0, "%PDF-"sv, "application/pdf"},
    Signature{0, "{\\rtf"sv, "text/rtf"},
    Signature{0, "\x7F" "ELF"sv, "application/x-executable"},
    Signature{0, "MZ"sv, "application/x-dosexec"},
    Signature{0, "MSCF\0\0\0\0"sv, "application/vnd.ms-cab-compressed"},
    Signature{0, "\x1F\x8B"sv, "application/gzip"},
    Signature{0, "BZh"sv, "application/x-bzip2"},
    Signature{0, "\xFD" "7zXZ\0"sv, "application/x-xz"},
    Signature{0x8001, "CD001"sv, "application/x-iso9660-image"},
    // A disc image with UDF alone (ECMA-167 2/9.1: BEA01 at sector 16, NSR02 or NSR03 after it),
    // which libmagic calls data; with an ISO 9660 side too, CD001 above names it first.
    Signature{0x8801, "NSR02"sv, "application/x-udf-image"},
    Signature{0x8801, "NSR03"sv, "application/x-udf-image"},
    Signature{0, "vhdxfile"sv, "application/x-vhdx"},
    Signature{0, "conectix"sv, "application/x-vhd"},
    Signature{0, "ITSF"sv, "application/vnd.ms-htmlhelp"},
    Signature{0, "\xE4\x52\x5C\x7B\x8C\xD8\xA7\x4D\xAE\xB1\x53\x78\xD0\x29\x96\xD3"sv, "application/onenote"},
    Signature{0, "\x78\x9F\x3E\x22"sv, "application/vnd.ms-tnef"},  // TNEF ([MS-OXTNEF] §2.1.3.1)
    Signature{0, "\x89PNG\r\n\x1A\n"sv, "image/png"},
    Signature{0, "\xFF\xD8\xFF"sv, "image/jpeg"},
    Signature{0, "GIF87a"sv, "image/gif"},
    Signature{0, "GIF89a"sv, "image/gif"},
};

// How far into an XML document its root element is looked for (past the declaration, a doctype
// and comments).
constexpr std::size_t kXmlPrologBytes = 4096;

// Markup a browser renders as a page: "<!doctype html", "<html", "<head", "<body", "<script",
// "<svg" after optional whitespace and a byte-order mark; and any other XML document. XML is
// ours rather than libmagic's because libmagic spends about a millisecond on every text buffer
// (its text rules are regular expressions), and an Office package holds tens of XML parts.
std::string_view markup_type(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  while (!bytes.empty() && ascii::is_space(bytes.front())) bytes.remove_prefix(1);
  const std::string head = ascii::lowercase(bytes.substr(0, 16));
  for (std::string_view tag : {"<!doctype html", "<html", "<head", "<body", "<script"}) {
    if (head.starts_with(tag)) return "text/html";
  }
  if (head.starts_with("<svg")) return "image/svg+xml";
  if (!head.starts_with("<?xml")) return {};
  const std::string prolog = ascii::lowercase(bytes.substr(0, kXmlPrologBytes));
  if (prolog.find("<svg") != std::string::npos) return "image/svg+xml";
  if (prolog.find("<html") != std::string::npos) return "text/html";  // XHTML, rendered as a page
  return "text/xml";
}

}  // namespace

std::string signature_type(std::string_view bytes) {
  for (const Signature& s : kSignatures) {
    if (bytes.size() >= s.offset + s.magic.size() && bytes.substr(s.offset, s.magic.size()) == s.magic) {
      return std::string(s.type);
    }
  }
  // An iCalendar or vCalendar text (RFC 5545 §3.4 opens every one with BEGIN:VCALENDAR): a meeting
  // invitation attached as application/octet-stream or under a name that says nothing.
  if (parse::looks_like_calendar(bytes)) return "text/calendar";
  return std::string(markup_type(bytes));
}

std::string detect_type(std::string_view bytes) {
  std::string type = signature_type(bytes);
  // Containers: libmagic reads their first entries (an OOXML or ODF document, a JAR, an MSI);
  // when it names nothing more precise, the container type stays.
  const bool container = type == "application/zip" || type == "application/x-ole-storage";
  if (!type.empty() && !container) return type;
  std::string magic = thread_magic().mime_type(bytes);
  if (container) {
    if (magic.empty() || magic == "application/zip" || magic == "application/CDFV2" ||
        magic == "application/x-ole-storage") {
      return type;
    }
  }
  return magic.empty() ? type : magic;
}

}  // namespace vigie::objects

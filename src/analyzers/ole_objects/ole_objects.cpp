// ole_objects: what an OLE compound file carries besides macros (those are office_macros'). It
// extracts the files embedded in documents as child objects, so that every object analyzer judges
// them like attachments: OLE Package objects (a \x01Ole10Native stream holds a file name and the
// file itself: the "double-click the icon" lure that hides an .exe, .lnk or .js in a document, in
// a .doc's ObjectPool or in an OOXML word/embeddings/*.bin), and Package and CONTENTS streams
// (an embedded OOXML document, PDF...). It reports documents encrypted with a password
// (ENCRYPTED_DOCUMENT): an OOXML package inside an EncryptionInfo/EncryptedPackage compound file,
// a .doc whose FIB says fEncrypted, a .xls with a FILEPASS record, a .ppt with an EncryptedSummary
// stream. Decryption with a password read from the message body is not implemented: the finding
// and a note on the object say the content was not examined. An Outlook item (.msg) whose reminder
// plays a sound file from a share or a WebDAV path (PidLidReminderFileParameter, CVE-2023-23397)
// makes Outlook send the reader's NTLM hash when the reminder fires, with no click:
// OUTLOOK_REMINDER_UNC. An embedded Equation Editor 3.0 object (its class id, or an
// "Equation Native" stream) is the carrier of CVE-2017-11882 and CVE-2018-0802: Office has not
// shipped the editor since 2018, so a document holding one today is built for the exploit
// (OLE_EQUATION_EDITOR_OBJECT). The files attached to an Outlook item are extracted like embedded
// files (an attachment's data stream, named by its long or short file name).
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "common/byte_reader.h"
#include "common/utf8_clip.h"
#include "objects/cfb/cfb.h"
#include "objects/remote_path.h"
#include "parse/encoding/charset.h"

namespace vigie::analyzers::ole_objects {
namespace {

using bytes::le16;
using bytes::le32;
using verdict::FindingId;

// A NUL-terminated string at `at`, at most 260 bytes (MAX_PATH); advances `at` past the NUL.
std::optional<std::string_view> c_string(std::string_view b, std::size_t& at) {
  const std::size_t end = b.find('\0', at);
  if (end == std::string_view::npos || end - at > 260) return std::nullopt;
  const std::string_view s = b.substr(at, end - at);
  at = end + 1;
  return s;
}

std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.find_last_of("\\/");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

struct Package {
  std::string filename;
  std::string source_path;
  std::string_view content;
  bool truncated = false;
};

// The OLE Package object's native data (\x01Ole10Native): size, flags, label, source path, two
// words, the temporary path with its length before it, then the file's size and bytes.
std::optional<Package> read_package(std::string_view native) {
  if (native.size() < 6) return std::nullopt;
  std::size_t at = 6;  // total size (4), flags (2)
  const auto label = c_string(native, at);
  const auto source = label ? c_string(native, at) : std::nullopt;
  if (!source || at + 8 > native.size()) return std::nullopt;
  at += 4;  // flags and a constant
  at += 4;  // the temporary path's length, which the NUL also ends
  const auto temporary = c_string(native, at);
  if (!temporary || at + 4 > native.size()) return std::nullopt;
  const std::uint32_t size = le32(native, at);
  at += 4;
  Package p;
  std::string_view name = *label;
  if (name.empty()) name = base_name(*source);
  if (name.empty()) name = base_name(*temporary);
  parse::convert_to_utf8(name, "windows-1252", p.filename);
  parse::convert_to_utf8(*source, "windows-1252", p.source_path);
  p.truncated = size > native.size() - at;
  p.content = native.substr(at, size);
  return p;
}

void push_stream(const Object& object, ObjectContext& context, std::string filename, std::string content,
                 bool truncated, std::string note) {
  Object child;
  child.origin = ObjectOrigin::kEmbedded;
  child.filename = std::move(filename);
  if (truncated) {
    child.flags |= kObjectTruncated;
    child.notes.emplace_back("the embedded file is cut short: the document declares more bytes than it holds");
  }
  if (!note.empty()) child.notes.push_back(std::move(note));
  context.push_child(object, std::move(child), std::make_shared<const std::string>(std::move(content)));
}

// What says the document is encrypted; "" when nothing does.
std::string encryption(const objects::cfb::CompoundFile& file, std::uint64_t max_bytes) {
  const auto stream = [&](std::string_view path) -> std::string {
    const objects::cfb::Entry* e = file.find(path);
    if (e == nullptr || e->type != objects::cfb::EntryType::kStream) return {};
    auto bytes = file.read(*e, max_bytes);
    return bytes ? std::move(*bytes) : std::string{};
  };
  if (file.find("EncryptionInfo") != nullptr && file.find("EncryptedPackage") != nullptr) {
    const std::string info = stream("EncryptionInfo");
    if (info.size() >= 4 && le16(info, 0) == 4 && le16(info, 2) == 4) return "Office Open XML package, agile encryption";
    return "Office Open XML package, standard encryption";
  }
  if (file.find("EncryptedSummary") != nullptr) return "PowerPoint 97-2003 presentation, RC4 CryptoAPI encryption";
  if (const std::string word = stream("WordDocument"); word.size() >= 12 && le16(word, 0) == 0xA5EC) {
    const std::uint16_t flags = le16(word, 0x0A);
    if ((flags & 0x0100) != 0) {
      return (flags & 0x8000) != 0 ? "Word 97-2003 document, XOR obfuscation" : "Word 97-2003 document, RC4 encryption";
    }
  }
  for (std::string_view name : {"Workbook", "Book"}) {
    const std::string workbook = stream(name);
    std::size_t at = 0;
    for (int records = 0; records < 64 && at + 4 <= workbook.size(); ++records) {
      const std::uint16_t type = le16(workbook, at);
      if (type == 0x002F) return "Excel 97-2003 workbook, password to open (FILEPASS)";
      if (type == 0x0085) break;  // sheets listed: FILEPASS comes before them
      at += 4 + std::size_t{le16(workbook, at + 2)};
    }
  }
  return {};
}

// ---- Outlook items ([MS-OXMSG]) -----------------------------------------------------------------

// PSETID_Common {00062008-0000-0000-C000-000000000046}, as stored (little-endian fields).
constexpr std::string_view kPsetidCommon{"\x08\x20\x06\x00\x00\x00\x00\x00\xC0\x00\x00\x00\x00\x00\x00\x46", 16};
constexpr std::uint32_t kLidReminderFileParameter = 0x851F;

// The property id the named property PidLidReminderFileParameter has in this file (2.2.3 named
// property mapping: entries of 8 bytes, a GUID index of 3 or more pointing into the GUID stream).
std::optional<std::uint16_t> reminder_property_id(const objects::cfb::CompoundFile& file, std::uint64_t max_bytes) {
  const objects::cfb::Entry* guids = file.find("__nameid_version1.0/__substg1.0_00020102");
  const objects::cfb::Entry* entries = file.find("__nameid_version1.0/__substg1.0_00030102");
  if (guids == nullptr || entries == nullptr) return std::nullopt;
  auto guid_bytes = file.read(*guids, max_bytes);
  auto entry_bytes = file.read(*entries, max_bytes);
  if (!guid_bytes || !entry_bytes) return std::nullopt;
  for (std::size_t at = 0; at + 8 <= entry_bytes->size(); at += 8) {
    const std::uint32_t name = le32(*entry_bytes, at);
    const std::uint32_t info = le32(*entry_bytes, at + 4);
    if ((info & 1) != 0 || name != kLidReminderFileParameter) continue;  // a string name, or another
    const std::uint32_t guid_index = (info >> 1) & 0x7FFF;
    if (guid_index < 3) continue;
    const std::size_t guid_at = std::size_t{guid_index - 3} * 16;
    if (guid_at + 16 > guid_bytes->size() || std::string_view(*guid_bytes).substr(guid_at, 16) != kPsetidCommon) continue;
    return static_cast<std::uint16_t>(0x8000 + (info >> 16));
  }
  return std::nullopt;
}

void check_reminder(const objects::cfb::CompoundFile& file, std::uint64_t max_bytes, const Object& object,
                    FindingSink& sink) {
  const auto id = reminder_property_id(file, max_bytes);
  if (!id) return;
  std::string hex;
  for (int shift = 12; shift >= 0; shift -= 4) hex.push_back(ascii::hex_digit((*id >> shift) & 0xF, true));
  const std::string unicode = "__substg1.0_" + hex + "001F";
  const std::string ansi = "__substg1.0_" + hex + "001E";
  for (const objects::cfb::Entry& e : file.entries()) {
    const bool wide = ascii::iequals(e.name, unicode);
    if (e.type != objects::cfb::EntryType::kStream || (!wide && !ascii::iequals(e.name, ansi))) continue;
    auto bytes = file.read(e, std::min<std::uint64_t>(max_bytes, 4096));
    if (!bytes) continue;
    std::string value;
    if (wide) {
      value = objects::cfb::utf16le_to_utf8(*bytes);
    } else {
      parse::convert_to_utf8(bytes->substr(0, bytes->find('\0')), "windows-1252", value);
    }
    const std::optional<objects::RemotePath> remote = objects::remote_path(value);
    if (!remote) continue;
    const std::string path(utf8::clip(value, 300));
    sink.emit(FindingId::OUTLOOK_REMINDER_UNC,
              {Evidence(object.id, "PidLidReminderFileParameter",
                        LocalizedText{path + (remote->webdav ? " (WebDAV share on " : " (file share on ") + remote->host + ")",
                                      path + (remote->webdav ? " (partage WebDAV sur " : " (partage de fichiers sur ") +
                                          remote->host + ")"}),
               Evidence(object.id, "cve", "CVE-2023-23397 (Outlook for Windows before the March 2023 update)"),
               Evidence(object.id, "stream", e.path)});
    return;
  }
}

// The file attachments of an Outlook item: each __attach_version1.0_#N storage holds the data
// (PidTagAttachDataBinary, 0x3701 binary) and the names (PidTagAttachLongFilename 0x3707,
// PidTagAttachFilename 0x3704). Read in one pass over the directory.
void extract_msg_attachments(const objects::cfb::CompoundFile& file, std::uint64_t max_bytes, const Object& object,
                             ObjectContext& context, FindingSink& sink) {
  struct Attachment {
    const objects::cfb::Entry* data = nullptr;
    std::string long_name;
    std::string short_name;
  };
  std::map<std::uint32_t, Attachment> attachments;
  const std::vector<objects::cfb::Entry>& entries = file.entries();
  const auto name_of = [&](const objects::cfb::Entry& e, bool wide) {
    auto bytes = file.read(e, 1024);
    if (!bytes) return std::string{};
    if (wide) return objects::cfb::utf16le_to_utf8(*bytes);
    std::string out;
    parse::convert_to_utf8(bytes->substr(0, bytes->find('\0')), "windows-1252", out);
    return out;
  };
  for (const objects::cfb::Entry& e : entries) {
    if (e.type != objects::cfb::EntryType::kStream || e.parent >= entries.size()) continue;
    if (!ascii::istarts_with(entries[e.parent].name, "__attach_version1.0_#")) continue;
    Attachment& a = attachments[e.parent];
    if (ascii::iequals(e.name, "__substg1.0_37010102")) a.data = &e;
    else if (ascii::iequals(e.name, "__substg1.0_3707001F")) a.long_name = name_of(e, true);
    else if (ascii::iequals(e.name, "__substg1.0_3707001E")) a.long_name = name_of(e, false);
    else if (ascii::iequals(e.name, "__substg1.0_3704001F")) a.short_name = name_of(e, true);
    else if (ascii::iequals(e.name, "__substg1.0_3704001E")) a.short_name = name_of(e, false);
  }
  for (const auto& [storage, a] : attachments) {
    if (a.data == nullptr) continue;  // an attached message or an OLE object: not a file stream
    auto bytes = file.read(*a.data, max_bytes);
    if (!bytes) {
      context.add_note(object, bytes.error().message);
      continue;
    }
    const bool cut = a.data->size > max_bytes;
    if (cut) {
      sink.limit_reached("max_ole_stream_bytes", a.data->size, max_bytes,
                         LocalizedText{"the end of the attachment " + a.data->path, "la fin de la pièce jointe " + a.data->path},
                         object.id);
    }
    std::string name = !a.long_name.empty() ? a.long_name : !a.short_name.empty() ? a.short_name : entries[storage].name;
    push_stream(object, context, std::move(name), std::move(*bytes), cut, "attachment of an Outlook item");
  }
}

// {0002CE02-0000-0000-C000-000000000046}, Microsoft Equation 3.0, as stored.
constexpr std::string_view kEquationClsid{"\x02\xCE\x02\x00\x00\x00\x00\x00\xC0\x00\x00\x00\x00\x00\x00\x46", 16};

void check_equation_editor(const objects::cfb::CompoundFile& file, const Object& object, FindingSink& sink) {
  for (const objects::cfb::Entry& e : file.entries()) {
    const bool by_class = (e.type == objects::cfb::EntryType::kStorage || e.type == objects::cfb::EntryType::kRoot) &&
                          e.clsid == kEquationClsid;
    const bool by_stream = e.type == objects::cfb::EntryType::kStream && ascii::iequals(e.name, "Equation Native");
    if (!by_class && !by_stream) continue;
    sink.emit(FindingId::OLE_EQUATION_EDITOR_OBJECT,
              {Evidence(object.id, "object", e.path.empty() ? std::string("(root)") : e.path),
               Evidence(object.id, "cve", "CVE-2017-11882, CVE-2018-0802")});
    return;
  }
}

bool accepts(const Object& object) { return object.is_file() && objects::cfb::has_signature(object.bytes()); }

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* /*state*/, FindingSink& sink) {
  const Limits& limits = context.message().limits();
  auto file = objects::cfb::CompoundFile::open(object.bytes(), {limits.max_ole_directory_entries});
  if (!file) return;  // office_macros notes why the file cannot be read

  if (const std::string kind = encryption(*file, limits.max_ole_stream_bytes); !kind.empty()) {
    sink.emit(FindingId::ENCRYPTED_DOCUMENT, {Evidence(object.id, "encryption", kind)});
    context.add_note(object,
                     "encrypted (" + kind + "): its content was not examined; decryption with a password "
                     "given in the message body is not implemented");
  }

  check_reminder(*file, limits.max_ole_stream_bytes, object, sink);
  check_equation_editor(*file, object, sink);
  extract_msg_attachments(*file, limits.max_ole_stream_bytes, object, context, sink);

  for (const objects::cfb::Entry& e : file->entries()) {
    if (e.type != objects::cfb::EntryType::kStream) continue;
    const bool native = e.name == "\x01Ole10Native";
    const bool package = ascii::iequals(e.name, "Package") || ascii::iequals(e.name, "CONTENTS");
    if (!native && !package) continue;
    auto bytes = file->read(e, limits.max_ole_stream_bytes);
    if (!bytes) {
      context.add_note(object, bytes.error().message);
      continue;
    }
    const bool cut = e.size > limits.max_ole_stream_bytes;
    if (cut) {
      sink.limit_reached("max_ole_stream_bytes", e.size, limits.max_ole_stream_bytes,
                         LocalizedText{"the end of the embedded object " + e.path,
                                       "la fin de l'objet incorporé " + e.path},
                         object.id);
    }
    if (package) {
      push_stream(object, context, e.path, std::move(*bytes), cut, {});
      continue;
    }
    const auto p = read_package(*bytes);
    if (!p) {
      context.add_note(object, "OLE package " + e.path + " is not readable");
      continue;
    }
    push_stream(object, context, p->filename, std::string(p->content), p->truncated || cut,
                p->source_path.empty() ? std::string{} : "OLE package; source path: " + p->source_path);
  }
}

constexpr std::array kEmits{FindingId::ENCRYPTED_DOCUMENT, FindingId::OUTLOOK_REMINDER_UNC,
                            FindingId::OLE_EQUATION_EDITOR_OBJECT};

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "ole_objects",
      "Extracts files embedded in OLE documents (OLE packages, Package and CONTENTS streams) and attached to Outlook "
      "items; reports encrypted documents and Outlook items whose reminder plays a file from a remote path",
      kEmits,
      &accepts,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::ole_objects

// ole_objects: what an OLE compound file carries besides macros (those are office_macros'). It
// extracts the files embedded in documents as child objects, so that every object analyzer judges
// them like attachments: OLE Package objects (a \x01Ole10Native stream holds a file name and the
// file itself: the "double-click the icon" lure that hides an .exe, .lnk or .js in a document, in
// a .doc's ObjectPool or in an OOXML word/embeddings/*.bin), and Package and CONTENTS streams
// (an embedded OOXML document, PDF...). It reports documents encrypted with a password
// (ENCRYPTED_DOCUMENT): an OOXML package inside an EncryptionInfo/EncryptedPackage compound file,
// a .doc whose FIB says fEncrypted, a .xls with a FILEPASS record, a .ppt with an EncryptedSummary
// stream. An encrypted OOXML package (agile or standard encryption, objects/offcrypto) is tried
// with the passwords the message gives (facts/passwords.h), at most kMaxPasswordsPerDocument of
// them before the analysis deadline: the one that passes the verifier decrypts the package, which
// becomes a child object that the archive, OOXML and macro analyzers examine like an attachment,
// and the finding says so. The binary formats' RC4 encryption is reported, not decrypted.
// An Outlook item (.msg) whose reminder plays a sound file from a share or a WebDAV path
// (PidLidReminderFileParameter, CVE-2023-23397) makes Outlook send the reader's NTLM hash when the
// reminder fires, with no click: OUTLOOK_REMINDER_UNC. An embedded Equation Editor 3.0 object (its
// class id, or an "Equation Native" stream) is the carrier of CVE-2017-11882 and CVE-2018-0802:
// Office has not shipped the editor since 2018, so a document holding one today is built for the
// exploit (OLE_EQUATION_EDITOR_OBJECT). The files attached to an Outlook item are extracted like
// embedded files (an attachment's data stream, named by its long or short file name).
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "common/byte_reader.h"
#include "common/utf8_clip.h"
#include "facts/passwords.h"
#include "objects/cfb/cfb.h"
#include "objects/offcrypto/offcrypto.h"
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

// ---- Encrypted OOXML packages ([MS-OFFCRYPTO]) --------------------------------------------------

// Each try spins the key derivation (100000 SHA-512 rounds for Office's agile default, 35 to
// 60 ms on the shared 2-core machine): a few passwords at most, the clearest phrases first.
constexpr std::size_t kMaxPasswordsPerDocument = 4;

std::string quoted_list(const std::vector<std::string>& values, std::size_t count) {
  std::string list;
  for (std::size_t i = 0; i < count && i < values.size(); ++i) list += (list.empty() ? "\"" : ", \"") + values[i] + "\"";
  return list;
}

class PackageDecryption {
 public:
  PackageDecryption(const objects::cfb::CompoundFile& file, const Object& object, ObjectContext& context,
                    FindingSink& sink)
      : file_(file), object_(object), context_(context), sink_(sink), limits_(context.message().limits()) {}

  // Evidence for ENCRYPTED_DOCUMENT: how it went, and the decrypted package pushed when it went well.
  std::vector<Evidence> run(const std::string& kind) {
    evidence_.emplace_back(object_.id, "encryption", kind);
    const objects::cfb::Entry* info_entry = file_.find("EncryptionInfo");
    const objects::cfb::Entry* package_entry = file_.find("EncryptedPackage");
    if (info_entry == nullptr || package_entry == nullptr || package_entry->type != objects::cfb::EntryType::kStream) {
      not_opened("encryption not supported: the scanner decrypts OOXML packages, "
                 "not the RC4 or XOR of the 97-2003 formats",
                 "chiffrement non pris en charge : l'analyseur déchiffre les paquets OOXML, "
                 "pas le RC4 ou le XOR des formats 97-2003");
      return std::move(evidence_);
    }
    auto info_bytes = file_.read(*info_entry, limits_.max_ole_stream_bytes);
    auto info = info_bytes ? objects::offcrypto::read_encryption_info(*info_bytes)
                           : Result<objects::offcrypto::EncryptionInfo>(fail(info_bytes.error()));
    if (!info) {
      not_opened("EncryptionInfo unreadable (" + info.error().message + ")",
                 "EncryptionInfo illisible (" + info.error().message + ")");
      return std::move(evidence_);
    }
    evidence_.back() = Evidence(object_.id, "encryption", "Office Open XML package, " + info->description);
    if (info->spin_count_refused) {
      not_opened("refused: " + info->unsupported + " (a key derivation built to exhaust the scanner)",
                 "refusé : nombre d'itérations " + std::to_string(info->spin_count) + " au-delà de la borne " +
                     std::to_string(objects::offcrypto::kMaxSpinCount) +
                     " (une dérivation de clé faite pour épuiser l'analyseur)");
      return std::move(evidence_);
    }
    if (!info->unsupported.empty()) {
      not_opened("the scanner cannot decrypt this encryption (" + info->unsupported + ")",
                 "l'analyseur ne sait pas déchiffrer ce chiffrement (" + info->unsupported + ")");
      return std::move(evidence_);
    }
    const std::vector<std::string> candidates = facts::message_passwords(context_.message());
    if (candidates.empty()) {
      not_opened("password not found in the message", "mot de passe absent du message");
      return std::move(evidence_);
    }
    std::optional<std::string> key;
    std::size_t tried = 0;
    bool late = false;
    for (const std::string& candidate : candidates) {
      if (tried == kMaxPasswordsPerDocument) break;
      if (context_.deadline().passed()) {
        late = true;
        break;
      }
      ++tried;
      key = objects::offcrypto::package_key(*info, candidate);
      if (key) {
        password_ = candidate;
        break;
      }
    }
    if (!key) {
      const std::string list = quoted_list(candidates, tried);
      const std::string left = std::to_string(candidates.size() - tried);
      std::string en = "passwords tried: " + std::to_string(tried) + " read in the message (" + list + "), none opens it";
      std::string fr = "mots de passe essayés : " + std::to_string(tried) + " lus dans le message (" + list +
                       "), aucun ne l'ouvre";
      if (tried == 0) {
        en = "the analysis deadline passed before any of the " + left + " password(s) read in the message was tried";
        fr = "le délai d'analyse a expiré avant l'essai des " + left + " mot(s) de passe lu(s) dans le message";
      } else if (tried < candidates.size()) {
        en += "; " + left + " more not tried" + (late ? " (the analysis deadline passed)" : "");
        fr += " ; " + left + " autre(s) non essayé(s)" + (late ? " (le délai d'analyse a expiré)" : "");
      }
      not_opened(std::move(en), std::move(fr));
      return std::move(evidence_);
    }
    open_package(*info, *package_entry, *key);
    return std::move(evidence_);
  }

 private:
  // Like an archive no password opens: the verdict says the content was not examined
  // (encrypted_content), unless an extraction limit already said it (`limit_crossed`).
  void not_opened(std::string why_en, std::string why_fr, bool limit_crossed = false) {
    evidence_.emplace_back(object_.id, "content", LocalizedText{"not examined: " + why_en, "non examiné : " + why_fr});
    context_.add_flags(object_, kObjectEncrypted | kObjectNotExamined);
    context_.add_note(object_, "encrypted: content not examined (" + why_en + ")");
    if (!limit_crossed) {
      sink_.limit_reached("encrypted_content", 1, 0,
                          LocalizedText{"encrypted document: " + why_en, "document chiffré : " + why_fr}, object_.id);
    }
  }

  void open_package(const objects::offcrypto::EncryptionInfo& info, const objects::cfb::Entry& entry,
                    const std::string& key) {
    const std::string opened_en = "opened with the password \"" + password_ + "\" given in the message";
    const std::string opened_fr = "ouvert avec le mot de passe « " + password_ + " » donné dans le message";
    const auto head = file_.read(entry, 8);
    const std::optional<std::uint64_t> size = head ? objects::offcrypto::declared_package_size(*head) : std::nullopt;
    if (!size) {
      not_opened(opened_en + ", but the encrypted package is unreadable", opened_fr + ", mais le paquet chiffré est illisible");
      return;
    }
    // A decrypted package is a member of the document as a zip entry is of an archive: the same
    // bounds, and the queue's remaining budget, before anything is decrypted.
    const ObjectContext::ExtractionBudget budget = context_.extraction_budget();
    if (*size > budget.bytes || budget.objects == 0 || object_.depth + 1 > limits_.max_object_depth) {
      const auto limit = object_.depth + 1 > limits_.max_object_depth ? ObjectContext::ExtractionLimit::kDepth
                         : budget.objects == 0                        ? ObjectContext::ExtractionLimit::kObjects
                                                                      : ObjectContext::ExtractionLimit::kBytes;
      context_.refuse_child(object_, limit, *size);
      not_opened(opened_en + ", but the decrypted package passes the extraction limits",
                 opened_fr + ", mais le paquet déchiffré dépasse les limites d'extraction", true);
      return;
    }
    if (*size > limits_.max_archive_member_bytes) {
      sink_.limit_reached("max_archive_member_bytes", *size, limits_.max_archive_member_bytes,
                          LocalizedText{"the decrypted package of the encrypted document (" + std::to_string(*size) + " bytes)",
                                        "le paquet déchiffré du document chiffré (" + std::to_string(*size) + " octets)"},
                          object_.id);
      not_opened(opened_en + ", but the decrypted package is larger than max_archive_member_bytes",
                 opened_fr + ", mais le paquet déchiffré dépasse max_archive_member_bytes", true);
      return;
    }
    auto encrypted = file_.read(entry, 8 + (*size + 4095) / 4096 * 4096);
    auto package = encrypted ? objects::offcrypto::decrypt_package(info, key, *encrypted, *size)
                             : Result<std::string>(fail(encrypted.error()));
    if (!package) {
      not_opened(opened_en + ", but the package does not decrypt (" + package.error().message + ")",
                 opened_fr + ", mais le paquet ne se déchiffre pas (" + package.error().message + ")");
      return;
    }
    Object child;
    child.origin = ObjectOrigin::kEmbedded;
    child.filename = object_.filename.empty() ? std::string("EncryptedPackage") : object_.filename;
    child.notes.emplace_back("decrypted package of the encrypted document, " + opened_en);
    const ObjectId id =
        context_.push_child(object_, std::move(child), std::make_shared<const std::string>(std::move(*package)));
    if (id == kNoObject) {
      not_opened(opened_en + ", but the decrypted package passes the extraction limits",
                 opened_fr + ", mais le paquet déchiffré dépasse les limites d'extraction", true);
      return;
    }
    evidence_.emplace_back(object_.id, "password",
                           LocalizedText{opened_en + ": the encryption only hides the content from filters",
                                         opened_fr + " : le chiffrement ne sert qu'à cacher le contenu aux filtres"});
    evidence_.emplace_back(object_.id, "content",
                           LocalizedText{"decrypted and examined as a child object", "déchiffré et examiné comme objet enfant"});
    context_.add_note(object_, "encrypted; " + opened_en + "; the decrypted package is examined");
  }

  const objects::cfb::CompoundFile& file_;
  const Object& object_;
  ObjectContext& context_;
  FindingSink& sink_;
  const Limits& limits_;
  std::vector<Evidence> evidence_;
  std::string password_;
};

void report_encryption(const objects::cfb::CompoundFile& file, const std::string& kind, const Object& object,
                       ObjectContext& context, FindingSink& sink) {
  sink.emit(FindingId::ENCRYPTED_DOCUMENT, PackageDecryption(file, object, context, sink).run(kind));
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
    report_encryption(*file, kind, object, context, sink);
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
      "items; reports encrypted documents, decrypts encrypted OOXML packages with the password the message gives, "
      "and reports Outlook items whose reminder plays a file from a remote path",
      kEmits,
      &accepts,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::ole_objects

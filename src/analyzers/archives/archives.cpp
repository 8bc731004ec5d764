// archives: the extractor of archive members. Every zip, 7z, RAR, tar, cabinet or ISO 9660 file,
// and every single gzip/bzip2/xz stream, is read with libarchive through the bounded reader of
// src/objects/archive, and each member file becomes a child object (origin archive_member, named by
// its path in the archive) that goes through every object analyzer like an attachment: an
// invoice.zip holding invoice.pdf.lnk is judged by attachment_type at the .lnk. Zip-based
// documents (OOXML, ODF, JAR, MSIX) are zips too: their parts (word/vbaProject.bin,
// word/_rels/settings.xml.rels) become children for the document analyzers to read by name, and
// their pictures are extracted like any part: a picture costs its copy and a signature check
// (our table knows PNG, JPEG and GIF before libmagic is asked), and is hashed only when shown.
//
// What this analyzer owns, besides extraction: archives whose encryption keeps their content out
// of sight (ARCHIVE_ENCRYPTED), and the lure that gives the password in the message, which it
// reads from the message's text and tries (ARCHIVE_PASSWORD_IN_MESSAGE, then the content is
// examined); archive bombs (ARCHIVE_BOMB), seen from the sizes the headers declare and from what
// decompression produces, never by decompressing past the bounds; member names that leave the
// extraction folder (ARCHIVE_PATH_TRAVERSAL); a program beside a library named like one of
// Windows' own (ARCHIVE_DLL_SIDE_LOADING); the WinRAR CVE-2023-38831 shape; and members hidden by
// Windows' attributes beside a visible lure (ARCHIVE_HIDDEN_MEMBER, hidden_members.cpp). What a
// member is (a program, a shortcut, a double extension) is attachment_type's question.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/archives/hidden_members.h"
#include "analyzers/archives/member_names.h"
#include "common/ascii.h"
#include "facts/passwords.h"
#include "objects/archive/archive_reader.h"

namespace vigie::analyzers::archives {
namespace {

using verdict::FindingId;
namespace reader = objects::archive;

// Members named in one finding's evidence; the rest are counted.
constexpr std::size_t kMaxNamedMembers = 8;
// The note an archive bomb leaves on its archive.
constexpr std::string_view kBombNote = "archive bomb: ";

struct State final : AnalyzerState {
  explicit State(const Limits& l) : limits(l) {}
  Limits limits;
};

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  return std::make_shared<const State>(setup.config.limits);
}

// ---- which objects ------------------------------------------------------------------------

bool archive_type(std::string_view type) {
  for (std::string_view t : {"application/zip", "application/x-zip-compressed", "application/java-archive",
                             "application/x-7z-compressed", "application/vnd.rar", "application/x-rar",
                             "application/x-rar-compressed", "application/x-tar", "application/gzip",
                             "application/x-gzip", "application/x-bzip2", "application/x-xz",
                             "application/x-lzip", "application/zstd", "application/vnd.ms-cab-compressed",
                             "application/x-iso9660-image", "application/x-udf-image", "application/epub+zip"}) {
    if (type == t) return true;
  }
  return false;
}

// Types libmagic gives zip-based documents; the same names may describe an OLE file (an old .xls
// is application/vnd.ms-excel), so the zip signature is checked too.
bool zip_document_type(std::string_view type) {
  for (std::string_view prefix : {"application/vnd.openxmlformats-officedocument.", "application/vnd.oasis.opendocument.",
                                  "application/vnd.ms-word.", "application/vnd.ms-excel.", "application/vnd.ms-powerpoint.",
                                  "application/vnd.ms-xpsdocument", "application/oxps", "application/vnd.ms-appx",
                                  "application/msix", "application/vnd.android.package-archive"}) {
    if (type.starts_with(prefix)) return true;
  }
  return false;
}

bool archive_extension(std::string_view extension) {
  for (std::string_view e : {"zip", "7z", "rar", "tar", "tgz", "tbz", "tbz2", "txz", "gz", "bz2", "xz", "lz",
                             "zst", "cab", "iso", "udf", "jar", "docx", "docm", "xlsx", "xlsm", "pptx", "pptm",
                             "odt", "ods", "odp", "msix", "appx"}) {
    if (e == extension) return true;
  }
  return false;
}

bool accepts(const Object& object) {
  if (!object.is_file() || object.size() == 0) return false;
  if (archive_type(object.detected_type)) return true;
  if (zip_document_type(object.detected_type)) return object.bytes().starts_with("PK");
  if (object.detected_type.empty() || object.detected_type == "application/octet-stream") {
    return archive_extension(extension_of(object.filename));
  }
  return false;
}

// ---- names --------------------------------------------------------------------------------

// The name of a single compressed stream's content: its file's name without the compression
// extension (report.pdf.gz holds report.pdf, logs.tgz a tar).
std::string stream_member_name(std::string_view archive_name) {
  const std::size_t slash = archive_name.find_last_of("/\\");
  if (slash != std::string_view::npos) archive_name.remove_prefix(slash + 1);
  const std::string extension = extension_of(archive_name);
  const std::string_view stem = archive_name.substr(0, archive_name.size() - std::min(archive_name.size(), extension.size() + 1));
  if (extension == "tgz" || extension == "tbz" || extension == "tbz2" || extension == "txz") {
    return std::string(stem) + ".tar";
  }
  for (std::string_view e : {"gz", "gzip", "bz2", "xz", "lz", "zst"}) {
    if (extension == e && !stem.empty()) return std::string(stem);
  }
  return archive_name.empty() ? "data" : std::string(archive_name) + ".out";
}

// A name that leaves the folder it is extracted to: a ".." step, or an absolute path ("/etc",
// "\\server\share", "C:\Users").
enum class NameEscape { kNone, kParentStep, kAbsolute };

NameEscape escape_of(std::string_view name) {
  if (name.starts_with('/') || name.starts_with('\\')) return NameEscape::kAbsolute;
  if (name.size() >= 2 && ascii::is_alpha(name[0]) && name[1] == ':') return NameEscape::kAbsolute;
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t end = std::min(name.find_first_of("/\\", start), name.size());
    if (name.substr(start, end - start) == "..") return NameEscape::kParentStep;
    start = end + 1;
  }
  return NameEscape::kNone;
}

// Windows' own libraries that programs load from their folder first, and that attackers ship
// beside a signed or renamed program (HeadLace: WindowsCodecs.dll beside a renamed calc.exe).
// Libraries applications legitimately bundle (vcruntime140.dll, msvcp140.dll) are not here.
bool system_dll_name(std::string_view name) {
  const std::string lower = ascii::lowercase(name);
  for (std::string_view dll : {"windowscodecs.dll", "version.dll", "dbghelp.dll", "dbgcore.dll", "wtsapi32.dll",
                               "uxtheme.dll", "dwmapi.dll", "cryptbase.dll", "cryptsp.dll", "winmm.dll", "msimg32.dll",
                               "userenv.dll", "secur32.dll", "sspicli.dll", "profapi.dll", "propsys.dll", "dxgi.dll",
                               "d3d11.dll", "wininet.dll", "winhttp.dll", "iphlpapi.dll", "netapi32.dll", "dpapi.dll",
                               "srvcli.dll", "wkscli.dll", "mpr.dll", "edgegdi.dll", "umpdc.dll", "amsi.dll",
                               "samcli.dll", "duser.dll", "xmllite.dll", "oleacc.dll", "wldp.dll"}) {
    if (lower == dll) return true;
  }
  return false;
}

std::string size_text(std::uint64_t bytes) {
  if (bytes >= (10ull << 30)) return std::to_string(bytes >> 30) + " GiB";
  if (bytes >= (10ull << 20)) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (10ull << 10)) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " B";
}
std::string size_text_fr(std::uint64_t bytes) {
  if (bytes >= (10ull << 30)) return std::to_string(bytes >> 30) + " Gio";
  if (bytes >= (10ull << 20)) return std::to_string(bytes >> 20) + " Mio";
  if (bytes >= (10ull << 10)) return std::to_string(bytes >> 10) + " Kio";
  return std::to_string(bytes) + " o";
}

// ---- one archive --------------------------------------------------------------------------

// What the extraction of one archive left out, by cause, for the analyst (the queue counts the
// members refused for its own limits).
struct Left {
  std::uint64_t cut = 0;          // members cut at max_archive_member_bytes
  std::uint64_t cut_largest = 0;  // the largest size one of them declared or produced
  std::uint64_t expanding = 0;    // members past max_expansion_ratio, kept only to identify them
  std::uint64_t encrypted = 0;    // members no password opened
  std::uint64_t unreadable = 0;   // members libarchive failed on
  std::uint64_t refused = 0;      // members refused for the queue's depth, count or bytes
};

class ArchiveRun {
 public:
  ArchiveRun(const Object& archive, ObjectContext& context, const Limits& limits, FindingSink& sink)
      : archive_(archive), context_(context), limits_(limits), sink_(sink) {}

  void run() {
    const ObjectContext::ExtractionBudget budget = context_.extraction_budget();
    bounds_.max_entries = limits_.max_archive_entries;
    bounds_.max_member_bytes = limits_.max_archive_member_bytes;
    bounds_.max_total_bytes = budget.bytes;
    bounds_.max_expansion_ratio = limits_.max_expansion_ratio;
    // Members the queue would refuse anyway (too deep, too many) are listed, not decompressed.
    bounds_.max_members_read = archive_.depth + 1 > limits_.max_object_depth ? 0 : budget.objects;

    listing_ = reader::read_archive(archive_.bytes(), bounds_);
    if (!listing_.recognised && !listing_.encrypted) {
      unreadable();
      return;
    }
    if (listing_.encrypted) try_passwords();
    push_members();
    report_hidden_members(listing_, ids_, archive_, context_, sink_);
    if (listing_.udf) context_.add_note(archive_, "also holds a UDF file system, which Windows shows first: not read, its ISO 9660 tree is");
    report_names();
    report_bomb();
    report_encryption();
    report_left();
  }

 private:
  void unreadable() {
    // libarchive says nothing when no format reader bids for the bytes (a damaged or fake image,
    // or a disc image whose only file system is UDF, which libarchive 3.6 does not read).
    std::string reason = listing_.error.empty() ? "format not recognised" : listing_.error;
    std::string reason_fr = listing_.error.empty() ? "format non reconnu" : listing_.error;
    if (listing_.udf) {
      reason = "UDF file system not read";
      reason_fr = "système de fichiers UDF non lu";
    }
    context_.add_note(archive_, "not read as an archive: " + reason);
    context_.add_flags(archive_, kObjectNotExamined);
    sink_.limit_reached("unreadable_archive", 1, 0,
                        LocalizedText{"an archive libarchive cannot read (" + reason + "): its content is not examined",
                                      "une archive que libarchive ne sait pas lire (" + reason_fr +
                                          ") : son contenu n'est pas examiné"},
                        archive_.id);
  }

  void try_passwords() {
    candidates_ = facts::message_passwords(context_.message());
    for (const std::string& candidate : candidates_) {
      if (!reader::opens_with(archive_.bytes(), candidate)) continue;
      password_ = candidate;
      listing_ = reader::read_archive(archive_.bytes(), bounds_, &password_);
      context_.add_note(archive_, "encrypted; opened with the password \"" + password_ + "\" given in the message");
      return;
    }
  }

  void push_members() {
    ids_.assign(listing_.members.size(), kNoObject);
    static const auto kEmpty = std::make_shared<const std::string>();
    for (std::size_t i = 0; i < listing_.members.size(); ++i) {
      const reader::Member& m = listing_.members[i];
      if (m.kind != reader::MemberKind::kFile) continue;
      Object child;
      child.origin = ObjectOrigin::kArchiveMember;
      child.filename = listing_.single_stream ? stream_member_name(archive_.filename) : m.name;
      std::shared_ptr<const std::string> content = m.content;
      switch (m.stop) {
        case reader::ContentStop::kComplete:
          break;
        case reader::ContentStop::kMemberLimit:
          child.flags |= kObjectTruncated;
          child.notes.push_back("cut at " + std::to_string(m.content->size()) + " bytes (max_archive_member_bytes)");
          ++left_.cut;
          left_.cut_largest = std::max(left_.cut_largest, m.declared_size.value_or(m.produced));
          break;
        case reader::ContentStop::kEncrypted:
          // A zip's names are not encrypted: the member is still judged by its name.
          child.flags |= kObjectEncrypted;
          child.notes.emplace_back("encrypted: content not examined");
          content = kEmpty;
          ++left_.encrypted;
          break;
        case reader::ContentStop::kNotRead:
          // Not decompressed because the queue would refuse it: recorded as its refusal.
          context_.refuse_child(archive_,
                                archive_.depth + 1 > limits_.max_object_depth ? ObjectContext::ExtractionLimit::kDepth
                                                                              : ObjectContext::ExtractionLimit::kObjects,
                                m.declared_size.value_or(0));
          ++left_.refused;
          continue;
        case reader::ContentStop::kTotalLimit:
          context_.refuse_child(archive_, ObjectContext::ExtractionLimit::kBytes,
                                std::max(m.declared_size.value_or(0), m.produced));
          ++left_.refused;
          continue;
        case reader::ContentStop::kExpansion: {
          // Not extracted whole (the queue records it with its own refusals), but its first bytes
          // are kept: a program padded with zeros is still seen as one.
          const std::uint64_t size = std::max(m.declared_size.value_or(0), m.produced);
          context_.refuse_child(archive_, ObjectContext::ExtractionLimit::kExpansion, size);
          ++left_.expanding;
          child.flags |= kObjectTruncated;
          child.notes.push_back("expands to " + (m.declared_size ? std::to_string(*m.declared_size) + " bytes"
                                                                 : "more than " + std::to_string(m.produced) + " bytes") +
                                ", past max_expansion_ratio: only its first " + std::to_string(content ? content->size() : 0) +
                                " bytes are kept, to identify it");
          if (!content) content = kEmpty;
          break;
        }
        case reader::ContentStop::kError:
          ++left_.unreadable;
          if (!content) {
            context_.add_note(archive_, "member \"" + m.name + "\" unreadable: " + m.error);
            continue;
          }
          child.flags |= kObjectTruncated;
          child.notes.push_back("read in part: " + m.error);
          break;
      }
      ids_[i] = context_.push_child(archive_, std::move(child), std::move(content));
    }
  }

  // Evidence on the member's object when it was extracted, else on the archive.
  Evidence member_evidence(std::size_t index, LocalizedText value) const {
    const ObjectId where = ids_[index] != kNoObject ? ids_[index] : archive_.id;
    return Evidence(where, "member", std::move(value));
  }

  void report_names() {
    std::vector<Evidence> escaping;
    double confidence = 0.7;  // absolute names alone: some tar tools keep them
    std::map<std::string_view, std::size_t> files;  // name → member, for the WinRAR shape
    for (std::size_t i = 0; i < listing_.members.size(); ++i) {
      if (listing_.members[i].kind == reader::MemberKind::kFile) files.emplace(listing_.members[i].name, i);
    }
    std::vector<Evidence> winrar;
    for (std::size_t i = 0; i < listing_.members.size(); ++i) {
      const reader::Member& m = listing_.members[i];
      for (std::string_view name : {std::string_view(m.name), std::string_view(m.link_target)}) {
        const NameEscape escape = escape_of(name);
        if (escape == NameEscape::kNone) continue;
        if (escape == NameEscape::kParentStep) confidence = 1;
        if (escaping.size() < kMaxNamedMembers) {
          LocalizedText value = quoted(m.name);
          if (name.data() == m.link_target.data()) {
            value.en += ": a link to \"" + m.link_target + "\"";
            value.fr += " : un lien vers « " + m.link_target + " »";
          }
          value.en += escape == NameEscape::kAbsolute ? " (absolute path)" : " (climbs out with ..)";
          value.fr += escape == NameEscape::kAbsolute ? " (chemin absolu)" : " (remonte avec ..)";
          escaping.push_back(member_evidence(i, std::move(value)));
        }
        break;
      }
      // CVE-2023-38831: "report.pdf " (a file, trailing space) beside "report.pdf /..." (a folder
      // holding what WinRAR runs instead).
      if (m.kind == reader::MemberKind::kFile && m.name.size() > 1 && m.name.back() == ' ' &&
          !extension_of(ascii::trim_blanks(m.name)).empty()) {
        for (auto it = files.upper_bound(m.name); it != files.end() && it->first.starts_with(m.name); ++it) {
          const char next = it->first[m.name.size()];
          if (next != '/' && next != '\\') continue;
          if (winrar.size() >= kMaxNamedMembers) break;
          if (winrar.empty()) {
            winrar.push_back(member_evidence(i, LocalizedText{"\"" + m.name + "\": the decoy, its name ends with a space",
                                                              "« " + m.name + " » : le leurre, son nom se termine par une espace"}));
          }
          const std::string script(it->first);
          winrar.push_back(member_evidence(it->second, LocalizedText{"\"" + script + "\": what WinRAR runs instead",
                                                                     "« " + script + " » : ce que WinRAR lance à la place"}));
        }
      }
    }
    report_side_loading();
    if (!escaping.empty()) sink_.emit(FindingId::ARCHIVE_PATH_TRAVERSAL, std::move(escaping), confidence);
    if (!winrar.empty()) sink_.emit(FindingId::ARCHIVE_WINRAR_CVE_2023_38831, std::move(winrar));
  }

  // A program and a system library's name in the same folder of the archive.
  void report_side_loading() {
    std::vector<Evidence> evidence;
    for (std::size_t d = 0; d < listing_.members.size() && evidence.size() < kMaxNamedMembers; ++d) {
      const reader::Member& dll = listing_.members[d];
      const std::string_view folder = folder_of(dll.name);
      if (dll.kind != reader::MemberKind::kFile || !system_dll_name(std::string_view(dll.name).substr(folder.size()))) continue;
      for (std::size_t e = 0; e < listing_.members.size(); ++e) {
        const reader::Member& program = listing_.members[e];
        if (program.kind != reader::MemberKind::kFile || folder_of(program.name) != folder ||
            extension_of(ascii::trim_blanks(program.name)) != "exe") {
          continue;
        }
        evidence.push_back(member_evidence(e, LocalizedText{"\"" + program.name + "\": the program",
                                                            "« " + program.name + " » : le programme"}));
        evidence.push_back(member_evidence(d, LocalizedText{"\"" + dll.name + "\": named like a Windows library, loaded by it",
                                                            "« " + dll.name + " » : nommée comme une bibliothèque de Windows, chargée par lui"}));
        break;
      }
    }
    if (!evidence.empty()) sink_.emit(FindingId::ARCHIVE_DLL_SIDE_LOADING, std::move(evidence));
  }

  void report_bomb() {
    const std::uint64_t size = std::max<std::uint64_t>(archive_.size(), 1);
    std::vector<Evidence> evidence;
    double confidence = 0;
    const std::uint64_t declared_ratio = listing_.declared_bytes / size;
    if (listing_.declared_bytes > limits_.max_extracted_bytes && declared_ratio >= limits_.max_expansion_ratio) {
      confidence = 1;
      evidence.emplace_back(archive_.id, "declared_size",
                            LocalizedText{size_text(archive_.size()) + " declaring " + size_text(listing_.declared_bytes) +
                                              " (" + std::to_string(declared_ratio) + " times its size)",
                                          size_text_fr(archive_.size()) + " annonçant " + size_text_fr(listing_.declared_bytes) +
                                              " (" + std::to_string(declared_ratio) + " fois sa taille)"});
    }
    if (left_.expanding > 0) {
      confidence = 1;
      evidence.emplace_back(archive_.id, "expansion",
                            LocalizedText{std::to_string(left_.expanding) + " member(s) expanding past " +
                                              std::to_string(limits_.max_expansion_ratio) + " times the archive's size",
                                          std::to_string(left_.expanding) + " membre(s) dépassant " +
                                              std::to_string(limits_.max_expansion_ratio) + " fois la taille de l'archive"});
    }
    const std::uint64_t entries = std::max(listing_.headers + (listing_.more_entries ? 1 : 0),
                                           listing_.declared_entries.value_or(0));
    if (entries > limits_.max_archive_entries) {
      // Many entries alone may be a large legitimate archive; with a huge ratio it is a bomb.
      confidence = std::max(confidence, 0.5);
      evidence.emplace_back(archive_.id, "entries",
                            LocalizedText{"more than " + std::to_string(limits_.max_archive_entries) + " entries",
                                          "plus de " + std::to_string(limits_.max_archive_entries) + " entrées"});
    }
    // 42.zip: archives of archives of archives, sixteen at each level; no level expands much, the
    // count does. An archive two archives deep whose members pass the extraction limits is one.
    std::uint32_t nesting = 0;
    for (const Object* o = &archive_; o->origin == ObjectOrigin::kArchiveMember; o = &context_.objects().at(o->parent)) {
      ++nesting;
    }
    if (left_.refused > 0 && nesting >= 2) {
      confidence = std::max(confidence, 0.8);
      evidence.emplace_back(archive_.id, "nesting",
                            LocalizedText{"an archive inside " + std::to_string(nesting) +
                                              " archives, whose members pass the extraction limits",
                                          "une archive dans " + std::to_string(nesting) +
                                              " archives, dont les membres dépassent les limites d'extraction"});
    }
    if (evidence.empty()) return;
    // A nested bomb is hundreds of bombs: the first makes the finding, the others a note on their
    // archive (the notes are the tree's memory of what this analyzer already said).
    const bool reported = std::any_of(context_.objects().begin(), context_.objects().end(), [](const Object& o) {
      return std::any_of(o.notes.begin(), o.notes.end(), [](const std::string& n) { return n.starts_with(kBombNote); });
    });
    context_.add_note(archive_, std::string(kBombNote) + (reported ? "reported once, at the first one" : "see ARCHIVE_BOMB"));
    if (!reported) sink_.emit(FindingId::ARCHIVE_BOMB, std::move(evidence), confidence);
  }

  void report_encryption() {
    if (!listing_.encrypted) return;
    if (!password_.empty()) {
      sink_.emit(FindingId::ARCHIVE_PASSWORD_IN_MESSAGE,
                 {Evidence(archive_.id, "password", quoted(password_)),
                  Evidence(archive_.id, "content",
                           LocalizedText{"opened with it: " + std::to_string(listing_.members.size()) + " member(s) examined",
                                         "ouverte avec celui-ci : " + std::to_string(listing_.members.size()) +
                                             " membre(s) examiné(s)"})});
      return;
    }
    context_.add_flags(archive_, kObjectEncrypted | kObjectNotExamined);
    const std::uint64_t locked = std::max<std::uint64_t>(left_.encrypted, 1);
    std::vector<Evidence> evidence;
    evidence.emplace_back(archive_.id, "format",
                          LocalizedText{listing_.format.empty() ? "encrypted headers" : listing_.format,
                                        listing_.format.empty() ? "en-têtes chiffrés" : listing_.format});
    evidence.emplace_back(archive_.id, "encrypted",
                          LocalizedText{std::to_string(locked) + " encrypted member(s) not examined",
                                        std::to_string(locked) + " membre(s) chiffré(s) non examiné(s)"});
    // libarchive 3.6 decrypts zip's traditional and AES encryption only.
    const bool undecryptable = listing_.format.empty() || listing_.format.find("7-Zip") != std::string::npos ||
                               listing_.format.find("RAR") != std::string::npos;
    if (undecryptable) {
      evidence.emplace_back(archive_.id, "why",
                            LocalizedText{"the scanner cannot decrypt this kind of archive (7-Zip, RAR, encrypted headers)",
                                          "l'analyseur ne sait pas déchiffrer ce type d'archive (7-Zip, RAR, en-têtes chiffrés)"});
    }
    if (!candidates_.empty()) {
      std::string list;
      for (const std::string& c : candidates_) list += (list.empty() ? "\"" : ", \"") + c + "\"";
      evidence.emplace_back(archive_.id, "passwords_tried",
                            LocalizedText{"passwords read in the message, none opens it: " + list,
                                          "mots de passe lus dans le message, aucun ne l'ouvre : " + list});
    }
    sink_.emit(FindingId::ARCHIVE_ENCRYPTED, std::move(evidence));
    // A password phrase beside an archive the scanner cannot open (7z and RAR encryption, a guess
    // that missed) is still the lure's shape, with less certainty.
    if (!candidates_.empty()) {
      sink_.emit(FindingId::ARCHIVE_PASSWORD_IN_MESSAGE,
                 {Evidence(archive_.id, "password",
                           LocalizedText{"a password is given in the message but does not open the archive here",
                                         "un mot de passe est donné dans le message mais n'ouvre pas l'archive ici"})},
                 0.6);
    }
    sink_.limit_reached("encrypted_content", locked, 0,
                        LocalizedText{"encrypted archive: no password given in the message opens it",
                                      "archive chiffrée : aucun mot de passe donné dans le message ne l'ouvre"},
                        archive_.id);
  }

  void report_left() {
    if (listing_.more_entries) {
      sink_.limit_reached("max_archive_entries", listing_.headers + 1, limits_.max_archive_entries,
                          LocalizedText{"entries past the first " + std::to_string(listing_.headers) + " not listed",
                                        "entrées au-delà des " + std::to_string(listing_.headers) + " premières non lues"},
                          archive_.id);
    }
    if (left_.cut > 0) {
      sink_.limit_reached("max_archive_member_bytes", left_.cut_largest, limits_.max_archive_member_bytes,
                          LocalizedText{std::to_string(left_.cut) + " member(s) examined only in their first " +
                                            size_text(limits_.max_archive_member_bytes),
                                        std::to_string(left_.cut) + " membre(s) examiné(s) seulement sur leurs premiers " +
                                            size_text_fr(limits_.max_archive_member_bytes)},
                          archive_.id);
    }
    const bool locked = listing_.encrypted && password_.empty();  // said by encrypted_content
    if (left_.unreadable > 0 || (!listing_.error.empty() && listing_.recognised && !locked)) {
      const std::string error = listing_.error.empty() ? "damaged member" : listing_.error;
      context_.add_note(archive_, "read only in part: " + error);
      sink_.limit_reached("unreadable_archive", std::max<std::uint64_t>(left_.unreadable, 1), 0,
                          LocalizedText{"archive read only in part (" + error + ")",
                                        "archive lue seulement en partie (" + error + ")"},
                          archive_.id);
    }
  }

  const Object& archive_;
  ObjectContext& context_;
  const Limits& limits_;
  FindingSink& sink_;
  reader::ReadBounds bounds_;
  reader::Listing listing_;
  std::vector<ObjectId> ids_;
  std::vector<std::string> candidates_;
  std::string password_;
  Left left_;
};

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* state, FindingSink& sink) {
  ArchiveRun(object, context, static_cast<const State*>(state)->limits, sink).run();
}

constexpr FindingId kEmits[] = {FindingId::ARCHIVE_ENCRYPTED, FindingId::ARCHIVE_PASSWORD_IN_MESSAGE,
                                FindingId::ARCHIVE_BOMB, FindingId::ARCHIVE_PATH_TRAVERSAL,
                                FindingId::ARCHIVE_DLL_SIDE_LOADING, FindingId::ARCHIVE_WINRAR_CVE_2023_38831,
                                FindingId::ARCHIVE_HIDDEN_MEMBER};

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "archives",
      "Extracts the members of zip, 7z, RAR, tar, cabinet and ISO files (zip-based documents included) "
      "and of compressed files, within the extraction limits; encrypted archives and passwords given in "
      "the message, archive bombs, names that leave the extraction folder, DLL side-loading, the WinRAR "
      "CVE-2023-38831 shape, members hidden by Windows' attributes (zip, RAR, cabinet, ISO 9660)",
      kEmits,
      &accepts,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::archives

// ARCHIVE_HIDDEN_MEMBER (see hidden_members.h).
#include "analyzers/archives/hidden_members.h"

#include <set>
#include <string>
#include <string_view>

#include "analyzers/archives/member_names.h"
#include "common/ascii.h"
#include "objects/dangerous_extension.h"

namespace vigie::analyzers::archives {
namespace {

using verdict::FindingId;
namespace reader = objects::archive;

// Hidden members named in the evidence; the rest are counted.
constexpr std::size_t kMaxNamedHidden = 8;
// Visible lures named beside them.
constexpr std::size_t kMaxNamedLures = 2;
// Confidence by what sits beside the hidden members (score 8: 8, 4.8, 2).
constexpr double kBesideALure = 1.0;
constexpr double kHiddenProgram = 0.6;
constexpr double kHiddenFilesAlone = 0.25;

// Files Windows (and macOS) write hidden themselves when a folder is customised or browsed: a
// folder copied into an archive brings them along.
bool written_by_the_system(std::string_view name) {
  const std::string base = ascii::lowercase(name.substr(folder_of(name).size()));
  for (std::string_view own : {"desktop.ini", "thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", ".ds_store"}) {
    if (base == own) return true;
  }
  return false;
}

const objects::DangerousExtension* dangerous_name(std::string_view name) {
  return objects::dangerous_extension(extension_of(ascii::trim_blanks(name)));
}

// A visible member the reader would open: a shortcut, a script, a program, an image to mount; a
// library runs nothing when double-clicked.
bool lure_name(std::string_view name) {
  const objects::DangerousExtension* d = dangerous_name(name);
  return d != nullptr && d->extension != "dll";
}

bool program_content(const reader::Member& member) {
  return member.content != nullptr && member.content->starts_with("MZ");
}

struct Hidden {
  std::size_t index;
  std::string_view folder;  // the hidden folder it is in, or empty when it carries the attribute itself
};

LocalizedText attribute_text(std::uint32_t attributes) {
  const bool hidden = (attributes & reader::kAttributeHidden) != 0;
  const bool system = (attributes & reader::kAttributeSystem) != 0;
  if (hidden && system) return {"hidden and system", "caché et système"};
  if (system) return {"system", "système"};
  return {"hidden", "caché"};
}

}  // namespace

void report_hidden_members(const reader::Listing& listing, const std::vector<ObjectId>& ids, const Object& archive,
                           ObjectContext& context, FindingSink& sink) {
  constexpr std::uint32_t kHiding = reader::kAttributeHidden | reader::kAttributeSystem;
  std::set<std::string_view> hidden_folders;  // without their final slash
  for (const reader::Member& m : listing.members) {
    if (m.kind != reader::MemberKind::kDirectory || (m.windows_attributes & kHiding) == 0) continue;
    std::string_view name = m.name;
    if (name.ends_with('/')) name.remove_suffix(1);
    hidden_folders.insert(name);
  }
  // The outermost hidden folder holding `name`, looked up at each of its slashes.
  const auto hidden_folder_of = [&](std::string_view name) -> std::string_view {
    for (std::size_t slash = name.find('/'); slash != std::string_view::npos; slash = name.find('/', slash + 1)) {
      if (const auto it = hidden_folders.find(name.substr(0, slash)); it != hidden_folders.end()) return *it;
    }
    return {};
  };
  std::vector<Hidden> hidden;
  std::vector<std::size_t> lures;
  std::string system_files;
  std::size_t system_count = 0;
  bool hidden_program = false;
  for (std::size_t i = 0; i < listing.members.size(); ++i) {
    const reader::Member& m = listing.members[i];
    if (m.kind != reader::MemberKind::kFile) continue;
    const std::string_view folder = hidden_folders.empty() ? std::string_view() : hidden_folder_of(m.name);
    if ((m.windows_attributes & kHiding) == 0 && folder.empty()) {
      if (lure_name(m.name)) lures.push_back(i);
      continue;
    }
    if (written_by_the_system(m.name)) {
      if (++system_count <= kMaxNamedHidden) system_files += (system_files.empty() ? "" : ", ") + m.name;
      continue;
    }
    hidden_program = hidden_program || dangerous_name(m.name) != nullptr || program_content(m);
    hidden.push_back({i, folder});
  }
  if (system_count > kMaxNamedHidden) system_files += " and " + std::to_string(system_count - kMaxNamedHidden) + " more";
  if (!system_files.empty()) context.add_note(archive, "hidden files Windows writes itself: " + system_files);
  if (hidden.empty()) return;

  const auto where = [&](std::size_t index) { return ids[index] != kNoObject ? ids[index] : archive.id; };
  std::vector<Evidence> evidence;
  for (const Hidden& h : hidden) {
    if (evidence.size() >= kMaxNamedHidden) break;
    const reader::Member& m = listing.members[h.index];
    LocalizedText value = quoted(m.name);
    if (h.folder.empty()) {
      const LocalizedText attribute = attribute_text(m.windows_attributes);
      value.en += ": " + attribute.en;
      value.fr += " : " + attribute.fr;
    } else {
      value.en += ": in the hidden folder \"" + std::string(h.folder) + "/\"";
      value.fr += " : dans le dossier caché « " + std::string(h.folder) + "/ »";
    }
    if (const objects::DangerousExtension* d = dangerous_name(m.name)) {
      value.en += ", " + std::string(d->kind.en);
      value.fr += ", " + std::string(d->kind.fr);
    } else if (program_content(m)) {
      value.en += ", a Windows program by its content";
      value.fr += ", un programme Windows d'après son contenu";
    }
    evidence.emplace_back(where(h.index), "member", std::move(value));
  }
  if (hidden.size() > kMaxNamedHidden) {
    const std::string more = std::to_string(hidden.size() - kMaxNamedHidden);
    evidence.emplace_back(archive.id, "more", LocalizedText{more + " more hidden member(s)", more + " autre(s) membre(s) caché(s)"});
  }
  for (std::size_t n = 0; n < lures.size() && n < kMaxNamedLures; ++n) {
    const reader::Member& m = listing.members[lures[n]];
    const objects::DangerousExtension* d = dangerous_name(m.name);
    evidence.emplace_back(where(lures[n]), "lure",
                          LocalizedText{"\"" + m.name + "\": " + std::string(d->kind.en) + ", left in sight",
                                        "« " + m.name + " » : " + std::string(d->kind.fr) + ", laissé en vue"});
  }
  const double confidence = !lures.empty() ? kBesideALure : hidden_program ? kHiddenProgram : kHiddenFilesAlone;
  sink.emit(FindingId::ARCHIVE_HIDDEN_MEMBER, std::move(evidence), confidence);
}

}  // namespace vigie::analyzers::archives

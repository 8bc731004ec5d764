// tnef: the extractor and judge of TNEF streams (application/ms-tnef, "winmail.dat"), Outlook's
// envelope for rich messages, meeting requests and tasks. The reading is src/objects/tnef's; this
// analyzer pushes the files inside as child objects (origin kEmbedded), so every object analyzer
// sees them like attachments, and owns OUTLOOK_REMINDER_UNC for TNEF: a reminder sound
// (PidLidReminderFileParameter) on another machine, which Outlook fetches by itself when the
// reminder fires, leaking the reader's NTLM credentials (CVE-2023-23397, APT28 2022–2024). The same
// in an iCalendar item is the calendar analyzer's.
#include <string>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "objects/remote_path.h"
#include "objects/tnef/tnef.h"

namespace vigie::analyzers::tnef {
namespace {

using verdict::FindingId;

constexpr std::size_t kMaxEvidenceBytes = 200;

bool accepts(const Object& object) {
  if (object.origin == ObjectOrigin::kMessage || object.origin == ObjectOrigin::kAttachedMessage) return false;
  return object.declared_type == "application/ms-tnef" || object.declared_type == "application/vnd.ms-tnef" ||
         object.detected_type == "application/vnd.ms-tnef" || ascii::iequals(object.filename, "winmail.dat");
}

std::string bounded(std::string_view text) {
  if (text.size() <= kMaxEvidenceBytes) return std::string(text);
  return std::string(text.substr(0, kMaxEvidenceBytes)) + "…";
}

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* /*state*/, FindingSink& sink) {
  if (!objects::tnef::looks_like_tnef(object.bytes())) {
    context.add_note(object, "declared as TNEF (winmail.dat) but has no TNEF signature");
    return;
  }
  const Limits& limits = context.message().limits();
  const objects::tnef::Content content = objects::tnef::read(object.bytes(), limits.max_tnef_attributes);
  if (content.limit_reached) {
    sink.limit_reached("max_tnef_attributes", content.attributes + std::uint64_t{1}, limits.max_tnef_attributes,
                       LocalizedText{"the rest of the TNEF stream (properties, attached files)",
                                     "la suite du flux TNEF (propriétés, fichiers joints)"},
                       object.id);
  }
  if (!content.errors.empty()) {
    context.add_note(object, "TNEF not fully readable: " + content.errors.front() +
                                 (content.errors.size() > 1 ? " (and more)" : ""));
  }
  for (const objects::tnef::Attachment& attachment : content.attachments) {
    if (attachment.data.empty()) continue;
    Object child;
    child.origin = ObjectOrigin::kEmbedded;
    child.filename = attachment.filename;
    child.declared_type = attachment.mime_type;
    context.push_child(object, std::move(child), std::make_shared<const std::string>(attachment.data));
  }

  if (!content.reminder_file) return;
  const std::optional<objects::RemotePath> remote = objects::remote_path(*content.reminder_file);
  if (!remote) return;
  std::vector<Evidence> evidence;
  evidence.emplace_back(object.id, "PidLidReminderFileParameter",
                        LocalizedText{bounded(*content.reminder_file) + (remote->webdav ? " (WebDAV share on " : " (file share on ") +
                                          bounded(remote->host) + ")",
                                      bounded(*content.reminder_file) +
                                          (remote->webdav ? " (partage WebDAV sur " : " (partage de fichiers sur ") +
                                          bounded(remote->host) + ")"});
  if (!content.message_class.empty()) evidence.emplace_back(object.id, "message_class", bounded(content.message_class));
  if (content.reminder_override) {
    evidence.emplace_back(object.id, "PidLidReminderOverride", std::string(*content.reminder_override ? "true" : "false"));
  }
  evidence.emplace_back(object.id, "cve", "CVE-2023-23397 (Outlook for Windows before the March 2023 update)");
  sink.emit(FindingId::OUTLOOK_REMINDER_UNC, std::move(evidence));
}

constexpr FindingId kEmits[] = {FindingId::OUTLOOK_REMINDER_UNC};

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "tnef",
      "Extracts the files of TNEF streams (winmail.dat) and reports reminder sounds on remote shares "
      "(CVE-2023-23397)",
      kEmits,
      &accepts,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::tnef

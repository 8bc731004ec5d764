// TNEF (Transport Neutral Encapsulation Format, [MS-OXTNEF]): the application/ms-tnef part
// ("winmail.dat") in which Outlook and Exchange send a message's rich properties and attachments
// over SMTP. Meeting requests and tasks travel this way, and so does the reminder sound path of
// CVE-2023-23397 (threat-notes 3.3): PidLidReminderFileParameter, a named property (LID 0x851F in
// PSETID_Common) that Outlook fetches when the reminder fires, over SMB or WebDAV if it is a UNC
// path, sending the reader's NTLM credentials.
//
// Our own reader, not Debian's libytnef: libytnef reads from a file or a buffer but has had a long
// series of memory-safety CVEs on malformed input (CVE-2017-6298 to -6802, -9058, -9146...), and it
// logs, allocates and decodes far more than the few properties and the attachments we need. This
// one reads through bounds-checked views only: attribute lengths are checked against the input,
// property counts against [limits] max_tnef_attributes, and nothing is allocated from a length
// field except the UTF-8 text of the strings it keeps. Attachments are views into the input.
// Malformed input is data: what could not be read is listed in TnefContent::errors. Nothing here
// throws; thread-safe (pure function).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::objects::tnef {

// A file carried inside the stream (attAttachRendData starts one; attAttachTitle, attAttachData and
// the attAttachment properties describe it).
struct Attachment {
  std::string filename;   // PR_ATTACH_LONG_FILENAME, else attAttachTitle; "" when none
  std::string mime_type;  // PR_ATTACH_MIME_TAG, lowercase; "" when none
  std::string_view data;  // attAttachData (or PR_ATTACH_DATA_BIN), a view into the input
};

struct Content {
  std::string message_class;                 // attMessageClass or PR_MESSAGE_CLASS ("IPM.Appointment")
  std::optional<std::string> reminder_file;  // PidLidReminderFileParameter, UTF-8
  std::optional<bool> reminder_override;     // PidLidReminderOverride
  std::optional<bool> reminder_play_sound;   // PidLidReminderPlaySound
  std::vector<Attachment> attachments;
  std::uint32_t attributes = 0;              // attributes and properties read
  bool limit_reached = false;                // max_attributes stopped the reading
  std::vector<std::string> errors;           // what could not be read, at most a few
};

// Whether bytes start with the TNEF signature 0x223E9F78 (little-endian).
bool looks_like_tnef(std::string_view bytes);

// Reads a TNEF stream; `max_attributes` bounds attributes plus MAPI properties.
Content read(std::string_view bytes, std::uint32_t max_attributes);

}  // namespace vigie::objects::tnef

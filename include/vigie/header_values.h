// Structured values of header fields: addresses (RFC 5322 §3.4 with the obsolete forms of §4.4),
// dates (§3.3, §4.3), message identifiers (§3.6.4) and Received trace fields (RFC 5321 §4.4).
// These are plain values that own their strings: they are small and outlive the message buffer
// when copied into evidence.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigie {

struct Mailbox {
  std::string display_name;  // decoded (RFC 2047), unquoted, UTF-8; empty when absent
  std::string local_part;    // unquoted local part, UTF-8 (RFC 6532)
  std::string domain;        // as written (no IDNA conversion), without brackets for literals
  std::string group;         // name of the enclosing group, empty when not in a group
  // local_part@domain, or just local_part when there is no domain.
  std::string address() const { return domain.empty() ? local_part : local_part + "@" + domain; }
};

struct AddressList {
  std::vector<Mailbox> mailboxes;
  // True when the text did not follow the grammar and the result was recovered leniently, the way
  // mail clients display it.
  bool malformed = false;
  // An encoded-word decoded to a string containing '@', '<', ',' or ';' inside a display name or
  // local part: the reader sees a different address than the one mail is delivered to.
  bool encoded_word_hides_address = false;
};

struct DateTime {
  std::int64_t unix_seconds = 0;   // UTC
  std::int32_t utc_offset_minutes = 0;  // offset written in the field (-0000 reads as 0)
  bool obsolete_syntax = false;     // two-digit year, named zone, missing seconds...
};

struct ReceivedHop {
  std::string from_helo;     // name given in HELO/EHLO (the "from" word)
  std::string from_rdns;     // reverse DNS name in the parenthesised TCP-info, if any
  std::string from_ip;       // connecting client IP (v4 or v6, without brackets), if found
  std::string by;            // receiving host
  std::string with;          // protocol (SMTP, ESMTPS, LMTP...)
  std::string id;            // queue id
  std::string for_address;   // envelope recipient
  std::optional<DateTime> date;  // after the ';'
};

}  // namespace vigie

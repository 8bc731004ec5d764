// Grammars of individual header field values: unfolding (RFC 5322 §2.2.3), MIME parameters
// (RFC 2045 §5.1 with RFC 2231 continuations and charsets, and the RFC 2047-in-quotes form that
// clients accept), address lists (RFC 5322 §3.4, obsolete forms §4.4), dates (§3.3, §4.3),
// message identifiers (§3.6.4) and Received trace fields (RFC 5321 §4.4). Pure functions over the
// raw field value as it appears in the message; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/header_values.h"

namespace vigie::parse {

// Removes CRLF/LF folding (a line break followed by WSP), keeping the WSP. Trims leading and
// trailing whitespace.
std::string unfold(std::string_view raw_value);

struct Parameter {
  std::string name;   // lowercase
  std::string value;  // unquoted; RFC 2231 and RFC 2047 decoded to UTF-8
};

struct MediaParameters {
  std::string value;                // the part before the first ';', lowercase, trimmed
                                    // ("text/html", "attachment")
  std::vector<Parameter> parameters;
  bool malformed = false;           // syntax errors recovered from
  // Returns the parameter value or nullptr. Name compared case-insensitively.
  const std::string* find(std::string_view name) const;
};

// Parses Content-Type / Content-Disposition style values: "value; a=b; c*0=...; d*=utf-8''%E2".
// Continuations (name*0, name*1*...) are joined in numeric order; missing segments stop the join.
MediaParameters parse_media_parameters(std::string_view raw_value);

// Parses an address list field (From, To, Cc, Reply-To, Sender...). Always returns what a mail
// client would display, with malformed=true when it had to recover.
AddressList parse_address_list(std::string_view raw_value);

// Parses an RFC 5322 date, accepting the obsolete forms (two-digit years, named zones, missing
// seconds or day-of-week, extra comments). nullopt when no date can be recovered.
std::optional<DateTime> parse_date(std::string_view raw_value);

// Extracts "<id-left@id-right>" from Message-ID / In-Reply-To / References; returns the ids
// without angle brackets, in order. Accepts ids without brackets when the field holds one token.
std::vector<std::string> parse_message_ids(std::string_view raw_value);

// Parses a Received field: from/by/via/with/id/for clauses, TCP-info comment with reverse DNS and
// client IP in the common formats of Postfix, Sendmail, Exim, Exchange, qmail and Gmail.
ReceivedHop parse_received(std::string_view raw_value);

}  // namespace vigie::parse

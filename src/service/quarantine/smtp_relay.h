// Re-injection of a held message into the mail flow, byte for byte, through libcurl's SMTP client
// (Debian libcurl4-openssl-dev): MAIL FROM with the original envelope sender, one RCPT TO per
// original recipient (any refused recipient fails the whole release: a partial release would
// leave the message both held and delivered), then DATA.
//
// Bytes: libcurl converts no line end (CURLOPT_CRLF off) and dot-stuffs every line that starts
// with "." after CRLF (RFC 5321 section 4.5.2). It does not after a bare LF, which MTAs such as
// Postfix still read as a line end: such a line would lose its dot, and a bare-LF "." line would
// end DATA early and let the rest of the message be read as SMTP commands (SMTP smuggling).
// stuff_after_bare_lf() adds the dot libcurl leaves out, so the receiving MTA stores what was held.
// A message must end with CRLF to be stored exactly: otherwise libcurl adds one before the final
// ".", as every SMTP client must.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/result.h"

namespace vigie::service {

struct SmtpRelay {
  std::string host;   // an IP address
  std::uint16_t port = 0;
  std::chrono::milliseconds timeout{30000};  // the whole exchange
};

// "\n." not preceded by "\r" becomes "\n.." (and a leading "." when libcurl does not stuff the
// first line itself: see smtp_relay.cpp); everything else is left as it is.
std::string stuff_after_bare_lf(std::string_view data);

// Sends `data` as one message. An error says what the relay answered or why it could not be
// reached.
Result<void> smtp_send(const SmtpRelay& relay, const std::string& mail_from,
                       const std::vector<std::string>& recipients, std::string_view data);

}  // namespace vigie::service

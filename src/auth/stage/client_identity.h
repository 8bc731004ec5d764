// The SMTP client of a message: the IP address (and HELO name) SPF is checked for.
//
// From the envelope when the MTA (or the operator, --client-ip) gives it. Otherwise from the
// Received chain, read from the top down:
//   * The topmost Received header was added by our own MTA, the last to handle the message; nothing
//     below it can have been written after it, so its "from" clause records truthfully which client
//     connected to our MTA. Headers below it were written by other servers and are only as
//     trustworthy as those servers.
//   * While the connecting client recorded in the current hop is one of our trusted relays
//     ([relays] trusted: our gateways, filters, internal relays), that relay wrote the next header
//     down, so that header is trustworthy too: move down to it.
//   * The first hop whose client is not a trusted relay names the client: its IP, and its HELO name
//     when the header records one. That is the host that handed the message to our organisation.
// The walk stops without an answer when a hop records no IP (nothing to check, and guessing
// further down would trust a header written by an unknown host), when every hop's client is
// trusted (the message was written inside the organisation), or after Limits::max_header_fields
// hops at most (the chain comes from a bounded header list).
//
// `source` says where the answer came from, for the reason texts of the results.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "vigie/engine.h"
#include "vigie/message.h"

namespace vigie::auth {

struct ClientIdentity {
  std::string ip;      // empty when unknown
  std::string helo;    // the envelope's, else the chosen hop's HELO name when it records one
  std::string source;  // "envelope", "Received header 2, below 1 trusted relay", or why none
  std::string source_fr;  // the same in French ("en-tête Received 2, sous 1 relais de confiance")
  bool from_received = false;  // ip and helo were read from a Received header
};

ClientIdentity identify_client(const ParsedMessage& message, const Envelope& envelope,
                               const std::vector<IpNetwork>& trusted_relays);

}  // namespace vigie::auth

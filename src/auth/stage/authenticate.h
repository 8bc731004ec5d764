// The authentication stage of the pipeline: runs SPF, DKIM, ARC and then DMARC (which needs the
// other three) for one message and its envelope, and writes the Authentication-Results value.
// With no resolver it does no lookup at all and says so in each result: vigie never touches the
// network unless asked (--dns-zone for recorded DNS, --dns / --dns-server for live DNS).
#pragma once

#include "auth/dns/resolver.h"
#include "vigie/auth.h"
#include "vigie/config.h"
#include "vigie/engine.h"
#include "vigie/message.h"

namespace vigie::auth {

// SPF identity: the envelope's MAIL FROM, or, for an archived message, its Return-Path header
// (what the receiving MTA recorded of MAIL FROM); an empty reverse-path checks the HELO name.
AuthResults authenticate(const ParsedMessage& message, const Envelope& envelope,
                         const dns::Resolver* resolver, const AuthConfig& config = {});

}  // namespace vigie::auth

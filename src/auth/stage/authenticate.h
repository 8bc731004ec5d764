// The authentication stage of the pipeline: runs SPF, DKIM, ARC and then DMARC (which needs the
// other three) for one message and its envelope, and writes the Authentication-Results value.
// With no resolver it does no lookup at all and says so in each result: vigie never touches the
// network unless asked (--dns-zone for recorded DNS, --dns / --dns-server for live DNS).
#pragma once

#include <memory>
#include <vector>

#include "auth/dkim/shared_key_cache.h"
#include "auth/dns/budgeted_resolver.h"
#include "auth/dns/resolver.h"
#include "auth/stage/client_identity.h"
#include "vigie/auth.h"
#include "vigie/config.h"
#include "vigie/engine.h"
#include "vigie/message.h"

namespace vigie::auth {

// What the engine's configuration tells the stage; built once per Engine.
struct AuthSettings {
  dns::LookupBudget budget;              // per message, across all checks
  std::vector<IpNetwork> trusted_relays; // for the client IP when the envelope has none
  // Our own hosts ([organisation] internal_networks). Mail one of them hands over was written
  // inside the organisation: SPF and DMARC are not checked for it (a host of ours is in no public
  // SPF record, and its mail would otherwise "spoof" our own domain), and their results say why.
  std::vector<IpNetwork> internal_networks;
  AuthConfig config;                     // authserv-id, trusted ARC sealers
  // DKIM and ARC keys shared by every message authenticated with these settings (so, by the
  // engine that owns them and all its workers); null keeps keys for one message only.
  std::shared_ptr<dkim::SharedKeyCache> key_cache = std::make_shared<dkim::SharedKeyCache>();
};

// SPF identity: the envelope's MAIL FROM, or, for an archived message, its Return-Path header
// (what the receiving MTA recorded of MAIL FROM); an empty reverse-path checks the HELO name.
// Client IP and HELO: the envelope's, else the Received chain's (client_identity.h); the reason
// of the SPF result says when they came from a Received header. The resolver is wrapped in one
// BudgetedResolver for the whole message.
AuthResults authenticate(const ParsedMessage& message, const Envelope& envelope,
                         const dns::Resolver* resolver, const AuthSettings& settings = {});

}  // namespace vigie::auth

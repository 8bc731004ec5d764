// ARC chain validation, RFC 8617 §5.2. Entry point: validate_arc(message, resolver, now_unix),
// one ArcAuthResult for the message's whole chain (none, pass or fail, with the failed instance
// and the reason). It never throws for any message or DNS content.
//
// ARC-Message-Signatures are verified by the DKIM code (src/auth/dkim: same tags, same hashing,
// i= being the instance), ARC-Seals with DKIM's keys and crypto over the header data of §5.1.1.
// Time is a parameter, as for DKIM.
#pragma once

#include <cstdint>

#include "auth/dkim/dkim.h"
#include "auth/dns/resolver.h"
#include "vigie/auth.h"
#include "vigie/message.h"

namespace vigie::auth::arc {

struct ArcOptions {
  // RFC 8617 §4.2.1: at most 50 ARC sets; more (or an i= above this) fails the chain.
  unsigned max_instances = dkim::kMaxArcInstance;
  // Key size, clock skew: the same rules as DKIM signatures.
  dkim::DkimOptions dkim;
};

ArcAuthResult validate_arc(const dkim::SignedMessage& message, dkim::KeyCache& keys,
                           std::int64_t now_unix, const ArcOptions& options = {});
ArcAuthResult validate_arc(const ParsedMessage& message, const dns::Resolver& resolver,
                           std::int64_t now_unix, const ArcOptions& options = {});

}  // namespace vigie::auth::arc

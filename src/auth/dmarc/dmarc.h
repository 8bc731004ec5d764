// DMARC, RFC 7489: policy record discovery, identifier alignment, result and disposition.
//
// evaluate() takes what the other checks found (SPF, DKIM, ARC) and the RFC5322.From domain, looks
// the policy up (_dmarc.<from domain>, then _dmarc.<organizational domain> per §6.6.3, the
// organizational domain from the public suffix list via libpsl), and decides:
//   * result: pass when an SPF pass or a DKIM pass is aligned with the From domain (relaxed: same
//     organizational domain; strict: same domain — adkim=/aspf=), fail otherwise; none without a
//     usable record; temperror when the record lookup failed; permerror when the From header does
//     not name exactly one domain.
//   * policy: p=, or sp= when the record was found at the organizational domain for a subdomain.
//   * disposition: on fail, the policy — sampled by pct= (§6.6.4: a message outside the sample gets
//     the next weaker policy), and overridden to none when the ARC chain passed and was sealed by a
//     configured trusted sealer (§7.2.1 local policy; RFC 8617 §7.2.1).
// Sampling is deterministic (a hash of the caller's sample key, the Message-ID), so a replayed
// scan decides the same way.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/dns/resolver.h"
#include "vigie/auth.h"
#include "vigie/result.h"

namespace vigie::auth::dmarc {

enum class Alignment : std::uint8_t { kRelaxed, kStrict };

struct DmarcRecord {
  DmarcPolicy policy = DmarcPolicy::kNone;      // p=
  std::optional<DmarcPolicy> subdomain_policy;  // sp=
  Alignment dkim_alignment = Alignment::kRelaxed;
  Alignment spf_alignment = Alignment::kRelaxed;
  unsigned pct = 100;
  std::vector<std::string> aggregate_reports;   // rua= URIs, for analysts
};

// Parses a TXT record's text. Errors say which tag is wrong. Per §6.6.3, a record with a missing
// or invalid p= is still usable as p=none when it has a valid rua=; otherwise it is an error.
Result<DmarcRecord> parse_record(std::string_view text);

struct DmarcInputs {
  std::string_view from_domain;              // empty when From has no or several domains
  std::string_view from_problem;             // why from_domain is empty
  std::string_view from_problem_fr;          // the same in French
  const SpfAuthResult* spf = nullptr;
  std::span<const DkimAuthResult> dkim;
  const ArcAuthResult* arc = nullptr;
  std::span<const std::string> trusted_arc_sealers;  // lowercase domains
  std::string_view sample_key;               // Message-ID: deterministic pct= sampling
};

DmarcAuthResult evaluate(const dns::Resolver& resolver, const DmarcInputs& inputs);

}  // namespace vigie::auth::dmarc

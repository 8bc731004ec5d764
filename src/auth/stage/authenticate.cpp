// Authentication stage: gathers the identities from the envelope and the message, then runs each
// check. Every missing input becomes result "none" with a reason rather than a guess.
#include "auth/stage/authenticate.h"

#include <algorithm>
#include <chrono>

#include "auth/arc/arc.h"
#include "auth/dkim/dkim.h"
#include "auth/dmarc/dmarc.h"
#include "common/ip_address.h"
#include "auth/spf/spf.h"
#include "auth/stage/authentication_results.h"

namespace vigie::auth {
namespace {

LocalizedText no_dns() {
  return {"no DNS source: give --dns-zone FILE, --dns or --dns-server IP[:PORT]",
          "pas de source DNS : indiquez --dns-zone FICHIER, --dns ou --dns-server IP[:PORT]"};
}

LocalizedText no_arc_headers() { return {"no ARC headers", "pas d'en-têtes ARC"}; }

// RFC 7489 §6.6.1: DMARC applies to the single author domain of the From header.
struct FromDomain {
  std::string domain;
  std::string problem;
  std::string problem_fr;
};

FromDomain from_domain(const ParsedMessage& message) {
  FromDomain out;
  const AddressList from = message.addresses("From");
  std::string domain;
  for (const Mailbox& m : from.mailboxes) {
    std::string d = m.domain;
    for (char& c : d) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (d.empty()) continue;
    if (!domain.empty() && d != domain) {
      out.problem = "the From header names authors in several domains";
      out.problem_fr = "l'en-tête From nomme des auteurs de plusieurs domaines";
      return out;
    }
    domain = std::move(d);
  }
  if (domain.empty()) {
    out.problem = from.mailboxes.empty() ? "no From address" : "the From address has no domain";
    out.problem_fr = from.mailboxes.empty() ? "pas d'adresse From" : "l'adresse From n'a pas de domaine";
  }
  out.domain = std::move(domain);
  return out;
}

DmarcAuthResult check_dmarc(const ParsedMessage& message, const AuthResults& results,
                            const dns::Resolver* resolver, const AuthConfig& config) {
  const FromDomain from = from_domain(message);
  if (resolver == nullptr) {
    DmarcAuthResult out;
    out.from_domain = from.domain;
    set_reason(out, no_dns());
    return out;
  }
  const std::string message_id = message.message_id();
  dmarc::DmarcInputs inputs;
  inputs.from_domain = from.domain;
  inputs.from_problem = from.problem;
  inputs.from_problem_fr = from.problem_fr;
  inputs.spf = &results.spf;
  inputs.dkim = results.dkim;
  inputs.arc = &results.arc;
  inputs.trusted_arc_sealers = config.trusted_arc_sealers;
  inputs.sample_key = message_id;
  return dmarc::evaluate(*resolver, inputs);
}

// SPF's seven results are RFC 8601 result codes under the same names (RFC 7208 §2.6).
AuthResultCode result_code(spf::SpfResult result) {
  switch (result) {
    case spf::SpfResult::kNone: return AuthResultCode::kNone;
    case spf::SpfResult::kNeutral: return AuthResultCode::kNeutral;
    case spf::SpfResult::kPass: return AuthResultCode::kPass;
    case spf::SpfResult::kFail: return AuthResultCode::kFail;
    case spf::SpfResult::kSoftFail: return AuthResultCode::kSoftFail;
    case spf::SpfResult::kTempError: return AuthResultCode::kTempError;
    case spf::SpfResult::kPermError: return AuthResultCode::kPermError;
  }
  return AuthResultCode::kPermError;
}

// The reverse-path as the receiving MTA recorded it in Return-Path (RFC 5321 §4.4).
std::optional<std::string> return_path(const ParsedMessage& message) {
  if (message.header("Return-Path") == nullptr) return std::nullopt;
  const AddressList list = message.addresses("Return-Path");
  return list.mailboxes.empty() ? std::string() : list.mailboxes.front().address();
}

SpfAuthResult check_spf(const ParsedMessage& message, const Envelope& envelope,
                        const ClientIdentity& client, const dns::Resolver* resolver) {
  SpfAuthResult out;
  if (resolver == nullptr) {
    set_reason(out, no_dns());
    return out;
  }
  if (client.ip.empty()) {
    set_reason(out, {client.source, client.source_fr});
    return out;
  }
  const std::optional<IpAddress> ip = IpAddress::parse(client.ip);
  if (!ip) {
    set_reason(out, {"client IP '" + client.ip + "' is not an IPv4 or IPv6 address",
                     "l'IP du client '" + client.ip + "' n'est pas une adresse IPv4 ou IPv6"});
    return out;
  }
  std::string mail_from = envelope.mail_from;
  if (mail_from.empty()) {
    if (const auto recorded = return_path(message)) mail_from = *recorded;
  }
  if (mail_from.empty() && client.helo.empty()) {
    set_reason(out, {"no MAIL FROM (or Return-Path) and no HELO name to check",
                     "ni MAIL FROM (ou Return-Path) ni nom HELO à vérifier"});
    return out;
  }
  const spf::SpfOutcome outcome = spf::check_mail_from(*resolver, *ip, mail_from, client.helo);
  const std::size_t at = mail_from.rfind('@');
  if (!mail_from.empty()) {
    out.identity = "mailfrom";
    out.domain = at == std::string::npos ? mail_from : mail_from.substr(at + 1);
  } else {
    out.identity = "helo";
    out.domain = client.helo;
  }
  out.result = result_code(outcome.result);
  out.explanation = outcome.explanation;
  LocalizedText reason{outcome.reason, outcome.reason_fr.empty() ? outcome.reason : outcome.reason_fr};
  if (client.from_received) {
    reason.en += " (client IP " + client.ip + " from " + client.source + ")";
    reason.fr += " (IP du client " + client.ip + " selon l'" + client.source_fr + ")";
  }
  set_reason(out, std::move(reason));
  return out;
}

// Signatures are checked against the time of delivery when the envelope knows it (an archived
// message replayed later must not fail on x= expiry), else the clock.
std::int64_t verification_time(const Envelope& envelope) {
  if (envelope.received_at != 0) return envelope.received_at;
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool has_field(const ParsedMessage& message, std::string_view name) {
  return message.header(name) != nullptr;
}

// Whether the SMTP client is one of our own hosts.
bool is_internal_client(const ClientIdentity& client, const std::vector<IpNetwork>& internal_networks) {
  const std::optional<IpAddress> ip = IpAddress::parse(client.ip);
  return ip && std::any_of(internal_networks.begin(), internal_networks.end(),
                           [&](const IpNetwork& network) { return network.contains(*ip); });
}

LocalizedText sent_from_inside(const ClientIdentity& client) {
  return {"client " + client.ip + " is one of our own hosts (internal_networks): not checked",
          "le client " + client.ip + " est l'un de nos hôtes (internal_networks) : non vérifié"};
}

}  // namespace

AuthResults authenticate(const ParsedMessage& message, const Envelope& envelope,
                         const dns::Resolver* resolver, const AuthSettings& settings) {
  AuthResults results;
  // One lookup budget for every check of this message.
  std::optional<dns::BudgetedResolver> budgeted;
  if (resolver != nullptr) budgeted.emplace(*resolver, settings.budget);
  const dns::Resolver* dns = budgeted ? &*budgeted : nullptr;
  const ClientIdentity client = identify_client(message, envelope, settings.trusted_relays);
  // Without DNS nothing is checked anyway, and the results say that first.
  const bool internal = dns != nullptr && is_internal_client(client, settings.internal_networks);
  if (internal) {
    set_reason(results.spf, sent_from_inside(client));
  } else {
    results.spf = check_spf(message, envelope, client, dns);
  }
  const bool signed_message = has_field(message, "DKIM-Signature");
  const bool sealed = has_field(message, "ARC-Seal") || has_field(message, "ARC-Message-Signature");
  if (dns == nullptr) {
    set_reason(results.arc, no_dns());
  } else if (signed_message || sealed) {
    // One signed view and one key cache per message: a domain that signs and seals is one lookup.
    const dkim::SignedMessage signed_view(message);
    dkim::KeyCache keys(*dns, settings.key_cache.get());
    const std::int64_t now = verification_time(envelope);
    if (signed_message) results.dkim = dkim::verify_dkim(signed_view, keys, now);
    if (sealed) {
      results.arc = arc::validate_arc(signed_view, keys, now);
    } else {
      set_reason(results.arc, no_arc_headers());
    }
  } else {
    set_reason(results.arc, no_arc_headers());
  }
  const AuthConfig& config = settings.config;
  if (internal) {
    results.dmarc.from_domain = from_domain(message).domain;
    set_reason(results.dmarc, sent_from_inside(client));
  } else {
    results.dmarc = check_dmarc(message, results, dns, config);
  }
  // Without DNS no method ran: the header says so rather than report unevaluated "none"s.
  results.authentication_results =
      dns == nullptr ? config.authserv_id + "; none"
                     : authentication_results_header(config.authserv_id, results);
  return results;
}

}  // namespace vigie::auth

// Authentication stage: gathers the identities from the envelope and the message, then runs each
// check. Every missing input becomes result "none" with a reason rather than a guess.
#include "auth/stage/authenticate.h"

#include "auth/dns/ip_address.h"
#include "auth/spf/spf.h"

namespace vigie::auth {
namespace {

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
    out.reason = "no DNS source: give --dns-zone FILE, --dns or --dns-server IP[:PORT]";
    return out;
  }
  if (client.ip.empty()) {
    out.reason = client.source;
    return out;
  }
  const std::optional<dns::IpAddress> ip = dns::IpAddress::parse(client.ip);
  if (!ip) {
    out.reason = "client IP '" + client.ip + "' is not an IPv4 or IPv6 address";
    return out;
  }
  std::string mail_from = envelope.mail_from;
  if (mail_from.empty()) {
    if (const auto recorded = return_path(message)) mail_from = *recorded;
  }
  if (mail_from.empty() && client.helo.empty()) {
    out.reason = "no MAIL FROM (or Return-Path) and no HELO name to check";
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
  out.result = std::string(spf::to_string(outcome.result));
  out.explanation = outcome.explanation;
  out.reason = outcome.reason;
  if (client.from_received) {
    out.reason += " (client IP " + client.ip + " from " + client.source + ")";
  }
  return out;
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
  results.spf = check_spf(message, envelope, client, dns);
  return results;
}

}  // namespace vigie::auth

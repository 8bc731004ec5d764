// check_host(), RFC 7208 §4–§8. This file owns the evaluation of SPF records over a Resolver:
// record selection (§4.4–§4.5), the mechanisms (§5) with their DNS lookups, redirect= and exp=
// (§6), the macro context (§7) and every processing limit of §4.6.4 — 10 DNS-querying terms, 2
// void lookups, 10 MX names, 10 PTR names — counted across includes and redirects of one check.
// Records and DNS answers are untrusted: the work done is bounded by those limits and by the
// recursion depth, and every malformed input becomes permerror, every DNS failure temperror.
#include "auth/spf/spf.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <vector>

#include "auth/spf/macro.h"
#include "auth/spf/record.h"
#include "common/ascii.h"

namespace vigie::auth::spf {
namespace {

using ascii::iequals;
using ascii::lower;

using dns::DnsAnswer;
using dns::DnsStatus;
using dns::RecordType;

// Includes and redirects each consume a DNS term, so max_dns_terms bounds the depth already; this
// guards against a caller raising that option to something huge.
constexpr int kMaxRecursionDepth = 32;

std::string_view strip_root_dot(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return name;
}

// name equals domain or is a subdomain of it (§5.5), case-insensitively.
bool is_same_or_subdomain(std::string_view name, std::string_view domain) {
  name = strip_root_dot(name);
  domain = strip_root_dot(domain);
  if (iequals(name, domain)) return true;
  return name.size() > domain.size() + 1 &&
         iequals(name.substr(name.size() - domain.size()), domain) &&
         name[name.size() - domain.size() - 1] == '.';
}

// A name a DNS query can be composed from: 1–63 byte labels, at most 253 bytes (RFC 1035 §2.3.4).
bool is_queryable(std::string_view name) {
  if (name.empty() || name.size() > kMaxDomainLength) return false;
  std::size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (++label > kMaxLabelLength) {
      return false;
    }
  }
  return label != 0;
}

// §7.3: an expanded name longer than 253 bytes loses whole labels on the left until it fits.
std::string truncate_left(std::string name) {
  while (name.size() > kMaxDomainLength) {
    const std::size_t dot = name.find('.');
    if (dot == std::string::npos) return {};
    name.erase(0, dot + 1);
  }
  return name;
}

// in-addr.arpa / ip6.arpa name of an address (§5.5).
std::string reverse_name(const IpAddress& ip) {
  std::string out;
  if (ip.is_v4()) {
    for (int i = 3; i >= 0; --i) out += std::to_string(ip.bytes[i]) + ".";
    return out + "in-addr.arpa";
  }
  for (int i = 15; i >= 0; --i) {
    out += ascii::hex_digit(ip.bytes[i]);
    out += '.';
    out += ascii::hex_digit(ip.bytes[i] >> 4);
    out += '.';
  }
  return out + "ip6.arpa";
}

SpfResult result_of(Qualifier q) {
  switch (q) {
    case Qualifier::kPass: return SpfResult::kPass;
    case Qualifier::kFail: return SpfResult::kFail;
    case Qualifier::kSoftFail: return SpfResult::kSoftFail;
    case Qualifier::kNeutral: return SpfResult::kNeutral;
  }
  return SpfResult::kNeutral;
}

struct Verdict {
  SpfResult result = SpfResult::kNone;
  std::string explanation;
  LocalizedText reason;
};

// Outcome of one mechanism: match, no match, or an error that ends check_host() (kAbort).
struct Step {
  enum class Kind : std::uint8_t { kMatch, kNoMatch, kAbort } kind = Kind::kNoMatch;
  SpfResult abort_result = SpfResult::kPermError;
  LocalizedText reason;

  static Step match() { return {Kind::kMatch, SpfResult::kPass, {}}; }
  static Step no_match(LocalizedText why = {}) { return {Kind::kNoMatch, SpfResult::kPass, std::move(why)}; }
  static Step abort(SpfResult result, LocalizedText why) { return {Kind::kAbort, result, std::move(why)}; }
};

class Evaluator {
 public:
  Evaluator(const dns::Resolver& resolver, const SpfRequest& request, const SpfOptions& options)
      : resolver_(resolver), request_(request), options_(options), ip_(request.ip.unmapped()) {
    // §4.3: an empty local-part becomes "postmaster"; a sender without '@' is a bare domain.
    const std::string_view sender = request.sender;
    const std::size_t at = sender.rfind('@');
    std::string_view local = at == std::string_view::npos ? std::string_view() : sender.substr(0, at);
    sender_domain_ = std::string(at == std::string_view::npos ? sender : sender.substr(at + 1));
    local_part_ = local.empty() ? std::string("postmaster") : std::string(local);
    sender_ = local_part_ + "@" + sender_domain_;
    timestamp_ = options.timestamp.value_or(static_cast<std::int64_t>(std::time(nullptr)));
  }

  SpfOutcome run() {
    Verdict verdict = check(request_.domain, /*want_explanation=*/true, 0);
    SpfOutcome outcome;
    outcome.result = verdict.result;
    if (verdict.result == SpfResult::kFail) outcome.explanation = std::move(verdict.explanation);
    outcome.reason_fr = french_unless_same(verdict.reason);
    outcome.reason = std::move(verdict.reason.en);
    outcome.dns_terms = dns_terms_;
    outcome.void_lookups = void_lookups_;
    return outcome;
  }

 private:
  // check_host(<ip>, domain, <sender>), §4. want_explanation is false inside include (§6.2: the
  // included record's exp= is never used), which saves its lookups.
  Verdict check(std::string_view domain_in, bool want_explanation, int depth) {
    const std::string domain(strip_root_dot(domain_in));
    if (depth > kMaxRecursionDepth) {
      return {SpfResult::kPermError, {},
              {"include/redirect nesting deeper than 32", "imbrication d'include/redirect plus profonde que 32"}};
    }
    // §4.3: a malformed or single-label domain (or an address literal) has no SPF policy.
    if (!is_queryable(domain) || domain.find('.') == std::string::npos || domain.front() == '[') {
      return {SpfResult::kNone, {},
              {"'" + domain + "' is not a valid domain name (RFC 7208 §4.3)",
               "'" + domain + "' n'est pas un nom de domaine valide (RFC 7208 §4.3)"}};
    }
    // §4.4: TXT only (the SPF RR type is obsolete, §3.1).
    const DnsAnswer answer = resolver_.lookup(domain, RecordType::kTxt);
    if (answer.status == DnsStatus::kTempError) {
      return {SpfResult::kTempError, {},
              {"TXT lookup for " + domain + " failed: " + answer.detail,
               "échec de la recherche TXT pour " + domain + " : " + answer.detail_in_french()}};
    }
    std::vector<std::string> spf_records;
    for (const auto& record : answer.records) {
      std::string text;
      for (const auto& piece : record.strings) text += piece;  // §3.3: joined without spaces
      if (is_spf_record(text)) spf_records.push_back(std::move(text));
    }
    if (spf_records.empty()) {
      return {SpfResult::kNone, {}, {"no SPF record at " + domain, "aucun enregistrement SPF pour " + domain}};
    }
    if (spf_records.size() > 1) {
      const std::string count = std::to_string(spf_records.size());
      return {SpfResult::kPermError, {},
              {count + " SPF records at " + domain + " (RFC 7208 §4.5)",
               count + " enregistrements SPF pour " + domain + " (RFC 7208 §4.5)"}};
    }
    auto record = parse_record(spf_records.front());
    if (!record) {
      return {SpfResult::kPermError, {},
              {"SPF record of " + domain + ": " + record.error().message,
               "enregistrement SPF de " + domain + " invalide : " + record.error().message_in_french()}};
    }

    for (const Mechanism& mechanism : record->mechanisms) {
      Step step = evaluate(mechanism, domain, depth);
      if (step.kind == Step::Kind::kAbort) return {step.abort_result, {}, std::move(step.reason)};
      if (step.kind == Step::Kind::kNoMatch) continue;
      Verdict verdict;
      verdict.result = result_of(mechanism.qualifier);
      verdict.reason = {"'" + mechanism.text + "' matched in the SPF record of " + domain,
                        "'" + mechanism.text + "' correspond dans l'enregistrement SPF de " + domain};
      if (verdict.result == SpfResult::kFail && want_explanation) {
        verdict.explanation = explanation(*record, domain);
      }
      return verdict;
    }

    if (record->redirect) {
      // §6.1: redirect applies only when no mechanism matched; it is a DNS-querying term.
      if (!count_dns_term()) return limit_exceeded();
      auto target = target_name(*record->redirect, domain);
      if (!target) {
        return {SpfResult::kPermError, {},
                {"redirect=: " + target.error().message, "redirect= : " + target.error().message_in_french()}};
      }
      Verdict redirected = check(*target, want_explanation, depth + 1);
      if (redirected.result == SpfResult::kNone) {
        // §6.1: no record (or a malformed target) behind redirect is a permerror, not none.
        return {SpfResult::kPermError, {},
                {"redirect=" + *target + ": " + redirected.reason.en,
                 "redirect=" + *target + " : " + redirected.reason.fr}};
      }
      return redirected;  // with the target's own explanation (§6.2)
    }
    return {SpfResult::kNeutral, {},
            {"no mechanism matched in the SPF record of " + domain,
             "aucun mécanisme ne correspond dans l'enregistrement SPF de " + domain}};
  }

  Step evaluate(const Mechanism& mechanism, const std::string& domain, int depth) {
    switch (mechanism.kind) {
      case MechanismKind::kAll:
        return Step::match();
      case MechanismKind::kIp4:
        return ip_.is_v4() && ip_.in_network(mechanism.network, mechanism.cidr4) ? Step::match()
                                                                                 : Step::no_match();
      case MechanismKind::kIp6:
        // §5: an IPv4 (or IPv4-mapped) client never matches ip6.
        return !ip_.is_v4() && ip_.in_network(mechanism.network, mechanism.cidr6)
                   ? Step::match()
                   : Step::no_match();
      default:
        break;
    }
    // include, a, mx, ptr, exists: one DNS-querying term each (§4.6.4).
    if (!count_dns_term()) return Step::abort(SpfResult::kPermError, limit_exceeded().reason);
    auto target = target_name(mechanism.domain_spec, domain);
    if (!target) {
      return Step::abort(SpfResult::kPermError, {"'" + mechanism.text + "': " + target.error().message,
                                                 "'" + mechanism.text + "' : " + target.error().message_in_french()});
    }
    if (mechanism.kind == MechanismKind::kInclude) return include(mechanism, *target, depth);
    // A target no query can be built from (empty or long label, possibly from a macro) is treated
    // as non-existent, by analogy with §4.3 (the RFC leaves this open; the suite accepts it).
    if (!is_queryable(*target)) {
      return Step::no_match({"'" + *target + "' is not a valid name", "'" + *target + "' n'est pas un nom valide"});
    }
    switch (mechanism.kind) {
      case MechanismKind::kA: return a(mechanism, *target);
      case MechanismKind::kMx: return mx(mechanism, *target);
      case MechanismKind::kPtr: return ptr(*target);
      case MechanismKind::kExists: return exists(*target);
      default: return Step::no_match();
    }
  }

  // §5.2: pass matches; fail, softfail and neutral do not; temperror and permerror propagate; none
  // is a permerror.
  Step include(const Mechanism& mechanism, const std::string& target, int depth) {
    Verdict inner = check(target, /*want_explanation=*/false, depth + 1);
    switch (inner.result) {
      case SpfResult::kPass: return Step::match();
      case SpfResult::kFail:
      case SpfResult::kSoftFail:
      case SpfResult::kNeutral: return Step::no_match();
      case SpfResult::kTempError: return Step::abort(SpfResult::kTempError, std::move(inner.reason));
      case SpfResult::kPermError: return Step::abort(SpfResult::kPermError, std::move(inner.reason));
      case SpfResult::kNone: break;
    }
    return Step::abort(SpfResult::kPermError, {"'" + mechanism.text + "': " + inner.reason.en + " (RFC 7208 §5.2)",
                                               "'" + mechanism.text + "' : " + inner.reason.fr + " (RFC 7208 §5.2)"});
  }

  // §5.3: the client matches any A (IPv4 client) or AAAA (IPv6 client) record of the target.
  Step a(const Mechanism& mechanism, const std::string& target) {
    const DnsAnswer answer = resolver_.lookup(target, address_type());
    if (answer.status == DnsStatus::kTempError) return dns_error(target, answer);
    if (answer.status != DnsStatus::kRecords) return void_lookup(target);
    return any_address_matches(answer, mechanism) ? Step::match() : Step::no_match();
  }

  // §5.4: the addresses of every MX exchange; more than 10 MX records is a permerror (§4.6.4).
  Step mx(const Mechanism& mechanism, const std::string& target) {
    DnsAnswer answer = resolver_.lookup(target, RecordType::kMx);
    if (answer.status == DnsStatus::kTempError) return dns_error(target, answer);
    if (answer.status != DnsStatus::kRecords) return void_lookup(target);
    if (answer.records.size() > kMaxMxNames) {
      const std::string count = std::to_string(answer.records.size());
      return Step::abort(SpfResult::kPermError,
                         {target + " has " + count + " MX records, more than 10 (RFC 7208 §4.6.4)",
                          target + " a " + count + " enregistrements MX, plus de 10 (RFC 7208 §4.6.4)"});
    }
    std::stable_sort(answer.records.begin(), answer.records.end(),
                     [](const auto& x, const auto& y) { return x.preference < y.preference; });
    for (const auto& record : answer.records) {
      const std::string_view exchange = strip_root_dot(record.name);
      if (exchange.empty() || !is_queryable(exchange)) continue;  // null MX (RFC 7505)
      const DnsAnswer hosts = resolver_.lookup(exchange, address_type());
      if (hosts.status == DnsStatus::kTempError) return dns_error(std::string(exchange), hosts);
      if (any_address_matches(hosts, mechanism)) return Step::match();
    }
    return Step::no_match();
  }

  // §5.5: a validated PTR name equal to or under the target.
  Step ptr(const std::string& target) {
    const DnsAnswer& names = ptr_names();
    // §5.5: "If a DNS error occurs while doing the PTR RR lookup, then this mechanism fails to
    // match."
    if (names.status == DnsStatus::kTempError) return Step::no_match({"PTR lookup failed", "échec de la recherche PTR"});
    if (names.status != DnsStatus::kRecords) return void_lookup(reverse_name(ip_));
    std::size_t checked = 0;
    for (const auto& record : names.records) {
      if (++checked > kMaxPtrNames) break;  // §4.6.4: the rest are ignored
      if (is_same_or_subdomain(record.name, target) && is_validated(record.name)) {
        return Step::match();
      }
    }
    return Step::no_match();
  }

  // §5.7: any A record (always A, whatever the client's family).
  Step exists(const std::string& target) {
    const DnsAnswer answer = resolver_.lookup(target, RecordType::kA);
    if (answer.status == DnsStatus::kTempError) return dns_error(target, answer);
    if (answer.status != DnsStatus::kRecords) return void_lookup(target);
    return Step::match();
  }

  RecordType address_type() const { return ip_.is_v4() ? RecordType::kA : RecordType::kAaaa; }

  bool any_address_matches(const DnsAnswer& answer, const Mechanism& mechanism) const {
    const unsigned prefix = ip_.is_v4() ? mechanism.cidr4 : mechanism.cidr6;
    for (const auto& record : answer.records) {
      if (ip_.in_network(record.address, prefix)) return true;
    }
    return false;
  }

  // §5: a server failure or timeout ends check_host() with temperror.
  static Step dns_error(const std::string& name, const DnsAnswer& answer) {
    return Step::abort(SpfResult::kTempError, {"DNS lookup for " + name + " failed: " + answer.detail,
                                               "échec de la recherche DNS pour " + name + " : " + answer.detail_in_french()});
  }

  // §4.6.4: NXDOMAIN or an empty answer is a void lookup; a third one is a permerror.
  Step void_lookup(const std::string& name) {
    if (++void_lookups_ > options_.max_void_lookups) {
      const std::string limit = std::to_string(options_.max_void_lookups);
      return Step::abort(SpfResult::kPermError,
                         {"more than " + limit + " void DNS lookups (RFC 7208 §4.6.4), last " + name,
                          "plus de " + limit + " recherches DNS sans réponse (RFC 7208 §4.6.4), la dernière pour " +
                              name});
    }
    return Step::no_match({name + " has no such record", name + " n'a pas d'enregistrement de ce type"});
  }

  bool count_dns_term() { return ++dns_terms_ <= options_.max_dns_terms; }

  Verdict limit_exceeded() const {
    const std::string limit = std::to_string(options_.max_dns_terms);
    return {SpfResult::kPermError, {},
            {"more than " + limit + " DNS-querying terms (RFC 7208 §4.6.4)",
             "plus de " + limit + " termes qui interrogent le DNS (RFC 7208 §4.6.4)"}};
  }

  // Expands a domain-spec (empty: the current domain), drops the root dot and applies §7.3
  // left truncation.
  Result<std::string> target_name(std::string_view spec, const std::string& domain) {
    if (spec.empty()) return domain;
    auto expanded = expand_macros(spec, MacroScope::kDomainSpec, context(domain));
    if (!expanded) return fail(std::move(expanded.error()));
    return truncate_left(std::string(strip_root_dot(*expanded)));
  }

  // §6.2: the exp= text, or the default when anything about it fails.
  std::string explanation(const Record& record, const std::string& domain) {
    if (record.explanation) {
      auto target = target_name(*record.explanation, domain);
      if (target && is_queryable(*target)) {
        const DnsAnswer answer = resolver_.lookup(*target, RecordType::kTxt);
        if (answer.status == DnsStatus::kRecords && answer.records.size() == 1) {
          std::string text;
          for (const auto& piece : answer.records.front().strings) text += piece;
          auto expanded = expand_macros(text, MacroScope::kExplanation, context(domain));
          if (expanded) return std::move(*expanded);
        }
      }
    }
    auto fallback =
        expand_macros(options_.default_explanation, MacroScope::kExplanation, context(domain));
    return fallback ? std::move(*fallback) : options_.default_explanation;
  }

  MacroContext context(const std::string& domain) {
    MacroContext c;
    c.sender = sender_;
    c.local_part = local_part_;
    c.sender_domain = sender_domain_;
    c.domain = domain;
    c.ip = ip_;
    c.helo = request_.helo;
    c.receiver = options_.receiver;
    c.timestamp = timestamp_;
    c.validated_name = [this, &domain] { return validated_name(domain); };
    return c;
  }

  // PTR names of the client, looked up once per check (ptr mechanisms and %{p} share them).
  const DnsAnswer& ptr_names() {
    if (!ptr_answer_) ptr_answer_ = resolver_.lookup(reverse_name(ip_), RecordType::kPtr);
    return *ptr_answer_;
  }

  // §5.5: a name is validated when one of its addresses is the client's. DNS errors skip the name.
  bool is_validated(const std::string& name) {
    const std::string key(strip_root_dot(name));
    if (auto found = validated_.find(key); found != validated_.end()) return found->second;
    const DnsAnswer answer = resolver_.lookup(key, address_type());
    bool ok = false;
    for (const auto& record : answer.records) ok = ok || record.address == ip_;
    validated_.emplace(key, ok);
    return ok;
  }

  // %{p} (§7.3): a validated name under <domain> if any, else any validated name, else "unknown".
  std::string validated_name(const std::string& domain) {
    const DnsAnswer& names = ptr_names();
    std::string any;
    std::size_t checked = 0;
    for (const auto& record : names.records) {
      if (++checked > kMaxPtrNames) break;
      if (!is_validated(record.name)) continue;
      const std::string name(strip_root_dot(record.name));
      if (is_same_or_subdomain(name, domain)) return name;
      if (any.empty()) any = name;
    }
    return any.empty() ? std::string("unknown") : any;
  }

  const dns::Resolver& resolver_;
  const SpfRequest& request_;
  const SpfOptions& options_;
  IpAddress ip_;
  std::string sender_;
  std::string local_part_;
  std::string sender_domain_;
  std::int64_t timestamp_ = 0;
  unsigned dns_terms_ = 0;
  unsigned void_lookups_ = 0;
  std::optional<DnsAnswer> ptr_answer_;
  std::map<std::string, bool> validated_;
};

}  // namespace

std::string_view to_string(SpfResult result) {
  switch (result) {
    case SpfResult::kNone: return "none";
    case SpfResult::kNeutral: return "neutral";
    case SpfResult::kPass: return "pass";
    case SpfResult::kFail: return "fail";
    case SpfResult::kSoftFail: return "softfail";
    case SpfResult::kTempError: return "temperror";
    case SpfResult::kPermError: return "permerror";
  }
  return "?";
}

SpfOutcome check_host(const dns::Resolver& resolver, const SpfRequest& request,
                      const SpfOptions& options) {
  return Evaluator(resolver, request, options).run();
}

SpfOutcome check_helo(const dns::Resolver& resolver, const IpAddress& ip,
                      std::string_view helo, const SpfOptions& options) {
  // §2.3: the HELO identity is checked as postmaster@helo.
  SpfRequest request;
  request.ip = ip;
  request.domain = std::string(helo);
  request.sender = "postmaster@" + std::string(helo);
  request.helo = std::string(helo);
  return check_host(resolver, request, options);
}

SpfOutcome check_mail_from(const dns::Resolver& resolver, const IpAddress& ip,
                           std::string_view mail_from, std::string_view helo,
                           const SpfOptions& options) {
  // §2.4: a null reverse-path (bounces) is checked as postmaster@helo.
  if (mail_from.empty()) return check_helo(resolver, ip, helo, options);
  SpfRequest request;
  request.ip = ip;
  const std::size_t at = mail_from.rfind('@');
  request.domain = std::string(at == std::string_view::npos ? mail_from : mail_from.substr(at + 1));
  request.sender = std::string(mail_from);
  request.helo = std::string(helo);
  return check_host(resolver, request, options);
}

}  // namespace vigie::auth::spf

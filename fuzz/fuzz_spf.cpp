// Fuzz target for SPF (src/auth/spf/): record syntax (record.h), macro-strings (macro.h) and
// check_host() end to end (spf.h) over recorded DNS. SPF records, exp= texts and every name a macro
// builds come from DNS, i.e. from whoever owns the sender's domain, so all three must survive any
// bytes and keep the RFC 7208 §4.6.4 limits. It owns only the harness and the input layout below,
// which the seeds in seeds/spf/ follow:
//
//   the last byte          picks the SMTP client address (index into kClients);
//   the byte before it     picks the identity: sender/HELO pair (low 3 bits, kIdentities) and which
//                          entry point runs (bits 3-4: check_mail_from, check_helo, check_host);
//   the rest (payload)     is split on '\n' into up to 4 lines, published as TXT at kTxtNames[i]
//                          (example.com, inc.example.com, a.example.com, exp.example.com); within
//                          a line, 0x1e separates TXT records and 0x1f the character-strings of one
//                          record (§3.3 joins them). An empty line publishes nothing; lines after
//                          the 4th are ignored.
//
// Each record text is also given to parse_record() and, in both scopes and with two contexts (IPv4
// and IPv6 client, a 2 KB sender), to expand_macros() and check_macro_string(). The rest of the
// zone (addresses, MX, PTR, CNAMEs, timeouts, the limit cases) is fixed and built in code.
//
// Besides crashes, it checks what the headers promise: parse results consistent with
// is_spf_record() and domain_spec_error(), CIDR lengths in range; expansion bounded by
// kMaxMacroExpansion and failing exactly as check_macro_string() does; check_host() returning one
// of the seven results, an explanation only for fail, and DNS work within the §4.6.4 limits.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "auth/dns/recorded_resolver.h"
#include "auth/dns/resolver.h"
#include "auth/spf/macro.h"
#include "auth/spf/record.h"
#include "auth/spf/spf.h"
#include "counting_resolver.h"
#include "fuzz_support.h"

using vigie::IpAddress;
using vigie::fuzz::consume;
using vigie::fuzz::CountingResolver;
using vigie::fuzz::require;

namespace dns = vigie::auth::dns;
namespace spf = vigie::auth::spf;

namespace {

constexpr std::array<std::string_view, 4> kTxtNames = {"example.com", "inc.example.com",
                                                       "a.example.com", "exp.example.com"};

// Clients: validated PTR (v4 and v6), IPv4-mapped, no PTR at all, a PTR answer with more names
// than §4.6.4 lets us check, and a PTR lookup that times out.
constexpr std::array<std::string_view, 8> kClients = {
    "192.0.2.1",   "192.0.2.20",  "198.51.100.7", "2001:db8::1",
    "::ffff:192.0.2.1", "2001:db8::20", "203.0.113.5", "192.0.2.99"};

struct Identity {
  std::string_view mail_from;
  std::string_view helo;
};

std::string long_local_part() {
  // Many parts for the transformers, delimiters of every kind, and enough bytes that a few
  // %{l} or URL-escaped %{L} reach kMaxMacroExpansion.
  std::string out;
  for (int i = 0; out.size() < 2000; ++i) {
    out += "part" + std::to_string(i);
    out += ".-+,/_="[i % 7];
  }
  return out + "end";
}

const std::string& long_sender() {
  static const std::string sender = long_local_part() + "@example.com";
  return sender;
}

const std::string& long_domain_sender() {
  // A domain longer than 253 bytes: §4.3 says none.
  static const std::string sender = "user@" + std::string(60, 'x') + "." + std::string(60, 'y') +
                                    "." + std::string(60, 'z') + "." + std::string(60, 'w') +
                                    ".example.com";
  return sender;
}

std::array<Identity, 8> identities() {
  return {{{"user@example.com", "mail.example.com"},
           {"", "a.example.com"},  // null reverse-path: postmaster@helo
           {long_sender(), "mail.example.com"},
           {"postmaster@inc.example.com", "inc.example.com"},
           {"User.Name+tag@EXAMPLE.COM.", "A.Example.Com."},
           {"example.com", "example.com"},  // no '@': a bare domain
           {"@exp.example.com", "[192.0.2.1]"},  // empty local-part; an address literal as HELO
           {long_domain_sender(), "single-label"}}};
}

IpAddress ip(std::string_view text) {
  auto parsed = IpAddress::parse(text);
  require(parsed.has_value(), "harness: fixed address parses");
  return *parsed;
}

// The in-addr.arpa / ip6.arpa name of an address (RFC 7208 §5.5), written here independently.
std::string reverse_name(const IpAddress& address) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  if (address.is_v4()) {
    for (int i = 3; i >= 0; --i) out += std::to_string(address.bytes[i]) + ".";
    return out + "in-addr.arpa";
  }
  for (int i = 15; i >= 0; --i) {
    out += kHex[address.bytes[i] & 0x0f];
    out += '.';
    out += kHex[address.bytes[i] >> 4];
    out += '.';
  }
  return out + "ip6.arpa";
}

using Entry = dns::RecordedResolver::Entry;
using Zone = dns::RecordedResolver::Zone;

Entry record(dns::RecordType type) {
  Entry entry;
  entry.record.type = type;
  return entry;
}
Entry a(std::string_view text) {
  Entry entry = record(dns::RecordType::kA);
  entry.record.address = ip(text);
  return entry;
}
Entry aaaa(std::string_view text) {
  Entry entry = record(dns::RecordType::kAaaa);
  entry.record.address = ip(text);
  return entry;
}
Entry named(dns::RecordType type, std::string_view name, std::uint16_t preference = 0) {
  Entry entry = record(type);
  entry.record.name = std::string(name);
  entry.record.preference = preference;
  return entry;
}
Entry timeout_any() {
  Entry entry;
  entry.kind = Entry::Kind::kTimeout;
  entry.any_type = true;
  return entry;
}
Entry timeout_of(dns::RecordType type) {
  Entry entry = record(type);
  entry.kind = Entry::Kind::kTimeout;
  return entry;
}

// Everything but the fuzzed TXT records. Names are stored as RecordedResolver's loader stores
// them: lower case, no trailing dot.
const Zone& fixed_zone() {
  static const Zone zone = [] {
    using dns::RecordType;
    Zone z;
    z["example.com"] = {a("192.0.2.10"), aaaa("2001:db8::10"),
                        named(RecordType::kMx, "mail.example.com", 10),
                        named(RecordType::kMx, "a.example.com", 20)};
    z["inc.example.com"] = {a("198.51.100.1"), named(RecordType::kMx, "", 0)};  // null MX
    z["a.example.com"] = {a("192.0.2.1"), aaaa("2001:db8::1")};
    z["mail.example.com"] = {a("192.0.2.20"), aaaa("2001:db8::20"), a("198.51.100.0")};
    for (int i = 0; i < 11; ++i) {  // one MX too many (§4.6.4)
      z["mx11.example.com"].push_back(
          named(RecordType::kMx, "mx" + std::to_string(i) + ".example.com", 10));
    }
    z["timeout.example.com"] = {timeout_any()};
    z["atimeout.example.com"] = {aaaa("2001:db8::30"), timeout_of(RecordType::kA)};
    z["mxtimeout.example.com"] = {named(RecordType::kMx, "timeout.example.com", 5)};
    z["cname.example.com"] = {named(RecordType::kCname, "example.com")};
    z["loop.example.com"] = {named(RecordType::kCname, "loop2.example.com")};
    z["loop2.example.com"] = {named(RecordType::kCname, "loop.example.com")};
    z["nodata.example.com"] = {a("192.0.2.50")};
    // Targets the usual macro idioms build for the clients above.
    z["1.2.0.192.in-addr._spf.example.com"] = {a("127.0.0.2")};
    z["user._spf.example.com"] = {a("127.0.0.2")};
    z["postmaster.inc.example.com"] = {a("127.0.0.2")};

    z[reverse_name(ip("192.0.2.1"))] = {named(RecordType::kPtr, "a.example.com"),
                                        named(RecordType::kPtr, "mail.example.com"),
                                        named(RecordType::kPtr, "unvalidated.example.net")};
    z[reverse_name(ip("192.0.2.20"))] = {named(RecordType::kPtr, "mail.example.com")};
    z[reverse_name(ip("2001:db8::1"))] = {named(RecordType::kPtr, "a.example.com")};
    z[reverse_name(ip("2001:db8::20"))] = {named(RecordType::kPtr, "mail.example.com.")};
    for (int i = 0; i < 12; ++i) {  // more PTR names than §4.6.4 lets us validate
      const std::string host = "p" + std::to_string(i) + ".example.com";
      z[reverse_name(ip("203.0.113.5"))].push_back(named(RecordType::kPtr, host));
      z[host] = {a("203.0.113.5")};
    }
    z[reverse_name(ip("192.0.2.99"))] = {timeout_any()};
    return z;
  }();
  return zone;
}

// Splits on one byte; an empty input gives one empty piece.
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      pieces.push_back(text.substr(start));
      return pieces;
    }
    pieces.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

void check_record(std::string_view text) {
  const bool is_record = spf::is_spf_record(text);
  const auto parsed = spf::parse_record(text);
  if (!is_record) {
    require(!parsed, "parse_record fails when is_spf_record is false");
    return;
  }
  if (!parsed) {
    require(!parsed.error().message.empty(), "parse_record error has a permerror reason");
    consume(parsed.error().message);
    return;
  }
  for (const spf::Mechanism& m : parsed->mechanisms) {
    consume(m.text);
    consume(m.domain_spec);
    require(!m.text.empty() && text.find(m.text) != std::string_view::npos,
            "Mechanism::text is a term of the record as written");
    require(m.cidr4 <= 32 && m.cidr6 <= 128, "CIDR lengths within the address length");
    switch (m.kind) {
      case spf::MechanismKind::kInclude:
      case spf::MechanismKind::kExists:
        require(!m.domain_spec.empty(), "include/exists always have a domain-spec");
        [[fallthrough]];
      case spf::MechanismKind::kA:
      case spf::MechanismKind::kMx:
      case spf::MechanismKind::kPtr:
        require(m.domain_spec.empty() || spf::domain_spec_error(m.domain_spec).empty(),
                "a mechanism's domain-spec is a valid domain-spec");
        break;
      case spf::MechanismKind::kIp4:
        require(m.network.is_v4(), "ip4 network is IPv4");
        break;
      case spf::MechanismKind::kIp6:
        require(!m.network.is_v4(), "ip6 network is IPv6");
        break;
      case spf::MechanismKind::kAll:
        break;
    }
  }
  for (const auto* modifier : {&parsed->redirect, &parsed->explanation}) {
    if (!*modifier) continue;
    consume(**modifier);
    require(spf::domain_spec_error(**modifier).empty(), "redirect=/exp= hold a valid domain-spec");
  }
}

// The error expand_macros() gives for an expansion over kMaxMacroExpansion, taken from the code
// rather than copied from it.
const std::string& too_long_error(const spf::MacroContext& context) {
  static const std::string error = [&] {
    std::string text;
    while (text.size() / 4 * context.local_part.size() <= spf::kMaxMacroExpansion) text += "%{l}";
    auto expanded = spf::expand_macros(text, spf::MacroScope::kDomainSpec, context);
    require(!expanded, "harness: an expansion over kMaxMacroExpansion fails");
    return expanded.error().message;
  }();
  return error;
}

void check_expansion(std::string_view text, spf::MacroScope scope,
                     const spf::MacroContext& context) {
  const spf::MacroCheck syntax = spf::check_macro_string(text, scope);
  const auto expanded = spf::expand_macros(text, scope, context);
  if (!syntax.valid) {
    require(!expanded, "expand_macros fails when check_macro_string does");
    // Same error, unless the expansion grew too long before the walk reached the syntax error.
    require(expanded.error().message == syntax.error ||
                expanded.error().message == too_long_error(context),
            "expand_macros fails with the error of check_macro_string");
    return;
  }
  if (!expanded) {
    // The only other failure is an expansion longer than kMaxMacroExpansion.
    consume(expanded.error().message);
    return;
  }
  require(expanded->size() <= spf::kMaxMacroExpansion, "expansion within kMaxMacroExpansion");
  if (text.find('%') == std::string_view::npos) {
    require(*expanded == text, "a macro-string without '%' expands to itself");
  }
  if (scope == spf::MacroScope::kDomainSpec) {
    require(spf::check_macro_string(text, spf::MacroScope::kExplanation).valid,
            "a valid domain-spec macro-string is a valid explanation macro-string");
  }
  consume(*expanded);
}

void check_macros(std::string_view text) {
  static const std::string sender = long_sender();
  static const std::string local = sender.substr(0, sender.rfind('@'));
  for (bool v6 : {false, true}) {
    spf::MacroContext context;
    context.sender = sender;
    context.local_part = local;
    context.sender_domain = "example.com";
    context.domain = "sub.example.com";
    context.ip = ip(v6 ? "2001:db8::1" : "192.0.2.1");
    context.helo = "mail.example.org";
    context.receiver = "mx.receiver.example";
    context.timestamp = 1700000000;
    if (v6) context.validated_name = [] { return std::string("a.example.com"); };
    for (auto scope : {spf::MacroScope::kDomainSpec, spf::MacroScope::kExplanation}) {
      check_expansion(text, scope, context);
    }
  }
}

void check_spf(const dns::Resolver& recorded, std::uint8_t identity_byte, std::uint8_t client_byte) {
  static const std::array<Identity, 8> kIdentities = identities();
  const Identity& identity = kIdentities[identity_byte % kIdentities.size()];
  const IpAddress client = ip(kClients[client_byte % kClients.size()]);

  spf::SpfOptions options;
  options.receiver = "mx.receiver.example";
  options.timestamp = 1700000000;

  CountingResolver resolver(recorded);
  spf::SpfOutcome outcome;
  switch ((identity_byte >> 3) % 4) {
    case 0:
    case 3:
      outcome = spf::check_mail_from(resolver, client, identity.mail_from, identity.helo, options);
      break;
    case 1:
      outcome = spf::check_helo(resolver, client, identity.helo, options);
      break;
    case 2: {
      // check_host() directly: <domain> is not the sender's domain (as for an include target).
      spf::SpfRequest request;
      request.ip = client;
      request.domain = "example.com";
      request.sender = std::string(identity.mail_from);
      request.helo = std::string(identity.helo);
      outcome = spf::check_host(resolver, request, options);
      break;
    }
  }

  const auto result = static_cast<unsigned>(outcome.result);
  require(result <= static_cast<unsigned>(spf::SpfResult::kPermError),
          "check_host returns one of the seven results");
  require(spf::to_string(outcome.result) != "?", "every result has a name");
  require(!outcome.reason.empty(), "every outcome has a reason");
  require(outcome.result == spf::SpfResult::kFail || outcome.explanation.empty(),
          "an explanation only for fail");
  require(outcome.explanation.size() <= spf::kMaxMacroExpansion,
          "explanation within kMaxMacroExpansion");
  // The counters include the term (or void lookup) that broke the limit, which ends the check
  // with permerror: one over is the most they can show.
  require(outcome.dns_terms <= spf::kMaxDnsTerms ||
              (outcome.dns_terms == spf::kMaxDnsTerms + 1 &&
               outcome.result == spf::SpfResult::kPermError),
          "at most kMaxDnsTerms DNS-querying terms evaluated");
  require(outcome.void_lookups <= spf::kMaxVoidLookups ||
              (outcome.void_lookups == spf::kMaxVoidLookups + 1 &&
               outcome.result == spf::SpfResult::kPermError),
          "at most kMaxVoidLookups void lookups");
  // One TXT lookup for the record itself, per evaluated DNS term at most one query plus one per MX
  // name (kMaxMxNames), the PTR lookup and kMaxPtrNames validations shared by ptr and %{p}, and
  // the exp= TXT lookup.
  constexpr unsigned kMaxLookups =
      1 + spf::kMaxDnsTerms * (1 + spf::kMaxMxNames) + 1 + spf::kMaxPtrNames + 1;
  require(resolver.lookups() <= kMaxLookups, "DNS lookups bounded by the RFC 7208 §4.6.4 limits");
  consume(outcome.reason);
  consume(outcome.explanation);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t identity_byte = data[size - 2];
  const std::uint8_t client_byte = data[size - 1];
  const std::string_view payload(reinterpret_cast<const char*>(data), size - 2);

  Zone zone = fixed_zone();
  const std::vector<std::string_view> lines = split(payload, '\n');
  for (std::size_t i = 0; i < lines.size() && i < kTxtNames.size(); ++i) {
    if (lines[i].empty()) continue;
    auto& entries = zone[std::string(kTxtNames[i])];
    std::vector<Entry> txt;
    for (std::string_view record_text : split(lines[i], '\x1e')) {
      Entry entry = record(dns::RecordType::kTxt);
      std::string joined;
      for (std::string_view piece : split(record_text, '\x1f')) {
        entry.record.strings.emplace_back(piece);
        joined += piece;
      }
      txt.push_back(std::move(entry));

      // The text check_host() will see at this name, through the parser and the macro expander
      // (as a whole: SPF records and exp= texts are both macro-strings in places).
      check_record(joined);
      if (!spf::is_spf_record(joined)) check_record("v=spf1 " + joined);
      check_macros(joined);
    }
    // Fuzzed TXT first, so that the fixed entries' order (TIMEOUT conventions) is unchanged.
    entries.insert(entries.begin(), txt.begin(), txt.end());
  }

  const dns::RecordedResolver resolver(std::move(zone));
  check_spf(resolver, identity_byte, client_byte);
  return 0;
}

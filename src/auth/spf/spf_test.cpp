#include "auth/spf/spf.h"

#include <gtest/gtest.h>

#include "auth/dns/recorded_resolver.h"

namespace vigie::auth::spf {
namespace {

dns::RecordedResolver zone(std::string_view yaml) {
  auto loaded = dns::RecordedResolver::from_string(yaml);
  EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().message);
  return loaded ? std::move(*loaded) : dns::RecordedResolver(dns::RecordedResolver::Zone{});
}

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

TEST(SpfCheckHostTest, PassWithReasonAndCounters) {
  const auto z = zone(
      "example.com:\n  - TXT: v=spf1 a:nothing.example.com mx -all\n"
      "  - MX: [10, mx.example.com]\n"
      "mx.example.com:\n  - A: 192.0.2.10\n");
  const SpfOutcome out = check_mail_from(z, ip("192.0.2.10"), "alice@example.com", "mx.example.org");
  EXPECT_EQ(out.result, SpfResult::kPass);
  EXPECT_EQ(out.reason, "'mx' matched in the SPF record of example.com");
  EXPECT_EQ(out.explanation, "");
  EXPECT_EQ(out.dns_terms, 2u);
  EXPECT_EQ(out.void_lookups, 1u);
}

TEST(SpfCheckHostTest, FailCarriesExpandedExplanation) {
  const auto z = zone(
      "example.com:\n  - TXT: v=spf1 -all exp=why.%{d}\n"
      "why.example.com:\n  - TXT: [ '%{c} may not send for %{o}', ' (%{l}) at %{t}' ]\n");
  SpfOptions options;
  options.timestamp = 1234;
  const SpfOutcome out =
      check_mail_from(z, ip("2001:db8::1"), "bob@example.com", "helo.example.org", options);
  EXPECT_EQ(out.result, SpfResult::kFail);
  EXPECT_EQ(out.explanation, "2001:db8::1 may not send for example.com (bob) at 1234");
}

TEST(SpfCheckHostTest, DefaultExplanationIsExpanded) {
  const auto z = zone("example.com:\n  - TXT: v=spf1 -all\n");
  const SpfOutcome out = check_mail_from(z, ip("192.0.2.1"), "bob@example.com", "h.example");
  EXPECT_EQ(out.explanation, "192.0.2.1 is not authorized to send mail for example.com");
}

TEST(SpfCheckHostTest, Ipv4MappedClientIsIpv4) {
  const auto z = zone("example.com:\n  - TXT: v=spf1 ip6:::ffff:192.0.2.1 ip4:192.0.2.0/24 -all\n");
  const SpfOutcome out = check_mail_from(z, ip("::ffff:192.0.2.1"), "a@example.com", "h.example");
  EXPECT_EQ(out.result, SpfResult::kPass);
  EXPECT_EQ(out.reason, "'ip4:192.0.2.0/24' matched in the SPF record of example.com");
}

TEST(SpfCheckHostTest, NullSenderChecksPostmasterAtHelo) {
  const auto z = zone(
      "helo.example.com:\n  - TXT: v=spf1 -all exp=e.example.com\n"
      "e.example.com:\n  - TXT: '%{s} via %{h}'\n");
  const SpfOutcome out = check_mail_from(z, ip("192.0.2.1"), "", "helo.example.com");
  EXPECT_EQ(out.result, SpfResult::kFail);
  EXPECT_EQ(out.explanation, "postmaster@helo.example.com via helo.example.com");
  EXPECT_EQ(check_helo(z, ip("192.0.2.1"), "helo.example.com").result, SpfResult::kFail);
  EXPECT_EQ(check_helo(z, ip("192.0.2.1"), "localhost").result, SpfResult::kNone);
}

TEST(SpfCheckHostTest, SelfIncludeStopsAtTheTermLimit) {
  const auto z = zone("loop.example.com:\n  - TXT: v=spf1 include:loop.example.com -all\n");
  const SpfOutcome out = check_mail_from(z, ip("192.0.2.1"), "a@loop.example.com", "h.example");
  EXPECT_EQ(out.result, SpfResult::kPermError);
  EXPECT_EQ(out.reason, "more than 10 DNS-querying terms (RFC 7208 §4.6.4)");
  EXPECT_EQ(out.dns_terms, 11u);
}

TEST(SpfCheckHostTest, LimitsAreOptions) {
  const auto z = zone("example.com:\n  - TXT: v=spf1 a:x.example.com a:y.example.com -all\n");
  SpfOptions options;
  options.max_void_lookups = 1;
  const SpfOutcome out = check_mail_from(z, ip("192.0.2.1"), "a@example.com", "h", options);
  EXPECT_EQ(out.result, SpfResult::kPermError);
  EXPECT_EQ(out.reason, "more than 1 void DNS lookups (RFC 7208 §4.6.4), last y.example.com");
}

TEST(SpfCheckHostTest, TooManyMxRecords) {
  std::string yaml = "example.com:\n  - TXT: v=spf1 mx -all\n";
  for (int i = 0; i < 11; ++i) yaml += "  - MX: [" + std::to_string(i) + ", mx.example.com]\n";
  const auto z = zone(yaml);
  const SpfOutcome out = check_mail_from(z, ip("192.0.2.1"), "a@example.com", "h");
  EXPECT_EQ(out.result, SpfResult::kPermError);
  EXPECT_EQ(out.reason, "example.com has 11 MX records, more than 10 (RFC 7208 §4.6.4)");
}

TEST(SpfCheckHostTest, TempErrorNamesTheLookup) {
  const auto z = zone("example.com:\n  - TXT: v=spf1 exists:slow.example.com -all\n"
                      "slow.example.com:\n  - TIMEOUT\n");
  const SpfOutcome out = check_mail_from(z, ip("192.0.2.1"), "a@example.com", "h");
  EXPECT_EQ(out.result, SpfResult::kTempError);
  EXPECT_EQ(out.reason,
            "DNS lookup for slow.example.com failed: timeout (recorded) at slow.example.com");
  EXPECT_EQ(out.reason_fr,
            "échec de la recherche DNS pour slow.example.com : délai dépassé (enregistré) pour slow.example.com");
}

TEST(SpfCheckHostTest, ValidatedNamePrefersTheCheckedDomain) {
  const auto z = zone(
      "example.com:\n  - TXT: v=spf1 -all exp=e.example.com\n"
      "e.example.com:\n  - TXT: 'from %{p}'\n"
      "1.2.0.192.in-addr.arpa:\n  - PTR: other.example.net\n  - PTR: mx.example.com\n"
      "other.example.net:\n  - A: 192.0.2.1\n"
      "mx.example.com:\n  - A: 192.0.2.1\n");
  EXPECT_EQ(check_mail_from(z, ip("192.0.2.1"), "a@example.com", "h").explanation,
            "from mx.example.com");
}

// The reason in French keeps the record's terms and the domains as written.
TEST(SpfCheckHostTest, ReasonsAreAlsoInFrench) {
  const auto z = zone("example.com:\n  - TXT: v=spf1 ip4:192.0.2.0/24 -all\n");
  const SpfOutcome fail = check_mail_from(z, ip("198.51.100.7"), "a@example.com", "h.example");
  EXPECT_EQ(fail.result, SpfResult::kFail);
  EXPECT_EQ(fail.reason, "'-all' matched in the SPF record of example.com");
  EXPECT_EQ(fail.reason_fr, "'-all' correspond dans l'enregistrement SPF de example.com");

  const SpfOutcome none = check_mail_from(z, ip("198.51.100.7"), "a@example.net", "h.example");
  EXPECT_EQ(none.result, SpfResult::kNone);
  EXPECT_EQ(none.reason_fr, "aucun enregistrement SPF pour example.net");

  const auto loop = zone("loop.example.com:\n  - TXT: v=spf1 include:loop.example.com -all\n");
  const SpfOutcome limit = check_mail_from(loop, ip("192.0.2.1"), "a@loop.example.com", "h.example");
  EXPECT_EQ(limit.reason_fr, "plus de 10 termes qui interrogent le DNS (RFC 7208 §4.6.4)");
}

// A syntax error of the record is part of the reason: in French too.
TEST(SpfCheckHostTest, RecordSyntaxErrorsAreAlsoInFrench) {
  const auto z = zone("example.com:\n  - TXT: v=spf1 foo -all\n"
                      "macro.example.com:\n  - TXT: v=spf1 include:%{z}.example.com -all\n");
  const SpfOutcome out = check_mail_from(z, ip("192.0.2.1"), "a@example.com", "h.example");
  EXPECT_EQ(out.result, SpfResult::kPermError);
  EXPECT_EQ(out.reason, "SPF record of example.com: unknown mechanism 'foo'");
  EXPECT_EQ(out.reason_fr, "enregistrement SPF de example.com invalide : mécanisme inconnu 'foo'");
  const SpfOutcome macro = check_mail_from(z, ip("192.0.2.1"), "a@macro.example.com", "h.example");
  EXPECT_EQ(macro.result, SpfResult::kPermError);
  EXPECT_EQ(macro.reason_fr, "enregistrement SPF de macro.example.com invalide : include : la lettre de macro 'z' "
                             "n'est pas permise ici");
}

// A reason built from an inner one (redirect=) carries the inner reason's French.
TEST(SpfCheckHostTest, NestedReasonsAreInFrenchThroughout) {
  const auto z = zone("example.com:\n  - TXT: v=spf1 redirect=gone.example.com\n");
  const SpfOutcome out = check_mail_from(z, ip("192.0.2.1"), "a@example.com", "h.example");
  EXPECT_EQ(out.result, SpfResult::kPermError);
  EXPECT_EQ(out.reason, "redirect=gone.example.com: no SPF record at gone.example.com");
  EXPECT_EQ(out.reason_fr, "redirect=gone.example.com : aucun enregistrement SPF pour gone.example.com");
}

TEST(SpfCheckHostTest, ResultNames) {
  EXPECT_EQ(to_string(SpfResult::kNone), "none");
  EXPECT_EQ(to_string(SpfResult::kSoftFail), "softfail");
  EXPECT_EQ(to_string(SpfResult::kTempError), "temperror");
  EXPECT_EQ(to_string(SpfResult::kPermError), "permerror");
}

}  // namespace
}  // namespace vigie::auth::spf

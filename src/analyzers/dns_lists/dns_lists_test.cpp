// dns_lists: the names asked, each list kind over recorded DNS, exact and bitmask answers with
// their scores, what is not asked (local addresses, trusted relays, our own domains), and what the
// analyst is told when the lists cannot be asked: budget spent, circuit breaker open, a list
// refusing the query, no resolver at all.
#include "analyzers/dns_lists/dns_lists.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "analyzers/analyzer_harness.h"
#include "auth/dns/circuit_breaker.h"
#include "auth/dns/recorded_resolver.h"
#include "config/section.h"

namespace vigie {
namespace {

using analyzers::AnalyzerHarness;
using analyzers::Deadline;
using auth::dns::RecordedResolver;

IpAddress ip(std::string_view text) { return *IpAddress::parse(text); }

TEST(DnsListsNamesTest, IpNamesAreReversed) {
  using analyzers::dns_lists::ip_query_name;
  EXPECT_EQ(ip_query_name(ip("203.0.113.7"), "zen.test"), "7.113.0.203.zen.test");
  EXPECT_EQ(ip_query_name(ip("::ffff:203.0.113.7"), "zen.test"), "7.113.0.203.zen.test");
  // RFC 5782 §2.4's example.
  EXPECT_EQ(ip_query_name(ip("2001:db8:1:2:3:4:567:89ab"), "ugly.example.com"),
            "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com");
}

TEST(DnsListsNamesTest, DomainNamesMustBeDnsNames) {
  using analyzers::dns_lists::domain_query_name;
  EXPECT_EQ(domain_query_name("bad.example", "dbl.test"), "bad.example.dbl.test");
  EXPECT_FALSE(domain_query_name(std::string(64, 'a') + ".example", "dbl.test"));
  EXPECT_FALSE(domain_query_name("a..example", "dbl.test"));
  EXPECT_FALSE(domain_query_name(std::string(250, 'a'), "dbl.test"));
}

TEST(DnsListsNamesTest, LocalAddressesAreNeverAsked) {
  using analyzers::dns_lists::is_local_address;
  for (const char* local : {"10.1.2.3", "192.168.0.1", "172.16.5.5", "127.0.0.1", "100.64.0.1", "169.254.1.1",
                            "::1", "fd00::1", "fe80::1", "::ffff:10.0.0.1"}) {
    EXPECT_TRUE(is_local_address(ip(local))) << local;
  }
  for (const char* global : {"203.0.113.7", "8.8.8.8", "172.32.0.1", "2001:db8::1"}) {
    EXPECT_FALSE(is_local_address(ip(global))) << global;
  }
}

// Two IP lists (exact codes, and a list without codes), a domain list with exact codes and a
// SURBL-style bitmask list.
constexpr std::string_view kLists = R"(
max_queries = 40
[[lists]]
zone = "zen.test"
kind = "ip"
name = "ZEN"
codes."127.0.0.2" = { name = "SBL", score = 6 }
codes."127.0.0.4" = { name = "XBL", score = 7 }
codes."127.0.0.11" = { name = "PBL", score = 1 }
[[lists]]
zone = "plain.test"
kind = "ip"
[[lists]]
zone = "dbl.test"
kind = "domain"
name = "DBL"
codes."127.0.1.2" = { name = "spam domain", score = 4 }
codes."127.0.1.4" = { name = "phish domain", score = 8 }
[[lists]]
zone = "multi.test"
kind = "domain"
name = "MULTI"
bits."8" = { name = "PH", score = 7 }
bits."0x40" = { name = "ABUSE" }
)";

constexpr std::string_view kZone = R"(
7.113.0.203.zen.test:  # in the order a rotating resolver may give: the evidence is in address order
  - A: 127.0.0.4
  - A: 127.0.0.2
9.113.0.203.zen.test:
  - A: 127.0.0.11
9.113.0.203.plain.test:
  - A: 127.0.0.3
7.100.51.198.zen.test:
  - A: 127.0.0.2
spammer.example.dbl.test:
  - A: 127.0.1.2
phish.example.dbl.test:
  - A: 127.0.1.4
phish.example.multi.test:
  - A: 127.0.0.72
abuse.example.multi.test:
  - A: 127.0.0.64
grey.example.multi.test:
  - A: 127.0.0.2
refused.example.dbl.test:
  - A: 127.255.255.254
blocked.example.multi.test:
  - A: 127.0.0.1
slow.example.dbl.test:
  - TIMEOUT
)";

Config lists_config(std::string_view toml = kLists) {
  Config config;
  config.analyzers.sections.insert_or_assign(
      "dns_lists", config::section_from_toml(toml, "analyzers.dns_lists", "vigie.toml"));
  config.relays.trusted = {"192.0.2.0/24"};
  return config;
}

std::shared_ptr<const auth::dns::Resolver> zone() {
  return std::make_shared<RecordedResolver>(*RecordedResolver::from_string(kZone));
}

AnalyzerHarness harness(std::shared_ptr<const auth::dns::Resolver> resolver = zone(),
                        std::string_view toml = kLists) {
  Services services;
  services.resolver = std::move(resolver);
  return AnalyzerHarness("dns_lists", lists_config(toml), services);
}

Envelope client(std::string ip) {
  Envelope envelope;
  envelope.client_ip = std::move(ip);
  return envelope;
}

std::vector<const Finding*> all(const std::vector<Finding>& findings, std::string_view id) {
  std::vector<const Finding*> out;
  for (const Finding& f : findings) {
    if (f.id == id) out.push_back(&f);
  }
  return out;
}

constexpr std::string_view kPlain = "From: a@clean.example\nSubject: x\n\nhello\n";

TEST(DnsListsTest, ClientOnAnIpListWithTheHighestCodeScore) {
  const std::vector<Finding> findings = harness().analyze(std::string(kPlain), {}, client("203.0.113.7"));
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.id, "DNSBL_CLIENT_LISTED");
  EXPECT_DOUBLE_EQ(f.score, 7);  // SBL 6 and XBL 7: the higher
  ASSERT_EQ(f.evidence.size(), 1u);
  EXPECT_EQ(f.evidence[0].field, "client_ip");
  EXPECT_EQ(f.evidence[0].value, "203.0.113.7 (SMTP client) listed by ZEN: SBL (127.0.0.2), XBL (127.0.0.4)");
  EXPECT_NE(f.evidence[0].value_fr.find("listé par ZEN"), std::string::npos);
}

TEST(DnsListsTest, ListWithoutCodesCountsAnyAnswerAtTheCatalogScore) {
  const std::vector<Finding> findings = harness().analyze(std::string(kPlain), {}, client("203.0.113.9"));
  const auto listed = all(findings, "DNSBL_CLIENT_LISTED");
  ASSERT_EQ(listed.size(), 2u);  // ZEN (PBL) and plain.test, one finding per list
  EXPECT_DOUBLE_EQ(listed[0]->score, 1);  // PBL's own score
  EXPECT_DOUBLE_EQ(listed[1]->score, 5);  // the catalog's
  EXPECT_NE(listed[1]->evidence[0].value.find("listed by plain.test: 127.0.0.3"), std::string::npos)
      << listed[1]->evidence[0].value;
}

TEST(DnsListsTest, ClientAndHopsFromTheReceivedChainPastTrustedRelays) {
  const std::string message =
      "Received: from relay.org.example (relay.org.example [192.0.2.5]) by mx.org.example\n"
      "Received: from out.sender.example (out.sender.example [203.0.113.7]) by relay.org.example\n"
      "Received: from pc (pc [10.0.0.8]) by out.sender.example\n"
      "Received: from bot (bot [198.51.100.7]) by out.sender.example\n"
      "From: a@clean.example\nSubject: x\n\nhello\n";
  const std::vector<Finding> findings = harness().analyze(message);
  const auto client_listed = all(findings, "DNSBL_CLIENT_LISTED");
  ASSERT_EQ(client_listed.size(), 1u);
  EXPECT_EQ(client_listed[0]->evidence[0].field, "header:Received");
  EXPECT_NE(client_listed[0]->evidence[0].value.find("203.0.113.7 (SMTP client, Received header 2)"), std::string::npos);
  const auto hop = all(findings, "DNSBL_HOP_LISTED");
  ASSERT_EQ(hop.size(), 1u);
  EXPECT_DOUBLE_EQ(hop[0]->score, 6);
  EXPECT_NE(hop[0]->evidence[0].value.find("198.51.100.7 (Received header 4)"), std::string::npos)
      << hop[0]->evidence[0].value;
}

TEST(DnsListsTest, MaxHopsZeroChecksOnlyTheClient) {
  const std::string toml = std::string(kLists).replace(0, 1, "max_hops = 0\n");
  const std::string message =
      "Received: from out (out [203.0.113.7]) by mx\nReceived: from bot (bot [198.51.100.7]) by out\n"
      "From: a@clean.example\nSubject: x\n\nhello\n";
  const std::vector<Finding> findings = harness(zone(), toml).analyze(message);
  EXPECT_EQ(all(findings, "DNSBL_CLIENT_LISTED").size(), 1u);
  EXPECT_TRUE(all(findings, "DNSBL_HOP_LISTED").empty());
}

TEST(DnsListsTest, SenderDomainsByTheirRegistrableDomain) {
  Envelope envelope;
  envelope.mail_from = "bounce@mail.spammer.example";
  const std::vector<Finding> findings = harness().analyze(
      "From: Bank <alerts@secure.phish.example>\nReply-To: a@spammer.example\nSubject: x\n\nhello\n", {}, envelope);
  const auto sender = all(findings, "DBL_SENDER_LISTED");
  ASSERT_EQ(sender.size(), 2u);  // DBL (From, and spammer.example once) and MULTI (From)
  EXPECT_DOUBLE_EQ(sender[0]->score, 8);
  ASSERT_EQ(sender[0]->evidence.size(), 2u);
  EXPECT_EQ(sender[0]->evidence[0].field, "header:From");
  EXPECT_EQ(sender[0]->evidence[0].value,
            "alerts@secure.phish.example listed by DBL as phish.example: phish domain (127.0.1.4)");
  EXPECT_EQ(sender[0]->evidence[1].field, "header:Reply-To");
}

TEST(DnsListsTest, LinkDomainsOnABitmaskList) {
  const std::vector<Finding> findings = harness().analyze(
      "From: a@clean.example\nSubject: x\nContent-Type: text/html\n\n"
      "<a href=\"https://login.phish.example/x\">a</a> <a href=\"https://abuse.example/\">b</a>"
      " <a href=\"https://grey.example/\">c</a> <a href=\"http://203.0.113.7/\">d</a>\n");
  const auto links = all(findings, "URIBL_LINK_LISTED");
  ASSERT_EQ(links.size(), 2u);  // DBL: phish.example; MULTI: phish (8|64) and abuse (64)
  const Finding& multi = *links[1];
  ASSERT_EQ(multi.evidence.size(), 2u);
  EXPECT_EQ(multi.evidence[0].field, "url");
  EXPECT_NE(multi.evidence[0].value.find("PH (127.0.0.72), ABUSE (127.0.0.72)"), std::string::npos)
      << multi.evidence[0].value;
  EXPECT_NE(multi.evidence[1].value.find("ABUSE (127.0.0.64)"), std::string::npos);
  // PH's 7 over the catalog's 5 for ABUSE, which has no score of its own.
  EXPECT_DOUBLE_EQ(multi.score, 7);
  // grey.example answers a bit no code maps (2): not listed; the IP link is no domain.
  for (const Finding* f : links) {
    for (const Evidence& e : f->evidence) {
      EXPECT_EQ(e.value.find("grey.example"), std::string::npos);
      EXPECT_EQ(e.value.find("203.0.113.7"), std::string::npos);
    }
  }
}

TEST(DnsListsTest, CleanMessageAndLocalAddressesSayNothing) {
  EXPECT_TRUE(harness().analyze(std::string(kPlain), {}, client("198.51.100.200")).empty());
  EXPECT_TRUE(harness().analyze(std::string(kPlain), {}, client("10.1.1.1")).empty());
}

TEST(DnsListsTest, WithoutResolverOrListsNothingIsAsked) {
  EXPECT_TRUE(harness(nullptr).analyze(std::string(kPlain), {}, client("203.0.113.7")).empty());
  EXPECT_TRUE(harness(zone(), "").analyze(std::string(kPlain), {}, client("203.0.113.7")).empty());
}

TEST(DnsListsTest, RefusalIsUnavailableNotAListing) {
  const AnalyzerHarness::Run run =
      harness().run("From: a@refused.example\nSubject: x\n\nsee https://phish.example/\n");
  EXPECT_TRUE(all(run.findings, "DBL_SENDER_LISTED").empty());
  const auto unavailable = all(run.findings, "DNS_LIST_UNAVAILABLE");
  ASSERT_EQ(unavailable.size(), 1u);
  EXPECT_DOUBLE_EQ(unavailable[0]->score, 0);
  ASSERT_EQ(unavailable[0]->evidence.size(), 1u);
  EXPECT_NE(unavailable[0]->evidence[0].value.find("DBL: refused (127.255.255.254: queries through a public"),
            std::string::npos)
      << unavailable[0]->evidence[0].value;
  // DBL is not asked again in this message (the link), MULTI still is.
  const auto links = all(run.findings, "URIBL_LINK_LISTED");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_NE(links[0]->evidence[0].value.find("MULTI"), std::string::npos);
}

TEST(DnsListsTest, TheOperatorIsToldOfARefusalOnceWhateverTheMessages) {
  std::vector<OperatorNotice> notices;
  Services services;
  services.resolver = zone();
  services.notify = [&](const OperatorNotice& notice) { notices.push_back(notice); };
  const AnalyzerHarness harness("dns_lists", lists_config(kLists), services);
  for (int i = 0; i < 3; ++i) harness.run("From: a@refused.example\nSubject: x\n\nhello\n");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].event, "dns_list_refused");
  EXPECT_NE(notices[0].text.find("DNS list dbl.test refuses our queries (127.255.255.254"), std::string::npos)
      << notices[0].text;
  EXPECT_NE(std::find(notices[0].fields.begin(), notices[0].fields.end(),
                      std::pair<std::string, std::string>{"zone", "dbl.test"}),
            notices[0].fields.end());
}

TEST(DnsListsTest, BlockedResolverAnswerIsARefusalEvenOnABitmaskList) {
  const std::vector<Finding> findings = harness().analyze("From: a@blocked.example\nSubject: x\n\nhello\n");
  EXPECT_TRUE(all(findings, "DBL_SENDER_LISTED").empty());
  const auto unavailable = all(findings, "DNS_LIST_UNAVAILABLE");
  ASSERT_EQ(unavailable.size(), 1u);
  EXPECT_NE(unavailable[0]->evidence[0].value.find("MULTI: refused (127.0.0.1: the list blocks this resolver"),
            std::string::npos)
      << unavailable[0]->evidence[0].value;
}

TEST(DnsListsTest, TimeoutOfOneNameIsUnavailableForThatList) {
  const std::vector<Finding> findings =
      harness().analyze("From: a@slow.example\nSubject: x\n\nsee https://phish.example/\n");
  const auto unavailable = all(findings, "DNS_LIST_UNAVAILABLE");
  ASSERT_EQ(unavailable.size(), 1u);
  EXPECT_NE(unavailable[0]->evidence[0].value.find("DBL: no answer (timeout"),
            std::string::npos)
      << unavailable[0]->evidence[0].value;
  EXPECT_EQ(all(findings, "URIBL_LINK_LISTED").size(), 2u);  // the others were still asked
}

TEST(DnsListsTest, BudgetSpentIsALimitCrossing) {
  std::string toml(kLists);
  toml.replace(toml.find("max_queries = 40"), 16, "max_queries = 3");
  std::string body;
  for (int i = 0; i < 5; ++i) body += "https://site" + std::to_string(i) + ".example/\n";
  const AnalyzerHarness::Run run =
      harness(zone(), toml).run("From: a@clean.example\nSubject: x\n\n" + body, {}, client("198.51.100.200"));
  ASSERT_EQ(run.limits_reached.size(), 1u);
  const LimitCrossing& crossing = run.limits_reached[0];
  EXPECT_EQ(crossing.limit, "analyzers.dns_lists.max_queries");
  EXPECT_EQ(crossing.allowed, 3u);
  // 2 IP lists for the client, 2 domain lists for 6 domains: 14 wanted, 3 made.
  EXPECT_EQ(crossing.observed, 14u);
  EXPECT_NE(crossing.not_examined.find("11 DNS list lookups not made"), std::string::npos) << crossing.not_examined;
}

TEST(DnsListsTest, TheMessagesDeadlineEndsTheLookups) {
  const std::shared_ptr<const Clock> clock = Clock::system();
  const Deadline passed{clock.get(), clock->steady_now() - std::chrono::milliseconds(1)};
  const AnalyzerHarness::Run run =
      harness().run("From: a@phish.example\nSubject: x\n\nhttps://phish.example/\n", {}, client("203.0.113.7"), passed);
  EXPECT_TRUE(run.findings.empty());  // nothing asked, so nothing listed and nothing unavailable
  ASSERT_EQ(run.limits_reached.size(), 1u);
  EXPECT_EQ(run.limits_reached[0].limit, "max_analysis_ms");
  EXPECT_NE(run.limits_reached[0].not_examined.find("DNS list lookups not made"), std::string::npos);
  // With time left, the same message is asked about and listed.
  const Deadline ahead{clock.get(), clock->steady_now() + std::chrono::minutes(1)};
  EXPECT_FALSE(harness().run("From: a@phish.example\nSubject: x\n\nhttps://phish.example/\n", {},
                             client("203.0.113.7"), ahead).findings.empty());
}

TEST(DnsListsTest, OpenBreakerStopsAtOnce) {
  auto recorded = zone();
  unsigned checks = 0;
  auto breaker = std::make_shared<auth::dns::CircuitBreakerResolver>(recorded, [&](auth::dns::Deadline) {
    ++checks;
    return auth::dns::HealthReport{auth::dns::DnsHealth::kUnreachable, "no answer from the root"};
  });
  breaker->check_now();
  ASSERT_TRUE(breaker->is_open());
  const AnalyzerHarness::Run run = harness(breaker).run(
      "From: a@phish.example\nSubject: x\n\nhttps://phish.example/ https://abuse.example/\n", {},
      client("203.0.113.7"));
  EXPECT_TRUE(all(run.findings, "DNSBL_CLIENT_LISTED").empty());
  const auto unavailable = all(run.findings, "DNS_LIST_UNAVAILABLE");
  ASSERT_EQ(unavailable.size(), 1u);
  ASSERT_EQ(unavailable[0]->evidence.size(), 4u);  // one line per list
  EXPECT_NE(unavailable[0]->evidence[0].value.find("ZEN: not asked, DNS unavailable"), std::string::npos)
      << unavailable[0]->evidence[0].value;
  EXPECT_TRUE(run.limits_reached.empty());
  EXPECT_EQ(checks, 1u);  // the health check ran at start-up only: no lookup waited
}

TEST(DnsListsTest, ConfigurationErrorsAreReportedAtTheirPlace) {
  const auto prepare = [](std::string_view toml) -> std::string {
    try {
      harness(zone(), toml);
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(prepare("[[lists]]\nzone = \"zen.test\"\n").find("lists.kind: every list needs its kind"),
            std::string::npos);
  EXPECT_NE(prepare("[[lists]]\nzone = \"zen.test\"\nkind = \"url\"\n").find("expected \"ip\" or \"domain\""),
            std::string::npos);
  EXPECT_NE(prepare("[[lists]]\nzone = \"zen.test\"\nkind = \"ip\"\ncodes.\"10.0.0.2\" = { score = 1 }\n")
                .find("127.0.0.0/8"),
            std::string::npos);
  EXPECT_NE(prepare("[[lists]]\nzone = \"zen.test\"\nkind = \"ip\"\nbits.\"256\" = { score = 1 }\n")
                .find("from 1 to 255"),
            std::string::npos);
  EXPECT_NE(prepare("[[lists]]\nzone = \"zen.test\"\nkind = \"ip\"\ncodes.\"127.0.0.2\" = { scor = 1 }\n")
                .find("lists.codes.127.0.0.2.scor: unknown key"),
            std::string::npos);
  EXPECT_NE(prepare("[[lists]]\nzone = \"zen.test\"\nkind = \"ip\"\nfrequency = 1\n").find("lists.frequency"),
            std::string::npos);
  EXPECT_EQ(prepare(kLists), "");
}

}  // namespace
}  // namespace vigie

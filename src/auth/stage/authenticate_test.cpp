#include "auth/stage/authenticate.h"

#include <gtest/gtest.h>

#include "auth/dns/recorded_resolver.h"

namespace vigie::auth {
namespace {

constexpr std::string_view kZone = R"(
mairie-exemple.fr:
  - TXT: v=spf1 ip4:192.0.2.25 -all
mail.mairie-exemple.fr:
  - TXT: v=spf1 a -all
  - A: 192.0.2.25
slow.example:
  - TIMEOUT
_dmarc.mairie-exemple.fr:
  - TXT: v=DMARC1; p=quarantine
)";

Envelope envelope(std::string client_ip, std::string mail_from = {}, std::string helo = {}) {
  Envelope e;
  e.client_ip = std::move(client_ip);
  e.mail_from = std::move(mail_from);
  e.helo = std::move(helo);
  return e;
}

class AuthenticateTest : public ::testing::Test {
 protected:
  AuthResults run(std::string_view message, const Envelope& env, bool with_dns = true) {
    auto parsed = ParsedMessage::parse(std::make_shared<const std::string>(message), Limits{});
    return authenticate(*parsed, env, with_dns ? &*zone_ : nullptr);
  }
  Result<dns::RecordedResolver> zone_ = dns::RecordedResolver::from_string(kZone);
};

TEST_F(AuthenticateTest, ZoneLoads) { ASSERT_TRUE(zone_) << zone_.error().message; }

TEST_F(AuthenticateTest, ReturnPathStandsForMailFromInArchives) {
  ASSERT_TRUE(zone_);
  const AuthResults pass = run("Return-Path: <claire@mairie-exemple.fr>\n\nx\n",
                               envelope("192.0.2.25"));
  EXPECT_EQ(pass.spf.result, AuthResultCode::kPass);
  EXPECT_EQ(pass.spf.domain, "mairie-exemple.fr");
  EXPECT_EQ(pass.spf.identity, "mailfrom");
  const AuthResults fail = run("Return-Path: <claire@mairie-exemple.fr>\n\nx\n",
                               envelope("203.0.113.9"));
  EXPECT_EQ(fail.spf.result, AuthResultCode::kFail);
  EXPECT_NE(fail.spf.explanation.find("203.0.113.9"), std::string::npos) << fail.spf.explanation;
}

TEST_F(AuthenticateTest, EnvelopeMailFromWinsOverReturnPath) {
  ASSERT_TRUE(zone_);
  const AuthResults r = run("Return-Path: <x@slow.example>\n\nx\n",
                            envelope("192.0.2.25", "a@mairie-exemple.fr"));
  EXPECT_EQ(r.spf.result, AuthResultCode::kPass);
}

TEST_F(AuthenticateTest, NullReversePathChecksHelo) {
  ASSERT_TRUE(zone_);
  const AuthResults r = run("Return-Path: <>\n\nx\n",
                            envelope("192.0.2.25", "", "mail.mairie-exemple.fr"));
  EXPECT_EQ(r.spf.result, AuthResultCode::kPass);
  EXPECT_EQ(r.spf.identity, "helo");
  EXPECT_EQ(r.spf.domain, "mail.mairie-exemple.fr");
}

TEST_F(AuthenticateTest, TimeoutIsTempError) {
  ASSERT_TRUE(zone_);
  const AuthResults r = run("\nx\n", envelope("192.0.2.1", "a@slow.example"));
  EXPECT_EQ(r.spf.result, AuthResultCode::kTempError);
}

TEST_F(AuthenticateTest, MissingInputsGiveNoneWithAReason) {
  ASSERT_TRUE(zone_);
  const std::string_view msg = "Return-Path: <claire@mairie-exemple.fr>\n\nx\n";
  EXPECT_EQ(run(msg, envelope("192.0.2.25"), false).spf.result, AuthResultCode::kNone);
  EXPECT_NE(run(msg, envelope("192.0.2.25"), false).spf.reason.find("--dns-zone"),
            std::string::npos);
  EXPECT_NE(run(msg, envelope("")).spf.reason.find("--client-ip"), std::string::npos);
  EXPECT_NE(run(msg, envelope("not-an-ip")).spf.reason.find("not an IPv4"),
            std::string::npos);
  EXPECT_EQ(run("\nx\n", envelope("192.0.2.25")).spf.result, AuthResultCode::kNone);
}

TEST_F(AuthenticateTest, DmarcUsesTheFromDomainAndSpfAlignment) {
  ASSERT_TRUE(zone_);
  const AuthResults aligned = run("From: Claire <claire@Mairie-Exemple.fr>\n\nx\n",
                                  envelope("192.0.2.25", "bounce@mairie-exemple.fr"));
  EXPECT_EQ(aligned.dmarc.result, AuthResultCode::kPass);
  EXPECT_EQ(aligned.dmarc.from_domain, "mairie-exemple.fr");
  EXPECT_TRUE(aligned.dmarc.spf_aligned);
  EXPECT_NE(aligned.authentication_results.find("dmarc=pass"), std::string::npos);

  const AuthResults spoofed = run("From: Claire <claire@mairie-exemple.fr>\n\nx\n",
                                  envelope("203.0.113.9", "x@attacker.example"));
  EXPECT_EQ(spoofed.dmarc.result, AuthResultCode::kFail);
  EXPECT_EQ(spoofed.dmarc.disposition, DmarcPolicy::kQuarantine);
  EXPECT_EQ(spoofed.authentication_results.rfind("vigie; spf=", 0), 0u)
      << spoofed.authentication_results;
}

TEST_F(AuthenticateTest, DmarcNeedsOneAuthorDomain) {
  ASSERT_TRUE(zone_);
  const AuthResults r = run("From: a@mairie-exemple.fr, b@attacker.example\n\nx\n",
                            envelope("192.0.2.25", "a@mairie-exemple.fr"));
  EXPECT_EQ(r.dmarc.result, AuthResultCode::kPermError);
  EXPECT_NE(r.dmarc.reason.find("several domains"), std::string::npos);
  EXPECT_EQ(run("Subject: no author\n\nx\n", envelope("192.0.2.25")).dmarc.result,
            AuthResultCode::kPermError);
}

TEST_F(AuthenticateTest, WithoutDnsNothingRuns) {
  const AuthResults r = run("From: a@mairie-exemple.fr\n\nx\n", envelope("192.0.2.25"), false);
  EXPECT_EQ(r.dmarc.result, AuthResultCode::kNone);
  EXPECT_NE(r.dmarc.reason.find("no DNS source"), std::string::npos);
  EXPECT_EQ(r.authentication_results, "vigie; none");
}

TEST_F(AuthenticateTest, OneLookupBudgetForTheWholeMessage) {
  ASSERT_TRUE(zone_);
  // mail.mairie-exemple.fr's "v=spf1 a -all" needs two lookups (TXT, then A).
  const auto parsed = ParsedMessage::parse(
      std::make_shared<const std::string>("Return-Path: <a@mail.mairie-exemple.fr>\n\nx\n"), Limits{});
  AuthSettings settings;
  settings.budget.max_queries = 2;
  EXPECT_EQ(authenticate(*parsed, envelope("192.0.2.25"), &*zone_, settings).spf.result,
            AuthResultCode::kPass);
  settings.budget.max_queries = 1;
  const AuthResults r = authenticate(*parsed, envelope("192.0.2.25"), &*zone_, settings);
  EXPECT_EQ(r.spf.result, AuthResultCode::kTempError);
  EXPECT_NE(r.spf.reason.find("lookup budget exhausted: more than 1 lookups"), std::string::npos)
      << r.spf.reason;
}

TEST_F(AuthenticateTest, ClientFromTheReceivedChainIsNamedInTheReason) {
  ASSERT_TRUE(zone_);
  const auto parsed = ParsedMessage::parse(
      std::make_shared<const std::string>(
          "Return-Path: <claire@mairie-exemple.fr>\n"
          "Received: from relay.example (relay.example [10.1.1.1]) by mx.example with ESMTP; "
          "Mon, 16 Nov 2026 08:00:00 +0100\n"
          "Received: from out.mairie-exemple.fr (out.mairie-exemple.fr [192.0.2.25]) by "
          "relay.example with ESMTP; Mon, 16 Nov 2026 08:00:00 +0100\n\nx\n"),
      Limits{});
  AuthSettings settings;
  settings.trusted_relays.push_back(*IpNetwork::parse("10.0.0.0/8"));
  const AuthResults r = authenticate(*parsed, envelope(""), &*zone_, settings);
  EXPECT_EQ(r.spf.result, AuthResultCode::kPass);
  EXPECT_NE(r.spf.reason.find("(client IP 192.0.2.25 from Received header 2, below 1 trusted relay)"),
            std::string::npos)
      << r.spf.reason;
  EXPECT_NE(r.spf.reason_fr.find("(IP du client 192.0.2.25 selon l'en-tête Received 2, sous 1 relais de confiance)"),
            std::string::npos)
      << r.spf.reason_fr;
  // Untrusted relay: its own IP is the client, and it is not in the record.
  EXPECT_EQ(authenticate(*parsed, envelope(""), &*zone_, AuthSettings{}).spf.result,
            AuthResultCode::kFail);
}

// A host of ours (internal_networks) is in no public SPF record: its mail as our own domain is
// not spoofing, and neither SPF nor DMARC is checked for it. The same message from outside fails.
TEST_F(AuthenticateTest, MailFromOneOfOurOwnHostsIsNotCheckedAndSaysWhy) {
  ASSERT_TRUE(zone_);
  const auto parsed = ParsedMessage::parse(
      std::make_shared<const std::string>("From: Claire <claire@mairie-exemple.fr>\n\nx\n"), Limits{});
  AuthSettings settings;
  settings.internal_networks.push_back(*IpNetwork::parse("10.0.0.0/8"));
  const AuthResults inside = authenticate(*parsed, envelope("10.20.4.13", "claire@mairie-exemple.fr"), &*zone_, settings);
  EXPECT_EQ(inside.spf.result, AuthResultCode::kNone);
  EXPECT_EQ(inside.dmarc.result, AuthResultCode::kNone);
  EXPECT_EQ(inside.dmarc.from_domain, "mairie-exemple.fr");
  EXPECT_NE(inside.dmarc.reason.find("10.20.4.13 is one of our own hosts (internal_networks)"), std::string::npos)
      << inside.dmarc.reason;
  EXPECT_NE(inside.spf.reason_fr.find("l'un de nos hôtes"), std::string::npos) << inside.spf.reason_fr;
  const AuthResults outside = authenticate(*parsed, envelope("203.0.113.9", "claire@mairie-exemple.fr"), &*zone_, settings);
  EXPECT_EQ(outside.spf.result, AuthResultCode::kFail);
  EXPECT_EQ(outside.dmarc.result, AuthResultCode::kFail);
}

}  // namespace
}  // namespace vigie::auth

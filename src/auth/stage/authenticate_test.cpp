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
  EXPECT_EQ(pass.spf.result, "pass");
  EXPECT_EQ(pass.spf.domain, "mairie-exemple.fr");
  EXPECT_EQ(pass.spf.identity, "mailfrom");
  const AuthResults fail = run("Return-Path: <claire@mairie-exemple.fr>\n\nx\n",
                               envelope("203.0.113.9"));
  EXPECT_EQ(fail.spf.result, "fail");
  EXPECT_NE(fail.spf.explanation.find("203.0.113.9"), std::string::npos) << fail.spf.explanation;
}

TEST_F(AuthenticateTest, EnvelopeMailFromWinsOverReturnPath) {
  ASSERT_TRUE(zone_);
  const AuthResults r = run("Return-Path: <x@slow.example>\n\nx\n",
                            envelope("192.0.2.25", "a@mairie-exemple.fr"));
  EXPECT_EQ(r.spf.result, "pass");
}

TEST_F(AuthenticateTest, NullReversePathChecksHelo) {
  ASSERT_TRUE(zone_);
  const AuthResults r = run("Return-Path: <>\n\nx\n",
                            envelope("192.0.2.25", "", "mail.mairie-exemple.fr"));
  EXPECT_EQ(r.spf.result, "pass");
  EXPECT_EQ(r.spf.identity, "helo");
  EXPECT_EQ(r.spf.domain, "mail.mairie-exemple.fr");
}

TEST_F(AuthenticateTest, TimeoutIsTempError) {
  ASSERT_TRUE(zone_);
  const AuthResults r = run("\nx\n", envelope("192.0.2.1", "a@slow.example"));
  EXPECT_EQ(r.spf.result, "temperror");
}

TEST_F(AuthenticateTest, MissingInputsGiveNoneWithAReason) {
  ASSERT_TRUE(zone_);
  const std::string_view msg = "Return-Path: <claire@mairie-exemple.fr>\n\nx\n";
  EXPECT_EQ(run(msg, envelope("192.0.2.25"), false).spf.result, "none");
  EXPECT_NE(run(msg, envelope("192.0.2.25"), false).spf.reason.find("--dns-zone"),
            std::string::npos);
  EXPECT_NE(run(msg, envelope("")).spf.reason.find("--client-ip"), std::string::npos);
  EXPECT_NE(run(msg, envelope("not-an-ip")).spf.reason.find("not an IPv4"),
            std::string::npos);
  EXPECT_EQ(run("\nx\n", envelope("192.0.2.25")).spf.result, "none");
}

}  // namespace
}  // namespace vigie::auth

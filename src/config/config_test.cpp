#include "vigie/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vigie {
namespace {

std::string write_temp(std::string_view name, std::string_view content) {
  const auto path = std::filesystem::temp_directory_path() / ("vigie_config_test_" + std::string(name));
  std::ofstream(path) << content;
  return path.string();
}

TEST(ConfigTest, DefaultsApplyWithoutFile) {
  const Config c;
  EXPECT_EQ(c.limits.max_mime_depth, 24u);
  EXPECT_LT(c.policy.tag_at, c.policy.reject_at);
}

TEST(ConfigTest, ReadsKnownKeys) {
  const auto path = write_temp("ok.toml",
                               "[limits]\nmax_parts = 50\nmax_message_bytes = 1048576\n"
                               "[policy]\ntag_at = 2\nwarn_at = 3.5\nquarantine_at = 9\nreject_at = 10\n"
                               "[analyzers]\ndisabled = [\"parse_anomalies\"]\n");
  const Result<Config> c = load_config(path);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->limits.max_parts, 50u);
  EXPECT_EQ(c->limits.max_message_bytes, 1048576u);
  EXPECT_EQ(c->policy.warn_at, 3.5);
  EXPECT_EQ(c->analyzers.disabled, std::vector<std::string>{"parse_anomalies"});
}

TEST(ConfigTest, ErrorsNameFileLineAndKey) {
  const auto path = write_temp("bad.toml",
                               "[limits]\nmax_parts = \"many\"\nmax_depth = 3\n"
                               "[nope]\nx = 1\n[analyzers]\ndisabled = [\"ghost\"]\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  const std::string& m = c.error().message;
  EXPECT_NE(m.find(path + ":2:"), std::string::npos) << m;
  EXPECT_NE(m.find("limits.max_parts: expected an integer"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":3:"), std::string::npos) << m;
  EXPECT_NE(m.find("limits.max_depth: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find("nope: unknown section"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown analyzer 'ghost'"), std::string::npos) << m;
}

TEST(ConfigTest, RejectsNonPositiveLimitsAndUnorderedThresholds) {
  const auto path = write_temp("range.toml", "[limits]\nmax_parts = 0\n[policy]\ntag_at = 30\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("must be greater than zero"), std::string::npos);
  EXPECT_NE(c.error().message.find("tag_at <= warn_at"), std::string::npos);
}

TEST(ConfigTest, SyntaxErrorAndMissingFile) {
  const auto path = write_temp("syntax.toml", "[limits\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message.rfind(path + ":1:", 0), 0u) << c.error().message;
  EXPECT_FALSE(load_config("/nonexistent/vigie.toml"));
}

TEST(ConfigTest, DnsAndRelayDefaults) {
  const Config c;
  EXPECT_EQ(c.dns.timeout_ms, 3000u);
  EXPECT_EQ(c.dns.retries, 1u);
  EXPECT_EQ(c.dns.max_queries_per_message, 50u);
  EXPECT_EQ(c.dns.message_budget_ms, 10000u);
  EXPECT_TRUE(c.dns.servers.empty());
  EXPECT_TRUE(c.relays.trusted.empty());
}

TEST(ConfigTest, ReadsDnsAndRelays) {
  const auto path = write_temp("dns.toml",
                               "[dns]\ntimeout_ms = 500\nretries = 0\nmax_queries_per_message = 20\n"
                               "message_budget_ms = 4000\nservers = [\"127.0.0.1:5353\", \"[::1]:53\"]\n"
                               "trust_anchor_file = \"/usr/share/dns/root.key\"\n"
                               "[relays]\ntrusted = [\"192.0.2.0/24\", \"198.51.100.7\", \"2001:db8::/32\"]\n");
  const Result<Config> c = load_config(path);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->dns.timeout_ms, 500u);
  EXPECT_EQ(c->dns.retries, 0u);
  EXPECT_EQ(c->dns.max_queries_per_message, 20u);
  EXPECT_EQ(c->dns.message_budget_ms, 4000u);
  EXPECT_EQ(c->dns.servers, (std::vector<std::string>{"127.0.0.1:5353", "[::1]:53"}));
  EXPECT_EQ(c->dns.trust_anchor_file, "/usr/share/dns/root.key");
  EXPECT_EQ(c->relays.trusted,
            (std::vector<std::string>{"192.0.2.0/24", "198.51.100.7", "2001:db8::/32"}));
}

TEST(ConfigTest, DnsAndRelayErrorsNameFileLineAndKey) {
  const auto path = write_temp("dns_bad.toml",
                               "[dns]\n"
                               "timeout_ms = 0\n"
                               "retries = 9\n"
                               "servers = [\"dns.example\", 53]\n"
                               "cache = 1\n"
                               "[relays]\n"
                               "trusted = [\"192.0.2.1/24\", \"10.0.0.0/33\", \"mx.example\"]\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  const std::string& m = c.error().message;
  EXPECT_NE(m.find(path + ":2:14: dns.timeout_ms: must be between 1 and 60000"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":3:11: dns.retries: must be between 0 and 5"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":4:12: dns.servers: DNS server 'dns.example': not an IPv4 or IPv6 address"),
            std::string::npos) << m;
  EXPECT_NE(m.find(path + ":4:27: dns.servers: expected a string"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":5:9: dns.cache: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":7:12: relays.trusted: '192.0.2.1/24' is not an IP address or network"),
            std::string::npos) << m;
  EXPECT_NE(m.find("relays.trusted: '10.0.0.0/33'"), std::string::npos) << m;
  EXPECT_NE(m.find("relays.trusted: 'mx.example'"), std::string::npos) << m;
}

}  // namespace
}  // namespace vigie

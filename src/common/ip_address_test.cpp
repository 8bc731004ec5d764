#include "common/ip_address.h"

#include <gtest/gtest.h>

namespace vigie {
namespace {

TEST(DnsIpAddressTest, ParsesOnlyCanonicalForms) {
  EXPECT_TRUE(IpAddress::parse_v4("192.0.2.1").has_value());
  EXPECT_FALSE(IpAddress::parse_v4("1.2.3").has_value());         // RFC 7208 §5.6/4
  EXPECT_FALSE(IpAddress::parse_v4("01.2.3.4").has_value());      // leading zero
  EXPECT_FALSE(IpAddress::parse_v4("1.2.3.4:8080").has_value());
  EXPECT_FALSE(IpAddress::parse_v4(std::string_view("1.2.3.4\0", 8)).has_value());
  EXPECT_FALSE(IpAddress::parse_v6(":CAFE::BABE").has_value());
  EXPECT_FALSE(IpAddress::parse_v6("1.2.3.4").has_value());
  EXPECT_FALSE(IpAddress::parse(std::string(100, '1')).has_value());
  ASSERT_TRUE(IpAddress::parse("CAFE:BABE::1").has_value());
  EXPECT_EQ(IpAddress::parse("CAFE:BABE::1")->to_string(), "cafe:babe::1");
}

TEST(DnsIpAddressTest, UnmapsIpv4MappedAddresses) {
  const auto mapped = IpAddress::parse("::FFFF:1.2.3.4");
  ASSERT_TRUE(mapped.has_value());
  EXPECT_TRUE(mapped->is_v4_mapped());
  EXPECT_EQ(mapped->unmapped(), *IpAddress::parse("1.2.3.4"));
  EXPECT_EQ(IpAddress::parse("::1")->unmapped(), *IpAddress::parse("::1"));
}

TEST(DnsIpAddressTest, PrefixMatching) {
  const auto ip = *IpAddress::parse("192.0.2.130");
  EXPECT_TRUE(ip.in_network(*IpAddress::parse("192.0.2.128"), 25));
  EXPECT_FALSE(ip.in_network(*IpAddress::parse("192.0.2.0"), 25));
  EXPECT_TRUE(ip.in_network(*IpAddress::parse("10.0.0.0"), 0));
  EXPECT_FALSE(ip.in_network(*IpAddress::parse("::"), 0));  // families never match
  const auto v6 = *IpAddress::parse("cafe:babe:8000::1");
  EXPECT_TRUE(v6.in_network(*IpAddress::parse("cafe:babe:8000::"), 33));
  EXPECT_FALSE(v6.in_network(*IpAddress::parse("cafe:babe::"), 33));
  EXPECT_TRUE(v6.in_network(*IpAddress::parse("cafe:babe::"), 32));
}

TEST(IpEndpointTest, AcceptsTheDocumentedForms) {
  const auto form = [](const char* text) {
    const auto e = IpEndpoint::parse(text, 53);
    return e ? e->address.to_string() + "@" + std::to_string(e->port) : "error: " + e.error().message;
  };
  EXPECT_EQ(form("192.0.2.1"), "192.0.2.1@53");
  EXPECT_EQ(form("127.0.0.1:5353"), "127.0.0.1@5353");
  EXPECT_EQ(form("2001:DB8::1"), "2001:db8::1@53");
  EXPECT_EQ(form("[::1]:8053"), "::1@8053");
}

TEST(IpEndpointTest, RejectsWithAClearMessage) {
  for (const char* bad : {"", "dns.example", "192.0.2.1:", "192.0.2.1:0", "192.0.2.1:65536",
                          "192.0.2.1:53x", "[::1", "[::1]53", "[192.0.2.300]:53", "1.2.3:53"}) {
    const auto parsed = IpEndpoint::parse(bad, 53);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().message.find("expected IP or IP:PORT"), std::string::npos) << parsed.error().message;
    EXPECT_NE(parsed.error().message.find(std::string("'") + bad + "'"), std::string::npos);
  }
}

}  // namespace
}  // namespace vigie

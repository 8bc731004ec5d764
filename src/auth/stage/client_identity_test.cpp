#include "auth/stage/client_identity.h"

#include <gtest/gtest.h>

namespace vigie::auth {
namespace {

std::unique_ptr<ParsedMessage> parse(std::string_view text) {
  return ParsedMessage::parse(std::make_shared<const std::string>(text), Limits{});
}

std::vector<IpNetwork> networks(std::initializer_list<const char*> texts) {
  std::vector<IpNetwork> out;
  for (const char* text : texts) {
    const auto network = IpNetwork::parse(text);
    EXPECT_TRUE(network) << text;
    if (network) out.push_back(*network);
  }
  return out;
}

// Our MX (mx.mairie-exemple.fr) received from our filter (10.0.0.5), which received from our
// gateway (192.0.2.10), which received from the sender's server (198.51.100.14).
constexpr std::string_view kChain =
    "Received: from filter.mairie-exemple.fr (filter.mairie-exemple.fr [10.0.0.5])\n"
    "\tby mx.mairie-exemple.fr (Postfix) with ESMTP id AAA; Mon, 16 Nov 2026 08:00:03 +0100\n"
    "Received: from gw.mairie-exemple.fr (gw.mairie-exemple.fr [192.0.2.10])\n"
    "\tby filter.mairie-exemple.fr with ESMTP id BBB; Mon, 16 Nov 2026 08:00:02 +0100\n"
    "Received: from smtp.partenaire-exemple.eu (smtp.partenaire-exemple.eu [198.51.100.14])\n"
    "\tby gw.mairie-exemple.fr with ESMTPS id CCC; Mon, 16 Nov 2026 08:00:01 +0100\n"
    "Received: from [203.0.113.50] (forged.example [203.0.113.50])\n"
    "\tby smtp.partenaire-exemple.eu with ESMTPSA; Mon, 16 Nov 2026 08:00:00 +0100\n"
    "From: a@partenaire-exemple.eu\n\nx\n";

TEST(IpNetworkTest, ParsesAddressesAndNetworks) {
  const auto v4 = IpNetwork::parse("192.0.2.0/24");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->prefix_length, 24u);
  EXPECT_TRUE(v4->contains(*IpAddress::parse("192.0.2.200")));
  EXPECT_FALSE(v4->contains(*IpAddress::parse("192.0.3.1")));
  EXPECT_TRUE(v4->contains(*IpAddress::parse("::ffff:192.0.2.7")));  // mapped: as IPv4
  EXPECT_FALSE(v4->contains(*IpAddress::parse("2001:db8::1")));
  const auto host = IpNetwork::parse("198.51.100.7");
  ASSERT_TRUE(host);
  EXPECT_EQ(host->prefix_length, 32u);
  const auto v6 = IpNetwork::parse("2001:db8::/32");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains(*IpAddress::parse("2001:db8:1::5")));
  EXPECT_TRUE(IpNetwork::parse("0.0.0.0/0"));
  const auto mapped = IpNetwork::parse("::ffff:10.0.0.0/104");
  ASSERT_TRUE(mapped);
  EXPECT_TRUE(mapped->contains(*IpAddress::parse("10.1.2.3")));
  for (const char* bad : {"", "/24", "192.0.2.0/", "192.0.2.0/33", "192.0.2.1/24", "2001:db8::/129",
                          "192.0.2.0/2x", "mx.example", "192.0.2.0/0024", "::ffff:10.0.0.0/64"}) {
    EXPECT_FALSE(IpNetwork::parse(bad)) << bad;
  }
}

TEST(ClientIdentityTest, EnvelopeWins) {
  Envelope envelope;
  envelope.client_ip = "192.0.2.99";
  envelope.helo = "h.example";
  const ClientIdentity c = identify_client(*parse(kChain), envelope, {});
  EXPECT_EQ(c.ip, "192.0.2.99");
  EXPECT_EQ(c.helo, "h.example");
  EXPECT_EQ(c.source, "envelope");
  EXPECT_FALSE(c.from_received);
}

TEST(ClientIdentityTest, WithoutTrustedRelaysTheTopmostHopGivesTheClient) {
  const ClientIdentity c = identify_client(*parse(kChain), Envelope{}, {});
  EXPECT_EQ(c.ip, "10.0.0.5");
  EXPECT_EQ(c.helo, "filter.mairie-exemple.fr");
  EXPECT_EQ(c.source, "Received header 1, the topmost");
  EXPECT_TRUE(c.from_received);
}

TEST(ClientIdentityTest, TrustedRelaysAreSkipped) {
  const ClientIdentity c =
      identify_client(*parse(kChain), Envelope{}, networks({"10.0.0.0/8", "192.0.2.10"}));
  EXPECT_EQ(c.ip, "198.51.100.14");
  EXPECT_EQ(c.helo, "smtp.partenaire-exemple.eu");
  EXPECT_EQ(c.source, "Received header 3, below 2 trusted relays");
}

TEST(ClientIdentityTest, StopsAtTheFirstUntrustedHopEvenIfLowerOnesAreTrusted) {
  // 192.0.2.10 is trusted but the filter (10.0.0.5) is not: its word about the gateway counts for
  // nothing, so the client is the filter.
  const ClientIdentity c = identify_client(*parse(kChain), Envelope{}, networks({"192.0.2.10"}));
  EXPECT_EQ(c.ip, "10.0.0.5");
  EXPECT_EQ(c.source, "Received header 1, the topmost");
}

TEST(ClientIdentityTest, EnvelopeHeloIsKeptWithAReceivedIp) {
  Envelope envelope;
  envelope.helo = "given.example";
  const ClientIdentity c = identify_client(*parse(kChain), envelope, networks({"10.0.0.0/8"}));
  EXPECT_EQ(c.ip, "192.0.2.10");
  EXPECT_EQ(c.helo, "given.example");
  EXPECT_EQ(c.source, "Received header 2, below 1 trusted relay");
}

TEST(ClientIdentityTest, NoAnswerWhenTheChainCannotBeRead) {
  const ClientIdentity none = identify_client(*parse("From: a@b.example\n\nx\n"), Envelope{}, {});
  EXPECT_EQ(none.ip, "");
  EXPECT_EQ(none.source, "no client IP: give --client-ip (the message has no Received header)");

  const ClientIdentity all_trusted =
      identify_client(*parse(kChain), Envelope{}, networks({"0.0.0.0/0"}));
  EXPECT_EQ(all_trusted.ip, "");
  EXPECT_NE(all_trusted.source.find("every Received header comes from a trusted relay (4 hops)"),
            std::string::npos)
      << all_trusted.source;

  const ClientIdentity no_ip = identify_client(
      *parse("Received: by mx.example (Postfix, from userid 1000) id X; Mon, 16 Nov 2026 08:00:00 "
             "+0100\nFrom: a@b.example\n\nx\n"),
      Envelope{}, {});
  EXPECT_EQ(no_ip.ip, "");
  EXPECT_EQ(no_ip.source, "no client IP: give --client-ip (Received header 1 records no client IP)");
}

TEST(ClientIdentityTest, Ipv6Hops) {
  const ClientIdentity c = identify_client(
      *parse("Received: from a.example (a.example [IPv6:2001:db8::25]) by mx.example with ESMTP; "
             "Mon, 16 Nov 2026 08:00:00 +0100\n"
             "Received: from b.example (b.example [IPv6:2001:db9::1]) by a.example with ESMTP; "
             "Mon, 16 Nov 2026 08:00:00 +0100\n\nx\n"),
      Envelope{}, networks({"2001:db8::/32"}));
  EXPECT_EQ(c.ip, "2001:db9::1");
  EXPECT_EQ(c.helo, "b.example");
}

}  // namespace
}  // namespace vigie::auth

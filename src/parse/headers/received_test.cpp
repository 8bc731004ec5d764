// Tests of parse_received (RFC 5321 §4.4) on the layouts of common MTAs.
#include <string>

#include <gtest/gtest.h>

#include "parse/headers/header_grammar.h"

namespace vigie::parse {
namespace {

constexpr std::int64_t k20030701_105237Z = 1057056757;  // 2003-07-01T10:52:37Z

TEST(ReceivedTest, PostfixFullField) {
  const ReceivedHop h = parse_received(
      "from mail.example.org (mail.example.org [192.0.2.1]) by mx.example.net (Postfix) with "
      "ESMTPS id 4ABC for <u@example.net>; Tue, 1 Jul 2003 10:52:37 +0200");
  EXPECT_EQ(h.from_helo, "mail.example.org");
  EXPECT_EQ(h.from_rdns, "mail.example.org");
  EXPECT_EQ(h.from_ip, "192.0.2.1");
  EXPECT_EQ(h.by, "mx.example.net");
  EXPECT_EQ(h.with, "ESMTPS");
  EXPECT_EQ(h.id, "4ABC");
  EXPECT_EQ(h.for_address, "u@example.net");
  ASSERT_TRUE(h.date.has_value());
  EXPECT_EQ(h.date->unix_seconds, k20030701_105237Z - 7200);
  EXPECT_EQ(h.date->utc_offset_minutes, 120);
}

TEST(ReceivedTest, PostfixFoldedWithTlsComment) {
  const ReceivedHop h = parse_received(
      "from helo.example (unknown [198.51.100.7])\r\n"
      "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\r\n"
      "\t key-exchange X25519 server-signature RSA-PSS (2048 bits))\r\n"
      "\t(No client certificate requested)\r\n"
      "\tby mx.example.net (Postfix) with ESMTPS id 4Zx9Yk1abcz2\r\n"
      "\tfor <u@example.net>; Tue,  1 Jul 2003 10:52:37 +0000 (UTC)");
  EXPECT_EQ(h.from_helo, "helo.example");
  EXPECT_EQ(h.from_rdns, "");  // "unknown": no PTR record
  EXPECT_EQ(h.from_ip, "198.51.100.7");
  EXPECT_EQ(h.by, "mx.example.net");
  EXPECT_EQ(h.with, "ESMTPS");
  EXPECT_EQ(h.id, "4Zx9Yk1abcz2");
  EXPECT_EQ(h.for_address, "u@example.net");
  ASSERT_TRUE(h.date.has_value());
  EXPECT_EQ(h.date->unix_seconds, k20030701_105237Z);
}

TEST(ReceivedTest, EximIpLiteralWithHelo) {
  const ReceivedHop h = parse_received(
      "from [192.0.2.1] (helo=foo) by mx.example.net with esmtp (Exim 4.96) "
      "(envelope-from <a@b.example>) id 1qABC-000123-4X for u@example.net; "
      "Tue, 01 Jul 2003 10:52:37 +0000");
  EXPECT_EQ(h.from_helo, "foo");
  EXPECT_EQ(h.from_rdns, "");
  EXPECT_EQ(h.from_ip, "192.0.2.1");
  EXPECT_EQ(h.by, "mx.example.net");
  EXPECT_EQ(h.with, "esmtp");
  EXPECT_EQ(h.id, "1qABC-000123-4X");
  EXPECT_EQ(h.for_address, "u@example.net");
  ASSERT_TRUE(h.date.has_value());
}

TEST(ReceivedTest, EximRdnsPortAndTlsWords) {
  const ReceivedHop h = parse_received(
      "from host.rdns.example ([192.0.2.1]:45678 helo=claimed.example) by mx.example.net "
      "with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) id 1qX; "
      "1 Jul 2003 10:52:37 +0000");
  EXPECT_EQ(h.from_helo, "claimed.example");
  EXPECT_EQ(h.from_rdns, "host.rdns.example");
  EXPECT_EQ(h.from_ip, "192.0.2.1");
  EXPECT_EQ(h.with, "esmtps");
  EXPECT_EQ(h.id, "1qX");
}

TEST(ReceivedTest, EximPortEqualsForm) {
  const ReceivedHop h =
      parse_received("from [203.0.113.5] (port=50123 helo=relay.example) by mx with esmtp");
  EXPECT_EQ(h.from_helo, "relay.example");
  EXPECT_EQ(h.from_ip, "203.0.113.5");
  EXPECT_FALSE(h.date.has_value());
}

TEST(ReceivedTest, QmailHeloAndBareIp) {
  const ReceivedHop h = parse_received(
      "from unknown (HELO x) (1.2.3.4) by mail.example.com with SMTP; 1 Jul 2003 10:52:37 -0000");
  EXPECT_EQ(h.from_helo, "x");
  EXPECT_EQ(h.from_rdns, "");
  EXPECT_EQ(h.from_ip, "1.2.3.4");
  EXPECT_EQ(h.by, "mail.example.com");
  EXPECT_EQ(h.with, "SMTP");
  ASSERT_TRUE(h.date.has_value());
  EXPECT_EQ(h.date->unix_seconds, k20030701_105237Z);
}

TEST(ReceivedTest, QmailNamedHostWithHelo) {
  const ReceivedHop h = parse_received(
      "from host.rdns.example (HELO claimed.example) (198.51.100.2) by mail.example.com with "
      "ESMTP; 1 Jul 2003 10:52:37 -0000");
  EXPECT_EQ(h.from_helo, "claimed.example");
  EXPECT_EQ(h.from_rdns, "host.rdns.example");
  EXPECT_EQ(h.from_ip, "198.51.100.2");
}

TEST(ReceivedTest, QmailInvokedFromNetwork) {
  const ReceivedHop h = parse_received("(qmail 1234 invoked from network); 1 Jul 2003 10:52:37 -0000");
  EXPECT_EQ(h.from_helo, "");
  EXPECT_EQ(h.from_ip, "");
  EXPECT_EQ(h.by, "");
  ASSERT_TRUE(h.date.has_value());
  EXPECT_EQ(h.date->unix_seconds, k20030701_105237Z);
}

TEST(ReceivedTest, Ipv6AddressLiteral) {
  const ReceivedHop h = parse_received(
      "from foo.example (foo.example [IPv6:2001:db8::1]) by mx.example.net (Postfix) with ESMTP "
      "id 1; 1 Jul 2003 10:52:37 +0000");
  EXPECT_EQ(h.from_helo, "foo.example");
  EXPECT_EQ(h.from_rdns, "foo.example");
  EXPECT_EQ(h.from_ip, "2001:db8::1");
}

TEST(ReceivedTest, ExchangeOnline) {
  const ReceivedHop h = parse_received(
      "from AM0PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:208:1::12) by\r\n"
      " AM0PR01MB5678.eurprd01.prod.exchangelabs.com (2603:10a6:208:2::34) with\r\n"
      " Microsoft SMTP Server (version=TLS1_2,\r\n"
      " cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.6631.20 via Frontend\r\n"
      " Transport; Tue, 1 Jul 2003 10:52:37 +0000");
  EXPECT_EQ(h.from_helo, "AM0PR01MB1234.eurprd01.prod.exchangelabs.com");
  EXPECT_EQ(h.from_rdns, "");
  EXPECT_EQ(h.from_ip, "2603:10a6:208:1::12");
  EXPECT_EQ(h.by, "AM0PR01MB5678.eurprd01.prod.exchangelabs.com");
  EXPECT_EQ(h.with, "Microsoft SMTP Server");
  EXPECT_EQ(h.id, "15.20.6631.20");
  ASSERT_TRUE(h.date.has_value());
  EXPECT_EQ(h.date->unix_seconds, k20030701_105237Z);
}

TEST(ReceivedTest, GmailWithoutTcpInfo) {
  const ReceivedHop h = parse_received(
      "from foo by mx.google.com with SMTPS id a1-20020a05600c000100b003f1234567sor123456wmb.1 "
      "for <u@gmail.com>; Tue, 01 Jul 2003 03:52:37 -0700 (PDT)");
  EXPECT_EQ(h.from_helo, "foo");
  EXPECT_EQ(h.from_ip, "");
  EXPECT_EQ(h.from_rdns, "");
  EXPECT_EQ(h.by, "mx.google.com");
  EXPECT_EQ(h.with, "SMTPS");
  EXPECT_EQ(h.id, "a1-20020a05600c000100b003f1234567sor123456wmb.1");
  EXPECT_EQ(h.for_address, "u@gmail.com");
  ASSERT_TRUE(h.date.has_value());
  EXPECT_EQ(h.date->utc_offset_minutes, -420);
  EXPECT_EQ(h.date->unix_seconds, k20030701_105237Z);
}

TEST(ReceivedTest, GmailRdnsWithRootDot) {
  const ReceivedHop h = parse_received(
      "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com "
      "with SMTPS id x for <u@example.com> (Google Transport Security); "
      "Tue, 01 Jul 2003 03:52:37 -0700 (PDT)");
  EXPECT_EQ(h.from_rdns, "mail-sor-f41.google.com");
  EXPECT_EQ(h.from_ip, "209.85.220.41");
  EXPECT_EQ(h.for_address, "u@example.com");
}

TEST(ReceivedTest, SendmailMayBeForgedAndIdent) {
  const ReceivedHop h = parse_received(
      "from helo.example (user@rdns.example [203.0.113.9] (may be forged)) by mx.example.net "
      "(8.15.2/8.15.2) with ESMTP id 0A1B2C3D for <u@example.net>; 1 Jul 2003 10:52:37 +0000");
  EXPECT_EQ(h.from_helo, "helo.example");
  EXPECT_EQ(h.from_rdns, "rdns.example");
  EXPECT_EQ(h.from_ip, "203.0.113.9");
  EXPECT_EQ(h.with, "ESMTP");
  EXPECT_EQ(h.id, "0A1B2C3D");
}

TEST(ReceivedTest, BracketedIpWithPort) {
  const ReceivedHop h = parse_received("from x ([1.2.3.4]:2525) by y with SMTP");
  EXPECT_EQ(h.from_helo, "x");
  EXPECT_EQ(h.from_ip, "1.2.3.4");
  EXPECT_EQ(h.from_rdns, "");
  EXPECT_EQ(h.by, "y");
}

TEST(ReceivedTest, IpNeverTakenFromByClauseOrHelo) {
  const ReceivedHop a =
      parse_received("from helo by mx.example.net (192.0.2.99) with SMTP; 1 Jul 2003 10:52:37 Z");
  EXPECT_EQ(a.from_ip, "");
  EXPECT_EQ(a.by, "mx.example.net");
  const ReceivedHop b = parse_received("from [10.0.0.1] by mx.example.net with SMTP");
  EXPECT_EQ(b.from_helo, "[10.0.0.1]");
  EXPECT_EQ(b.from_ip, "");  // a HELO address literal is a claim, not the peer
}

TEST(ReceivedTest, InvalidAndMappedAddresses) {
  EXPECT_EQ(parse_received("from x (x [999.1.1.1]) by y").from_ip, "");
  EXPECT_EQ(parse_received("from x (x [1.2.3]) by y").from_ip, "");
  EXPECT_EQ(parse_received("from x (x [2001:db8:::1]) by y").from_ip, "");
  EXPECT_EQ(parse_received("from x (x [::ffff:192.0.2.1]) by y").from_ip, "192.0.2.1");
  EXPECT_EQ(parse_received("from x (x [IPv6:::1]) by y").from_ip, "::1");
  EXPECT_EQ(parse_received("from x (x [IPv6:1:2:3:4:5:6:7:8]) by y").from_ip, "1:2:3:4:5:6:7:8");
}

TEST(ReceivedTest, SemicolonInsideCommentDoesNotSplit) {
  const ReceivedHop h = parse_received(
      "from x (a;b [1.2.3.4]) by y (c;d); Tue, 1 Jul 2003 10:52:37 +0000");
  EXPECT_EQ(h.from_ip, "1.2.3.4");
  EXPECT_EQ(h.by, "y");
  ASSERT_TRUE(h.date.has_value());
  EXPECT_EQ(h.date->unix_seconds, k20030701_105237Z);
}

TEST(ReceivedTest, KeywordsCaseInsensitiveAndRepeatedIgnored) {
  const ReceivedHop h =
      parse_received("FROM a.example BY b.example WITH LMTP ID q1 by c.example; 1 Jul 2003 10:52:37 Z");
  EXPECT_EQ(h.from_helo, "a.example");
  EXPECT_EQ(h.by, "b.example");
  EXPECT_EQ(h.with, "LMTP");
  EXPECT_EQ(h.id, "q1");
}

TEST(ReceivedTest, GarbageAndBadDate) {
  const ReceivedHop g = parse_received("garbage");
  EXPECT_EQ(g.from_helo, "");
  EXPECT_EQ(g.by, "");
  EXPECT_FALSE(g.date.has_value());
  const ReceivedHop d = parse_received("from x by y; not a date");
  EXPECT_EQ(d.from_helo, "x");
  EXPECT_EQ(d.by, "y");
  EXPECT_FALSE(d.date.has_value());
  const ReceivedHop e = parse_received("");
  EXPECT_EQ(e.from_helo, "");
  EXPECT_FALSE(e.date.has_value());
}

TEST(ReceivedTest, HostileInputsStayBounded) {
  const ReceivedHop a = parse_received(std::string(200000, '('));
  EXPECT_FALSE(a.date.has_value());
  std::string words = "from a ";
  for (int k = 0; k < 50000; ++k) words += "(1.2.3.4) ";
  EXPECT_EQ(parse_received(words).from_ip, "1.2.3.4");
  std::string semis(100000, ';');
  EXPECT_FALSE(parse_received(semis).date.has_value());
}

}  // namespace
}  // namespace vigie::parse

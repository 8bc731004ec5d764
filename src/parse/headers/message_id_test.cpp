// Tests of parse_message_ids (RFC 5322 §3.6.4, obsolete forms §4.5.4).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "parse/headers/header_grammar.h"

namespace vigie::parse {
namespace {

using Ids = std::vector<std::string>;

TEST(MessageIdTest, SingleId) {
  EXPECT_EQ(parse_message_ids("<abc.123@example.com>"), Ids{"abc.123@example.com"});
  EXPECT_EQ(parse_message_ids("  <abc@example.com>  "), Ids{"abc@example.com"});
}

TEST(MessageIdTest, ReferencesWithFolding) {
  EXPECT_EQ(parse_message_ids("<a@x.example>\r\n <b@y.example>\r\n\t<c@z.example>"),
            (Ids{"a@x.example", "b@y.example", "c@z.example"}));
  EXPECT_EQ(parse_message_ids("<a@x><b@y>"), (Ids{"a@x", "b@y"}));
  EXPECT_EQ(parse_message_ids("<a@x>, <b@y>"), (Ids{"a@x", "b@y"}));
}

TEST(MessageIdTest, CommentsBetweenIdsAreIgnored) {
  EXPECT_EQ(parse_message_ids("(first) <a@x> (not <fake@id> (nested)) <b@y> (last"),
            (Ids{"a@x", "b@y"}));
}

TEST(MessageIdTest, CfwsInsideIdRemoved) {
  // §4.5.4: obs-id-left / obs-id-right allow CFWS around the parts.
  EXPECT_EQ(parse_message_ids("< a (c) @ x.example >"), Ids{"a@x.example"});
  EXPECT_EQ(parse_message_ids("<abc@\r\n example.com>"), Ids{"abc@example.com"});
  EXPECT_EQ(parse_message_ids("<\"quoted local\"@x>"), Ids{"quoted local@x"});
}

TEST(MessageIdTest, IdsWithoutBrackets) {
  EXPECT_EQ(parse_message_ids("abc@example.com"), Ids{"abc@example.com"});
  EXPECT_EQ(parse_message_ids("  abc@example.com (comment) "), Ids{"abc@example.com"});
  EXPECT_EQ(parse_message_ids("token-without-at"), Ids{"token-without-at"});
  EXPECT_EQ(parse_message_ids("a@x.example b@y.example"), (Ids{"a@x.example", "b@y.example"}));
  EXPECT_EQ(parse_message_ids("message from john"), Ids{});
}

TEST(MessageIdTest, PhraseAroundBracketedIdIgnored) {
  // RFC 822 In-Reply-To allowed phrases.
  EXPECT_EQ(parse_message_ids("Your message of Tue, 1 Jul 2003 <a@x.example>"),
            Ids{"a@x.example"});
}

TEST(MessageIdTest, BrokenBrackets) {
  EXPECT_EQ(parse_message_ids("<a@x <b@y>"), (Ids{"a@x", "b@y"}));
  EXPECT_EQ(parse_message_ids("<a@x"), Ids{"a@x"});
  EXPECT_EQ(parse_message_ids("<a@x> trailing"), Ids{"a@x"});
  EXPECT_EQ(parse_message_ids("<>"), Ids{});
  EXPECT_EQ(parse_message_ids("<> <a@x>"), Ids{"a@x"});
  EXPECT_EQ(parse_message_ids(""), Ids{});
  EXPECT_EQ(parse_message_ids("   "), Ids{});
}

TEST(MessageIdTest, CountIsCapped) {
  std::string refs;
  for (int k = 0; k < 5000; ++k) refs += "<id" + std::to_string(k) + "@x> ";
  const Ids ids = parse_message_ids(refs);
  ASSERT_EQ(ids.size(), 1000u);
  EXPECT_EQ(ids.front(), "id0@x");
  EXPECT_EQ(ids.back(), "id999@x");
}

TEST(MessageIdTest, HostileInputsStayBounded) {
  EXPECT_TRUE(parse_message_ids(std::string(200000, '(')).empty());
  EXPECT_EQ(parse_message_ids(std::string(200000, '<')).size(), 0u);
  std::string spaces = "<a";
  spaces += std::string(200000, ' ');
  spaces += "b>";
  EXPECT_EQ(parse_message_ids(spaces), Ids{"ab"});
  std::string unclosed;
  for (int k = 0; k < 20000; ++k) unclosed += "<a b ";
  EXPECT_EQ(parse_message_ids(unclosed).size(), 1000u);
}

}  // namespace
}  // namespace vigie::parse

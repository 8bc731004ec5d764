// Tests of parse_address_list (RFC 5322 §3.4, obsolete forms §4.4, RFC 6532, RFC 2047 §5).
#include <string>

#include <gtest/gtest.h>

#include "parse/headers/header_grammar.h"

namespace vigie::parse {
namespace {

TEST(AddressListTest, BareAddress) {
  const AddressList l = parse_address_list("john@example.com");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].display_name, "");
  EXPECT_EQ(l.mailboxes[0].local_part, "john");
  EXPECT_EQ(l.mailboxes[0].domain, "example.com");
  EXPECT_EQ(l.mailboxes[0].group, "");
  EXPECT_EQ(l.mailboxes[0].address(), "john@example.com");
  EXPECT_FALSE(l.malformed);
  EXPECT_FALSE(l.encoded_word_hides_address);
}

TEST(AddressListTest, NameAddr) {
  const AddressList l = parse_address_list("John Doe <john.doe@example.com>");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].display_name, "John Doe");
  EXPECT_EQ(l.mailboxes[0].address(), "john.doe@example.com");
  EXPECT_FALSE(l.malformed);
}

TEST(AddressListTest, QuotedDisplayNameWithEscapesAndSpecials) {
  const AddressList l =
      parse_address_list(R"x("Doe, John \"JD\" <jd@x>; (x)" <john@example.com>, b@y.example)x");
  ASSERT_EQ(l.mailboxes.size(), 2u);
  EXPECT_EQ(l.mailboxes[0].display_name, "Doe, John \"JD\" <jd@x>; (x)");
  EXPECT_EQ(l.mailboxes[0].address(), "john@example.com");
  EXPECT_EQ(l.mailboxes[1].address(), "b@y.example");
  EXPECT_FALSE(l.malformed);
  EXPECT_FALSE(l.encoded_word_hides_address);  // written literally, not hidden in an encoded-word
}

TEST(AddressListTest, ListOfMixedForms) {
  const AddressList l = parse_address_list(
      "a@x.example, \"B\" <b@y.example>,\r\n C Person <c@z.example>, <d@w.example>");
  ASSERT_EQ(l.mailboxes.size(), 4u);
  EXPECT_EQ(l.mailboxes[0].address(), "a@x.example");
  EXPECT_EQ(l.mailboxes[1].display_name, "B");
  EXPECT_EQ(l.mailboxes[2].display_name, "C Person");
  EXPECT_EQ(l.mailboxes[2].address(), "c@z.example");
  EXPECT_EQ(l.mailboxes[3].display_name, "");
  EXPECT_EQ(l.mailboxes[3].address(), "d@w.example");
  EXPECT_FALSE(l.malformed);
}

TEST(AddressListTest, EmptyGroup) {
  const AddressList l = parse_address_list("undisclosed-recipients:;");
  EXPECT_TRUE(l.mailboxes.empty());
  EXPECT_FALSE(l.malformed);
}

TEST(AddressListTest, GroupWithMembers) {
  const AddressList l =
      parse_address_list("team: a@b.example, Carl <c@d.example>;, after@e.example");
  ASSERT_EQ(l.mailboxes.size(), 3u);
  EXPECT_EQ(l.mailboxes[0].group, "team");
  EXPECT_EQ(l.mailboxes[0].address(), "a@b.example");
  EXPECT_EQ(l.mailboxes[1].group, "team");
  EXPECT_EQ(l.mailboxes[1].display_name, "Carl");
  EXPECT_EQ(l.mailboxes[1].address(), "c@d.example");
  EXPECT_EQ(l.mailboxes[2].group, "");
  EXPECT_EQ(l.mailboxes[2].address(), "after@e.example");
  EXPECT_FALSE(l.malformed);
}

TEST(AddressListTest, GroupWithoutClosingSemicolon) {
  const AddressList l = parse_address_list("\"My Team\": a@b.example");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].group, "My Team");
  EXPECT_TRUE(l.malformed);
}

TEST(AddressListTest, CommentsEverywhere) {
  const AddressList l = parse_address_list(
      "(lead) john(comment (nested \\) paren))@(c2)example.com (John Smith)");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].address(), "john@example.com");
  // The RFC 822 "addr (Name)" style: clients show the trailing comment as the name.
  EXPECT_EQ(l.mailboxes[0].display_name, "John Smith");
  EXPECT_FALSE(l.malformed);
  const AddressList trailing = parse_address_list("john@example.com (John Smith)");
  ASSERT_EQ(trailing.mailboxes.size(), 1u);
  EXPECT_EQ(trailing.mailboxes[0].display_name, "John Smith");
  const AddressList inside = parse_address_list("John (the man) Doe <j@x.example> (ignored)");
  ASSERT_EQ(inside.mailboxes.size(), 1u);
  EXPECT_EQ(inside.mailboxes[0].display_name, "John Doe");
  EXPECT_FALSE(inside.malformed);
}

TEST(AddressListTest, ObsoleteRoute) {
  const AddressList l = parse_address_list("<@relay1.example,@relay2.example:user@host.example>");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].address(), "user@host.example");
  EXPECT_FALSE(l.malformed);
  const AddressList named =
      parse_address_list("Joe <@r1.example, @r2.example : joe@h.example>, x@y.example");
  ASSERT_EQ(named.mailboxes.size(), 2u);
  EXPECT_EQ(named.mailboxes[0].display_name, "Joe");
  EXPECT_EQ(named.mailboxes[0].address(), "joe@h.example");
  EXPECT_EQ(named.mailboxes[1].address(), "x@y.example");
  EXPECT_FALSE(named.malformed);
}

TEST(AddressListTest, ObsoleteLocalPartAndDomainWithSpaces) {
  const AddressList l = parse_address_list("john . smith @ example . com");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].local_part, "john.smith");
  EXPECT_EQ(l.mailboxes[0].domain, "example.com");
  EXPECT_FALSE(l.malformed);
  const AddressList q = parse_address_list("\"john\".\"smith\"@example.com");
  ASSERT_EQ(q.mailboxes.size(), 1u);
  EXPECT_EQ(q.mailboxes[0].local_part, "john.smith");
  EXPECT_FALSE(q.malformed);
}

TEST(AddressListTest, QuotedLocalPart) {
  const AddressList l = parse_address_list("\"john smith\"@example.com, \"a@b\"@c.example");
  ASSERT_EQ(l.mailboxes.size(), 2u);
  EXPECT_EQ(l.mailboxes[0].local_part, "john smith");
  EXPECT_EQ(l.mailboxes[0].domain, "example.com");
  EXPECT_EQ(l.mailboxes[1].local_part, "a@b");
  EXPECT_EQ(l.mailboxes[1].domain, "c.example");
  EXPECT_FALSE(l.malformed);
}

TEST(AddressListTest, DomainLiterals) {
  const AddressList l =
      parse_address_list("user@[192.0.2.1], Joe <joe@[IPv6:2001:db8::1]>");
  ASSERT_EQ(l.mailboxes.size(), 2u);
  EXPECT_EQ(l.mailboxes[0].domain, "192.0.2.1");
  EXPECT_EQ(l.mailboxes[0].local_part, "user");
  EXPECT_EQ(l.mailboxes[1].domain, "IPv6:2001:db8::1");
  EXPECT_EQ(l.mailboxes[1].display_name, "Joe");
  EXPECT_FALSE(l.malformed);
}

TEST(AddressListTest, MissingAngleBrackets) {
  const AddressList l = parse_address_list("John Smith john@example.com");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].display_name, "John Smith");
  EXPECT_EQ(l.mailboxes[0].address(), "john@example.com");
  EXPECT_TRUE(l.malformed);
  const AddressList q = parse_address_list("\"John\" john@example.com");
  ASSERT_EQ(q.mailboxes.size(), 1u);
  EXPECT_EQ(q.mailboxes[0].display_name, "John");
  EXPECT_EQ(q.mailboxes[0].address(), "john@example.com");
  EXPECT_TRUE(q.malformed);
}

TEST(AddressListTest, UnclosedAngleBracket) {
  const AddressList l = parse_address_list("John <john@example.com");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].display_name, "John");
  EXPECT_EQ(l.mailboxes[0].address(), "john@example.com");
  EXPECT_TRUE(l.malformed);
  const AddressList two = parse_address_list("A <a@x.example, B <b@y.example>");
  ASSERT_EQ(two.mailboxes.size(), 2u);
  EXPECT_EQ(two.mailboxes[0].address(), "a@x.example");
  EXPECT_EQ(two.mailboxes[1].display_name, "B");
  EXPECT_EQ(two.mailboxes[1].address(), "b@y.example");
  EXPECT_TRUE(two.malformed);
}

TEST(AddressListTest, UnquotedDotsInDisplayName) {
  // obs-phrase (§4.1) allows '.'.
  const AddressList l = parse_address_list("John Q. Public <jqp@example.com>");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].display_name, "John Q. Public");
  EXPECT_FALSE(l.malformed);
}

TEST(AddressListTest, UnquotedAtInDisplayNameShownAsIs) {
  const AddressList l = parse_address_list("ceo@ministry.gouv.fr <attacker@evil.example>");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].display_name, "ceo@ministry.gouv.fr");
  EXPECT_EQ(l.mailboxes[0].address(), "attacker@evil.example");
  EXPECT_TRUE(l.malformed);
  EXPECT_FALSE(l.encoded_word_hides_address);
}

TEST(AddressListTest, CommaOutsideQuotesSplits) {
  const AddressList l = parse_address_list("Doe, John <john@example.com>");
  ASSERT_EQ(l.mailboxes.size(), 2u);
  EXPECT_EQ(l.mailboxes[0].local_part, "Doe");
  EXPECT_EQ(l.mailboxes[0].domain, "");
  EXPECT_EQ(l.mailboxes[1].display_name, "John");
  EXPECT_EQ(l.mailboxes[1].address(), "john@example.com");
  EXPECT_TRUE(l.malformed);
}

TEST(AddressListTest, Utf8DisplayNameAndAddress) {
  // RFC 6532 §3.2: UTF-8 in atoms, quoted strings and addresses.
  const AddressList l = parse_address_list(
      "J\xC3\xA9r\xC3\xB4me M\xC3\xBCller <jm@example.fr>, "
      "\"\xE7\x94\xA8\xE6\x88\xB7\" <\xE7\x94\xA8\xE6\x88\xB7@\xE4\xBE\x8B\xE5\xAD\x90.\xE5\xB9\xBF\xE5\x91\x8A>");
  ASSERT_EQ(l.mailboxes.size(), 2u);
  EXPECT_EQ(l.mailboxes[0].display_name, "J\xC3\xA9r\xC3\xB4me M\xC3\xBCller");
  EXPECT_EQ(l.mailboxes[1].display_name, "\xE7\x94\xA8\xE6\x88\xB7");
  EXPECT_EQ(l.mailboxes[1].local_part, "\xE7\x94\xA8\xE6\x88\xB7");
  EXPECT_EQ(l.mailboxes[1].domain, "\xE4\xBE\x8B\xE5\xAD\x90.\xE5\xB9\xBF\xE5\x91\x8A");
  EXPECT_FALSE(l.malformed);
}

TEST(AddressListTest, Legacy8BitDisplayNameConverted) {
  // Undeclared ISO-8859-1 bytes are not valid UTF-8: converted the way clients guess them.
  const AddressList l = parse_address_list("J\xE9r\xF4me Dupont <jd@example.fr>");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].display_name, "J\xC3\xA9r\xC3\xB4me Dupont");
  EXPECT_EQ(l.mailboxes[0].address(), "jd@example.fr");
}

TEST(AddressListTest, StraySpecialsAfterAddressAreNotAName) {
  const AddressList l = parse_address_list("(Real Name) user@example.com :");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].display_name, "Real Name");
  EXPECT_EQ(l.mailboxes[0].address(), "user@example.com");
  EXPECT_TRUE(l.malformed);
  const AddressList words = parse_address_list("user@example.com John");
  ASSERT_EQ(words.mailboxes.size(), 1u);
  EXPECT_EQ(words.mailboxes[0].display_name, "John");
  EXPECT_TRUE(words.malformed);
}

TEST(AddressListTest, EncodedWordDisplayNameDecoded) {
  const AddressList l = parse_address_list(
      "=?utf-8?Q?J=C3=A9r=C3=B4me?= <jm@example.fr>, "
      "\"=?utf-8?B?SsOpcsO0bWUgTcO8bGxlcg==?=\" <jm2@example.fr>, "
      "=?iso-8859-1?Q?Andr=E9?= Pirard <pirard@example.be>");
  ASSERT_EQ(l.mailboxes.size(), 3u);
  EXPECT_EQ(l.mailboxes[0].display_name, "J\xC3\xA9r\xC3\xB4me");
  EXPECT_EQ(l.mailboxes[1].display_name, "J\xC3\xA9r\xC3\xB4me M\xC3\xBCller");
  EXPECT_EQ(l.mailboxes[2].display_name, "Andr\xC3\xA9 Pirard");
  EXPECT_EQ(l.mailboxes[2].address(), "pirard@example.be");
  EXPECT_FALSE(l.encoded_word_hides_address);
}

TEST(AddressListTest, EncodedWordHidingAnAddress) {
  const AddressList l = parse_address_list(
      "=?utf-8?B?Y2VvQG1pbmlzdHJ5LmdvdXYuZnI=?= <attacker@evil.example>");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].display_name, "ceo@ministry.gouv.fr");
  EXPECT_EQ(l.mailboxes[0].address(), "attacker@evil.example");
  EXPECT_TRUE(l.encoded_word_hides_address);
}

TEST(AddressListTest, EncodedWordHidingAngleBrackets) {
  const AddressList l = parse_address_list(
      "\"=?utf-8?B?Y2VvQG1pbmlzdHJ5LmdvdXYuZnIgPGNlb0BtaW5pc3RyeS5nb3V2LmZyPg==?=\" "
      "<attacker@evil.example>");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].display_name, "ceo@ministry.gouv.fr <ceo@ministry.gouv.fr>");
  EXPECT_EQ(l.mailboxes[0].address(), "attacker@evil.example");
  EXPECT_TRUE(l.encoded_word_hides_address);
  const AddressList q =
      parse_address_list("=?utf-8?Q?ceo=40ministry.gouv.fr?= <attacker@evil.example>");
  EXPECT_TRUE(q.encoded_word_hides_address);
  // A comma is an address delimiter too; the flag follows the documented definition.
  const AddressList comma = parse_address_list("=?utf-8?Q?Doe=2C_John?= <john@example.com>");
  ASSERT_EQ(comma.mailboxes.size(), 1u);
  EXPECT_EQ(comma.mailboxes[0].display_name, "Doe, John");
  EXPECT_TRUE(comma.encoded_word_hides_address);
}

TEST(AddressListTest, EncodedWordInCommentUsedAsName) {
  const AddressList l =
      parse_address_list("attacker@evil.example (=?utf-8?Q?ceo=40ministry.gouv.fr?=)");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].display_name, "ceo@ministry.gouv.fr");
  EXPECT_EQ(l.mailboxes[0].address(), "attacker@evil.example");
  EXPECT_TRUE(l.encoded_word_hides_address);
}

TEST(AddressListTest, EncodedWordInLocalPart) {
  const AddressList l = parse_address_list("=?utf-8?Q?ceo=40ministry.gouv.fr?=@evil.example");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  // Delivery uses the bytes as written: RFC 2047 §5 forbids decoding in an addr-spec.
  EXPECT_EQ(l.mailboxes[0].local_part, "=?utf-8?Q?ceo=40ministry.gouv.fr?=");
  EXPECT_EQ(l.mailboxes[0].domain, "evil.example");
  EXPECT_TRUE(l.encoded_word_hides_address);
  const AddressList harmless = parse_address_list("Joe <=?utf-8?Q?joe?=@example.com>");
  ASSERT_EQ(harmless.mailboxes.size(), 1u);
  EXPECT_EQ(harmless.mailboxes[0].local_part, "=?utf-8?Q?joe?=");
  EXPECT_FALSE(harmless.encoded_word_hides_address);
}

TEST(AddressListTest, MultipleAtSignsSplitAtLast) {
  const AddressList l = parse_address_list("ceo@ministry.gouv.fr@evil.example");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].local_part, "ceo@ministry.gouv.fr");
  EXPECT_EQ(l.mailboxes[0].domain, "evil.example");
  EXPECT_TRUE(l.malformed);
}

TEST(AddressListTest, SemicolonAsSeparator) {
  const AddressList l = parse_address_list("a@x.example; b@y.example");
  ASSERT_EQ(l.mailboxes.size(), 2u);
  EXPECT_EQ(l.mailboxes[0].address(), "a@x.example");
  EXPECT_EQ(l.mailboxes[1].address(), "b@y.example");
  EXPECT_TRUE(l.malformed);
}

TEST(AddressListTest, EmptyElementsAllowed) {
  // obs-addr-list (§4.4) allows empty elements.
  const AddressList l = parse_address_list(", a@x.example,, (c) ,b@y.example ,");
  ASSERT_EQ(l.mailboxes.size(), 2u);
  EXPECT_EQ(l.mailboxes[0].address(), "a@x.example");
  EXPECT_EQ(l.mailboxes[1].address(), "b@y.example");
  EXPECT_FALSE(l.malformed);
}

TEST(AddressListTest, NoDomainOrNoAddress) {
  const AddressList p = parse_address_list("postmaster");
  ASSERT_EQ(p.mailboxes.size(), 1u);
  EXPECT_EQ(p.mailboxes[0].local_part, "postmaster");
  EXPECT_EQ(p.mailboxes[0].domain, "");
  EXPECT_EQ(p.mailboxes[0].address(), "postmaster");
  EXPECT_TRUE(p.malformed);
  const AddressList n = parse_address_list("John Smith");
  ASSERT_EQ(n.mailboxes.size(), 1u);
  EXPECT_EQ(n.mailboxes[0].display_name, "John Smith");
  EXPECT_EQ(n.mailboxes[0].address(), "");
  EXPECT_TRUE(n.malformed);
  const AddressList e = parse_address_list("Nobody <>");
  ASSERT_EQ(e.mailboxes.size(), 1u);
  EXPECT_EQ(e.mailboxes[0].display_name, "Nobody");
  EXPECT_EQ(e.mailboxes[0].address(), "");
  EXPECT_TRUE(e.malformed);
}

TEST(AddressListTest, TwoAngleAddressesTakesFirst) {
  const AddressList l = parse_address_list("Name <first@x.example> <second@y.example>");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].address(), "first@x.example");
  EXPECT_TRUE(l.malformed);
}

TEST(AddressListTest, EncodedGroupName) {
  const AddressList l = parse_address_list("=?utf-8?Q?=C3=89quipe?=: a@b.example;");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].group, "\xC3\x89quipe");
  EXPECT_FALSE(l.malformed);
}

TEST(AddressListTest, EmptyAndWhitespaceInput) {
  EXPECT_TRUE(parse_address_list("").mailboxes.empty());
  EXPECT_FALSE(parse_address_list("").malformed);
  EXPECT_TRUE(parse_address_list(" \r\n\t").mailboxes.empty());
  EXPECT_FALSE(parse_address_list(" \r\n\t").malformed);
}

TEST(AddressListTest, UnterminatedQuoteAndComment) {
  const AddressList q = parse_address_list("\"John <john@example.com>");
  ASSERT_EQ(q.mailboxes.size(), 1u);
  EXPECT_EQ(q.mailboxes[0].local_part, "John <john@example.com>");
  EXPECT_TRUE(q.malformed);
  const AddressList c = parse_address_list("john@example.com (John");
  ASSERT_EQ(c.mailboxes.size(), 1u);
  EXPECT_EQ(c.mailboxes[0].address(), "john@example.com");
  EXPECT_EQ(c.mailboxes[0].display_name, "John");
  EXPECT_TRUE(c.malformed);
}

TEST(AddressListTest, MailboxCountIsCapped) {
  std::string v;
  for (int k = 0; k < 1500; ++k) v += "u" + std::to_string(k) + "@x.example, ";
  const AddressList l = parse_address_list(v);
  ASSERT_EQ(l.mailboxes.size(), 1000u);
  EXPECT_EQ(l.mailboxes.back().address(), "u999@x.example");
  EXPECT_TRUE(l.malformed);
}

TEST(AddressListTest, HostileInputsStayBounded) {
  EXPECT_TRUE(parse_address_list(std::string(200000, '(')).malformed);
  const AddressList lt = parse_address_list(std::string(200000, '<'));
  EXPECT_TRUE(lt.malformed);
  const AddressList brackets = parse_address_list(std::string(100000, '[') + "]");
  EXPECT_EQ(brackets.mailboxes.size(), 1u);
  const AddressList ats = parse_address_list(std::string(200000, '@'));
  EXPECT_TRUE(ats.malformed);
  std::string words;
  for (int k = 0; k < 30000; ++k) words += "=?utf-8?Q?a?= ";
  words += "<a@b.example>";
  const AddressList ew = parse_address_list(words);
  ASSERT_EQ(ew.mailboxes.size(), 1u);
  EXPECT_EQ(ew.mailboxes[0].address(), "a@b.example");
  const AddressList colons = parse_address_list(std::string(100000, ':'));
  EXPECT_TRUE(colons.malformed);
  const AddressList semis = parse_address_list(std::string(100000, ';'));
  EXPECT_TRUE(semis.mailboxes.empty());
}

}  // namespace
}  // namespace vigie::parse

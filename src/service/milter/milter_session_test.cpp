#include "service/milter/milter_session.h"

#include <gtest/gtest.h>

#include "service/milter/milter_test_client.h"

namespace vigie::service::milter {
namespace {

using test::message_packets;
using test::negotiation;
using test::read_replies;

// Feeds bytes to a session the way the listener does; returns the replies and whether it closed.
struct Conversation {
  explicit Conversation(MilterSession::Decide decide, std::size_t max_bytes = 1 << 20)
      : session(max_bytes, std::move(decide)) {}
  std::vector<Packet> send(std::string_view bytes) {
    reader.feed(bytes);
    std::string out;
    Packet packet;
    for (;;) {
      const PacketReader::Status status = reader.next(packet);
      if (status == PacketReader::Status::kNeedMore) break;
      if (status == PacketReader::Status::kMalformed ||
          session.on_packet(packet, out) == MilterSession::Next::kClose) {
        closed = true;
        break;
      }
    }
    return read_replies(out);
  }
  MilterSession session;
  PacketReader reader;
  bool closed = false;
};

test::TestMessage sample() {
  test::TestMessage m;
  m.headers = {{"From", " Alice <alice@example.net>"},
               {"Subject", "  two spaces kept"},
               {"X-Folded", " first\n\tsecond"}};
  m.body = "Hello\r\n.dot line\r\n";
  return m;
}

TEST(MilterSessionTest, NegotiatesTheStepsItNeedsAndTheEditsItMakes) {
  Conversation c([](ReceivedMessage&) { return MessageDecision{}; });
  const std::vector<Packet> replies = c.send(negotiation());
  ASSERT_EQ(replies.size(), 1u);
  ASSERT_EQ(replies[0].command, reply::kOptionNegotiation);
  ASSERT_EQ(replies[0].data.size(), 12u);
  EXPECT_EQ(read_u32(replies[0].data), 6u);
  EXPECT_EQ(read_u32(replies[0].data.substr(4)), 0x33u);  // add/change headers, body, quarantine
  const std::uint32_t protocol = read_u32(replies[0].data.substr(8));
  EXPECT_NE(protocol & protocol_flag::kNoReplyBody, 0u);
  EXPECT_NE(protocol & protocol_flag::kHeaderLeadingSpace, 0u);
  EXPECT_EQ(protocol & 0x10u, 0u);  // the body is wanted
}

TEST(MilterSessionTest, NeverAsksForWhatTheMtaDoesNotOffer) {
  Conversation c([](ReceivedMessage&) { return MessageDecision{}; });
  const std::vector<Packet> replies = c.send(negotiation(action_flag::kAddHeaders, 0));
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(read_u32(replies[0].data.substr(4)), action_flag::kAddHeaders);
  EXPECT_EQ(read_u32(replies[0].data.substr(8)), 0u);
}

TEST(MilterSessionTest, RebuildsTheMessageAndItsEnvelopeExactly) {
  ReceivedMessage seen;
  Conversation c([&](ReceivedMessage& m) {
    seen = m;
    return MessageDecision{};
  });
  c.send(negotiation());
  const std::vector<Packet> replies = c.send(message_packets(sample()));
  ASSERT_EQ(replies.size(), 1u);  // nothing but the answer to the end of the body
  EXPECT_EQ(replies[0].command, reply::kAccept);
  EXPECT_EQ(seen.raw,
            "From: Alice <alice@example.net>\r\nSubject:  two spaces kept\r\n"
            "X-Folded: first\r\n\tsecond\r\n\r\nHello\r\n.dot line\r\n");
  EXPECT_FALSE(seen.truncated);
  EXPECT_EQ(seen.envelope.client_ip, "192.0.2.10");
  EXPECT_EQ(seen.envelope.helo, "mail.example.net");
  EXPECT_EQ(seen.envelope.mail_from, "sender@example.net");
  EXPECT_EQ(seen.envelope.recipients, std::vector<std::string>{"agent@exemple.gouv.fr"});
  EXPECT_EQ(seen.envelope.queue_id, "4ABCDEF123");
  EXPECT_FALSE(c.closed);
  EXPECT_FALSE(c.session.in_message());
}

TEST(MilterSessionTest, WithoutTheLeadingSpaceOptionRestoresTheSpaceAfterTheColon) {
  ReceivedMessage seen;
  Conversation c([&](ReceivedMessage& m) {
    seen = m;
    MessageDecision d;
    d.headers.push_back({HeaderEdit::Kind::kAppend, "X-Vigie-Action", " warn", 0});
    return d;
  });
  // Every step replied to, no leading space: an older MTA.
  c.send(negotiation(0x1ff, 0));
  test::TestMessage m = sample();
  m.headers = {{"Subject", "hello"}};
  const std::vector<Packet> replies = c.send(message_packets(m));
  EXPECT_EQ(seen.raw.substr(0, 16), "Subject: hello\r\n");
  // connect, helo, mail, rcpt, header, eoh, body: continue each; then the header and accept.
  ASSERT_EQ(replies.size(), 9u);
  for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ(replies[i].command, reply::kContinue) << i;
  EXPECT_EQ(replies[7].command, reply::kAddHeader);
  EXPECT_EQ(replies[7].data, std::string("X-Vigie-Action\0warn\0", 20));
}

TEST(MilterSessionTest, EncodesHeaderEditsBodyChunksAndTheFinalReply) {
  Conversation c([](ReceivedMessage&) {
    MessageDecision d;
    d.headers.push_back({HeaderEdit::Kind::kRemove, "X-Vigie-Action", "", 2});
    d.headers.push_back({HeaderEdit::Kind::kChange, "Content-Type", " text/plain;\r\n charset=utf-8", 1});
    d.headers.push_back({HeaderEdit::Kind::kInsertAtTop, "Authentication-Results", " mx; none", 0});
    d.body = std::string(70000, 'x');
    return d;
  });
  c.send(negotiation());
  const std::vector<Packet> replies = c.send(message_packets(sample()));
  ASSERT_EQ(replies.size(), 6u);
  EXPECT_EQ(replies[0].command, reply::kChangeHeader);
  EXPECT_EQ(replies[0].data, std::string("\0\0\0\2X-Vigie-Action\0\0", 20));
  EXPECT_EQ(replies[1].command, reply::kChangeHeader);
  EXPECT_EQ(replies[1].data, std::string("\0\0\0\1Content-Type\0 text/plain;\n charset=utf-8\0", 45));
  EXPECT_EQ(replies[2].command, reply::kInsertHeader);
  EXPECT_EQ(replies[2].data, std::string("\0\0\0\0Authentication-Results\0 mx; none\0", 37));
  EXPECT_EQ(replies[3].command, reply::kReplaceBody);
  EXPECT_EQ(replies[3].data.size(), 65535u);
  EXPECT_EQ(replies[4].command, reply::kReplaceBody);
  EXPECT_EQ(replies[4].data.size(), 70000u - 65535u);
  EXPECT_EQ(replies[5].command, reply::kAccept);
}

TEST(MilterSessionTest, EditsTheMtaDidNotAllowAreLeftOut) {
  Conversation c([](ReceivedMessage&) {
    MessageDecision d;
    d.headers.push_back({HeaderEdit::Kind::kRemove, "X-Vigie-Id", "", 1});
    d.headers.push_back({HeaderEdit::Kind::kAppend, "X-Vigie-Id", " 0123456789abcdef", 0});
    d.body = "new body\r\n";
    return d;
  });
  c.send(negotiation(action_flag::kAddHeaders));
  const std::vector<Packet> replies = c.send(message_packets(sample()));
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].command, reply::kAddHeader);
  EXPECT_EQ(replies[1].command, reply::kAccept);
}

TEST(MilterSessionTest, RejectTempfailDiscardAndHold) {
  MessageDecision next;
  Conversation c([&](ReceivedMessage&) { return next; });
  c.send(negotiation());
  next.final = MessageDecision::Final::kReject;
  next.smtp_reply = "550 5.7.1 refused (ref vigie-0123456789abcdef)";
  std::vector<Packet> replies = c.send(message_packets(sample()));
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].command, reply::kReplyCode);
  EXPECT_EQ(replies[0].data, next.smtp_reply + std::string(1, '\0'));

  next.final = MessageDecision::Final::kDiscard;
  replies = c.send(message_packets(sample(), false));
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].command, reply::kDiscard);

  next.final = MessageDecision::Final::kHold;
  next.hold_reason = "vigie 0123456789abcdef: VBA_AUTO_EXEC";
  replies = c.send(message_packets(sample(), false));
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].command, reply::kQuarantine);
  EXPECT_EQ(replies[0].data, next.hold_reason + std::string(1, '\0'));
  EXPECT_EQ(replies[1].command, reply::kAccept);
}

TEST(MilterSessionTest, AHoldTheMtaCannotDoBecomesATemporaryRefusal) {
  Conversation c([](ReceivedMessage&) {
    MessageDecision d;
    d.final = MessageDecision::Final::kHold;
    return d;
  });
  c.send(negotiation(action_flag::kAddHeaders));
  const std::vector<Packet> replies = c.send(message_packets(sample()));
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].command, reply::kReplyCode);
  EXPECT_EQ(replies[0].data.substr(0, 9), "451 4.7.1");
}

TEST(MilterSessionTest, AbortForgetsTheMessageAndTheNextOneStartsClean) {
  std::vector<ReceivedMessage> seen;
  Conversation c([&](ReceivedMessage& m) {
    seen.push_back(m);
    return MessageDecision{};
  });
  c.send(negotiation());
  std::string half = message_packets(sample());
  half.resize(half.find(std::string(1, command::kEndOfHeaders)) - 4);  // up to the headers
  c.send(half);
  EXPECT_TRUE(c.session.in_message());
  std::string abort;
  append_packet(abort, command::kAbort);
  EXPECT_TRUE(c.send(abort).empty());
  EXPECT_FALSE(c.session.in_message());
  test::TestMessage second = sample();
  second.headers = {{"Subject", " second"}};
  second.recipients = {"a@exemple.gouv.fr", "b@exemple.gouv.fr"};
  c.send(message_packets(second, false));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].raw, "Subject: second\r\n\r\nHello\r\n.dot line\r\n");
  EXPECT_EQ(seen[0].envelope.recipients.size(), 2u);
  EXPECT_EQ(seen[0].envelope.client_ip, "192.0.2.10");  // the connection's, kept
}

TEST(MilterSessionTest, AMessageOverTheBoundIsDecidedOnItsBeginning) {
  ReceivedMessage seen;
  Conversation c(
      [&](ReceivedMessage& m) {
        seen = m;
        return MessageDecision{};
      },
      100);
  c.send(negotiation());
  test::TestMessage big = sample();
  big.body = std::string(300000, 'a');
  const std::vector<Packet> replies = c.send(message_packets(big));
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(seen.truncated);
  EXPECT_EQ(seen.raw.size(), 100u);
}

TEST(MilterSessionTest, StreamsItCannotFollowCloseTheConnection) {
  {
    Conversation c([](ReceivedMessage&) { return MessageDecision{}; });
    std::string mail;
    append_packet(mail, command::kMail, test::strings({"<a@b>"}));
    c.send(mail);  // before the negotiation
    EXPECT_TRUE(c.closed);
  }
  {
    Conversation c([](ReceivedMessage&) { return MessageDecision{}; });
    c.send(negotiation());
    std::string header;
    append_packet(header, command::kHeader, std::string("Subject\0no terminator", 21));
    c.send(header);
    EXPECT_TRUE(c.closed);
  }
  {
    Conversation c([](ReceivedMessage&) { return MessageDecision{}; });
    c.send(negotiation());
    std::string huge;
    append_u32(huge, static_cast<std::uint32_t>(kMaxPacketBytes + 1));
    huge += 'B';
    c.send(huge);
    EXPECT_TRUE(c.closed);
  }
  {
    Conversation c([](ReceivedMessage&) { return MessageDecision{}; });
    std::string short_negotiation;
    append_packet(short_negotiation, command::kOptionNegotiation, std::string("\0\0\0\6", 4));
    c.send(short_negotiation);
    EXPECT_TRUE(c.closed);
  }
}

TEST(MilterSessionTest, QuitNewConnectionForgetsTheClient) {
  ReceivedMessage seen;
  Conversation c([&](ReceivedMessage& m) {
    seen = m;
    return MessageDecision{};
  });
  c.send(negotiation());
  c.send(message_packets(sample()));
  std::string quit_nc;
  append_packet(quit_nc, command::kQuitNewConnection);
  c.send(quit_nc);
  EXPECT_FALSE(c.closed);
  c.send(message_packets(sample(), false));
  EXPECT_EQ(seen.envelope.client_ip, "");
  std::string quit;
  append_packet(quit, command::kQuit);
  c.send(quit);
  EXPECT_TRUE(c.closed);
}

TEST(MilterSessionTest, RecipientsBeyondTheBoundAreNotKept) {
  ReceivedMessage seen;
  Conversation c([&](ReceivedMessage& m) {
    seen = m;
    return MessageDecision{};
  });
  c.send(negotiation());
  test::TestMessage m = sample();
  m.recipients.assign(kMaxRecipients + 5, "a@exemple.gouv.fr");
  const std::vector<Packet> replies = c.send(message_packets(m));
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(seen.envelope.recipients.size(), kMaxRecipients);
}

TEST(MilterPacketReaderTest, ReassemblesPacketsSplitAnywhere) {
  const std::string bytes = negotiation() + message_packets(sample());
  std::size_t whole = 0;
  {
    PacketReader reader;
    reader.feed(bytes);
    Packet p;
    while (reader.next(p) == PacketReader::Status::kPacket) ++whole;
  }
  PacketReader reader;
  std::size_t split = 0;
  Packet p;
  for (const char byte : bytes) {
    reader.feed(std::string_view(&byte, 1));
    while (reader.next(p) == PacketReader::Status::kPacket) ++split;
  }
  EXPECT_EQ(split, whole);
  EXPECT_EQ(reader.buffered(), 0u);
}

}  // namespace
}  // namespace vigie::service::milter

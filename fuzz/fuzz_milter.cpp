// Fuzz target for the milter protocol (src/service/milter): the bytes an MTA (or anything that
// reaches the milter port) sends, split into packets and fed to a session, whose decision at each
// end of body edits headers and replaces the body, so the reply encoder runs too. Guarantees
// checked: a rebuilt message never exceeds the session's byte bound, the reply stream always
// splits into whole packets of known replies, and a session that said close is never fed again.
// It owns only the harness.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "service/milter/milter_session.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;
namespace milter = vigie::service::milter;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kBound = 4096;
  milter::MilterSession session(kBound, [](milter::ReceivedMessage& message) {
    require(message.raw.size() <= kBound, "rebuilt message within the session's bound");
    consume(message.raw);
    consume(message.envelope.mail_from);
    for (const std::string& r : message.envelope.recipients) consume(r);
    milter::MessageDecision decision;
    decision.headers.push_back({vigie::service::HeaderEdit::Kind::kInsertAtTop, "X-Vigie-Id", " 0123", 0});
    decision.headers.push_back({vigie::service::HeaderEdit::Kind::kRemove, "X-Vigie-Action", "", 2});
    decision.body = message.raw;
    decision.final = message.raw.size() % 2 ? milter::MessageDecision::Final::kHold
                                            : milter::MessageDecision::Final::kReject;
    decision.smtp_reply = "550 5.7.1 test";
    return decision;
  });
  milter::PacketReader reader;
  reader.feed(std::string_view(reinterpret_cast<const char*>(data), size));
  std::string replies;
  milter::Packet packet;
  for (;;) {
    const milter::PacketReader::Status status = reader.next(packet);
    if (status != milter::PacketReader::Status::kPacket) break;
    if (session.on_packet(packet, replies) == milter::MilterSession::Next::kClose) break;
  }
  milter::PacketReader reply_reader;
  reply_reader.feed(replies);
  milter::Packet reply;
  while (reply_reader.next(reply) == milter::PacketReader::Status::kPacket) {
    require(std::string_view("abcdhimOpqrty").find(reply.command) != std::string_view::npos, "known reply");
  }
  require(reply_reader.buffered() == 0, "replies are whole packets");
  return 0;
}

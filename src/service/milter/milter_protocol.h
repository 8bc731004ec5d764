// The milter protocol, version 6 (the one Postfix and Sendmail speak), as bytes: framing of
// packets, the commands the MTA sends and the replies a filter gives. Written here rather than
// taken from libmilter because libmilter owns the process's signals (its own thread sigwaits
// SIGHUP, SIGTERM and SIGINT and stops the filter on each, which would turn `vigie serve`'s
// reload into a stop), keeps its filter in global state (one per process, no in-process tests)
// and gives no hook to finish or temp-fail the messages in flight at shutdown. The protocol is
// small and stable; this reader of it is bounded and has a fuzz target (fuzz/fuzz_milter.cpp).
//
//   packet  = length (4 bytes, network order; counts the command byte) command (1 byte) data
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::service::milter {

inline constexpr std::uint32_t kProtocolVersion = 6;
// Postfix sends body chunks of at most 65535 bytes; a packet larger than this is not from a
// well-behaved MTA and closes the connection rather than being buffered.
inline constexpr std::size_t kMaxPacketBytes = 1024 * 1024;
inline constexpr std::size_t kMaxReplyChunk = 65535;  // body replacement chunks, as libmilter
inline constexpr std::size_t kMaxRecipients = 10000;  // kept per message; more are not recorded

// Commands (MTA → filter).
namespace command {
inline constexpr char kAbort = 'A', kBody = 'B', kConnect = 'C', kMacro = 'D', kEndOfBody = 'E',
                      kHelo = 'H', kQuitNewConnection = 'K', kHeader = 'L', kMail = 'M',
                      kEndOfHeaders = 'N', kOptionNegotiation = 'O', kQuit = 'Q', kRcpt = 'R',
                      kData = 'T', kUnknown = 'U';
}  // namespace command

// Replies (filter → MTA).
namespace reply {
inline constexpr char kAccept = 'a', kReplaceBody = 'b', kContinue = 'c', kDiscard = 'd',
                      kAddHeader = 'h', kInsertHeader = 'i', kChangeHeader = 'm',
                      kOptionNegotiation = 'O', kProgress = 'p', kQuarantine = 'q', kReject = 'r',
                      kTempfail = 't', kReplyCode = 'y';
}  // namespace reply

// What the filter may do to a message (SMFIF_*), negotiated.
namespace action_flag {
inline constexpr std::uint32_t kAddHeaders = 0x01, kChangeBody = 0x02, kChangeHeaders = 0x10,
                               kQuarantine = 0x20;
}  // namespace action_flag

// Which steps the MTA skips or sends without waiting for a reply (SMFIP_*), negotiated.
namespace protocol_flag {
inline constexpr std::uint32_t kNoUnknown = 0x100, kNoData = 0x200,
                               kNoReplyHeader = 0x80, kNoReplyConnect = 0x1000,
                               kNoReplyHelo = 0x2000, kNoReplyMail = 0x4000,
                               kNoReplyRcpt = 0x8000, kNoReplyData = 0x10000,
                               kNoReplyUnknown = 0x20000, kNoReplyEndOfHeaders = 0x40000,
                               kNoReplyBody = 0x80000, kHeaderLeadingSpace = 0x100000;
}  // namespace protocol_flag

struct Packet {
  char command = 0;
  std::string data;
};

// Splits a byte stream into packets. Bytes go in as they arrive; complete packets come out.
class PacketReader {
 public:
  enum class Status { kNeedMore, kPacket, kMalformed };
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // kPacket fills `packet`; kMalformed (empty or oversized packet) means the stream cannot be
  // trusted any further: close the connection.
  Status next(Packet& packet);
  std::size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  std::string buffer_;
  std::size_t consumed_ = 0;
};

// One reply packet, framed.
void append_packet(std::string& out, char command, std::string_view data = {});
void append_u32(std::string& out, std::uint32_t value);
std::uint32_t read_u32(std::string_view bytes);  // the first 4 bytes, network order

// The NUL-terminated strings of a command's data ("name\0value\0", MAIL's "<a>\0SIZE=1\0").
// nullopt when the data does not end with a NUL.
std::optional<std::vector<std::string_view>> split_strings(std::string_view data);

}  // namespace vigie::service::milter

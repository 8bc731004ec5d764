// One milter connection's conversation with the MTA, independent of sockets: packets in, reply
// bytes out. It negotiates the protocol (asking the MTA not to wait for replies it does not need,
// so a message costs one round trip at its end), rebuilds the message as it travelled (headers
// with their exact leading space, then the body, CRLF line ends) and the envelope (client, HELO,
// MAIL, RCPT, queue id), and at the end of the body hands both to the `Decide` callback, whose
// decision it encodes: header and body changes, then the final reply. A connection carries any
// number of messages; ABORT forgets the current one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "service/actions/message_edits.h"
#include "service/milter/milter_protocol.h"
#include "vigie/engine.h"

namespace vigie::service::milter {

struct ReceivedMessage {
  Envelope envelope;
  std::string raw;         // as the MTA passed it, at most the session's byte bound
  bool truncated = false;  // the message was larger than the bound: `raw` is its beginning
};

// What to do with a message, in the MTA's terms.
struct MessageDecision {
  enum class Final {
    kAccept,    // deliver (with the edits)
    kDiscard,   // accept and drop: vigie holds the copy (its quarantine)
    kHold,      // let the MTA keep it in its own hold queue
    kReject,    // refuse with `smtp_reply` (5xx)
    kTempfail,  // refuse for now with `smtp_reply` (4xx): the sender retries
  };
  Final final = Final::kAccept;
  std::string smtp_reply;   // kReject, kTempfail: "550 5.7.1 text"
  std::string hold_reason;  // kHold
  std::vector<HeaderEdit> headers;  // applied in order before the final reply
  std::optional<std::string> body;  // replaces the body when set
};

class MilterSession {
 public:
  using Decide = std::function<MessageDecision(ReceivedMessage&)>;
  MilterSession(std::size_t max_message_bytes, Decide decide)
      : max_message_bytes_(max_message_bytes), decide_(std::move(decide)) {}

  enum class Next { kContinue, kClose };
  // Handles one packet, appending any reply to `out`. kClose: the MTA quit, or sent something
  // this filter cannot follow (the MTA then applies its milter_default_action).
  Next on_packet(const Packet& packet, std::string& out);

  // Between MAIL FROM and the answer to the end of the body: a message that a stopping service
  // must still answer.
  bool in_message() const { return in_message_; }
  // The edits the MTA allowed at negotiation.
  std::uint32_t actions() const { return actions_; }

 private:
  bool reply_expected(std::uint32_t no_reply_flag) const { return (protocol_ & no_reply_flag) == 0; }
  Next negotiate(const std::string& data, std::string& out);
  void on_connect(const std::string& data);
  void on_macros(const std::string& data);
  void on_header(const std::vector<std::string_view>& strings);
  void append_raw(std::string_view bytes);
  void end_headers();
  void end_of_message(std::string& out);
  void encode(const MessageDecision& decision, std::string& out) const;
  void forget_message();

  std::size_t max_message_bytes_;
  Decide decide_;
  std::uint32_t actions_ = 0;
  std::uint32_t protocol_ = 0;
  bool negotiated_ = false;
  // Kept for every message of the connection.
  std::string client_ip_;
  std::string helo_;
  // The current message.
  bool in_message_ = false;
  bool headers_ended_ = false;
  ReceivedMessage message_;
};

}  // namespace vigie::service::milter

// One milter conversation (see milter_session.h).
#include "service/milter/milter_session.h"

#include <algorithm>
#include <string_view>

namespace vigie::service::milter {

namespace {

// The edits this filter makes; the protocol steps it lets the MTA send without a reply (all but
// the end of the body), skips, and the exact header spacing it asks for.
constexpr std::uint32_t kWantedActions = action_flag::kAddHeaders | action_flag::kChangeHeaders |
                                         action_flag::kChangeBody | action_flag::kQuarantine;
constexpr std::uint32_t kWantedProtocol =
    protocol_flag::kNoUnknown | protocol_flag::kNoData | protocol_flag::kNoReplyHeader |
    protocol_flag::kNoReplyConnect | protocol_flag::kNoReplyHelo | protocol_flag::kNoReplyMail |
    protocol_flag::kNoReplyRcpt | protocol_flag::kNoReplyData | protocol_flag::kNoReplyUnknown |
    protocol_flag::kNoReplyEndOfHeaders | protocol_flag::kNoReplyBody |
    protocol_flag::kHeaderLeadingSpace;

std::string_view strip_angles(std::string_view address) {
  if (address.size() >= 2 && address.front() == '<' && address.back() == '>') {
    return address.substr(1, address.size() - 2);
  }
  return address;
}

// Header values come folded with bare LF from some MTAs; the rebuilt message uses CRLF.
void append_crlf_normalised(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
}

// Header values go back with LF folding, which both Postfix and Sendmail expect.
std::string lf_folded(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n') continue;
    out += value[i];
  }
  return out;
}

}  // namespace

MilterSession::Next MilterSession::on_packet(const Packet& packet, std::string& out) {
  if (packet.command == command::kOptionNegotiation) return negotiate(packet.data, out);
  if (!negotiated_) return Next::kClose;  // every conversation starts with the negotiation
  const auto strings = [&]() { return split_strings(packet.data); };
  switch (packet.command) {
    case command::kMacro:
      on_macros(packet.data);
      return Next::kContinue;  // never answered
    case command::kConnect:
      on_connect(packet.data);
      if (reply_expected(protocol_flag::kNoReplyConnect)) append_packet(out, reply::kContinue);
      return Next::kContinue;
    case command::kHelo: {
      const auto parts = strings();
      helo_ = parts && !parts->empty() ? std::string((*parts)[0]) : std::string();
      if (reply_expected(protocol_flag::kNoReplyHelo)) append_packet(out, reply::kContinue);
      return Next::kContinue;
    }
    case command::kMail: {
      const auto parts = strings();
      if (!parts || parts->empty()) return Next::kClose;
      const std::string queue_id = message_.envelope.queue_id;  // a macro may have come first
      forget_message();
      message_.envelope.queue_id = queue_id;
      in_message_ = true;
      message_.envelope.mail_from = std::string(strip_angles((*parts)[0]));
      if (reply_expected(protocol_flag::kNoReplyMail)) append_packet(out, reply::kContinue);
      return Next::kContinue;
    }
    case command::kRcpt: {
      const auto parts = strings();
      if (!parts || parts->empty()) return Next::kClose;
      // Postfix caps recipients at smtpd_recipient_limit (1000); this cap only keeps a peer that
      // is not an MTA from growing the list without end. The message is still scanned.
      if (message_.envelope.recipients.size() < kMaxRecipients) {
        message_.envelope.recipients.emplace_back(strip_angles((*parts)[0]));
      }
      if (reply_expected(protocol_flag::kNoReplyRcpt)) append_packet(out, reply::kContinue);
      return Next::kContinue;
    }
    case command::kData:
      if (reply_expected(protocol_flag::kNoReplyData)) append_packet(out, reply::kContinue);
      return Next::kContinue;
    case command::kUnknown:
      if (reply_expected(protocol_flag::kNoReplyUnknown)) append_packet(out, reply::kContinue);
      return Next::kContinue;
    case command::kHeader: {
      const auto parts = strings();
      if (!parts || parts->size() != 2) return Next::kClose;
      on_header(*parts);
      if (reply_expected(protocol_flag::kNoReplyHeader)) append_packet(out, reply::kContinue);
      return Next::kContinue;
    }
    case command::kEndOfHeaders:
      end_headers();
      if (reply_expected(protocol_flag::kNoReplyEndOfHeaders)) append_packet(out, reply::kContinue);
      return Next::kContinue;
    case command::kBody:
      end_headers();
      append_raw(packet.data);
      if (reply_expected(protocol_flag::kNoReplyBody)) append_packet(out, reply::kContinue);
      return Next::kContinue;
    case command::kEndOfBody:
      end_headers();
      append_raw(packet.data);
      end_of_message(out);
      return Next::kContinue;
    case command::kAbort:
      forget_message();
      return Next::kContinue;
    case command::kQuitNewConnection:
      forget_message();
      client_ip_.clear();
      helo_.clear();
      return Next::kContinue;
    case command::kQuit:
      return Next::kClose;
    default:
      return Next::kClose;
  }
}

MilterSession::Next MilterSession::negotiate(const std::string& data, std::string& out) {
  if (data.size() < 12) return Next::kClose;
  const std::uint32_t version = read_u32(data);
  // Version 2 is the oldest with the negotiation this filter relies on; 6 is current.
  if (version < 2) return Next::kClose;
  actions_ = read_u32(std::string_view(data).substr(4)) & kWantedActions;
  protocol_ = read_u32(std::string_view(data).substr(8)) & kWantedProtocol;
  negotiated_ = true;
  std::string reply_data;
  append_u32(reply_data, std::min(version, kProtocolVersion));
  append_u32(reply_data, actions_);
  append_u32(reply_data, protocol_);
  append_packet(out, reply::kOptionNegotiation, reply_data);
  return Next::kContinue;
}

void MilterSession::on_connect(const std::string& data) {
  client_ip_.clear();
  // hostname NUL family [port(2) address NUL]
  const std::size_t host_end = data.find('\0');
  if (host_end == std::string::npos || host_end + 1 >= data.size()) return;
  const char family = data[host_end + 1];
  if ((family != '4' && family != '6') || data.size() < host_end + 4) return;
  const std::string_view address = std::string_view(data).substr(host_end + 4);
  client_ip_ = std::string(address.substr(0, address.find('\0')));
  // Postfix writes IPv6 clients as "IPv6:2001:db8::1".
  if (client_ip_.rfind("IPv6:", 0) == 0) client_ip_.erase(0, 5);
}

void MilterSession::on_macros(const std::string& data) {
  if (data.empty()) return;
  const auto pairs = split_strings(std::string_view(data).substr(1));
  if (!pairs) return;
  for (std::size_t i = 0; i + 1 < pairs->size(); i += 2) {
    const std::string_view name = (*pairs)[i];
    if (name == "i" || name == "{i}") message_.envelope.queue_id = std::string((*pairs)[i + 1]);
  }
}

void MilterSession::on_header(const std::vector<std::string_view>& strings) {
  std::string line;
  line.reserve(strings[0].size() + strings[1].size() + 4);
  line.append(strings[0]);
  line += ':';
  // Without the leading-space option the MTA strips the space after the colon.
  if ((protocol_ & protocol_flag::kHeaderLeadingSpace) == 0) line += ' ';
  append_crlf_normalised(line, strings[1]);
  line += "\r\n";
  append_raw(line);
}

void MilterSession::append_raw(std::string_view bytes) {
  if (message_.truncated) return;
  const std::size_t room = max_message_bytes_ - std::min(max_message_bytes_, message_.raw.size());
  if (bytes.size() > room) {
    message_.raw.append(bytes.substr(0, room));
    message_.truncated = true;
    return;
  }
  message_.raw.append(bytes);
}

void MilterSession::end_headers() {
  if (headers_ended_) return;
  headers_ended_ = true;
  append_raw("\r\n");
}

void MilterSession::end_of_message(std::string& out) {
  message_.envelope.client_ip = client_ip_;
  message_.envelope.helo = helo_;
  const MessageDecision decision = decide_(message_);
  encode(decision, out);
  forget_message();
}

void MilterSession::encode(const MessageDecision& decision, std::string& out) const {
  const bool leading_space = (protocol_ & protocol_flag::kHeaderLeadingSpace) != 0;
  const auto value_for_mta = [&](const std::string& value) {
    std::string folded = lf_folded(value);
    if (!leading_space && !folded.empty() && folded.front() == ' ') folded.erase(0, 1);
    return folded;
  };
  // Changes only when the MTA allowed them; the final reply always.
  if ((actions_ & (action_flag::kAddHeaders | action_flag::kChangeHeaders)) != 0) {
    for (const HeaderEdit& edit : decision.headers) {
      std::string data;
      switch (edit.kind) {
        case HeaderEdit::Kind::kInsertAtTop:
          if ((actions_ & action_flag::kAddHeaders) == 0) continue;
          append_u32(data, 0);
          data.append(edit.name).append(1, '\0').append(value_for_mta(edit.value)).append(1, '\0');
          append_packet(out, reply::kInsertHeader, data);
          break;
        case HeaderEdit::Kind::kAppend:
          if ((actions_ & action_flag::kAddHeaders) == 0) continue;
          data.append(edit.name).append(1, '\0').append(value_for_mta(edit.value)).append(1, '\0');
          append_packet(out, reply::kAddHeader, data);
          break;
        case HeaderEdit::Kind::kChange:
        case HeaderEdit::Kind::kRemove:
          if ((actions_ & action_flag::kChangeHeaders) == 0) continue;
          append_u32(data, static_cast<std::uint32_t>(edit.occurrence));
          data.append(edit.name).append(1, '\0');
          // An empty value deletes the header.
          if (edit.kind == HeaderEdit::Kind::kChange) data.append(value_for_mta(edit.value));
          data.append(1, '\0');
          append_packet(out, reply::kChangeHeader, data);
          break;
      }
    }
  }
  if (decision.body && (actions_ & action_flag::kChangeBody) != 0) {
    const std::string& body = *decision.body;
    for (std::size_t at = 0; at < body.size(); at += kMaxReplyChunk) {
      append_packet(out, reply::kReplaceBody, std::string_view(body).substr(at, kMaxReplyChunk));
    }
  }
  switch (decision.final) {
    case MessageDecision::Final::kAccept:
      append_packet(out, reply::kAccept);
      break;
    case MessageDecision::Final::kDiscard:
      append_packet(out, reply::kDiscard);
      break;
    case MessageDecision::Final::kHold:
      if ((actions_ & action_flag::kQuarantine) != 0) {
        append_packet(out, reply::kQuarantine, decision.hold_reason + std::string(1, '\0'));
        append_packet(out, reply::kAccept);
      } else {
        // The MTA cannot hold it: refusing for now keeps it with the sender rather than lost.
        append_packet(out, reply::kReplyCode, "451 4.7.1 message held for review, try again later" +
                                                  std::string(1, '\0'));
      }
      break;
    case MessageDecision::Final::kReject:
    case MessageDecision::Final::kTempfail:
      append_packet(out, reply::kReplyCode, decision.smtp_reply + std::string(1, '\0'));
      break;
  }
}

void MilterSession::forget_message() {
  in_message_ = false;
  headers_ended_ = false;
  message_ = ReceivedMessage{};
}

}  // namespace vigie::service::milter

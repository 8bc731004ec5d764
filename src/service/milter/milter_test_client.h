// The MTA's side of the milter protocol, for tests and the load benchmark: the packets Postfix
// sends for one message, and a reader of the filter's replies. Not a full MTA: one message per
// call, the protocol flags the filter asks for are honoured only as far as replies go (every
// packet is sent; a reply is read where the filter said it would give one).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/milter/milter_protocol.h"

namespace vigie::service::milter::test {

// Everything Postfix 3.7 offers (version 6, all actions, all protocol steps and no-reply flags).
inline std::string negotiation(std::uint32_t actions = 0x1ff, std::uint32_t protocol = 0x1fffff) {
  std::string data;
  append_u32(data, 6);
  append_u32(data, actions);
  append_u32(data, protocol);
  std::string out;
  append_packet(out, command::kOptionNegotiation, data);
  return out;
}

inline std::string strings(std::initializer_list<std::string_view> parts) {
  std::string data;
  for (const std::string_view part : parts) data.append(part).append(1, '\0');
  return data;
}

struct TestMessage {
  std::string client_ip = "192.0.2.10";
  std::string helo = "mail.example.net";
  std::string mail_from = "sender@example.net";
  std::vector<std::string> recipients = {"agent@exemple.gouv.fr"};
  std::string queue_id = "4ABCDEF123";
  std::vector<std::pair<std::string, std::string>> headers;  // value with its leading space
  std::string body;                                          // CRLF line ends
};

// A message file split as an MTA passes it: headers (continuation lines joined with LF, the
// value keeping its leading space) and the body with CRLF line ends.
inline TestMessage from_file_bytes(std::string_view raw) {
  std::string crlf;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) crlf += '\r';
    crlf += raw[i];
  }
  TestMessage m;
  std::size_t at = 0;
  while (at < crlf.size()) {
    const std::size_t end = crlf.find("\r\n", at);
    if (end == std::string::npos || end == at) {
      at = end == std::string::npos ? crlf.size() : end + 2;
      break;
    }
    const std::string_view line = std::string_view(crlf).substr(at, end - at);
    if ((line[0] == ' ' || line[0] == '\t') && !m.headers.empty()) {
      m.headers.back().second.append("\n").append(line);
    } else if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
      m.headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
    }
    at = end + 2;
  }
  m.body = crlf.substr(std::min(at, crlf.size()));
  return m;
}

// The packets of one message after negotiation, as Postfix sends them with every reply
// suppressed except at the end of the body. `connect` adds the connection's CONNECT and HELO.
inline std::string message_packets(const TestMessage& m, bool connect = true) {
  std::string out;
  if (connect) {
    std::string data = m.client_ip;  // host name: Postfix sends the name or [ip]
    data.insert(0, "[");
    data += "]";
    data += '\0';
    data += '4';
    data += static_cast<char>(0x1f);
    data += static_cast<char>(0x90);
    data += m.client_ip;
    data += '\0';
    append_packet(out, command::kConnect, data);
    append_packet(out, command::kHelo, strings({m.helo}));
  }
  append_packet(out, command::kMacro, std::string(1, command::kMail) + strings({"i", m.queue_id}));
  append_packet(out, command::kMail, strings({"<" + m.mail_from + ">", "SIZE=100"}));
  for (const std::string& r : m.recipients) append_packet(out, command::kRcpt, strings({"<" + r + ">"}));
  for (const auto& [name, value] : m.headers) append_packet(out, command::kHeader, strings({name, value}));
  append_packet(out, command::kEndOfHeaders);
  for (std::size_t at = 0; at < m.body.size(); at += 65535) {
    append_packet(out, command::kBody, std::string_view(m.body).substr(at, 65535));
  }
  append_packet(out, command::kEndOfBody);
  return out;
}

// Splits reply bytes into packets; the caller checks it consumed them all.
inline std::vector<Packet> read_replies(std::string_view bytes) {
  PacketReader reader;
  reader.feed(bytes);
  std::vector<Packet> packets;
  Packet packet;
  while (reader.next(packet) == PacketReader::Status::kPacket) packets.push_back(packet);
  return packets;
}

// Whether `command` is the last reply to a message (the MTA stops reading there).
inline bool is_final_reply(char command) {
  return command == reply::kAccept || command == reply::kContinue || command == reply::kDiscard ||
         command == reply::kReject || command == reply::kTempfail || command == reply::kReplyCode;
}

}  // namespace vigie::service::milter::test

// Milter packet framing (see milter_protocol.h).
#include "service/milter/milter_protocol.h"

namespace vigie::service::milter {

std::uint32_t read_u32(std::string_view bytes) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[0])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[3]));
}

void append_u32(std::string& out, std::uint32_t value) {
  out += static_cast<char>(value >> 24);
  out += static_cast<char>(value >> 16);
  out += static_cast<char>(value >> 8);
  out += static_cast<char>(value);
}

void append_packet(std::string& out, char command, std::string_view data) {
  append_u32(out, static_cast<std::uint32_t>(data.size() + 1));
  out += command;
  out.append(data);
}

PacketReader::Status PacketReader::next(Packet& packet) {
  const std::string_view pending = std::string_view(buffer_).substr(consumed_);
  if (pending.size() < 4) return Status::kNeedMore;
  const std::uint32_t length = read_u32(pending);
  if (length == 0 || length > kMaxPacketBytes) return Status::kMalformed;
  if (pending.size() - 4 < length) return Status::kNeedMore;
  packet.command = pending[4];
  packet.data.assign(pending.substr(5, length - 1));
  consumed_ += 4 + length;
  // Compact once the consumed prefix dominates, so a long session does not grow the buffer.
  if (consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  } else if (consumed_ > 64 * 1024 && consumed_ * 2 > buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  return Status::kPacket;
}

std::optional<std::vector<std::string_view>> split_strings(std::string_view data) {
  if (data.empty() || data.back() != '\0') return std::nullopt;
  std::vector<std::string_view> strings;
  std::size_t start = 0;
  while (start < data.size()) {
    const std::size_t end = data.find('\0', start);
    strings.push_back(data.substr(start, end - start));
    start = end + 1;
  }
  return strings;
}

}  // namespace vigie::service::milter

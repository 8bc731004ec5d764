// Wire-format RDATA → DnsRecord (see rdata.h). Pure functions over a byte span; no allocation
// beyond the record itself, which the RDATA length (at most 65535 bytes) bounds.
#include "auth/dns/rdata.h"

#include <cstring>

namespace vigie::auth::dns {
namespace {

constexpr std::size_t kMaxWireName = 255;  // RFC 1035 §3.1

// Reads a name starting at `at`; advances `at` past it. Lowercases ASCII letters.
std::optional<std::string> read_name(std::span<const std::uint8_t> wire, std::size_t& at) {
  std::string out;
  std::size_t wire_length = 0;
  while (true) {
    if (at >= wire.size()) return std::nullopt;
    const std::uint8_t length = wire[at++];
    ++wire_length;
    if (length == 0) break;
    if (length > 63) return std::nullopt;  // 0xC0 pointers and the reserved 0x40/0x80 forms
    if (wire.size() - at < length) return std::nullopt;
    wire_length += length;
    if (wire_length > kMaxWireName) return std::nullopt;
    if (!out.empty()) out += '.';
    for (std::size_t i = 0; i < length; ++i) {
      const std::uint8_t c = wire[at + i];
      if (c >= 'A' && c <= 'Z') {
        out += static_cast<char>(c - 'A' + 'a');
      } else if (c == '.' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x21 || c > 0x7e) {
        const char digits[] = {'\\', static_cast<char>('0' + c / 100),
                               static_cast<char>('0' + c / 10 % 10), static_cast<char>('0' + c % 10)};
        out.append(digits, sizeof digits);
      } else {
        out += static_cast<char>(c);
      }
    }
    at += length;
  }
  return out;
}

std::optional<std::string> whole_name(std::span<const std::uint8_t> wire, std::size_t at) {
  auto name = read_name(wire, at);
  if (!name || at != wire.size()) return std::nullopt;
  return name;
}

}  // namespace

std::uint16_t type_code(RecordType type) {
  switch (type) {
    case RecordType::kA: return 1;
    case RecordType::kCname: return 5;
    case RecordType::kPtr: return 12;
    case RecordType::kMx: return 15;
    case RecordType::kTxt: return 16;
    case RecordType::kAaaa: return 28;
  }
  return 0;
}

std::optional<std::string> parse_wire_name(std::span<const std::uint8_t> wire) {
  return whole_name(wire, 0);
}

std::optional<DnsRecord> parse_rdata(RecordType type, std::span<const std::uint8_t> rdata) {
  DnsRecord record;
  record.type = type;
  switch (type) {
    case RecordType::kA:
    case RecordType::kAaaa: {
      const std::size_t size = type == RecordType::kA ? 4 : 16;
      if (rdata.size() != size) return std::nullopt;
      record.address.family = type == RecordType::kA ? IpFamily::kV4 : IpFamily::kV6;
      std::memcpy(record.address.bytes.data(), rdata.data(), size);
      return record;
    }
    case RecordType::kTxt: {
      if (rdata.empty()) return std::nullopt;
      std::size_t at = 0;
      while (at < rdata.size()) {
        const std::size_t length = rdata[at++];
        if (rdata.size() - at < length) return std::nullopt;
        record.strings.emplace_back(reinterpret_cast<const char*>(rdata.data() + at), length);
        at += length;
      }
      return record;
    }
    case RecordType::kMx: {
      if (rdata.size() < 3) return std::nullopt;
      record.preference = static_cast<std::uint16_t>(rdata[0] << 8 | rdata[1]);
      auto name = whole_name(rdata, 2);
      if (!name) return std::nullopt;
      record.name = std::move(*name);
      return record;
    }
    case RecordType::kPtr:
    case RecordType::kCname: {
      auto name = whole_name(rdata, 0);
      if (!name) return std::nullopt;
      record.name = std::move(*name);
      return record;
    }
  }
  return std::nullopt;
}

}  // namespace vigie::auth::dns

// IP address and network parsing, printing and prefix matching. It owns the single use of
// inet_pton/inet_ntop so that every caller (zone loader, SPF ip4/ip6 mechanisms, client address,
// configured networks, link hosts) accepts exactly the same textual forms.
#include "common/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace vigie {
namespace {

// Longer than any textual address; rejecting early keeps the stack copy bounded.
constexpr std::size_t kMaxAddressText = 64;

std::optional<IpAddress> parse_family(std::string_view text, IpFamily family) {
  if (text.empty() || text.size() >= kMaxAddressText) return std::nullopt;
  char buffer[kMaxAddressText];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  if (std::memchr(text.data(), '\0', text.size()) != nullptr) return std::nullopt;
  IpAddress out;
  out.family = family;
  const int af = family == IpFamily::kV4 ? AF_INET : AF_INET6;
  if (inet_pton(af, buffer, out.bytes.data()) != 1) return std::nullopt;
  return out;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse_v4(std::string_view text) {
  return parse_family(text, IpFamily::kV4);
}

std::optional<IpAddress> IpAddress::parse_v6(std::string_view text) {
  return parse_family(text, IpFamily::kV6);
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (auto v4 = parse_v4(text)) return v4;
  return parse_v6(text);
}

bool IpAddress::is_v4_mapped() const {
  if (family != IpFamily::kV6) return false;
  for (int i = 0; i < 10; ++i) {
    if (bytes[i] != 0) return false;
  }
  return bytes[10] == 0xff && bytes[11] == 0xff;
}

IpAddress IpAddress::unmapped() const {
  if (!is_v4_mapped()) return *this;
  IpAddress v4;
  v4.family = IpFamily::kV4;
  std::memcpy(v4.bytes.data(), bytes.data() + 12, 4);
  return v4;
}

bool IpAddress::in_network(const IpAddress& network, unsigned prefix_length) const {
  if (family != network.family) return false;
  const unsigned max_bits = family == IpFamily::kV4 ? 32 : 128;
  if (prefix_length > max_bits) prefix_length = max_bits;
  const unsigned whole = prefix_length / 8;
  if (std::memcmp(bytes.data(), network.bytes.data(), whole) != 0) return false;
  const unsigned rest = prefix_length % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (bytes[whole] & mask) == (network.bytes[whole] & mask);
}

std::string IpAddress::to_string() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  const int af = family == IpFamily::kV4 ? AF_INET : AF_INET6;
  if (inet_ntop(af, bytes.data(), buffer, sizeof buffer) == nullptr) return {};
  return buffer;
}

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::optional<IpAddress> address = IpAddress::parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  IpNetwork network;
  network.address = address->unmapped();
  const unsigned bits = address->is_v4() ? 32 : 128;  // as written
  network.prefix_length = network.address.is_v4() ? 32 : 128;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    unsigned value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > bits) return std::nullopt;
    // An address mapped from IPv4 was written with an IPv6 prefix length.
    if (!address->is_v4() && network.address.is_v4()) {
      if (value < 96) return std::nullopt;
      value -= 96;
    }
    network.prefix_length = value;
  }
  // Host bits set: the operator probably meant another network; refuse rather than guess.
  IpAddress masked = network.address;
  for (unsigned bit = network.prefix_length; bit < (network.address.is_v4() ? 32u : 128u); ++bit) {
    masked.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  }
  if (!(masked == network.address)) return std::nullopt;
  return network;
}

bool IpNetwork::contains(const IpAddress& ip) const {
  const IpAddress plain = ip.unmapped();
  if (plain.family != address.family) return false;
  return plain.in_network(address, prefix_length);
}

Result<IpEndpoint> IpEndpoint::parse(std::string_view text, std::uint16_t default_port) {
  const auto bad = [&](std::string_view why) {
    return fail(Error::invalid_argument("'" + std::string(text) + "': " + std::string(why) +
                                        " (expected IP or IP:PORT, IPv6 as [IP]:PORT)"));
  };
  std::string_view host = text;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return bad("missing ']'");
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("unexpected text after ']'");
      port = rest.substr(1);
      if (port.empty()) return bad("empty port");
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    const std::size_t colon = text.find(':');
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (port.empty()) return bad("empty port");
  }
  const std::optional<IpAddress> ip = IpAddress::parse(host);
  if (!ip) return bad("not an IPv4 or IPv6 address");
  IpEndpoint out{*ip, default_port};
  if (!port.empty()) {
    unsigned long number = 0;
    if (port.size() > 5) return bad("port is not a number 1-65535");
    for (char c : port) {
      if (c < '0' || c > '9') return bad("port is not a number 1-65535");
      number = number * 10 + static_cast<unsigned long>(c - '0');
    }
    if (number == 0 || number > 65535) return bad("port is not a number 1-65535");
    out.port = static_cast<std::uint16_t>(number);
  }
  return out;
}

}  // namespace vigie

// IP addresses and networks, the one representation every stage uses: the DNS and SPF code, the
// client identity of the Received chain, the configured relays and internal networks, and IP
// literals in links. Addresses are parsed with inet_pton (so only the canonical textual forms are
// accepted — no "1.2.3", no leading zeros, as RFC 7208 §5.6 requires for ip4-network), compared by
// prefix, and printed with inet_ntop (RFC 5952 form for IPv6).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vigie/result.h"

namespace vigie {

enum class IpFamily : std::uint8_t { kV4, kV6 };

struct IpAddress {
  IpFamily family = IpFamily::kV4;
  // Network byte order; an IPv4 address uses the first 4 bytes and leaves the rest zero.
  std::array<std::uint8_t, 16> bytes{};

  // Dotted-quad IPv4 or any IPv6 text form inet_pton accepts; nullopt otherwise.
  static std::optional<IpAddress> parse(std::string_view text);
  static std::optional<IpAddress> parse_v4(std::string_view text);
  static std::optional<IpAddress> parse_v6(std::string_view text);

  bool is_v4() const { return family == IpFamily::kV4; }
  // ::ffff:a.b.c.d — RFC 7208 §5 says such a client MUST be treated as IPv4.
  bool is_v4_mapped() const;
  // The IPv4 address inside an IPv4-mapped IPv6 address; any other address unchanged.
  IpAddress unmapped() const;
  // True when the first prefix_length bits equal those of network (same family required).
  bool in_network(const IpAddress& network, unsigned prefix_length) const;
  // inet_ntop text: "192.0.2.1", "2001:db8::1".
  std::string to_string() const;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// An IP network: an address and a prefix length ("192.0.2.0/24"); a bare address is /32 or /128.
struct IpNetwork {
  IpAddress address;
  unsigned prefix_length = 0;

  // Host bits after the prefix must be zero ("192.0.2.1/24" is refused: probably a typo).
  static std::optional<IpNetwork> parse(std::string_view text);
  // IPv4-mapped IPv6 addresses are compared as IPv4.
  bool contains(const IpAddress& ip) const;
};

// An address and a port, as a DNS forwarder is given: "192.0.2.1", "192.0.2.1:5353",
// "2001:db8::1", "[2001:db8::1]:5353".
struct IpEndpoint {
  IpAddress address;
  std::uint16_t port = 0;

  // `default_port` when the text names none. Errors quote the text and say what is expected.
  static Result<IpEndpoint> parse(std::string_view text, std::uint16_t default_port);
};

}  // namespace vigie

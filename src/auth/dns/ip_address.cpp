// IP address parsing, printing and prefix matching for the auth code. It owns the single use of
// inet_pton/inet_ntop so that every caller (zone loader, SPF ip4/ip6 mechanisms, client address)
// accepts exactly the same textual forms.
#include "auth/dns/ip_address.h"

#include <arpa/inet.h>

#include <cstring>

namespace vigie::auth::dns {
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

}  // namespace vigie::auth::dns

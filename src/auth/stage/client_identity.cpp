// Client IP and HELO of a message: the envelope's, or the first untrusted hop of the Received
// chain (the rule is in client_identity.h).
#include "auth/stage/client_identity.h"

#include "vigie/header_values.h"

namespace vigie::auth {

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::optional<dns::IpAddress> address = dns::IpAddress::parse(text.substr(0, slash));
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
  dns::IpAddress masked = network.address;
  for (unsigned bit = network.prefix_length; bit < (network.address.is_v4() ? 32u : 128u); ++bit) {
    masked.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  }
  if (!(masked == network.address)) return std::nullopt;
  return network;
}

bool IpNetwork::contains(const dns::IpAddress& ip) const {
  const dns::IpAddress plain = ip.unmapped();
  if (plain.family != address.family) return false;
  return plain.in_network(address, prefix_length);
}

ClientIdentity identify_client(const ParsedMessage& message, const Envelope& envelope,
                               const std::vector<IpNetwork>& trusted_relays) {
  ClientIdentity out;
  if (!envelope.client_ip.empty()) {
    out.ip = envelope.client_ip;
    out.helo = envelope.helo;
    out.source = "envelope";
    return out;
  }
  const std::vector<ReceivedHop> chain = message.received_chain();
  if (chain.empty()) {
    out.source = "no client IP: give --client-ip (the message has no Received header)";
    return out;
  }
  for (std::size_t hop = 0; hop < chain.size(); ++hop) {
    const ReceivedHop& received = chain[hop];
    const std::string where = "Received header " + std::to_string(hop + 1);
    if (received.from_ip.empty()) {
      out.source = "no client IP: give --client-ip (" + where + " records no client IP)";
      return out;
    }
    const std::optional<dns::IpAddress> ip = dns::IpAddress::parse(received.from_ip);
    if (!ip) {
      out.source = "no client IP: give --client-ip (" + where + " records '" + received.from_ip +
                   "', not an IP address)";
      return out;
    }
    bool trusted = false;
    for (const IpNetwork& network : trusted_relays) trusted = trusted || network.contains(*ip);
    if (trusted) continue;
    out.ip = ip->to_string();
    out.from_received = true;
    out.helo = envelope.helo.empty() ? received.from_helo : envelope.helo;
    out.source = where + (hop == 0 ? std::string(", the topmost")
                                   : ", below " + std::to_string(hop) + " trusted relay" +
                                         (hop == 1 ? "" : "s"));
    return out;
  }
  out.source = "no client IP: every Received header comes from a trusted relay (" +
               std::to_string(chain.size()) + " hops), the message was sent from inside";
  return out;
}

}  // namespace vigie::auth

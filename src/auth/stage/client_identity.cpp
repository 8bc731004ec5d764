// Client IP and HELO of a message: the envelope's, or the first untrusted hop of the Received
// chain (the rule is in client_identity.h).
#include "auth/stage/client_identity.h"

#include "vigie/header_values.h"

namespace vigie::auth {

ClientIdentity identify_client(const ParsedMessage& message, const Envelope& envelope,
                               const std::vector<IpNetwork>& trusted_relays) {
  ClientIdentity out;
  if (!envelope.client_ip.empty()) {
    out.ip = envelope.client_ip;
    out.helo = envelope.helo;
    out.source = "envelope";
    out.source_fr = "enveloppe";
    return out;
  }
  const std::vector<ReceivedHop> chain = message.received_chain();
  if (chain.empty()) {
    out.source = "no client IP: give --client-ip (the message has no Received header)";
    out.source_fr = "pas d'IP du client : indiquez --client-ip (le message n'a pas d'en-tête Received)";
    return out;
  }
  for (std::size_t hop = 0; hop < chain.size(); ++hop) {
    const ReceivedHop& received = chain[hop];
    const std::string where = "Received header " + std::to_string(hop + 1);
    const std::string where_fr = "en-tête Received " + std::to_string(hop + 1);
    if (received.from_ip.empty()) {
      out.source = "no client IP: give --client-ip (" + where + " records no client IP)";
      out.source_fr = "pas d'IP du client : indiquez --client-ip (l'" + where_fr + " n'indique pas d'IP du client)";
      return out;
    }
    const std::optional<IpAddress> ip = IpAddress::parse(received.from_ip);
    if (!ip) {
      out.source = "no client IP: give --client-ip (" + where + " records '" + received.from_ip +
                   "', not an IP address)";
      out.source_fr = "pas d'IP du client : indiquez --client-ip (l'" + where_fr + " indique '" + received.from_ip +
                      "', qui n'est pas une adresse IP)";
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
    out.source_fr = where_fr + (hop == 0 ? std::string(", le plus haut")
                                         : ", sous " + std::to_string(hop) + " relais de confiance");
    return out;
  }
  out.source = "no client IP: every Received header comes from a trusted relay (" +
               std::to_string(chain.size()) + " hops), the message was sent from inside";
  out.source_fr = "pas d'IP du client : chaque en-tête Received vient d'un relais de confiance (" +
                  std::to_string(chain.size()) + " sauts), le message a été envoyé de l'intérieur";
  return out;
}

}  // namespace vigie::auth

// The message's observables (see message_observables.h).
#include "intel/indicators/message_observables.h"

namespace vigie::intel {

std::vector<MessageObservable> message_observables(const facts::MessageFacts& facts, const ObjectTree& objects,
                                                   FileDigests digests) {
  std::vector<MessageObservable> out;
  for (const facts::Identity& identity : facts.identities()) {
    const std::string field = facts::identity_location(identity.field);
    if (!identity.address.empty()) out.push_back({ObservableType::kEmailAddress, identity.address, kMessageObject, field});
    if (!identity.domain.empty()) out.push_back({ObservableType::kDomain, identity.domain, kMessageObject, field});
  }
  const auto add_ip = [&](const std::string& ip, std::string field, ObjectId object = kMessageObject) {
    if (ip.empty()) return;
    out.push_back({ip.find(':') == std::string::npos ? ObservableType::kIpv4 : ObservableType::kIpv6, ip, object,
                   std::move(field)});
  };
  add_ip(facts.envelope().client_ip, "envelope:client");
  for (const ReceivedHop& hop : facts.message().received_chain()) {
    add_ip(hop.from_ip, "header:Received");
    if (!hop.from_rdns.empty()) out.push_back({ObservableType::kDomain, hop.from_rdns, kMessageObject, "header:Received"});
  }
  for (const Url* url : facts.urls_in_reading_order()) {
    const ObjectId where = objects.of_url(*url);
    out.push_back({ObservableType::kUrl, std::string(url->normalized()), where, "url"});
    if (url->host_is_ip) {
      // A URL writes an IPv6 host in brackets; the address is what an indicator names.
      std::string_view host = url->host_ascii();
      if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
      add_ip(std::string(host), "url", where);
    } else if (!url->host_ascii().empty()) {
      out.push_back({ObservableType::kDomain, std::string(url->host_ascii()), where, "url"});
    }
  }
  for (const Object& object : objects) {
    if (!object.is_file()) continue;
    if (digests == FileDigests::kAll) {
      const PartHashes& hashes = object.hashes();
      out.push_back({ObservableType::kSha256, hashes.sha256, object.id, "sha256"});
      out.push_back({ObservableType::kSha1, hashes.sha1, object.id, "sha1"});
      out.push_back({ObservableType::kMd5, hashes.md5, object.id, "md5"});
    } else {
      out.push_back({ObservableType::kSha256, object.sha256(), object.id, "sha256"});
    }
    if (!object.filename.empty()) out.push_back({ObservableType::kFileName, object.filename, object.id, "filename"});
  }
  const std::string subject = facts.message().subject();
  if (!subject.empty()) out.push_back({ObservableType::kEmailSubject, subject, kMessageObject, "header:Subject"});
  return out;
}

}  // namespace vigie::intel

// A Resolver that counts the lookups it passes on, for fuzz targets that check the DNS work of a
// check stays within its documented limits (SPF §4.6.4, DKIM's one lookup per key).
#pragma once

#include <string_view>

#include "auth/dns/resolver.h"

namespace vigie::fuzz {

class CountingResolver final : public auth::dns::Resolver {
 public:
  explicit CountingResolver(const auth::dns::Resolver& inner) : inner_(inner) {}
  auth::dns::DnsAnswer lookup(std::string_view name, auth::dns::RecordType type) const override {
    ++lookups_;
    return inner_.lookup(name, type);
  }
  unsigned lookups() const { return lookups_; }

 private:
  const auth::dns::Resolver& inner_;
  mutable unsigned lookups_ = 0;
};

}  // namespace vigie::fuzz

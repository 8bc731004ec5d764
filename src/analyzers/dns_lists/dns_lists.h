// dns_lists: the names the DNS reputation lists are asked about, apart so that tests check them.
// The analyzer itself is dns_lists.cpp; configuration and terms of use are in docs/dns-lists.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/ip_address.h"

namespace vigie::analyzers::dns_lists {

// The name an IP list is asked for `ip` (RFC 5782 §2.1, §2.4): the IPv4 octets reversed
// ("7.113.0.203.zen.example"), the 32 nibbles of an IPv6 address reversed; an IPv4-mapped
// address as the IPv4 address it carries.
std::string ip_query_name(const IpAddress& ip, std::string_view zone);

// The name a domain list is asked for `domain` (RFC 5782 §2.3): "<domain>.<zone>"; nullopt when
// the result is no DNS name (a label over 63 bytes, a name over 253, an empty label).
std::optional<std::string> domain_query_name(std::string_view domain, std::string_view zone);

// Addresses that no public list can hold and that say something about the site's own network:
// private (RFC 1918, RFC 4193), loopback, link-local, shared (RFC 6598), unspecified, multicast.
bool is_local_address(const IpAddress& ip);

}  // namespace vigie::analyzers::dns_lists

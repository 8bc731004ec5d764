// Domain helpers for sender identity: case, registrable domain (eTLD+1 via the public suffix
// list), "is this domain ours" and the e-mail addresses and domain names a display name shows.
// Thread-safe; no state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigie::intel::identity {

// Lowercase ASCII, no trailing dot.
std::string normalize_domain(std::string_view domain);

// True when `domain` ends in `parent` on a label boundary and is longer: a.example.org under
// example.org, not badexample.org nor example.org itself (both normalised).
bool is_subdomain_of(std::string_view domain, std::string_view parent);

// True when `domain` is one of `listed` or a subdomain of one (all normalised).
bool domain_within(std::string_view domain, const std::vector<std::string>& listed);

// A name that ends in a suffix of the public suffix list's explicit rules ("com", "gouv.fr",
// "co.uk"), so "J.R.R" or "v1.2" are not taken for domains.
bool has_known_public_suffix(std::string_view domain);

// What a display name shows that looks like an address or a domain: "support@paypal.com" in
// "support@paypal.com via Mail", "paypal.com" in "PayPal.com Security". Domains are normalised;
// a domain that is part of a found address is not repeated in `domains`.
struct NamedIdentities {
  std::vector<std::string> addresses;  // lowercase
  std::vector<std::string> domains;
};
NamedIdentities identities_in_display_name(std::string_view display_name);

// The domain part of a lowercase address ("" when there is no '@').
std::string_view address_domain(std::string_view address);

}  // namespace vigie::intel::identity

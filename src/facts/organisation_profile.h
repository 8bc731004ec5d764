// The organisation profile ([organisation] of the configuration) compiled once per engine: its
// domains normalised to ASCII host names, its internal networks parsed, the names of its people
// and of the organisation folded for comparison. Every analyzer asks the profile the same
// questions ("is this domain ours?", "is this address one of our people's own mailboxes?")
// instead of normalising the configuration itself. Immutable once compiled; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "vigie/config.h"
#include "vigie/result.h"

namespace vigie::facts {

// Where a domain stands relative to the organisation.
enum class DomainStanding : std::uint8_t {
  kOutside,    // neither ours nor a partner's
  kProtected,  // one of our protected domains or a subdomain of one
  kPartner,    // a partner domain or a subdomain of one (and not protected)
};

struct ProfilePerson {
  std::string name;                                     // as configured, for evidence
  std::string role;
  std::vector<std::vector<std::string>> folded_names;   // name and aliases (identity::fold_name_tokens)
  std::vector<std::string> own_addresses;               // official and personal, lowercase
};

class OrganisationProfile {
 public:
  // Errors name the [organisation] key and the value at fault (load_config() has already checked
  // the syntax, so these are values that cannot be normalised, such as an invalid IDN).
  static Result<OrganisationProfile> compile(const OrganisationConfig& organisation);

  bool empty() const { return protected_domains_.empty() && people_.empty() && name_.empty(); }
  const std::string& name() const { return name_; }
  // Normalised (parse::normalize_host): lowercase ASCII, IDNs in punycode, no trailing dot.
  std::span<const std::string> protected_domains() const { return protected_domains_; }
  std::span<const std::string> partner_domains() const { return partner_domains_; }

  // `domain` normalised as above. A domain both protected and partner is protected.
  DomainStanding standing(std::string_view domain) const;
  bool is_protected(std::string_view domain) const { return standing(domain) == DomainStanding::kProtected; }
  // The registrable domain of one of our protected or partner domains: links there are not lures.
  bool is_trusted_registrable(std::string_view registrable) const;
  bool is_internal(const IpAddress& address) const;

  std::span<const ProfilePerson> people() const { return people_; }
  // The organisation's name and aliases, folded; aliases of one or two letters are left out
  // (they would match initials in ordinary names).
  std::span<const std::vector<std::string>> organisation_names() const { return organisation_names_; }
  // A configured person's own outside mailbox (lowercase): mail from it is that person.
  bool is_personal_address(std::string_view address) const;

 private:
  std::string name_;
  std::vector<std::string> protected_domains_;
  std::vector<std::string> partner_domains_;
  std::vector<std::string> trusted_registrables_;
  std::vector<IpNetwork> internal_networks_;
  std::vector<ProfilePerson> people_;
  std::vector<std::vector<std::string>> organisation_names_;
  std::vector<std::string> personal_addresses_;
};

}  // namespace vigie::facts

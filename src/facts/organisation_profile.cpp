// The compiled organisation profile (see organisation_profile.h).
#include "facts/organisation_profile.h"

#include <algorithm>

#include "common/ascii.h"
#include "common/ip_address.h"
#include "intel/identity/domains.h"
#include "intel/identity/names.h"
#include "parse/url/url.h"

namespace vigie::facts {
namespace {

// Every problem of the listed domains, one line each ("" when there is none). A public suffix
// ("gouv.fr") would make every domain anyone registers under it ours or a partner's, look-alikes
// included; an IP address is no domain a sender or a link can be compared with.
std::string add_domains(const std::vector<std::string>& listed, std::string_view key, std::vector<std::string>& out) {
  std::string problems;
  const auto problem = [&](const std::string& domain, std::string_view why) {
    problems += (problems.empty() ? "" : "\n") + ("organisation." + std::string(key) + ": '" + domain + "' ") +
                std::string(why);
  };
  for (const std::string& domain : listed) {
    std::string host = parse::normalize_host(domain);
    if (host.empty()) {
      problem(domain, "is not a usable domain name");
    } else if (IpAddress::parse(host)) {
      problem(domain, "is an IP address, not a domain (networks go in internal_networks)");
    } else if (parse::registrable_domain(host, parse::WithoutRegistrable::kEmpty).empty()) {
      problem(domain, "is a public suffix: every domain registered under it would count, look-alikes "
                      "included; list the organisation's own domains (e.g. 'interieur.gouv.fr')");
    } else if (std::find(out.begin(), out.end(), host) == out.end()) {
      out.push_back(std::move(host));
    }
  }
  return problems;
}

}  // namespace

Result<OrganisationProfile> OrganisationProfile::compile(const OrganisationConfig& organisation) {
  OrganisationProfile profile;
  profile.name_ = organisation.name;
  std::string problems = add_domains(organisation.protected_domains, "protected_domains", profile.protected_domains_);
  if (std::string partners = add_domains(organisation.partner_domains, "partner_domains", profile.partner_domains_);
      !partners.empty()) {
    problems += (problems.empty() ? "" : "\n") + partners;
  }
  if (!problems.empty()) return fail(Error::config(problems));
  for (const auto* domains : {&profile.protected_domains_, &profile.partner_domains_}) {
    for (const std::string& domain : *domains) {
      std::string registrable = parse::registrable_domain(domain, parse::WithoutRegistrable::kHost);
      if (std::find(profile.trusted_registrables_.begin(), profile.trusted_registrables_.end(), registrable) ==
          profile.trusted_registrables_.end()) {
        profile.trusted_registrables_.push_back(std::move(registrable));
      }
    }
  }
  for (const std::string& text : organisation.internal_networks) {
    const std::optional<IpNetwork> network = IpNetwork::parse(text);
    if (!network) return fail(Error::config("organisation.internal_networks: invalid network '" + text + "'"));
    profile.internal_networks_.push_back(*network);
  }
  for (const ProtectedPerson& person : organisation.people) {
    ProfilePerson compiled{person.name, person.role, {}, {}};
    std::vector<std::string> names = person.aliases;
    names.insert(names.begin(), person.name);
    for (const std::string& name : names) {
      if (auto tokens = intel::identity::fold_name_tokens(name); !tokens.empty()) {
        compiled.folded_names.push_back(std::move(tokens));
      }
    }
    for (const auto* addresses : {&person.addresses, &person.personal_addresses}) {
      for (const std::string& address : *addresses) compiled.own_addresses.push_back(ascii::lowercase(address));
    }
    for (const std::string& address : person.personal_addresses) {
      profile.personal_addresses_.push_back(ascii::lowercase(address));
    }
    profile.people_.push_back(std::move(compiled));
  }
  if (auto tokens = intel::identity::fold_name_tokens(organisation.name); !tokens.empty()) {
    profile.organisation_names_.push_back(std::move(tokens));
  }
  for (const std::string& alias : organisation.aliases) {
    // Counted as written: folding lengthens some letters ('m' reads as "rn"), so "MI" would pass.
    const std::size_t characters = static_cast<std::size_t>(std::count_if(
        alias.begin(), alias.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80 && c != ' '; }));
    if (auto tokens = intel::identity::fold_name_tokens(alias);
        !tokens.empty() && (tokens.size() > 1 || characters > 2)) {
      profile.organisation_names_.push_back(std::move(tokens));
    }
  }
  return profile;
}

DomainStanding OrganisationProfile::standing(std::string_view domain) const {
  if (domain.empty()) return DomainStanding::kOutside;
  const auto within = [&](const std::vector<std::string>& listed) {
    return std::any_of(listed.begin(), listed.end(), [&](const std::string& d) {
      return domain == d || intel::identity::is_subdomain_of(domain, d);
    });
  };
  if (within(protected_domains_)) return DomainStanding::kProtected;
  if (within(partner_domains_)) return DomainStanding::kPartner;
  return DomainStanding::kOutside;
}

bool OrganisationProfile::is_trusted_registrable(std::string_view registrable) const {
  return !registrable.empty() &&
         std::find(trusted_registrables_.begin(), trusted_registrables_.end(), registrable) !=
             trusted_registrables_.end();
}

bool OrganisationProfile::is_internal(const IpAddress& address) const {
  return std::any_of(internal_networks_.begin(), internal_networks_.end(),
                     [&](const IpNetwork& network) { return network.contains(address); });
}

bool OrganisationProfile::is_personal_address(std::string_view address) const {
  return std::find(personal_addresses_.begin(), personal_addresses_.end(), address) != personal_addresses_.end();
}

}  // namespace vigie::facts

// The compiled profile answers "is this ours?" the same way for every analyzer.
#include "facts/organisation_profile.h"

#include <gtest/gtest.h>

namespace vigie::facts {
namespace {

OrganisationProfile compiled(const OrganisationConfig& config) {
  Result<OrganisationProfile> profile = OrganisationProfile::compile(config);
  EXPECT_TRUE(profile) << (profile ? "" : profile.error().message);
  return profile ? std::move(*profile) : OrganisationProfile{};
}

TEST(OrganisationProfileTest, DomainsAreNormalisedAndPlaced) {
  OrganisationConfig config;
  config.protected_domains = {"Interieur.GOUV.fr.", "bücher.example"};
  config.partner_domains = {"partner.example", "interieur.gouv.fr"};
  const OrganisationProfile profile = compiled(config);
  EXPECT_EQ(profile.protected_domains()[0], "interieur.gouv.fr");
  EXPECT_EQ(profile.protected_domains()[1], "xn--bcher-kva.example");
  EXPECT_EQ(profile.standing("mail.interieur.gouv.fr"), DomainStanding::kProtected);  // protected wins
  EXPECT_EQ(profile.standing("xn--bcher-kva.example"), DomainStanding::kProtected);
  EXPECT_EQ(profile.standing("www.partner.example"), DomainStanding::kPartner);
  EXPECT_EQ(profile.standing("xinterieur.gouv.fr"), DomainStanding::kOutside);
  EXPECT_EQ(profile.standing("interieur.gouv.fr.evil.example"), DomainStanding::kOutside);
  EXPECT_EQ(profile.standing(""), DomainStanding::kOutside);
  EXPECT_TRUE(profile.is_trusted_registrable("partner.example"));
  EXPECT_TRUE(profile.is_trusted_registrable("interieur.gouv.fr"));
  EXPECT_FALSE(profile.is_trusted_registrable("gouv.fr"));
  EXPECT_FALSE(profile.is_trusted_registrable(""));
}

TEST(OrganisationProfileTest, NetworksPeopleAndNames) {
  OrganisationConfig config;
  config.name = "Ministère de l'Intérieur";
  config.aliases = {"MI", "DGSI"};
  config.internal_networks = {"192.0.2.0/24", "2001:db8::/32"};
  config.people = {ProtectedPerson{"Jeanne Dupont", {"J. Dupont"}, {"jeanne.dupont@interieur.gouv.fr"},
                                   {"Jeanne.Dupont@Gmail.com"}, "directrice"}};
  const OrganisationProfile profile = compiled(config);
  EXPECT_TRUE(profile.is_internal(*IpAddress::parse("192.0.2.7")));
  EXPECT_TRUE(profile.is_internal(*IpAddress::parse("::ffff:192.0.2.7")));
  EXPECT_FALSE(profile.is_internal(*IpAddress::parse("198.51.100.1")));
  EXPECT_TRUE(profile.is_internal(*IpAddress::parse("2001:db8::1")));
  ASSERT_EQ(profile.people().size(), 1u);
  EXPECT_EQ(profile.people()[0].folded_names.size(), 2u);
  EXPECT_TRUE(profile.is_personal_address("jeanne.dupont@gmail.com"));
  EXPECT_FALSE(profile.is_personal_address("jeanne.dupont@interieur.gouv.fr"));
  // "MI" is left out: two letters would match initials in ordinary names.
  EXPECT_EQ(profile.organisation_names().size(), 2u);
}

TEST(OrganisationProfileTest, InvalidValuesAreConfigurationErrors) {
  OrganisationConfig config;
  config.internal_networks = {"192.0.2.1/24"};
  const Result<OrganisationProfile> profile = OrganisationProfile::compile(config);
  ASSERT_FALSE(profile);
  EXPECT_NE(profile.error().message.find("internal_networks"), std::string::npos);
  config.internal_networks.clear();
  config.protected_domains = {"a..example"};
  EXPECT_FALSE(OrganisationProfile::compile(config));
}

TEST(OrganisationProfileTest, PublicSuffixesAndAddressesAreNoDomainsOfOurs) {
  // Issue 12: with gouv.fr as a partner every domain under it was one, so intеrieur.gouv.fr
  // (Cyrillic е) and lnterieur.gouv.fr were accepted with score 0.
  OrganisationConfig config;
  config.protected_domains = {"interieur.gouv.fr", "192.0.2.10"};
  config.partner_domains = {"gouv.fr", "ssi.gouv.fr", "co.uk"};
  const Result<OrganisationProfile> refused = OrganisationProfile::compile(config);
  ASSERT_FALSE(refused);
  const std::string& message = refused.error().message;
  EXPECT_NE(message.find("organisation.partner_domains: 'gouv.fr' is a public suffix"), std::string::npos) << message;
  EXPECT_NE(message.find("organisation.partner_domains: 'co.uk' is a public suffix"), std::string::npos) << message;
  EXPECT_NE(message.find("organisation.protected_domains: '192.0.2.10' is an IP address"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("ssi.gouv.fr"), std::string::npos) << message;

  config.protected_domains = {"interieur.gouv.fr"};
  config.partner_domains = {"ssi.gouv.fr"};
  const Result<OrganisationProfile> accepted = OrganisationProfile::compile(config);
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_FALSE(accepted->is_trusted_registrable("lnterieur.gouv.fr"));
}

}  // namespace
}  // namespace vigie::facts

// Domain helpers: case, "ours", and what a display name shows.
#include "intel/identity/domains.h"

#include <gtest/gtest.h>

namespace vigie::intel::identity {
namespace {

TEST(DomainsTest, NormalizeDomain) { EXPECT_EQ(normalize_domain("Example.ORG."), "example.org"); }

TEST(DomainsTest, DomainWithin) {
  const std::vector<std::string> ours{"interieur.gouv.fr"};
  EXPECT_TRUE(domain_within("interieur.gouv.fr", ours));
  EXPECT_TRUE(domain_within("mail.interieur.gouv.fr", ours));
  EXPECT_FALSE(domain_within("xinterieur.gouv.fr", ours));
  EXPECT_FALSE(domain_within("interieur.gouv.fr.evil.example", ours));
}

TEST(DomainsTest, SubdomainIsStrict) {
  EXPECT_TRUE(is_subdomain_of("contoso.onmicrosoft.com", "onmicrosoft.com"));
  EXPECT_FALSE(is_subdomain_of("onmicrosoft.com", "onmicrosoft.com"));
  EXPECT_FALSE(is_subdomain_of("fakeonmicrosoft.com", "onmicrosoft.com"));
}

TEST(DomainsTest, KnownSuffixOnly) {
  EXPECT_TRUE(has_known_public_suffix("paypal.com"));
  EXPECT_FALSE(has_known_public_suffix("j.r.r"));
  EXPECT_FALSE(has_known_public_suffix("v1.2"));
}

TEST(DomainsTest, IdentitiesInDisplayName) {
  NamedIdentities n = identities_in_display_name("Support@PayPal.com via secure mail");
  ASSERT_EQ(n.addresses.size(), 1u);
  EXPECT_EQ(n.addresses[0], "support@paypal.com");
  EXPECT_TRUE(n.domains.empty());

  n = identities_in_display_name("john.smith@ministry.gouv.fr");
  ASSERT_EQ(n.addresses.size(), 1u);
  EXPECT_EQ(n.addresses[0], "john.smith@ministry.gouv.fr");
  EXPECT_TRUE(n.domains.empty());

  n = identities_in_display_name("Amazon.com Security");
  ASSERT_EQ(n.domains.size(), 1u);
  EXPECT_EQ(n.domains[0], "amazon.com");

  n = identities_in_display_name("J.R.R. Tolkien, v2.1");
  EXPECT_TRUE(n.addresses.empty());
  EXPECT_TRUE(n.domains.empty());
}

}  // namespace
}  // namespace vigie::intel::identity

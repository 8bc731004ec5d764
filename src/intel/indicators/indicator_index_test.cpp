#include "intel/indicators/indicator_index.h"

#include <gtest/gtest.h>

#include <chrono>

namespace vigie::intel {
namespace {

Indicator make(std::string id, std::vector<IndicatorValue> values) {
  Indicator i;
  i.id = std::move(id);
  i.values = std::move(values);
  return i;
}

std::vector<std::string> ids(const IndicatorIndex& index, ObservableType type, std::string_view observed,
                             std::int64_t now = 1'800'000'000) {
  std::vector<IndicatorMatch> matches;
  index.match(type, observed, now, matches);
  std::vector<std::string> out;
  for (const IndicatorMatch& m : matches) out.push_back(std::string(index.indicator(m.indicator).id) + " " + std::string(m.how));
  return out;
}

using V = std::vector<std::string>;

TEST(IndicatorIndexTest, DomainsMatchThemselvesAndTheirSubdomainsNeverTheirParents) {
  const IndicatorIndex index({make("d", {{ObservableType::kDomain, "Evil.Example."}})});
  EXPECT_EQ(ids(index, ObservableType::kDomain, "evil.example"), V{"d exact"});
  EXPECT_EQ(ids(index, ObservableType::kDomain, "LOGIN.mail.evil.example"), V{"d parent domain"});
  EXPECT_TRUE(ids(index, ObservableType::kDomain, "example").empty());
  EXPECT_TRUE(ids(index, ObservableType::kDomain, "notevil.example").empty());
  EXPECT_TRUE(ids(index, ObservableType::kDomain, "evil.example.org").empty());
}

TEST(IndicatorIndexTest, UrlsMatchExactlyAndByPrefixAtAPathBoundary) {
  const IndicatorIndex index({make("exact", {{ObservableType::kUrl, "HTTPS://X.example/kit/login.php?u=1"}}),
                              make("folder", {{ObservableType::kUrl, "https://x.example/kit/"}}),
                              make("host", {{ObservableType::kUrl, "https://y.example/"}})});
  EXPECT_EQ(ids(index, ObservableType::kUrl, "https://x.example/kit/login.php?u=1"),
            (V{"exact exact", "folder URL prefix"}));
  EXPECT_EQ(ids(index, ObservableType::kUrl, "https://x.example/kit/other"), V{"folder URL prefix"});
  EXPECT_EQ(ids(index, ObservableType::kUrl, "https://x.example/kit"), V{"folder URL prefix"});
  EXPECT_TRUE(ids(index, ObservableType::kUrl, "https://x.example/kitten/").empty());
  EXPECT_EQ(ids(index, ObservableType::kUrl, "https://y.example/a/b?c"), V{"host URL prefix"});
  EXPECT_TRUE(ids(index, ObservableType::kUrl, "http://y.example/").empty());  // another scheme
}

TEST(IndicatorIndexTest, AddressesAndNetworksOfBothFamilies) {
  const IndicatorIndex index({make("host", {{ObservableType::kIpv4, "203.0.113.7"}}),
                              make("net", {{ObservableType::kIpv4, "198.51.100.0/24"}}),
                              make("wide", {{ObservableType::kIpv4, "198.51.0.0/16"}}),
                              make("v6", {{ObservableType::kIpv6, "2001:db8:abcd::/48"}}),
                              make("bad", {{ObservableType::kIpv4, "not-an-ip"}})});
  EXPECT_EQ(index.skipped_values(), 1u);
  EXPECT_EQ(ids(index, ObservableType::kIpv4, "203.0.113.7"), V{"host exact"});
  EXPECT_EQ(ids(index, ObservableType::kIpv4, "198.51.100.200"), (V{"net in network", "wide in network"}));
  EXPECT_EQ(ids(index, ObservableType::kIpv4, "198.51.7.1"), V{"wide in network"});
  EXPECT_EQ(ids(index, ObservableType::kIpv6, "::ffff:203.0.113.7"), V{"host exact"});  // mapped
  EXPECT_EQ(ids(index, ObservableType::kIpv6, "2001:db8:abcd:12::1"), V{"v6 in network"});
  EXPECT_TRUE(ids(index, ObservableType::kIpv6, "2001:db8:abce::1").empty());
  EXPECT_TRUE(ids(index, ObservableType::kIpv4, "203.0.113.8").empty());
  std::vector<IndicatorMatch> matches;
  index.match(ObservableType::kIpv4, "198.51.100.200", 1, matches);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].matched, "198.51.100.0/24");
}

TEST(IndicatorIndexTest, HashesAddressesNamesAndSubjectsIgnoreCase) {
  const std::string sha256(64, 'A');
  const IndicatorIndex index({make("h", {{ObservableType::kSha256, sha256}, {ObservableType::kMd5, "short"}}),
                              make("a", {{ObservableType::kEmailAddress, "Rh@Ministere-Interieur.example"}}),
                              make("f", {{ObservableType::kFileName, "Facture.PDF.lnk"}}),
                              make("s", {{ObservableType::kEmailSubject, "  Invitation   au  colloque "}})});
  EXPECT_EQ(index.skipped_values(), 1u);
  EXPECT_EQ(ids(index, ObservableType::kSha256, std::string(64, 'a')), V{"h exact"});
  EXPECT_EQ(ids(index, ObservableType::kEmailAddress, "rh@ministere-interieur.example"), V{"a exact"});
  EXPECT_EQ(ids(index, ObservableType::kFileName, "facture.pdf.LNK"), V{"f exact"});
  EXPECT_EQ(ids(index, ObservableType::kEmailSubject, "INVITATION au\tcolloque"), V{"s exact"});
  EXPECT_TRUE(ids(index, ObservableType::kEmailSubject, "Invitation au colloque 2027").empty());
  // The unusable MD5 does not make the matcher compute every file's MD5 and SHA-1; a real one does.
  EXPECT_FALSE(index.holds_md5_or_sha1());
  EXPECT_TRUE(IndicatorIndex({make("m", {{ObservableType::kMd5, std::string(32, 'b')}})}).holds_md5_or_sha1());
}

TEST(IndicatorIndexTest, RevokedIndicatorsAreLeftOutAndValidityIsCheckedAtTheMessagesTime) {
  Indicator revoked = make("revoked", {{ObservableType::kDomain, "a.example"}});
  revoked.revoked = true;
  Indicator windowed = make("window", {{ObservableType::kDomain, "a.example"}});
  windowed.valid_from = 1000;
  windowed.valid_until = 2000;
  const IndicatorIndex index({revoked, windowed});
  EXPECT_EQ(index.size(), 1u);
  EXPECT_TRUE(ids(index, ObservableType::kDomain, "a.example", 999).empty());
  EXPECT_EQ(ids(index, ObservableType::kDomain, "a.example", 1000), V{"window exact"});
  EXPECT_TRUE(ids(index, ObservableType::kDomain, "a.example", 2000).empty());
}

TEST(IndicatorIndexTest, ManyIndicatorsIndexAndMatch) {
  std::vector<Indicator> many;
  many.reserve(100'000);
  for (int i = 0; i < 100'000; ++i) {
    many.push_back(make("i" + std::to_string(i), {{ObservableType::kDomain, "host" + std::to_string(i) + ".example"}}));
  }
  const IndicatorIndex index(many);
  EXPECT_EQ(index.size(), 100'000u);
  EXPECT_EQ(ids(index, ObservableType::kDomain, "www.host99999.example"), V{"i99999 parent domain"});
  EXPECT_TRUE(ids(index, ObservableType::kDomain, "host100000.example").empty());
  // What the index holds per indicator: the id and key bytes (about 20 here), a record, a key and
  // its share of the table; not a copy of the indicator and a node per value.
  EXPECT_LT(index.memory_bytes() / index.size(), 160u) << index.memory_bytes();
}

TEST(IndicatorIndexTest, KeepsWhatAMatchReportsAndStoresSharedTextsOnce) {
  Indicator a = make("indicator--a", {{ObservableType::kDomain, "a.example"}, {ObservableType::kUrl, "https://a.example/kit/"}});
  a.source = "CERT-FR";
  a.name = "APT28 phishing";
  a.description = "not kept: the store has it";
  a.confidence = 85;
  a.tlp = Tlp::kAmber;
  a.valid_from = 100;
  a.links = {{"intrusion-set", "APT28", "intrusion-set--bef4c620-0787-42a8-a96d-b7eb6e85917c"}};
  Indicator b = a;
  b.id = "indicator--b";
  b.values = {{ObservableType::kDomain, "A.example"}};  // the same key as a's, another indicator
  Indicator pattern = make("indicator--p", {});
  pattern.pattern = "[domain-name:value LIKE '%.evil.example']";
  const IndicatorIndex index({a, b, pattern});
  ASSERT_EQ(index.size(), 3u);
  const IndicatorView view = index.indicator(0);
  EXPECT_EQ(view.id, "indicator--a");
  EXPECT_EQ(view.source, "CERT-FR");
  EXPECT_EQ(view.name, "APT28 phishing");
  EXPECT_EQ(view.confidence, 85);
  EXPECT_EQ(view.tlp, Tlp::kAmber);
  EXPECT_EQ(view.valid_from, 100);
  ASSERT_EQ(view.links.size(), 1u);
  EXPECT_EQ(view.links[0].name, "APT28");
  EXPECT_TRUE(view.pattern.empty());  // a's values say it all
  // b shares a's source, name and links: the same bytes, not a copy.
  EXPECT_EQ(index.indicator(1).source.data(), view.source.data());
  EXPECT_EQ(index.indicator(1).links.data(), view.links.data());
  EXPECT_EQ(ids(index, ObservableType::kDomain, "www.a.example"), (V{"indicator--a parent domain", "indicator--b parent domain"}));
  EXPECT_EQ(index.pattern_only(), std::vector<std::uint32_t>{2});
  EXPECT_EQ(index.indicator(2).pattern, "[domain-name:value LIKE '%.evil.example']");
  EXPECT_EQ(index.indexed_values(), 3u);
}

TEST(IndicatorIndexTest, AnIndicatorListingOneValueTwiceMatchesOnce) {
  const IndicatorIndex index({make("twice", {{ObservableType::kSha256, std::string(64, 'a')},
                                             {ObservableType::kSha256, std::string(64, 'A')}})});
  EXPECT_EQ(ids(index, ObservableType::kSha256, std::string(64, 'a')), V{"twice exact"});
}

}  // namespace
}  // namespace vigie::intel

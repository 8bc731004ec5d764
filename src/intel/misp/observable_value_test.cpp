// Checking and normalising indicator values: what each kind accepts, refuses and how it prints.
#include "intel/misp/observable_value.h"

#include <gtest/gtest.h>

namespace vigie::intel::misp {
namespace {

std::string ok(ValueKind kind, std::string_view text) {
  const auto value = check_value(kind, text);
  EXPECT_TRUE(value) << text << ": " << (value ? "" : value.error().message);
  return value ? value->value : std::string();
}

bool refused(ValueKind kind, std::string_view text) { return !check_value(kind, text); }

TEST(MispObservableValue, DomainsAreLowercaseAsciiAndNeedADot) {
  EXPECT_EQ(ok(ValueKind::kDomain, " Login.Example.COM "), "login.example.com");
  EXPECT_EQ(ok(ValueKind::kDomain, "bücher.example"), "xn--bcher-kva.example");
  EXPECT_TRUE(refused(ValueKind::kDomain, "localhost"));
  EXPECT_TRUE(refused(ValueKind::kDomain, "192.0.2.1"));
  EXPECT_TRUE(refused(ValueKind::kDomain, "http://example.com/"));
  EXPECT_TRUE(refused(ValueKind::kDomain, "a..example.com"));
  EXPECT_TRUE(refused(ValueKind::kDomain, ""));
}

TEST(MispObservableValue, IpsAndNetworksByFamily) {
  const auto v4 = check_value(ValueKind::kIp, "192.0.2.7");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->type, ObservableType::kIpv4);
  const auto v6 = check_value(ValueKind::kIp, "2001:DB8:0::1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->type, ObservableType::kIpv6);
  EXPECT_EQ(v6->value, "2001:db8::1");
  EXPECT_EQ(ok(ValueKind::kIp, "198.51.100.0/24"), "198.51.100.0/24");
  EXPECT_EQ(ok(ValueKind::kIp, "2001:db8::/32"), "2001:db8::/32");
  EXPECT_TRUE(refused(ValueKind::kIp, "198.51.100.1/24"));  // host bits set: a typo
  EXPECT_TRUE(refused(ValueKind::kIp, "999.1.1.1"));
  EXPECT_TRUE(refused(ValueKind::kIp, "evil.example"));
}

TEST(MispObservableValue, UrlsNeedASchemeAndAHost) {
  EXPECT_EQ(ok(ValueKind::kUrl, "HTTPS://Evil.Example/Login?a=1"), "https://evil.example/Login?a=1");
  EXPECT_TRUE(refused(ValueKind::kUrl, "evil.example/login"));
  EXPECT_TRUE(refused(ValueKind::kUrl, "/admin/login.php"));
  EXPECT_TRUE(refused(ValueKind::kUrl, "https://"));
  EXPECT_TRUE(refused(ValueKind::kUrl, "mailto:"));
  EXPECT_TRUE(refused(ValueKind::kUrl, "http://a b.example/"));
}

TEST(MispObservableValue, EmailHashesAndText) {
  EXPECT_EQ(ok(ValueKind::kEmailAddress, "Boss@Mail.Example.ORG"), "Boss@mail.example.org");
  EXPECT_TRUE(refused(ValueKind::kEmailAddress, "boss.example.org"));
  EXPECT_TRUE(refused(ValueKind::kEmailAddress, "@example.org"));
  EXPECT_TRUE(refused(ValueKind::kEmailAddress, "a@b"));
  EXPECT_EQ(ok(ValueKind::kMd5, "D41D8CD98F00B204E9800998ECF8427E"), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_TRUE(refused(ValueKind::kSha256, "d41d8cd98f00b204e9800998ecf8427e"));
  EXPECT_TRUE(refused(ValueKind::kSha1, std::string(39, 'a') + "g"));
  EXPECT_EQ(ok(ValueKind::kSha512, std::string(128, 'A')), std::string(128, 'a'));
  EXPECT_EQ(ok(ValueKind::kEmailSubject, "  Convocation  "), "Convocation");
  EXPECT_EQ(ok(ValueKind::kFileName, "facture.pdf.lnk"), "facture.pdf.lnk");
  EXPECT_TRUE(refused(ValueKind::kFileName, std::string(5000, 'x')));
}

TEST(MispObservableValue, KindNames) {
  EXPECT_EQ(value_kind_from_name("IP-DST"), ValueKind::kIp);
  EXPECT_EQ(value_kind_from_name("hostname"), ValueKind::kDomain);
  EXPECT_EQ(value_kind_from_name("email-reply-to"), ValueKind::kEmailAddress);
  EXPECT_EQ(value_kind_from_name("file-name"), ValueKind::kFileName);
  EXPECT_FALSE(value_kind_from_name("regkey"));
  EXPECT_FALSE(value_kind_from_name("domain|ip"));
}

}  // namespace
}  // namespace vigie::intel::misp

#include "auth/spf/record.h"

#include <gtest/gtest.h>

namespace vigie::auth::spf {
namespace {

Mechanism only_mechanism(std::string_view text) {
  auto record = parse_record(text);
  EXPECT_TRUE(record.has_value()) << text << ": " << (record ? "" : record.error().message);
  if (!record || record->mechanisms.size() != 1) return {};
  return record->mechanisms.front();
}

std::string error_of(std::string_view text) {
  auto record = parse_record(text);
  return record ? std::string("(valid)") : record.error().message;
}

TEST(SpfRecordTest, VersionSelection) {
  EXPECT_TRUE(is_spf_record("v=spf1"));
  EXPECT_TRUE(is_spf_record("V=SpF1 -all"));
  EXPECT_FALSE(is_spf_record("v=spf10"));
  EXPECT_FALSE(is_spf_record("v=spf1mx"));
  EXPECT_FALSE(is_spf_record(" v=spf1"));
  EXPECT_FALSE(is_spf_record("v=spfl am not"));
}

TEST(SpfRecordTest, DualCidrLengths) {
  Mechanism m = only_mechanism("v=spf1 a/24//64");
  EXPECT_EQ(m.kind, MechanismKind::kA);
  EXPECT_EQ(m.domain_spec, "");
  EXPECT_EQ(m.cidr4, 24u);
  EXPECT_EQ(m.cidr6, 64u);
  m = only_mechanism("v=spf1 mx//0");
  EXPECT_EQ(m.cidr4, 32u);
  EXPECT_EQ(m.cidr6, 0u);
  m = only_mechanism("v=spf1 -a:foo.example.com/24");
  EXPECT_EQ(m.qualifier, Qualifier::kFail);
  EXPECT_EQ(m.domain_spec, "foo.example.com");
  EXPECT_EQ(m.cidr4, 24u);
  EXPECT_EQ(m.cidr6, 128u);
  // ':' and '/' may appear inside a domain-spec (macro-literal).
  m = only_mechanism("v=spf1 a:foo:bar/baz.example.com");
  EXPECT_EQ(m.domain_spec, "foo:bar/baz.example.com");
  EXPECT_EQ(m.cidr4, 32u);
}

TEST(SpfRecordTest, BadCidrLengths) {
  EXPECT_EQ(error_of("v=spf1 a/33"), "invalid ip4-cidr-length in '/33'");
  EXPECT_EQ(error_of("v=spf1 a//129"), "invalid ip6-cidr-length in '//129'");
  EXPECT_EQ(error_of("v=spf1 a/24/64"), "invalid ip4-cidr-length in '/24/64'");
  EXPECT_EQ(error_of("v=spf1 a/24/16"), "unexpected '/24' after a");
  EXPECT_EQ(error_of("v=spf1 ip4:1.2.3.4/032"), "invalid CIDR length in ip4:1.2.3.4/032");
  EXPECT_EQ(error_of("v=spf1 ip4:1.2.3.4//32"), "invalid CIDR length in ip4:1.2.3.4//32");
  EXPECT_EQ(error_of("v=spf1 ip6:::1/129"), "invalid CIDR length in ip6:::1/129");
  EXPECT_EQ(error_of("v=spf1 ptr/0"), "unexpected '/0' after ptr");
}

TEST(SpfRecordTest, IpNetworks) {
  Mechanism m = only_mechanism("v=spf1 ip4:192.0.2.0/24");
  EXPECT_EQ(m.kind, MechanismKind::kIp4);
  EXPECT_EQ(m.network.to_string(), "192.0.2.0");
  EXPECT_EQ(m.cidr4, 24u);
  m = only_mechanism("v=spf1 ?ip6:Cafe:Babe:8000::/33");
  EXPECT_EQ(m.qualifier, Qualifier::kNeutral);
  EXPECT_EQ(m.network.to_string(), "cafe:babe:8000::");
  EXPECT_EQ(m.cidr6, 33u);
  EXPECT_EQ(error_of("v=spf1 ip4:1.2.3"), "'1.2.3' is not an IPv4 address");
  EXPECT_EQ(error_of("v=spf1 ip6::CAFE::BABE"), "':CAFE::BABE' is not an IPv6 address");
  EXPECT_EQ(error_of("v=spf1 ip4"), "ip4 requires ':' and a network");
}

TEST(SpfRecordTest, DomainSpecEnd) {
  EXPECT_EQ(domain_spec_error("example.com"), "");
  EXPECT_EQ(domain_spec_error("example.com."), "");
  EXPECT_EQ(domain_spec_error("foo.example.xn--zckzah"), "");
  EXPECT_EQ(domain_spec_error("%{H}"), "");
  EXPECT_EQ(domain_spec_error("_spf.%{d2}"), "");
  EXPECT_EQ(domain_spec_error("museum."),
            "'museum.' does not end in a valid top label or a macro");
  EXPECT_EQ(domain_spec_error("abc.123"), "'abc.123' does not end in a valid top label or a macro");
  EXPECT_EQ(domain_spec_error("example.-com"),
            "'example.-com' does not end in a valid top label or a macro");
  EXPECT_EQ(domain_spec_error("example.com:8080"),
            "'example.com:8080' does not end in a valid top label or a macro");
  EXPECT_EQ(domain_spec_error(""), "empty domain-spec");
}

TEST(SpfRecordTest, ModifiersAndTermKinds) {
  auto record = parse_record("v=spf1 moo.cow-far_out=man:dog/cat exp=x.%{d} redirect=_spf.example.com");
  ASSERT_TRUE(record.has_value());
  EXPECT_TRUE(record->mechanisms.empty());
  EXPECT_EQ(record->redirect, "_spf.example.com");
  EXPECT_EQ(record->explanation, "x.%{d}");
  EXPECT_EQ(error_of("v=spf1 moo.cow/far_out=man:dog/cat"), "unknown mechanism 'moo.cow'");
  EXPECT_EQ(error_of("v=spf1 redirect:t2.example.com"), "unknown mechanism 'redirect'");
  EXPECT_EQ(error_of("v=spf1 1up=foo"), "invalid modifier name in '1up=foo'");
  EXPECT_EQ(error_of("v=spf1 =all"), "invalid modifier name in '=all'");
  EXPECT_EQ(error_of("v=spf1 exp=a.example exp=b.example"), "modifier 'exp' appears twice");
  EXPECT_EQ(error_of("v=spf1 redirect="), "redirect=: empty domain-spec");
  EXPECT_EQ(error_of("v=spf1 foo=%abc"),
            "modifier 'foo': '%' must be followed by '{', '%', '_' or '-' (RFC 7208 §7.1)");
  EXPECT_EQ(error_of("v=spf1 -all."), "unknown mechanism 'all.'");
  EXPECT_EQ(error_of("v=spf1 -all/8"), "'all' takes no argument");
  EXPECT_EQ(error_of("v=spf1 include"), "include requires ':' domain-spec");
  EXPECT_EQ(error_of("v=spf1 a:ctrl.example.com\rptr"), "control or non-ASCII byte in record");
  EXPECT_EQ(parse_record("v=spf1   a  -all ")->mechanisms.size(), 2u);
}

}  // namespace
}  // namespace vigie::auth::spf

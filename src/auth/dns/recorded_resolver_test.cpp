#include "auth/dns/recorded_resolver.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace vigie::auth::dns {
namespace {

RecordedResolver zone(std::string_view yaml) {
  auto loaded = RecordedResolver::from_string(yaml, "zone.yml");
  EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().message);
  return loaded ? std::move(*loaded) : RecordedResolver(RecordedResolver::Zone{});
}

std::string error_of(std::string_view yaml) {
  auto loaded = RecordedResolver::from_string(yaml, "zone.yml");
  return loaded ? std::string("(loaded)") : loaded.error().message;
}

TEST(RecordedResolverTest, TextRecordsKeepTheirStrings) {
  const auto z = zone(
      "example.com:\n"
      "  - TXT: v=spf1 -all\n"
      "  - TXT: [ 'v=spf1 ip4:', '192.0.2.5 -all' ]\n");
  const DnsAnswer answer = z.lookup("example.com", RecordType::kTxt);
  ASSERT_EQ(answer.status, DnsStatus::kRecords);
  ASSERT_EQ(answer.records.size(), 2u);
  EXPECT_EQ(answer.records[0].strings, std::vector<std::string>{"v=spf1 -all"});
  EXPECT_EQ(answer.records[1].strings,
            (std::vector<std::string>{"v=spf1 ip4:", "192.0.2.5 -all"}));
}

TEST(RecordedResolverTest, SpfEntriesAreServedAsTxtOnlyWithoutTxtEntries) {
  const auto z = zone(
      "copied.example:\n"
      "  - SPF: v=spf1 a\n"
      "not-copied.example:\n"
      "  - SPF: v=spf1 a\n"
      "  - TXT: NONE\n"
      "txt-wins.example:\n"
      "  - SPF: v=spf1 +all\n"
      "  - TXT: v=spf1 -all\n");
  const DnsAnswer copied = z.lookup("copied.example", RecordType::kTxt);
  ASSERT_EQ(copied.status, DnsStatus::kRecords);
  EXPECT_EQ(copied.records.at(0).strings.at(0), "v=spf1 a");
  EXPECT_EQ(z.lookup("not-copied.example", RecordType::kTxt).status, DnsStatus::kNoData);
  const DnsAnswer wins = z.lookup("txt-wins.example", RecordType::kTxt);
  ASSERT_EQ(wins.records.size(), 1u);
  EXPECT_EQ(wins.records[0].strings.at(0), "v=spf1 -all");
}

TEST(RecordedResolverTest, AddressMxPtrRecords) {
  const auto z = zone(
      "zonedata:\n"
      "  Mail.Example.COM.:\n"
      "    - A: 192.0.2.1\n"
      "    - AAAA: 2001:db8::1\n"
      "    - MX: [10, mx.example.com.]\n"
      "    - MX: [0, \"\"]\n"
      "  1.2.0.192.in-addr.arpa:\n"
      "    - PTR: Mail.Example.com.\n");
  const DnsAnswer a = z.lookup("mail.example.com.", RecordType::kA);
  ASSERT_EQ(a.status, DnsStatus::kRecords);
  EXPECT_EQ(a.records.at(0).address.to_string(), "192.0.2.1");
  EXPECT_EQ(z.lookup("MAIL.example.com", RecordType::kAaaa).records.at(0).address.to_string(),
            "2001:db8::1");
  const DnsAnswer mx = z.lookup("mail.example.com", RecordType::kMx);
  ASSERT_EQ(mx.records.size(), 2u);
  EXPECT_EQ(mx.records[0].preference, 10);
  EXPECT_EQ(mx.records[0].name, "mx.example.com");
  EXPECT_EQ(mx.records[1].name, "");
  EXPECT_EQ(z.lookup("1.2.0.192.in-addr.arpa", RecordType::kPtr).records.at(0).name,
            "mail.example.com");
}

TEST(RecordedResolverTest, NxdomainVersusNoData) {
  const auto z = zone("a.example:\n  - A: 192.0.2.1\nempty.example: []\n");
  EXPECT_EQ(z.lookup("a.example", RecordType::kTxt).status, DnsStatus::kNoData);
  EXPECT_EQ(z.lookup("empty.example", RecordType::kA).status, DnsStatus::kNoData);
  EXPECT_EQ(z.lookup("b.example", RecordType::kA).status, DnsStatus::kNxDomain);
  EXPECT_EQ(z.lookup("", RecordType::kA).status, DnsStatus::kNxDomain);
}

TEST(RecordedResolverTest, TimeoutUnlessTheAskedTypeCameFirst) {
  const auto z = zone(
      "t.example:\n"
      "  - TXT: v=spf1 -all\n"
      "  - TIMEOUT\n"
      "  - A: 192.0.2.1\n"
      "all.example:\n"
      "  - TIMEOUT\n"
      "typed.example:\n"
      "  - A: TIMEOUT\n"
      "  - TXT: hello\n");
  const DnsAnswer answered = z.lookup("t.example", RecordType::kTxt);
  EXPECT_EQ(answered.status, DnsStatus::kRecords);
  EXPECT_EQ(answered.ttl, RecordedResolver::kTtl);  // the zone has no TTLs: a fixed one
  const DnsAnswer timed_out = z.lookup("t.example", RecordType::kA);
  EXPECT_EQ(timed_out.status, DnsStatus::kTempError);
  EXPECT_EQ(timed_out.detail, "timeout (recorded) at t.example");
  EXPECT_TRUE(timed_out.timed_out);
  EXPECT_EQ(z.lookup("all.example", RecordType::kMx).status, DnsStatus::kTempError);
  EXPECT_EQ(z.lookup("typed.example", RecordType::kA).status, DnsStatus::kTempError);
  EXPECT_EQ(z.lookup("typed.example", RecordType::kTxt).status, DnsStatus::kRecords);
}

TEST(RecordedResolverTest, FollowsCnamesAndDetectsLoops) {
  const auto z = zone(
      "alias.example:\n  - CNAME: target.example.\n"
      "target.example:\n  - A: 192.0.2.9\n"
      "dangling.example:\n  - CNAME: nowhere.example\n"
      "loop1.example:\n  - CNAME: LOOP2.example.\n"
      "loop2.example:\n  - CNAME: loop1.example\n");
  const DnsAnswer a = z.lookup("alias.example", RecordType::kA);
  ASSERT_EQ(a.status, DnsStatus::kRecords);
  EXPECT_EQ(a.records.at(0).address.to_string(), "192.0.2.9");
  EXPECT_EQ(z.lookup("alias.example", RecordType::kCname).records.at(0).name, "target.example");
  EXPECT_EQ(z.lookup("alias.example", RecordType::kTxt).status, DnsStatus::kNoData);
  EXPECT_EQ(z.lookup("dangling.example", RecordType::kA).status, DnsStatus::kNxDomain);
  const DnsAnswer loop = z.lookup("loop1.example", RecordType::kA);
  EXPECT_EQ(loop.status, DnsStatus::kTempError);
  EXPECT_EQ(loop.detail, "CNAME loop at loop1.example");
}

TEST(RecordedResolverTest, ErrorsNameFileAndLine) {
  EXPECT_EQ(error_of("a.example:\n  - A: 192.0.2.1\n  - HINFO: x\n"),
            "zone.yml:3: unknown record type 'HINFO' for 'a.example' (expected TXT, SPF, A, "
            "AAAA, MX, PTR, CNAME or TIMEOUT)");
  EXPECT_EQ(error_of("a.example:\n  - A: 1.2.3\n"),
            "zone.yml:2: A of 'a.example': '1.2.3' is not an IPv4 address");
  EXPECT_EQ(error_of("a.example:\n  - AAAA: 1.2.3.4\n"),
            "zone.yml:2: AAAA of 'a.example': '1.2.3.4' is not an IPv6 address");
  EXPECT_EQ(error_of("a.example:\n  - MX: mail.example\n"),
            "zone.yml:2: MX of 'a.example' must be [preference, exchange]");
  EXPECT_EQ(error_of("a.example:\n  - MX: [high, mail.example]\n"),
            "zone.yml:2: MX of 'a.example': preference 'high' is not a number 0-65535");
  EXPECT_EQ(error_of("a.example:\n  - SLOW\n"),
            "zone.yml:2: a record of 'a.example' must be TYPE: value or TIMEOUT");
  EXPECT_EQ(error_of("a.example: 192.0.2.1\n"), "zone.yml:1: records of 'a.example' must be a list");
  EXPECT_EQ(error_of("a.example: []\nA.EXAMPLE.: []\n"),
            "zone.yml:2: name 'A.EXAMPLE.' is listed twice");
  EXPECT_EQ(error_of("- a\n"), "zone.yml:1: a zone must be a mapping of names to records");
  EXPECT_EQ(error_of("a.example: []\n---\nb.example: []\n"),
            "zone.yml:3: a zone file holds one YAML document, this one has 2");
}

TEST(RecordedResolverTest, MalformedYamlIsAnErrorWithItsLine) {
  const std::string message = error_of("a.example:\n  - A: 192.0.2.1\n  - [unclosed\n");
  EXPECT_EQ(message.rfind("zone.yml:4: malformed YAML: ", 0), 0u) << message;
}

TEST(RecordedResolverTest, MalformedStreamsFailInsteadOfLooping) {
  // yaml-cpp 0.7's LoadAll loops forever on these (jbeder/yaml-cpp#1040).
  EXPECT_EQ(error_of(",\n"), "zone.yml:1: malformed YAML: no document found");
  auto zones = RecordedResolver::all_from_string("# header\n---\n,a.example: [\n", "suite.yml");
  ASSERT_FALSE(zones.has_value());
  EXPECT_EQ(zones.error().message, "suite.yml:2: malformed YAML: no document found");
}

TEST(RecordedResolverTest, CommentsOnlyIsAnEmptyZone) {
  auto loaded = RecordedResolver::from_string("# nothing recorded\n\n");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->name_count(), 0u);
}

TEST(RecordedResolverTest, LinesCountAcrossDocuments) {
  auto zones = RecordedResolver::all_from_string(
      "# suite\n---\na.example: []\n---\nb.example:\n  - A: nope\n", "suite.yml");
  ASSERT_FALSE(zones.has_value());
  EXPECT_EQ(zones.error().message, "suite.yml:6: A of 'b.example': 'nope' is not an IPv4 address");
}

TEST(RecordedResolverTest, LoadsEveryDocumentForSuiteFiles) {
  auto zones = RecordedResolver::all_from_string(
      "tests: {}\nzonedata:\n  a.example: [ {A: 192.0.2.1} ]\n---\nzonedata:\n"
      "  b.example: [ {A: 192.0.2.2} ]\n");
  ASSERT_TRUE(zones.has_value());
  ASSERT_EQ(zones->size(), 2u);
  EXPECT_EQ((*zones)[0].lookup("a.example", RecordType::kA).status, DnsStatus::kRecords);
  EXPECT_EQ((*zones)[0].lookup("b.example", RecordType::kA).status, DnsStatus::kNxDomain);
  EXPECT_EQ((*zones)[1].lookup("b.example", RecordType::kA).status, DnsStatus::kRecords);
}

TEST(RecordedResolverTest, FromFile) {
  const std::string path = ::testing::TempDir() + "recorded_resolver_test.yml";
  {
    std::ofstream out(path);
    out << "example.com:\n  - TXT: hello\n  - BOGUS: 1\n";
  }
  auto loaded = RecordedResolver::from_file(path);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().message, path + ":3: unknown record type 'BOGUS' for 'example.com' "
                                           "(expected TXT, SPF, A, AAAA, MX, PTR, CNAME or TIMEOUT)");
  std::remove(path.c_str());
  auto missing = RecordedResolver::from_file(path);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_EQ(missing.error().message, path + ": cannot open zone file");
}

}  // namespace
}  // namespace vigie::auth::dns

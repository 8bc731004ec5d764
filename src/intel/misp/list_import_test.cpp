// Plain and CSV indicator lists: comments, blank lines, per-type checks, headers, declared types,
// quoting, and problems at file:line.
#include "intel/misp/list_import.h"
#include "vigie/limits.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace vigie::intel::misp {
namespace {

TEST(ListImport, PlainListWithCommentsAndBadLines) {
  const ImportResult r = import_plain_list(
      "# partner list, January\n"
      "\n"
      "Evil.Example\r\n"
      "login.evil.example  # the phishing host\n"
      "   \n"
      "not a domain\n"
      "192.0.2.1\n"
      "bücher.example\n",
      "partner.txt", ValueKind::kDomain);
  ASSERT_EQ(r.indicators.size(), 3u);
  EXPECT_EQ(r.indicators[0].id, "list:partner.txt:3");
  EXPECT_EQ(r.indicators[0].source, "partner.txt");
  EXPECT_EQ(r.indicators[0].values[0].value, "evil.example");
  EXPECT_EQ(r.indicators[1].values[0].value, "login.evil.example");
  EXPECT_EQ(r.indicators[1].description, "the phishing host");
  EXPECT_EQ(r.indicators[2].values[0].value, "xn--bcher-kva.example");
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].where, "partner.txt:6");
  EXPECT_EQ(r.problems[1].where, "partner.txt:7");
  EXPECT_NE(r.problems[1].what.find("192.0.2.1"), std::string::npos);
}

TEST(ListImport, PlainListsOfEachKind) {
  const ImportResult ips = import_plain_list("198.51.100.0/24\n2001:db8::1\n10.0.0.1/8\nx\n", "ips", ValueKind::kIp);
  ASSERT_EQ(ips.indicators.size(), 2u);
  EXPECT_EQ(ips.indicators[0].values[0].type, ObservableType::kIpv4);
  EXPECT_EQ(ips.indicators[1].values[0].type, ObservableType::kIpv6);
  EXPECT_EQ(ips.problems.size(), 2u);  // host bits set; not an IP
  const ImportResult urls = import_plain_list("https://evil.example/a#frag\nevil.example/b\n", "urls", ValueKind::kUrl);
  ASSERT_EQ(urls.indicators.size(), 1u);
  EXPECT_EQ(urls.indicators[0].values[0].value, "https://evil.example/a#frag");  // '#' without a blank: a fragment
  ASSERT_EQ(urls.problems.size(), 1u);
  EXPECT_EQ(urls.problems[0].where, "urls:2");
  const ImportResult hashes = import_plain_list(std::string(64, 'A') + "\n" + std::string(63, 'a') + "\n", "h", ValueKind::kSha256);
  ASSERT_EQ(hashes.indicators.size(), 1u);
  EXPECT_EQ(hashes.indicators[0].values[0].value, std::string(64, 'a'));
  EXPECT_EQ(hashes.problems.size(), 1u);
}

TEST(ListImport, CsvWithHeader) {
  const ImportResult r = import_csv_list(
      "comment,type,value,extra\n"
      "\"phishing, January\",domain,evil.example,1\n"
      "sender,email-src,ceo@evil.example,\n"
      ",ip-dst,203.0.113.5,\n"
      "\"quoted \"\"name\"\"\",filename,\"a,b.doc\",\n"
      "bad type,regkey,HKLM\\Run,\n"
      "bad value,md5,1234,\n"
      "\"unclosed,domain,x.example\n"
      "no type,,y.example\n",
      "export.csv", std::nullopt);
  ASSERT_EQ(r.indicators.size(), 4u);
  EXPECT_EQ(r.indicators[0].values[0].value, "evil.example");
  EXPECT_EQ(r.indicators[0].description, "phishing, January");
  EXPECT_EQ(r.indicators[0].id, "list:export.csv:2");
  EXPECT_EQ(r.indicators[1].values[0].type, ObservableType::kEmailAddress);
  EXPECT_EQ(r.indicators[2].values[0].type, ObservableType::kIpv4);
  EXPECT_EQ(r.indicators[3].values[0].value, "a,b.doc");
  EXPECT_EQ(r.indicators[3].description, "quoted \"name\"");
  ASSERT_EQ(r.problems.size(), 4u);
  EXPECT_EQ(r.problems[0].where, "export.csv:6");
  EXPECT_NE(r.problems[0].what.find("regkey"), std::string::npos);
  EXPECT_EQ(r.problems[1].where, "export.csv:7");
  EXPECT_EQ(r.problems[2].where, "export.csv:8");
  EXPECT_EQ(r.problems[3].where, "export.csv:9");
}

TEST(ListImport, CsvWithoutHeader) {
  const ImportResult typed = import_csv_list("# value,type,comment\nevil.example,domain,first\n198.51.100.9,ip,\n", "t.csv", std::nullopt);
  ASSERT_EQ(typed.indicators.size(), 2u);
  EXPECT_EQ(typed.indicators[0].description, "first");
  EXPECT_TRUE(typed.problems.empty());
  const ImportResult declared = import_csv_list("evil.example,seen twice\nbad_value!,x\n", "d.csv", ValueKind::kDomain);
  ASSERT_EQ(declared.indicators.size(), 1u);
  EXPECT_EQ(declared.indicators[0].description, "seen twice");
  ASSERT_EQ(declared.problems.size(), 1u);
  EXPECT_EQ(declared.problems[0].where, "d.csv:2");
}

TEST(ListImport, Files) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "vigie_list_import";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "domains.txt") << "evil.example\n";
  const auto plain = import_list_file((dir / "domains.txt").string(), ListFormat::kPlain, ValueKind::kDomain, Limits{}.intel_max_list_bytes);
  ASSERT_TRUE(plain);
  ASSERT_EQ(plain->indicators.size(), 1u);
  EXPECT_EQ(plain->indicators[0].id, "list:domains.txt:1");
  EXPECT_FALSE(import_list_file((dir / "domains.txt").string(), ListFormat::kPlain, std::nullopt, Limits{}.intel_max_list_bytes));
  EXPECT_FALSE(import_list_file((dir / "absent.txt").string(), ListFormat::kCsv, std::nullopt, Limits{}.intel_max_list_bytes));
  EXPECT_FALSE(import_list_file((dir / "domains.txt").string(), ListFormat::kCsv, std::nullopt, 4));
}

}  // namespace
}  // namespace vigie::intel::misp

#include "auth/dns/rdata.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigie::auth::dns {
namespace {

using Bytes = std::vector<std::uint8_t>;

// "mail.Example.COM." in wire form.
Bytes wire_name(std::initializer_list<std::string_view> labels) {
  Bytes out;
  for (std::string_view label : labels) {
    out.push_back(static_cast<std::uint8_t>(label.size()));
    out.insert(out.end(), label.begin(), label.end());
  }
  out.push_back(0);
  return out;
}

TEST(RdataTest, Addresses) {
  const auto a = parse_rdata(RecordType::kA, Bytes{192, 0, 2, 25});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->address.to_string(), "192.0.2.25");
  Bytes v6(16, 0);
  v6[0] = 0x20; v6[1] = 0x01; v6[2] = 0x0d; v6[3] = 0xb8; v6[15] = 1;
  const auto aaaa = parse_rdata(RecordType::kAaaa, v6);
  ASSERT_TRUE(aaaa);
  EXPECT_EQ(aaaa->address.to_string(), "2001:db8::1");
  EXPECT_FALSE(parse_rdata(RecordType::kA, Bytes{1, 2, 3}));
  EXPECT_FALSE(parse_rdata(RecordType::kA, Bytes{1, 2, 3, 4, 5}));
  EXPECT_FALSE(parse_rdata(RecordType::kAaaa, Bytes{1, 2, 3, 4}));
}

TEST(RdataTest, TxtKeepsStringsApart) {
  const Bytes rdata = {5, 'v', '=', 's', 'p', 'f', 0, 3, '1', ' ', 'a'};
  const auto txt = parse_rdata(RecordType::kTxt, rdata);
  ASSERT_TRUE(txt);
  EXPECT_EQ(txt->strings, (std::vector<std::string>{"v=spf", "", "1 a"}));
  // A 255-byte string, the longest a length byte allows.
  Bytes longest = {255};
  longest.insert(longest.end(), 255, 'x');
  ASSERT_TRUE(parse_rdata(RecordType::kTxt, longest));
  EXPECT_EQ(parse_rdata(RecordType::kTxt, longest)->strings.front().size(), 255u);
  EXPECT_FALSE(parse_rdata(RecordType::kTxt, Bytes{}));            // no string at all
  EXPECT_FALSE(parse_rdata(RecordType::kTxt, Bytes{4, 'a', 'b'}));  // length past the end
}

TEST(RdataTest, NamesLowercaseWithoutTrailingDot) {
  Bytes mx = {0, 10};
  const Bytes name = wire_name({"Mail", "Example", "COM"});
  mx.insert(mx.end(), name.begin(), name.end());
  const auto record = parse_rdata(RecordType::kMx, mx);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->preference, 10);
  EXPECT_EQ(record->name, "mail.example.com");
  // Null MX (RFC 7505): preference 0, root exchange.
  const auto null_mx = parse_rdata(RecordType::kMx, Bytes{0, 0, 0});
  ASSERT_TRUE(null_mx);
  EXPECT_EQ(null_mx->name, "");
  const auto ptr = parse_rdata(RecordType::kPtr, wire_name({"host", "example", "net"}));
  ASSERT_TRUE(ptr);
  EXPECT_EQ(ptr->name, "host.example.net");
  const auto cname = parse_rdata(RecordType::kCname, wire_name({"alias", "example"}));
  ASSERT_TRUE(cname);
  EXPECT_EQ(cname->type, RecordType::kCname);
  EXPECT_EQ(cname->name, "alias.example");
}

TEST(RdataTest, OddLabelBytesAreEscaped) {
  const Bytes name = {3, 'a', '.', 'b', 2, '\\', ' ', 1, 0xff, 0};
  EXPECT_EQ(parse_wire_name(name), std::optional<std::string>("a\\.b.\\\\\\032.\\255"));
}

TEST(RdataTest, MalformedNamesAreRefused) {
  EXPECT_FALSE(parse_wire_name(Bytes{}));                     // nothing
  EXPECT_FALSE(parse_wire_name(Bytes{3, 'a', 'b'}));          // truncated label
  EXPECT_FALSE(parse_wire_name(Bytes{1, 'a'}));               // no root label
  EXPECT_FALSE(parse_wire_name(Bytes{0xc0, 0x0c}));           // compression pointer
  EXPECT_FALSE(parse_wire_name(Bytes{0x40, 0}));              // reserved label type
  EXPECT_FALSE(parse_wire_name(Bytes{1, 'a', 0, 0}));         // bytes after the root
  EXPECT_FALSE(parse_rdata(RecordType::kMx, Bytes{0, 10}));   // MX without exchange
  // 5 labels of 63 bytes: 320 bytes of wire name, over the 255-byte limit.
  Bytes long_name;
  for (int i = 0; i < 5; ++i) {
    long_name.push_back(63);
    long_name.insert(long_name.end(), 63, 'a');
  }
  long_name.push_back(0);
  EXPECT_FALSE(parse_wire_name(long_name));
}

TEST(RdataTest, TypeCodes) {
  EXPECT_EQ(type_code(RecordType::kA), 1);
  EXPECT_EQ(type_code(RecordType::kCname), 5);
  EXPECT_EQ(type_code(RecordType::kPtr), 12);
  EXPECT_EQ(type_code(RecordType::kMx), 15);
  EXPECT_EQ(type_code(RecordType::kTxt), 16);
  EXPECT_EQ(type_code(RecordType::kAaaa), 28);
}

}  // namespace
}  // namespace vigie::auth::dns

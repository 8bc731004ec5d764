#include "outputs/json_writer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace vigie::outputs {
namespace {

std::string nlohmann_dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string written_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

std::string written_double(double value) {
  std::string out;
  append_json_double(out, value);
  return out;
}

TEST(JsonWriterTest, EscapesAndKeepsUtf8AsNlohmannDoes) {
  EXPECT_EQ(written_string("plain"), R"("plain")");
  EXPECT_EQ(written_string("a\"b\\c\n\t\r\b\f"), R"("a\"b\\c\n\t\r\b\f")");
  EXPECT_EQ(written_string("\x1b]0;title\x07"), R"("\u001b]0;title\u0007")");
  EXPECT_EQ(written_string(std::string_view("\0x", 2)), R"("\u0000x")");
  EXPECT_EQ(written_string("\x7f"), "\"\x7f\"");  // DEL is not escaped
  EXPECT_EQ(written_string("intérieur.gouv.fr 🔒"), "\"intérieur.gouv.fr 🔒\"");
}

TEST(JsonWriterTest, ReplacesEachInvalidSequenceWithOneReplacementCharacter) {
  EXPECT_EQ(written_string("a\xff" "b"), "\"a\xEF\xBF\xBD" "b\"");
  // A cut sequence is replaced once, and the byte that broke it is read again.
  EXPECT_EQ(written_string("\xE2\x82" "A"), "\"\xEF\xBF\xBD" "A\"");
  EXPECT_EQ(written_string("\xE2\x82\xE2\x82\xAC"), "\"\xEF\xBF\xBD\xE2\x82\xAC\"");
  // Overlong forms, surrogates and code points above U+10FFFF are invalid.
  EXPECT_EQ(written_string("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(written_string("\xED\xA0\x80"), nlohmann_dump(std::string("\xED\xA0\x80")));
  EXPECT_EQ(written_string("\xF4\x90\x80\x80"), nlohmann_dump(std::string("\xF4\x90\x80\x80")));
  // Cut at the end of the text.
  EXPECT_EQ(written_string("ok\xF0\x9F\x94"), "\"ok\xEF\xBF\xBD\"");
}

TEST(JsonWriterTest, StringsMatchNlohmannOnRandomBytes) {
  std::mt19937 random(20261207);
  // Bytes drawn mostly from the ranges where UTF-8 goes wrong, so every branch is met often.
  const std::string alphabet = std::string("aZ\"\\\n\x01\x1f\x7f", 8) +
                               "\x80\x8f\x90\x9f\xa0\xbf\xc0\xc1\xc2\xdf\xe0\xe1\xec\xed\xee\xef"
                               "\xf0\xf1\xf3\xf4\xf5\xff";
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int length = static_cast<int>(random() % 12);
    for (int i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    ASSERT_EQ(written_string(text), nlohmann_dump(text)) << "round " << round;
  }
}

TEST(JsonWriterTest, DoublesMatchNlohmann) {
  std::vector<double> values = {0.0, -0.0, 1.0, -1.0, 2.7, 10.0, 10.700000000000001, 0.1, 0.001,
                                1e-4, 1e-5, 1.5e-7, 123456789012345.0, 1e15, 1e16, 1.25e16, 1e21,
                                1e300, 5e-324, std::numeric_limits<double>::max(), 0.95, 12.345};
  for (int thousandths = 0; thousandths < 200000; thousandths += 7) values.push_back(thousandths / 1000.0);
  std::mt19937_64 random(7);
  for (int i = 0; i < 20000; ++i) {
    double value;
    const std::uint64_t bits = random();
    std::memcpy(&value, &bits, sizeof value);
    if (std::isfinite(value)) values.push_back(value);
  }
  for (const double value : values) ASSERT_EQ(written_double(value), nlohmann_dump(value)) << value;
  EXPECT_EQ(written_double(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(written_double(std::nan("")), "null");
}

TEST(JsonWriterTest, WritesNestedValuesAsNlohmannWouldWithSortedKeys) {
  JsonWriter writer;
  writer.begin_object();
  writer.key("a").begin_array();
  writer.number(std::int64_t{-3});
  writer.string("x");
  writer.begin_object();
  writer.end_object();
  writer.begin_array();
  writer.end_array();
  writer.null();
  writer.end_array();
  writer.field("b", true);
  writer.field("c", 0.5);
  writer.field("d", std::size_t{18446744073709551615u});
  writer.key("e").begin_object();
  writer.field("f", "g");
  writer.end_object();
  writer.end_object();
  const nlohmann::json expected = {{"a", {-3, "x", nlohmann::json::object(), nlohmann::json::array(), nullptr}},
                                   {"b", true},
                                   {"c", 0.5},
                                   {"d", 18446744073709551615u},
                                   {"e", {{"f", "g"}}}};
  EXPECT_EQ(writer.text(), nlohmann_dump(expected));
}

}  // namespace
}  // namespace vigie::outputs

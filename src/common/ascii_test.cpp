// The hexadecimal helpers of ascii.h (the case helpers are exercised by every parser's tests).
#include "common/ascii.h"

#include <gtest/gtest.h>

#include <string>

namespace vigie::ascii {
namespace {

TEST(AsciiTest, HexDigitsAndStrings) {
  const std::string lower = "0123456789abcdef";
  const std::string upper = "0123456789ABCDEF";
  for (unsigned n = 0; n < 16; ++n) {
    EXPECT_EQ(hex_digit(n), lower[n]);
    EXPECT_EQ(hex_digit(n, true), upper[n]);
    EXPECT_EQ(hex_digit(n + 0x30), lower[n]);  // only the low four bits count
  }
  const unsigned char bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(hex_string(bytes, 4), "000fa5ff");
  EXPECT_EQ(hex_string(bytes, 0), "");
}

// Every byte value: the digits of both cases and nothing else, bytes above 0x7F included (a char
// is signed here).
TEST(AsciiTest, HexDigitValues) {
  int digits = 0;
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const bool expected = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    EXPECT_EQ(is_hex_digit(c), expected) << b;
    if (!expected) continue;
    ++digits;
    EXPECT_EQ(hex_digit(static_cast<unsigned>(hex_value(c)), b >= 'A' && b <= 'F'), c) << b;
  }
  EXPECT_EQ(digits, 22);
}

}  // namespace
}  // namespace vigie::ascii

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

}  // namespace
}  // namespace vigie::ascii

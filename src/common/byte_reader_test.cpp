#include "common/byte_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace vigie::bytes {
namespace {

const std::string kBytes("\x01\x02\x03\x04\x05\x06\x07\x08\x09", 9);

TEST(ByteReader, ReadsLittleEndianAtOffsets) {
  EXPECT_EQ(le16(kBytes, 0), 0x0201);
  EXPECT_EQ(le32(kBytes, 1), 0x05040302u);
  EXPECT_EQ(le64(kBytes, 1), 0x0908070605040302ull);
  EXPECT_EQ(le(kBytes, 6, 3), 0x090807u);
}

TEST(ByteReader, ReadsPastTheEndAsZero) {
  EXPECT_EQ(le16(kBytes, 8), 0);
  EXPECT_EQ(le64(kBytes, 2), 0u);
  EXPECT_EQ(le32(kBytes, SIZE_MAX - 1), 0u);
  EXPECT_TRUE(fits(kBytes, 5, 4));
  EXPECT_FALSE(fits(kBytes, 6, 4));
  EXPECT_FALSE(fits(kBytes, SIZE_MAX, 2));
}

TEST(ByteReader, CursorFailsOnceAndStaysFailed) {
  ByteReader r(kBytes);
  EXPECT_EQ(r.u8(), 1);
  EXPECT_EQ(r.u16(), 0x0302);
  EXPECT_EQ(r.u32(), 0x07060504u);
  EXPECT_EQ(r.remaining(), 2u);
  EXPECT_FALSE(r.failed());
  EXPECT_EQ(r.u32(), 0u);
  EXPECT_TRUE(r.failed());
  EXPECT_TRUE(r.at_end());
  r.seek(0);
  EXPECT_EQ(r.u8(), 0);  // a failed cursor reads nothing more
}

TEST(ByteReader, SeekAndTake) {
  ByteReader r(kBytes);
  r.seek(7);
  EXPECT_EQ(r.take(2), std::string_view("\x08\x09", 2));
  EXPECT_TRUE(r.at_end());
  EXPECT_FALSE(r.failed());
  r.seek(10);
  EXPECT_TRUE(r.failed());
}

}  // namespace
}  // namespace vigie::bytes

// The vector scans of byte_scan.h against plain loops, with hits placed at every position around
// the 16-byte block edges (where a vector scan hands over to the next block or to its tail loop).
#include "common/byte_scan.h"

#include <gtest/gtest.h>

#include <string>

namespace vigie::scan {
namespace {

std::size_t offset(const std::string& s, const char* p) { return static_cast<std::size_t>(p - s.data()); }

TEST(ByteScanTest, FindAnyFindsTheFirstOfThreeBytesAtEveryPosition) {
  for (std::size_t size = 0; size <= 40; ++size) {
    for (std::size_t at = 0; at < size; ++at) {
      std::string s(size, 'x');
      s[at] = 'c';
      if (at + 3 < size) s[at + 3] = 'a';
      EXPECT_EQ(offset(s, find_any(s.data(), s.data() + s.size(), 'a', 'b', 'c')), at) << size << " " << at;
    }
    const std::string none(size, 'x');
    EXPECT_EQ(offset(none, find_any(none.data(), none.data() + size, 'a', 'b', 'c')), size);
  }
}

TEST(ByteScanTest, SkipAsciiStopsAtTheFirstHighByte) {
  for (std::size_t size = 0; size <= 40; ++size) {
    for (std::size_t at = 0; at < size; ++at) {
      std::string s(size, 'a');
      s[at] = '\xC3';
      EXPECT_EQ(offset(s, skip_ascii(s.data(), s.data() + size)), at);
    }
  }
}

TEST(ByteScanTest, FindPairAndLineStart) {
  for (std::size_t size = 2; size <= 40; ++size) {
    for (std::size_t at = 0; at + 1 < size; ++at) {
      std::string s(size, 'b');  // 'b' alone is not a hit: only "\nb"
      s[at] = '\n';
      EXPECT_EQ(offset(s, find_pair(s.data(), s.data() + size, '\n', 'b')), at);
      std::string line = s;
      line.replace(at + 1, std::min<std::size_t>(6, size - at - 1), std::string("begin ").substr(0, size - at - 1));
      const bool whole_word = size - at - 1 >= 6;
      EXPECT_EQ(offset(line, find_at_line_start(line.data(), line.data() + size, "begin ")),
                whole_word ? at + 1 : size);
    }
  }
}

}  // namespace
}  // namespace vigie::scan

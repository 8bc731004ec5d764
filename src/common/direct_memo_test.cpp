// DirectMemo: computes once per key while the key keeps its slot, evicts on collision, never
// stores keys over the size bound.
#include "common/direct_memo.h"

#include <gtest/gtest.h>

#include <string>

namespace vigie {
namespace {

TEST(DirectMemoTest, ComputesOncePerKeyAndEvictsOnCollision) {
  DirectMemo<std::string, 1, 16> memo;  // one slot: every other key collides
  int calls = 0;
  const auto upper = [&](const std::string& key) {
    ++calls;
    std::string out = key;
    for (char& c : out) c = static_cast<char>(c - 32);
    return out;
  };
  EXPECT_EQ(memo.get("abc", upper), "ABC");
  EXPECT_EQ(memo.get("abc", upper), "ABC");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(memo.get("xyz", upper), "XYZ");  // evicts abc
  EXPECT_EQ(memo.get("abc", upper), "ABC");
  EXPECT_EQ(calls, 3);
}

TEST(DirectMemoTest, LongKeysAreComputedEveryTime) {
  DirectMemo<std::size_t, 8, 4> memo;
  int calls = 0;
  const auto size = [&](const std::string& key) {
    ++calls;
    return key.size();
  };
  EXPECT_EQ(memo.get("abcdef", size), 6u);
  EXPECT_EQ(memo.get("abcdef", size), 6u);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(memo.get("abcd", size), 4u);
  EXPECT_EQ(memo.get("abcd", size), 4u);
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace vigie

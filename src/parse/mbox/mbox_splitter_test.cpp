#include "parse/mbox/mbox_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigie::parse {
namespace {

// Splits `mbox` fed in chunks of `chunk` bytes (0: in one go).
std::vector<MboxMessage> split(std::string_view mbox, std::uint64_t max = 1 << 20, std::size_t chunk = 0) {
  std::vector<MboxMessage> out;
  MboxSplitter splitter(max, [&](MboxMessage&& m) { out.push_back(std::move(m)); });
  if (chunk == 0) chunk = mbox.size() + 1;
  for (std::size_t at = 0; at < mbox.size(); at += chunk) splitter.feed(mbox.substr(at, chunk));
  splitter.finish();
  EXPECT_EQ(splitter.messages(), out.size());
  return out;
}

constexpr std::string_view kTwo =
    "From a@example.org Tue Jul  1 10:52:37 2003\nSubject: one\n\n>From the start\n>>From deeper\nFrom inside\n\n"
    "From b@example.org Tue Jul  1 10:53:00 2003 +0200\nSubject: two\n\nsecond\n";

TEST(MboxSplitter, SplitsOnFromAfterBlankLineAndUnescapesOneQuote) {
  const auto messages = split(kTwo);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].bytes, "Subject: one\n\nFrom the start\n>From deeper\nFrom inside\n\n");
  EXPECT_EQ(messages[0].separator, "From a@example.org Tue Jul  1 10:52:37 2003");
  EXPECT_EQ(messages[0].offset, 0u);
  EXPECT_EQ(messages[0].index, 1u);
  EXPECT_EQ(messages[1].bytes, "Subject: two\n\nsecond\n");
  EXPECT_EQ(messages[1].offset, kTwo.find("From b@"));
  EXPECT_EQ(messages[1].index, 2u);
  EXPECT_FALSE(messages[1].cut());
}

TEST(MboxSplitter, ChunkBoundariesDoNotChangeTheSplit) {
  const auto whole = split(kTwo);
  for (std::size_t chunk : {1u, 2u, 3u, 5u, 7u, 64u}) {
    const auto pieces = split(kTwo, 1 << 20, chunk);
    ASSERT_EQ(pieces.size(), whole.size()) << chunk;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(pieces[i].bytes, whole[i].bytes) << chunk;
      EXPECT_EQ(pieces[i].offset, whole[i].offset) << chunk;
      EXPECT_EQ(pieces[i].separator, whole[i].separator) << chunk;
    }
  }
}

TEST(MboxSplitter, KeepsCrlfAndTreatsCrAsBlankLine) {
  const std::string mbox = "From x Mon Dec  7 17:42:36 2026\r\nSubject: a\r\n\r\nbody\r\n\r\nFrom y\r\nSubject: b\r\n\r\nb\r\n";
  const auto messages = split(mbox);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].bytes, "Subject: a\r\n\r\nbody\r\n\r\n");
  EXPECT_EQ(messages[0].separator, "From x Mon Dec  7 17:42:36 2026\r");
  EXPECT_EQ(messages[1].bytes, "Subject: b\r\n\r\nb\r\n");
}

TEST(MboxSplitter, TruncatedLastMessageIsDelivered) {
  const auto messages = split("From x\nSubject: a\n\nfirst\n\nFrom y\nSubject: b\n\nno final line br");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].bytes, "Subject: b\n\nno final line br");
  // A file cut inside its separator still yields what it holds.
  const auto cut = split("From x\nSubject: a\n\nfirst\n\nFro");
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_EQ(cut[0].bytes, "Subject: a\n\nfirst\n\nFro");
}

TEST(MboxSplitter, EmptyInputHasNoMessage) {
  EXPECT_TRUE(split("").empty());
  const auto separator_only = split("From x Mon Dec  7 17:42:36 2026\n");
  ASSERT_EQ(separator_only.size(), 1u);
  EXPECT_EQ(separator_only[0].bytes, "");
}

TEST(MboxSplitter, MessageOverLimitIsCutButCounted) {
  const std::string mbox = "From x\nSubject: a\n\n" + std::string(1000, 'y') + "\n\nFrom y\nSubject: b\n\nz\n";
  const auto messages = split(mbox, 100, 7);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].bytes.size(), 101u);
  EXPECT_TRUE(messages[0].cut());
  EXPECT_EQ(messages[0].size, std::string("Subject: a\n\n").size() + 1000 + 2);
  EXPECT_EQ(messages[1].bytes, "Subject: b\n\nz\n");
  EXPECT_FALSE(messages[1].cut());
}

TEST(MboxSplitter, LongSeparatorAndLongLinesAreBounded) {
  const std::string mbox = "From " + std::string(10000, 's') + "\nSubject: a\n\n" + std::string(100000, 'z');
  const auto messages = split(mbox, 1000, 4096);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].separator.size(), MboxSplitter::kMaxSeparatorBytes);
  EXPECT_EQ(messages[0].bytes.size(), 1001u);
}

TEST(MboxSplitter, SeparatorTimeReadsAsctimeWithOptionalZone) {
  EXPECT_EQ(separator_time("From a@example.org Tue Jul  1 10:52:37 2003"), 1057056757);
  EXPECT_EQ(separator_time("From a@example.org Tue Jul  1 12:52:37 2003 +0200"), 1057056757);
  EXPECT_EQ(separator_time("From MAILER-DAEMON Mon Dec  7 17:42:36 2026\r"), 1796665356);
  EXPECT_EQ(separator_time("From x"), std::nullopt);
  EXPECT_EQ(separator_time("From x Tue Jul 99 10:52:37 2003"), std::nullopt);
  EXPECT_EQ(separator_time("Subject: Jul"), std::nullopt);
}

}  // namespace
}  // namespace vigie::parse

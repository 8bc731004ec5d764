#include "service/intake/message_source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vigie::service {
namespace {
namespace fs = std::filesystem;

class MessageSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("vigie_intake_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const fs::path& rel, std::string_view content) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary) << content;
  }
  std::vector<InputMessage> read_all(const fs::path& p, std::uint64_t max = 1 << 20) {
    std::vector<InputMessage> out;
    const auto r = read_messages(InputFile{p.string()}, max, [&](InputMessage&& m) { out.push_back(std::move(m)); });
    EXPECT_TRUE(r);
    return out;
  }
  fs::path root_;
};

TEST_F(MessageSourceTest, WalksDirectoriesSortedAndSkipsMaildirTmp) {
  write("b.eml", "Subject: b\n\nb\n");
  write("a/a.eml", "Subject: a\n\na\n");
  write("box/cur/1", "Subject: 1\n\n1\n");
  write("box/new/2", "Subject: 2\n\n2\n");
  write("box/tmp/partial", "Subj");
  write("box/dovecot.index", "binary");
  std::vector<std::string> errors;
  const auto files = collect_inputs({root_.string()}, errors);
  EXPECT_TRUE(errors.empty());
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(fs::relative(f.path, root_).string());
  EXPECT_EQ(names, (std::vector<std::string>{"a/a.eml", "b.eml", "box/cur/1", "box/new/2"}));
}

TEST_F(MessageSourceTest, LinkLoopIsWalkedOnce) {
  write("mail/a.eml", "Subject: a\n\na\n");
  write("mail/sub/b.eml", "Subject: b\n\nb\n");
  fs::create_directory_symlink(root_ / "mail", root_ / "mail/sub/loop");  // back to a parent
  std::vector<std::string> errors;
  const auto files = collect_inputs({(root_ / "mail").string()}, errors);
  EXPECT_EQ(errors, std::vector<std::string>{});
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(fs::path(f.path).lexically_relative(root_).string());
  EXPECT_EQ(names, (std::vector<std::string>{"mail/a.eml", "mail/sub/b.eml"}));
}

TEST_F(MessageSourceTest, FileOrDirectoryWithSeveralNamesIsTakenOnce) {
  write("mail/a.eml", "Subject: a\n\na\n");
  write("mail/sub/b.eml", "Subject: b\n\nb\n");
  fs::create_directory_symlink(root_ / "mail/sub", root_ / "mail/again");  // a second name for sub/
  fs::create_symlink(root_ / "mail/a.eml", root_ / "mail/z-link.eml");     // a second name for a.eml
  fs::create_hard_link(root_ / "mail/sub/b.eml", root_ / "mail/hard.eml");
  fs::create_symlink(root_ / "nowhere", root_ / "mail/dangling.eml");
  std::vector<std::string> errors;
  // The file is also named on its own, after the directory that holds it.
  const auto files = collect_inputs({(root_ / "mail").string(), (root_ / "mail/a.eml").string()}, errors);
  EXPECT_EQ(errors, std::vector<std::string>{});
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(fs::path(f.path).lexically_relative(root_).string());
  // Each under the first name the sorted walk meets: "again" sorts before "hard.eml" and "sub".
  EXPECT_EQ(names, (std::vector<std::string>{"mail/a.eml", "mail/again/b.eml"}));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].size, std::uint64_t{14});
}

TEST_F(MessageSourceTest, MissingPathIsReported) {
  std::vector<std::string> errors;
  const auto files = collect_inputs({(root_ / "nope").string()}, errors);
  EXPECT_TRUE(files.empty());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("nope: "), std::string::npos) << errors[0];
}

TEST_F(MessageSourceTest, SplitsMboxAndUnescapesFromLines) {
  write("box.mbox",
        "From a@example.org Tue Jul  1 10:52:37 2003\nSubject: one\n\n>From the start\nbody\n\n"
        "From b@example.org Tue Jul  1 10:53:00 2003\nSubject: two\n\nsecond\n");
  const auto msgs = read_all(root_ / "box.mbox");
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(*msgs[0].bytes, "Subject: one\n\nFrom the start\nbody\n\n");
  EXPECT_EQ(*msgs[1].bytes, "Subject: two\n\nsecond\n");
  EXPECT_EQ(msgs[1].label, (root_ / "box.mbox").string() + ":2");
}

TEST_F(MessageSourceTest, MboxMessagesKnowTheirOffsetSeparatorAndSize) {
  const std::string first = "From a@example.org Tue Jul  1 10:52:37 2003\r\nSubject: one\r\n\r\nbody\r\n\r\n";
  write("crlf.mbox", first + "From b@example.org Tue Jul  1 10:53:00 2003\r\nSubject: two\r\n\r\nlast, cut");
  const auto msgs = read_all(root_ / "crlf.mbox");
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].mbox_offset, 0u);
  EXPECT_EQ(msgs[1].mbox_offset, first.size());
  EXPECT_EQ(msgs[1].mbox_position, 2u);
  EXPECT_EQ(msgs[1].mbox_separator, "From b@example.org Tue Jul  1 10:53:00 2003\r");
  EXPECT_EQ(*msgs[1].bytes, "Subject: two\r\n\r\nlast, cut");
  EXPECT_FALSE(msgs[1].cut());
}

TEST_F(MessageSourceTest, EmptyFileIsOneEmptyMessage) {
  write("empty.eml", "");
  const auto msgs = read_all(root_ / "empty.eml");
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_TRUE(msgs[0].bytes->empty());
}

TEST_F(MessageSourceTest, SingleMessageOverLimitIsKeptToLimitPlusOne) {
  write("big.eml", "Subject: big\n\n" + std::string(1000, 'x'));
  const auto msgs = read_all(root_ / "big.eml", 100);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].bytes->size(), 101u);
}

TEST_F(MessageSourceTest, MboxMessageOverLimitIsCut) {
  write("big.mbox", "From x\nSubject: a\n\n" + std::string(1000, 'y') + "\n\nFrom y\nSubject: b\n\nz\n");
  const auto msgs = read_all(root_ / "big.mbox", 100);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].bytes->size(), 101u);
  EXPECT_TRUE(msgs[0].cut());
  EXPECT_EQ(msgs[0].size, std::string("Subject: a\n\n").size() + 1000 + 2);
  EXPECT_EQ(*msgs[1].bytes, "Subject: b\n\nz\n");
}

TEST_F(MessageSourceTest, MboxLineWithoutBreakIsBounded) {
  write("oneline.mbox", "From x\nSubject: a\n\n" + std::string(100000, 'z'));
  const auto msgs = read_all(root_ / "oneline.mbox", 1000);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].bytes->size(), 1001u);
  EXPECT_TRUE(msgs[0].bytes->starts_with("Subject: a\n\nzzz"));
}

TEST_F(MessageSourceTest, UnreadableFileIsAnIoError) {
  const auto r = read_messages(InputFile{(root_ / "missing.eml").string()}, 100, [](InputMessage&&) {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kIo);
}

}  // namespace
}  // namespace vigie::service

// Model file: round trip, validation with line numbers, limits, atomic save, pruning.
#include "intel/content_model/model.h"
#include "intel/content_model/tokenizer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace vigie::intel::content_model {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("vigie_content_model_" + std::to_string(getpid()) + "_" +
                                                  std::to_string(counter_++))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(path_), fs::directory_iterator()));
  }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

std::string parse_error(std::string_view contents) {
  Result<ContentModel> model = ContentModel::parse(contents, "m.txt");
  return model ? "" : model.error().message;
}

const std::string kHeader = "# vigie content model v1 phish_messages=3 ham_messages=2\n";

TEST(ContentModelTest, LearnSaveLoadRoundTrip) {
  ContentModel model;
  const std::vector<std::string> phish{"casino", "host:bonus.example", "ставка"};
  ASSERT_TRUE(model.learn(phish, Label::kPhish));
  ASSERT_TRUE(model.learn(std::vector<std::string>{"casino", "gagné"}, Label::kPhish));
  ASSERT_TRUE(model.learn(std::vector<std::string>{"meeting", "casino"}, Label::kHam));
  EXPECT_EQ(model.serialize(),
            "# vigie content model v1 phish_messages=2 ham_messages=1\n"
            "casino\t2\t1\ngagné\t1\t0\nhost:bonus.example\t1\t0\nmeeting\t0\t1\nставка\t1\t0\n");

  TempDir dir;
  const std::string path = dir.file("model.txt");
  ASSERT_TRUE(model.save(path));
  EXPECT_EQ(dir.entries(), 1u);  // no temporary file left behind
  Result<ContentModel> loaded = ContentModel::load(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->serialize(), model.serialize());
  EXPECT_EQ(loaded->header().phish_messages, 2u);
  ASSERT_NE(loaded->find("casino"), nullptr);
  EXPECT_EQ(loaded->find("casino")->ham, 1u);
  EXPECT_EQ(loaded->find("absent"), nullptr);
  Result<ModelHeader> header = ContentModel::read_header(path);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->ham_messages, 1u);
}

TEST(ContentModelTest, ErrorsNameTheLine) {
  EXPECT_EQ(parse_error(""), "m.txt:1: empty file, not a vigie content model");
  EXPECT_NE(parse_error("casino\t1\t0\n").find("m.txt:1: not a vigie content model"), std::string::npos);
  EXPECT_NE(parse_error("# vigie content model v2 phish_messages=1 ham_messages=1\n").find("m.txt:1:"),
            std::string::npos);
  EXPECT_NE(parse_error("# vigie content model v1 phish_messages=-1 ham_messages=1\n").find("m.txt:1:"),
            std::string::npos);
  EXPECT_EQ(parse_error(kHeader + "a\t1\t1\nb 1 1\n"),
            "m.txt:3: expected token<TAB>phish_count<TAB>ham_count");
  EXPECT_EQ(parse_error(kHeader + "a\t1\t1\t1\n"), "m.txt:2: expected token<TAB>phish_count<TAB>ham_count");
  EXPECT_EQ(parse_error(kHeader + "a\tx\t1\n"), "m.txt:2: counts must be non-negative integers");
  EXPECT_EQ(parse_error(kHeader + "a\t1\t1\r\n"), "m.txt:2: counts must be non-negative integers");
  EXPECT_EQ(parse_error(kHeader + "a\t+1\t1\n"), "m.txt:2: counts must be non-negative integers");
  EXPECT_EQ(parse_error(kHeader + "a\t99999999999\t1\n"), "m.txt:2: counts must be non-negative integers");
  EXPECT_NE(parse_error(kHeader + "a\t4\t1\n").find("m.txt:2: a token cannot appear in more messages"),
            std::string::npos);
  EXPECT_EQ(parse_error(kHeader + "a\t0\t0\n"), "m.txt:2: a token needs a count above zero");
  EXPECT_EQ(parse_error(kHeader + "a\t1\t0\nb\t1\t0\na\t1\t1\n"), "m.txt:4: duplicate token 'a'");
  EXPECT_EQ(parse_error(kHeader + "\t1\t0\n"), "m.txt:2: empty token");
  EXPECT_EQ(parse_error(kHeader + "a\xff\t1\t0\n"), "m.txt:2: token is not valid UTF-8");
  EXPECT_EQ(parse_error(kHeader + "a b\t1\t0\n"), "m.txt:2: token contains a control or space character");
  EXPECT_EQ(parse_error(kHeader + "a\t1\t0\n\n"), "m.txt:3: expected token<TAB>phish_count<TAB>ham_count");
  EXPECT_EQ(parse_error(kHeader + "a\t1\t0"), "");  // no final newline
}

TEST(ContentModelTest, Limits) {
  EXPECT_EQ(parse_error(kHeader + std::string(kMaxTokenBytes + 1, 'a') + "\t1\t0\n"),
            "m.txt:2: token longer than 256 bytes");
  EXPECT_EQ(parse_error(kHeader + std::string(kMaxTokenBytes, 'a') + "\t1\t0\n"), "");
  ContentModel model;
  const Result<void> bad = model.learn(std::vector<std::string>{"tab\there"}, Label::kPhish);
  ASSERT_FALSE(bad);
  EXPECT_EQ(model.header().phish_messages, 0u);  // nothing counted
  const Result<ContentModel> missing = ContentModel::load("/nonexistent/vigie/model.txt");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_NE(missing.error().message.find("/nonexistent/vigie/model.txt"), std::string::npos);
}

TEST(ContentModelTest, PruneDropsTheRarestTokensDeterministically) {
  ContentModel model;
  ASSERT_TRUE(model.learn(std::vector<std::string>{"common", "rare1", "twice"}, Label::kPhish));
  ASSERT_TRUE(model.learn(std::vector<std::string>{"common", "rare2", "twice"}, Label::kHam));
  ASSERT_TRUE(model.learn(std::vector<std::string>{"common", "rare3"}, Label::kHam));
  model.prune(3);  // rare1..3 tie at 1: all go rather than an arbitrary two
  EXPECT_EQ(model.serialize(),
            "# vigie content model v1 phish_messages=1 ham_messages=2\ncommon\t1\t2\ntwice\t1\t1\n");
  model.prune(1);
  EXPECT_EQ(model.token_count(), 1u);
  EXPECT_NE(model.find("common"), nullptr);
}

TEST(ContentModelTest, SaveReplacesAtomicallyAndReportsUnwritableDirectories) {
  TempDir dir;
  const std::string path = dir.file("model.txt");
  std::ofstream(path) << "old";
  ContentModel model;
  ASSERT_TRUE(model.learn(std::vector<std::string>{"word"}, Label::kHam));
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  ASSERT_TRUE(model.save(path));
  EXPECT_TRUE(ContentModel::load(path));
  EXPECT_EQ(fs::status(path).permissions(),
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);  // kept
  const std::string fresh = dir.file("fresh.txt");
  ASSERT_TRUE(model.save(fresh));
  EXPECT_EQ(fs::status(fresh).permissions(), fs::perms::owner_read | fs::perms::owner_write);
  const Result<void> unwritable = model.save(dir.file("missing-dir/model.txt"));
  ASSERT_FALSE(unwritable);
  EXPECT_NE(unwritable.error().message.find("missing-dir/model.txt: cannot write"), std::string::npos);
}

}  // namespace
}  // namespace vigie::intel::content_model

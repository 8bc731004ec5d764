// Learning from files, directories and mbox; all-or-nothing on unreadable input; model status.
#include "intel/content_model/learning.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace vigie::intel::content_model {
namespace {

namespace fs = std::filesystem;

class LearningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vigie_learning_" + std::to_string(getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "phish" / "sub");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  void write(const std::string& name, const std::string& contents) const {
    std::ofstream(dir_ / name, std::ios::binary) << contents;
  }
  fs::path dir_;
};

TEST_F(LearningTest, LearnsFilesDirectoriesAndMboxes) {
  write("phish/a.eml", "Subject: Jackpot casino\n\nVotre bonus casino\n");
  write("phish/sub/b.eml", "Subject: Crypto\n\nbonus crypto\n");
  write("ham.mbox",
        "From x@example Mon Jan  2 10:00:00 2023\nSubject: Réunion\n\nordre du jour\n\n"
        "From y@example Mon Jan  2 11:00:00 2023\nSubject: Budget\n\nle budget\n");
  const std::string model = path("model.txt");
  Result<LearnSummary> phish = learn_paths(model, Label::kPhish, {path("phish")}, Limits{});
  ASSERT_TRUE(phish) << phish.error().message;
  EXPECT_EQ(phish->files, 2u);
  EXPECT_EQ(phish->messages, 2u);
  Result<LearnSummary> ham = learn_paths(model, Label::kHam, {path("ham.mbox")}, Limits{});
  ASSERT_TRUE(ham) << ham.error().message;
  EXPECT_EQ(ham->messages, 2u);
  EXPECT_EQ(ham->totals.phish_messages, 2u);  // the earlier run's counts are kept
  EXPECT_EQ(ham->totals.ham_messages, 2u);
  Result<ContentModel> saved = ContentModel::load(model);
  ASSERT_TRUE(saved) << saved.error().message;
  ASSERT_NE(saved->find("bonus"), nullptr);
  EXPECT_EQ(saved->find("bonus")->phish, 2u);  // once per message although written twice in one
  ASSERT_NE(saved->find("budget"), nullptr);
  EXPECT_EQ(saved->find("budget")->ham, 1u);
  EXPECT_EQ(saved->token_count(), ham->tokens);
}

TEST_F(LearningTest, UnreadablePathLearnsNothing) {
  write("phish/a.eml", "Subject: casino\n\nbonus\n");
  const std::string model = path("model.txt");
  Result<LearnSummary> learned =
      learn_paths(model, Label::kPhish, {path("phish"), path("missing")}, Limits{});
  ASSERT_FALSE(learned);
  EXPECT_EQ(learned.error().code, ErrorCode::kIo);
  EXPECT_NE(learned.error().message.find("missing"), std::string::npos);
  EXPECT_NE(learned.error().message.find("nothing learned"), std::string::npos);
  EXPECT_FALSE(fs::exists(model));
}

TEST_F(LearningTest, InvalidModelIsNeverOverwritten) {
  write("phish/a.eml", "Subject: casino\n\nbonus\n");
  write("model.txt", "not a model\n");
  Result<LearnSummary> learned = learn_paths(path("model.txt"), Label::kPhish, {path("phish")}, Limits{});
  ASSERT_FALSE(learned);
  EXPECT_NE(learned.error().message.find("model.txt:1: not a vigie content model"), std::string::npos);
  std::ifstream in(path("model.txt"));
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "not a model");
}

TEST_F(LearningTest, StatusSaysWhatTheModelHasLearned) {
  ClassifierSettings config{path("model.txt"), 0.9};
  Result<ModelStatus> none = model_status(config);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->trained);
  EXPECT_NE(none->description.find("no model yet, untrained"), std::string::npos);

  write("model.txt", "# vigie content model v1 phish_messages=12 ham_messages=300\n");
  Result<ModelStatus> partly = model_status(config);
  ASSERT_TRUE(partly);
  EXPECT_FALSE(partly->trained);
  EXPECT_NE(partly->description.find("12 reported phishing and 300 legitimate messages learned, untrained"),
            std::string::npos);

  write("model.txt", "# vigie content model v1 phish_messages=50 ham_messages=300\n");
  Result<ModelStatus> ready = model_status(config);
  ASSERT_TRUE(ready);
  EXPECT_TRUE(ready->trained);
  EXPECT_EQ(ready->description.find("untrained"), std::string::npos);

  write("model.txt", "garbage\n");
  EXPECT_FALSE(model_status(config));
}

}  // namespace
}  // namespace vigie::intel::content_model

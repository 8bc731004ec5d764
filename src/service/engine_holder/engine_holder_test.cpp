// The engine holder: reloads that succeed swap the engine, reloads that fail keep it, and scans
// running during reloads finish on the engine they took.
#include "service/engine_holder/engine_holder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace vigie::service {
namespace {

namespace fs = std::filesystem;

class EngineHolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vigie-holder-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    config_ = (dir_ / "vigie.toml").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write_config(const std::string& text) { std::ofstream(config_, std::ios::trunc) << text; }

  fs::path dir_;
  std::string config_;
};

std::shared_ptr<const std::string> phishing_text() {
  return std::make_shared<const std::string>(
      "From: \"Service informatique\" <support@gouv-fr.example>\r\n"
      "To: agent@example.gouv.fr\r\nSubject: Votre mot de passe expire\r\n"
      "Message-ID: <1@example>\r\n\r\n"
      "Votre mot de passe expire aujourd'hui. Cliquez ici http://192.0.2.7/login pour le garder.\r\n");
}

TEST_F(EngineHolderTest, ReloadSwapsInANewEngineAndCountsIt) {
  write_config("[policy]\ntag_at = 4\n");
  auto holder = EngineHolder::start(engine_from_file(config_, {}));
  ASSERT_TRUE(holder) << holder.error().message;
  const std::shared_ptr<const Engine> first = (*holder)->current();
  EXPECT_EQ((*holder)->generation(), 1u);
  EXPECT_EQ(first->config().policy.tag_at, 4);

  write_config("[policy]\ntag_at = 5\n");
  const ReloadOutcome outcome = (*holder)->reload();
  EXPECT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.generation, 2u);
  EXPECT_NE((*holder)->current(), first);
  EXPECT_EQ((*holder)->current()->config().policy.tag_at, 5);
  // The engine a scan took is still whole after the swap.
  EXPECT_EQ(first->config().policy.tag_at, 4);
  EXPECT_EQ((*holder)->reloads(), 1u);
  EXPECT_EQ((*holder)->reload_failures(), 0u);
}

TEST_F(EngineHolderTest, FailedReloadKeepsThePreviousEngineAndSaysWhy) {
  write_config("[policy]\ntag_at = 4\n");
  auto holder = EngineHolder::start(engine_from_file(config_, {}));
  ASSERT_TRUE(holder) << holder.error().message;
  const std::shared_ptr<const Engine> first = (*holder)->current();

  write_config("[policy\ntag_at = 4\n");  // TOML syntax error
  ReloadOutcome outcome = (*holder)->reload();
  EXPECT_FALSE(outcome.ok);
  EXPECT_NE(outcome.error.find("vigie.toml"), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.generation, 1u);
  EXPECT_EQ((*holder)->current(), first);

  // Valid TOML, but a list the engine cannot load.
  write_config("[lists]\nbrands = [\"missing-brands.tsv\"]\n");
  outcome = (*holder)->reload();
  EXPECT_FALSE(outcome.ok);
  EXPECT_NE(outcome.error.find("missing-brands.tsv"), std::string::npos) << outcome.error;
  EXPECT_EQ((*holder)->current(), first);

  // A YARA rule that does not compile.
  fs::create_directories(dir_ / "rules");
  std::ofstream(dir_ / "rules" / "broken.yar") << "rule broken { condition: nosuchthing }\n";
  write_config("[analyzers.yara]\nrules = [\"rules\"]\n");
  outcome = (*holder)->reload();
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ((*holder)->current(), first);
  EXPECT_EQ((*holder)->reload_failures(), 3u);
  EXPECT_EQ((*holder)->reloads(), 0u);
  EXPECT_EQ((*holder)->generation(), 1u);
}

TEST_F(EngineHolderTest, StartFailsWithoutAnEngine) {
  write_config("[nosuchsection]\n");
  auto holder = EngineHolder::start(engine_from_file(config_, {}));
  ASSERT_FALSE(holder);
  EXPECT_NE(holder.error().message.find("unknown section"), std::string::npos);
}

TEST_F(EngineHolderTest, ScansDuringReloadsFinishOnTheEngineTheyTook) {
  write_config("[policy]\ntag_at = 4\n");
  auto started = EngineHolder::start(engine_from_file(config_, {}));
  ASSERT_TRUE(started) << started.error().message;
  EngineHolder& holder = **started;
  const Action expected = holder.current()->scan(phishing_text(), Envelope{}).verdict.action;

  std::atomic<bool> done{false};
  std::atomic<int> scans{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> scanners;
  for (int t = 0; t < 3; ++t) {
    scanners.emplace_back([&] {
      while (!done.load()) {
        const std::shared_ptr<const Engine> engine = holder.current();
        if (engine->scan(phishing_text(), Envelope{}).verdict.action != expected) ++wrong;
        ++scans;
      }
    });
  }
  for (int reload = 0; reload < 3; ++reload) {
    write_config(reload % 2 == 0 ? "[policy]\ntag_at = 4\n" : "[policy\n");
    holder.reload();
  }
  done = true;
  for (std::thread& t : scanners) t.join();
  EXPECT_GT(scans.load(), 0);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(holder.reloads(), 2u);
  EXPECT_EQ(holder.reload_failures(), 1u);
  EXPECT_EQ(holder.generation(), 3u);
}

}  // namespace
}  // namespace vigie::service

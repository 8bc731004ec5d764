// content_classifier: emits for mail like the reported phishing, not for mail like the legitimate
// mail, nothing without a (trained) model; a broken model stops the engine with file:line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "intel/content_model/classifier.h"
#include "intel/content_model/tokenizer.h"
#include "config/section.h"
#include "vigie/engine.h"

namespace vigie {
namespace {

namespace fs = std::filesystem;
namespace model = intel::content_model;

std::string scam(int i) {
  const char* lures[] = {"Jackpot au casino", "Bonus crypto garanti", "Rencontre discrète ce soir",
                         "Produit miracle minceur"};
  return "From: \"Lucky Win\" <promo" + std::to_string(i) + "@lucky-win.example>\nSubject: " +
         lures[i % 4] + "\nContent-Type: text/html\n\n<p>Gagnez maintenant, offre gratuite " +
         std::to_string(i) + ": <a href=\"https://lucky-win.example/c\">cliquez ici</a></p>\n";
}

std::string work(int i) {
  const char* topics[] = {"Ordre du jour du comité", "Budget du projet", "Compte-rendu de réunion",
                          "Planning de l'équipe"};
  return "From: Claire Martin <claire.martin@mairie.example>\nSubject: " + std::string(topics[i % 4]) +
         "\n\nBonjour, voici le document pour la réunion de jeudi. Merci de relire le rapport " +
         std::to_string(i) + ".\n";
}

ScanResult scan(const Engine& engine, const std::string& raw) {
  return engine.scan(std::make_shared<const std::string>(raw), Envelope{});
}

const Finding* content_finding(const ScanResult& result) {
  for (const Finding& f : result.findings) {
    if (f.id == "CONTENT_RESEMBLES_REPORTED_PHISHING") return &f;
  }
  return nullptr;
}

class ContentClassifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() / ("vigie_content_classifier_" + std::to_string(getpid()) + "_" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name() +
                                          ".txt"))
                .string();
  }
  void TearDown() override { fs::remove(path_); }
  void train(int phish, int ham) const {
    model::ContentModel m;
    for (int i = 0; i < phish; ++i) learn(m, scam(i), model::Label::kPhish);
    for (int i = 0; i < ham; ++i) learn(m, work(i), model::Label::kHam);
    ASSERT_TRUE(m.save(path_));
  }
  static void learn(model::ContentModel& m, const std::string& raw, model::Label label) {
    const auto parsed = ParsedMessage::parse(std::make_shared<const std::string>(raw), Limits{});
    ASSERT_TRUE(m.learn(model::message_tokens(*parsed, Limits{}).tokens, label));
  }
  Config config(double threshold = 0.9) const {
    Config c;
    c.analyzers.sections["content_classifier"] = config::section_from_toml(
        "model = \"" + path_ + "\"\nthreshold = " + std::to_string(threshold) + "\n",
        "analyzers.content_classifier");
    return c;
  }
  std::string path_;
};

TEST_F(ContentClassifierTest, FlagsMailLikeTheReportedPhishing) {
  train(60, 120);
  const Engine engine{config()};
  const ScanResult result = scan(engine, scam(1000));
  const Finding* f = content_finding(result);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->analyzer, "content_classifier");
  EXPECT_GE(f->confidence, 0.8);
  EXPECT_GE(f->score, 4.0);  // alone it tags the message
  EXPECT_EQ(result.verdict.action, Action::kTag);
  ASSERT_GE(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[0].field, "classifier");
  EXPECT_NE(f->evidence[0].value.find("60 reported phishing, 120 legitimate"), std::string::npos);
  EXPECT_EQ(f->evidence[1].field, "token");
  EXPECT_LE(f->evidence.size(), 9u);
  EXPECT_EQ(f->attack, std::vector<std::string>{"T1566"});
}

TEST_F(ContentClassifierTest, LeavesMailLikeTheLegitimateMailAlone) {
  train(60, 120);
  const Engine engine{config()};
  EXPECT_EQ(content_finding(scan(engine, work(1000))), nullptr);
  EXPECT_EQ(content_finding(scan(engine, "Subject: nothing known\n\nzzz yyy\n")), nullptr);
}

TEST_F(ContentClassifierTest, ThresholdDecidesAndConfidenceFollowsTheProbability) {
  train(60, 120);
  // One word of a quarter of the scams and nothing else: f = (0.5 + 15) / (1 + 15), and with a
  // single token Fisher's combination gives f itself.
  const std::string mixed = "Subject: Jackpot\n\nqwerty\n";
  const Result<model::ContentModel> loaded = model::ContentModel::load(path_);
  ASSERT_TRUE(loaded);
  const auto parsed = ParsedMessage::parse(std::make_shared<const std::string>(mixed), Limits{});
  const auto classified = model::classify(*loaded, model::message_tokens(*parsed, Limits{}).tokens);
  ASSERT_TRUE(classified);
  const double p = classified->phish_probability;
  ASSERT_NEAR(p, 15.5 / 16, 1e-9);
  EXPECT_EQ(content_finding(scan(Engine{config(p + 0.001)}, mixed)), nullptr);
  const ScanResult at_threshold = scan(Engine{config(p)}, mixed);
  const Finding* f = content_finding(at_threshold);
  ASSERT_NE(f, nullptr);
  EXPECT_NEAR(f->confidence, (p - 0.5) / 0.5, 1e-9);
  const Finding* lower_threshold = content_finding(scan(Engine{config(0.6)}, mixed));
  ASSERT_NE(lower_threshold, nullptr);
  EXPECT_NEAR(lower_threshold->confidence, f->confidence, 1e-9);  // the threshold only gates
}

TEST_F(ContentClassifierTest, TextAndTokensBeyondTheLimitsAreNamed) {
  train(60, 120);
  Config small = config();
  small.limits.max_classifier_text_bytes = 40;
  small.limits.max_classifier_tokens = 3;
  const ScanResult result = scan(Engine{small}, scam(1000));
  std::vector<std::string> crossed;
  for (const LimitCrossing& c : result.limits_reached) {
    EXPECT_EQ(c.stage, "content_classifier");
    crossed.push_back(c.limit);
  }
  EXPECT_EQ(crossed, (std::vector<std::string>{"max_classifier_text_bytes", "max_classifier_tokens"}));
  EXPECT_FALSE(result.verdict.complete);

  // Within the limits nothing is said.
  const ScanResult whole = scan(Engine{config()}, scam(1000));
  EXPECT_TRUE(whole.limits_reached.empty());
  EXPECT_TRUE(whole.verdict.complete);
}

TEST_F(ContentClassifierTest, SilentWithoutModelOrTraining) {
  const Engine no_model{Config{}};
  EXPECT_EQ(content_finding(scan(no_model, scam(1))), nullptr);
  const Engine missing_file{config()};  // configured before the first `vigie learn`
  EXPECT_EQ(content_finding(scan(missing_file, scam(1))), nullptr);
  train(60, model::kMinMessagesPerClass - 1);
  const Engine untrained{config()};
  EXPECT_EQ(content_finding(scan(untrained, scam(1))), nullptr);
}

TEST_F(ContentClassifierTest, BrokenModelStopsTheEngine) {
  std::ofstream(path_) << "# vigie content model v1 phish_messages=1 ham_messages=1\ncasino\t2\t0\n";
  try {
    const Engine engine{config()};
    FAIL() << "engine started on a broken model";
  } catch (const EngineConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("content_classifier: " + path_ + ":2: a token cannot appear"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace vigie

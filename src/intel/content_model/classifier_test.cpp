// Classifier: Robinson's f(w), Fisher combining, untrained models, determinism.
#include "intel/content_model/classifier.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace vigie::intel::content_model {
namespace {

// A small synthetic site: scams use one vocabulary, legitimate mail another, and both use the
// everyday words. Each message takes a different slice, as real messages do.
const std::vector<std::string> kScam{"casino", "bonus", "jackpot", "gratuit", "gagnez", "crypto",
                                     "host:lucky-win.example", "rencontre", "miracle", "offre"};
const std::vector<std::string> kWork{"réunion", "ordre", "jour", "budget", "rapport", "projet",
                                     "host:mairie.example", "compte-rendu", "équipe", "planning"};
const std::vector<std::string> kEveryday{"bonjour", "merci", "vous", "votre", "pour", "avec"};

std::vector<std::string> message(const std::vector<std::string>& vocabulary, int seed) {
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < vocabulary.size(); ++i) {
    if ((seed + static_cast<int>(i)) % 3 != 0) tokens.push_back(vocabulary[i]);
  }
  for (std::size_t i = 0; i < kEveryday.size(); ++i) {
    if ((seed + static_cast<int>(i)) % 2 == 0) tokens.push_back(kEveryday[i]);
  }
  std::sort(tokens.begin(), tokens.end());
  return tokens;
}

ContentModel trained(int phish, int ham) {
  ContentModel model;
  for (int i = 0; i < phish; ++i) EXPECT_TRUE(model.learn(message(kScam, i), Label::kPhish));
  for (int i = 0; i < ham; ++i) EXPECT_TRUE(model.learn(message(kWork, i), Label::kHam));
  return model;
}

TEST(ContentClassifierModelTest, UntrainedModelGivesNoAnswer) {
  EXPECT_FALSE(classify(ContentModel(), std::vector<std::string>{"casino"}));
  EXPECT_FALSE(classify(trained(kMinMessagesPerClass, kMinMessagesPerClass - 1), message(kScam, 1)));
  EXPECT_FALSE(classify(trained(kMinMessagesPerClass - 1, 500), message(kScam, 1)));
  EXPECT_TRUE(classify(trained(kMinMessagesPerClass, kMinMessagesPerClass), message(kScam, 1)));
  EXPECT_FALSE(is_trained(ModelHeader{49, 1000}));
  EXPECT_TRUE(is_trained(ModelHeader{50, 50}));
}

TEST(ContentClassifierModelTest, SeparatesTheTwoVocabularies) {
  const ContentModel model = trained(60, 200);  // unbalanced on purpose, like a real site
  const auto scam = classify(model, std::vector<std::string>{"bonus", "casino", "gagnez", "merci", "unseen"});
  ASSERT_TRUE(scam);
  EXPECT_GT(scam->phish_probability, 0.99);
  const auto work = classify(model, std::vector<std::string>{"budget", "merci", "projet", "réunion"});
  ASSERT_TRUE(work);
  EXPECT_LT(work->phish_probability, 0.01);
  // Words of both kinds: no conclusion either way.
  const auto mixed = classify(model, std::vector<std::string>{"budget", "casino", "projet", "bonus"});
  ASSERT_TRUE(mixed);
  EXPECT_NEAR(mixed->phish_probability, 0.5, 0.05);
  // Unknown and everyday words carry no evidence.
  const auto neutral = classify(model, std::vector<std::string>{"bonjour", "inconnu", "merci"});
  ASSERT_TRUE(neutral);
  EXPECT_EQ(neutral->phish_probability, 0.5);
  EXPECT_TRUE(neutral->significant.empty());
}

TEST(ContentClassifierModelTest, RobinsonProbabilityAndSignificance) {
  ContentModel model = trained(50, 50);
  ASSERT_TRUE(model.learn(std::vector<std::string>{"once"}, Label::kPhish));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(model.learn(std::vector<std::string>{"thrice"}, Label::kPhish));
  const auto result = classify(model, std::vector<std::string>{"once", "thrice", "casino", "budget"});
  ASSERT_TRUE(result);
  // "once": n = 1, p = 1, f = (1 × 0.5 + 1 × 1) / (1 + 1) = 0.75, too weak to count.
  ASSERT_EQ(result->significant.size(), 3u);
  const WeighedToken& weakest = result->significant.back();
  EXPECT_EQ(weakest.token, "thrice");
  EXPECT_DOUBLE_EQ(weakest.phish_probability, (0.5 + 3.0) / (1 + 3));
  EXPECT_EQ(weakest.counts.phish, 3u);
  EXPECT_EQ(weakest.counts.ham, 0u);
}

TEST(ContentClassifierModelTest, DeterministicAndBoundedInTokens) {
  ContentModel model;
  std::vector<std::string> many;
  for (int i = 0; i < 400; ++i) many.push_back("w" + std::to_string(i));
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(model.learn(many, Label::kPhish));
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(model.learn(std::vector<std::string>{"other"}, Label::kHam));
  const auto first = classify(model, many);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->significant.size(), kMaxSignificantTokens);
  EXPECT_GT(first->phish_probability, 0.99);
  std::vector<std::string> reversed(many.rbegin(), many.rend());
  const auto second = classify(model, reversed);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->phish_probability, first->phish_probability);
  EXPECT_EQ(second->significant.front().token, first->significant.front().token);
  EXPECT_EQ(second->significant.back().token, first->significant.back().token);
}

}  // namespace
}  // namespace vigie::intel::content_model

// The content classifier: how much a message's tokens resemble the reported phishing of the
// model rather than its legitimate mail, as a probability in [0, 1].
//
// The method is SpamAssassin's and bogofilter's, chosen because it is well understood, robust to
// unbalanced training sets and deterministic:
//  - each token's phish probability is Robinson's f(w) = (s·x + n·p(w)) / (s + n), where p(w)
//    compares the token's frequency among phishing and among legitimate messages (so unbalanced
//    class sizes do not bias it), n is how many messages contained it, and s = 1, x = 0.5 pull
//    rarely seen tokens towards "no idea";
//  - tokens with |f − 0.5| < 0.1 say too little and are ignored; the 150 most significant remain;
//  - Fisher's method combines them, with Q the chi-square survival function:
//    S = 1 − Q(−2 Σ ln(1 − f), 2n) grows with the evidence for phishing, H = 1 − Q(−2 Σ ln f, 2n)
//    with the evidence for legitimate mail, and the probability is (1 + S − H) / 2: near 1 for
//    phishing, near 0 for legitimate mail, near 0.5 when the tokens say both or nothing.
// A model that has learned fewer than kMinMessagesPerClass messages of either kind is untrained:
// its counts are noise, and the classifier gives no answer at all.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "intel/content_model/model.h"

namespace vigie::intel::content_model {

inline constexpr std::uint32_t kMinMessagesPerClass = 50;
inline constexpr double kRobinsonStrength = 1.0;      // s
inline constexpr double kRobinsonUnknown = 0.5;       // x
inline constexpr double kMinSignificance = 0.346;     // least |f − 0.5| of a token that counts
inline constexpr std::size_t kMaxSignificantTokens = 150;

struct WeighedToken {
  std::string token;
  double phish_probability = 0.5;  // Robinson's f(w)
  TokenCounts counts;
};

struct Classification {
  double phish_probability = 0.5;
  // The tokens that were combined, most significant first (ties by token, for determinism).
  std::vector<WeighedToken> significant;
};

bool is_trained(const ModelHeader& header);

// nullopt when the model is untrained.
std::optional<Classification> classify(const ContentModel& model,
                                       std::span<const std::string> distinct_tokens);

}  // namespace vigie::intel::content_model

// Robinson–Fisher combining over the model's counts (see classifier.h).
#include "intel/content_model/classifier.h"

#include <algorithm>
#include <cmath>

namespace vigie::intel::content_model {
namespace {

// Robinson's f(w) for a token seen in `counts`.
double token_probability(const TokenCounts& counts, const ModelHeader& header) {
  const double phish_frequency = static_cast<double>(counts.phish) / header.phish_messages;
  const double ham_frequency = static_cast<double>(counts.ham) / header.ham_messages;
  const double p = phish_frequency / (phish_frequency + ham_frequency);
  const double n = static_cast<double>(counts.phish) + counts.ham;
  return (kRobinsonStrength * kRobinsonUnknown + n * p) / (kRobinsonStrength + n);
}

// Q(chi2, degrees): probability that a chi-square variable with an even number of degrees of
// freedom exceeds chi2 (the series SpamAssassin and bogofilter use).
double chi_square_survival(double chi2, std::size_t degrees) {
  const double m = chi2 / 2;
  double term = std::exp(-m);
  double sum = term;
  for (std::size_t i = 1; i < degrees / 2; ++i) {
    term *= m / static_cast<double>(i);
    sum += term;
  }
  return std::min(sum, 1.0);
}

}  // namespace

bool is_trained(const ModelHeader& header) {
  return header.phish_messages >= kMinMessagesPerClass && header.ham_messages >= kMinMessagesPerClass;
}

std::optional<Classification> classify(const ContentModel& model,
                                       std::span<const std::string> distinct_tokens) {
  const ModelHeader& header = model.header();
  if (!is_trained(header)) return std::nullopt;
  Classification result;
  for (const std::string& token : distinct_tokens) {
    const TokenCounts* counts = model.find(token);
    if (counts == nullptr) continue;
    const double f = token_probability(*counts, header);
    if (std::abs(f - 0.5) < kMinSignificance) continue;
    result.significant.push_back(WeighedToken{token, f, *counts});
  }
  std::sort(result.significant.begin(), result.significant.end(),
            [](const WeighedToken& a, const WeighedToken& b) {
              const double da = std::abs(a.phish_probability - 0.5);
              const double db = std::abs(b.phish_probability - 0.5);
              return da != db ? da > db : a.token < b.token;
            });
  if (result.significant.size() > kMaxSignificantTokens) result.significant.resize(kMaxSignificantTokens);
  if (result.significant.empty()) return result;

  double sum_log_f = 0;
  double sum_log_not_f = 0;
  for (const WeighedToken& t : result.significant) {
    sum_log_f += std::log(t.phish_probability);
    sum_log_not_f += std::log(1 - t.phish_probability);
  }
  const std::size_t degrees = 2 * result.significant.size();
  const double phish_evidence = 1 - chi_square_survival(-2 * sum_log_not_f, degrees);
  const double ham_evidence = 1 - chi_square_survival(-2 * sum_log_f, degrees);
  result.phish_probability = (1 + phish_evidence - ham_evidence) / 2;
  return result;
}

}  // namespace vigie::intel::content_model

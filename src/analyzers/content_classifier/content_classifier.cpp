// content_classifier: does this message read like the phishing the organisation has reported,
// rather than like its legitimate mail? Owns the CONTENT_RESEMBLES_REPORTED_PHISHING finding.
// The statistics (tokens, model file, Robinson–Fisher combining) live in intel/content_model;
// this analyzer loads the model named by [analyzers.content_classifier] model once, classifies,
// and turns a probability at or above its threshold into a finding.
//
// This catches what the rule-based detectors have no rule for — the untargeted, multilingual
// scams (casinos, dating, miracle products, crypto, prizes) that carry no brand, look-alike or
// form — in the words the site's own users have reported. Without a model, or with a model that
// has not learned enough of both kinds (see content_model::is_trained), it prepares no state and
// emits nothing; `vigie config check` and `vigie scan` say so.
//
// Confidence follows the probability: (p - 0.5) / 0.5, so 0.6 counts 1 point of the catalog
// score of 5, 0.9 counts 4 (the default tag level) and 1 counts 5. Like SpamAssassin's BAYES_60
// to BAYES_99 bands, a leaning classifier adds to the other evidence instead of staying silent;
// only a confident one marks a message on its own, and statistics on words alone never move it
// to warn or quarantine.
#include <cstdio>
#include <string>

#include "analyzers/analyzer.h"
#include "intel/content_model/classifier.h"
#include "intel/content_model/learning.h"
#include "intel/content_model/tokenizer.h"

namespace vigie::analyzers::content_classifier {
namespace {

using verdict::FindingId;
namespace model = intel::content_model;

constexpr FindingId kEmits[] = {FindingId::CONTENT_RESEMBLES_REPORTED_PHISHING};
constexpr std::size_t kEvidenceTokens = 8;

class State final : public AnalyzerState {
 public:
  State(model::ContentModel content_model, double threshold)
      : content_model_(std::move(content_model)), threshold_(threshold) {}
  const model::ContentModel& content_model() const { return content_model_; }
  double threshold() const { return threshold_; }

 private:
  model::ContentModel content_model_;
  double threshold_;
};

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  model::ClassifierSettings settings;
  model::read_classifier_settings(setup.settings, settings);
  if (settings.model.empty()) return std::shared_ptr<const AnalyzerState>();
  Result<model::ContentModel> loaded = model::load_or_empty(settings.model);
  if (!loaded) return fail(loaded.error());
  if (!model::is_trained(loaded->header())) return std::shared_ptr<const AnalyzerState>();
  return std::make_shared<const State>(std::move(*loaded), settings.threshold);
}

std::string fixed(double value, int decimals) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

void analyze(const ParsedMessage& /*message*/, const ScanContext& context, const AnalyzerState* base,
             FindingSink& sink) {
  if (base == nullptr) return;
  const State& state = static_cast<const State&>(*base);
  const model::MessageTokens tokens = model::message_tokens(context.facts, context.limits);
  if (tokens.unread_text_bytes > 0) {
    const std::string unread = std::to_string(tokens.unread_text_bytes);
    sink.limit_reached("max_classifier_text_bytes", context.limits.max_classifier_text_bytes + tokens.unread_text_bytes,
                       context.limits.max_classifier_text_bytes,
                       LocalizedText{unread + " bytes of readable text not read by the content classifier",
                                     unread + " octets de texte lisible non lus par le classifieur de contenu"});
  }
  if (tokens.token_budget_spent) {
    sink.limit_reached("max_classifier_tokens", context.limits.max_classifier_tokens + std::uint64_t{1},
                       context.limits.max_classifier_tokens,
                       LocalizedText{"further words not weighed by the content classifier",
                                     "mots suivants non pesés par le classifieur de contenu"});
  }
  const std::optional<model::Classification> result = model::classify(state.content_model(), tokens.tokens);
  if (!result || result->phish_probability < state.threshold()) return;

  const model::ModelHeader& learned = state.content_model().header();
  std::vector<Evidence> evidence{
      {"classifier",
       LocalizedText{"phish probability " + fixed(result->phish_probability, 4) + " (threshold " +
                         fixed(state.threshold(), 2) + "; model: " + std::to_string(learned.phish_messages) +
                         " reported phishing, " + std::to_string(learned.ham_messages) + " legitimate messages)",
                     "probabilité d'hameçonnage " + fixed(result->phish_probability, 4) + " (seuil " +
                         fixed(state.threshold(), 2) + " ; modèle : " + std::to_string(learned.phish_messages) +
                         " hameçonnages signalés, " + std::to_string(learned.ham_messages) +
                         " messages légitimes)"}}};
  // The tokens that pushed towards phishing, strongest first: what the analyst checks.
  for (const model::WeighedToken& t : result->significant) {
    if (evidence.size() > kEvidenceTokens) break;
    if (t.phish_probability <= 0.5) continue;
    const std::string token = "\"" + t.token + "\" " + fixed(t.phish_probability, 3);
    evidence.push_back({"token", LocalizedText{token + " (in " + std::to_string(t.counts.phish) + " phishing, " +
                                                   std::to_string(t.counts.ham) + " legitimate)",
                                               token + " (dans " + std::to_string(t.counts.phish) +
                                                   " hameçonnages, " + std::to_string(t.counts.ham) + " légitimes)"}});
  }
  sink.emit(FindingId::CONTENT_RESEMBLES_REPORTED_PHISHING, std::move(evidence),
            (result->phish_probability - 0.5) / 0.5);
}

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "content_classifier",
      "Statistical resemblance of the visible text, links and attachments to the phishing the "
      "organisation reported (model trained with vigie learn)",
      kEmits,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::content_classifier

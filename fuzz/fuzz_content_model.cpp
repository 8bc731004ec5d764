// Fuzz target for the content model loader (src/intel/content_model/model.h): the model file an
// operator points [analyzers.content_classifier] model at. It is written by `vigie learn`, but it is a file on disk
// that anyone with access can edit or truncate, so the loader must turn any bytes into a model or
// a "file:line" error: no crash, no escaped exception, no unbounded allocation.
// It owns only the harness; the input is the model file as it is.
//
// Besides crashes, it checks what the header promises: errors start with the file name; a loaded
// model writes back (serialize) to a file that loads to the same model; every token's counts stay
// within the message totals; and classifying the model's own tokens gives a probability in [0, 1].

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "intel/content_model/classifier.h"
#include "intel/content_model/model.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;

namespace content_model = vigie::intel::content_model;

namespace {

constexpr std::string_view kSource = "model.txt";
constexpr std::size_t kMaxTokensClassified = 200;

// The token column of each line after the header (what classify() will be asked about).
std::vector<std::string> tokens_in(std::string_view text) {
  std::vector<std::string> tokens;
  std::size_t start = text.find('\n');
  while (start != std::string_view::npos && tokens.size() < kMaxTokensClassified) {
    ++start;
    const std::size_t end = text.find('\n', start);
    const std::string_view line = text.substr(start, end == std::string_view::npos ? end : end - start);
    tokens.emplace_back(line.substr(0, line.find('\t')));
    start = end;
  }
  return tokens;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto model = content_model::ContentModel::parse(text, kSource);
  if (!model) {
    const std::string& message = model.error().message;
    require(message.compare(0, kSource.size(), kSource) == 0 && message.size() > kSource.size() &&
                message[kSource.size()] == ':',
            "model errors start with the file name");
    consume(message);
    return 0;
  }
  const std::string written = model->serialize();
  auto reloaded = content_model::ContentModel::parse(written, kSource);
  require(reloaded.has_value(), "a loaded model serializes to a file that loads");
  require(reloaded->serialize() == written, "serialize and parse round-trip");
  require(reloaded->token_count() == model->token_count(), "the round trip keeps every token");

  const std::vector<std::string> tokens = tokens_in(text);
  for (const std::string& token : tokens) {
    if (const content_model::TokenCounts* counts = model->find(token)) {
      require(counts->phish <= model->header().phish_messages &&
                  counts->ham <= model->header().ham_messages,
              "token counts stay within the message totals");
    }
  }
  if (const auto result = content_model::classify(*model, tokens)) {
    require(result->phish_probability >= 0 && result->phish_probability <= 1,
            "the phish probability is in [0, 1]");
    require(result->significant.size() <= content_model::kMaxSignificantTokens,
            "at most kMaxSignificantTokens tokens are combined");
    for (const auto& t : result->significant) consume(t.token);
  }
  return 0;
}

// Learning from mail archives and reporting what a model has learned (see learning.h).
#include "intel/content_model/learning.h"

#include <filesystem>
#include <system_error>

#include "config/section.h"
#include "intel/content_model/classifier.h"
#include "intel/content_model/tokenizer.h"
#include "service/intake/message_source.h"
#include "vigie/message.h"

namespace vigie::intel::content_model {
namespace {

bool exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

}  // namespace

Result<ContentModel> load_or_empty(const std::string& path) {
  if (!exists(path)) return ContentModel();
  return ContentModel::load(path);
}

Result<LearnSummary> learn_paths(const std::string& model_path, Label label,
                                 const std::vector<std::string>& paths, const Limits& limits) {
  Result<ContentModel> model = load_or_empty(model_path);
  if (!model) return fail(model.error());
  std::vector<std::string> errors;
  const std::vector<service::InputFile> inputs = service::collect_inputs(paths, errors);
  if (!errors.empty()) {
    std::string all;
    for (const std::string& e : errors) all += (all.empty() ? "" : "\n") + e;
    return fail(Error::io(all + "\nnothing learned"));
  }
  LearnSummary summary;
  Result<void> learned;
  for (const service::InputFile& input : inputs) {
    Result<std::size_t> read = service::read_messages(
        input, limits.max_message_bytes, [&](service::InputMessage&& message) {
          if (!learned) return;
          const std::unique_ptr<ParsedMessage> parsed = ParsedMessage::parse(std::move(message.bytes), limits);
          learned = model->learn(message_tokens(*parsed, limits).tokens, label);
          ++summary.messages;
        });
    if (!read) return fail(Error::io(read.error().message + "\nnothing learned"));
    if (!learned) return fail(learned.error());
    ++summary.files;
  }
  if (Result<void> saved = model->save(model_path); !saved) return fail(saved.error());
  summary.totals = model->header();
  summary.tokens = model->token_count();
  return summary;
}

void read_classifier_settings(config::SectionReader& reader, ClassifierSettings& out) {
  reader.path("model", out.model);
  // At or below 0.5 the model leans to legitimate mail: never a finding.
  reader.number("threshold", out.threshold, 0.5, 1, /*min_exclusive=*/true);
}

Result<ClassifierSettings> classifier_settings(const Config& config) {
  ClassifierSettings settings;
  const auto section = config.analyzers.sections.find("content_classifier");
  config::SectionReader reader(section == config.analyzers.sections.end() ? ConfigSection{} : section->second);
  read_classifier_settings(reader, settings);
  if (Result<void> checked = reader.finish(); !checked) return fail(checked.error());
  return settings;
}

Result<ModelStatus> model_status(const ClassifierSettings& config) {
  ModelStatus status;
  const std::string needed = "; it needs at least " + std::to_string(kMinMessagesPerClass) +
                             " of each (vigie learn --phish / --ham) and emits nothing until then";
  if (!exists(config.model)) {
    status.description = "classifier: " + config.model + ": no model yet, untrained" + needed;
    return status;
  }
  Result<ModelHeader> header = ContentModel::read_header(config.model);
  if (!header) return fail(header.error());
  status.trained = is_trained(*header);
  status.description = "classifier: " + config.model + ": " + std::to_string(header->phish_messages) +
                       " reported phishing and " + std::to_string(header->ham_messages) +
                       " legitimate messages learned";
  if (!status.trained) status.description += ", untrained" + needed;
  return status;
}

}  // namespace vigie::intel::content_model

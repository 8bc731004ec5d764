// Training the content model from the organisation's own mail, and what the configured model
// has learned. `vigie learn` and `vigie config check` call these; the logic lives here so that the
// command line stays a thin layer.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "intel/content_model/model.h"
#include "vigie/config.h"
#include "vigie/limits.h"
#include "vigie/result.h"

namespace vigie::config {
class SectionReader;
}

namespace vigie::intel::content_model {

struct LearnSummary {
  std::size_t files = 0;
  std::size_t messages = 0;  // learned by this run
  ModelHeader totals;        // what the saved model holds now
  std::size_t tokens = 0;
};

// Learns every message under `paths` (files, directories recursively, mbox, Maildir: the same
// walk as `vigie scan`) as `label`, into the model at `model_path` (created when missing), and
// saves it. All or nothing: an unreadable path or a read error fails before the model is
// written, so a rerun after fixing the paths does not learn any message twice.
Result<LearnSummary> learn_paths(const std::string& model_path, Label label,
                                 const std::vector<std::string>& paths, const Limits& limits);

// The model at `path`, or an empty model when no file exists there yet (a site that configured
// the classifier before training it).
Result<ContentModel> load_or_empty(const std::string& path);

struct ModelStatus {
  bool trained = false;
  std::string description;  // one line for the operator, naming the file
};

// [analyzers.content_classifier]: the model the organisation trains on its own mail and the least
// phish probability that makes a finding.
struct ClassifierSettings {
  std::string model;        // model file; empty: no classifier, no content findings
  double threshold = 0.6;   // in (0.5, 1]
};

// Reads the settings from the analyzer's section (the model path is resolved against the
// configuration file); mistakes are recorded in the reader, as file:line:column errors.
void read_classifier_settings(config::SectionReader& reader, ClassifierSettings& out);
// The same from a whole configuration, for commands that run no engine (vigie learn).
Result<ClassifierSettings> classifier_settings(const Config& config);

// What the model named by the settings has learned, read from its header only. Fails when the
// file exists but is not a model.
Result<ModelStatus> model_status(const ClassifierSettings& settings);

}  // namespace vigie::intel::content_model

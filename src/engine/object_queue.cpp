// The object work queue (see object_queue.h).
#include "engine/object_queue.h"

#include <map>
#include <optional>

#include "objects/content_type.h"
#include "objects/mime_objects.h"

namespace vigie::engine {
namespace {

// Files a limit kept out of the tree, counted per limit so a bomb of a million entries makes one
// line, not a million.
struct Refusals {
  std::uint64_t count = 0;
  std::uint64_t observed = 0;  // the largest value seen against the limit
  std::uint64_t allowed = 0;
  ObjectId first_parent = kMessageObject;
  std::string what;            // "files nested deeper", "files beyond the count"...
  std::string what_fr;         // the same in French
};

class Queue final : public analyzers::ObjectContext {
 public:
  Queue(const ParsedMessage& message, const Limits& limits, const analyzers::Deadline& deadline, ObjectTree& tree)
      : message_(message), limits_(limits), deadline_(deadline), tree_(tree) {}

  const ParsedMessage& message() const override { return message_; }
  const ObjectTree& objects() const override { return tree_; }

  ObjectId push_child(const Object& parent, Object child, std::shared_ptr<const std::string> content) override {
    const std::uint64_t size = content ? content->size() : 0;
    if (const std::optional<ExtractionLimit> limit = limit_crossed(parent, size)) {
      refuse_child(parent, *limit, size);
      return kNoObject;
    }
    ++extracted_objects_;
    extracted_bytes_ += size;
    const bool is_file = true;
    child.own_content(std::move(content), is_file);
    if (child.detected_type.empty()) child.detected_type = objects::detect_type(child.bytes());
    if (child.part == kNoPart) child.part = parent.part;
    return tree_.add(std::move(child), parent.id).id;
  }

  void refuse_child(const Object& parent, ExtractionLimit limit, std::uint64_t size) override {
    switch (limit) {
      case ExtractionLimit::kDepth:
        refuse("max_object_depth", parent, parent.depth + 1, limits_.max_object_depth, "files nested deeper",
               "fichiers imbriqués plus profond");
        break;
      case ExtractionLimit::kObjects:
        refuse("max_extracted_objects", parent, extracted_objects_ + 1, limits_.max_extracted_objects,
               "files beyond the count", "fichiers au-delà du nombre permis");
        break;
      case ExtractionLimit::kBytes:
        refuse("max_extracted_bytes", parent, extracted_bytes_ + size, limits_.max_extracted_bytes,
               "files beyond the total size", "fichiers au-delà de la taille totale permise");
        break;
      case ExtractionLimit::kExpansion:
        refuse("max_expansion_ratio", parent, size / std::max<std::uint64_t>(parent.size(), 1),
               limits_.max_expansion_ratio, "files expanding too far", "fichiers qui se décompressent trop");
        break;
    }
  }

  ExtractionBudget extraction_budget() const override {
    return ExtractionBudget{
        limits_.max_extracted_objects > extracted_objects_ ? limits_.max_extracted_objects - extracted_objects_ : 0,
        limits_.max_extracted_bytes > extracted_bytes_ ? limits_.max_extracted_bytes - extracted_bytes_ : 0};
  }

  void add_flags(const Object& object, std::uint32_t flags) override { tree_.at(object.id).flags |= flags; }

  void add_url(const Object& found_in, Url url) override {
    url.part = found_in.part;
    url.object = found_in.id;
    tree_.add_url(std::move(url));
  }

  void add_note(const Object& object, std::string note) override {
    tree_.at(object.id).notes.push_back(std::move(note));
  }

  analyzers::Deadline deadline() const override { return deadline_; }

  void record(std::vector<LimitCrossing>& crossings) {
    for (const auto& [limit, r] : refusals_) {
      crossings.push_back(LimitCrossing{limit, "objects", r.observed, r.allowed, r.first_parent,
                                        std::to_string(r.count) + " " + r.what + " not extracted",
                                        std::to_string(r.count) + " " + r.what_fr + " non extraits"});
      tree_.at(r.first_parent).notes.push_back(std::to_string(r.count) + " " + r.what + " not extracted (" +
                                               limit + ")");
      tree_.at(r.first_parent).flags |= kObjectNotExamined;
    }
  }

 private:
  std::optional<ExtractionLimit> limit_crossed(const Object& parent, std::uint64_t size) const {
    if (parent.depth + 1 > limits_.max_object_depth) return ExtractionLimit::kDepth;
    if (extracted_objects_ >= limits_.max_extracted_objects) return ExtractionLimit::kObjects;
    if (extracted_bytes_ + size > limits_.max_extracted_bytes) return ExtractionLimit::kBytes;
    // A small file may expand a lot (a few bytes of zeros); a large expansion is a bomb.
    constexpr std::uint64_t kExpansionFloor = 1 << 20;
    if (size > kExpansionFloor && size / std::max<std::uint64_t>(parent.size(), 1) >= limits_.max_expansion_ratio) {
      return ExtractionLimit::kExpansion;
    }
    return std::nullopt;
  }

  void refuse(const char* limit, const Object& parent, std::uint64_t observed, std::uint64_t allowed, const char* what,
              const char* what_fr) {
    Refusals& r = refusals_[limit];
    if (r.count++ == 0) {
      r.first_parent = parent.id;
      r.allowed = allowed;
      r.what = what;
      r.what_fr = what_fr;
    }
    r.observed = std::max(r.observed, observed);
  }

  const ParsedMessage& message_;
  const Limits& limits_;
  analyzers::Deadline deadline_;
  ObjectTree& tree_;
  std::uint64_t extracted_objects_ = 0;
  std::uint64_t extracted_bytes_ = 0;
  std::map<std::string, Refusals> refusals_;
};

}  // namespace

void run_object_queue(const ParsedMessage& message, const Limits& limits, const analyzers::Deadline& deadline,
                      std::span<const EnabledObjectAnalyzer> analyzers, ObjectTree& tree,
                      std::vector<Finding>& findings, std::vector<LimitCrossing>& crossings) {
  objects::add_mime_objects(message, tree);
  Queue queue(message, limits, deadline, tree);
  // The message itself is the message analyzers'; every other object, extracted ones included
  // (the tree grows while this loop runs), goes through the object analyzers.
  for (ObjectId id = 1; id < tree.size(); ++id) {
    if (!analyzers.empty() && deadline.passed()) {
      for (ObjectId left = id; left < tree.size(); ++left) tree.at(left).flags |= kObjectNotExamined;
      crossings.push_back(LimitCrossing{"max_analysis_ms", "objects", limits.max_analysis_ms + 1u,
                                        limits.max_analysis_ms, id,
                                        std::to_string(tree.size() - id) +
                                            " objects not examined: the analysis ran out of time",
                                        std::to_string(tree.size() - id) +
                                            " objets non examinés : l'analyse a manqué de temps"});
      break;
    }
    for (const EnabledObjectAnalyzer& analyzer : analyzers) {
      const Object& object = tree.at(id);
      if (!analyzer.descriptor->accepts(object)) continue;
      analyzers::run_object_analyzer(*analyzer.descriptor, analyzer.state.get(), analyzer.weighing, object, queue,
                                     findings, crossings);
    }
  }
  queue.record(crossings);
}

}  // namespace vigie::engine

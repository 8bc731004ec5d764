// Test support for the Office analyzers (office_macros, ole_objects, ooxml) and readers: the files
// of tests/data/office/ (built by tests/data/office/make_office_samples.py), a message that
// attaches one, and a recording object context to run an object analyzer on an Object built by the
// test (an OOXML member as the archive extractor would push it). Only tests include it.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/test_base64.h"
#include "analyzers/analyzer.h"

namespace vigie::office_test {

inline std::string data_file(std::string_view name) {
  const std::string path = std::string(VIGIE_SOURCE_DIR) + "/tests/data/office/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing test file " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::string base64(std::string_view bytes) { return test_support::base64(bytes, true) + "\n"; }

// A message from outside with `bytes` attached as `filename`.
inline std::string message_with(std::string_view filename, std::string_view bytes,
                                std::string_view type = "application/octet-stream") {
  return "From: a@example.net\nTo: b@example.org\nSubject: doc\nMIME-Version: 1.0\n"
         "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n--b\n"
         "Content-Type: " + std::string(type) + "\nContent-Disposition: attachment; filename=\"" +
         std::string(filename) + "\"\nContent-Transfer-Encoding: base64\n\n" + base64(bytes) + "--b--\n";
}

// An ObjectContext that keeps what an analyzer gives it.
class RecordingContext : public analyzers::ObjectContext {
 public:
  // `raw` is the message the analyzers read (the passwords of its body, say).
  explicit RecordingContext(Limits limits = {}, std::string raw = "From: a@example.net\n\nx\n")
      : limits_(limits),
        message_(ParsedMessage::parse(std::make_shared<const std::string>(std::move(raw)), limits_)),
        tree_(message_->raw()) {}

  const ParsedMessage& message() const override { return *message_; }
  const ObjectTree& objects() const override { return tree_; }
  ObjectId push_child(const Object& parent, Object child, std::shared_ptr<const std::string> content) override {
    child.own_content(std::move(content), true);
    return tree_.add(std::move(child), parent.id).id;
  }
  ExtractionBudget extraction_budget() const override {
    return {limits_.max_extracted_objects, limits_.max_extracted_bytes};
  }
  void refuse_child(const Object& /*parent*/, ExtractionLimit /*limit*/, std::uint64_t /*size*/) override {
    ++refused_children;
  }
  void add_flags(const Object& object, std::uint32_t flags) override { tree_.at(object.id).flags |= flags; }
  void add_url(const Object& found_in, Url url) override {
    url.part = found_in.part;
    url.object = found_in.id;
    urls.push_back(std::move(url));
  }
  void add_note(const Object& object, std::string note) override { tree_.at(object.id).notes.push_back(std::move(note)); }
  analyzers::Deadline deadline() const override { return deadline_; }
  void set_deadline(analyzers::Deadline deadline) { deadline_ = deadline; }

  // An object below the message, as an extractor would have pushed it.
  const Object& add(ObjectOrigin origin, std::string filename, std::string content) {
    Object o;
    o.origin = origin;
    o.filename = std::move(filename);
    o.own_content(std::make_shared<const std::string>(std::move(content)), true);
    return tree_.add(std::move(o), kMessageObject);
  }

  // Runs the object analyzer `name` on `object` as the engine would.
  std::vector<Finding> run(std::string_view name, const Object& object) {
    for (const analyzers::ObjectAnalyzerDescriptor* d : analyzers::object_registry()) {
      if (d->name != name) continue;
      std::vector<Finding> findings;
      EXPECT_TRUE(d->accepts(object)) << name << " does not accept " << object.filename;
      analyzers::run_object_analyzer(*d, nullptr, analyzers::Weighing{}, object, *this, findings, crossings);
      return findings;
    }
    ADD_FAILURE() << "no object analyzer " << name;
    return {};
  }

  std::vector<Url> urls;
  int refused_children = 0;
  std::vector<LimitCrossing> crossings;

 private:
  Limits limits_;
  std::unique_ptr<ParsedMessage> message_;
  ObjectTree tree_;
  analyzers::Deadline deadline_;
};

inline const Finding* find(const std::vector<Finding>& findings, std::string_view id) {
  for (const Finding& f : findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

inline std::string evidence(const Finding& finding, std::string_view field) {
  for (const Evidence& e : finding.evidence) {
    if (e.field == field) return e.value;
  }
  return "<no " + std::string(field) + ">";
}

}  // namespace vigie::office_test

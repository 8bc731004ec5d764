// uuencoded_files: the extractor of files uuencoded inside text parts ("begin 644 invoice.exe"),
// a way to carry an attachment that no MIME header announces. The parser finds and decodes the
// blocks (ParsedMessage::embedded_files); this extractor puts each below its text part in the
// object tree, so every object analyzer looks at it like at any attachment. The finding that a
// file hides in text is parse_anomalies' (UUENCODED_FILE_IN_TEXT).
#include "analyzers/analyzer.h"

namespace vigie::analyzers::uuencoded_files {
namespace {

bool accepts(const Object& object) {
  return object.origin == ObjectOrigin::kMimePart && object.declared_type.starts_with("text/");
}

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* /*state*/,
             FindingSink& /*sink*/) {
  for (const EmbeddedFile& file : context.message().embedded_files()) {
    if (file.part != object.part) continue;
    Object child;
    child.origin = ObjectOrigin::kUuencoded;
    child.filename = file.filename;
    if (!file.complete) {
      child.flags |= kObjectTruncated;
      child.notes.emplace_back("no \"end\" line: the file may be incomplete");
    }
    context.push_child(object, std::move(child), file.content);
  }
}

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "uuencoded_files",
      "Extracts files uuencoded inside text parts into the object tree",
      {},
      &accepts,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::uuencoded_files

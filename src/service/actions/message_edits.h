// TEMPORARY (lead's branch): the API the actions helper is building, so that the milter compiles
// before the merge. Replaced by the real header at merge time.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/engine.h"

namespace vigie::service {

struct HeaderEdit {
  enum class Kind { kInsertAtTop, kAppend, kChange, kRemove };
  Kind kind;
  std::string name;
  std::string value;
  std::size_t occurrence = 0;
};
struct MessageEdits {
  std::vector<HeaderEdit> headers;
  std::optional<std::string> body;
  std::string banner_skipped;
};
struct ActionSettings {
  std::string authserv_id;
  std::vector<std::string> banner_languages = {"en"};
  std::size_t top_findings = 5;
  bool banner_on_warn = true;
};
MessageEdits plan_message_edits(const ScanResult& result, std::string_view id, const ActionSettings& settings);
std::string apply_message_edits(std::string_view raw, const MessageEdits& edits);

}  // namespace vigie::service

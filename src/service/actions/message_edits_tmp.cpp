// TEMPORARY (lead's branch, replaced at merge by the actions helper's implementation).
#include "service/actions/message_edits.h"

namespace vigie::service {

MessageEdits plan_message_edits(const ScanResult& result, std::string_view id, const ActionSettings&) {
  MessageEdits edits;
  edits.headers.push_back({HeaderEdit::Kind::kInsertAtTop, "X-Vigie-Id", " " + std::string(id), 0});
  edits.headers.push_back({HeaderEdit::Kind::kInsertAtTop, "X-Vigie-Action",
                           " " + std::string(action_name(result.verdict.action)), 0});
  return edits;
}

std::string apply_message_edits(std::string_view raw, const MessageEdits&) { return std::string(raw); }

}  // namespace vigie::service

// A milter message's verdict turned into the MTA's action (see milter_decision.h).
#include "service/milter/milter_decision.h"

#include <exception>
#include <memory>

namespace vigie::service::milter {

namespace {

std::string reference(const std::string& id) { return "ref vigie-" + id; }

// Fail closed or open. Failing open still marks the message, so the reader's client and later
// filters can tell it went through unexamined.
MessageDecision on_internal_error(const MilterPolicy& policy, const std::string& id) {
  MessageDecision decision;
  if (policy.on_error == MilterPolicy::OnError::kTempfail) {
    decision.final = MessageDecision::Final::kTempfail;
    decision.smtp_reply = "451 4.7.1 message could not be checked, try again later (" + reference(id) + ")";
    return decision;
  }
  decision.final = MessageDecision::Final::kAccept;
  decision.headers.push_back({HeaderEdit::Kind::kInsertAtTop, "X-Vigie-Id", " " + id, 0});
  decision.headers.push_back({HeaderEdit::Kind::kInsertAtTop, "X-Vigie-Action", " unscanned", 0});
  return decision;
}

std::string hold_reason(const std::string& id, const Verdict& verdict) {
  std::string reason = "vigie " + id + ":";
  for (std::size_t i = 0; i < verdict.reasons.size() && i < 3; ++i) reason += " " + verdict.reasons[i];
  return reason;
}

}  // namespace

MessageDecision decide_message(const ServeContext& context, const MilterPolicy& policy,
                               const HoldInQuarantine& hold, ReceivedMessage& message) {
  const std::string id = new_message_id();
  const bool truncated = message.truncated;
  auto bytes = std::make_shared<const std::string>(std::move(message.raw));
  nlohmann::json fields = nlohmann::json::object();
  if (truncated) fields["truncated"] = true;
  MessageScan scan;
  try {
    scan = scan_message(context, id, bytes, message.envelope, Listener::kMilter, std::move(fields));
  } catch (const std::exception& e) {
    // A bug in the engine: it is logged and counted, and the MTA gets the configured answer
    // rather than a dropped connection.
    context.metrics.failed(RequestError::kInternal);
    context.log.error("scan_failed", {{"id", id}, {"queue_id", message.envelope.queue_id}, {"error", e.what()}});
    return on_internal_error(policy, id);
  }
  const Verdict& verdict = scan.result.verdict;
  // The authserv-id of the engine that judged the message: [auth] is reloaded with the engine.
  ActionSettings actions = policy.actions;
  actions.authserv_id = scan.engine->config().auth.authserv_id;
  MessageEdits edits = plan_message_edits(scan.result, id, actions);
  if (truncated && edits.body) {
    // Only the beginning was received: a new body would cut the rest off.
    edits.body.reset();
    edits.banner_skipped = "message larger than the milter's byte bound";
  }
  if (!edits.banner_skipped.empty()) {
    context.log.info("banner_skipped", {{"id", id}, {"reason", edits.banner_skipped}});
  }

  MessageDecision decision;
  decision.headers = std::move(edits.headers);
  switch (verdict.action) {
    case Action::kAccept:
    case Action::kTag:
    case Action::kWarn:
      decision.final = MessageDecision::Final::kAccept;
      decision.body = std::move(edits.body);
      return decision;
    case Action::kReject:
      decision.final = MessageDecision::Final::kReject;
      decision.smtp_reply = "550 5.7.1 message refused by the recipient's security policy (" + reference(id) + ")";
      decision.headers.clear();
      return decision;
    case Action::kQuarantine:
      break;
  }
  if (policy.quarantine_at == MilterPolicy::QuarantineAt::kVigie && hold && !truncated) {
    Result<void> held = hold(id, *bytes, scan.result, message.envelope);
    if (held) {
      decision.final = MessageDecision::Final::kDiscard;
      decision.headers.clear();
      return decision;
    }
    // Never discarded without its stored copy, and never delivered either: the MTA holds it.
    context.log.error("quarantine_failed", {{"id", id},
                                            {"error", held.error().message},
                                            {"kept", "in the MTA's hold queue"}});
    context.metrics.failed(RequestError::kInternal);
  }
  decision.final = MessageDecision::Final::kHold;
  decision.hold_reason = hold_reason(id, verdict);
  return decision;
}

}  // namespace vigie::service::milter

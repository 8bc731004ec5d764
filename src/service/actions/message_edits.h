// What vigie changes in a message it lets through, for its verdict (issue 14, "Actions, per
// verdict"): the edits a milter sends back to the MTA, and the same edits applied to the raw bytes
// for the HTTP API, the tests and the fuzz target.
//
// Every action removes the top-level X-Vigie-* fields and the Authentication-Results fields of our
// own authserv-id that arrived from outside (nobody can forge vigie's verdict or authentication
// results), then adds Authentication-Results (when authentication ran) and X-Vigie-Id, -Action,
// -Score, -Findings and -Incomplete. A warn also gets the verdict's banner prepended to the main
// text and HTML bodies (banner.h says which parts and how); a message a banner would break (signed
// or encrypted S/MIME or PGP, malformed structure, ...) gets headers only and
// MessageEdits::banner_skipped says why.
//
// Pure functions of their inputs: no I/O, no global state, thread-safe. plan_message_edits() reads
// lazily decoded content of the ParsedMessage, so like any use of a ParsedMessage it must run on
// the thread that owns the scan.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/actions/action_settings.h"
#include "vigie/engine.h"

namespace vigie::service {

struct HeaderEdit {
  enum class Kind { kInsertAtTop, kAppend, kChange, kRemove };
  Kind kind;
  std::string name;
  // kInsertAtTop/kAppend/kChange: the value as it follows "Name:" (leading space included, folded
  // with CRLF + space when long). Only printable ASCII and folds: no message-derived byte can start
  // another field.
  std::string value;
  // kChange/kRemove: 1-based among the message's top-level fields of this name (case-insensitive),
  // counted on the ORIGINAL message.
  std::size_t occurrence = 0;
};

struct MessageEdits {
  // In application order: every kRemove and kChange first (removals of one name from the highest
  // occurrence to the lowest, so that applying them one by one never shifts a later one: milter
  // SMFIR_CHGHEADER semantics), then kAppend, then kInsertAtTop (each inserted above the previous,
  // so the last one ends on top).
  std::vector<HeaderEdit> headers;
  // The whole replacement body (the bytes after the header/body blank line), CRLF line ends;
  // nullopt: body untouched.
  std::optional<std::string> body;
  // For a warn whose banner was not added to every body part that should show it, why (signed,
  // encrypted, no text part, unsupported charset, too large...); empty otherwise. With
  // banner_parts > 0 the banner is in some parts and not in others.
  std::string banner_skipped;
  std::size_t banner_parts = 0;  // body parts that got the banner
};

// What to change in the message for its verdict. `id` is the per-message id (16 hex digits) that
// goes into X-Vigie-Id.
MessageEdits plan_message_edits(const ScanResult& result, std::string_view id, const ActionSettings& settings);

// The same plan from its parts, for callers without a ScanResult (the fuzz target, tests).
MessageEdits plan_message_edits(const ParsedMessage& message, const AuthResults& auth, const Verdict& verdict,
                                std::string_view id, const ActionSettings& settings);

// The message with the edits applied as a milter-driven MTA applies them: top-level fields edited
// in order, the body replaced. Added fields and the body take the message's own line ends (those
// of its first line: CRLF or LF).
std::string apply_message_edits(std::string_view raw, const MessageEdits& edits);

// The authserv-id of an Authentication-Results field value (RFC 8601 §2.2: a token or a
// quoted-string before the optional version and the first ';', comments and folding skipped), as
// written; compared case-insensitively with ours.
std::string authserv_id_of(std::string_view value);

}  // namespace vigie::service

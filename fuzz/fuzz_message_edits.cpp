// Fuzz target for the message edits of the mail-flow actions (src/service/actions): the input is a
// message, parsed by the project's parser; a warn verdict with a banner is faked (its French
// paragraph opens with the message's own boundary, as a quoting explanation could), the edits are
// planned and applied, and the result is parsed again. It owns only the harness.
//
// Guarantees checked: planning and applying never crash; every header value is printable ASCII
// with CRLF-space folds only; the output stays within 8 times the input plus 64 KiB; vigie's
// fields appear once each in the result; a rewritten body keeps the part tree (same number of
// parts) and adds no structural anomaly the original did not have.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "fuzz_support.h"
#include "service/actions/message_edits.h"
#include "vigie/message.h"

namespace {

using vigie::fuzz::consume;
using vigie::fuzz::require;

bool is_structural(vigie::AnomalyKind kind) {
  using K = vigie::AnomalyKind;
  return kind == K::kNoHeaderBody || kind == K::kHeaderSyntax || kind == K::kMissingBoundary ||
         kind == K::kBoundaryNotFound || kind == K::kMissingCloseBoundary || kind == K::kNestedBoundaryPrefix ||
         kind == K::kBoundaryWhitespace || kind == K::kDuplicateContentType || kind == K::kInvalidContentType ||
         kind == K::kBase64Garbage || kind == K::kQuotedPrintableInvalid;
}

void check_header_values(const vigie::service::MessageEdits& edits) {
  for (const vigie::service::HeaderEdit& edit : edits.headers) {
    const std::string& v = edit.value;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const auto c = static_cast<unsigned char>(v[i]);
      if (c == '\r') {
        require(i + 2 < v.size() && v[i + 1] == '\n' && v[i + 2] == ' ', "a header value folds with CRLF + space only");
        i += 1;
        continue;
      }
      require(c >= 0x20 && c < 0x7f, "a header value is printable ASCII");
    }
  }
}

std::size_t count_fields(const vigie::ParsedMessage& message, std::string_view name) {
  std::size_t n = 0;
  for (const vigie::HeaderField& f : message.root().headers) {
    if (f.name.size() == name.size() && std::equal(f.name.begin(), f.name.end(), name.begin(), [](char a, char b) {
          return (a | 0x20) == (b | 0x20);
        })) {
      ++n;
    }
  }
  return n;
}

void run(const std::string& raw, const vigie::service::ActionSettings& settings, vigie::Action action) {
  const vigie::Limits limits{};
  auto message = vigie::ParsedMessage::parse(std::make_shared<const std::string>(raw), limits);
  message->decode_all();
  vigie::Verdict verdict;
  verdict.action = action;
  verdict.score = 9.5;
  verdict.reasons = {"LINK_TEXT_MISMATCH", "FIRST_CONTACT"};
  verdict.banner.en = "Warning: this message is suspicious <b>&amp;</b> \"quoted\" " + message->subject();
  verdict.banner.fr = "--" + message->root().boundary + " Attention : ce message est suspect, pièces jointes.";
  vigie::AuthResults auth;
  auth.authentication_results = "vigie; spf=pass";
  auth.spf.result = vigie::AuthResultCode::kPass;
  auth.spf.domain = message->subject();

  const vigie::service::MessageEdits edits =
      vigie::service::plan_message_edits(*message, auth, verdict, "0123456789abcdef", settings);
  check_header_values(edits);
  consume(edits.banner_skipped);
  const std::string output = vigie::service::apply_message_edits(raw, edits);
  require(output.size() <= raw.size() * 8 + (64u << 10), "the rewritten message stays within 8x + 64 KiB");

  auto reparsed = vigie::ParsedMessage::parse(std::make_shared<const std::string>(output), limits);
  reparsed->decode_all();
  if (!message->anomalies().empty() && message->anomalies().front().kind == vigie::AnomalyKind::kMessageTooLarge) return;
  require(count_fields(*reparsed, "X-Vigie-Action") == 1, "one X-Vigie-Action in the result");
  require(count_fields(*reparsed, "X-Vigie-Id") == 1, "one X-Vigie-Id in the result");
  if (!edits.body) return;
  require(reparsed->parts().size() == message->parts().size(), "a banner keeps the part tree");
  std::set<vigie::AnomalyKind> before;
  for (const vigie::Anomaly& a : message->anomalies()) before.insert(a.kind);
  for (const vigie::Anomaly& a : reparsed->anomalies()) {
    require(!is_structural(a.kind) || before.count(a.kind) != 0, "a banner adds no structural anomaly");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  vigie::service::ActionSettings settings;
  settings.authserv_id = "vigie";
  run(raw, settings, vigie::Action::kWarn);
  settings.banner_languages = {"fr", "en"};
  settings.max_banner_part_bytes = 4096;
  run(raw, settings, vigie::Action::kWarn);
  return 0;
}

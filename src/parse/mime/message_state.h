// ParsedMessage::State: everything a parsed message owns — the shared input buffer, decoded
// nested-message buffers, the flat part list, anomalies and the lazily filled per-part caches.
// Only src/parse/mime reads or writes it.
#pragma once

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vigie/localized_text.h"
#include "vigie/message.h"

namespace vigie {

struct PartCache {
  bool decoded_done = false;
  std::string decoded_storage;       // used only when the encoding is not identity
  std::string_view decoded;
  bool text_done = false;
  std::string text_storage;          // used only when conversion changed the bytes
  std::string_view text;
  std::optional<HtmlContent> html;  // filled by ParsedMessage::extract_content()
  std::optional<CalendarContent> calendar;  // likewise, for text/calendar leaves
  std::optional<PartHashes> hashes;
};

struct ParsedMessage::State {
  std::shared_ptr<const std::string> buffer;
  std::string_view raw;  // buffer, cut at max_message_bytes
  Limits limits;
  // Decoded bodies of transfer-encoded message/rfc822 parts, parsed as nested messages. Part::source
  // n refers to nested_sources[n - 1]. unique_ptr keeps each buffer's address stable.
  std::vector<std::unique_ptr<std::string>> nested_sources;
  std::vector<Part> parts;
  std::vector<Anomaly> anomalies;
  std::vector<PartCache> caches;  // one per part; sized once parsing is finished
  std::uint64_t total_decoded = 0;
  bool content_done = false;  // HTML extracted and URLs collected (extract_content)
  std::vector<Url> urls;
  // addresses(): lowercase field name → the joined list; a deque keeps returned references valid.
  std::deque<std::pair<std::string, AddressList>> address_lists;
  // received_chain(), parsed on first call: authentication and the intelligence both read it.
  std::optional<std::vector<ReceivedHop>> received_chain;
  bool embedded_done = false;
  std::vector<EmbeddedFile> embedded;

  // What one more decode may produce: the per-part limit, or less when the per-message total is
  // nearly spent.
  std::uint64_t decode_budget() const {
    const std::uint64_t total_left = total_decoded >= limits.max_total_decoded_bytes
                                         ? 0
                                         : limits.max_total_decoded_bytes - total_decoded;
    return std::min<std::uint64_t>(total_left, limits.max_part_decoded_bytes);
  }

  void add_anomaly(AnomalyKind kind, PartId part, std::uint64_t offset = 0,
                   std::string detail = {}, std::uint64_t observed = 0, std::uint64_t limit = 0) {
    anomalies.push_back(Anomaly{kind, part, offset, observed, limit, std::move(detail), {}});
  }
  // An anomaly whose detail is a word of ours rather than data from the message: said in both
  // languages.
  void add_worded_anomaly(AnomalyKind kind, PartId part, std::uint64_t offset, LocalizedText detail,
                   std::uint64_t observed = 0, std::uint64_t limit = 0) {
    std::string french = french_unless_same(detail);
    anomalies.push_back(Anomaly{kind, part, offset, observed, limit, std::move(detail.en), std::move(french)});
  }
};

}  // namespace vigie

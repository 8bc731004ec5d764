// Retro-hunt: what turns the batch scanner (service/batch) into a search of mail archives for the
// indicators partners shared. Owns the engine configuration of a hunt (intelligence only, or every
// analyzer), the time of delivery of an archived message (for the indicators' validity windows),
// the record of a message that matched (one JSON line of `vigie hunt --output jsonl`) and the
// summary of a run (matches by indicator, by recipient, by day).
//
// It does not read archives (intake/ and parse/mbox/ do), import feeds (intel/indicators/) or
// print (cli/hunt_command.cpp). Thread-safety: the free functions are pure and run on the batch's
// workers; a HuntSummary belongs to the thread that delivers the results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "service/intake/message_source.h"
#include "vigie/config.h"
#include "vigie/engine.h"

namespace vigie::service::hunt {

enum class Analyzers { kIntelligenceOnly, kAll };

// Makes `config` the configuration of a hunt with the indicator store at `store_path`. With
// kIntelligenceOnly every message analyzer but `intelligence` is disabled; the object analyzers
// stay, because they are the extractors that open archives, attached messages, PDFs and the like
// (without them the files inside an attachment would have no hash to match) and find the links in
// documents, except those that only judge (file types, webmail XSS, YARA, ClamAV). Sender authentication
// still runs but does no DNS lookup, since a hunt gives the engine no resolver.
void configure(Config& config, const std::string& store_path, Analyzers analyzers);

// When an archived message was delivered, for the indicators' validity windows: an indicator
// valid at delivery matches even if it has expired since. Its Date header, else the date of its
// mbox "From " line; nullopt (the engine then takes the current time) when neither can be read.
struct DeliveryTime {
  std::int64_t unix_seconds = 0;
  std::string_view source;  // "date-header", "mbox-separator"
};
std::optional<DeliveryTime> delivery_time(const InputMessage& message, std::uint32_t max_header_fields);

// The JSON record of one message (`--output jsonl`): where it was read (file, mbox index and byte
// offset), Message-ID, date, senders, recipients, subject, each INTEL_MATCH sighting (indicator,
// source, what was observed where), and whether the message was cut at the size limit. Null when
// the message matched nothing and was read whole: nothing to report.
nlohmann::json record_of(const ScanResult& result, const InputMessage& origin);

// Counts over the records of a run.
class HuntSummary {
 public:
  void add(const nlohmann::json& record);

  std::size_t messages_matched() const { return messages_matched_; }
  std::size_t messages_cut() const { return cut_.size(); }
  // By indicator ("id (source) type value"), recipient, day of delivery ("YYYY-MM-DD", or
  // "unknown"): number of messages.
  const std::map<std::string, std::size_t>& by_indicator() const { return by_indicator_; }
  const std::map<std::string, std::size_t>& by_recipient() const { return by_recipient_; }
  const std::map<std::string, std::size_t>& by_day() const { return by_day_; }
  // Labels of the messages over the size limit (examined only up to it).
  const std::vector<std::string>& cut_labels() const { return cut_; }

  // The tables, the largest counts first, each cut at `max_rows` with the number left out.
  std::string text(std::size_t max_rows) const;

 private:
  std::size_t messages_matched_ = 0;
  std::map<std::string, std::size_t> by_indicator_, by_recipient_, by_day_;
  std::vector<std::string> cut_;
};

}  // namespace vigie::service::hunt

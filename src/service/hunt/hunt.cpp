// The hunt's configuration, delivery time, records and summary (hunt.h).
#include "service/hunt/hunt.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <memory>
#include <set>
#include <utility>

#include <toml++/toml.h>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "config/section.h"
#include "parse/headers/header_grammar.h"
#include "parse/mbox/mbox_splitter.h"
#include "parse/mime/header_block.h"
#include "verdict/catalog.h"

namespace vigie::service::hunt {
namespace {

constexpr std::string_view kIntelligence = "intelligence";
// Beyond this many days of delivery, the timeline of the summary is by month.
constexpr std::size_t kMaxDayRows = 31;

// The object analyzers that only judge: they push no child object and report no link, so a hunt
// loses no observable without them (and saves the YARA scan of every object). Any other object
// analyzer may extract (archives, PDFs, TNEF...) or find links (Office targets, shortcuts), and
// stays. One that starts extracting or reporting links must leave this list.
constexpr std::array<std::string_view, 4> kJudgeOnlyObjectAnalyzers = {"attachment_type", "webmail_xss", "yara",
                                                                       "clamav"};

// "2026-12-07T17:42:36Z"; the day is its first ten characters.
std::string iso_time(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (::gmtime_r(&t, &tm) == nullptr) return "";
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

void add_addresses(const ParsedMessage& message, std::string_view field, std::vector<std::string>& out) {
  for (const Mailbox& mailbox : message.addresses(field).mailboxes) {
    std::string address = ascii::lowercase(mailbox.address());
    if (!address.empty() && std::find(out.begin(), out.end(), address) == out.end()) out.push_back(std::move(address));
  }
}

// The rows of one table, the largest counts first (then by name), at most max_rows.
std::string table(std::string_view title, const std::map<std::string, std::size_t>& counts, std::size_t max_rows) {
  std::vector<std::pair<std::string, std::size_t>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string text = std::string(title) + "\n";
  for (std::size_t i = 0; i < rows.size() && i < max_rows; ++i) {
    std::string count = std::to_string(rows[i].second);
    text += std::string(count.size() < 7 ? 7 - count.size() : 0, ' ') + count + "  " + rows[i].first + "\n";
  }
  if (rows.size() > max_rows) text += "      … " + std::to_string(rows.size() - max_rows) + " more\n";
  return text;
}

}  // namespace

void configure(Config& config, const std::string& store_path, Analyzers analyzers) {
  auto document = std::make_shared<toml::table>();
  document->insert("store", store_path);
  config.analyzers.sections[std::string(kIntelligence)] =
      config::section_of(document, *document, "analyzers.intelligence", "");
  std::vector<std::string>& disabled = config.analyzers.disabled;
  disabled.erase(std::remove(disabled.begin(), disabled.end(), kIntelligence), disabled.end());
  if (analyzers == Analyzers::kAll) return;
  for (const analyzers::AnalyzerDescriptor* analyzer : analyzers::registry()) {
    if (analyzer->name != kIntelligence) disabled.emplace_back(analyzer->name);
  }
  for (const analyzers::ObjectAnalyzerDescriptor* analyzer : analyzers::object_registry()) {
    if (std::find(kJudgeOnlyObjectAnalyzers.begin(), kJudgeOnlyObjectAnalyzers.end(), analyzer->name) !=
        kJudgeOnlyObjectAnalyzers.end()) {
      disabled.emplace_back(analyzer->name);
    }
  }
}

std::optional<DeliveryTime> delivery_time(const InputMessage& message, std::uint32_t max_header_fields) {
  const parse::HeaderSplit header = parse::split_header(*message.bytes, 0, max_header_fields);
  for (const HeaderField& field : header.fields) {
    if (!parse::iequals(field.name, "Date")) continue;
    if (const std::optional<DateTime> date = parse::parse_date(field.value)) {
      return DeliveryTime{date->unix_seconds, "date-header"};
    }
    break;
  }
  if (const std::optional<std::int64_t> time = parse::separator_time(message.mbox_separator)) {
    return DeliveryTime{*time, "mbox-separator"};
  }
  return std::nullopt;
}

nlohmann::json record_of(const ScanResult& result, const InputMessage& origin) {
  nlohmann::json sightings = nlohmann::json::array();
  for (const Finding& finding : result.findings) {
    if (finding.id != verdict::catalog_entry(verdict::FindingId::INTEL_MATCH).name) continue;
    for (const IndicatorSighting& s : finding.sightings) {
      nlohmann::json links = nlohmann::json::array();
      for (const IntelligenceLink& link : s.links) {
        nlohmann::json l{{"kind", link.kind}, {"name", link.name}};
        if (!link.stix_id.empty()) l["stix_id"] = link.stix_id;
        links.push_back(std::move(l));
      }
      nlohmann::json sighting{{"indicator", s.indicator_id}, {"source", s.source},   {"type", s.observable_type},
                              {"observed", s.observed},      {"matched", s.matched}, {"how", s.how},
                              {"where", result.objects.path(s.object)},              {"field", s.field},
                              {"indicates", std::move(links)}};
      if (!s.name.empty()) sighting["name"] = s.name;
      if (s.confidence >= 0) sighting["confidence"] = s.confidence;
      if (!s.tlp.empty()) sighting["tlp"] = s.tlp;
      sightings.push_back(std::move(sighting));
    }
  }
  const bool cut = origin.cut();
  if (sightings.empty() && !cut) return nullptr;

  const ParsedMessage& message = *result.message;
  nlohmann::json record;
  if (origin.mbox_position != 0) {
    const std::string suffix = ":" + std::to_string(origin.mbox_position);
    record["file"] = origin.label.substr(0, origin.label.size() - std::min(origin.label.size(), suffix.size()));
    record["mbox_index"] = origin.mbox_position;
    record["mbox_offset"] = origin.mbox_offset;
  } else {
    record["file"] = origin.label;
  }
  record["message_id"] = message.message_id();
  if (const std::optional<DateTime> date = message.date()) {
    record["date"] = iso_time(date->unix_seconds);
  } else if (const std::optional<std::int64_t> time = parse::separator_time(origin.mbox_separator)) {
    record["date"] = iso_time(*time);
  } else {
    record["date"] = nullptr;
  }
  std::vector<std::string> from, recipients;
  add_addresses(message, "From", from);
  // Archives have no envelope: the recipients are those the header names, and those a delivery
  // agent recorded (Delivered-To, X-Original-To), which Bcc'd mailboxes only show there.
  for (std::string_view field : {"To", "Cc", "Bcc", "Delivered-To", "X-Original-To"}) {
    add_addresses(message, field, recipients);
  }
  record["from"] = from;
  record["recipients"] = recipients;
  record["subject"] = message.subject();
  record["sightings"] = std::move(sightings);
  if (cut) {
    record["cut"] = true;
    record["size"] = origin.size;
    record["examined_bytes"] = origin.bytes->size() - 1;
  }
  return record;
}

void HuntSummary::add(const nlohmann::json& record) {
  const auto label = [&] {
    std::string text = record.value("file", "");
    if (record.contains("mbox_index")) text += ":" + std::to_string(record["mbox_index"].get<std::size_t>());
    return text;
  };
  if (record.value("cut", false)) cut_.push_back(label());
  const nlohmann::json& sightings = record["sightings"];
  if (sightings.empty()) return;
  ++messages_matched_;
  std::set<std::string> indicators;
  for (const nlohmann::json& s : sightings) {
    indicators.insert(s.value("indicator", "") + " (" + s.value("source", "") + ") " + s.value("type", "") + " " +
                      s.value("matched", ""));
  }
  for (const std::string& indicator : indicators) ++by_indicator_[indicator];
  for (const nlohmann::json& recipient : record["recipients"]) ++by_recipient_[recipient.get<std::string>()];
  if (record["recipients"].empty()) ++by_recipient_["(no recipient named)"];
  const nlohmann::json& date = record["date"];
  ++by_day_[date.is_string() ? date.get<std::string>().substr(0, 10) : "unknown"];
}

std::string HuntSummary::text(std::size_t max_rows) const {
  if (messages_matched_ == 0) return "No message matched the indicators.\n";
  std::string text = std::to_string(messages_matched_) + (messages_matched_ == 1 ? " message" : " messages") +
                     " matched " + std::to_string(by_indicator_.size()) +
                     (by_indicator_.size() == 1 ? " indicator" : " indicators") + ".\n\n";
  text += table("Messages by indicator:", by_indicator_, max_rows) + "\n";
  text += table("Messages by recipient:", by_recipient_, max_rows) + "\n";
  // Days in order of time, not of count: a campaign reads as a timeline. Over a month of days,
  // months, so that the timeline stays readable.
  std::map<std::string, std::size_t> by_month;
  for (const auto& [day, count] : by_day_) by_month[day.substr(0, 7)] += count;
  const bool monthly = by_day_.size() > kMaxDayRows;
  text += monthly ? "Messages by month of delivery (UTC):\n" : "Messages by day of delivery (UTC):\n";
  for (const auto& [when, count] : monthly ? by_month : by_day_) {
    const std::string n = std::to_string(count);
    text += std::string(n.size() < 7 ? 7 - n.size() : 0, ' ') + n + "  " + when + "\n";
  }
  return text;
}

}  // namespace vigie::service::hunt

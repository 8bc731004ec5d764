// intelligence: every observable of the message and of its objects at any depth, matched against
// the indicators partners shared (the indicator store, `[analyzers.intelligence] store`, filled by
// `vigie intel import`). Observables (intel/indicators/message_observables.h, shared with the
// exports): the addresses and domains of every sender identity (From,
// Sender, Reply-To, Return-Path, the envelope sender), the client and every Received hop's IP,
// every link (URL and host), every file's hashes and name, the subject. Indicators that are values
// are looked up in the index; STIX patterns that say more (LIKE, MATCHES, two properties of one
// object) are evaluated on the message seen as one STIX observation. One INTEL_MATCH finding per
// message, its evidence one line per match (indicator id, source, confidence, TLP, what it
// indicates) and its sightings the same matches as data; its confidence the best matching
// indicator's. Owns the index and the parsed
// patterns built at prepare().
#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "config/section.h"
#include "intel/indicators/indicator_index.h"
#include "intel/indicators/indicator_store.h"
#include "intel/indicators/message_observables.h"
#include "intel/stix/pattern.h"

namespace vigie::analyzers::intelligence {
namespace {

using intel::IndicatorMatch;
using intel::MessageObservable;
using intel::ObservableType;
using verdict::FindingId;

// Matches written as evidence; the finding says how many there were in all.
constexpr std::size_t kMaxEvidence = 12;
// Matches carried as structured sightings (for attribution and the exports): every one a real
// message shows, bounded against a message built to match a whole feed.
constexpr std::size_t kMaxSightings = 256;
// The confidence of an indicator whose producer gave none.
constexpr double kUnstatedConfidence = 0.8;

struct PatternIndicator {
  std::uint32_t indicator;
  intel::stix::Pattern pattern;
};

class IntelligenceState final : public AnalyzerState {
 public:
  explicit IntelligenceState(intel::IndicatorIndex index) : index_(std::move(index)) {
    // Patterns were checked at import; one that no longer parses (a store written by another
    // version) is left out rather than failing every scan.
    for (const std::uint32_t i : index_.pattern_only()) {
      auto parsed = intel::stix::Pattern::parse(std::string(index_.indicator(i).pattern));
      if (parsed && parsed->unsupported_construct().empty()) patterns_.push_back({i, std::move(*parsed)});
    }
  }
  const intel::IndicatorIndex& index() const { return index_; }
  const std::vector<PatternIndicator>& patterns() const { return patterns_; }

 private:
  intel::IndicatorIndex index_;
  std::vector<PatternIndicator> patterns_;
};

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  std::string path;
  setup.settings.path("store", path);
  if (path.empty()) return std::make_shared<const IntelligenceState>(intel::IndicatorIndex{});
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail(Error::config("[analyzers.intelligence] store: no indicator store at '" + path +
                              "' (create it with `vigie intel import`)"));
  }
  Result<std::unique_ptr<intel::IndicatorStore>> store = intel::IndicatorStore::open(path);
  if (!store) return fail(store.error());
  intel::IndicatorIndex::Builder builder;
  if (auto read = (*store)->for_each(intel::IndicatorStore::Fields::kMatching,
                                     [&](const intel::Indicator& indicator) { builder.add(indicator); });
      !read) {
    return fail(read.error());
  }
  Result<intel::IndicatorIndex> index = std::move(builder).build();
  if (!index) return fail(index.error());
  return std::make_shared<const IntelligenceState>(std::move(*index));
}

// The message as one STIX observation, for the patterns the index cannot answer: the
// email-message with its subject, sender and attachments, and one object per domain, URL,
// address, IP and file seen.
intel::stix::Observation observation_of(const std::vector<MessageObservable>& seen, const ParsedMessage& message,
                                        const ScanContext& context) {
  intel::stix::Observation observation;
  intel::stix::ObservedObject& email = observation.add_object("email-message");
  email.add("subject", message.subject());
  for (const facts::Identity& identity : context.facts.identities()) {
    if (identity.field == facts::IdentityField::kFrom) email.add("from_ref.value", identity.address);
    if (identity.field == facts::IdentityField::kSender) email.add("sender_ref.value", identity.address);
  }
  for (const MessageObservable& o : seen) {
    switch (o.type) {
      case ObservableType::kDomain: observation.add_object("domain-name").add("value", o.value); break;
      case ObservableType::kUrl: observation.add_object("url").add("value", o.value); break;
      case ObservableType::kIpv4: observation.add_object("ipv4-addr").add("value", o.value); break;
      case ObservableType::kIpv6: observation.add_object("ipv6-addr").add("value", o.value); break;
      case ObservableType::kEmailAddress: observation.add_object("email-addr").add("value", o.value); break;
      default: break;
    }
  }
  for (const Object& object : context.objects) {
    if (!object.is_file()) continue;
    const PartHashes& hashes = object.hashes();
    intel::stix::ObservedObject& file = observation.add_object("file");
    file.add("name", object.filename);
    file.add("size", static_cast<double>(object.size()));
    file.add("hashes.MD5", hashes.md5);
    file.add("hashes.SHA-1", hashes.sha1);
    file.add("hashes.SHA-256", hashes.sha256);
    if (object.depth == 1) {
      email.add("body_multipart[*].body_raw_ref.name", object.filename);
      email.add("body_multipart[*].body_raw_ref.hashes.SHA-256", hashes.sha256);
    }
  }
  return observation;
}

double confidence_of(const intel::IndicatorView& indicator) {
  return indicator.confidence < 0 ? kUnstatedConfidence : std::max(0.05, indicator.confidence / 100.0);
}

LocalizedText describe(const IndicatorMatch& match, const intel::IndicatorView& indicator) {
  std::string en, fr;
  if (!match.type) {
    en = "the message satisfies the STIX pattern " + match.matched + " of indicator " + std::string(indicator.id);
    fr = "le message satisfait le motif STIX " + match.matched + " de l'indicateur " + std::string(indicator.id);
  } else {
    std::string seen = std::string(intel::observable_type_name(*match.type)) + " " + match.observed;
    if (match.how != "exact") seen += " (" + std::string(match.how) + " " + match.matched + ")";
    en = seen + " matches indicator " + std::string(indicator.id);
    fr = seen + " correspond à l'indicateur " + std::string(indicator.id);
  }
  if (!indicator.name.empty()) {
    en.append(" \"").append(indicator.name).append("\"");
    fr.append(" « ").append(indicator.name).append(" »");
  }
  if (!indicator.source.empty()) {
    en.append(" from ").append(indicator.source);
    fr.append(" de ").append(indicator.source);
  }
  en += indicator.confidence < 0 ? ", confidence not stated" : ", confidence " + std::to_string(indicator.confidence);
  fr += indicator.confidence < 0 ? ", confiance non indiquée" : ", confiance " + std::to_string(indicator.confidence);
  if (indicator.tlp != intel::Tlp::kUnknown) {
    en += ", " + std::string(intel::tlp_name(indicator.tlp));
    fr += ", " + std::string(intel::tlp_name(indicator.tlp));
  }
  for (const intel::IntelLink& link : indicator.links) {
    en += "; indicates " + link.kind + " " + link.name;
    fr += " ; désigne " + link.kind + " " + link.name;
  }
  return {std::move(en), std::move(fr)};
}

IndicatorSighting sighting_of(const IndicatorMatch& match, const intel::IndicatorView& indicator, ObjectId object,
                              const std::string& field) {
  IndicatorSighting s;
  s.indicator_id = indicator.id;
  s.source = indicator.source;
  s.name = indicator.name;
  s.observable_type = match.type ? intel::observable_type_name(*match.type) : "pattern";
  s.observed = match.observed;
  s.matched = match.matched;
  s.how = match.how;
  s.object = object;
  s.field = field;
  s.confidence = indicator.confidence;
  s.tlp = intel::tlp_name(indicator.tlp);
  s.links.assign(indicator.links.begin(), indicator.links.end());
  return s;
}

void analyze(const ParsedMessage& message, const ScanContext& context, const AnalyzerState* state,
             FindingSink& sink) {
  const IntelligenceState& intelligence = static_cast<const IntelligenceState&>(*state);
  const intel::IndicatorIndex& index = intelligence.index();
  if (index.size() == 0) return;
  const std::int64_t now =
      context.envelope.received_at != 0
          ? context.envelope.received_at
          : std::chrono::duration_cast<std::chrono::seconds>(context.services.clock->now().time_since_epoch()).count();
  std::vector<Evidence> evidence;
  std::vector<IndicatorSighting> sightings;
  std::set<std::pair<std::uint32_t, std::string>> seen;  // one match per indicator and observed value
  std::size_t matches_total = 0;
  double confidence = 0;
  std::vector<IndicatorMatch> matches;
  const std::vector<MessageObservable> seen_observables = intel::message_observables(
      context.facts, context.objects,
      index.holds_md5_or_sha1() ? intel::FileDigests::kAll : intel::FileDigests::kSha256);
  const auto record = [&](const IndicatorMatch& match, ObjectId object, const std::string& field) {
    const intel::IndicatorView indicator = index.indicator(match.indicator);
    ++matches_total;
    confidence = std::max(confidence, confidence_of(indicator));
    if (evidence.size() < kMaxEvidence) evidence.emplace_back(object, field, describe(match, indicator));
    if (sightings.size() < kMaxSightings) sightings.push_back(sighting_of(match, indicator, object, field));
  };
  if (!intelligence.patterns().empty()) {
    const intel::stix::Observation observation = observation_of(seen_observables, message, context);
    for (const PatternIndicator& p : intelligence.patterns()) {
      if (!index.valid_at(p.indicator, now)) continue;
      if (intel::stix::evaluate(p.pattern, observation).truth != intel::stix::Truth::kTrue) continue;
      record({p.indicator, std::nullopt, "the message", std::string(index.indicator(p.indicator).pattern), "pattern"},
             kMessageObject, "stix-pattern");
    }
  }
  for (const MessageObservable& observable : seen_observables) {
    matches.clear();
    index.match(observable.type, observable.value, now, matches);
    for (const IndicatorMatch& match : matches) {
      if (!seen.emplace(match.indicator, match.observed).second) continue;
      record(match, observable.object, observable.field);
    }
  }
  if (evidence.empty()) return;
  if (matches_total > evidence.size()) {
    evidence.emplace_back(kMessageObject, "matches",
                          LocalizedText{std::to_string(matches_total) + " matches in all",
                                        std::to_string(matches_total) + " correspondances en tout"});
  }
  sink.emit(FindingId::INTEL_MATCH, std::move(evidence), confidence).sightings = std::move(sightings);
}

constexpr std::array kEmits = {FindingId::INTEL_MATCH};

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "intelligence",
      "Senders, servers, links, files and subject matched against the indicators partners shared "
      "(STIX, MISP, lists imported with vigie intel)",
      kEmits,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::intelligence

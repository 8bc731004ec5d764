// The analyzer contract. An analyzer reads the parsed message and the scan context (envelope,
// authentication results, the message facts) and emits findings into a sink; it never sees
// another analyzer's state or findings, so analyzers can be added, removed or reordered freely.
// One descriptor serves every scan on every thread, so an analyzer keeps no per-scan state: what
// it needs beyond the message (compiled lists, indexes of the organisation profile) it builds once
// in prepare() from its AnalyzerSetup, and analyze() only reads it. A prepare() error (an
// unreadable or invalid list) stops the engine from starting: a broken list never silently
// disables a detector.
//
// Adding an analyzer: create src/analyzers/<name>/ with <name>.cpp defining
// vigie::analyzers::<name>::descriptor(), add its findings to src/verdict/catalog.def, and add one
// VIGIE_ANALYZER(<name>) line to src/analyzers/registry.def. See src/analyzers/parse_anomalies.
#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "facts/message_facts.h"
#include "facts/organisation_profile.h"
#include "verdict/catalog.h"
#include "vigie/config.h"
#include "vigie/engine.h"
#include "vigie/result.h"
#include "vigie/services.h"
#include "vigie/finding.h"
#include "vigie/message.h"
#include "vigie/object.h"

namespace vigie {
namespace config {
class SectionReader;
}
namespace intel {
class SharedLists;
}
}  // namespace vigie

namespace vigie::analyzers {

// When the analysis of one message must end: [limits] max_analysis_ms after authentication, read
// on the injected clock. The engine checks it between analyzers and between objects, and an
// analyzer with a long loop may check it too; what it stops is reported as a LimitCrossing, so a
// pathological message costs bounded time and its verdict says it was not fully examined.
struct Deadline {
  const Clock* clock = nullptr;  // nullptr: no deadline
  std::chrono::steady_clock::time_point at = std::chrono::steady_clock::time_point::max();
  bool passed() const { return clock != nullptr && clock->steady_now() > at; }
};

// Read-only inputs every analyzer gets besides the message, for one scan.
struct ScanContext {
  const Envelope& envelope;
  const AuthResults& auth;
  const facts::MessageFacts& facts;
  const ObjectTree& objects;  // evidence names objects: objects.of_part(url.part)
  const Limits& limits;
  const Services& services;
  Deadline deadline;
};

// What prepare() builds an analyzer's state from, once per engine.
struct AnalyzerSetup {
  const Config& config;                       // limits, data_dir
  // The analyzer's own [analyzers.<name>] section: it asks for its keys (config/section.h), and
  // the engine reports every key it did not ask for as unknown, at its line and column.
  config::SectionReader& settings;
  const facts::OrganisationProfile& profile;
  const Services& services;
  intel::SharedLists& lists;                  // lists several analyzers read, loaded once
};

// Where an analyzer's output goes: findings, and the limits that kept it from examining part of
// the message (which the engine turns into ANALYSIS_INCOMPLETE and an incomplete verdict).
class FindingSink {
 public:
  FindingSink(std::vector<Finding>& findings, std::vector<LimitCrossing>& crossings, std::string_view stage)
      : findings_(findings), crossings_(crossings), stage_(stage) {}
  // confidence in 0..1 (clamped): how sure the analyzer is that this finding is what it says.
  // Returns the finding for the analyzer to attach structured data (sightings) to; the reference
  // holds until the next emit.
  Finding& emit(verdict::FindingId id, std::vector<Evidence> evidence, double confidence = 1) {
    Finding f = verdict::make_finding(id, std::move(evidence));
    f.confidence = confidence < 0 ? 0 : confidence > 1 ? 1 : confidence;
    return findings_.emplace_back(std::move(f));
  }
  // A rule engine's match (verdict::is_rule_finding): the rule's own score, group, techniques and
  // description over the catalog's defaults, within the catalog's bounds (make_rule_finding).
  void emit_rule_match(verdict::FindingId id, const verdict::RuleMetadata& rule, std::vector<Evidence> evidence) {
    findings_.push_back(verdict::make_rule_finding(id, rule, std::move(evidence)));
  }
  // `limit` is the [limits] key; `not_examined` says, for the analyst, what was left out.
  void limit_reached(std::string_view limit, std::uint64_t observed, std::uint64_t allowed,
                     std::string not_examined, ObjectId object = kMessageObject) {
    crossings_.push_back(LimitCrossing{std::string(limit), std::string(stage_), observed, allowed, object,
                                       std::move(not_examined), {}});
  }
  // The same, said in English and French.
  void limit_reached(std::string_view limit, std::uint64_t observed, std::uint64_t allowed,
                     LocalizedText not_examined, ObjectId object = kMessageObject) {
    crossings_.push_back(LimitCrossing{std::string(limit), std::string(stage_), observed, allowed, object,
                                       std::move(not_examined.en), std::move(not_examined.fr)});
  }

 private:
  std::vector<Finding>& findings_;
  std::vector<LimitCrossing>& crossings_;
  std::string_view stage_;
};

// The immutable per-engine state of an analyzer; each analyzer derives its own.
class AnalyzerState {
 public:
  virtual ~AnalyzerState() = default;

 protected:
  AnalyzerState() = default;
  AnalyzerState(const AnalyzerState&) = default;
  AnalyzerState& operator=(const AnalyzerState&) = default;
};

struct AnalyzerDescriptor {
  std::string_view name;
  std::string_view description;
  std::span<const verdict::FindingId> emits;  // every id analyze() may emit
  // Builds the state analyze() reads; nullptr for an analyzer that needs none. Errors name the
  // file, line and entry at fault.
  Result<std::shared_ptr<const AnalyzerState>> (*prepare)(const AnalyzerSetup& setup);
  // `state` is what prepare() returned (nullptr without prepare()).
  void (*analyze)(const ParsedMessage& message, const ScanContext& context,
                  const AnalyzerState* state, FindingSink& sink);
};

// Every compiled-in analyzer, in registry.def order.
std::span<const AnalyzerDescriptor* const> registry();

// ---- Object analyzers ----------------------------------------------------------------------
// An object analyzer looks at one object of the tree (an attachment, a file found inside one)
// whose type its predicate accepts; an extractor is an object analyzer that pushes the files it
// finds inside as child objects, which go through the same queue. Registered in
// object_registry.def; configured, enabled and weighted like the message analyzers.

// What an object analyzer may do besides emitting findings. Children go through the limits of
// the object queue ([limits] max_object_depth, max_extracted_objects, max_extracted_bytes,
// max_expansion_ratio); a child a limit refuses is recorded as not examined.
class ObjectContext {
 public:
  virtual ~ObjectContext() = default;
  virtual const ParsedMessage& message() const = 0;
  virtual const ObjectTree& objects() const = 0;
  // Adds a file found inside `parent`; kNoObject when a limit refused it.
  virtual ObjectId push_child(const Object& parent, Object child, std::shared_ptr<const std::string> content) = 0;
  // What push_child still accepts under [limits] max_extracted_objects and max_extracted_bytes. An
  // extractor that decompresses reads no more than this: push_child's refusal comes after the
  // bytes were produced, and a bomb must not be produced first.
  struct ExtractionBudget {
    std::uint64_t objects = 0;
    std::uint64_t bytes = 0;
  };
  virtual ExtractionBudget extraction_budget() const = 0;
  // A child the extractor did not produce because it would cross one of these limits (a member
  // whose declared or decompressed size passes the budget or the expansion ratio): recorded with
  // push_child's own refusals, one line per limit for the whole message, so that a bomb of a
  // thousand nested archives reads as one crossing. `size` is the child's size, at least.
  enum class ExtractionLimit { kDepth, kObjects, kBytes, kExpansion };
  virtual void refuse_child(const Object& parent, ExtractionLimit limit, std::uint64_t size) = 0;
  // Sets ObjectFlag bits on an object of the tree (an archive that no password opens is
  // kObjectEncrypted), so the output shows them.
  virtual void add_flags(const Object& object, std::uint32_t flags) = 0;
  // A link read inside `found_in`: it joins the message's followable links, and findings about it
  // point at that object.
  virtual void add_url(const Object& found_in, Url url) = 0;
  // Says, for the analyst, what went wrong reading `object` (Object::notes): a file that is not
  // what its type claims, a structure read only in part.
  virtual void add_note(const Object& object, std::string note) = 0;
  // When this message's analysis must end ([limits] max_analysis_ms): a scanner with its own
  // timeout (YARA, ClamAV) derives it from here. No deadline by default.
  virtual Deadline deadline() const { return {}; }
};

// The markup of an object for the analyzers that read it as written (a sanitizer evasion or a
// smuggled payload lives in the source, not in a parsed tree): a MIME text part in its charset,
// any other object as its bytes; cut at [limits] max_html_bytes, the rest reported as
// `not_examined`.
std::string_view markup_of(const Object& object, ObjectContext& context, FindingSink& sink,
                           LocalizedText not_examined);

struct ObjectAnalyzerDescriptor {
  std::string_view name;
  std::string_view description;
  std::span<const verdict::FindingId> emits;  // every id analyze() may emit (may be empty)
  bool (*accepts)(const Object& object);      // the objects it looks at, by type and origin
  // nullptr for an object analyzer that needs no state.
  Result<std::shared_ptr<const AnalyzerState>> (*prepare)(const AnalyzerSetup& setup);
  void (*analyze)(const Object& object, ObjectContext& context, const AnalyzerState* state,
                  FindingSink& sink);
};

// Every compiled-in object analyzer, in object_registry.def order.
std::span<const ObjectAnalyzerDescriptor* const> object_registry();

// ---- Running them -------------------------------------------------------------------------

// How the engine weighs one analyzer's findings.
struct Weighing {
  double weight = 1;                          // [analyzers] weights
  const AnalyzerConfig* config = nullptr;     // [analyzers] scores
};

// Run one analyzer and append its findings to `out`, each named after the analyzer, with the
// configured score override ([analyzers] scores) multiplied by the analyzer's weight and the
// finding's confidence. An analyzer that throws is a bug in that analyzer: it becomes an
// ANALYZER_ERROR finding naming it, and the scan goes on.
void run_analyzer(const AnalyzerDescriptor& analyzer, const AnalyzerState* state, const Weighing& weighing,
                  const ParsedMessage& message, const ScanContext& context, std::vector<Finding>& out,
                  std::vector<LimitCrossing>& crossings);
void run_object_analyzer(const ObjectAnalyzerDescriptor& analyzer, const AnalyzerState* state,
                         const Weighing& weighing, const Object& object, ObjectContext& context,
                         std::vector<Finding>& out, std::vector<LimitCrossing>& crossings);

}  // namespace vigie::analyzers

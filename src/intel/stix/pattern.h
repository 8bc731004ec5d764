// The STIX 2.1 patterning language (STIX 2.1 §9; grammar in the OASIS STIXPattern.g4): a
// hand-written recursive-descent parser into an immutable AST, an evaluator of one pattern
// against one observation (one message: the STIX cyber-observable objects vigie sees in it), and
// the extraction of the plain equality values a matcher can index without evaluating.
//
// Every construct of the grammar parses. Evaluation covers what applies to a single message;
// FOLLOWEDBY, WITHIN, REPEATS and START/STOP need a sequence of observations in time, so a
// pattern using them evaluates to `Truth::kUnsupported` naming the construct, never to a silent
// true or false. Parsing is bounded (pattern bytes, nesting depth, set size, comparisons, RE2
// program memory): crossing a bound is a parse error that says which bound, never a crash.
//
// A parsed Pattern is immutable and may be evaluated from several threads at once (RE2 objects
// are thread-safe for matching). It owns everything it refers to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intel/indicators/indicator.h"
#include "vigie/result.h"

namespace re2 {
class RE2;
}

namespace vigie::intel::stix {

struct PatternLimits {
  std::size_t max_pattern_bytes = 64 * 1024;  // a pattern longer than this is refused unread
  std::size_t max_depth = 64;                 // nesting of parentheses and brackets
  std::size_t max_set_size = 4096;            // members of one IN (...) set
  std::size_t max_comparisons = 4096;         // property tests in one pattern
  std::size_t max_path_steps = 32;            // steps of one object path
  std::int64_t max_regex_memory = 1 << 20;    // RE2 max_mem of one MATCHES, bytes
  std::size_t max_regexes = 32;               // MATCHES in one pattern: bounds its total memory
};

// --- AST -------------------------------------------------------------------------------------

enum class LiteralKind : std::uint8_t { kString, kInteger, kFloat, kBool, kTimestamp, kHex, kBinary };

struct Literal {
  LiteralKind kind = LiteralKind::kString;
  // kString: the unescaped text; kTimestamp: the RFC 3339 text between the quotes; kHex and
  // kBinary: the decoded bytes; kBool: "true" or "false"; numbers: their text as written.
  std::string text;
  double number = 0;  // kInteger and kFloat
};

struct PathStep {
  enum class Kind : std::uint8_t { kKey, kIndex, kAnyIndex };
  Kind kind = Kind::kKey;
  std::string key;         // kKey, unquoted
  std::int64_t index = 0;  // kIndex; negative counts from the end
};

struct ObjectPath {
  std::string object_type;  // "email-message"
  std::vector<PathStep> steps;
  // The property as an Observation names it: keys joined by '.', every list index written [*],
  // hash algorithm names normalised ("body_multipart[*].body_raw_ref.hashes.SHA-256").
  std::string property;
  std::string text() const;  // "email-message:" + property
};

enum class ComparisonOperator : std::uint8_t {
  kEqual,
  kNotEqual,
  kLess,
  kLessOrEqual,
  kGreater,
  kGreaterOrEqual,
  kIn,
  kLike,
  kMatches,
  kIsSubset,
  kIsSuperset,
  kExists,
};
std::string_view comparison_operator_name(ComparisonOperator op);  // "=", "IN", "MATCHES"...

// One property test: `path [NOT] op literal`, or `[NOT] EXISTS path`.
struct PropertyTest {
  ObjectPath path;
  ComparisonOperator op = ComparisonOperator::kEqual;
  bool negated = false;
  std::vector<Literal> values;           // one; the set members for IN; none for EXISTS
  std::shared_ptr<const re2::RE2> regex;  // compiled once for MATCHES
};

// The inside of [ ... ]: property tests joined by AND and OR.
struct ComparisonExpression {
  enum class Kind : std::uint8_t { kTest, kAnd, kOr };
  Kind kind = Kind::kTest;
  std::size_t test = 0;  // kTest: index into Pattern::tests()
  std::vector<ComparisonExpression> operands;
};

struct Qualifier {
  enum class Kind : std::uint8_t { kWithin, kRepeats, kStartStop };
  Kind kind = Kind::kWithin;
  double seconds = 0;         // kWithin
  std::int64_t times = 0;     // kRepeats
  std::string start, stop;    // kStartStop, RFC 3339
};

struct ObservationExpression {
  enum class Kind : std::uint8_t { kComparison, kAnd, kOr, kFollowedBy };
  Kind kind = Kind::kComparison;
  ComparisonExpression comparison;  // kComparison
  std::vector<ObservationExpression> operands;
  std::vector<Qualifier> qualifiers;  // in the order written, applied to this expression
};

struct ParseError {
  std::size_t offset = 0;  // byte offset into the pattern
  std::string message;     // "expected ']' after the comparison expression, found 'OR'"
  std::string text() const;  // "at 17: expected ..."
};

class Pattern {
 public:
  // Parses `text` within `limits`. The error names the byte offset and what was expected.
  [[nodiscard]] static tl::expected<Pattern, ParseError> parse(std::string_view text,
                                                               const PatternLimits& limits = {});

  const std::string& text() const { return text_; }
  const ObservationExpression& root() const { return root_; }
  const std::vector<PropertyTest>& tests() const { return tests_; }
  // The first construct a single-message evaluation cannot decide ("FOLLOWEDBY", "WITHIN",
  // "REPEATS", "START/STOP", "two list indexes in one path"); empty when there is none.
  const std::string& unsupported_construct() const { return unsupported_; }
  // The object types the pattern tests, sorted, once each.
  std::vector<std::string> object_types() const;

 private:
  friend class PatternParser;
  std::string text_;
  ObservationExpression root_;
  std::vector<PropertyTest> tests_;
  std::string unsupported_;
};

// --- Observation -------------------------------------------------------------------------------

struct ObservedValue {
  std::string text;
  std::optional<double> number;  // when the property is numeric (file:size, ...)
};

// One STIX cyber-observable object of the message: its properties by path, as
// ObjectPath::property spells them; a list property has one value per element, in order.
class ObservedObject {
 public:
  // `property` is normalised like ObjectPath::property ("hashes.'SHA256'" → "hashes.SHA-256").
  ObservedObject& add(std::string_view property, std::string value);
  ObservedObject& add(std::string_view property, double number);
  const std::vector<ObservedValue>* find(std::string_view property) const;

 private:
  std::map<std::string, std::vector<ObservedValue>, std::less<>> properties_;
};

// One observation: everything one message shows, by STIX object type ("email-message",
// "domain-name", "url", "ipv4-addr", "ipv6-addr", "email-addr", "file").
class Observation {
 public:
  ObservedObject& add_object(std::string_view object_type);
  const std::vector<ObservedObject>* objects(std::string_view object_type) const;

 private:
  std::map<std::string, std::vector<ObservedObject>, std::less<>> objects_;
};

// Normalises a property path the way ObjectPath::property is written; the text is a STIX object
// path without the type ("hashes.'SHA-256'", "body_multipart[0].body_raw_ref.name").
std::string normalize_property(std::string_view property);

// --- Evaluation --------------------------------------------------------------------------------

enum class Truth : std::uint8_t { kFalse, kTrue, kUnsupported };

struct Evaluation {
  Truth truth = Truth::kFalse;
  std::string unsupported;  // with kUnsupported: the construct ("FOLLOWEDBY")
};

// STIX 2.1 §9.5: all the tests of one [comparison expression] joined by AND hold on ONE object;
// observation expressions joined by AND/OR combine as booleans over the single observation. A
// test on a property the object lacks is false, negated or not (only NOT EXISTS is true there).
// [*] holds when any element does. Hash values compare case-insensitively.
Evaluation evaluate(const Pattern& pattern, const Observation& observation);

// --- Equality extraction -----------------------------------------------------------------------

struct EqualityValues {
  std::vector<IndicatorValue> values;
  // True when the pattern says nothing but "one of `values` is present": only = and IN (and
  // ISSUBSET on addresses) on indexable paths, joined by OR at both levels. Otherwise the
  // pattern must be evaluated, and `values` is empty.
  bool complete = false;
};

// The indexable paths: domain-name:value, url:value, ipv4-addr:value, ipv6-addr:value,
// email-addr:value, email-message:from_ref.value / sender_ref.value, email-message:subject,
// file:name, file:hashes.MD5/SHA-1/SHA-256/SHA-512, and the same name and hashes under
// email-message:body_multipart[*].body_raw_ref. Hash values are lowercased.
EqualityValues extract_equality_values(const Pattern& pattern);

// --- Timestamps --------------------------------------------------------------------------------

struct Timestamp {
  std::int64_t seconds = 0;  // unix time
  int nanoseconds = 0;
};

// RFC 3339 §5.6 date-time ("2026-12-07T14:00:00.5Z", "...+02:00"); nullopt when it is not one.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

}  // namespace vigie::intel::stix

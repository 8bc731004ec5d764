// The in-memory index of indicators the intelligence analyzer matches every message against. Built
// once per engine (a reload builds the next beside it) from the indicators of the store, it owns
// the match semantics:
//   domains       exact, and every parent: an indicator "evil.example" matches
//                 "login.mail.evil.example" (never the other way round)
//   URLs          exact after normalisation, and by prefix at a path boundary: "https://x.example/
//                 kit/" matches "https://x.example/kit/login.php?u=1"
//   IPs           addresses and CIDR networks, IPv4 and IPv6 (an IPv4-mapped IPv6 address is
//                 IPv4)
//   hashes        MD5, SHA-1, SHA-256, SHA-512, case-insensitive
//   addresses     email addresses, case-insensitive
//   file names    case-insensitive
//   subjects      exact after whitespace folding and case folding (ASCII)
// Revoked indicators are left out when the index is built; validity windows are checked at match
// time against the message's time. Lookups are probes of one open-addressing table: one per label
// of a domain, one per path boundary of a URL, one per CIDR prefix length present. The index is
// immutable and shared by every scan thread.
//
// Memory is what a million indicators make it: every string in one arena (sources, names and link
// sets stored once however many indicators share them), a fixed-size record per indicator keeping
// only what a match reports (the description, labels and values stay in the store), and flat
// arrays for the table and its postings; no node or string allocation per value.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "intel/indicators/indicator.h"
#include "vigie/result.h"

namespace vigie::intel {

struct IndicatorMatch {
  std::uint32_t indicator = 0;  // IndicatorIndex::indicator(i)
  // None when the message as a whole satisfied the indicator's STIX pattern (the matcher's
  // evaluation of pattern_only() indicators): `matched` is then the pattern.
  std::optional<ObservableType> type;
  std::string observed;  // what the message showed
  std::string matched;   // the indicator's value it matched
  // How: "exact", "parent domain", "URL prefix", "in network", "pattern".
  std::string_view how;
};

// What the index keeps of an indicator: what a match reports. Views into the index.
struct IndicatorView {
  std::string_view id;
  std::string_view source;
  std::string_view name;
  std::string_view pattern;  // kept only for the pattern_only() indicators
  std::int64_t valid_from = 0;
  std::int64_t valid_until = 0;
  int confidence = -1;
  Tlp tlp = Tlp::kUnknown;
  std::span<const IntelLink> links;
};

class IndicatorIndex {
 public:
  class Builder;

  IndicatorIndex() = default;
  // The index of a few indicators at hand (tests, a feed read for one hunt); the store's are read
  // through a Builder, one at a time.
  explicit IndicatorIndex(const std::vector<Indicator>& indicators);

  std::size_t size() const { return records_.size(); }
  std::size_t indexed_values() const { return indexed_values_; }
  std::size_t skipped_values() const { return skipped_values_; }
  IndicatorView indicator(std::uint32_t i) const;
  // Whether an MD5 or SHA-1 value is indexed: without one, a message's files need only their
  // SHA-256 (the object tree computes it for every output anyway), not two more digests each.
  bool holds_md5_or_sha1() const { return holds_md5_or_sha1_; }
  // The bytes the index holds (its arrays' capacities), for the memory budget of a large feed.
  std::size_t memory_bytes() const;

  // Indicators whose pattern says more than indexed values can (a STIX LIKE, MATCHES, a
  // comparison of two properties of one object): the matcher evaluates them on each message.
  const std::vector<std::uint32_t>& pattern_only() const { return pattern_only_; }
  bool valid_at(std::uint32_t indicator, std::int64_t now) const;

  // Each appends the matches of one observable, valid at `now` (unix seconds), to `out`.
  void match(ObservableType type, std::string_view observed, std::int64_t now,
             std::vector<IndicatorMatch>& out) const;

 private:
  // A string in the arena.
  struct Text {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
  };
  // The kinds of key, each with its own normalisation; one table holds them all.
  enum class Table : std::uint8_t { kDomain, kUrl, kAddress, kSubject, kFileName, kHash, kNetwork };
  struct Record {
    std::int64_t valid_from = 0;
    std::int64_t valid_until = 0;
    Text id, source, name, pattern;
    std::uint32_t links = 0;  // in link_sets_; 0 is the empty set
    std::int8_t confidence = -1;
    std::uint8_t tlp = 0;  // a Tlp
  };
  // One distinct key: its indicators are postings_[first, first + count).
  struct Key {
    Text text;
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    std::uint32_t hash_tag = 0;  // the hash's high bits: most probes of another key stop here
    Table table = Table::kDomain;
  };

  static std::uint64_t hash_of(Table table, std::string_view key);
  std::string_view text(Text t) const { return std::string_view(arena_).substr(t.offset, t.length); }
  const Key* find(Table table, std::string_view key) const;
  void append(Table table, std::string_view key, std::string_view matched, ObservableType type,
              std::string_view observed, std::string_view how, std::int64_t now,
              std::vector<IndicatorMatch>& out) const;

  std::string arena_;
  std::vector<Record> records_;
  std::vector<std::vector<IntelLink>> link_sets_;
  std::vector<std::uint32_t> pattern_only_;
  std::vector<Key> keys_;
  std::vector<std::uint32_t> postings_;
  std::vector<std::uint32_t> slots_;  // key index + 1; 0 is free. A power of two, at most half full.
  std::vector<unsigned> v4_prefixes_, v6_prefixes_;  // the network lengths present, longest first
  // url_lengths_[n]: an indexed URL is n bytes long. A URL's prefixes are looked up only at those
  // lengths: hashing every prefix of a long URL with many '/', '?' (spam has URLs of kilobytes)
  // made the probes quadratic in its length.
  std::vector<bool> url_lengths_;
  std::size_t indexed_values_ = 0;
  std::size_t skipped_values_ = 0;
  bool holds_md5_or_sha1_ = false;
};

// Builds an index one indicator at a time, so that a store of a million is read once and never
// held whole beside its index.
class IndicatorIndex::Builder {
 public:
  Builder();
  ~Builder();
  Builder(const Builder&) = delete;
  Builder& operator=(const Builder&) = delete;

  // Values that cannot be used (an IP that does not parse, a hash of the wrong length) are
  // counted in skipped_values(), not indexed; importers report them first. Revoked indicators are
  // left out.
  void add(const Indicator& indicator);
  // Fails only past the index's bounds (4 GiB of text, 2^32 values), which the importers'
  // limits keep far away.
  Result<IndicatorIndex> build() &&;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The subject as the index compares it: runs of whitespace as one space, trimmed, ASCII lowercase.
std::string fold_subject(std::string_view subject);

}  // namespace vigie::intel

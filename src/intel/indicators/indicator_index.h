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
// time against the message's time. Lookups are hash-map probes: one per label of a domain, one per
// path boundary of a URL, one per CIDR prefix length present; the index is immutable and shared
// by every scan thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "intel/indicators/indicator.h"

namespace vigie::intel {

struct IndicatorMatch {
  std::uint32_t indicator = 0;  // IndicatorIndex::indicator(i)
  ObservableType type = ObservableType::kDomain;
  std::string observed;  // what the message showed
  std::string matched;   // the indicator's value it matched
  // How: "exact", "parent domain", "URL prefix", "in network".
  std::string_view how;
};

class IndicatorIndex {
 public:
  IndicatorIndex() = default;
  // Values that cannot be used (an IP that does not parse, a hash of the wrong length) are
  // counted in skipped_values(), not indexed; importers report them first.
  explicit IndicatorIndex(std::vector<Indicator> indicators);

  std::size_t size() const { return indicators_.size(); }
  std::size_t indexed_values() const { return indexed_values_; }
  std::size_t skipped_values() const { return skipped_values_; }
  const Indicator& indicator(std::uint32_t i) const { return indicators_[i]; }
  // Whether an MD5 or SHA-1 value is indexed: without one, a message's files need only their
  // SHA-256 (the object tree computes it for every output anyway), not two more digests each.
  bool holds_md5_or_sha1() const { return holds_md5_or_sha1_; }

  // Indicators whose pattern says more than indexed values can (a STIX LIKE, MATCHES, a
  // comparison of two properties of one object): the matcher evaluates them on each message.
  const std::vector<std::uint32_t>& pattern_only() const { return pattern_only_; }
  bool valid_at(std::uint32_t indicator, std::int64_t now) const;

  // Each appends the matches of one observable, valid at `now` (unix seconds), to `out`.
  void match(ObservableType type, std::string_view observed, std::int64_t now,
             std::vector<IndicatorMatch>& out) const;

 private:
  using Postings = std::unordered_map<std::string, std::vector<std::uint32_t>>;
  void add(std::uint32_t indicator, const IndicatorValue& value);
  void append(const Postings& postings, const std::string& key, std::string_view matched, ObservableType type,
              std::string_view observed, std::string_view how, std::int64_t now,
              std::vector<IndicatorMatch>& out) const;

  std::vector<Indicator> indicators_;
  std::vector<std::uint32_t> pattern_only_;
  Postings domains_, urls_, addresses_, subjects_, file_names_, hashes_;
  // Networks by family and prefix length: key = prefix length byte + masked address bytes.
  Postings networks_;
  std::vector<unsigned> v4_prefixes_, v6_prefixes_;  // the lengths present, longest first
  // url_lengths_[n]: an indexed URL is n bytes long. A URL's prefixes are looked up only at those
  // lengths: hashing every prefix of a long URL with many '/', '?' (spam has URLs of kilobytes)
  // made the probes quadratic in its length.
  std::vector<bool> url_lengths_;
  std::size_t indexed_values_ = 0;
  std::size_t skipped_values_ = 0;
  bool holds_md5_or_sha1_ = false;
};

// The subject as the index compares it: runs of whitespace as one space, trimmed, ASCII lowercase.
std::string fold_subject(std::string_view subject);

}  // namespace vigie::intel

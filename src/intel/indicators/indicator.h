// The indicator of compromise as vigie keeps it, whatever feed it came from (a STIX 2.1 bundle, a
// MISP event or feed, a plain or CSV list): what to look for in a message, who said so, how sure
// and how shareable it is, how long it holds, and which intrusion sets, campaigns or malware it
// points at. Importers produce these and say, for every object they could not take, where it was
// and why (nothing is dropped silently); the indicator store and the matcher read them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/finding.h"

namespace vigie::intel {

// The kinds of observable a message shows (its identities, hops, links, objects at any depth).
enum class ObservableType {
  kDomain,        // a host or domain name; matched with parent-domain semantics
  kUrl,           // a URL; matched exactly and by prefix after normalisation
  kIpv4,          // an address or a CIDR network
  kIpv6,          // an address or a CIDR network
  kEmailAddress,  // a sender or recipient address
  kEmailSubject,
  kFileName,
  kMd5,
  kSha1,
  kSha256,
  kSha512,
};
std::string_view observable_type_name(ObservableType type);  // "domain", "url", "ipv4"...
// The type observable_type_name gives that name; nullopt for any other name.
std::optional<ObservableType> observable_type_from_name(std::string_view name);

// One atomic value to look for. An indicator may carry several (a MISP object, a STIX pattern
// made only of equalities joined by OR); the matcher indexes them.
struct IndicatorValue {
  ObservableType type;
  std::string value;
};

// Traffic Light Protocol marking (FIRST TLP 2.0; TLP:WHITE of 1.0 reads as CLEAR).
enum class Tlp { kUnknown, kClear, kGreen, kAmber, kAmberStrict, kRed };
std::string_view tlp_name(Tlp tlp);  // "TLP:CLEAR", ..., "" for unknown

// An intrusion set, campaign or malware the indicator points at (STIX `indicates`, a MISP galaxy
// cluster or tag); the same type the sightings on findings carry.
using IntelLink = IntelligenceLink;

struct Indicator {
  std::string id;      // STIX id; "misp:<event uuid>/<attribute uuid>"; "list:<file name>:<line>"
  std::string source;  // the producer: STIX identity name, MISP Orgc name, list name
  std::string name;
  std::string description;
  // The STIX pattern, when the indicator came as one; the matcher evaluates it when `values`
  // cannot say everything it says.
  std::string pattern;
  std::vector<IndicatorValue> values;
  std::int64_t valid_from = 0;   // unix seconds; 0: no lower bound
  std::int64_t valid_until = 0;  // unix seconds; 0: no upper bound
  bool revoked = false;
  int confidence = -1;  // 0 to 100; -1: not given
  std::vector<std::string> labels;
  Tlp tlp = Tlp::kUnknown;
  std::vector<IntelLink> links;
};

// Something an importer could not take, and where: "bundle.json: indicator--1234: pattern: ...".
struct ImportProblem {
  std::string where;
  std::string what;
};

struct ImportResult {
  std::vector<Indicator> indicators;
  std::vector<ImportProblem> problems;
};

}  // namespace vigie::intel

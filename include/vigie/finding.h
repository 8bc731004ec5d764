// Findings: what an analyzer reports. Every finding id is declared once in the catalog
// (src/verdict/catalog.def) with its default score, ATT&CK techniques and explanations in English
// and French; analyzers only choose an id and attach evidence.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vigie/anomaly.h"
#include "vigie/localized_text.h"

namespace vigie {

// What was seen and where: the object it was seen in (the message itself, a MIME part, a file
// extracted from one), the field of that object ("header:From", "url", "text", "filename"...), and
// the value. Outputs render the place as the object's path and the field ("part 3: url").
//
// A value that is data (a header value, a URL, a host) is the same in every language. A value in
// which the analyzer describes what it saw is prose: the analyzer writes it in English and French
// (a LocalizedText), inserting the data from the message unchanged in both; value_fr stays empty
// for data, and outputs fall back to value.
struct Evidence {
  ObjectId object = kMessageObject;
  std::string field;
  std::string value;     // English prose, or data
  std::string value_fr;  // the French rendering of prose; empty for data

  Evidence() = default;
  Evidence(std::string field_name, std::string seen)
      : field(std::move(field_name)), value(std::move(seen)) {}
  Evidence(ObjectId in, std::string field_name, std::string seen)
      : object(in), field(std::move(field_name)), value(std::move(seen)) {}
  // A French text identical to the English one (a port number, a list key) is no translation:
  // value_fr then stays empty.
  Evidence(std::string field_name, LocalizedText prose) : Evidence(kMessageObject, std::move(field_name), std::move(prose)) {}
  Evidence(ObjectId in, std::string field_name, LocalizedText prose)
      : object(in), field(std::move(field_name)), value(std::move(prose.en)) {
    if (prose.fr != value) value_fr = std::move(prose.fr);
  }

  // The value in French when the analyzer wrote one, else the value itself.
  const std::string& value_in_french() const { return value_fr.empty() ? value : value_fr; }
};

// A limit that kept the scan from examining part of the message: the verdict then says the
// message was not fully examined, rather than reading as clean.
struct LimitCrossing {
  std::string limit;            // the [limits] key reached ("max_hosts_checked")
  std::string stage;            // who stopped: an analyzer's name, "objects"
  std::uint64_t observed = 0;   // how much there was (at least)
  std::uint64_t allowed = 0;    // the limit
  ObjectId object = kMessageObject;
  std::string not_examined;     // what was left out, for the analyst
  std::string not_examined_fr;  // the same in French; empty when none was written
};

// A technique of a finding as the shipped MITRE ATT&CK knowledge names it.
struct AttackTechnique {
  std::string id;                    // "T1566.002"
  std::string name;                  // "Spearphishing Link"
  std::vector<std::string> tactics;  // tactic shortnames: "initial-access"
};

// An intrusion set, campaign or malware that a shared indicator points at.
struct IntelligenceLink {
  std::string kind;     // "intrusion-set", "campaign", "malware"
  std::string name;     // as the producer names it ("APT28")
  std::string stix_id;  // when the producer gave one
};

// One indicator a partner shared that the message matched, as INTEL_MATCH findings carry it: for
// the analyst, the attribution hints and the STIX and MISP exports (a sighting of the indicator).
struct IndicatorSighting {
  std::string indicator_id;     // the producer's id (STIX id, "misp:<event>/<attribute>", "list:<file>:<line>")
  std::string source;           // the producer
  std::string name;             // the indicator's name, when it has one
  std::string observable_type;  // "domain", "url", "ipv4", "sha256"... or "pattern"
  std::string observed;         // what the message showed; "the message" for a pattern
  std::string matched;          // the indicator's value or STIX pattern
  std::string how;              // "exact", "parent domain", "URL prefix", "in network", "pattern"
  ObjectId object = kMessageObject;  // where it was seen
  std::string field;
  int confidence = -1;  // the producer's, 0 to 100; -1 when not stated
  std::string tlp;      // "TLP:AMBER"...; empty when unmarked
  std::vector<IntelligenceLink> links;
};

struct Finding {
  std::string id;                   // stable UPPER_SNAKE identifier from the catalog
  std::string analyzer;             // the analyzer that emitted it
  // The kind of evidence (src/verdict/groups.def): findings of one group count together at most
  // the group's max_score. Empty for a finding made outside the catalog (tests): never capped.
  std::string group;
  // How sure the analyzer is, 0..1: a look-alike at edit distance 1 of a protected domain is surer
  // than one at distance 2. The contribution below is already multiplied by it.
  double confidence = 1;
  double score = 0;                 // contribution to the verdict: catalog score × weight × confidence
  std::vector<std::string> attack;  // MITRE ATT&CK technique ids, may be empty
  // The ids of `attack` that the engine's ATT&CK knowledge defines, with names and tactics, in the
  // same order (filled by the engine after the analyzers; empty on findings made elsewhere).
  std::vector<AttackTechnique> attack_techniques;
  std::vector<Evidence> evidence;
  LocalizedText explanation;
  // The indicators matched (INTEL_MATCH), every one up to the analyzer's bound; empty otherwise.
  std::vector<IndicatorSighting> sightings;
};

}  // namespace vigie

// Findings: what an analyzer reports. Every finding id is declared once in the catalog
// (src/verdict/catalog.def) with its default score, ATT&CK techniques and explanations in English
// and French; analyzers only choose an id and attach evidence.
#pragma once

#include <string>
#include <vector>

namespace vigie {

struct LocalizedText {
  std::string en;
  std::string fr;
};

// Where in the message and what was seen: "header:From", "part:3", "url", "anomaly:..."
struct Evidence {
  std::string location;
  std::string value;
};

struct Finding {
  std::string id;                   // stable UPPER_SNAKE identifier from the catalog
  std::string analyzer;             // the analyzer that emitted it
  // How sure the analyzer is, 0..1: a look-alike at edit distance 1 of a protected domain is surer
  // than one at distance 2. The contribution below is already multiplied by it.
  double confidence = 1;
  double score = 0;                 // contribution to the verdict: catalog score × weight × confidence
  std::vector<std::string> attack;  // MITRE ATT&CK technique ids, may be empty
  std::vector<Evidence> evidence;
  LocalizedText explanation;
};

}  // namespace vigie

// What vigie knows of MITRE ATT&CK (Enterprise): tactics, techniques and sub-techniques, intrusion
// sets with their aliases, campaigns, software, and who uses what. Owns the reading and checking
// of the shipped data file (data_dir/attack/enterprise-attack.json, written by
// tools/attack/build_attack_data.py; format documented there) and every lookup on it. It does not
// rank or attribute anything: attribution.h does, on top of it.
//
// Loaded once (per process for the CLI, per engine otherwise) and immutable afterwards: every
// lookup is const and thread-safe. The records point at each other with raw pointers that live as
// long as the AttackKnowledge, which is why it is only handed out through a shared_ptr (never
// copied or moved after load).
//
// ATT&CK is © The MITRE Corporation; copyright() must be shown wherever its content is displayed
// (data/attack/LICENSE-ATTACK.txt, which travels with the data file).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vigie/config.h"
#include "vigie/finding.h"
#include "vigie/result.h"

namespace vigie::intel::attack {

struct Technique;
struct IntrusionSet;
struct Campaign;
struct Software;

struct Tactic {
  std::string id;         // "TA0001"
  std::string shortname;  // "initial-access": how techniques name their tactics
  std::string name;       // "Initial Access"
};

struct Technique {
  std::string id;    // "T1566.002"
  std::string name;  // "Spearphishing Link"
  std::vector<const Tactic*> tactics;
  const Technique* parent = nullptr;  // set on sub-techniques only
  std::vector<const Technique*> sub_techniques;
  // Who is known to use it: sets directly or through a campaign attributed to them (see
  // IntrusionSet::all_techniques), software, campaigns. Each sorted by ATT&CK id.
  std::vector<const IntrusionSet*> used_by_sets;
  std::vector<const Software*> used_by_software;
  std::vector<const Campaign*> used_in_campaigns;
};

enum class SoftwareType { kMalware, kTool };
std::string_view software_type_name(SoftwareType type);  // "malware", "tool"

struct Software {
  std::string id;  // "S0002"
  std::string name;
  SoftwareType type = SoftwareType::kMalware;
  std::vector<std::string> aliases;  // without the name itself
  std::vector<const Technique*> techniques;
  std::vector<const IntrusionSet*> used_by_sets;
};

struct Campaign {
  std::string id;  // "C0001"
  std::string name;
  std::vector<std::string> aliases;
  std::vector<const IntrusionSet*> attributed_to;
  std::vector<const Technique*> techniques;
  std::vector<const Software*> software;
};

struct IntrusionSet {
  std::string id;  // "G0007"
  std::string name;  // "APT28"
  std::vector<std::string> aliases;  // "Fancy Bear", "Sofacy"... without the name itself
  std::vector<const Technique*> techniques;  // the ones ATT&CK says the set itself uses
  std::vector<const Software*> software;
  std::vector<const Campaign*> campaigns;  // attributed to it
  // techniques plus those of its campaigns, sorted by id, each once: what attribution compares.
  std::vector<const Technique*> all_techniques;
};

class AttackKnowledge {
 public:
  // The shipped file's place: data_dir(config)/attack/enterprise-attack.json.
  static std::string shipped_file(const Config& config);
  // Largest data file read (the shipped one is about 330 KB).
  static constexpr std::size_t kMaxFileBytes = 16u << 20;

  // Reads and checks the data file. Errors (Error::config) name the file and what is wrong: missing,
  // too large, not JSON, a record without an id, a reference to an id the file does not define.
  static Result<std::shared_ptr<const AttackKnowledge>> load(const std::string& path);
  // The same from the file's text; `file_name` names it in errors.
  static Result<std::shared_ptr<const AttackKnowledge>> parse(std::string_view text, std::string_view file_name);

  // About the data: "18.1", "enterprise-attack", MITRE's copyright designation (from its license),
  // the copyright statement of the bundle's marking definition.
  const std::string& version() const { return version_; }
  const std::string& domain() const { return domain_; }
  const std::string& copyright() const { return copyright_; }
  const std::string& marking() const { return marking_; }

  // Lookups return nullptr when nothing matches. Ids match case-insensitively ("t1566.002").
  const Technique* technique(std::string_view id) const;
  // By id ("TA0001") or shortname ("initial-access").
  const Tactic* tactic(std::string_view id_or_shortname) const;
  // By id, name or alias, case-insensitively and with runs of spaces, '-' and '_' read as one
  // space ("fancy bear", "G0007", "sofacy"). A name wins over another set's alias.
  const IntrusionSet* intrusion_set(std::string_view id_name_or_alias) const;
  const Software* software(std::string_view id_name_or_alias) const;
  const Campaign* campaign(std::string_view id_name_or_alias) const;

  const std::vector<Tactic>& tactics() const { return tactics_; }  // by id
  const std::vector<Technique>& techniques() const { return techniques_; }  // by id
  const std::vector<IntrusionSet>& intrusion_sets() const { return intrusion_sets_; }  // by id
  const std::vector<Campaign>& campaigns() const { return campaigns_; }  // by id
  const std::vector<Software>& software_list() const { return software_; }  // by id

  // Up to `max` known ids, names or aliases close to `query` (same prefix, or a small edit
  // distance), closest first: for "did you mean" after a failed lookup.
  std::vector<std::string> suggestions(std::string_view query, std::size_t max = 5) const;

  AttackKnowledge(const AttackKnowledge&) = delete;
  AttackKnowledge& operator=(const AttackKnowledge&) = delete;

 private:
  AttackKnowledge() = default;
  Result<void> read(std::string_view text, std::string_view file_name);

  std::string version_, domain_, copyright_, marking_;
  std::vector<Tactic> tactics_;
  std::vector<Technique> techniques_;
  std::vector<IntrusionSet> intrusion_sets_;
  std::vector<Campaign> campaigns_;
  std::vector<Software> software_;
  // Folded key (see intrusion_set()) to record.
  // Writable pointers: read() links records through them; lookups hand out const ones.
  std::unordered_map<std::string, Tactic*> tactic_index_;
  std::unordered_map<std::string, Technique*> technique_index_;
  std::unordered_map<std::string, IntrusionSet*> set_index_;
  std::unordered_map<std::string, Software*> software_index_;
  std::unordered_map<std::string, Campaign*> campaign_index_;
};

// The techniques of `ids` (a finding's `attack`) the knowledge defines, with names and tactic
// shortnames, in the order of `ids`; unknown ids are left out (the catalog test keeps the catalog's
// all known; a site's YARA rule may name others).
std::vector<AttackTechnique> name_techniques(const AttackKnowledge& knowledge, std::span<const std::string> ids);

// The key lookups compare: ASCII lowercase, runs of blanks, '-' and '_' as one space, trimmed.
std::string fold_name(std::string_view name);

}  // namespace vigie::intel::attack

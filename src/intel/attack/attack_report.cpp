// Plain-text descriptions of ATT&CK records for `vigie attack`.
#include "intel/attack/attack_report.h"

#include <algorithm>

namespace vigie::intel::attack {
namespace {

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

template <typename T>
std::string named(const T* record) {
  return record->id + " " + record->name;
}

// "Used by 12 intrusion sets: G0007 APT28, ... (and 3 more)".
template <typename T>
std::string counted_list(std::string_view heading, const std::vector<const T*>& records, std::size_t top) {
  std::string out = std::string(heading) + " (" + std::to_string(records.size()) + ")";
  if (records.empty()) return out + ": none known\n";
  out += ":\n";
  for (std::size_t i = 0; i < records.size() && i < top; ++i) out += "  " + named(records[i]) + "\n";
  if (records.size() > top) out += "  … and " + std::to_string(records.size() - top) + " more\n";
  return out;
}

std::string tactic_names(const Technique& t) {
  std::vector<std::string> names;
  for (const Tactic* tactic : t.tactics) names.push_back(tactic->name + " (" + tactic->shortname + ")");
  return join(names);
}

std::string describe_technique(const Technique& t, std::size_t top) {
  std::string out = "Technique " + t.id + ": " + t.name + "\n";
  out += "Tactics: " + tactic_names(t) + "\n";
  if (t.parent) out += "Sub-technique of: " + named(t.parent) + "\n";
  if (!t.sub_techniques.empty()) out += counted_list("Sub-techniques", t.sub_techniques, top);
  out += counted_list("Intrusion sets known to use it", t.used_by_sets, top);
  out += counted_list("Software known to use it", t.used_by_software, top);
  if (!t.used_in_campaigns.empty()) out += counted_list("Campaigns", t.used_in_campaigns, top);
  return out;
}

std::string describe_tactic(const AttackKnowledge& knowledge, const Tactic& tactic, std::size_t top) {
  std::vector<const Technique*> members;
  for (const Technique& t : knowledge.techniques()) {
    if (!t.parent && std::find(t.tactics.begin(), t.tactics.end(), &tactic) != t.tactics.end()) members.push_back(&t);
  }
  return "Tactic " + tactic.id + ": " + tactic.name + " (" + tactic.shortname + ")\n" +
         counted_list("Techniques", members, top);
}

// Techniques under the headings of their tactics, in the data's tactic order.
std::string by_tactic(const AttackKnowledge& knowledge, const std::vector<const Technique*>& techniques) {
  std::string out;
  for (const Tactic& tactic : knowledge.tactics()) {
    std::vector<std::string> lines;
    for (const Technique* t : techniques) {
      if (std::find(t->tactics.begin(), t->tactics.end(), &tactic) != t->tactics.end()) lines.push_back(named(t));
    }
    if (lines.empty()) continue;
    out += "  " + tactic.name + " (" + std::to_string(lines.size()) + "):\n";
    for (const std::string& line : lines) out += "    " + line + "\n";
  }
  return out;
}

std::string describe_set(const AttackKnowledge& knowledge, const IntrusionSet& g, std::size_t top) {
  std::string out = "Intrusion set " + g.id + ": " + g.name + "\n";
  out += "Aliases: " + (g.aliases.empty() ? std::string("none") : join(g.aliases)) + "\n";
  out += "Techniques used (" + std::to_string(g.all_techniques.size()) + ", with those of its campaigns), by tactic:\n";
  out += by_tactic(knowledge, g.all_techniques);
  out += counted_list("Software", g.software, top);
  out += counted_list("Campaigns attributed to it", g.campaigns, top);
  return out;
}

std::string describe_software(const AttackKnowledge& knowledge, const Software& s, std::size_t top) {
  std::string out = "Software " + s.id + ": " + s.name + " (" + std::string(software_type_name(s.type)) + ")\n";
  out += "Aliases: " + (s.aliases.empty() ? std::string("none") : join(s.aliases)) + "\n";
  out += "Techniques (" + std::to_string(s.techniques.size()) + "), by tactic:\n" + by_tactic(knowledge, s.techniques);
  out += counted_list("Intrusion sets known to use it", s.used_by_sets, top);
  return out;
}

std::string describe_campaign(const AttackKnowledge& knowledge, const Campaign& c, std::size_t top) {
  std::string out = "Campaign " + c.id + ": " + c.name + "\n";
  out += "Aliases: " + (c.aliases.empty() ? std::string("none") : join(c.aliases)) + "\n";
  out += counted_list("Attributed to", c.attributed_to, top);
  out += "Techniques (" + std::to_string(c.techniques.size()) + "), by tactic:\n" + by_tactic(knowledge, c.techniques);
  out += counted_list("Software", c.software, top);
  return out;
}

}  // namespace

Result<std::string> describe(const AttackKnowledge& knowledge, std::string_view query, std::size_t top) {
  if (const Technique* t = knowledge.technique(query)) return describe_technique(*t, top);
  if (const Tactic* t = knowledge.tactic(query)) return describe_tactic(knowledge, *t, top);
  if (const IntrusionSet* g = knowledge.intrusion_set(query)) return describe_set(knowledge, *g, top);
  if (const Software* s = knowledge.software(query)) return describe_software(knowledge, *s, top);
  if (const Campaign* c = knowledge.campaign(query)) return describe_campaign(knowledge, *c, top);
  const std::string folded = fold_name(query);
  for (const Technique& t : knowledge.techniques()) {
    if (fold_name(t.name) == folded) return describe_technique(t, top);
  }
  std::string message = "'" + std::string(query) + "' is not a technique, tactic, intrusion set, software or campaign of ATT&CK v" +
                        knowledge.version();
  const std::vector<std::string> close = knowledge.suggestions(query);
  if (!close.empty()) message += "; did you mean: " + join(close, "; ") + "?";
  return fail(Error::invalid_argument(message));
}

std::string about(const AttackKnowledge& knowledge, std::string_view file) {
  return "MITRE ATT&CK v" + knowledge.version() + " (" + knowledge.domain() + ")\n" +
         "Data: " + std::string(file) + ", generated by tools/attack/build_attack_data.py from MITRE's STIX data "
         "(https://github.com/mitre/cti, https://attack.mitre.org)\n" +
         std::to_string(knowledge.tactics().size()) + " tactics, " + std::to_string(knowledge.techniques().size()) +
         " techniques and sub-techniques, " + std::to_string(knowledge.intrusion_sets().size()) + " intrusion sets, " +
         std::to_string(knowledge.campaigns().size()) + " campaigns, " + std::to_string(knowledge.software_list().size()) +
         " software\n" + knowledge.copyright() + "\n" + knowledge.marking() + "\n" +
         "License: LICENSE-ATTACK.txt beside the data file.\n";
}

}  // namespace vigie::intel::attack

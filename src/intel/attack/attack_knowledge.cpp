// Reading data/attack/enterprise-attack.json into linked records, and the lookups on them.
#include "intel/attack/attack_knowledge.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "common/ascii.h"
#include "common/list_file.h"

namespace vigie::intel::attack {
namespace {

constexpr int kFormat = 1;

using Json = nlohmann::json;

// Field readers that say where the file is wrong instead of throwing nlohmann's type errors.
class RecordReader {
 public:
  RecordReader(const Json& record, std::string where) : record_(record), where_(std::move(where)) {}

  Result<std::string> text(const char* key) const {
    const auto it = record_.find(key);
    if (it == record_.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      return fail(Error::config(where_ + ": '" + key + "' must be a non-empty string"));
    }
    return it->get<std::string>();
  }
  // An optional list of strings; absent reads as empty.
  Result<std::vector<std::string>> texts(const char* key) const {
    std::vector<std::string> out;
    const auto it = record_.find(key);
    if (it == record_.end()) return out;
    if (!it->is_array()) return fail(Error::config(where_ + ": '" + key + "' must be a list of strings"));
    for (const Json& item : *it) {
      if (!item.is_string()) return fail(Error::config(where_ + ": '" + key + "' must be a list of strings"));
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  const std::string& where() const { return where_; }

 private:
  const Json& record_;
  std::string where_;
};

// The records `ids` name, writable: load() adds the reverse links through them.
template <typename T>
Result<std::vector<T*>> resolve_all(const std::vector<std::string>& ids,
                                    const std::unordered_map<std::string, T*>& index, const std::string& where,
                                    const char* what) {
  std::vector<T*> out;
  for (const std::string& id : ids) {
    const auto it = index.find(fold_name(id));
    if (it == index.end()) return fail(Error::config(where + ": " + what + " '" + id + "' is not in the file"));
    out.push_back(it->second);
  }
  return out;
}

template <typename T>
std::vector<const T*> read_only(const std::vector<T*>& records) {
  return {records.begin(), records.end()};
}

template <typename T>
void sort_by_id(std::vector<const T*>& records) {
  std::sort(records.begin(), records.end(), [](const T* a, const T* b) { return a->id < b->id; });
  records.erase(std::unique(records.begin(), records.end()), records.end());
}

// Edit distance with adjacent transpositions (optimal string alignment: "apt82" is one edit from
// "apt28"); `limit + 1` for anything further. Only run after a failed lookup, on short names.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[b.size()], limit + 1);
}

}  // namespace

std::string fold_name(std::string_view name) {
  std::string out;
  bool pending_space = false;
  for (const char c : name) {
    if (ascii::is_space(c) || c == '-' || c == '_') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += ascii::lower(c);
  }
  return out;
}

std::vector<AttackTechnique> name_techniques(const AttackKnowledge& knowledge, std::span<const std::string> ids) {
  std::vector<AttackTechnique> out;
  out.reserve(ids.size());
  for (const std::string& id : ids) {
    const Technique* technique = knowledge.technique(id);
    if (!technique) continue;
    AttackTechnique& named = out.emplace_back(AttackTechnique{technique->id, technique->name, {}});
    for (const Tactic* tactic : technique->tactics) named.tactics.push_back(tactic->shortname);
  }
  return out;
}

std::string_view software_type_name(SoftwareType type) {
  return type == SoftwareType::kTool ? "tool" : "malware";
}

std::string AttackKnowledge::shipped_file(const Config& config) {
  return data_dir(config) + "/attack/enterprise-attack.json";
}

Result<std::shared_ptr<const AttackKnowledge>> AttackKnowledge::load(const std::string& path) {
  Result<std::string> text = read_config_file(path, kMaxFileBytes);
  if (!text) return fail(text.error());
  return parse(*text, path);
}

Result<std::shared_ptr<const AttackKnowledge>> AttackKnowledge::parse(std::string_view text,
                                                                      std::string_view file_name) {
  std::shared_ptr<AttackKnowledge> knowledge(new AttackKnowledge());
  if (Result<void> read = knowledge->read(text, file_name); !read) return fail(read.error());
  return std::shared_ptr<const AttackKnowledge>(std::move(knowledge));
}

Result<void> AttackKnowledge::read(std::string_view text, std::string_view file_name) {
  const std::string file(file_name);
  const Json root = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return fail(Error::config(file + ": not an ATT&CK data file (not a JSON object); regenerate it with "
                                     "tools/attack/build_attack_data.py"));
  }
  const auto format = root.find("format");
  if (format == root.end() || !format->is_number_integer() || format->get<int>() != kFormat) {
    return fail(Error::config(file + ": unknown ATT&CK data format (this vigie reads format " +
                              std::to_string(kFormat) + ")"));
  }
  const RecordReader top(root, file);
  for (auto [field, key] : {std::pair{&version_, "attack_version"}, std::pair{&domain_, "domain"},
                            std::pair{&copyright_, "copyright"}, std::pair{&marking_, "marking"}}) {
    Result<std::string> value = top.text(key);
    if (!value) return fail(value.error());
    *field = std::move(*value);
  }
  // The lists are filled in full before anything points into them: no reallocation afterwards.
  const auto records = [&](const char* key) -> Result<std::vector<RecordReader>> {
    const auto it = root.find(key);
    if (it == root.end() || !it->is_array()) return fail(Error::config(file + ": '" + key + "' must be a list"));
    std::vector<RecordReader> out;
    for (std::size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_object()) return fail(Error::config(file + ": " + key + "[" + std::to_string(i) + "] is not an object"));
      const auto id = (*it)[i].find("id");
      out.emplace_back((*it)[i], file + ": " + key + "[" + std::to_string(i) + "]" +
                                     (id != (*it)[i].end() && id->is_string() ? " (" + id->get<std::string>() + ")" : ""));
    }
    return out;
  };
  // Adds a key to an index; two records with one id are a broken file, two sharing a name or an
  // alias are not (the first, by id, keeps it; names were indexed before aliases).
  const auto index_id = [](auto& index, const std::string& id, auto* record, const std::string& where) -> Result<void> {
    if (!index.emplace(fold_name(id), record).second) return fail(Error::config(where + ": id defined twice"));
    return {};
  };

  Result<std::vector<RecordReader>> tactic_records = records("tactics");
  Result<std::vector<RecordReader>> technique_records = records("techniques");
  Result<std::vector<RecordReader>> set_records = records("intrusion_sets");
  Result<std::vector<RecordReader>> campaign_records = records("campaigns");
  Result<std::vector<RecordReader>> software_records = records("software");
  for (const auto* list : {&tactic_records, &technique_records, &set_records, &campaign_records, &software_records}) {
    if (!*list) return fail(list->error());
  }
  tactics_.resize(tactic_records->size());
  techniques_.resize(technique_records->size());
  intrusion_sets_.resize(set_records->size());
  campaigns_.resize(campaign_records->size());
  software_.resize(software_records->size());

  // Pass 1: ids, names, aliases and the indexes.
  for (std::size_t i = 0; i < tactics_.size(); ++i) {
    const RecordReader& r = (*tactic_records)[i];
    Tactic& t = tactics_[i];
    for (auto [field, key] : {std::pair{&t.id, "id"}, std::pair{&t.shortname, "shortname"}, std::pair{&t.name, "name"}}) {
      Result<std::string> value = r.text(key);
      if (!value) return fail(value.error());
      *field = std::move(*value);
    }
    if (Result<void> added = index_id(tactic_index_, t.id, &t, r.where()); !added) return added;
    if (Result<void> added = index_id(tactic_index_, t.shortname, &t, r.where()); !added) return added;
  }
  for (std::size_t i = 0; i < techniques_.size(); ++i) {
    const RecordReader& r = (*technique_records)[i];
    Technique& t = techniques_[i];
    Result<std::string> id = r.text("id");
    Result<std::string> name = r.text("name");
    if (!id) return fail(id.error());
    if (!name) return fail(name.error());
    t.id = std::move(*id);
    t.name = std::move(*name);
    if (Result<void> added = index_id(technique_index_, t.id, &t, r.where()); !added) return added;
  }
  const auto named = [&](auto& list, const std::vector<RecordReader>& rs, auto& index) -> Result<void> {
    for (std::size_t i = 0; i < list.size(); ++i) {
      Result<std::string> id = rs[i].text("id");
      Result<std::string> name = rs[i].text("name");
      Result<std::vector<std::string>> aliases = rs[i].texts("aliases");
      if (!id) return fail(id.error());
      if (!name) return fail(name.error());
      if (!aliases) return fail(aliases.error());
      list[i].id = std::move(*id);
      list[i].name = std::move(*name);
      list[i].aliases = std::move(*aliases);
      if (Result<void> added = index_id(index, list[i].id, &list[i], rs[i].where()); !added) return added;
    }
    for (auto& record : list) index.emplace(fold_name(record.name), &record);
    for (auto& record : list) {
      for (const std::string& alias : record.aliases) index.emplace(fold_name(alias), &record);
    }
    return {};
  };
  if (Result<void> r = named(intrusion_sets_, *set_records, set_index_); !r) return r;
  if (Result<void> r = named(campaigns_, *campaign_records, campaign_index_); !r) return r;
  if (Result<void> r = named(software_, *software_records, software_index_); !r) return r;

  // Pass 2: links, each checked against the indexes, and the reverse links.
  for (std::size_t i = 0; i < techniques_.size(); ++i) {
    const RecordReader& r = (*technique_records)[i];
    Technique& t = techniques_[i];
    Result<std::vector<std::string>> tactic_ids = r.texts("tactics");
    if (!tactic_ids) return fail(tactic_ids.error());
    Result<std::vector<Tactic*>> tactics = resolve_all(*tactic_ids, tactic_index_, r.where(), "tactic");
    if (!tactics) return fail(tactics.error());
    t.tactics = read_only(*tactics);
  }
  for (std::size_t i = 0; i < techniques_.size(); ++i) {
    const RecordReader& r = (*technique_records)[i];
    if (Result<std::string> parent = r.text("parent"); parent) {
      const auto it = technique_index_.find(fold_name(*parent));
      if (it == technique_index_.end()) return fail(Error::config(r.where() + ": parent '" + *parent + "' is not in the file"));
      techniques_[i].parent = it->second;
      it->second->sub_techniques.push_back(&techniques_[i]);
    }
  }
  for (std::size_t i = 0; i < software_.size(); ++i) {
    const RecordReader& r = (*software_records)[i];
    Software& s = software_[i];
    Result<std::string> type = r.text("type");
    if (!type) return fail(type.error());
    if (*type != "malware" && *type != "tool") return fail(Error::config(r.where() + ": type must be malware or tool"));
    s.type = *type == "tool" ? SoftwareType::kTool : SoftwareType::kMalware;
    Result<std::vector<std::string>> ids = r.texts("techniques");
    if (!ids) return fail(ids.error());
    Result<std::vector<Technique*>> used = resolve_all(*ids, technique_index_, r.where(), "technique");
    if (!used) return fail(used.error());
    s.techniques = read_only(*used);
    for (Technique* t : *used) t->used_by_software.push_back(&s);
  }
  for (std::size_t i = 0; i < intrusion_sets_.size(); ++i) {
    const RecordReader& r = (*set_records)[i];
    IntrusionSet& g = intrusion_sets_[i];
    Result<std::vector<std::string>> technique_ids = r.texts("techniques");
    Result<std::vector<std::string>> software_ids = r.texts("software");
    if (!technique_ids) return fail(technique_ids.error());
    if (!software_ids) return fail(software_ids.error());
    Result<std::vector<Technique*>> used = resolve_all(*technique_ids, technique_index_, r.where(), "technique");
    if (!used) return fail(used.error());
    Result<std::vector<Software*>> tools = resolve_all(*software_ids, software_index_, r.where(), "software");
    if (!tools) return fail(tools.error());
    g.techniques = read_only(*used);
    g.software = read_only(*tools);
    for (Software* s : *tools) s->used_by_sets.push_back(&g);
  }
  for (std::size_t i = 0; i < campaigns_.size(); ++i) {
    const RecordReader& r = (*campaign_records)[i];
    Campaign& c = campaigns_[i];
    Result<std::vector<std::string>> set_ids = r.texts("attributed_to");
    Result<std::vector<std::string>> technique_ids = r.texts("techniques");
    Result<std::vector<std::string>> software_ids = r.texts("software");
    for (const auto* ids : {&set_ids, &technique_ids, &software_ids}) {
      if (!*ids) return fail(ids->error());
    }
    Result<std::vector<IntrusionSet*>> sets = resolve_all(*set_ids, set_index_, r.where(), "intrusion set");
    if (!sets) return fail(sets.error());
    Result<std::vector<Technique*>> used = resolve_all(*technique_ids, technique_index_, r.where(), "technique");
    if (!used) return fail(used.error());
    Result<std::vector<Software*>> tools = resolve_all(*software_ids, software_index_, r.where(), "software");
    if (!tools) return fail(tools.error());
    c.attributed_to = read_only(*sets);
    c.techniques = read_only(*used);
    c.software = read_only(*tools);
    for (Technique* t : *used) t->used_in_campaigns.push_back(&c);
    for (IntrusionSet* g : *sets) g->campaigns.push_back(&c);
  }
  for (IntrusionSet& g : intrusion_sets_) {
    g.all_techniques = g.techniques;
    for (const Campaign* c : g.campaigns) g.all_techniques.insert(g.all_techniques.end(), c->techniques.begin(), c->techniques.end());
    sort_by_id(g.all_techniques);
    for (const Technique* t : g.all_techniques) technique_index_.at(fold_name(t->id))->used_by_sets.push_back(&g);
  }
  for (Technique& t : techniques_) {
    sort_by_id(t.used_by_sets);
    sort_by_id(t.used_by_software);
    sort_by_id(t.used_in_campaigns);
  }
  for (Software& s : software_) sort_by_id(s.used_by_sets);
  return {};
}

const Technique* AttackKnowledge::technique(std::string_view id) const {
  const auto it = technique_index_.find(fold_name(id));
  return it == technique_index_.end() ? nullptr : it->second;
}

const Tactic* AttackKnowledge::tactic(std::string_view id_or_shortname) const {
  const auto it = tactic_index_.find(fold_name(id_or_shortname));
  return it == tactic_index_.end() ? nullptr : it->second;
}

const IntrusionSet* AttackKnowledge::intrusion_set(std::string_view id_name_or_alias) const {
  const auto it = set_index_.find(fold_name(id_name_or_alias));
  return it == set_index_.end() ? nullptr : it->second;
}

const Software* AttackKnowledge::software(std::string_view id_name_or_alias) const {
  const auto it = software_index_.find(fold_name(id_name_or_alias));
  return it == software_index_.end() ? nullptr : it->second;
}

const Campaign* AttackKnowledge::campaign(std::string_view id_name_or_alias) const {
  const auto it = campaign_index_.find(fold_name(id_name_or_alias));
  return it == campaign_index_.end() ? nullptr : it->second;
}

std::vector<std::string> AttackKnowledge::suggestions(std::string_view query, std::size_t max) const {
  const std::string folded = fold_name(query);
  if (folded.empty() || max == 0) return {};
  // About a third of the query's length, at most 3 edits: "apt82" finds "apt28", "zz" nothing.
  const std::size_t limit = std::min<std::size_t>(3, (folded.size() + 1) / 3);
  std::set<std::pair<std::size_t, std::string>> ranked;  // (distance, display name)
  const auto consider = [&](const std::string& key, const std::string& display) {
    std::size_t distance = edit_distance(folded, key, limit);
    if (distance > limit && folded.size() >= 3 && key.starts_with(folded)) distance = limit;
    if (distance <= limit) ranked.emplace(distance, display);
  };
  const auto names = [&](const auto& list) {
    for (const auto& r : list) {
      consider(fold_name(r.id), r.id + " " + r.name);
      consider(fold_name(r.name), r.name + " (" + r.id + ")");
      for (const std::string& alias : r.aliases) consider(fold_name(alias), alias + " (" + r.id + " " + r.name + ")");
    }
  };
  names(intrusion_sets_);
  names(software_);
  names(campaigns_);
  for (const Technique& t : techniques_) {
    consider(fold_name(t.id), t.id + " " + t.name);
    consider(fold_name(t.name), t.name + " (" + t.id + ")");
  }
  std::vector<std::string> out;
  for (const auto& [distance, display] : ranked) {
    if (out.size() == max) break;
    if (std::find(out.begin(), out.end(), display) == out.end()) out.push_back(display);
  }
  return out;
}

}  // namespace vigie::intel::attack

// TOML configuration over built-in defaults. Every key is checked against the schema below:
// unknown sections or keys, wrong types and out-of-range values are errors reported as
// "file:line:column: key: message", all of them at once, so an operator fixes a file in one pass.
#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "config/actions_config.h"
#include "config/section.h"
#include "config/serve_config.h"
#include "intel/export/stix_export.h"
#include "verdict/catalog.h"
#include "common/ip_address.h"
#include "common/list_file.h"
#include "parse/url/public_suffix_list.h"
#include "vigie/config.h"

#ifndef VIGIE_DEFAULT_DATA_DIR
#error "VIGIE_DEFAULT_DATA_DIR must be defined by the build (see src/config/CMakeLists.txt)"
#endif

namespace vigie {
namespace {

class Checker {
 public:
  explicit Checker(std::string path) : path_(std::move(path)) {}

  void error(const toml::node& node, std::string_view key, std::string_view message) {
    errors_.push_back(config::located_error(path_, node, key, message));
  }

  const std::string& path() const { return path_; }

  template <typename T>
  void unsigned_integer(const toml::node& node, std::string_view key, T& target) {
    const auto value = node.value<std::int64_t>();
    if (!node.is_integer() || !value) return error(node, key, "expected an integer");
    if (*value <= 0) return error(node, key, "must be greater than zero");
    if (static_cast<std::uint64_t>(*value) > std::numeric_limits<T>::max()) {
      return error(node, key, "too large");
    }
    target = static_cast<T>(*value);
  }

  // An integer within [min, max], both inclusive.
  void integer_in(const toml::node& node, std::string_view key, unsigned& target, unsigned min,
                  unsigned max) {
    const auto value = node.value<std::int64_t>();
    if (!node.is_integer() || !value) return error(node, key, "expected an integer");
    if (*value < static_cast<std::int64_t>(min) || *value > static_cast<std::int64_t>(max)) {
      return error(node, key,
                   "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    target = static_cast<unsigned>(*value);
  }

  void number(const toml::node& node, std::string_view key, double& target) {
    if (!node.is_number()) return error(node, key, "expected a number");
    target = *node.value<double>();
  }

  void non_negative_number(const toml::node& node, std::string_view key, double& target) {
    if (!node.is_number()) return error(node, key, "expected a number");
    if (*node.value<double>() < 0) return error(node, key, "must not be negative");
    target = *node.value<double>();
  }

  void string(const toml::node& node, std::string_view key, std::string& target) {
    if (!node.is_string()) return error(node, key, "expected a string");
    target = *node.value<std::string>();
  }

  // Every element goes through `accept`, which returns an error message or "" when it is valid.
  void strings(const toml::node& node, std::string_view key, std::vector<std::string>& target,
               const std::function<std::string(std::string&)>& accept = nullptr) {
    const toml::array* list = node.as_array();
    if (!list) return error(node, key, "expected an array of strings");
    for (const toml::node& item : *list) {
      std::optional<std::string> value = item.value<std::string>();
      if (!item.is_string() || !value) {
        error(item, key, "expected a string");
        continue;
      }
      if (accept) {
        if (const std::string problem = accept(*value); !problem.empty()) {
          error(item, key, problem);
          continue;
        }
      }
      target.push_back(std::move(*value));
    }
  }

  void action(const toml::node& node, std::string_view key, Action& target) {
    const std::optional<std::string> name = node.value<std::string>();
    if (!node.is_string() || !name) return error(node, key, "expected an action name");
    for (const Action a : {Action::kAccept, Action::kTag, Action::kWarn, Action::kQuarantine,
                           Action::kReject}) {
      if (action_name(a) == *name) {
        target = a;
        return;
      }
    }
    error(node, key, "unknown action '" + *name + "' (accept, tag, warn, quarantine, reject)");
  }

  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::string path_;
  std::vector<std::string> errors_;
};

using KeyHandler = std::function<void(const toml::node&, std::string_view)>;

void check_table(Checker& checker, const toml::table& table, std::string_view section,
                 const std::map<std::string, KeyHandler, std::less<>>& handlers) {
  for (const auto& [key, node] : table) {
    const std::string full = std::string(section) + "." + std::string(key.str());
    const auto handler = handlers.find(key.str());
    if (handler == handlers.end()) {
      checker.error(node, full, "unknown key");
      continue;
    }
    handler->second(node, full);
  }
}

void read_limits(Checker& c, const toml::table& t, Limits& l) {
  check_table(c, t, "limits",
              {
                  {"max_message_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_message_bytes); }},
                  {"max_mime_depth", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_mime_depth); }},
                  {"max_parts", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_parts); }},
                  {"max_header_fields", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_header_fields); }},
                  {"max_part_decoded_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_part_decoded_bytes); }},
                  {"max_total_decoded_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_total_decoded_bytes); }},
                  {"max_html_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_html_bytes); }},
                  {"max_html_depth", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_html_depth); }},
                  {"max_urls", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_urls); }},
                  {"max_uuencode_blocks", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_uuencode_blocks); }},
                  {"max_calendar_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_calendar_bytes); }},
                  {"intel_max_bundle_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.intel_max_bundle_bytes); }},
                  {"intel_max_bundle_objects", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.intel_max_bundle_objects); }},
                  {"intel_max_pattern_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.intel_max_pattern_bytes); }},
                  {"intel_max_misp_document_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.intel_max_misp_document_bytes); }},
                  {"intel_max_misp_attributes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.intel_max_misp_attributes); }},
                  {"intel_max_misp_events", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.intel_max_misp_events); }},
                  {"intel_max_misp_feed_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.intel_max_misp_feed_bytes); }},
                  {"intel_max_list_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.intel_max_list_bytes); }},
                  {"max_calendar_components", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_calendar_components); }},
                  {"max_calendar_properties", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_calendar_properties); }},
                  {"max_calendar_depth", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_calendar_depth); }},
                  {"max_pdf_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_pdf_bytes); }},
                  {"max_pdf_objects", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_pdf_objects); }},
                  {"max_pdf_stream_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_pdf_stream_bytes); }},
                  {"max_rtf_depth", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_rtf_depth); }},
                  {"max_rtf_objects", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_rtf_objects); }},
                  {"max_rtf_object_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_rtf_object_bytes); }},
                  {"max_object_depth", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_object_depth); }},
                  {"max_extracted_objects", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_extracted_objects); }},
                  {"max_extracted_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_extracted_bytes); }},
                  {"max_expansion_ratio", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_expansion_ratio); }},
                  {"max_archive_entries", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_archive_entries); }},
                  {"max_archive_member_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_archive_member_bytes); }},
                  {"max_ole_directory_entries", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_ole_directory_entries); }},
                  {"max_ole_stream_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_ole_stream_bytes); }},
                  {"max_vba_modules", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_vba_modules); }},
                  {"max_vba_source_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_vba_source_bytes); }},
                  {"max_vba_total_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_vba_total_bytes); }},
                  {"max_office_xml_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_office_xml_bytes); }},
                  {"max_analysis_ms", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_analysis_ms); }},
                  {"max_hosts_checked", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_hosts_checked); }},
                  {"max_lure_text_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_lure_text_bytes); }},
                  {"max_brand_text_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_brand_text_bytes); }},
                  {"max_evasion_text_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_evasion_text_bytes); }},
                  {"max_redirect_depth", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_redirect_depth); }},
                  {"max_classifier_text_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_classifier_text_bytes); }},
                  {"max_classifier_tokens", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_classifier_tokens); }},
                  {"max_smuggling_candidates", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_smuggling_candidates); }},
                  {"max_smuggling_payload_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_smuggling_payload_bytes); }},
                  {"max_tnef_attributes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_tnef_attributes); }},
                  {"max_rule_scan_bytes", [&](auto& n, auto k) { c.unsigned_integer(n, k, l.max_rule_scan_bytes); }},
              });
}

bool is_finding(std::string_view id) {
  for (const verdict::CatalogEntry& e : verdict::catalog()) {
    if (e.name == id) return true;
  }
  return false;
}

// A sub-table whose keys are names checked by `known` and whose values are read by `read`.
template <typename Value>
void read_named_values(Checker& c, const toml::node& n, std::string_view k,
                       std::map<std::string, Value, std::less<>>& target,
                       bool (*known)(std::string_view), std::string_view what,
                       const std::function<void(const toml::node&, std::string_view, Value&)>& read) {
  const toml::table* table = n.as_table();
  if (!table) return c.error(n, k, "expected a table of " + std::string(what) + " names");
  for (const auto& [name, value] : *table) {
    const std::string full = std::string(k) + "." + std::string(name.str());
    if (!known(name.str())) {
      c.error(value, full, "unknown " + std::string(what) + " '" + std::string(name.str()) + "'");
      continue;
    }
    Value v{};
    read(value, full, v);
    target.insert_or_assign(std::string(name.str()), v);
  }
}

void read_policy_actions(Checker& c, const toml::node& n, std::string_view k, PolicyConfig& p) {
  read_named_values<Action>(c, n, k, p.finding_actions, is_finding, "finding",
                            [&](auto& node, auto key, Action& a) { c.action(node, key, a); });
}

void read_policy(Checker& c, const toml::table& t, PolicyConfig& p) {
  check_table(c, t, "policy",
              {
                  {"tag_at", [&](auto& n, auto k) { c.number(n, k, p.tag_at); }},
                  {"warn_at", [&](auto& n, auto k) { c.number(n, k, p.warn_at); }},
                  {"quarantine_at", [&](auto& n, auto k) { c.number(n, k, p.quarantine_at); }},
                  {"reject_at", [&](auto& n, auto k) { c.number(n, k, p.reject_at); }},
                  {"max_action", [&](auto& n, auto k) { c.action(n, k, p.max_action); }},
                  {"actions", [&](auto& n, auto k) { read_policy_actions(c, n, k, p); }},
              });
  if (!(p.tag_at <= p.warn_at && p.warn_at <= p.quarantine_at && p.quarantine_at <= p.reject_at)) {
    c.error(t, "policy", "thresholds must satisfy tag_at <= warn_at <= quarantine_at <= reject_at");
  }
}

// [groups.<name>] max_score = N: the most the findings of one group (src/verdict/groups.def) count
// together. A table per group, as Rspamd's group "<name>" { max_score = N; }, so a group can take
// more settings later without a new section. `inf` removes the cap.
void read_groups(Checker& c, const toml::table& t, PolicyConfig& p) {
  for (const auto& [key, node] : t) {
    // A named copy: clang before 16 does not let a lambda capture a structured binding.
    const std::string name(key.str());
    const std::string full = "groups." + name;
    if (verdict::find_group(name) == nullptr) {
      std::string known;
      for (const verdict::GroupEntry& g : verdict::groups()) known += (known.empty() ? "" : ", ") + std::string(g.name);
      c.error(node, full, "unknown group (" + known + ")");
      continue;
    }
    const toml::table* group = node.as_table();
    if (group == nullptr) {
      c.error(node, full, "expected a [" + full + "] table");
      continue;
    }
    check_table(c, *group, full,
                {
                    {"max_score",
                     [&](auto& n, auto k) {
                       const std::optional<double> cap = n.template value<double>();
                       if (!n.is_number() || !cap || !(*cap >= 0)) {  // NaN fails too
                         return c.error(n, k, "expected a number >= 0 (inf: no cap)");
                       }
                       p.group_max_scores.insert_or_assign(name, *cap);
                     }},
                });
  }
}

// Analyzer names are checked by the engine, which knows the analyzers (this reader does not
// depend on them): it reports an unknown name at its line and column from AnalyzerConfig::table.
void read_analyzers(Checker& c, const std::shared_ptr<const toml::table>& document, const toml::table& t,
                    AnalyzerConfig& a) {
  a.table = config::section_of(document, t, "analyzers", c.path());
  for (const auto& [key, node] : t) {
    const std::string name(key.str());
    const std::string full = "analyzers." + name;
    if (name == "disabled") {
      c.strings(node, full, a.disabled);
    } else if (name == "weights") {
      read_named_values<double>(
          c, node, full, a.weights, [](std::string_view) { return true; }, "analyzer",
          [&](auto& n, auto k, double& w) { c.non_negative_number(n, k, w); });
    } else if (name == "scores") {
      read_named_values<double>(c, node, full, a.scores, is_finding, "finding",
                                [&](auto& n, auto k, double& s) { c.number(n, k, s); });
    } else if (const toml::table* section = node.as_table()) {
      a.sections.insert_or_assign(name, config::section_of(document, *section, full, c.path()));
    } else {
      c.error(node, full, "unknown key (expected disabled, weights, scores or an [analyzers.<name>] table)");
    }
  }
}

// Domains are compared lowercase and without the root dot; anything that is not a host name is
// refused rather than silently never matching.
std::string accept_domain(std::string& domain) {
  for (char& ch : domain) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (!domain.empty() && domain.back() == '.') domain.pop_back();
  if (domain.empty() || domain.size() > 253) return "not a domain name";
  for (const char ch : domain) {
    const bool ok = std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.' ||
                    static_cast<unsigned char>(ch) >= 0x80;
    if (!ok) return "'" + domain + "' is not a domain name";
  }
  if (domain.find('.') == std::string::npos) return "'" + domain + "' has no dot: give a full domain";
  if (IpAddress::parse(domain)) return "'" + domain + "' is an IP address, not a domain";
  return "";
}

std::string accept_address(std::string& address) {
  for (char& ch : address) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const std::size_t at = address.rfind('@');
  if (at == std::string::npos || at == 0) return "'" + address + "' is not an e-mail address";
  std::string domain = address.substr(at + 1);
  if (const std::string problem = accept_domain(domain); !problem.empty()) {
    return "'" + address + "' is not an e-mail address";
  }
  address = address.substr(0, at + 1) + domain;
  return "";
}

std::string accept_network(std::string& network) {
  return IpNetwork::parse(network)
             ? ""
             : "'" + network +
                   "' is not an IP address or network (192.0.2.0/24, 2001:db8::/32; host bits "
                   "after the prefix must be zero)";
}

std::string accept_name(std::string& name) {
  return name.find_first_not_of(" \t") == std::string::npos ? "must not be empty" : "";
}

void read_organisation(Checker& c, const toml::table& t, OrganisationConfig& o) {
  check_table(c, t, "organisation",
              {
                  {"name", [&](auto& n, auto k) { c.string(n, k, o.name); }},
                  {"aliases", [&](auto& n, auto k) { c.strings(n, k, o.aliases, accept_name); }},
                  {"protected_domains",
                   [&](auto& n, auto k) { c.strings(n, k, o.protected_domains, accept_domain); }},
                  {"partner_domains",
                   [&](auto& n, auto k) { c.strings(n, k, o.partner_domains, accept_domain); }},
                  {"internal_networks",
                   [&](auto& n, auto k) { c.strings(n, k, o.internal_networks, accept_network); }},
              });
}

void read_people(Checker& c, const toml::node& node, OrganisationConfig& o) {
  const toml::array* list = node.as_array();
  if (!list || !list->is_array_of_tables()) {
    return c.error(node, "people", "expected [[people]] tables");
  }
  for (const toml::node& item : *list) {
    ProtectedPerson person;
    check_table(c, *item.as_table(), "people",
                {
                    {"name", [&](auto& n, auto k) { c.string(n, k, person.name); }},
                    {"aliases", [&](auto& n, auto k) { c.strings(n, k, person.aliases, accept_name); }},
                    {"addresses",
                     [&](auto& n, auto k) { c.strings(n, k, person.addresses, accept_address); }},
                    {"personal_addresses",
                     [&](auto& n, auto k) {
                       c.strings(n, k, person.personal_addresses, accept_address);
                     }},
                    {"role", [&](auto& n, auto k) { c.string(n, k, person.role); }},
                });
    if (person.name.find_first_not_of(" \t") == std::string::npos) {
      c.error(item, "people.name", "every person needs a name");
    }
    o.people.push_back(std::move(person));
  }
}

// A path written in the configuration file, relative to the file rather than to wherever vigie was
// started.
std::string relative_to_file(const std::string& config_path, const std::string& path) {
  if (path.empty() || !std::filesystem::path(path).is_relative()) return path;
  return (std::filesystem::path(config_path).parent_path() / path).lexically_normal().string();
}

// Lists must be readable files now: a missing one, or a folder named instead of a file, is an
// error at its position with every other error, not a failure at start-up one at a time.
std::function<std::string(std::string&)> accept_list_file(const Checker& c) {
  return [&c](std::string& path) {
    const std::string problem = file_problem(relative_to_file(c.path(), path));
    return problem.empty() ? problem : "'" + path + "' " + problem;
  };
}

void read_lists(Checker& c, const toml::table& t, ListsConfig& l) {
  check_table(c, t, "lists",
              {
                  {"data_dir",
                   [&](auto& n, auto k) {
                     c.string(n, k, l.data_dir);
                     if (const std::string problem = directory_problem(relative_to_file(c.path(), l.data_dir));
                         !problem.empty()) {
                       c.error(n, k, "'" + l.data_dir + "' " + problem + " (the shipped lists are read from there)");
                     }
                   }},
                  {"brands", [&](auto& n, auto k) { c.strings(n, k, l.brands, accept_list_file(c)); }},
                  {"link_categories",
                   [&](auto& n, auto k) { c.strings(n, k, l.link_categories, accept_list_file(c)); }},
                  {"public_suffix_list",
                   [&](auto& n, auto k) {
                     c.string(n, k, l.public_suffix_list);
                     if (l.public_suffix_list.empty()) return;
                     // Read here, where the key's line and column are known, so that a missing or
                     // incomplete file is reported like every other mistake of the file. The engine
                     // reads it again when it starts (public_suffix_list.h).
                     l.public_suffix_list = relative_to_file(c.path(), l.public_suffix_list);
                     const auto list = parse::PublicSuffixList::load(l.public_suffix_list);
                     if (!list) c.error(n, k, list.error().message);
                   }},
                  {"lures",
                   [&](auto& n, auto k) {
                     c.error(n, k, "moved: extra lure lists are [analyzers.lure_language] lists");
                   }},
                  {"abused_suffixes",
                   [&](auto& n, auto k) {
                     c.error(n, k, "moved: extra suffix lists are [analyzers.domain_reputation] lists");
                   }},
              });
}

// The password is read here, where a missing or empty file is reported at its key, so that no
// secret has to be written in the configuration file itself.
void read_redis_password(Checker& c, const toml::node& n, std::string_view k, RedisHistoryConfig& r) {
  c.string(n, k, r.password_file);
  const std::string path = relative_to_file(c.path(), r.password_file);
  if (const std::string problem = file_problem(path); !problem.empty()) {
    return c.error(n, k, "'" + r.password_file + "' " + problem);
  }
  std::ifstream in(path);
  std::getline(in, r.password);
  if (!r.password.empty() && r.password.back() == '\r') r.password.pop_back();
  if (r.password.empty()) c.error(n, k, "'" + r.password_file + "': the first line (the password) is empty");
}

void read_history_redis(Checker& c, const toml::node& node, std::string_view key, RedisHistoryConfig& r) {
  const toml::table* t = node.as_table();
  if (t == nullptr) return c.error(node, key, "expected a table ([history.redis])");
  check_table(c, *t, key,
              {
                  {"host", [&](auto& n, auto k) {
                     c.string(n, k, r.host);
                     if (r.host.empty()) c.error(n, k, "must not be empty");
                   }},
                  {"port", [&](auto& n, auto k) { c.integer_in(n, k, r.port, 1, 65535); }},
                  {"socket", [&](auto& n, auto k) { c.string(n, k, r.socket); }},
                  {"username", [&](auto& n, auto k) { c.string(n, k, r.username); }},
                  {"password_file", [&](auto& n, auto k) { read_redis_password(c, n, k, r); }},
                  {"password", [&](auto& n, auto k) {
                     c.error(n, k, "not read from the configuration: write it in a file only vigie reads and name it in password_file");
                   }},
                  {"db", [&](auto& n, auto k) { c.integer_in(n, k, r.db, 0, 1000000); }},
                  {"key_prefix", [&](auto& n, auto k) {
                     c.string(n, k, r.key_prefix);
                     if (r.key_prefix.find_first_of("{}") != std::string::npos) {
                       c.error(n, k, "must not hold '{' or '}' (they would change the keys' Redis Cluster hash tag)");
                     }
                   }},
                  {"connect_timeout_ms", [&](auto& n, auto k) { c.integer_in(n, k, r.connect_timeout_ms, 1, 60000); }},
                  {"command_timeout_ms", [&](auto& n, auto k) { c.integer_in(n, k, r.command_timeout_ms, 1, 60000); }},
                  {"retry_interval_ms", [&](auto& n, auto k) { c.integer_in(n, k, r.retry_interval_ms, 100, 3600000); }},
                  {"max_pending", [&](auto& n, auto k) { c.integer_in(n, k, r.max_pending, 1, 100000000); }},
              });
}

void read_history(Checker& c, const toml::table& t, HistoryConfig& h) {
  check_table(c, t, "history",
              {
                  {"path", [&](auto& n, auto k) { c.string(n, k, h.path); }},
                  {"retention_days",
                   [&](auto& n, auto k) { c.unsigned_integer(n, k, h.retention_days); }},
                  {"backend",
                   [&](auto& n, auto k) {
                     c.string(n, k, h.backend);
                     if (h.backend != "sqlite" && h.backend != "redis") {
                       c.error(n, k, "unknown backend '" + h.backend + "' (sqlite, redis)");
                     }
                   }},
                  {"redis", [&](auto& n, auto k) { read_history_redis(c, n, k, h.redis); }},
              });
  // With Redis the file is this node's copy and its fallback during an outage: required.
  if (h.backend == "redis" && h.path.empty()) {
    c.error(t, "history.path", "backend = \"redis\" needs a path: the local SQLite store used while Redis is down");
  }
}

void read_export(Checker& c, const toml::table& t, ExportConfig& e) {
  check_table(c, t, "export",
              {
                  {"producer",
                   [&](auto& n, auto k) {
                     c.string(n, k, e.producer);
                     if (e.producer.empty()) c.error(n, k, "must name who shares (the STIX identity)");
                   }},
                  {"tlp",
                   [&](auto& n, auto k) {
                     c.string(n, k, e.tlp);
                     intel::Tlp tlp = intel::Tlp::kUnknown;
                     if (!intel::sharing::parse_tlp(e.tlp, tlp)) {
                       c.error(n, k, "unknown TLP level '" + e.tlp + "' (clear, green, amber, amber+strict, red)");
                     }
                   }},
              });
}

void read_auth(Checker& c, const toml::table& t, AuthConfig& a) {
  check_table(c, t, "auth",
              {
                  {"authserv_id",
                   [&](auto& n, auto k) {
                     c.string(n, k, a.authserv_id);
                     if (a.authserv_id.find_first_of(" \t;()\"") != std::string::npos ||
                         a.authserv_id.empty()) {
                       c.error(n, k, "must be a host name (no spaces, ';', parentheses or quotes)");
                     }
                   }},
                  {"trusted_arc_sealers",
                   [&](auto& n, auto k) { c.strings(n, k, a.trusted_arc_sealers, accept_domain); }},
              });
}

// Paths in the file are relative to the file, not to wherever vigie was started.
void resolve_paths(const std::string& config_path, Config& config) {
  const auto resolve = [&](std::string& p) { p = relative_to_file(config_path, p); };
  resolve(config.lists.data_dir);
  for (std::string& p : config.lists.brands) resolve(p);
  for (std::string& p : config.lists.link_categories) resolve(p);
  resolve(config.history.path);
  resolve(config.history.redis.socket);
  resolve(config.dns.trust_anchor_file);
}

void read_dns(Checker& c, const toml::table& t, DnsConfig& d) {
  check_table(c, t, "dns",
              {
                  {"timeout_ms", [&](auto& n, auto k) { c.integer_in(n, k, d.timeout_ms, 1, 60000); }},
                  {"retries", [&](auto& n, auto k) { c.integer_in(n, k, d.retries, 0, 5); }},
                  {"max_queries_per_message",
                   [&](auto& n, auto k) { c.integer_in(n, k, d.max_queries_per_message, 1, 10000); }},
                  {"message_budget_ms",
                   [&](auto& n, auto k) { c.integer_in(n, k, d.message_budget_ms, 1, 600000); }},
                  {"servers",
                   [&](auto& n, auto k) {
                     c.strings(n, k, d.servers, [](const std::string& server) {
                       auto parsed = IpEndpoint::parse(server, 53);
                       return parsed ? std::string() : "DNS server " + parsed.error().message;
                     });
                   }},
                  {"trust_anchor_file",
                   [&](auto& n, auto k) {
                     c.string(n, k, d.trust_anchor_file);
                     if (const std::string problem = file_problem(relative_to_file(c.path(), d.trust_anchor_file));
                         !problem.empty()) {
                       c.error(n, k, "'" + d.trust_anchor_file + "' " + problem);
                     }
                   }},
              });
}

void read_relays(Checker& c, const toml::table& t, RelayConfig& r) {
  check_table(c, t, "relays",
              {
                  {"trusted",
                   [&](auto& n, auto k) {
                     c.strings(n, k, r.trusted, [](const std::string& network) {
                       return IpNetwork::parse(network)
                                  ? std::string()
                                  : "'" + network +
                                        "' is not an IP address or network (192.0.2.0/24, "
                                        "2001:db8::/32; host bits after the prefix must be zero)";
                     });
                   }},
              });
}

void read_serve(Checker& c, const toml::table& t, ServeConfig& s) {
  check_table(c, t, "serve",
              {
                  {"http_listen",
                   [&](auto& n, auto k) {
                     c.string(n, k, s.http_listen);
                     if (auto parsed = IpEndpoint::parse(s.http_listen, 0); !parsed) {
                       c.error(n, k, parsed.error().message);
                     } else if (parsed->port == 0) {
                       c.error(n, k, "needs a port (IP:PORT, [IPv6]:PORT)");
                     }
                   }},
                  {"threads", [&](auto& n, auto k) { c.integer_in(n, k, s.threads, 1, 1024); }},
                  {"milter_listen",
                   [&](auto& n, auto k) {
                     c.string(n, k, s.milter_listen);
                     if (s.milter_listen.empty()) return;
                     if (auto parsed = IpEndpoint::parse(s.milter_listen, 0); !parsed) {
                       c.error(n, k, parsed.error().message);
                     } else if (parsed->port == 0) {
                       c.error(n, k, "needs a port (IP:PORT, [IPv6]:PORT)");
                     }
                   }},
                  {"milter_max_connections",
                   [&](auto& n, auto k) { c.integer_in(n, k, s.milter_max_connections, 1, 4096); }},
                  {"milter_on_error",
                   [&](auto& n, auto k) {
                     c.string(n, k, s.milter_on_error);
                     if (s.milter_on_error != "tempfail" && s.milter_on_error != "accept") {
                       c.error(n, k, "must be \"tempfail\" (fail closed) or \"accept\" (fail open)");
                     }
                   }},
                  {"milter_quarantine",
                   [&](auto& n, auto k) {
                     c.string(n, k, s.milter_quarantine);
                     if (s.milter_quarantine != "vigie" && s.milter_quarantine != "mta") {
                       c.error(n, k, "must be \"vigie\" (vigie's quarantine) or \"mta\" (the MTA's hold queue)");
                     }
                   }},
                  {"max_request_bytes",
                   [&](auto& n, auto k) { c.unsigned_integer(n, k, s.max_request_bytes); }},
                  {"read_timeout_ms",
                   [&](auto& n, auto k) { c.integer_in(n, k, s.read_timeout_ms, 100, 600000); }},
                  {"write_timeout_ms",
                   [&](auto& n, auto k) { c.integer_in(n, k, s.write_timeout_ms, 100, 600000); }},
                  {"keep_alive_timeout_ms",
                   [&](auto& n, auto k) { c.integer_in(n, k, s.keep_alive_timeout_ms, 1000, 600000); }},
                  {"keep_alive_max_requests",
                   [&](auto& n, auto k) { c.integer_in(n, k, s.keep_alive_max_requests, 1, 100000); }},
                  {"shutdown_timeout_ms",
                   [&](auto& n, auto k) { c.integer_in(n, k, s.shutdown_timeout_ms, 0, 3600000); }},
                  {"admin_token",
                   [&](auto& n, auto k) {
                     c.string(n, k, s.admin_token);
                     // A short token can be guessed; an empty one would read as "no token".
                     if (s.admin_token.size() < 16) c.error(n, k, "must be at least 16 characters");
                   }},
              });
}

void read_events(Checker& c, const toml::table& t, EventsConfig& e) {
  check_table(c, t, "events",
              {
                  {"path",
                   [&](auto& n, auto k) {
                     c.string(n, k, e.path);
                     if (e.path.empty()) return c.error(n, k, "must not be empty (leave the key out to record no events)");
                     e.path = relative_to_file(c.path(), e.path);
                     const std::filesystem::path parent = std::filesystem::path(e.path).parent_path();
                     if (const std::string problem = directory_problem(parent.empty() ? "." : parent.string());
                         !problem.empty()) {
                       c.error(n, k, "the folder of '" + e.path + "' " + problem);
                     }
                   }},
                  {"retention_days", [&](auto& n, auto k) { c.integer_in(n, k, e.retention_days, 0, 36500); }},
                  {"queue_size",
                   [&](auto& n, auto k) {
                     unsigned size = 0;
                     c.integer_in(n, k, size, 1, 10000000);
                     if (size > 0) e.queue_size = size;
                   }},
              });
}

void read_quarantine(Checker& c, const toml::table& t, QuarantineConfig& q) {
  check_table(c, t, "quarantine",
              {
                  {"maildir",
                   [&](auto& n, auto k) {
                     c.string(n, k, q.maildir);
                     if (q.maildir.empty()) return c.error(n, k, "must not be empty (leave the key out to hold nothing)");
                     q.maildir = relative_to_file(c.path(), q.maildir);
                     // Created at start when missing; something else by that name is a mistake now.
                     std::error_code ec;
                     if (std::filesystem::exists(q.maildir, ec) && !std::filesystem::is_directory(q.maildir, ec)) {
                       c.error(n, k, "'" + q.maildir + "' exists and is not a folder");
                     }
                   }},
                  {"release_smtp",
                   [&](auto& n, auto k) {
                     c.string(n, k, q.release_smtp);
                     if (auto parsed = IpEndpoint::parse(q.release_smtp, 0); !parsed) {
                       c.error(n, k, parsed.error().message);
                     } else if (parsed->port == 0) {
                       c.error(n, k, "needs a port (IP:PORT, [IPv6]:PORT)");
                     }
                   }},
                  {"retention_days", [&](auto& n, auto k) { c.integer_in(n, k, q.retention_days, 0, 36500); }},
                  {"release_timeout_ms",
                   [&](auto& n, auto k) { c.integer_in(n, k, q.release_timeout_ms, 1000, 600000); }},
              });
}

// [serve], [events] and [quarantine] of `root`, with the rule that joins them.
void read_service_sections(Checker& c, const toml::table& root, ServeConfig& s) {
  const auto section = [&](const char* name, auto read) {
    const toml::node* node = root.get(name);
    if (node == nullptr) return;
    if (const toml::table* table = node->as_table()) {
      read(*table);
    } else {
      c.error(*node, name, "expected a [section]");
    }
  };
  section("serve", [&](const toml::table& t) { read_serve(c, t, s); });
  section("events", [&](const toml::table& t) { read_events(c, t, s.events); });
  section("quarantine", [&](const toml::table& t) { read_quarantine(c, t, s.quarantine); });
  // The quarantine's rows live in the event store's file.
  if (!s.quarantine.maildir.empty() && s.events.path.empty()) {
    c.error(*root.get("quarantine"), "quarantine.maildir", "needs [events] path: the quarantine's rows are kept there");
  }
}

void read_actions(Checker& c, const toml::table& t, service::ActionSettings& a) {
  check_table(c, t, "actions",
              {
                  {"banner_languages",
                   [&](auto& n, auto k) {
                     std::vector<std::string> languages;
                     c.strings(n, k, languages, [&](const std::string& language) {
                       if (language != "en" && language != "fr") return "unknown language '" + language + "' (en, fr)";
                       if (std::find(languages.begin(), languages.end(), language) != languages.end()) {
                         return "'" + language + "' is listed twice";
                       }
                       return std::string();
                     });
                     if (n.is_array() && n.as_array()->empty()) return c.error(n, k, "needs at least one language (en, fr)");
                     if (!languages.empty()) a.banner_languages = std::move(languages);
                   }},
                  {"top_findings",
                   [&](auto& n, auto k) {
                     auto top = static_cast<unsigned>(a.top_findings);
                     c.integer_in(n, k, top, 0, 50);
                     a.top_findings = top;
                   }},
                  {"banner_on_warn",
                   [&](auto& n, auto k) {
                     if (!n.is_boolean()) return c.error(n, k, "expected true or false");
                     a.banner_on_warn = *n.template value<bool>();
                   }},
                  {"max_banner_part_bytes",
                   [&](auto& n, auto k) { c.unsigned_integer(n, k, a.max_banner_part_bytes); }},
              });
}

// The file parsed again for a section the service reads itself ([serve], [actions]); a syntax
// error located as load_config() locates it.
Result<toml::table> parse_for_service(const std::string& path) {
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream out;
    out << path << ':' << e.source().begin.line << ':' << e.source().begin.column << ": "
        << e.description();
    return fail(Error::config(out.str()));
  }
}

}  // namespace

Result<Config> load_config(const std::string& path) {
  Config config;
  config.source = path;
  std::shared_ptr<const toml::table> document;
  try {
    document = std::make_shared<const toml::table>(toml::parse_file(path));
  } catch (const toml::parse_error& e) {
    std::ostringstream out;
    out << path << ':' << e.source().begin.line << ':' << e.source().begin.column << ": "
        << e.description();
    return fail(Error::config(out.str()));
  }
  const toml::table& root = *document;
  Checker checker(path);
  for (const auto& [key, node] : root) {
    const toml::table* table = node.as_table();
    const std::string name(key.str());
    if (name == "people") {
      read_people(checker, node, config.organisation);
    } else if (name == "serve" || name == "events" || name == "quarantine") {
      // Read below, together: the service reads them again (load_serve_config()).
    } else if (!table) {
      checker.error(node, name, "expected a [section]");
    } else if (name == "limits") {
      read_limits(checker, *table, config.limits);
    } else if (name == "policy") {
      read_policy(checker, *table, config.policy);
    } else if (name == "groups") {
      read_groups(checker, *table, config.policy);
    } else if (name == "analyzers") {
      read_analyzers(checker, document, *table, config.analyzers);
    } else if (name == "organisation") {
      read_organisation(checker, *table, config.organisation);
    } else if (name == "lists") {
      read_lists(checker, *table, config.lists);
    } else if (name == "history") {
      read_history(checker, *table, config.history);
    } else if (name == "classifier") {
      checker.error(node, name, "moved: the classifier's model and threshold are [analyzers.content_classifier] keys");
    } else if (name == "auth") {
      read_auth(checker, *table, config.auth);
    } else if (name == "export") {
      read_export(checker, *table, config.exports);
    } else if (name == "dns") {
      read_dns(checker, *table, config.dns);
    } else if (name == "relays") {
      read_relays(checker, *table, config.relays);
    } else if (name == "actions") {
      service::ActionSettings checked_only;  // the service reads it again: load_actions_settings()
      read_actions(checker, *table, checked_only);
    } else {
      checker.error(node, name, "unknown section");
    }
  }
  ServeConfig checked_only;
  read_service_sections(checker, root, checked_only);
  if (!checker.errors().empty()) {
    std::string all;
    for (const std::string& e : checker.errors()) all += (all.empty() ? "" : "\n") + e;
    return fail(Error::config(all));
  }
  resolve_paths(path, config);
  return config;
}

Result<ServeConfig> load_serve_config(const std::string& path) {
  ServeConfig serve;
  Result<toml::table> root = parse_for_service(path);
  if (!root) return fail(root.error());
  Checker checker(path);
  read_service_sections(checker, *root, serve);
  if (!checker.errors().empty()) {
    std::string all;
    for (const std::string& e : checker.errors()) all += (all.empty() ? "" : "\n") + e;
    return fail(Error::config(all));
  }
  return serve;
}

Result<service::ActionSettings> load_actions_settings(const std::string& path) {
  service::ActionSettings actions;
  Result<toml::table> root = parse_for_service(path);
  if (!root) return fail(root.error());
  Checker checker(path);
  if (const toml::node* node = root->get("actions")) {
    if (const toml::table* table = node->as_table()) {
      read_actions(checker, *table, actions);
    } else {
      checker.error(*node, "actions", "expected a [section]");
    }
  }
  // The authserv-id vigie writes is the one it removes: one setting, [auth] authserv_id.
  if (const toml::node* node = root->get("auth")) {
    if (const toml::table* table = node->as_table()) {
      AuthConfig auth;
      read_auth(checker, *table, auth);
      actions.authserv_id = auth.authserv_id;
    } else {
      checker.error(*node, "auth", "expected a [section]");
    }
  }
  if (!checker.errors().empty()) {
    std::string all;
    for (const std::string& e : checker.errors()) all += (all.empty() ? "" : "\n") + e;
    return fail(Error::config(all));
  }
  return actions;
}

std::string data_dir(const Config& config) {
  if (!config.lists.data_dir.empty()) return config.lists.data_dir;
  if (const char* from_env = std::getenv("VIGIE_DATA_DIR"); from_env && *from_env) return from_env;
  return VIGIE_DEFAULT_DATA_DIR;
}

}  // namespace vigie

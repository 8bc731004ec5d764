// TOML configuration over built-in defaults. Every key is checked against the schema below:
// unknown sections or keys, wrong types and out-of-range values are errors reported as
// "file:line:column: key: message", all of them at once, so an operator fixes a file in one pass.
#include <toml++/toml.h>

#include <functional>
#include <map>
#include <sstream>

#include "analyzers/analyzer.h"
#include "auth/dns/unbound_resolver.h"
#include "auth/stage/client_identity.h"
#include "vigie/config.h"

namespace vigie {
namespace {

class Checker {
 public:
  explicit Checker(std::string path) : path_(std::move(path)) {}

  void error(const toml::node& node, std::string_view key, std::string_view message) {
    const toml::source_region& where = node.source();
    std::ostringstream out;
    out << path_ << ':' << where.begin.line << ':' << where.begin.column << ": " << key << ": "
        << message;
    errors_.push_back(out.str());
  }

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

  void string(const toml::node& node, std::string_view key, std::string& target) {
    const auto value = node.value<std::string>();
    if (!node.is_string() || !value) return error(node, key, "expected a string");
    target = *value;
  }

  // An array of strings, each accepted by `check` (which returns an error message, or "" if fine).
  void string_list(const toml::node& node, std::string_view key, std::vector<std::string>& target,
                   const std::function<std::string(const std::string&)>& check) {
    const toml::array* list = node.as_array();
    if (!list) return error(node, key, "expected an array of strings");
    for (const toml::node& item : *list) {
      const auto value = item.value<std::string>();
      if (!item.is_string() || !value) {
        error(item, key, "expected a string");
        continue;
      }
      if (const std::string why = check(*value); !why.empty()) {
        error(item, key, why);
        continue;
      }
      target.push_back(*value);
    }
  }

  void number(const toml::node& node, std::string_view key, double& target) {
    if (!node.is_number()) return error(node, key, "expected a number");
    target = *node.value<double>();
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
              });
}

void read_policy(Checker& c, const toml::table& t, PolicyConfig& p) {
  check_table(c, t, "policy",
              {
                  {"tag_at", [&](auto& n, auto k) { c.number(n, k, p.tag_at); }},
                  {"warn_at", [&](auto& n, auto k) { c.number(n, k, p.warn_at); }},
                  {"quarantine_at", [&](auto& n, auto k) { c.number(n, k, p.quarantine_at); }},
                  {"reject_at", [&](auto& n, auto k) { c.number(n, k, p.reject_at); }},
              });
  if (!(p.tag_at <= p.warn_at && p.warn_at <= p.quarantine_at && p.quarantine_at <= p.reject_at)) {
    c.error(t, "policy", "thresholds must satisfy tag_at <= warn_at <= quarantine_at <= reject_at");
  }
}

void read_analyzers(Checker& c, const toml::table& t, AnalyzerConfig& a) {
  check_table(c, t, "analyzers",
              {
                  {"disabled",
                   [&](const toml::node& n, std::string_view k) {
                     const toml::array* list = n.as_array();
                     if (!list) return c.error(n, k, "expected an array of analyzer names");
                     for (const toml::node& item : *list) {
                       const auto name = item.value<std::string>();
                       if (!name) {
                         c.error(item, k, "expected a string");
                         continue;
                       }
                       bool known = false;
                       for (const auto* d : analyzers::registry()) known |= d->name == *name;
                       if (!known) {
                         c.error(item, k, "unknown analyzer '" + *name + "'");
                         continue;
                       }
                       a.disabled.push_back(*name);
                     }
                   }},
              });
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
                     c.string_list(n, k, d.servers, [](const std::string& server) {
                       auto parsed = auth::dns::parse_server_address(server);
                       return parsed ? std::string() : parsed.error().message;
                     });
                   }},
                  {"trust_anchor_file", [&](auto& n, auto k) { c.string(n, k, d.trust_anchor_file); }},
              });
}

void read_relays(Checker& c, const toml::table& t, RelayConfig& r) {
  check_table(c, t, "relays",
              {
                  {"trusted",
                   [&](auto& n, auto k) {
                     c.string_list(n, k, r.trusted, [](const std::string& network) {
                       return auth::IpNetwork::parse(network)
                                  ? std::string()
                                  : "'" + network +
                                        "' is not an IP address or network (192.0.2.0/24, "
                                        "2001:db8::/32; host bits after the prefix must be zero)";
                     });
                   }},
              });
}

}  // namespace

Result<Config> load_config(const std::string& path) {
  Config config;
  config.source = path;
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream out;
    out << path << ':' << e.source().begin.line << ':' << e.source().begin.column << ": "
        << e.description();
    return fail(Error::config(out.str()));
  }
  Checker checker(path);
  for (const auto& [key, node] : root) {
    const toml::table* table = node.as_table();
    const std::string name(key.str());
    if (!table) {
      checker.error(node, name, "expected a [section]");
    } else if (name == "limits") {
      read_limits(checker, *table, config.limits);
    } else if (name == "policy") {
      read_policy(checker, *table, config.policy);
    } else if (name == "analyzers") {
      read_analyzers(checker, *table, config.analyzers);
    } else if (name == "dns") {
      read_dns(checker, *table, config.dns);
    } else if (name == "relays") {
      read_relays(checker, *table, config.relays);
    } else {
      checker.error(node, name, "unknown section");
    }
  }
  if (!checker.errors().empty()) {
    std::string all;
    for (const std::string& e : checker.errors()) all += (all.empty() ? "" : "\n") + e;
    return fail(Error::config(all));
  }
  return config;
}

}  // namespace vigie

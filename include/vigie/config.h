// Configuration: typed structs with built-in defaults, so every command works without a file.
// load_config() reads TOML and rejects unknown keys and wrong types with "file:line:column: key:
// message" errors. The [organisation] and [[people]] sections describe who vigie protects: the
// look-alike, impersonation and first-contact detectors read them.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "vigie/limits.h"
#include "vigie/verdict.h"
#include "vigie/result.h"

namespace vigie {

struct PolicyConfig {
  // Minimum score for each action; a message below tag_at is accepted.
  double tag_at = 4;
  double warn_at = 7;
  double quarantine_at = 12;
  double reject_at = 20;
  // The strongest action vigie may take ("monitor mode" sites set tag or warn).
  Action max_action = Action::kReject;
  // Finding id → least action when that finding is present, whatever the score
  // (e.g. DMARC_FAIL_PROTECTED_DOMAIN = quarantine).
  std::map<std::string, Action, std::less<>> finding_actions;
  // [groups.<name>] max_score: group name → the most that group's findings count together,
  // replacing the default of src/verdict/groups.def (infinity: no cap).
  std::map<std::string, double, std::less<>> group_max_scores;
};

// The settings of one pluggable component ([analyzers.<name>]) as read from the file, for the
// component itself to read and check in prepare() (src/config/section.h, with file:line:column
// errors): the public configuration does not grow a field for every analyzer's settings.
class ConfigSection {
 public:
  struct Data;  // the TOML table, its name and its file (src/config/section.h)
  ConfigSection() = default;
  explicit ConfigSection(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  bool empty() const { return data_ == nullptr; }
  const Data* data() const { return data_.get(); }

 private:
  std::shared_ptr<const Data> data_;
};

struct AnalyzerConfig {
  std::vector<std::string> disabled;  // analyzer names not run
  // Analyzer name → multiplier of the scores of its findings (1 when absent).
  std::map<std::string, double, std::less<>> weights;
  // Finding id → score replacing the catalog's default.
  std::map<std::string, double, std::less<>> scores;
  // [analyzers.<name>] → that analyzer's own settings.
  std::map<std::string, ConfigSection, std::less<>> sections;
  // The whole [analyzers] table, so the engine (which knows the analyzers; the configuration
  // reader does not) can point at an unknown name's line and column.
  ConfigSection table;
};

// A person whose name or address attackers would borrow.
struct ProtectedPerson {
  std::string name;                             // "Jeanne Dupont"
  std::vector<std::string> aliases;             // other spellings: "J. Dupont", "Dupont Jeanne"
  std::vector<std::string> addresses;           // official addresses, lowercase
  // Addresses outside the organisation known to be this person (a configured personal mailbox):
  // mail from them is not impersonation.
  std::vector<std::string> personal_addresses;
  std::string role;                             // "director", "minister"...: evidence only
};

struct OrganisationConfig {
  std::string name;                             // as it appears in display names
  std::vector<std::string> aliases;             // acronyms and other names of the organisation
  std::vector<std::string> protected_domains;   // our own domains, lowercase, no trailing dot
  std::vector<std::string> partner_domains;     // legitimate correspondents' domains
  std::vector<std::string> internal_networks;   // CIDR ranges of our own hosts
  std::vector<ProtectedPerson> people;
  bool empty() const { return protected_domains.empty() && people.empty() && name.empty(); }
};

// Data files shared by several detectors (intel::SharedLists loads each once per engine). The
// shipped lists are read from data_dir; the others add to them. A list only one analyzer reads
// belongs to that analyzer's section ([analyzers.lure_language] lists, ...).
struct ListsConfig {
  std::string data_dir;                         // empty: the built-in default (see data_dir())
  std::vector<std::string> brands;              // extra brand / supplier lists
  std::vector<std::string> link_categories;     // extra link-category lists
  // A public suffix list file replacing libpsl's built-in list for the whole process
  // (parse/url/public_suffix_list.h); empty: the built-in list.
  std::string public_suffix_list;
};

// [history.redis]: the Redis server several vigie nodes share the history on (backend = "redis").
struct RedisHistoryConfig {
  std::string host = "127.0.0.1";
  unsigned port = 6379;
  std::string socket;                // a Unix socket path; when set, host and port are not used
  std::string username;              // ACL user (Redis 6+); empty: the default user
  std::string password_file;         // file holding the password (first line); empty: no AUTH
  std::string password;              // read from password_file by load_config, never from the file
  unsigned db = 0;
  std::string key_prefix = "vigie:";  // several deployments on one server; no braces
  unsigned connect_timeout_ms = 500;
  unsigned command_timeout_ms = 500;  // a scan waits at most this long on a silent server
  unsigned retry_interval_ms = 5000;  // during an outage, Redis is tried again at most this often
  unsigned max_pending = 100000;      // increments queued during an outage for replay into Redis
};

// Sender history for first-contact detection: SQLite alone, or Redis shared by several nodes with
// the SQLite file as this node's copy and fallback (store/fallback_store.h).
struct HistoryConfig {
  std::string path;                             // empty: no history, no first-contact findings
  unsigned retention_days = 400;
  std::string backend = "sqlite";               // "sqlite" or "redis"
  RedisHistoryConfig redis;
};

// Sender authentication settings.
struct AuthConfig {
  // The authserv-id of the Authentication-Results header vigie writes (RFC 8601 §2.5): the name
  // of this administrative domain's mail gateway.
  std::string authserv_id = "vigie";
  // ARC sealers (d= of the ARC-Seal, lowercase) whose valid chains may override a DMARC fail:
  // mailing lists and forwarders the organisation trusts (RFC 7489 §7.2.1, RFC 8617 §7.2).
  std::vector<std::string> trusted_arc_sealers;
};

// [dns]: live DNS for sender authentication (used with `vigie scan --dns` or --dns-server).
struct DnsConfig {
  unsigned timeout_ms = 3000;               // one attempt of one lookup
  unsigned retries = 1;                     // further attempts after a timeout or SERVFAIL
  unsigned max_queries_per_message = 50;    // lookups of all checks of one message together
  unsigned message_budget_ms = 10000;       // time all lookups of one message may take
  std::vector<std::string> servers;         // forwarders "IP[:PORT]"; empty: /etc/resolv.conf
  std::string trust_anchor_file;            // DNSSEC validation with this anchor when set
};

// [relays]: the organisation's own mail relays. Without an envelope client IP, the client is read
// from the Received chain, skipping hops whose client is one of these (see
// src/auth/stage/client_identity.h).
struct RelayConfig {
  std::vector<std::string> trusted;  // IP addresses or CIDR networks ("192.0.2.0/24", "2001:db8::/32")
};

// [export]: how `vigie scan --export` and `vigie intel export` label what they share.
struct ExportConfig {
  std::string producer = "vigie";  // the STIX identity and MISP Orgc name
  std::string tlp = "amber";       // clear, green, amber, amber+strict, red (TLP 2.0)
};

struct Config {
  Limits limits;
  PolicyConfig policy;
  AnalyzerConfig analyzers;
  OrganisationConfig organisation;
  ListsConfig lists;
  HistoryConfig history;
  AuthConfig auth;
  DnsConfig dns;
  RelayConfig relays;
  ExportConfig exports;
  std::string source;  // file it was read from, empty for built-in defaults
};

// Reads and validates a TOML configuration file over the built-in defaults. Relative list and
// history paths are resolved against the configuration file's directory (analyzers resolve the
// paths of their own sections the same way). [analyzers.<name>] sections are kept for their
// analyzers, which the engine asks to check them.
Result<Config> load_config(const std::string& path);

// Where the shipped data files are: lists.data_dir if set, else $VIGIE_DATA_DIR, else the
// directory chosen at build time (the source tree's data/ for a build tree, share/vigie once
// installed).
std::string data_dir(const Config& config);

}  // namespace vigie

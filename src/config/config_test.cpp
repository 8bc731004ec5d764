#include "vigie/config.h"

#include "config/actions_config.h"
#include "config/serve_config.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace vigie {
namespace {

std::string write_temp(std::string_view name, std::string_view content) {
  const auto path = std::filesystem::temp_directory_path() / ("vigie_config_test_" + std::string(name));
  std::ofstream(path) << content;
  return path.string();
}

TEST(ConfigTest, DefaultsApplyWithoutFile) {
  const Config c;
  EXPECT_EQ(c.limits.max_mime_depth, 24u);
  EXPECT_LT(c.policy.tag_at, c.policy.reject_at);
}

TEST(ConfigTest, ReadsKnownKeys) {
  const auto path = write_temp("ok.toml",
                               "[limits]\nmax_parts = 50\nmax_message_bytes = 1048576\n"
                               "[policy]\ntag_at = 2\nwarn_at = 3.5\nquarantine_at = 9\nreject_at = 10\n"
                               "[analyzers]\ndisabled = [\"parse_anomalies\"]\n");
  const Result<Config> c = load_config(path);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->limits.max_parts, 50u);
  EXPECT_EQ(c->limits.max_message_bytes, 1048576u);
  EXPECT_EQ(c->policy.warn_at, 3.5);
  EXPECT_EQ(c->analyzers.disabled, std::vector<std::string>{"parse_anomalies"});
}

TEST(ConfigTest, ErrorsNameFileLineAndKey) {
  const auto path = write_temp("bad.toml",
                               "[limits]\nmax_parts = \"many\"\nmax_depth = 3\n"
                               "[nope]\nx = 1\n[analyzers]\ndisabled = [\"ghost\"]\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  const std::string& m = c.error().message;
  EXPECT_NE(m.find(path + ":2:"), std::string::npos) << m;
  EXPECT_NE(m.find("limits.max_parts: expected an integer"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":3:"), std::string::npos) << m;
  EXPECT_NE(m.find("limits.max_depth: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find("nope: unknown section"), std::string::npos) << m;
  // Analyzer names are the engine's to check (EngineConfigTest): the reader does not know them.
  EXPECT_EQ(m.find("ghost"), std::string::npos) << m;
}

TEST(ConfigTest, ExportProducerAndTlp) {
  EXPECT_EQ(Config{}.exports.producer, "vigie");
  EXPECT_EQ(Config{}.exports.tlp, "amber");
  const Result<Config> c =
      load_config(write_temp("export.toml", "[export]\nproducer = \"CERT ministère\"\ntlp = \"TLP:AMBER+STRICT\"\n"));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->exports.producer, "CERT ministère");
  EXPECT_EQ(c->exports.tlp, "TLP:AMBER+STRICT");
  const auto bad = write_temp("export-bad.toml", "[export]\nproducer = \"\"\ntlp = \"orange\"\nformat = \"stix\"\n");
  const Result<Config> refused = load_config(bad);
  ASSERT_FALSE(refused);
  const std::string& m = refused.error().message;
  EXPECT_NE(m.find(bad + ":2:"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown TLP level 'orange'"), std::string::npos) << m;
  EXPECT_NE(m.find("export.format: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find("must name who shares"), std::string::npos) << m;
}

TEST(ConfigTest, ServeSectionIsReadByTheServiceAndCheckedWithTheRest) {
  const auto path = write_temp("serve.toml",
                               "[serve]\nhttp_listen = \"[::1]:8080\"\nthreads = 3\n"
                               "max_request_bytes = 1000\nadmin_token = \"0123456789abcdef\"\n");
  ASSERT_TRUE(load_config(path)) << load_config(path).error().message;
  const Result<ServeConfig> serve = load_serve_config(path);
  ASSERT_TRUE(serve) << serve.error().message;
  EXPECT_EQ(serve->http_listen, "[::1]:8080");
  EXPECT_EQ(serve->threads, 3u);
  EXPECT_EQ(serve->max_request_bytes, 1000u);
  EXPECT_EQ(serve->admin_token, "0123456789abcdef");
  // Without the section, the defaults: loopback, admin endpoints off.
  const Result<ServeConfig> defaults = load_serve_config(write_temp("noserve.toml", "[policy]\ntag_at = 4\n"));
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->http_listen, "127.0.0.1:11380");
  EXPECT_TRUE(defaults->admin_token.empty());

  const auto bad = write_temp("serve_bad.toml",
                              "[serve]\nhttp_listen = \"localhost:80\"\nthreads = 0\n"
                              "admin_token = \"short\"\nport = 1\n");
  for (const std::string& message : {load_config(bad).error().message, load_serve_config(bad).error().message}) {
    EXPECT_NE(message.find("serve.http_listen"), std::string::npos) << message;
    EXPECT_NE(message.find("serve.threads: must be between 1 and 1024"), std::string::npos) << message;
    EXPECT_NE(message.find("serve.admin_token: must be at least 16 characters"), std::string::npos) << message;
    EXPECT_NE(message.find("serve.port: unknown key"), std::string::npos) << message;
  }
  const Result<ServeConfig> no_port = load_serve_config(write_temp("serve_noport.toml", "[serve]\nhttp_listen = \"127.0.0.1\"\n"));
  ASSERT_FALSE(no_port);
  EXPECT_NE(no_port.error().message.find("needs a port"), std::string::npos) << no_port.error().message;
}

TEST(ConfigTest, ActionsSectionIsReadByTheServiceWithOurAuthservIdAndCheckedWithTheRest) {
  const auto path = write_temp("actions.toml",
                               "[auth]\nauthserv_id = \"mx.exemple.gouv.fr\"\n"
                               "[actions]\nbanner_languages = [\"fr\", \"en\"]\ntop_findings = 3\n"
                               "banner_on_warn = false\nmax_banner_part_bytes = 1048576\n");
  ASSERT_TRUE(load_config(path)) << load_config(path).error().message;
  const Result<service::ActionSettings> actions = load_actions_settings(path);
  ASSERT_TRUE(actions) << actions.error().message;
  EXPECT_EQ(actions->authserv_id, "mx.exemple.gouv.fr");
  EXPECT_EQ(actions->banner_languages, (std::vector<std::string>{"fr", "en"}));
  EXPECT_EQ(actions->top_findings, 3u);
  EXPECT_FALSE(actions->banner_on_warn);
  EXPECT_EQ(actions->max_banner_part_bytes, 1048576u);
  // Without the sections, the defaults.
  const Result<service::ActionSettings> defaults = load_actions_settings(write_temp("noactions.toml", "[policy]\ntag_at = 4\n"));
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->authserv_id, "vigie");
  EXPECT_EQ(defaults->banner_languages, std::vector<std::string>{"en"});
  EXPECT_TRUE(defaults->banner_on_warn);

  const auto bad = write_temp("actions_bad.toml",
                              "[actions]\nbanner_languages = [\"fr\", \"de\", \"fr\"]\ntop_findings = 51\n"
                              "banner_on_warn = \"yes\"\nmax_banner_part_bytes = 0\nbanner = true\n");
  for (const std::string& message : {load_config(bad).error().message, load_actions_settings(bad).error().message}) {
    EXPECT_NE(message.find(bad + ":2:"), std::string::npos) << message;
    EXPECT_NE(message.find("actions.banner_languages: unknown language 'de' (en, fr)"), std::string::npos) << message;
    EXPECT_NE(message.find("actions.banner_languages: 'fr' is listed twice"), std::string::npos) << message;
    EXPECT_NE(message.find("actions.top_findings: must be between 0 and 50"), std::string::npos) << message;
    EXPECT_NE(message.find("actions.banner_on_warn: expected true or false"), std::string::npos) << message;
    EXPECT_NE(message.find("actions.max_banner_part_bytes: must be greater than zero"), std::string::npos) << message;
    EXPECT_NE(message.find(bad + ":6:"), std::string::npos) << message;
    EXPECT_NE(message.find("actions.banner: unknown key"), std::string::npos) << message;
  }
  const Result<service::ActionSettings> empty = load_actions_settings(write_temp("actions_empty.toml", "[actions]\nbanner_languages = []\n"));
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("needs at least one language"), std::string::npos) << empty.error().message;
}

TEST(ConfigTest, EventsAndQuarantineAreReadWithPathsRelativeToTheFile) {
  const auto path = write_temp("quarantine.toml",
                               "[events]\npath = \"events.db\"\nretention_days = 30\nqueue_size = 500\n"
                               "[quarantine]\nmaildir = \"held\"\nrelease_smtp = \"127.0.0.1:10027\"\n"
                               "retention_days = 7\n");
  ASSERT_TRUE(load_config(path)) << load_config(path).error().message;
  const Result<ServeConfig> serve = load_serve_config(path);
  ASSERT_TRUE(serve) << serve.error().message;
  const std::string folder = std::filesystem::path(path).parent_path().string();
  EXPECT_EQ(serve->events.path, folder + "/events.db");
  EXPECT_EQ(serve->events.retention_days, 30u);
  EXPECT_EQ(serve->events.queue_size, 500u);
  EXPECT_EQ(serve->quarantine.maildir, folder + "/held");
  EXPECT_EQ(serve->quarantine.release_smtp, "127.0.0.1:10027");
  EXPECT_EQ(serve->quarantine.retention_days, 7u);

  const Result<ServeConfig> defaults = load_serve_config(write_temp("nothing.toml", "[policy]\ntag_at = 4\n"));
  ASSERT_TRUE(defaults);
  EXPECT_TRUE(defaults->events.path.empty());
  EXPECT_TRUE(defaults->quarantine.maildir.empty());

  const auto bad = write_temp("quarantine_bad.toml",
                              "[events]\nqueue_size = 0\nretention = 3\n"
                              "[quarantine]\nmaildir = \"held\"\nrelease_smtp = \"mx.example:25\"\n");
  for (const std::string& message : {load_config(bad).error().message, load_serve_config(bad).error().message}) {
    EXPECT_NE(message.find("events.queue_size: must be between 1 and"), std::string::npos) << message;
    EXPECT_NE(message.find("events.retention: unknown key"), std::string::npos) << message;
    EXPECT_NE(message.find("quarantine.release_smtp"), std::string::npos) << message;
    // Without [events] path there is nowhere to keep the quarantine's rows.
    EXPECT_NE(message.find("needs [events] path"), std::string::npos) << message;
  }
  const auto missing_folder = write_temp("events_nofolder.toml", "[events]\npath = \"no/such/folder/events.db\"\n");
  ASSERT_FALSE(load_serve_config(missing_folder));
  EXPECT_NE(load_serve_config(missing_folder).error().message.find("events.path"), std::string::npos);
}

TEST(ConfigTest, ReadsARedisHistoryWithItsPasswordFromAFile) {
  const auto secret = write_temp("redis.password", "s3cret\n");
  const auto path = write_temp("redis.toml",
                               "[history]\nbackend = \"redis\"\npath = \"local.db\"\n"
                               "[history.redis]\nhost = \"10.0.0.5\"\nport = 6380\ndb = 2\n"
                               "password_file = \"" + secret + "\"\nkey_prefix = \"site1:\"\n"
                               "command_timeout_ms = 200\nretry_interval_ms = 1000\nmax_pending = 50\n");
  const Result<Config> c = load_config(path);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->history.backend, "redis");
  EXPECT_EQ(c->history.redis.host, "10.0.0.5");
  EXPECT_EQ(c->history.redis.port, 6380u);
  EXPECT_EQ(c->history.redis.db, 2u);
  EXPECT_EQ(c->history.redis.password, "s3cret");
  EXPECT_EQ(c->history.redis.key_prefix, "site1:");
  EXPECT_EQ(c->history.redis.command_timeout_ms, 200u);
  EXPECT_EQ(c->history.redis.connect_timeout_ms, 500u);  // default
  EXPECT_EQ(c->history.redis.max_pending, 50u);
  EXPECT_EQ(c->history.path, (std::filesystem::path(path).parent_path() / "local.db").string());
  EXPECT_EQ(Config{}.history.backend, "sqlite");
}

TEST(ConfigTest, RefusesRedisHistoryMistakes) {
  const auto path = write_temp("redis_bad.toml",
                               "[history]\nbackend = \"memcached\"\n"
                               "[history.redis]\nport = 70000\npassword = \"inline\"\nkey_prefix = \"a{b}\"\n"
                               "password_file = \"/nonexistent/vigie.password\"\ntypo = 1\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  const std::string& m = c.error().message;
  EXPECT_NE(m.find("history.backend: unknown backend 'memcached' (sqlite, redis)"), std::string::npos) << m;
  EXPECT_NE(m.find("history.redis.port: must be between 1 and 65535"), std::string::npos) << m;
  EXPECT_NE(m.find("history.redis.password: not read from the configuration"), std::string::npos) << m;
  EXPECT_NE(m.find("history.redis.key_prefix: must not hold"), std::string::npos) << m;
  EXPECT_NE(m.find("history.redis.password_file: '/nonexistent/vigie.password'"), std::string::npos) << m;
  EXPECT_NE(m.find("history.redis.typo: unknown key"), std::string::npos) << m;
  // Redis without a local file to fall back on.
  const auto no_path = write_temp("redis_nopath.toml", "[history]\nbackend = \"redis\"\n");
  const Result<Config> d = load_config(no_path);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("history.path: backend = \"redis\" needs a path"), std::string::npos)
      << d.error().message;
}

TEST(ConfigTest, RejectsNonPositiveLimitsAndUnorderedThresholds) {
  const auto path = write_temp("range.toml", "[limits]\nmax_parts = 0\n[policy]\ntag_at = 30\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("must be greater than zero"), std::string::npos);
  EXPECT_NE(c.error().message.find("tag_at <= warn_at"), std::string::npos);
}

TEST(ConfigTest, SyntaxErrorAndMissingFile) {
  const auto path = write_temp("syntax.toml", "[limits\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message.rfind(path + ":1:", 0), 0u) << c.error().message;
  EXPECT_FALSE(load_config("/nonexistent/vigie.toml"));
}

TEST(ConfigTest, ReadsOrganisationPeopleListsAndHistory) {
  std::filesystem::create_directories(std::filesystem::temp_directory_path() / "extra");
  std::ofstream(std::filesystem::temp_directory_path() / "extra/brands.tsv") << "# brands\n";
  const auto path = write_temp("org.toml", R"(
[organisation]
name = "Ministère de l'Exemple"
aliases = ["MinEx"]
protected_domains = ["Exemple.GOUV.fr.", "minex.fr"]
partner_domains = ["partenaire.fr"]
internal_networks = ["10.0.0.0/8", "2001:db8::/32", "192.0.2.1"]

[[people]]
name = "Jeanne Dupont"
aliases = ["J. Dupont"]
addresses = ["Jeanne.Dupont@exemple.gouv.fr"]
personal_addresses = ["jeanne.dupont@gmail.com"]
role = "directrice"

[[people]]
name = "Paul Martin"

[lists]
brands = ["extra/brands.tsv"]

[history]
path = "state/history.sqlite"
retention_days = 30

[policy]
max_action = "quarantine"
actions = { MULTIPLE_FROM = "warn" }

[auth]
authserv_id = "mx.exemple.gouv.fr"
trusted_arc_sealers = ["Lists.Partenaire.fr"]

[analyzers]
weights = { parse_anomalies = 0.5 }
scores = { MALFORMED_STRUCTURE = 0.25 }

[analyzers.domain_reputation]
lists = ["/etc/vigie/suffixes.tsv"]
)");
  const Result<Config> c = load_config(path);
  ASSERT_TRUE(c) << c.error().message;
  const OrganisationConfig& o = c->organisation;
  EXPECT_EQ(o.name, "Ministère de l'Exemple");
  EXPECT_EQ(o.protected_domains, (std::vector<std::string>{"exemple.gouv.fr", "minex.fr"}));
  EXPECT_EQ(o.internal_networks.size(), 3u);
  ASSERT_EQ(o.people.size(), 2u);
  EXPECT_EQ(o.people[0].addresses, std::vector<std::string>{"jeanne.dupont@exemple.gouv.fr"});
  EXPECT_EQ(o.people[0].personal_addresses, std::vector<std::string>{"jeanne.dupont@gmail.com"});
  EXPECT_EQ(o.people[1].name, "Paul Martin");
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  EXPECT_EQ(c->lists.brands, std::vector<std::string>{(dir / "extra/brands.tsv").string()});
  // An analyzer's own section is kept for it to read: the configuration has no field for it.
  ASSERT_EQ(c->analyzers.sections.count("domain_reputation"), 1u);
  EXPECT_FALSE(c->analyzers.sections.at("domain_reputation").empty());
  EXPECT_EQ(c->history.path, (dir / "state/history.sqlite").string());
  EXPECT_EQ(c->history.retention_days, 30u);
  EXPECT_EQ(c->policy.max_action, Action::kQuarantine);
  EXPECT_EQ(c->policy.finding_actions.at("MULTIPLE_FROM"), Action::kWarn);
  EXPECT_EQ(c->analyzers.weights.at("parse_anomalies"), 0.5);
  EXPECT_EQ(c->analyzers.scores.at("MALFORMED_STRUCTURE"), 0.25);
  EXPECT_EQ(c->auth.authserv_id, "mx.exemple.gouv.fr");
  EXPECT_EQ(c->auth.trusted_arc_sealers, std::vector<std::string>{"lists.partenaire.fr"});
}

TEST(ConfigTest, OrganisationErrorsNameTheEntry) {
  const auto path = write_temp("org_bad.toml", R"(
[organisation]
protected_domains = ["exemple gouv fr", 3, "localhost"]
internal_networks = ["10.0.0.0/33", "not-an-ip"]
[[people]]
addresses = ["nobody"]
[policy]
max_action = "delete"
actions = { NO_SUCH_FINDING = "tag" }
[analyzers]
weights = { ghost = -2 }
[auth]
authserv_id = "mx; evil"
)");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  const std::string& m = c.error().message;
  EXPECT_NE(m.find(":3:"), std::string::npos) << m;
  EXPECT_NE(m.find("organisation.protected_domains: 'exemple gouv fr' is not a domain name"),
            std::string::npos) << m;
  EXPECT_NE(m.find("organisation.protected_domains: expected a string"), std::string::npos) << m;
  EXPECT_NE(m.find("'localhost' has no dot"), std::string::npos) << m;
  EXPECT_NE(m.find("'10.0.0.0/33' is not an IP address or network"), std::string::npos) << m;
  EXPECT_NE(m.find("'not-an-ip' is not an IP address or network"), std::string::npos) << m;
  EXPECT_NE(m.find("people.addresses: 'nobody' is not an e-mail address"), std::string::npos) << m;
  EXPECT_NE(m.find("every person needs a name"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown action 'delete'"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown finding 'NO_SUCH_FINDING'"), std::string::npos) << m;
  EXPECT_NE(m.find("analyzers.weights.ghost: must not be negative"), std::string::npos) << m;
  EXPECT_NE(m.find("auth.authserv_id: must be a host name"), std::string::npos) << m;
}

// Settings that moved to an analyzer's section are refused with where they went, not ignored.
TEST(ConfigTest, MovedSettingsSayWhereTheyWent) {
  const auto path = write_temp("moved.toml",
                               "[classifier]\nmodel = \"m.txt\"\n[lists]\nlures = [\"x.tsv\"]\n"
                               "abused_suffixes = [\"y.tsv\"]\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  const std::string& m = c.error().message;
  EXPECT_NE(m.find(path + ":1:1: classifier: moved: the classifier's model and threshold are "
                   "[analyzers.content_classifier] keys"), std::string::npos) << m;
  EXPECT_NE(m.find("lists.lures: moved: extra lure lists are [analyzers.lure_language] lists"),
            std::string::npos) << m;
  EXPECT_NE(m.find("lists.abused_suffixes: moved: extra suffix lists are [analyzers.domain_reputation] lists"),
            std::string::npos) << m;
}

TEST(ConfigTest, AnAnalyzersKeyThatIsNeitherASettingNorASectionIsRefused) {
  const auto path = write_temp("analyzers_key.toml", "[analyzers]\nlinks = 3\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find(path + ":2:9: analyzers.links: unknown key"), std::string::npos)
      << c.error().message;
}

TEST(ConfigTest, DataDirPrefersConfigThenEnvironment) {
  Config c;
  EXPECT_FALSE(data_dir(c).empty());
  c.lists.data_dir = "/opt/vigie-data";
  EXPECT_EQ(data_dir(c), "/opt/vigie-data");
}

TEST(ConfigTest, DnsAndRelayDefaults) {
  const Config c;
  EXPECT_EQ(c.dns.timeout_ms, 3000u);
  EXPECT_EQ(c.dns.retries, 1u);
  EXPECT_EQ(c.dns.max_queries_per_message, 50u);
  EXPECT_EQ(c.dns.message_budget_ms, 10000u);
  EXPECT_TRUE(c.dns.servers.empty());
  EXPECT_TRUE(c.relays.trusted.empty());
}

TEST(ConfigTest, ReadsDnsAndRelays) {
  const std::string anchor = write_temp("root.key", ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
  const auto path = write_temp("dns.toml",
                               "[dns]\ntimeout_ms = 500\nretries = 0\nmax_queries_per_message = 20\n"
                               "message_budget_ms = 4000\nservers = [\"127.0.0.1:5353\", \"[::1]:53\"]\n"
                               "trust_anchor_file = \"" + anchor + "\"\n"
                               "[relays]\ntrusted = [\"192.0.2.0/24\", \"198.51.100.7\", \"2001:db8::/32\"]\n");
  const Result<Config> c = load_config(path);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->dns.timeout_ms, 500u);
  EXPECT_EQ(c->dns.retries, 0u);
  EXPECT_EQ(c->dns.max_queries_per_message, 20u);
  EXPECT_EQ(c->dns.message_budget_ms, 4000u);
  EXPECT_EQ(c->dns.servers, (std::vector<std::string>{"127.0.0.1:5353", "[::1]:53"}));
  EXPECT_EQ(c->dns.trust_anchor_file, anchor);
  EXPECT_EQ(c->relays.trusted,
            (std::vector<std::string>{"192.0.2.0/24", "198.51.100.7", "2001:db8::/32"}));
}

TEST(ConfigTest, DnsAndRelayErrorsNameFileLineAndKey) {
  const auto path = write_temp("dns_bad.toml",
                               "[dns]\n"
                               "timeout_ms = 0\n"
                               "retries = 9\n"
                               "servers = [\"dns.example\", 53]\n"
                               "cache = 1\n"
                               "[relays]\n"
                               "trusted = [\"192.0.2.1/24\", \"10.0.0.0/33\", \"mx.example\"]\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  const std::string& m = c.error().message;
  EXPECT_NE(m.find(path + ":2:14: dns.timeout_ms: must be between 1 and 60000"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":3:11: dns.retries: must be between 0 and 5"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":4:12: dns.servers: DNS server 'dns.example': not an IPv4 or IPv6 address"),
            std::string::npos) << m;
  EXPECT_NE(m.find(path + ":4:27: dns.servers: expected a string"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":5:9: dns.cache: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":7:12: relays.trusted: '192.0.2.1/24' is not an IP address or network"),
            std::string::npos) << m;
  EXPECT_NE(m.find("relays.trusted: '10.0.0.0/33'"), std::string::npos) << m;
  EXPECT_NE(m.find("relays.trusted: 'mx.example'"), std::string::npos) << m;
}

TEST(ConfigTest, ListPathsThatCannotBeReadAreLocatedAllAtOnce) {
  // Issue 12: a directory was accepted as a list file, list-path errors stopped at the first one
  // without a position, and a missing data_dir read "not a directory".
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "vigie_config_lists";
  std::filesystem::create_directories(dir / "lists");
  std::ofstream(dir / "lists/ours.tsv") << "x\n";
  const std::string path = (dir / "v.toml").string();
  std::ofstream(path) << "[lists]\ndata_dir = \"no-data\"\nbrands = [\"lists\", \"lists/ours.tsv\", \"gone.tsv\"]\n"
                         "link_categories = [\"lists/ours.tsv\"]\n[dns]\ntrust_anchor_file = \"lists\"\n";
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  const std::string& m = c.error().message;
  EXPECT_NE(m.find(path + ":2:12: lists.data_dir: 'no-data' does not exist"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":3:11: lists.brands: 'lists' is a directory, not a file"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":3:38: lists.brands: 'gone.tsv' does not exist"), std::string::npos) << m;
  EXPECT_NE(m.find("dns.trust_anchor_file: 'lists' is a directory, not a file"), std::string::npos) << m;
  EXPECT_EQ(m.find("ours.tsv"), std::string::npos) << m;  // the readable file is fine
  std::filesystem::remove_all(dir);
}

// [lists] public_suffix_list is read when the configuration is: a file that is missing, or not a
// complete list, is a mistake of the configuration file, located like the others.
TEST(ConfigTest, PublicSuffixListMustBeAReadableCompleteList) {
  const auto missing = write_temp("psl_missing.toml", "[lists]\npublic_suffix_list = \"no_such_psl.dat\"\n");
  const Result<Config> without = load_config(missing);
  ASSERT_FALSE(without);
  const std::string expected_path =
      (std::filesystem::path(missing).parent_path() / "no_such_psl.dat").string();  // relative to the file
  EXPECT_NE(without.error().message.find(missing + ":2:22: lists.public_suffix_list: " + expected_path +
                                         ": does not exist"),
            std::string::npos)
      << without.error().message;

  const auto partial_list = write_temp("psl_partial.dat", "internal\n");
  const auto partial = write_temp("psl_partial.toml", "[lists]\npublic_suffix_list = \"" + partial_list + "\"\n");
  const Result<Config> incomplete = load_config(partial);
  ASSERT_FALSE(incomplete);
  EXPECT_NE(incomplete.error().message.find(partial + ":2:22: lists.public_suffix_list: " + partial_list +
                                            ": not a complete public suffix list"),
            std::string::npos)
      << incomplete.error().message;

  const auto full_list = write_temp("psl_full.dat",
                                    "// ===BEGIN ICANN DOMAINS===\ncom\nuk\nco.uk\n// ===END ICANN DOMAINS===\n");
  const auto full = write_temp("psl_full.toml", "[lists]\npublic_suffix_list = \"vigie_config_test_psl_full.dat\"\n");
  const Result<Config> loaded = load_config(full);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->lists.public_suffix_list, full_list);
}

TEST(ConfigTest, ReadsGroupCaps) {
  const auto path = write_temp("groups.toml",
                               "[groups.lure]\nmax_score = 6.5\n"
                               "[groups.structure]\nmax_score = inf\n");
  const Result<Config> c = load_config(path);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->policy.group_max_scores.at("lure"), 6.5);
  EXPECT_TRUE(std::isinf(c->policy.group_max_scores.at("structure")));
  EXPECT_EQ(c->policy.group_max_scores.size(), 2u);
}

TEST(ConfigTest, GroupErrorsNameFileLineAndKey) {
  const auto path = write_temp("groups_bad.toml",
                               "[groups.lures]\nmax_score = 6\n"
                               "[groups.lure]\nmax_score = -1\nmin_score = 0\n"
                               "[groups.brand]\nmax_score = nan\n"
                               "[groups]\nstructure = 3\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  const std::string& m = c.error().message;
  EXPECT_NE(m.find(path + ":1:1: groups.lures: unknown group (organisation, sender_identity"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":4:13: groups.lure.max_score: expected a number >= 0"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":5:13: groups.lure.min_score: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find("groups.brand.max_score: expected a number >= 0"), std::string::npos) << m;
  EXPECT_NE(m.find("groups.structure: expected a [groups.structure] table"), std::string::npos) << m;
}

}  // namespace
}  // namespace vigie

// The vigie command line: argument parsing and calls into the engine, nothing else.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace vigie::cli {

// Where sender authentication's DNS answers come from (scan and serve).
struct DnsOptions {
  std::string dns_zone;  // recorded DNS (YAML zonedata)
  bool live_dns = false;  // --dns: live DNS, through [dns] servers or else /etc/resolv.conf
  std::vector<std::string> dns_servers;  // --dns-server (repeatable): live DNS through these
};

struct ScanOptions {
  std::vector<std::string> paths;
  std::string format = "jsonl";  // jsonl | text
  std::string language = "en";   // en | fr (text format)
  bool explain = false;          // text format: evidence in context under each finding
  std::string config_path;
  unsigned jobs = 0;             // 0: one per core
  bool progress = true;          // progress line on a terminal
  bool quiet = false;            // no progress line and no summary
  // Envelope and DNS for sender authentication.
  DnsOptions dns;
  std::string client_ip, helo, mail_from;
  std::vector<std::string> recipients;  // RCPT TO; first-contact detection reads them
  // --export stix|misp: the detections among the messages (warn or stronger, or a partner's
  // indicator matched) as one STIX bundle or MISP event. On stdout instead of the records, or in
  // --export-file beside them.
  std::string export_format;
  std::string export_file;
  std::string tlp;  // --tlp: overrides [export] tlp
};

struct ServeOptions {
  std::string config_path;
  std::string http_listen;  // --http IP:PORT; empty: [serve] http_listen
  DnsOptions dns;
};

struct ParseOptions {
  std::string path;
  std::string config_path;
  bool json = false;
  std::size_t message = 0;  // 1-based position in an mbox; 0: every message
};

struct LearnOptions {
  std::string model_path;  // empty: the configuration's [analyzers.content_classifier] model
  bool phish = false;      // --phish or --ham, exactly one
  bool ham = false;
  std::vector<std::string> paths;
  std::string config_path;
};

// `vigie attack QUERY` / `vigie attack --about`: what the shipped ATT&CK knowledge holds.
struct AttackOptions {
  std::string query;  // technique, tactic, intrusion set, software or campaign: id, name or alias
  bool about = false;
  std::string config_path;  // for [lists] data_dir
};

int run_scan(const ScanOptions& options);
int run_attack(const AttackOptions& options);
int run_serve(const ServeOptions& options);
int run_learn(const LearnOptions& options);
int run_parse(const ParseOptions& options);
int run_config_check(const std::string& path);

// Exit codes: 0 success, 1 an input or output could not be read or written, 2 usage or
// configuration error, 3 what was looked up is not known (`vigie attack`).
inline constexpr int kExitOk = 0;
inline constexpr int kExitIo = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotFound = 3;

}  // namespace vigie::cli

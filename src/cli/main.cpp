// vigie: command-line entry point. Subcommands map one-to-one onto functions in commands.h.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"
#include "cli/hunt_command.h"
#include "cli/intel_command.h"
#include "common/ip_address.h"

namespace {

// --client-ip must be an address: anything else would make every SPF check of the run "none".
const CLI::Validator kIpAddress(
    [](const std::string& value) -> std::string {
      return vigie::IpAddress::parse(value) ? "" : "'" + value + "' is not an IPv4 or IPv6 address";
    },
    "IP", "IP address");

// A repeatable option that takes exactly one value per occurrence. CLI11 lets a vector option
// take every following argument by default, so `--rcpt a@x msg1.eml msg2.eml` would read the
// messages as recipients.
CLI::Option* one_value_each_time(CLI::Option* option) {
  return option->expected(1)->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vigie::cli;
  CLI::App app{"vigie — mail intrusion detection engine"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "vigie 0.1.0");

  ScanOptions scan;
  CLI::App* scan_cmd = app.add_subcommand("scan", "Scan messages: files, directories, mbox, Maildir, - for stdin");
  scan_cmd->add_option("paths", scan.paths, "Inputs")->required();
  scan_cmd->add_option("--format", scan.format, "Output format")
      ->check(CLI::IsMember({"jsonl", "text"}));
  scan_cmd->add_flag("--explain", scan.explain,
                     "Text output: show each finding's evidence in its context in the message");
  scan_cmd->add_option("--lang", scan.language, "Language of explanations in text output")
      ->check(CLI::IsMember({"en", "fr"}));
  scan_cmd->add_option("-c,--config", scan.config_path, "Configuration file (TOML)");
  scan_cmd->add_option("-j,--jobs", scan.jobs, "Parallel scanning threads (default: all cores)");
  scan_cmd->add_flag("!--no-progress", scan.progress, "No progress line on a terminal");
  scan_cmd->add_flag("-q,--quiet", scan.quiet, "No progress line and no summary (errors are still said)");
  scan_cmd->add_option("--dns-zone", scan.dns.dns_zone, "Recorded DNS for authentication (YAML zonedata)");
  scan_cmd->add_flag("--dns", scan.dns.live_dns,
                     "Live DNS: the [dns] servers of the configuration, else /etc/resolv.conf");
  one_value_each_time(scan_cmd->add_option(
      "--dns-server", scan.dns.dns_servers, "Live DNS forwarded to IP[:PORT] ([IPv6]:PORT); repeat for more servers"));
  scan_cmd->add_option("--client-ip", scan.client_ip, "SMTP client IP of the delivery")->check(kIpAddress);
  scan_cmd->add_option("--helo", scan.helo, "HELO/EHLO name of the delivery");
  scan_cmd->add_option("--mail-from", scan.mail_from, "Envelope sender (MAIL FROM)");
  one_value_each_time(scan_cmd->add_option(
      "--rcpt", scan.recipients, "Envelope recipient (RCPT TO), repeatable; default: To/Cc in our domains"));
  scan_cmd->add_option("--export", scan.export_format,
                       "Also share the detections (warn or stronger, or a partner's indicator matched) as a STIX 2.1 "
                       "bundle or a MISP event: on stdout instead of the records, or in --export-file")
      ->check(CLI::IsMember({"stix", "misp"}));
  scan_cmd->add_option("--export-file", scan.export_file,
                       "Write the export to this file; the records still go to stdout (needs --export)");
  scan_cmd->add_option("--tlp", scan.tlp, "TLP of the export: clear, green, amber, amber+strict, red (default: [export] tlp, amber)");

  ServeOptions serve;
  CLI::App* serve_cmd = app.add_subcommand(
      "serve", "Run as a service: HTTP API (POST /scan, /health, /metrics); SIGHUP reloads, SIGTERM stops");
  serve_cmd->add_option("-c,--config", serve.config_path, "Configuration file (TOML), read again on reload")
      ->required();
  serve_cmd->add_option("--http", serve.http_listen, "Listen on IP:PORT (default: [serve] http_listen, 127.0.0.1:11380)");
  serve_cmd->add_option("--dns-zone", serve.dns.dns_zone, "Recorded DNS for authentication (YAML zonedata)");
  serve_cmd->add_flag("--dns", serve.dns.live_dns,
                      "Live DNS: the [dns] servers of the configuration, else /etc/resolv.conf");
  one_value_each_time(serve_cmd->add_option(
      "--dns-server", serve.dns.dns_servers, "Live DNS forwarded to IP[:PORT] ([IPv6]:PORT); repeat for more servers"));

  ParseOptions parse;
  CLI::App* parse_cmd = app.add_subcommand(
      "parse", "Show the parsed structure of a message, or of every message of an mbox");
  parse_cmd->add_option("file", parse.path, "Message file or mbox, - for stdin")->required();
  parse_cmd->add_option("--message", parse.message, "Only the N-th message of an mbox (from 1)")
      ->check(CLI::PositiveNumber);
  parse_cmd->add_option("-c,--config", parse.config_path, "Configuration file (TOML)");
  parse_cmd->add_flag("--json", parse.json, "JSON output");

  LearnOptions learn;
  CLI::App* learn_cmd = app.add_subcommand(
      "learn", "Train the content classifier: reported phishing (--phish) or legitimate mail (--ham)");
  learn_cmd->add_option("paths", learn.paths, "Messages: files, directories, mbox, Maildir")->required();
  learn_cmd->add_option("--model", learn.model_path,
                        "Model file (created if missing); default: [analyzers.content_classifier] model of --config");
  CLI::Option* phish_flag = learn_cmd->add_flag("--phish", learn.phish, "The messages are phishing");
  learn_cmd->add_flag("--ham", learn.ham, "The messages are legitimate")->excludes(phish_flag);
  learn_cmd->add_option("-c,--config", learn.config_path, "Configuration file (TOML)");

  IntelOptions intel;
  CLI::App* intel_cmd = app.add_subcommand("intel", "The indicator store: import, list, stats, remove feeds; export what vigie detected");
  intel_cmd->require_subcommand(1);
  const auto store_options = [&](CLI::App* command) {
    command->add_option("--store", intel.store_path, "Indicator store; default: [analyzers.intelligence] store of --config");
    command->add_option("-c,--config", intel.config_path, "Configuration file (TOML)");
  };
  CLI::App* intel_import = intel_cmd->add_subcommand(
      "import", "Import (or replace) a feed: a STIX 2.1 bundle, a MISP event, a MISP feed (folder or URL), a list");
  intel_import->add_option("name", intel.feed, "The feed's name in the store")->required();
  intel_import->add_option("source", intel.source, "File, folder, or http(s) URL of a MISP feed")->required();
  intel_import->add_option("--format", intel.format, "auto, stix, misp, misp-feed, list, csv")
      ->check(CLI::IsMember({"auto", "stix", "misp", "misp-feed", "list", "csv"}));
  intel_import->add_option("--type", intel.type,
                           "Lists: the type of their values (domain, url, ipv4, ipv6, email-address, email-subject, "
                           "file-name, md5, sha1, sha256, sha512)");
  intel_import->add_option("--auth-header-file", intel.auth_header_file,
                           "MISP feed over HTTP: a file whose first line is the Authorization header's value");
  store_options(intel_import);
  CLI::App* intel_list = intel_cmd->add_subcommand("list", "The feeds in the store, with what was not taken");
  intel_list->add_option("name", intel.feed, "Only this feed");
  intel_list->add_flag("--json", intel.json, "JSON output");
  store_options(intel_list);
  CLI::App* intel_stats = intel_cmd->add_subcommand("stats", "Counts of feeds, indicators and values by type");
  intel_stats->add_flag("--json", intel.json, "JSON output");
  store_options(intel_stats);
  CLI::App* intel_remove = intel_cmd->add_subcommand("remove", "Remove a feed and its indicators");
  intel_remove->add_option("name", intel.feed, "The feed's name")->required();
  store_options(intel_remove);
  CLI::App* intel_export = intel_cmd->add_subcommand(
      "export", "Share the detections vigie serve recorded (warn or stronger, or a partner's indicator matched) "
                "as a STIX 2.1 bundle or a MISP event");
  intel_export->add_option("--events", intel.events_path, "Event store; default: [events] path of --config");
  intel_export->add_option("--since", intel.since, "From this day (2026-12-01, UTC) or RFC 3339 date-time");
  intel_export->add_option("--until", intel.until, "To this day included (2026-12-07, UTC) or before this date-time");
  intel_export->add_option("--format", intel.export_format, "stix (default) or misp")
      ->check(CLI::IsMember({"stix", "misp"}));
  intel_export->add_option("--tlp", intel.tlp, "clear, green, amber, amber+strict, red (default: [export] tlp, amber)");
  intel_export->add_option("-o,--output", intel.output, "Write to this file (default: stdout)");
  intel_export->add_option("-c,--config", intel.config_path, "Configuration file (TOML): [export], [events] path");

  HuntOptions hunt;
  CLI::App* hunt_cmd = app.add_subcommand(
      "hunt", "Retro-hunt: search mail archives (mbox, Maildir, folders of .eml) for shared indicators");
  hunt_cmd->add_option("archives", hunt.archives, "mbox files, Maildir folders, directories, messages")->required();
  one_value_each_time(hunt_cmd->add_option(
      "--intel", hunt.feeds, "A feed to hunt with (STIX bundle, MISP event or feed, list), repeatable"));
  hunt_cmd->add_option("--intel-format", hunt.feed_format, "Format of the feeds: auto, stix, misp, misp-feed, list, csv")
      ->check(CLI::IsMember({"auto", "stix", "misp", "misp-feed", "list", "csv"}));
  hunt_cmd->add_option("--intel-type", hunt.feed_type, "Lists: the type of their values (domain, url, sha256...)");
  hunt_cmd->add_option("--store", hunt.store_path, "Hunt with this indicator store (vigie intel import); with --intel, the feeds are added to a private copy of it");
  hunt_cmd->add_flag("--all-analyzers", hunt.all_analyzers, "Run every analyzer, not only the intelligence matching");
  hunt_cmd->add_option("-c,--config", hunt.config_path, "Configuration file (TOML): limits, lists, organisation");
  hunt_cmd->add_option("-j,--jobs", hunt.jobs, "Parallel scanning threads (default: all cores)");
  hunt_cmd->add_flag("!--no-progress", hunt.progress, "No progress line on a terminal");
  hunt_cmd->add_option("--output", hunt.outputs, "FORMAT FILE: jsonl (one line per message that matched) or stix; - for stdout")
      ->expected(2)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  hunt_cmd->add_option("--rows", hunt.rows, "Rows of each summary table")->check(CLI::PositiveNumber);

  AttackOptions attack;
  CLI::App* attack_cmd = app.add_subcommand(
      "attack", "What MITRE ATT&CK says of a technique (T1566.002), tactic, intrusion set (APT28, Fancy Bear, "
                "G0007), software or campaign");
  attack_cmd->add_option("query", attack.query, "Id, name or alias");
  attack_cmd->add_flag("--about", attack.about, "The ATT&CK version, source and MITRE's copyright");
  attack_cmd->add_option("-c,--config", attack.config_path, "Configuration file (TOML), for [lists] data_dir");

  std::string config_file;
  CLI::App* config_cmd = app.add_subcommand("config", "Configuration tools");
  config_cmd->require_subcommand(1);
  CLI::App* check_cmd = config_cmd->add_subcommand("check", "Validate a configuration file");
  check_cmd->add_option("file", config_file, "TOML file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (*scan_cmd) {
    if (scan.export_format.empty() && (!scan.export_file.empty() || !scan.tlp.empty())) {
      std::cerr << "vigie scan: --export-file and --tlp go with --export stix|misp\n";
      return kExitUsage;
    }
    return run_scan(scan);
  }
  if (*serve_cmd) return run_serve(serve);
  if (*parse_cmd) return run_parse(parse);
  if (*learn_cmd) return run_learn(learn);
  if (*hunt_cmd) return run_hunt(hunt);
  if (*check_cmd) return run_config_check(config_file);
  if (*intel_cmd) {
    for (CLI::App* action : {intel_import, intel_list, intel_stats, intel_remove, intel_export}) {
      if (*action) intel.action = action->get_name();
    }
    return run_intel(intel);
  }
  if (*attack_cmd) {
    if (attack.about == !attack.query.empty()) {
      std::cerr << "vigie attack: give a technique, tactic, intrusion set, software or campaign, or --about\n";
      return kExitUsage;
    }
    return run_attack(attack);
  }
  return kExitUsage;
}

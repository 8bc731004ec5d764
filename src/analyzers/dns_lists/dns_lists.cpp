// dns_lists: the DNS reputation lists a site configures ([[analyzers.dns_lists.lists]]), asked
// about the SMTP client and the untrusted Received hops (IP lists, the Spamhaus ZEN kind) and about
// the sender domains and link domains (domain lists, the DBL, SURBL and URIBL kind). Each list's
// answers map to a name and a score in the configuration (docs/dns-lists.md).
//
// Network use is the operator's choice, as everywhere in vigie: without a resolver (no --dns,
// --dns-server or --dns-zone) or without a configured list the analyzer does nothing and says
// nothing. With one, the message's lookups have their own budget (max_queries, and [dns]
// message_budget_ms of time) beside the sender authentication's, and go through the resolver the
// engine was given, so the circuit breaker of live DNS (auth/dns/circuit_breaker.h) answers at once
// during an outage and libunbound's cache answers a name again within its TTL. What could not be
// asked is said, never mistaken for "not listed": the budget as a limit crossing (a message with
// hundreds of link domains may be built to use it up), DNS unavailable or a list refusing us
// (Spamhaus answers 127.255.255.x to queries through public resolvers) as DNS_LIST_UNAVAILABLE,
// a refusal also told once to the operator (Services::tell_operator: stderr, or serve's JSON log).
#include "analyzers/dns_lists/dns_lists.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "auth/dns/budgeted_resolver.h"
#include "auth/dns/resolver.h"
#include "config/section.h"

namespace vigie::analyzers::dns_lists {

std::string ip_query_name(const IpAddress& address, std::string_view zone) {
  static constexpr char kHex[] = "0123456789abcdef";
  const IpAddress ip = address.unmapped();
  std::string name;
  if (ip.is_v4()) {
    for (int i = 3; i >= 0; --i) name += std::to_string(ip.bytes[static_cast<std::size_t>(i)]) + ".";
  } else {
    for (int i = 15; i >= 0; --i) {
      const std::uint8_t byte = ip.bytes[static_cast<std::size_t>(i)];
      name += kHex[byte & 0xf];
      name += '.';
      name += kHex[byte >> 4];
      name += '.';
    }
  }
  return name + std::string(zone);
}

std::optional<std::string> domain_query_name(std::string_view domain, std::string_view zone) {
  std::string name = std::string(domain) + "." + std::string(zone);
  if (name.size() > 253) return std::nullopt;
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t dot = std::min(name.find('.', start), name.size());
    if (dot == start || dot - start > 63) return std::nullopt;
    start = dot + 1;
  }
  return name;
}

bool is_local_address(const IpAddress& address) {
  const IpAddress ip = address.unmapped();
  struct Range {
    const char* network;
    unsigned prefix;
  };
  static constexpr std::array kV4 = {Range{"0.0.0.0", 8},     Range{"10.0.0.0", 8},    Range{"100.64.0.0", 10},
                                     Range{"127.0.0.0", 8},   Range{"169.254.0.0", 16}, Range{"172.16.0.0", 12},
                                     Range{"192.168.0.0", 16}, Range{"224.0.0.0", 4},  Range{"240.0.0.0", 4}};
  static constexpr std::array kV6 = {Range{"::", 128}, Range{"::1", 128}, Range{"fc00::", 7}, Range{"fe80::", 10},
                                     Range{"ff00::", 8}};
  const auto in = [&](const auto& ranges) {
    return std::any_of(ranges.begin(), ranges.end(), [&](const Range& r) {
      return ip.in_network(*IpAddress::parse(r.network), r.prefix);
    });
  };
  return ip.is_v4() ? in(kV4) : in(kV6);
}

namespace {

using auth::dns::DnsAnswer;
using auth::dns::DnsStatus;
using auth::dns::RecordType;
using verdict::FindingId;

constexpr unsigned kDefaultMaxQueries = 30;
constexpr unsigned kDefaultMaxHops = 3;
// Listed subjects named in one finding; the rest are counted.
constexpr std::size_t kMaxEvidence = 5;

struct Code {
  std::string name;
  double score = -1;  // < 0: the finding's catalog score
};

struct List {
  std::string zone;
  std::string name;
  bool ip = true;  // kind = "ip"; false: "domain"
  std::vector<std::pair<IpAddress, Code>> codes;
  std::vector<std::pair<unsigned, Code>> bits;  // a mask of the answer's last octet
};

class ListsState final : public AnalyzerState {
 public:
  std::vector<List> lists;
  std::vector<IpNetwork> trusted_relays;  // [relays] trusted: hops above the client
  auth::dns::LookupBudget budget;
  unsigned max_hops = kDefaultMaxHops;

  // True the first time a list's refusal is seen in this process: the operator hears it once.
  bool first_refusal(const std::string& zone) const {
    const std::lock_guard lock(mutex_);
    return refused_.insert(zone).second;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::set<std::string> refused_;  // guarded by mutex_
};

// ---- Configuration ---------------------------------------------------------------------------

std::string lowercase(std::string text) {
  for (char& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

// { name = "SBL", score = 6 }: unknown keys and wrong types are errors at their place.
std::optional<Code> read_code(config::SectionReader& reader, const toml::node& node, const std::string& key) {
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    reader.error_at(node, key, "expected { name = \"...\", score = N }");
    return std::nullopt;
  }
  Code code;
  bool ok = true;
  for (const auto& [field, value] : *table) {
    const std::string full = key + "." + std::string(field.str());
    if (field.str() == "name") {
      if (!value.is_string()) {
        reader.error_at(value, full, "expected a string");
        ok = false;
      } else {
        code.name = *value.value<std::string>();
      }
    } else if (field.str() == "score") {
      const std::optional<double> score = value.value<double>();
      if (!value.is_number() || !score || !(*score >= 0) || *score > 100) {
        reader.error_at(value, full, "expected a number from 0 to 100");
        ok = false;
      } else {
        code.score = *score;
      }
    } else {
      reader.error_at(value, full, "unknown key (name, score)");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return code;
}

std::optional<unsigned> parse_mask(std::string_view text) {
  unsigned mask = 0;
  int base = 10;
  if (text.starts_with("0x") || text.starts_with("0X")) {
    text.remove_prefix(2);
    base = 16;
  }
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), mask, base);
  if (error != std::errc() || end != text.data() + text.size() || mask == 0 || mask > 255) return std::nullopt;
  return mask;
}

void read_codes(config::SectionReader& reader, const toml::node& node, const std::string& key, List& list) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return reader.error_at(node, key, "expected a table of answers (\"127.0.0.2\" = { ... })");
  for (const auto& [answer, value] : *table) {
    const std::string full = key + "." + std::string(answer.str());
    const std::optional<IpAddress> ip = IpAddress::parse_v4(answer.str());
    if (!ip || ip->bytes[0] != 127) {
      reader.error_at(value, full, "an answer is an IPv4 address in 127.0.0.0/8 (\"127.0.0.2\")");
      continue;
    }
    if (std::optional<Code> code = read_code(reader, value, full)) list.codes.emplace_back(*ip, std::move(*code));
  }
}

void read_bits(config::SectionReader& reader, const toml::node& node, const std::string& key, List& list) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return reader.error_at(node, key, "expected a table of bit masks (\"8\" = { ... })");
  for (const auto& [mask_text, value] : *table) {
    const std::string full = key + "." + std::string(mask_text.str());
    const std::optional<unsigned> mask = parse_mask(mask_text.str());
    if (!mask) {
      reader.error_at(value, full, "a mask is a number from 1 to 255 (\"8\", \"0x08\") over the answer's last octet");
      continue;
    }
    if (std::optional<Code> code = read_code(reader, value, full)) list.bits.emplace_back(*mask, std::move(*code));
  }
  // TOML tables are ordered by key text ("0x40" before "8"): the evidence names bits low to high.
  std::stable_sort(list.bits.begin(), list.bits.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

void read_list(config::SectionReader& reader, const toml::node& node, std::vector<List>& lists) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return reader.error_at(node, "lists", "expected [[analyzers.dns_lists.lists]] tables");
  List list;
  bool has_kind = false;
  for (const auto& [field, value] : *table) {
    const std::string key = "lists." + std::string(field.str());
    if (field.str() == "zone") {
      std::string zone = value.is_string() ? lowercase(*value.value<std::string>()) : std::string();
      if (!zone.empty() && zone.back() == '.') zone.pop_back();
      if (zone.find('.') == std::string::npos || !domain_query_name("x", zone)) {
        reader.error_at(value, key, "expected the list's DNS zone (\"zen.spamhaus.org\")");
      }
      list.zone = std::move(zone);
    } else if (field.str() == "kind") {
      has_kind = true;  // a wrong one is reported as such, not as missing
      const std::optional<std::string> kind = value.value<std::string>();
      if (kind == "ip" || kind == "domain") {
        list.ip = *kind == "ip";
      } else {
        reader.error_at(value, key, "expected \"ip\" or \"domain\"");
      }
    } else if (field.str() == "name") {
      if (!value.is_string()) reader.error_at(value, key, "expected a string");
      list.name = value.value<std::string>().value_or("");
    } else if (field.str() == "codes") {
      read_codes(reader, value, key, list);
    } else if (field.str() == "bits") {
      read_bits(reader, value, key, list);
    } else {
      reader.error_at(value, key, "unknown key (zone, kind, name, codes, bits)");
    }
  }
  if (list.zone.empty()) reader.error_at(node, "lists.zone", "every list needs its zone");
  if (!has_kind) reader.error_at(node, "lists.kind", "every list needs its kind: \"ip\" or \"domain\"");
  if (list.name.empty()) list.name = list.zone;
  lists.push_back(std::move(list));
}

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  auto state = std::make_shared<ListsState>();
  double max_queries = kDefaultMaxQueries;
  double max_hops = kDefaultMaxHops;
  setup.settings.number("max_queries", max_queries, 1, 1000, false);
  setup.settings.number("max_hops", max_hops, 0, 20, false);
  if (const toml::node* lists = setup.settings.node("lists")) {
    const toml::array* array = lists->as_array();
    if (array == nullptr) {
      setup.settings.error_at(*lists, "lists", "expected [[analyzers.dns_lists.lists]] tables");
    } else {
      for (const toml::node& item : *array) read_list(setup.settings, item, state->lists);
    }
  }
  state->budget.max_queries = static_cast<unsigned>(max_queries);
  state->budget.max_time = std::chrono::milliseconds(setup.config.dns.message_budget_ms);
  state->max_hops = static_cast<unsigned>(max_hops);
  for (const std::string& text : setup.config.relays.trusted) {
    if (const std::optional<IpNetwork> network = IpNetwork::parse(text)) state->trusted_relays.push_back(*network);
  }
  return std::shared_ptr<const AnalyzerState>(std::move(state));
}

// ---- What is asked ---------------------------------------------------------------------------

enum class Role : std::uint8_t { kClient, kHop, kSender, kLink };

constexpr FindingId finding_of(Role role) {
  switch (role) {
    case Role::kClient: return FindingId::DNSBL_CLIENT_LISTED;
    case Role::kHop: return FindingId::DNSBL_HOP_LISTED;
    case Role::kSender: return FindingId::DBL_SENDER_LISTED;
    case Role::kLink: return FindingId::URIBL_LINK_LISTED;
  }
  return FindingId::DNSBL_CLIENT_LISTED;
}

// One thing a list is asked about, and where it was seen.
struct Subject {
  Role role = Role::kClient;
  std::optional<IpAddress> ip;  // IP lists
  std::string domain;           // domain lists: the registrable domain
  ObjectId object = kMessageObject;
  std::string field;            // evidence field: "client_ip", "header:Received", "header:From", "url"
  LocalizedText shown;          // what it is, for the analyst: "203.0.113.7 (envelope)"
};

bool is_trusted(const IpAddress& ip, const std::vector<IpNetwork>& trusted) {
  return std::any_of(trusted.begin(), trusted.end(), [&](const IpNetwork& n) { return n.contains(ip); });
}

// The client (the envelope's, else the first Received hop whose client is no trusted relay, as
// sender authentication reads it: auth/stage/client_identity.h) and up to max_hops untrusted hops
// below it, most recent first; local addresses are never sent to a list.
void add_ip_subjects(const ParsedMessage& message, const ScanContext& context, const ListsState& state,
                     std::vector<Subject>& out) {
  std::vector<IpAddress> seen;
  const auto add = [&](const IpAddress& ip, Role role, std::string field, LocalizedText shown) {
    if (is_local_address(ip) || std::find(seen.begin(), seen.end(), ip.unmapped()) != seen.end()) return false;
    seen.push_back(ip.unmapped());
    out.push_back({role, ip.unmapped(), {}, kMessageObject, std::move(field), std::move(shown)});
    return true;
  };
  if (const std::optional<IpAddress> client = IpAddress::parse(context.envelope.client_ip)) {
    add(*client, Role::kClient, "client_ip", {client->to_string() + " (SMTP client)", client->to_string() + " (client SMTP)"});
  }
  const std::vector<ReceivedHop> chain = message.received_chain();
  unsigned hops = 0;
  bool client_found = !context.envelope.client_ip.empty();
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (client_found && hops >= state.max_hops) break;
    const std::optional<IpAddress> ip = IpAddress::parse(chain[i].from_ip);
    // Past a hop without a readable client, nothing below can be placed: client_identity stops too.
    if (!ip) {
      if (!client_found) return;
      continue;
    }
    if (is_trusted(*ip, state.trusted_relays)) continue;
    const std::string where = "Received header " + std::to_string(i + 1);
    const std::string where_fr = "en-tête Received " + std::to_string(i + 1);
    if (!client_found) {
      client_found = true;
      add(*ip, Role::kClient, "header:Received",
          {ip->to_string() + " (SMTP client, " + where + ")", ip->to_string() + " (client SMTP, " + where_fr + ")"});
      continue;
    }
    if (add(*ip, Role::kHop, "header:Received", {ip->to_string() + " (" + where + ")", ip->to_string() + " (" + where_fr + ")"})) {
      ++hops;
    }
  }
}

void add_domain_subjects(const ScanContext& context, std::vector<Subject>& out) {
  std::set<std::pair<std::string, Role>> seen;
  for (const facts::Identity& identity : context.facts.identities()) {
    // Sender: the service that sent, not the author. Our own domains: spoofing them is other
    // analyzers' business, and a list has nothing to say about them.
    if (identity.field == facts::IdentityField::kSender || identity.host.empty() ||
        identity.standing == facts::DomainStanding::kProtected || identity.registrable.empty() ||
        IpAddress::parse(identity.registrable)) {
      continue;
    }
    if (!seen.insert({identity.registrable, Role::kSender}).second) continue;
    out.push_back({Role::kSender, std::nullopt, identity.registrable, kMessageObject,
                   facts::identity_location(identity.field), {identity.address, identity.address}});
  }
  for (const Url* url : context.facts.followable_links()) {
    if (url->host_is_ip || !url->valid || url->registrable_domain().empty()) continue;
    const std::string domain(url->registrable_domain());
    if (!seen.insert({domain, Role::kLink}).second) continue;
    const std::string shown(url->normalized());
    out.push_back({Role::kLink, std::nullopt, domain, context.objects.of_url(*url), "url", {shown, shown}});
  }
}

// ---- What the lists answer -------------------------------------------------------------------

struct Reading {
  std::vector<std::string> listed;  // "SBL (127.0.0.2)"
  double score = -1;                // the highest of the matched answers with a score of their own
  bool unscored = false;            // a matched answer takes the catalog's score
  bool matched = false;
  std::string refusal;              // the answer that says the list will not answer us
};

// What a refusing answer means: 127.0.0.1 (SURBL, URIBL block the resolver), and Spamhaus's
// 127.255.255.252 (typing error in the zone name), .254 (query through a public resolver or
// without a DQS key), .255 (too many queries).
LocalizedText refusal_meaning(const IpAddress& answer) {
  if (answer.bytes[1] == 0) {
    return {"the list blocks this resolver (public, or over its free volume)",
            "la liste bloque ce résolveur (public, ou au-delà de son volume gratuit)"};
  }
  switch (answer.bytes[3]) {
    case 252: return {"the zone name is wrong", "le nom de zone est erroné"};
    case 254: return {"queries through a public or unregistered resolver are refused",
                      "les requêtes passant par un résolveur public ou non enregistré sont refusées"};
    case 255: return {"too many queries", "trop de requêtes"};
    default: return {"the list refuses the query", "la liste refuse la requête"};
  }
}

Reading read_answer(const List& list, const DnsAnswer& answer) {
  Reading reading;
  const auto match = [&](const Code& code, const std::string& address) {
    reading.matched = true;
    reading.listed.push_back((code.name.empty() ? address : code.name + " (" + address + ")"));
    if (code.score >= 0) {
      reading.score = std::max(reading.score, code.score);
    } else {
      reading.unscored = true;
    }
  };
  // A list answering several codes gives them in any order (resolvers rotate a record set): they
  // are read in address order, so that one listing's evidence always reads the same.
  std::vector<IpAddress> addresses;
  for (const auth::dns::DnsRecord& record : answer.records) {
    if (record.type == RecordType::kA && record.address.is_v4()) addresses.push_back(record.address);
  }
  std::sort(addresses.begin(), addresses.end(),
            [](const IpAddress& a, const IpAddress& b) { return a.bytes < b.bytes; });
  for (const IpAddress& address : addresses) {
    const std::string text = address.to_string();
    // 127.0.0.1 is how SURBL and URIBL say they block the resolver; no list lists with it.
    const bool block = address.bytes[0] == 127 && address.bytes[1] == 0 && address.bytes[2] == 0 && address.bytes[3] == 1;
    if (block || (address.bytes[0] == 127 && address.bytes[1] == 255 && address.bytes[2] == 255)) {
      reading.refusal = text;
      continue;
    }
    // Anything outside 127/8 is no list's answer: a resolver that rewrites NXDOMAIN to its own
    // page answers so, and a listing it would make up must not count.
    if (address.bytes[0] != 127) {
      reading.refusal = text;
      continue;
    }
    if (list.codes.empty() && list.bits.empty()) {
      match(Code{}, text);
      continue;
    }
    for (const auto& [code_address, code] : list.codes) {
      if (code_address == address) match(code, text);
    }
    for (const auto& [mask, code] : list.bits) {
      if ((address.bytes[3] & mask) != 0) match(code, text);
    }
  }
  return reading;
}

// ---- The scan ----------------------------------------------------------------------------------

// One finding per role and list: the listed subjects as evidence, the highest answer's score.
struct Listing {
  Role role;
  const List* list;
  std::vector<Evidence> evidence;
  std::size_t more = 0;
  double score = -1;
  bool default_score = false;  // an answer without its own score was seen
};

struct Unavailable {
  std::vector<Evidence> evidence;
  std::set<std::string> zones;  // one line per list
};

void analyze(const ParsedMessage& message, const ScanContext& context, const AnalyzerState* base,
             FindingSink& sink) {
  const ListsState& state = static_cast<const ListsState&>(*base);
  if (context.services.resolver == nullptr || state.lists.empty()) return;

  std::vector<Subject> subjects;
  add_ip_subjects(message, context, state, subjects);
  std::vector<Subject> domains;
  add_domain_subjects(context, domains);
  // Hops come last: what their Received headers say could be forged, the rest cannot.
  const auto hops = std::stable_partition(subjects.begin(), subjects.end(),
                                          [](const Subject& s) { return s.role == Role::kClient; });
  subjects.insert(hops, std::make_move_iterator(domains.begin()), std::make_move_iterator(domains.end()));

  // The lookups' time ends with the message's analysis ([limits] max_analysis_ms) when that comes
  // first: a slow list must not hold the message past the engine's deadline.
  auth::dns::LookupBudget budget = state.budget;
  bool deadline_first = false;
  if (context.deadline.clock != nullptr) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(context.deadline.at -
                                                                            context.deadline.clock->steady_now());
    if (left < budget.max_time) {
      budget.max_time = std::max(left, std::chrono::milliseconds(0));
      deadline_first = true;
    }
  }
  const auth::dns::BudgetedResolver dns(*context.services.resolver, budget);
  std::vector<Listing> listings;
  Unavailable unavailable;
  std::set<std::string> refused;  // zones not asked again in this message
  bool dns_down = false;          // the circuit breaker is open: nothing more is asked
  bool budget_spent = false;      // nothing more is asked either, and what is left is counted
  std::uint64_t not_asked = 0;
  const auto give_up = [&](const List& list, LocalizedText why) {
    if (!unavailable.zones.insert(list.zone).second) return;
    unavailable.evidence.emplace_back(kMessageObject, "dns_list",
                                      LocalizedText{list.name + ": " + why.en, list.name + " : " + why.fr});
  };

  for (const Subject& subject : subjects) {
    for (const List& list : state.lists) {
      if (list.ip != subject.ip.has_value() || refused.count(list.zone) != 0) continue;
      if (dns_down) break;
      if (budget_spent) {
        ++not_asked;
        continue;
      }
      std::string name;
      if (subject.ip) {
        name = ip_query_name(*subject.ip, list.zone);
      } else if (std::optional<std::string> query = domain_query_name(subject.domain, list.zone)) {
        name = std::move(*query);
      } else {
        continue;
      }
      const DnsAnswer answer = dns.lookup(name, RecordType::kA);
      if (answer.status == DnsStatus::kTempError) {
        if (dns.exhausted()) {
          budget_spent = true;
          ++not_asked;
        } else if (answer.detail.starts_with("DNS unavailable")) {
          // The circuit breaker is open: every other lookup would fail the same way, at once.
          dns_down = true;
          for (const List& each : state.lists) {
            give_up(each, {"not asked, " + answer.detail, "non consultée, " + answer.detail_in_french()});
          }
        } else {
          give_up(list, {"no answer (" + answer.detail + ") for " + name,
                         "pas de réponse (" + answer.detail_in_french() + ") pour " + name});
        }
        continue;
      }
      if (answer.status != DnsStatus::kRecords) continue;
      const Reading reading = read_answer(list, answer);
      if (!reading.refusal.empty()) {
        const IpAddress code = *IpAddress::parse_v4(reading.refusal);
        const LocalizedText meaning = code.bytes[0] == 127
                                          ? refusal_meaning(code)
                                          : LocalizedText{"an answer no list gives (a resolver rewriting answers?)",
                                                          "une réponse qu'aucune liste ne donne (un résolveur qui réécrit les réponses ?)"};
        refused.insert(list.zone);
        give_up(list, {"refused (" + reading.refusal + ": " + meaning.en + ")",
                       "refusée (" + reading.refusal + " : " + meaning.fr + ")"});
        if (state.first_refusal(list.zone)) {
          context.services.tell_operator(
              {"dns_list_refused",
               "DNS list " + list.zone + " refuses our queries (" + reading.refusal + ": " + meaning.en +
                   "); its verdicts say DNS_LIST_UNAVAILABLE until the resolver or the list's access is fixed "
                   "(docs/dns-lists.md)",
               {{"list", list.name}, {"zone", list.zone}, {"answer", reading.refusal}, {"meaning", meaning.en}}});
        }
        continue;
      }
      if (!reading.matched) continue;
      auto listing = std::find_if(listings.begin(), listings.end(),
                                  [&](const Listing& l) { return l.role == subject.role && l.list == &list; });
      if (listing == listings.end()) listing = listings.insert(listings.end(), Listing{subject.role, &list, {}, 0, -1, false});
      listing->score = std::max(listing->score, reading.score);
      listing->default_score = listing->default_score || reading.unscored;
      if (listing->evidence.size() == kMaxEvidence) {
        ++listing->more;
        continue;
      }
      std::string codes;
      for (const std::string& code : reading.listed) codes += (codes.empty() ? "" : ", ") + code;
      const std::string queried = subject.ip ? std::string() : " as " + subject.domain;
      const std::string queried_fr = subject.ip ? std::string() : " en tant que " + subject.domain;
      listing->evidence.emplace_back(subject.object, subject.field,
                                     LocalizedText{subject.shown.en + " listed by " + list.name + queried + ": " + codes,
                                                   subject.shown.fr + " listé par " + list.name + queried_fr + " : " + codes});
    }
  }

  for (Listing& listing : listings) {
    if (listing.more > 0) {
      const std::string more = std::to_string(listing.more);
      listing.evidence.emplace_back(kMessageObject, "dns_list",
                                    LocalizedText{"and " + more + " more listed by " + listing.list->name,
                                                  "et " + more + " de plus listés par " + listing.list->name});
    }
    Finding& finding = sink.emit(finding_of(listing.role), std::move(listing.evidence));
    // The list's own score for what it answered, the catalog's when no answer carries one; when
    // both kinds were seen, the higher.
    if (listing.score >= 0 && !(listing.default_score && finding.score > listing.score)) finding.score = listing.score;
  }
  if (!unavailable.evidence.empty()) sink.emit(FindingId::DNS_LIST_UNAVAILABLE, std::move(unavailable.evidence));
  if (not_asked > 0) {
    const std::string count = std::to_string(not_asked);
    const LocalizedText not_checked{
        count + " DNS list lookups not made (senders, links or Received hops not checked)",
        count + " requêtes aux listes DNS non faites (expéditeurs, liens ou relais Received non vérifiés)"};
    // A lookup refused within the query count was refused for time.
    if (dns.queries() > budget.max_queries) {
      sink.limit_reached("analyzers.dns_lists.max_queries", budget.max_queries + not_asked, budget.max_queries,
                         not_checked);
    } else if (deadline_first) {
      sink.limit_reached("max_analysis_ms", context.limits.max_analysis_ms + 1u, context.limits.max_analysis_ms,
                         not_checked);
    } else {
      const auto allowed = static_cast<std::uint64_t>(budget.max_time.count());
      sink.limit_reached("dns.message_budget_ms", allowed + 1u, allowed, not_checked);
    }
  }
}

constexpr std::array kEmits = {FindingId::DNSBL_CLIENT_LISTED, FindingId::DNSBL_HOP_LISTED,
                               FindingId::DBL_SENDER_LISTED, FindingId::URIBL_LINK_LISTED,
                               FindingId::DNS_LIST_UNAVAILABLE};

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "dns_lists",
      "The client, the untrusted Received hops, the sender domains and the link domains asked of "
      "the DNS reputation lists the site configures (only with live or recorded DNS)",
      kEmits,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::dns_lists

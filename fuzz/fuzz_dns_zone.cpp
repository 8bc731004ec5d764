// Fuzz target for the recorded-DNS zone loader (src/auth/dns/recorded_resolver.h): the YAML an
// analyst hands to --dns-zone, parsed by yaml-cpp and walked by the loader, then lookups of the
// names the input mentions. The zone file is analyst-provided but often built from data an attacker
// chose (the DNS of a phishing domain, copied into a replay), so the loader must turn any bytes
// into a zone or a "file:line" error: no crash, no escaped exception, no hang. yaml-cpp 0.7's
// LoadAll loops forever on some malformed streams; the loader splits documents itself to avoid it,
// and the -timeout / -rss_limit_mb that run_fuzzers.sh passes are what catch a regression there.
// It owns only the harness; the input is the zone file as it is.
//
// Besides crashes, it checks what the headers promise: from_string() and all_from_string() agree
// (one document: the same zone; several: from_string() refuses), errors start with the source
// name, answers hold records exactly when their status says so and only of the asked type (CNAMEs
// followed), A/AAAA addresses of the right family, a reason for every temperror, and names matched
// case-insensitively and with or without the trailing root dot.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/dns/recorded_resolver.h"
#include "auth/dns/resolver.h"
#include "fuzz_support.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;

namespace dns = vigie::auth::dns;

namespace {

constexpr std::string_view kSource = "zone.yml";
constexpr std::size_t kMaxNames = 12;
constexpr std::size_t kMaxNameLength = 300;

constexpr std::array<dns::RecordType, 6> kTypes = {
    dns::RecordType::kA,  dns::RecordType::kAaaa, dns::RecordType::kTxt,
    dns::RecordType::kMx, dns::RecordType::kPtr,  dns::RecordType::kCname};

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

std::string_view trim(std::string_view s, std::string_view chars) {
  const std::size_t first = s.find_first_not_of(chars);
  if (first == std::string_view::npos) return {};
  const std::size_t last = s.find_last_not_of(chars);
  return s.substr(first, last - first + 1);
}

void add_name(std::vector<std::string>& names, std::string_view name) {
  if (names.size() >= kMaxNames || name.size() > kMaxNameLength) return;
  for (const auto& known : names) {
    if (known == name) return;
  }
  names.emplace_back(name);
}

// Names the zone probably holds: the keys of block mappings (text before the first ':' of a line
// that is not a list item or a comment) and every dotted word (flow-style keys, CNAME/PTR/MX
// targets). Also one malformed name: lookup() must take any name.
std::vector<std::string> names_in(std::string_view yaml) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start < yaml.size() && names.size() < kMaxNames) {
    std::size_t end = yaml.find('\n', start);
    if (end == std::string_view::npos) end = yaml.size();
    const std::string_view line = trim(yaml.substr(start, end - start), " \t\r");
    start = end + 1;
    if (line.empty() || line.front() == '-' || line.front() == '#') continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    add_name(names, trim(line.substr(0, colon), " \t\"'"));
  }
  for (std::size_t i = 0; i < yaml.size() && names.size() < kMaxNames;) {
    if (!is_name_char(yaml[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < yaml.size() && is_name_char(yaml[j])) ++j;
    const std::string_view word = yaml.substr(i, j - i);
    if (word.find('.') != std::string_view::npos) add_name(names, word);
    i = j;
  }
  names.emplace_back(yaml.substr(0, std::min(yaml.find('\n'), kMaxNameLength)));
  return names;
}

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool same_record(const dns::DnsRecord& x, const dns::DnsRecord& y) {
  return x.type == y.type && x.strings == y.strings && x.address == y.address &&
         x.preference == y.preference && x.name == y.name;
}

bool same_answer(const dns::DnsAnswer& x, const dns::DnsAnswer& y) {
  if (x.status != y.status || x.detail != y.detail || x.records.size() != y.records.size()) {
    return false;
  }
  for (std::size_t i = 0; i < x.records.size(); ++i) {
    if (!same_record(x.records[i], y.records[i])) return false;
  }
  return true;
}

void check_answer(const dns::DnsAnswer& answer, dns::RecordType type) {
  require((answer.status == dns::DnsStatus::kRecords) == !answer.records.empty(),
          "DnsAnswer::records non-empty exactly when status is kRecords");
  require(answer.status != dns::DnsStatus::kTempError || !answer.detail.empty(),
          "a temperror answer says why");
  consume(answer.detail);
  for (const dns::DnsRecord& record : answer.records) {
    require(record.type == type, "answers hold records of the asked type (CNAMEs followed)");
    if (type == dns::RecordType::kA) require(record.address.is_v4(), "A records are IPv4");
    if (type == dns::RecordType::kAaaa) require(!record.address.is_v4(), "AAAA records are IPv6");
    for (const std::string& piece : record.strings) consume(piece);
    consume(record.name);
    consume(record.address.to_string());
  }
}

void check_lookups(const dns::RecordedResolver& zone, const std::vector<std::string>& names,
                   const dns::RecordedResolver* same_zone) {
  for (const std::string& name : names) {
    for (dns::RecordType type : kTypes) {
      const dns::DnsAnswer answer = zone.lookup(name, type);
      check_answer(answer, type);
      require(same_answer(answer, zone.lookup(ascii_upper(name), type)),
              "names are matched case-insensitively");
      if (name.empty() || name.back() != '.') {
        require(same_answer(answer, zone.lookup(name + ".", type)),
                "names are matched with or without the trailing dot");
      }
      if (same_zone != nullptr) {
        require(same_answer(answer, same_zone->lookup(name, type)),
                "from_string and all_from_string load the same zone from one document");
      }
    }
  }
}

void check_error(const vigie::Error& error) {
  const std::string& message = error.message;
  require(message.compare(0, kSource.size(), kSource) == 0 && message.size() > kSource.size() &&
              message[kSource.size()] == ':',
          "zone errors start with the source name");
  consume(message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);

  auto one = dns::RecordedResolver::from_string(yaml, kSource);
  auto all = dns::RecordedResolver::all_from_string(yaml, kSource);
  if (!one) check_error(one.error());
  if (!all) check_error(all.error());
  if (!all) {
    require(!one, "from_string fails when all_from_string does");
    return 0;
  }
  require(one.has_value() == (all->size() <= 1),
          "from_string loads exactly the inputs with at most one document");

  const std::vector<std::string> names = names_in(yaml);
  if (one) {
    const dns::RecordedResolver* same = nullptr;
    if (all->size() == 1) {
      require(one->name_count() == all->front().name_count(),
              "from_string and all_from_string load the same names");
      same = &all->front();
    } else {
      require(one->name_count() == 0, "a file without documents is an empty zone");
    }
    check_lookups(*one, names, same);
  } else {
    // A few documents are enough: each is loaded by the same code.
    for (std::size_t i = 0; i < all->size() && i < 4; ++i) check_lookups((*all)[i], names, nullptr);
  }
  return 0;
}

// Recorded DNS: loads zone data written in the RFC 7208 test-suite layout (see recorded_resolver.h)
// and answers lookups from it. This file owns the YAML boundary of the auth code: yaml-cpp reports
// malformed YAML by throwing YAML::ParserException, which is caught here (and only here) and turned
// into a Result error naming file:line; every other check walks the node tree without calling the
// throwing conversions. It also owns the replay semantics of the suite's pyspf driver — TIMEOUT
// ordering and the SPF→TXT copy — so that the conformance suite means the same thing here as there.
#include "auth/dns/recorded_resolver.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_set>

namespace vigie::auth::dns {
namespace {

// A zone file is configuration-sized; refusing huge files keeps a typo in a path (a mailbox, a
// disk image) from eating memory.
constexpr std::uintmax_t kMaxZoneFileBytes = 64u * 1024 * 1024;
// Longer CNAME chains are treated as a loop (RFC 1034 §3.6.2 asks resolvers to detect loops;
// real resolvers give up after 8–16 links).
constexpr int kMaxCnameChain = 10;

using Entry = RecordedResolver::Entry;
using Zone = RecordedResolver::Zone;

std::string normalize_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

class Loader {
 public:
  // first_line: where the document starts in the file (node marks count from there).
  Loader(std::string_view source, int first_line) : source_(source), first_line_(first_line) {}

  tl::unexpected<Error> error(const YAML::Node& at, const std::string& message) const {
    return fail(Error::config(where(at) + ": " + message));
  }
  std::string where(const YAML::Node& at) const {
    return std::string(source_) + ":" + std::to_string(first_line_ + at.Mark().line + 1);
  }

  Result<Zone> zone_of_document(const YAML::Node& document) const {
    if (document.IsNull()) return Zone{};
    if (!document.IsMap()) return error(document, "a zone must be a mapping of names to records");
    // The suite layout nests the zone under `zonedata:`; a plain zone file is the mapping itself.
    for (const auto& item : document) {
      if (item.first.IsScalar() && item.first.Scalar() == "zonedata") {
        if (item.second.IsNull()) return Zone{};
        if (!item.second.IsMap()) return error(item.second, "zonedata must be a mapping");
        return zone_of_mapping(item.second);
      }
    }
    return zone_of_mapping(document);
  }

 private:
  Result<Zone> zone_of_mapping(const YAML::Node& mapping) const {
    Zone zone;
    for (const auto& item : mapping) {
      if (!item.first.IsScalar()) return error(item.first, "a name must be a plain string");
      std::string name = normalize_name(item.first.Scalar());
      if (zone.count(name) != 0) {
        return error(item.first, "name '" + item.first.Scalar() + "' is listed twice");
      }
      auto entries = entries_of(item.first.Scalar(), item.second);
      if (!entries) return fail(std::move(entries.error()));
      zone.emplace(std::move(name), std::move(*entries));
    }
    return zone;
  }

  Result<std::vector<Entry>> entries_of(const std::string& name, const YAML::Node& list) const {
    if (list.IsNull()) return std::vector<Entry>{};
    if (!list.IsSequence()) return error(list, "records of '" + name + "' must be a list");
    std::vector<Entry> entries;
    std::vector<Entry> spf_as_txt;
    bool has_txt = false;
    for (const auto& element : list) {
      if (element.IsScalar() && element.Scalar() == "TIMEOUT") {
        Entry timeout;
        timeout.kind = Entry::Kind::kTimeout;
        timeout.any_type = true;
        entries.push_back(std::move(timeout));
        continue;
      }
      if (!element.IsMap()) {
        return error(element, "a record of '" + name + "' must be TYPE: value or TIMEOUT");
      }
      for (const auto& field : element) {
        const std::string type = field.first.IsScalar() ? field.first.Scalar() : std::string();
        if (type == "SPF") {
          // RFC 7208 §3.1 retired the SPF RR type; the suite's drivers publish SPF entries as TXT
          // when the name has no TXT entry of its own (pyspf testspf.py getrdata()).
          auto entry = text_entry(name, field.second);
          if (!entry) return fail(std::move(entry.error()));
          if (entry->kind == Entry::Kind::kRecord) spf_as_txt.push_back(std::move(*entry));
          continue;
        }
        if (type == "TXT") has_txt = true;
        auto entry = record_entry(name, type, field.first, field.second);
        if (!entry) return fail(std::move(entry.error()));
        entries.push_back(std::move(*entry));
      }
    }
    if (!has_txt) {
      for (auto& entry : spf_as_txt) entries.push_back(std::move(entry));
    }
    return entries;
  }

  // TXT or SPF data: one string, or a list of strings kept apart (RFC 7208 §3.3 joins them).
  Result<Entry> text_entry(const std::string& name, const YAML::Node& value) const {
    Entry entry;
    entry.record.type = RecordType::kTxt;
    if (value.IsScalar()) {
      if (auto special = special_value(value, RecordType::kTxt)) return *special;
      entry.record.strings.push_back(value.Scalar());
      return entry;
    }
    if (value.IsSequence()) {
      for (const auto& piece : value) {
        if (!piece.IsScalar()) return error(piece, "TXT of '" + name + "': pieces must be strings");
        entry.record.strings.push_back(piece.Scalar());
      }
      return entry;
    }
    return error(value, "TXT of '" + name + "' must be a string or a list of strings");
  }

  // NONE and TIMEOUT as the value of a typed entry.
  std::optional<Entry> special_value(const YAML::Node& value, RecordType type) const {
    Entry entry;
    entry.record.type = type;
    if (value.Scalar() == "NONE") {
      entry.kind = Entry::Kind::kNone;
      return entry;
    }
    if (value.Scalar() == "TIMEOUT") {
      entry.kind = Entry::Kind::kTimeout;
      return entry;
    }
    return std::nullopt;
  }

  Result<Entry> record_entry(const std::string& name, const std::string& type,
                             const YAML::Node& key, const YAML::Node& value) const {
    if (type == "TXT") return text_entry(name, value);
    Entry entry;
    const std::string what = type + " of '" + name + "'";
    if (type == "A" || type == "AAAA") {
      const bool v4 = type == "A";
      entry.record.type = v4 ? RecordType::kA : RecordType::kAaaa;
      if (!value.IsScalar()) return error(value, what + " must be an address");
      if (auto special = special_value(value, entry.record.type)) return *special;
      auto address = v4 ? IpAddress::parse_v4(value.Scalar()) : IpAddress::parse_v6(value.Scalar());
      if (!address) {
        return error(value, what + ": '" + value.Scalar() + "' is not an IPv" + (v4 ? "4" : "6") +
                                " address");
      }
      entry.record.address = *address;
      return entry;
    }
    if (type == "MX") {
      entry.record.type = RecordType::kMx;
      if (value.IsScalar()) {
        if (auto special = special_value(value, RecordType::kMx)) return *special;
      }
      if (!value.IsSequence() || value.size() != 2 || !value[0].IsScalar() ||
          !value[1].IsScalar()) {
        return error(value, what + " must be [preference, exchange]");
      }
      const std::string& preference = value[0].Scalar();
      unsigned long number = 0;
      bool digits = !preference.empty() && preference.size() <= 5;
      for (char c : preference) {
        if (c < '0' || c > '9') digits = false;
        if (digits) number = number * 10 + static_cast<unsigned long>(c - '0');
      }
      if (!digits || number > 65535) {
        return error(value, what + ": preference '" + preference + "' is not a number 0-65535");
      }
      entry.record.preference = static_cast<std::uint16_t>(number);
      entry.record.name = normalize_name(value[1].Scalar());
      return entry;
    }
    if (type == "PTR" || type == "CNAME") {
      entry.record.type = type == "PTR" ? RecordType::kPtr : RecordType::kCname;
      if (!value.IsScalar()) return error(value, what + " must be a name");
      if (auto special = special_value(value, entry.record.type)) return *special;
      entry.record.name = normalize_name(value.Scalar());
      return entry;
    }
    const std::string shown = key.IsScalar() ? key.Scalar() : std::string("(not a string)");
    return error(key, "unknown record type '" + shown + "' for '" + name +
                          "' (expected TXT, SPF, A, AAAA, MX, PTR, CNAME or TIMEOUT)");
  }

  std::string_view source_;
  int first_line_ = 0;
};

// One YAML document of a file: its text and the 0-based line where it starts.
struct DocumentText {
  std::string_view text;
  int first_line = 0;
};

// A line that only holds a document marker: "---" or "..." followed by nothing, a space or a tab.
bool is_document_marker(std::string_view line, std::string_view marker) {
  if (line.substr(0, 3) != marker) return false;
  return line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r';
}

// Text with something besides blank lines, comments and directives.
bool has_content(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#' || line[first] == '%') continue;
    if (is_document_marker(line, "---") &&
        line.find_first_not_of(" \t\r", 3) == std::string_view::npos) {
      continue;
    }
    if (is_document_marker(line, "...")) continue;
    return true;
  }
  return false;
}

// Splits a stream at "---" lines. yaml-cpp 0.7 (Debian 12) has YAML::LoadAll loop forever, allocating,
// on some malformed streams (a stray ',' is enough: jbeder/yaml-cpp#1040, fixed upstream by #1319 in
// 0.8.x), so documents are cut here — a "---" line always starts a document (YAML 1.2 §9.1, a
// forbidden line inside any scalar) — and each is parsed with YAML::Load, which does not loop.
std::vector<DocumentText> split_documents(std::string_view yaml) {
  std::vector<DocumentText> documents;
  DocumentText current{yaml.substr(0, 0), 0};
  std::size_t current_begin = 0;
  std::size_t start = 0;
  int line_number = 0;
  while (start < yaml.size()) {
    std::size_t end = yaml.find('\n', start);
    if (end == std::string_view::npos) end = yaml.size();
    const std::size_t next = end + 1;
    const std::string_view line = yaml.substr(start, end - start);
    if (is_document_marker(line, "---") && start != current_begin) {
      current.text = yaml.substr(current_begin, start - current_begin);
      documents.push_back(current);
      current = DocumentText{{}, line_number};
      current_begin = start;
    }
    start = next;
    ++line_number;
  }
  current.text = yaml.substr(current_begin);
  documents.push_back(current);
  // A preamble of comments (or an empty file) is not a document.
  std::erase_if(documents, [](const DocumentText& d) { return !has_content(d.text); });
  return documents;
}

struct ParsedDocument {
  YAML::Node node;
  int first_line = 0;
};

Result<std::vector<ParsedDocument>> parse_documents(std::string_view yaml, std::string_view source) {
  std::vector<ParsedDocument> nodes;
  for (const DocumentText& document : split_documents(yaml)) {
    const std::string at_start =
        std::string(source) + ":" + std::to_string(document.first_line + 1) + ": ";
    try {
      YAML::Node node = YAML::Load(std::string(document.text));
      // yaml-cpp 0.7 also reads some garbage (",a: 1") as an empty document; text that has content
      // but parses to nothing is malformed.
      if (node.IsNull()) return fail(Error::config(at_start + "malformed YAML: no document found"));
      nodes.push_back({std::move(node), document.first_line});
    } catch (const YAML::ParserException& e) {
      // e.mark is 0-based within the document; e.msg is the description without the position.
      return fail(Error::config(std::string(source) + ":" +
                                std::to_string(document.first_line + e.mark.line + 1) +
                                ": malformed YAML: " + e.msg));
    }
  }
  return nodes;
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::io(path + ": cannot open zone file"));
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size < 0) return fail(Error::io(path + ": cannot read zone file"));
  if (static_cast<std::uintmax_t>(size) > kMaxZoneFileBytes) {
    return fail(Error::limit(path + ": zone file larger than 64 MiB"));
  }
  in.seekg(0, std::ios::beg);
  std::string text(static_cast<std::size_t>(size), '\0');
  if (!in.read(text.data(), size)) return fail(Error::io(path + ": cannot read zone file"));
  return text;
}

}  // namespace

Result<std::vector<RecordedResolver>> RecordedResolver::all_from_string(std::string_view yaml,
                                                                        std::string_view source) {
  auto documents = parse_documents(yaml, source);
  if (!documents) return fail(std::move(documents.error()));
  std::vector<RecordedResolver> zones;
  zones.reserve(documents->size());
  for (const auto& document : *documents) {
    auto zone = Loader(source, document.first_line).zone_of_document(document.node);
    if (!zone) return fail(std::move(zone.error()));
    zones.emplace_back(std::move(*zone));
  }
  return zones;
}

Result<RecordedResolver> RecordedResolver::from_string(std::string_view yaml,
                                                       std::string_view source) {
  auto documents = parse_documents(yaml, source);
  if (!documents) return fail(std::move(documents.error()));
  if (documents->empty()) return RecordedResolver(Zone{});
  if (documents->size() > 1) {
    const ParsedDocument& second = (*documents)[1];
    return fail(Error::config(Loader(source, second.first_line).where(second.node) +
                              ": a zone file holds one YAML document, this one has " +
                              std::to_string(documents->size())));
  }
  const ParsedDocument& only = documents->front();
  auto zone = Loader(source, only.first_line).zone_of_document(only.node);
  if (!zone) return fail(std::move(zone.error()));
  return RecordedResolver(std::move(*zone));
}

Result<RecordedResolver> RecordedResolver::from_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return fail(std::move(text.error()));
  return from_string(*text, path);
}

Result<std::vector<RecordedResolver>> RecordedResolver::all_from_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return fail(std::move(text.error()));
  return all_from_string(*text, path);
}

DnsAnswer RecordedResolver::lookup(std::string_view name, RecordType type) const {
  std::string current = normalize_name(name);
  std::unordered_set<std::string> visited;
  for (int link = 0; link <= kMaxCnameChain; ++link) {
    const auto found = zone_.find(current);
    if (found == zone_.end()) return DnsAnswer::nxdomain();
    DnsAnswer answer;
    answer.status = DnsStatus::kRecords;
    answer.ttl = kTtl;
    const DnsRecord* cname = nullptr;
    // The suite's convention: a TIMEOUT entry times the query out unless a record of the asked
    // type came before it, and records after it are never seen (pyspf testspf.py DNSLookup()).
    bool seen_type = false;
    for (const Entry& entry : found->second) {
      const bool same_type = !entry.any_type && entry.record.type == type;
      if (entry.kind == Entry::Kind::kTimeout) {
        if (entry.any_type) {
          if (!seen_type) return DnsAnswer::timeout("(recorded) at " + current, "(enregistré) pour " + current);
          break;
        }
        if (same_type) return DnsAnswer::timeout("(recorded) at " + current, "(enregistré) pour " + current);
        continue;
      }
      if (entry.kind == Entry::Kind::kNone) continue;
      if (same_type) {
        seen_type = true;
        answer.records.push_back(entry.record);
      } else if (entry.record.type == RecordType::kCname && cname == nullptr) {
        cname = &entry.record;
      }
    }
    if (!answer.records.empty()) return answer;
    if (cname == nullptr || type == RecordType::kCname) return DnsAnswer::no_data();
    visited.insert(current);
    current = cname->name;
    if (visited.count(current) != 0) {
      return DnsAnswer::explained_temp_error({"CNAME loop at " + current, "boucle de CNAME en " + current});
    }
  }
  const std::string most = std::to_string(kMaxCnameChain);
  return DnsAnswer::explained_temp_error({"CNAME chain longer than " + most, "chaîne de CNAME de plus de " + most});
}

}  // namespace vigie::auth::dns

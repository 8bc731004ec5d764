// The indicator index (see indicator_index.h).
#include "intel/indicators/indicator_index.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "common/ascii.h"
#include "common/ip_address.h"
#include "parse/url/url.h"

namespace vigie::intel {

namespace {

constexpr std::size_t kMaxArenaBytes = std::numeric_limits<std::uint32_t>::max();

std::string lower(std::string_view text) { return ascii::lowercase(text); }

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return ascii::is_hex_digit(c); });
}

std::size_t hash_length(ObservableType type) {
  switch (type) {
    case ObservableType::kMd5: return 32;
    case ObservableType::kSha1: return 40;
    case ObservableType::kSha256: return 64;
    case ObservableType::kSha512: return 128;
    default: return 0;
  }
}

// prefix length, then the address with its host bits cleared.
std::string network_key(const IpAddress& address, unsigned prefix_length) {
  std::string key(1, static_cast<char>(prefix_length));
  const unsigned bytes = address.is_v4() ? 4 : 16;
  key += address.is_v4() ? '4' : '6';
  for (unsigned i = 0; i < bytes; ++i) {
    const unsigned bits_before = i * 8;
    std::uint8_t byte = address.bytes[i];
    if (bits_before >= prefix_length) {
      byte = 0;
    } else if (prefix_length - bits_before < 8) {
      byte &= static_cast<std::uint8_t>(0xff << (8 - (prefix_length - bits_before)));
    }
    key += static_cast<char>(byte);
  }
  return key;
}

std::string normalized_url(std::string_view url) {
  return std::string(parse::normalize_url(url, UrlSource::kText).normalized());
}

}  // namespace

std::string fold_subject(std::string_view subject) {
  std::string out;
  bool space = false;
  for (const char c : subject) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ascii::lower(c);
  }
  return out;
}

// ---- building ----

struct IndicatorIndex::Builder::State {
  // A key waiting for build(), which groups equal keys by sorting.
  struct Pending {
    std::uint64_t hash;
    Text key;
    std::uint32_t indicator;
    Table table;
  };
  // Texts of the arena compared by content, so that a source or name is stored once.
  struct TextHash {
    const std::string* arena;
    std::size_t operator()(Text t) const {
      return std::hash<std::string_view>{}(std::string_view(*arena).substr(t.offset, t.length));
    }
  };
  struct TextEqual {
    const std::string* arena;
    bool operator()(Text a, Text b) const {
      const std::string_view all(*arena);
      return all.substr(a.offset, a.length) == all.substr(b.offset, b.length);
    }
  };

  State() : interned(64, TextHash{&index.arena_}, TextEqual{&index.arena_}) { index.link_sets_.emplace_back(); }

  Text store(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > kMaxArenaBytes - index.arena_.size()) {
      too_large = true;
      return {};
    }
    const Text t{static_cast<std::uint32_t>(index.arena_.size()), static_cast<std::uint32_t>(s.size())};
    index.arena_.append(s);
    return t;
  }
  Text intern(std::string_view s) {
    const Text t = store(s);
    if (t.length == 0) return t;
    const auto [existing, inserted] = interned.insert(t);
    if (!inserted) index.arena_.resize(t.offset);
    return *existing;
  }
  std::uint32_t link_set(const std::vector<IntelLink>& links) {
    if (links.empty()) return 0;
    std::string key;
    for (const IntelLink& l : links) key.append(l.kind).append(1, '\x1f').append(l.name).append(1, '\x1f').append(l.stix_id).append(1, '\x1e');
    const auto [found, inserted] = link_sets.emplace(std::move(key), static_cast<std::uint32_t>(index.link_sets_.size()));
    if (inserted) index.link_sets_.push_back(links);
    return found->second;
  }
  void put(Table table, std::uint32_t indicator, std::string_view key) {
    if (key.empty()) {
      ++index.skipped_values_;
      return;
    }
    pending.push_back({hash_of(table, key), store(key), indicator, table});
    ++index.indexed_values_;
  }
  void add_value(std::uint32_t indicator, const IndicatorValue& value);

  IndicatorIndex index;
  std::vector<Pending> pending;
  std::unordered_set<Text, TextHash, TextEqual> interned;
  std::unordered_map<std::string, std::uint32_t> link_sets;  // the set as one string: its index
  bool too_large = false;
};

void IndicatorIndex::Builder::State::add_value(std::uint32_t indicator, const IndicatorValue& value) {
  switch (value.type) {
    case ObservableType::kDomain:
      return put(Table::kDomain, indicator, parse::normalize_host(value.value));
    case ObservableType::kUrl: {
      const std::string key = normalized_url(value.value);
      if (!key.empty()) {
        if (index.url_lengths_.size() <= key.size()) index.url_lengths_.resize(key.size() + 1);
        index.url_lengths_[key.size()] = true;
      }
      return put(Table::kUrl, indicator, key);
    }
    case ObservableType::kEmailAddress:
      return put(Table::kAddress, indicator,
                 value.value.find('@') == std::string::npos ? std::string() : lower(value.value));
    case ObservableType::kEmailSubject:
      return put(Table::kSubject, indicator, fold_subject(value.value));
    case ObservableType::kFileName:
      return put(Table::kFileName, indicator, lower(value.value));
    case ObservableType::kMd5:
    case ObservableType::kSha1:
    case ObservableType::kSha256:
    case ObservableType::kSha512: {
      const bool usable = value.value.size() == hash_length(value.type) && is_hex(value.value);
      if (usable && (value.type == ObservableType::kMd5 || value.type == ObservableType::kSha1)) {
        index.holds_md5_or_sha1_ = true;
      }
      return put(Table::kHash, indicator, usable ? lower(value.value) : std::string());
    }
    case ObservableType::kIpv4:
    case ObservableType::kIpv6: {
      std::optional<IpNetwork> network = IpNetwork::parse(value.value);
      if (!network) {
        ++index.skipped_values_;
        return;
      }
      IpAddress address = network->address;
      unsigned length = network->prefix_length;
      if (!address.is_v4() && address.is_v4_mapped() && length >= 96) {
        address = address.unmapped();
        length -= 96;
      }
      std::vector<unsigned>& lengths = address.is_v4() ? index.v4_prefixes_ : index.v6_prefixes_;
      if (std::find(lengths.begin(), lengths.end(), length) == lengths.end()) lengths.push_back(length);
      return put(Table::kNetwork, indicator, network_key(address, length));
    }
  }
}

IndicatorIndex::Builder::Builder() : state_(std::make_unique<State>()) {}
IndicatorIndex::Builder::~Builder() = default;

void IndicatorIndex::Builder::add(const Indicator& indicator) {
  if (indicator.revoked) return;
  State& s = *state_;
  const auto i = static_cast<std::uint32_t>(s.index.records_.size());
  Record r;
  r.valid_from = indicator.valid_from;
  r.valid_until = indicator.valid_until;
  r.id = s.store(indicator.id);
  r.source = s.intern(indicator.source);
  r.name = s.intern(indicator.name);
  r.links = s.link_set(indicator.links);
  r.confidence = static_cast<std::int8_t>(std::clamp(indicator.confidence, -1, 100));
  r.tlp = static_cast<std::uint8_t>(indicator.tlp);
  for (const IndicatorValue& value : indicator.values) s.add_value(i, value);
  if (indicator.values.empty() && !indicator.pattern.empty()) {
    r.pattern = s.store(indicator.pattern);
    s.index.pattern_only_.push_back(i);
  }
  s.index.records_.push_back(r);
}

Result<IndicatorIndex> IndicatorIndex::Builder::build() && {
  State& s = *state_;
  IndicatorIndex& index = s.index;
  if (s.too_large || s.pending.size() >= std::numeric_limits<std::uint32_t>::max()) {
    return fail(Error::config("intelligence: the indicator store is too large for one index (more than 4 GiB of "
                              "text or 2^32 values): remove feeds or split them across engines"));
  }
  // Equal keys side by side, their indicators in order.
  const auto key_text = [&](const State::Pending& p) { return index.text(p.key); };
  std::sort(s.pending.begin(), s.pending.end(), [&](const State::Pending& a, const State::Pending& b) {
    if (a.hash != b.hash) return a.hash < b.hash;
    if (a.table != b.table) return a.table < b.table;
    if (const int order = key_text(a).compare(key_text(b)); order != 0) return order < 0;
    return a.indicator < b.indicator;
  });
  index.postings_.reserve(s.pending.size());
  for (std::size_t i = 0; i < s.pending.size();) {
    const State::Pending& first = s.pending[i];
    Key key{first.key, static_cast<std::uint32_t>(index.postings_.size()), 0,
            static_cast<std::uint32_t>(first.hash >> 32), first.table};
    std::size_t j = i;
    for (; j < s.pending.size() && s.pending[j].hash == first.hash && s.pending[j].table == first.table &&
           key_text(s.pending[j]) == key_text(first);
         ++j) {
      if (key.count == 0 || index.postings_.back() != s.pending[j].indicator) {
        index.postings_.push_back(s.pending[j].indicator);
        ++key.count;
      }
    }
    index.keys_.push_back(key);
    i = j;
  }
  std::vector<State::Pending>().swap(s.pending);
  s.interned.clear();
  s.link_sets.clear();

  index.slots_.assign(std::bit_ceil(std::max<std::size_t>(16, index.keys_.size() * 2)), 0);
  const std::size_t mask = index.slots_.size() - 1;
  for (std::uint32_t k = 0; k < index.keys_.size(); ++k) {
    std::size_t slot = hash_of(index.keys_[k].table, index.text(index.keys_[k].text)) & mask;
    while (index.slots_[slot] != 0) slot = (slot + 1) & mask;
    index.slots_[slot] = k + 1;
  }
  std::sort(index.v4_prefixes_.begin(), index.v4_prefixes_.end(), std::greater<>());
  std::sort(index.v6_prefixes_.begin(), index.v6_prefixes_.end(), std::greater<>());
  index.arena_.shrink_to_fit();
  index.records_.shrink_to_fit();
  index.keys_.shrink_to_fit();
  index.postings_.shrink_to_fit();
  return std::move(index);
}

IndicatorIndex::IndicatorIndex(const std::vector<Indicator>& indicators) {
  Builder builder;
  for (const Indicator& indicator : indicators) builder.add(indicator);
  Result<IndicatorIndex> built = std::move(builder).build();
  // Indicators held in memory whole cannot come near the bounds a store of them can.
  if (!built) throw std::length_error(built.error().message);
  *this = std::move(*built);
}

// ---- reading ----

std::uint64_t IndicatorIndex::hash_of(Table table, std::string_view key) {
  // The key's hash, then a 64-bit finaliser (splitmix64) over it and the table, so that the low
  // bits (the slot) and the high bits (the tag) both depend on every byte.
  std::uint64_t h = std::hash<std::string_view>{}(key) + (static_cast<std::uint64_t>(table) + 1) * 0x9e3779b97f4a7c15ull;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

const IndicatorIndex::Key* IndicatorIndex::find(Table table, std::string_view key) const {
  if (slots_.empty()) return nullptr;
  const std::uint64_t hash = hash_of(table, key);
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const std::uint32_t entry = slots_[slot];
    if (entry == 0) return nullptr;
    const Key& candidate = keys_[entry - 1];
    if (candidate.hash_tag == tag && candidate.table == table && text(candidate.text) == key) return &candidate;
  }
}

IndicatorView IndicatorIndex::indicator(std::uint32_t i) const {
  const Record& r = records_[i];
  return {text(r.id),    text(r.source), text(r.name),           text(r.pattern), r.valid_from,
          r.valid_until, r.confidence,   static_cast<Tlp>(r.tlp), link_sets_[r.links]};
}

std::size_t IndicatorIndex::memory_bytes() const {
  std::size_t bytes = arena_.capacity() + records_.capacity() * sizeof(Record) +
                      pattern_only_.capacity() * sizeof(std::uint32_t) + keys_.capacity() * sizeof(Key) +
                      postings_.capacity() * sizeof(std::uint32_t) + slots_.capacity() * sizeof(std::uint32_t) +
                      url_lengths_.capacity() / 8 + link_sets_.capacity() * sizeof(std::vector<IntelLink>);
  for (const std::vector<IntelLink>& set : link_sets_) {
    bytes += set.capacity() * sizeof(IntelLink);
    for (const IntelLink& l : set) bytes += l.kind.capacity() + l.name.capacity() + l.stix_id.capacity();
  }
  return bytes;
}

bool IndicatorIndex::valid_at(std::uint32_t indicator, std::int64_t now) const {
  const Record& r = records_[indicator];
  if (r.valid_from != 0 && now < r.valid_from) return false;
  if (r.valid_until != 0 && now >= r.valid_until) return false;
  return true;
}

void IndicatorIndex::append(Table table, std::string_view key, std::string_view matched, ObservableType type,
                            std::string_view observed, std::string_view how, std::int64_t now,
                            std::vector<IndicatorMatch>& out) const {
  const Key* found = find(table, key);
  if (found == nullptr) return;
  for (std::uint32_t p = found->first; p < found->first + found->count; ++p) {
    const std::uint32_t indicator = postings_[p];
    if (!valid_at(indicator, now)) continue;
    out.push_back({indicator, type, std::string(observed), std::string(matched), how});
  }
}

void IndicatorIndex::match(ObservableType type, std::string_view observed, std::int64_t now,
                           std::vector<IndicatorMatch>& out) const {
  if (records_.empty() || observed.empty()) return;
  switch (type) {
    case ObservableType::kDomain: {
      const std::string host = parse::normalize_host(observed);
      if (host.empty()) return;
      append(Table::kDomain, host, host, type, observed, "exact", now, out);
      // Every parent, up to the last label.
      for (std::size_t dot = host.find('.'); dot != std::string::npos; dot = host.find('.', dot + 1)) {
        const std::string_view parent = std::string_view(host).substr(dot + 1);
        append(Table::kDomain, parent, parent, type, observed, "parent domain", now, out);
      }
      return;
    }
    case ObservableType::kUrl: {
      const std::string url = normalized_url(observed);
      if (url.empty()) return;
      const auto indexed_length = [&](std::size_t length) {
        return length < url_lengths_.size() && url_lengths_[length];
      };
      if (indexed_length(url.size())) append(Table::kUrl, url, url, type, observed, "exact", now, out);
      // A folder named without its final slash is the folder.
      if (url.back() != '/' && indexed_length(url.size() + 1)) {
        const std::string folder = url + "/";
        append(Table::kUrl, folder, folder, type, observed, "URL prefix", now, out);
      }
      // Prefixes at the boundaries of the path and query, after the authority.
      const std::size_t scheme = url.find("://");
      const std::size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
      if (path == std::string::npos) return;
      for (std::size_t at = url.size(); at > path;) {
        at = url.find_last_of("/?#", at - 1);
        if (at == std::string::npos || at < path) break;
        // "https://x.example/kit/" and "https://x.example/kit" both name the folder.
        if (indexed_length(at + 1)) {
          const std::string_view with_boundary = std::string_view(url).substr(0, at + 1);
          append(Table::kUrl, with_boundary, with_boundary, type, observed, "URL prefix", now, out);
        }
        if (at > path && indexed_length(at)) {
          const std::string_view without = std::string_view(url).substr(0, at);
          append(Table::kUrl, without, without, type, observed, "URL prefix", now, out);
        }
      }
      return;
    }
    case ObservableType::kIpv4:
    case ObservableType::kIpv6: {
      std::optional<IpAddress> address = IpAddress::parse(observed);
      if (!address) return;
      if (address->is_v4_mapped()) *address = address->unmapped();
      const std::vector<unsigned>& lengths = address->is_v4() ? v4_prefixes_ : v6_prefixes_;
      const unsigned full = address->is_v4() ? 32 : 128;
      for (const unsigned length : lengths) {
        IpAddress network = *address;
        const std::string key = network_key(*address, length);
        const unsigned bytes = address->is_v4() ? 4 : 16;
        std::copy(key.begin() + 2, key.begin() + 2 + bytes, network.bytes.begin());
        append(Table::kNetwork, key, network.to_string() + "/" + std::to_string(length),
               address->is_v4() ? ObservableType::kIpv4 : ObservableType::kIpv6, observed,
               length == full ? "exact" : "in network", now, out);
      }
      return;
    }
    case ObservableType::kEmailAddress: {
      const std::string key = lower(observed);
      return append(Table::kAddress, key, key, type, observed, "exact", now, out);
    }
    case ObservableType::kEmailSubject: {
      const std::string key = fold_subject(observed);
      return append(Table::kSubject, key, key, type, observed, "exact", now, out);
    }
    case ObservableType::kFileName: {
      const std::string key = lower(observed);
      return append(Table::kFileName, key, key, type, observed, "exact", now, out);
    }
    case ObservableType::kMd5:
    case ObservableType::kSha1:
    case ObservableType::kSha256:
    case ObservableType::kSha512: {
      const std::string key = lower(observed);
      return append(Table::kHash, key, key, type, observed, "exact", now, out);
    }
  }
}

}  // namespace vigie::intel

// The indicator index (see indicator_index.h).
#include "intel/indicators/indicator_index.h"

#include <algorithm>

#include "common/ascii.h"
#include "common/ip_address.h"
#include "parse/url/url.h"

namespace vigie::intel {

namespace {

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

IndicatorIndex::IndicatorIndex(std::vector<Indicator> indicators) {
  indicators_.reserve(indicators.size());
  for (Indicator& indicator : indicators) {
    if (indicator.revoked) continue;
    indicators_.push_back(std::move(indicator));
  }
  for (std::uint32_t i = 0; i < indicators_.size(); ++i) {
    for (const IndicatorValue& value : indicators_[i].values) add(i, value);
    if (indicators_[i].values.empty() && !indicators_[i].pattern.empty()) pattern_only_.push_back(i);
  }
  std::sort(v4_prefixes_.begin(), v4_prefixes_.end(), std::greater<>());
  std::sort(v6_prefixes_.begin(), v6_prefixes_.end(), std::greater<>());
}

void IndicatorIndex::add(std::uint32_t indicator, const IndicatorValue& value) {
  const auto put = [&](Postings& postings, std::string key) {
    if (key.empty()) {
      ++skipped_values_;
      return;
    }
    std::vector<std::uint32_t>& ids = postings[std::move(key)];
    if (ids.empty() || ids.back() != indicator) ids.push_back(indicator);
    ++indexed_values_;
  };
  switch (value.type) {
    case ObservableType::kDomain:
      return put(domains_, parse::normalize_host(value.value));
    case ObservableType::kUrl: {
      std::string key = normalized_url(value.value);
      if (!key.empty()) {
        if (url_lengths_.size() <= key.size()) url_lengths_.resize(key.size() + 1);
        url_lengths_[key.size()] = true;
      }
      return put(urls_, std::move(key));
    }
    case ObservableType::kEmailAddress:
      return put(addresses_, value.value.find('@') == std::string::npos ? std::string() : lower(value.value));
    case ObservableType::kEmailSubject:
      return put(subjects_, fold_subject(value.value));
    case ObservableType::kFileName:
      return put(file_names_, lower(value.value));
    case ObservableType::kMd5:
    case ObservableType::kSha1:
    case ObservableType::kSha256:
    case ObservableType::kSha512: {
      const bool usable = value.value.size() == hash_length(value.type) && is_hex(value.value);
      if (usable && (value.type == ObservableType::kMd5 || value.type == ObservableType::kSha1)) {
        holds_md5_or_sha1_ = true;
      }
      return put(hashes_, usable ? lower(value.value) : std::string());
    }
    case ObservableType::kIpv4:
    case ObservableType::kIpv6: {
      std::optional<IpNetwork> network = IpNetwork::parse(value.value);
      if (!network) {
        ++skipped_values_;
        return;
      }
      IpAddress address = network->address;
      unsigned length = network->prefix_length;
      if (!address.is_v4() && address.is_v4_mapped() && length >= 96) {
        address = address.unmapped();
        length -= 96;
      }
      std::vector<unsigned>& lengths = address.is_v4() ? v4_prefixes_ : v6_prefixes_;
      if (std::find(lengths.begin(), lengths.end(), length) == lengths.end()) lengths.push_back(length);
      return put(networks_, network_key(address, length));
    }
  }
}

bool IndicatorIndex::valid_at(std::uint32_t indicator, std::int64_t now) const {
  const Indicator& i = indicators_[indicator];
  if (i.valid_from != 0 && now < i.valid_from) return false;
  if (i.valid_until != 0 && now >= i.valid_until) return false;
  return true;
}

void IndicatorIndex::append(const Postings& postings, const std::string& key, std::string_view matched,
                            ObservableType type, std::string_view observed, std::string_view how,
                            std::int64_t now, std::vector<IndicatorMatch>& out) const {
  const auto found = postings.find(key);
  if (found == postings.end()) return;
  for (const std::uint32_t indicator : found->second) {
    if (!valid_at(indicator, now)) continue;
    out.push_back({indicator, type, std::string(observed), std::string(matched), how});
  }
}

void IndicatorIndex::match(ObservableType type, std::string_view observed, std::int64_t now,
                           std::vector<IndicatorMatch>& out) const {
  if (indicators_.empty() || observed.empty()) return;
  switch (type) {
    case ObservableType::kDomain: {
      const std::string host = parse::normalize_host(observed);
      if (host.empty()) return;
      append(domains_, host, host, type, observed, "exact", now, out);
      // Every parent, up to the last label.
      for (std::size_t dot = host.find('.'); dot != std::string::npos; dot = host.find('.', dot + 1)) {
        const std::string parent = host.substr(dot + 1);
        append(domains_, parent, parent, type, observed, "parent domain", now, out);
      }
      return;
    }
    case ObservableType::kUrl: {
      const std::string url = normalized_url(observed);
      if (url.empty()) return;
      const auto indexed_length = [&](std::size_t length) {
        return length < url_lengths_.size() && url_lengths_[length];
      };
      if (indexed_length(url.size())) append(urls_, url, url, type, observed, "exact", now, out);
      // A folder named without its final slash is the folder.
      if (url.back() != '/' && indexed_length(url.size() + 1)) {
        const std::string folder = url + "/";
        append(urls_, folder, folder, type, observed, "URL prefix", now, out);
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
          const std::string with_boundary = url.substr(0, at + 1);
          append(urls_, with_boundary, with_boundary, type, observed, "URL prefix", now, out);
        }
        if (at > path && indexed_length(at)) {
          const std::string without = url.substr(0, at);
          append(urls_, without, without, type, observed, "URL prefix", now, out);
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
        append(networks_, key, network.to_string() + "/" + std::to_string(length),
               address->is_v4() ? ObservableType::kIpv4 : ObservableType::kIpv6, observed,
               length == full ? "exact" : "in network", now, out);
      }
      return;
    }
    case ObservableType::kEmailAddress: {
      const std::string key = lower(observed);
      return append(addresses_, key, key, type, observed, "exact", now, out);
    }
    case ObservableType::kEmailSubject: {
      const std::string key = fold_subject(observed);
      return append(subjects_, key, key, type, observed, "exact", now, out);
    }
    case ObservableType::kFileName: {
      const std::string key = lower(observed);
      return append(file_names_, key, key, type, observed, "exact", now, out);
    }
    case ObservableType::kMd5:
    case ObservableType::kSha1:
    case ObservableType::kSha256:
    case ObservableType::kSha512: {
      const std::string key = lower(observed);
      return append(hashes_, key, key, type, observed, "exact", now, out);
    }
  }
}

}  // namespace vigie::intel

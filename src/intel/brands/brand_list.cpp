// Brand list parsing and the domain ownership index (see brand_list.h).
#include "intel/brands/brand_list.h"
#include "common/list_file.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "parse/url/url.h"

namespace vigie::intel {
namespace {

constexpr std::string_view kShippedFile = "brands.tsv";

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t at = s.find(separator);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return parts;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool valid_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

// A listed domain: lowercase letters, digits, '-' and '.', no empty label. Single labels are
// allowed for brand top-level domains (".bnpparibas").
bool valid_domain(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.front() == '.' || d.back() == '.') return false;
  if (d.find("..") != std::string_view::npos) return false;
  return std::all_of(d.begin(), d.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

Result<std::string> read_file(const std::string& path) {
  Result<std::string> text = read_config_file(path, kMaxConfigFileBytes);
  if (!text) return fail(Error::config("brand list " + text.error().message));
  return text;
}

}  // namespace

Result<BrandList> BrandList::load(const Config& config) {
  BrandList list;
  std::vector<std::string> files{data_dir(config) + "/" + std::string(kShippedFile)};
  files.insert(files.end(), config.lists.brands.begin(), config.lists.brands.end());
  for (const std::string& path : files) {
    Result<std::string> text = read_file(path);
    if (!text) return fail(text.error());
    if (Result<void> added = list.add(*text, path); !added) return fail(added.error());
  }
  return list;
}

Result<void> BrandList::add(std::string_view text, std::string_view origin) {
  std::size_t line_number = 0;
  for (std::string_view rest = text; !rest.empty();) {
    const std::size_t eol = rest.find('\n');
    const std::string_view line = trim(rest.substr(0, eol));
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    ++line_number;
    const std::string where = std::string(origin) + ":" + std::to_string(line_number);
    auto error = [&](const std::string& message) {
      return fail(Error::config(where + ": " + message + ": " +
                                std::string(line.substr(0, std::min<std::size_t>(line.size(), 80)))));
    };
    if (line.empty() || line.front() == '#') continue;
    if (line.size() > kMaxBrandLineBytes) return error("line longer than 4096 bytes");
    if (brands_.size() >= kMaxBrands) return error("more than 5000 brands");
    const std::vector<std::string_view> columns = split(line, '\t');
    if (columns.size() != 6) {
      return error("expected 6 tab-separated columns (id, category, names, domains, user_domains, "
                   "source), found " + std::to_string(columns.size()));
    }
    Brand brand;
    brand.id = std::string(trim(columns[0]));
    brand.category = std::string(trim(columns[1]));
    brand.source = std::string(trim(columns[5]));
    brand.origin = where;
    if (!valid_id(brand.id)) return error("invalid id (lowercase letters, digits, '-')");
    if (ids_.contains(brand.id)) return error("duplicate brand id '" + brand.id + "'");
    if (!valid_id(brand.category)) return error("invalid category");
    if (brand.source.empty() || brand.source == "-") return error("missing source");
    for (std::string_view name : split(columns[2], ',')) {
      name = trim(name);
      BrandName n;
      if (!name.empty() && name.front() == '~') {
        n.common_word = true;
        name.remove_prefix(1);
      }
      if (name.empty() || name == "-") return error("empty name");
      n.text = std::string(name);
      brand.names.push_back(std::move(n));
    }
    if (brand.names.size() > kMaxNamesPerBrand) return error("more than 64 names");
    for (const std::string_view column : {columns[3], columns[4]}) {
      const bool user = column.data() == columns[4].data();
      if (trim(column) == "-") continue;
      for (std::string_view domain : split(column, ',')) {
        domain = trim(domain);
        BrandDomain d;
        if (!domain.empty() && domain.front() == '~') {
          d.common_word = true;
          domain.remove_prefix(1);
        }
        if (!valid_domain(domain)) return error("invalid domain '" + std::string(domain) + "'");
        d.domain = std::string(domain);
        if (user) {
          brand.user_domains.push_back(std::move(d));
        } else {
          brand.domains.push_back(std::move(d));
        }
      }
    }
    if (brand.domains.size() + brand.user_domains.size() > kMaxDomainsPerBrand) {
      return error("more than 128 domains");
    }
    const auto index = static_cast<std::uint32_t>(brands_.size());
    for (const BrandDomain& d : brand.domains) {
      auto& owners = domain_owners_[d.domain];
      if (std::find(owners.begin(), owners.end(), index) == owners.end()) owners.push_back(index);
    }
    for (const BrandDomain& d : brand.user_domains) user_domains_.emplace(d.domain, index);
    ids_.emplace(brand.id, index);
    brands_.push_back(std::move(brand));
  }
  return {};
}

std::span<const std::uint32_t> BrandList::owners(std::string_view host) const {
  std::span<const std::uint32_t> found;
  for_each_parent(host, [&](std::string_view suffix) {
    const auto it = domain_owners_.find(suffix);
    if (it == domain_owners_.end()) return false;
    found = it->second;
    return true;
  });
  return found;
}

bool BrandList::owns(std::uint32_t brand, std::string_view host) const {
  return for_each_parent(host, [&](std::string_view suffix) {
    const auto it = domain_owners_.find(suffix);
    return it != domain_owners_.end() &&
           std::find(it->second.begin(), it->second.end(), brand) != it->second.end();
  });
}

bool BrandList::is_user_domain(std::string_view host) const {
  return for_each_parent(host, [&](std::string_view suffix) {
    return user_domains_.contains(suffix);
  });
}

bool BrandList::serves(std::uint32_t brand, std::string_view host) const {
  if (owns(brand, host)) return true;
  return for_each_parent(host, [&](std::string_view suffix) {
    const auto it = user_domains_.find(suffix);
    return it != user_domains_.end() && it->second == brand;
  });
}

}  // namespace vigie::intel

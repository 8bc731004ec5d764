// The brand list: brands and public services whose names phishing borrows, with the domains that
// prove a message or a link really comes from them. Owns the list file format (data/brands.tsv
// documents it), its validation, and the domain ownership index every brand-aware analyzer uses.
// The shipped list is read from data_dir(config)/brands.tsv; the organisation's own suppliers come
// in through ListsConfig::brands files of the same format. Immutable once loaded: safe to share
// between threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vigie/config.h"
#include "vigie/result.h"

namespace vigie::intel {

// Lets unordered containers keyed by std::string be searched with a string_view, without a copy.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

// Hard limits on list files: a list is data written by people, not a dump.
inline constexpr std::size_t kMaxBrandLineBytes = 4096;
inline constexpr std::size_t kMaxBrands = 5000;
inline constexpr std::size_t kMaxNamesPerBrand = 64;
inline constexpr std::size_t kMaxDomainsPerBrand = 128;

struct BrandName {
  std::string text;          // as written in the list
  bool common_word = false;  // '~': only counts in a display name made of it and service words
};

struct BrandDomain {
  std::string domain;        // lowercase ASCII, no trailing dot
  bool common_word = false;  // '~': look-alikes only by confusable characters
};

struct Brand {
  std::string id;
  std::string category;
  std::vector<BrandName> names;
  std::vector<BrandDomain> domains;
  std::vector<BrandDomain> user_domains;
  std::string source;
  std::string origin;  // "file:line", for evidence and errors
};

class BrandList {
 public:
  // The shipped list plus every ListsConfig::brands file. Errors name file:line and the entry.
  static Result<BrandList> load(const Config& config);
  // Adds the brands of one list's text; `origin` names it in errors ("brands.tsv").
  Result<void> add(std::string_view text, std::string_view origin);

  std::span<const Brand> brands() const { return brands_; }
  const Brand& brand(std::uint32_t index) const { return brands_[index]; }

  // Brands owning `host` (lowercase ASCII): the host or one of its parent domains is listed in
  // their domains. Empty when none.
  std::span<const std::uint32_t> owners(std::string_view host) const;
  bool owns(std::uint32_t brand, std::string_view host) const;
  // True when the host is (under) a user domain: anyone can have a page there.
  bool is_user_domain(std::string_view host) const;
  // True when the host is one of the brand's own places: a domain it owns, or under one of its
  // user domains, where its own service puts what its users share (x.sharepoint.com for
  // Microsoft, drive.google.com for Google).
  bool serves(std::uint32_t brand, std::string_view host) const;
  // True when the domain itself is listed as a user domain (not merely under one): anyone can
  // have an address there.
  bool is_listed_user_domain(std::string_view domain) const { return user_domains_.contains(domain); }

 private:
  std::vector<Brand> brands_;
  StringMap<std::vector<std::uint32_t>> domain_owners_;
  StringMap<std::uint32_t> user_domains_;
  StringMap<std::uint32_t> ids_;
};

// Calls fn(suffix) for the host and each parent domain ("a.b.c" → "a.b.c", "b.c", "c"); stops
// early when fn returns true. Returns whether it stopped.
template <typename Fn>
bool for_each_parent(std::string_view host, Fn&& fn) {
  while (!host.empty()) {
    if (fn(host)) return true;
    const std::size_t dot = host.find('.');
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return false;
}

}  // namespace vigie::intel

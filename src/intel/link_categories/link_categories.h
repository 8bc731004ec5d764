// Link categories: which hosts and URL prefixes belong to services that attackers borrow for
// spear-phishing links (shorteners, free hosting, request catchers, tunnels, dynamic DNS, IPFS
// gateways, form builders, file sharing...), and which belong to redirectors (click trackers, open
// redirects, mail security link wrappers). Owns the list format (data/link_categories/README.md),
// its validation and the lookup; the links analyzer decides what a match means.
//
// Lookup is by host suffix on label boundaries, most specific host first, so a list of any size
// costs one hash probe per label of the host (two when a pattern has a "*" label).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vigie/result.h"

namespace vigie::intel {

enum class LinkCategory : std::uint8_t {
  kShortener,
  kFreeHosting,
  kSiteBuilder,
  kBlog,
  kCloudStorage,
  kCdn,
  kServerless,
  kPaste,
  kWebhook,
  kMockApi,
  kTunnel,
  kDynamicDns,
  kIpfs,
  kFormBuilder,
  kFileSharing,
  kImageHosting,
  kTemporaryMail,
  kClickTracker,
  kOpenRedirect,
  kUrlWrapper,
};

std::string_view link_category_name(LinkCategory category);
std::optional<LinkCategory> parse_link_category(std::string_view name);

struct LinkCategoryEntry {
  std::string host;         // lowercase; may hold one "*" label in second position
  std::string path_prefix;  // empty, or starts with '/'
  bool exact_host = false;  // "=host": the host itself, not its subdomains
  LinkCategory category;
  std::string source;       // where the fact comes from
  std::string origin;       // file:line, for messages
};

class LinkCategories {
 public:
  static constexpr std::size_t kMaxLineBytes = 512;
  static constexpr std::size_t kMaxEntries = 20000;

  // Every *.tsv file of `directory` in name order, then each of `extra_files`. A missing directory
  // is an error: the shipped lists are part of the product.
  static Result<LinkCategories> load(const std::string& directory,
                                     const std::vector<std::string>& extra_files);

  // Adds the entries of one file's text; `file_name` names it in errors ("name:line: ...").
  Result<void> add_text(std::string_view text, std::string_view file_name);
  Result<void> add_file(const std::string& path);

  // The most specific entry matching host (lowercase ASCII, no trailing dot) and path (the URL
  // path starting with '/', may be empty): longest matching host first, then an entry with a path
  // prefix before one without. nullptr when none.
  const LinkCategoryEntry* match(std::string_view host, std::string_view path) const;

  std::size_t size() const { return entries_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  const LinkCategoryEntry* best_for_key(std::string_view key, bool whole_host,
                                        std::string_view path) const;

  std::vector<LinkCategoryEntry> entries_;
  bool has_wildcards_ = false;  // skips the second probe per label when no pattern needs it
  // host pattern → indexes into entries_
  std::unordered_map<std::string, std::vector<std::uint32_t>, Hash, std::equal_to<>> by_host_;
};

}  // namespace vigie::intel

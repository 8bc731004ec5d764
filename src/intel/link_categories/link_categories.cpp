// Link-category lists: parsing, validation and host-suffix lookup (see link_categories.h).
#include "intel/link_categories/link_categories.h"
#include "common/list_file.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace vigie::intel {
namespace {

struct CategoryName {
  LinkCategory category;
  std::string_view name;
};

constexpr std::array<CategoryName, 20> kCategoryNames{{
    {LinkCategory::kShortener, "shortener"},
    {LinkCategory::kFreeHosting, "free_hosting"},
    {LinkCategory::kSiteBuilder, "site_builder"},
    {LinkCategory::kBlog, "blog"},
    {LinkCategory::kCloudStorage, "cloud_storage"},
    {LinkCategory::kCdn, "cdn"},
    {LinkCategory::kServerless, "serverless"},
    {LinkCategory::kPaste, "paste"},
    {LinkCategory::kWebhook, "webhook"},
    {LinkCategory::kMockApi, "mock_api"},
    {LinkCategory::kTunnel, "tunnel"},
    {LinkCategory::kDynamicDns, "dynamic_dns"},
    {LinkCategory::kIpfs, "ipfs"},
    {LinkCategory::kFormBuilder, "form_builder"},
    {LinkCategory::kFileSharing, "file_sharing"},
    {LinkCategory::kImageHosting, "image_hosting"},
    {LinkCategory::kTemporaryMail, "temporary_mail"},
    {LinkCategory::kClickTracker, "click_tracker"},
    {LinkCategory::kOpenRedirect, "open_redirect"},
    {LinkCategory::kUrlWrapper, "url_wrapper"},
}};

bool ascii_iequal_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char a = text[i];
    char b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

// A host pattern: lowercase LDH labels, at least two, one optional "*" label in second position
// (s3.*.amazonaws.com: the region). Returns an error text, empty when valid.
std::string check_host_pattern(std::string_view host) {
  if (host.empty()) return "empty host";
  std::size_t labels = 0;
  std::size_t start = 0;
  while (start <= host.size()) {
    std::size_t dot = host.find('.', start);
    if (dot == std::string_view::npos) dot = host.size();
    const std::string_view label = host.substr(start, dot - start);
    if (label.empty()) return "empty label";
    if (label == "*") {
      if (labels != 1) return "a '*' label is only allowed in second position";
    } else {
      for (char c : label) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) {
          return (c >= 'A' && c <= 'Z') ? "host must be lowercase"
                                         : std::string("invalid character '") + c + "' in host";
        }
      }
    }
    ++labels;
    start = dot + 1;
  }
  if (labels < 2) return "host needs at least two labels";
  return {};
}

std::string line_error(std::string_view file, std::size_t line, std::string_view message,
                       std::string_view entry) {
  std::string out;
  out.append(file).append(":").append(std::to_string(line)).append(": ").append(message);
  if (!entry.empty()) out.append(": '").append(entry.substr(0, 120)).append("'");
  return out;
}

}  // namespace

std::string_view link_category_name(LinkCategory category) {
  for (const CategoryName& c : kCategoryNames) {
    if (c.category == category) return c.name;
  }
  return "unknown";
}

std::optional<LinkCategory> parse_link_category(std::string_view name) {
  for (const CategoryName& c : kCategoryNames) {
    if (c.name == name) return c.category;
  }
  return std::nullopt;
}

Result<LinkCategories> LinkCategories::load(const std::string& directory,
                                            const std::vector<std::string>& extra_files) {
  LinkCategories lists;
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) {
    return fail(Error::config("link categories: " + directory + ": not a directory"));
  }
  std::vector<std::string> files;
  for (const auto& item : std::filesystem::directory_iterator(directory, ec)) {
    if (item.is_regular_file() && item.path().extension() == ".tsv") {
      files.push_back(item.path().string());
    }
  }
  if (ec) return fail(Error::io("link categories: " + directory + ": " + ec.message()));
  std::sort(files.begin(), files.end());
  if (files.empty()) return fail(Error::config("link categories: no .tsv file in " + directory));
  files.insert(files.end(), extra_files.begin(), extra_files.end());
  for (const std::string& file : files) {
    if (Result<void> r = lists.add_file(file); !r) return fail(r.error());
  }
  return lists;
}

Result<void> LinkCategories::add_file(const std::string& path) {
  Result<std::string> text = read_config_file(path, kMaxConfigFileBytes);
  if (!text) return fail(Error::config("link categories: " + text.error().message));
  return add_text(*text, path);
}

Result<void> LinkCategories::add_text(std::string_view text, std::string_view file_name) {
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxLineBytes) {
      return fail(Error::config(line_error(file_name, line_number,
                                           "line longer than 512 bytes", line)));
    }
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;

    std::array<std::string_view, 3> fields;
    std::size_t count = 0;
    for (std::string_view rest = line;; ++count) {
      const std::size_t tab = rest.find('\t');
      if (count < fields.size()) fields[count] = rest.substr(0, tab);
      if (tab == std::string_view::npos) break;
      rest.remove_prefix(tab + 1);
    }
    if (count != 2) {
      return fail(Error::config(line_error(
          file_name, line_number, "expected pattern<TAB>category<TAB>source", line)));
    }
    for (std::string_view field : fields) {
      if (field.empty() || field.front() == ' ' || field.back() == ' ') {
        return fail(Error::config(line_error(file_name, line_number,
                                             "empty field or stray space", line)));
      }
    }

    LinkCategoryEntry entry;
    std::string_view pattern = fields[0];
    if (pattern.front() == '=') {
      entry.exact_host = true;
      pattern.remove_prefix(1);
    }
    const std::size_t slash = pattern.find('/');
    const std::string_view host = pattern.substr(0, slash);
    if (slash != std::string_view::npos) entry.path_prefix = std::string(pattern.substr(slash));
    if (std::string problem = check_host_pattern(host); !problem.empty()) {
      return fail(Error::config(line_error(file_name, line_number, problem, fields[0])));
    }
    if (entry.exact_host && host.find('*') != std::string_view::npos) {
      return fail(Error::config(
          line_error(file_name, line_number, "'=' and '*' cannot be combined", fields[0])));
    }
    if (entry.path_prefix.find_first_of(" \t?#") != std::string::npos) {
      return fail(Error::config(
          line_error(file_name, line_number, "a path prefix has no query or space", fields[0])));
    }
    const std::optional<LinkCategory> category = parse_link_category(fields[1]);
    if (!category) {
      return fail(Error::config(line_error(file_name, line_number, "unknown category", fields[1])));
    }
    if (fields[2].size() < 4) {
      return fail(Error::config(line_error(file_name, line_number,
                                           "source must name a URL or a document", fields[2])));
    }
    entry.host = std::string(host);
    entry.category = *category;
    entry.source = std::string(fields[2]);
    entry.origin = std::string(file_name) + ":" + std::to_string(line_number);

    auto& slot = by_host_[entry.host];
    for (std::uint32_t index : slot) {
      const LinkCategoryEntry& other = entries_[index];
      if (other.path_prefix == entry.path_prefix && other.exact_host == entry.exact_host) {
        return fail(Error::config(line_error(file_name, line_number,
                                             "duplicate of " + other.origin, fields[0])));
      }
    }
    if (entries_.size() >= kMaxEntries) {
      return fail(Error::config(line_error(file_name, line_number,
                                           "more than 20000 link-category entries", fields[0])));
    }
    if (entry.host.find('*') != std::string::npos) has_wildcards_ = true;
    slot.push_back(static_cast<std::uint32_t>(entries_.size()));
    entries_.push_back(std::move(entry));
  }
  return {};
}

const LinkCategoryEntry* LinkCategories::best_for_key(std::string_view key, bool whole_host,
                                                      std::string_view path) const {
  const auto it = by_host_.find(key);
  if (it == by_host_.end()) return nullptr;
  const LinkCategoryEntry* best = nullptr;
  for (std::uint32_t index : it->second) {
    const LinkCategoryEntry& e = entries_[index];
    if (e.exact_host && !whole_host) continue;
    if (!e.path_prefix.empty() && !ascii_iequal_prefix(path, e.path_prefix)) continue;
    if (best == nullptr || e.path_prefix.size() > best->path_prefix.size()) best = &e;
  }
  return best;
}

const LinkCategoryEntry* LinkCategories::match(std::string_view host,
                                               std::string_view path) const {
  if (host.empty() || entries_.empty()) return nullptr;
  if (host.back() == '.') host.remove_suffix(1);
  // Suffixes from the whole host down to its last two labels.
  std::string wildcard_key;
  for (std::size_t start = 0; start < host.size();) {
    const std::string_view suffix = host.substr(start);
    const std::size_t dot = suffix.find('.');
    if (dot == std::string_view::npos) break;  // a single label is never a pattern
    if (const LinkCategoryEntry* e = best_for_key(suffix, start == 0, path)) return e;
    // The same suffix with its second label as "*" (s3.eu-west-3.amazonaws.com → s3.*.amazonaws.com).
    const std::size_t second_end = suffix.find('.', dot + 1);
    if (has_wildcards_ && second_end != std::string_view::npos) {
      wildcard_key.assign(suffix.substr(0, dot + 1)).append("*").append(suffix.substr(second_end));
      if (const LinkCategoryEntry* e = best_for_key(wildcard_key, start == 0, path)) return e;
    }
    start += dot + 1;
  }
  return nullptr;
}

}  // namespace vigie::intel

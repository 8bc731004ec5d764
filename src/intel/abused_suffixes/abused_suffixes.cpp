#include "intel/abused_suffixes/abused_suffixes.h"
#include "common/list_file.h"

#include <fstream>
#include <sstream>

#include "common/ascii.h"

namespace vigie::intel {
namespace {

// Lowercase LDH labels separated by single dots: what a registry sells under.
bool valid_suffix(std::string_view s) {
  if (s.empty() || s.size() > 253 || s.front() == '.' || s.back() == '.') return false;
  char previous = '.';
  for (const char c : s) {
    const bool ldh = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ldh && c != '.') return false;
    if (c == '.' && previous == '.') return false;
    previous = c;
  }
  return true;
}

Result<std::string> read_file(const std::string& path) {
  return read_config_file(path, AbusedSuffixes::kMaxFileBytes);
}

}  // namespace

Result<AbusedSuffixes> AbusedSuffixes::load(const std::string& shipped_file,
                                            const std::vector<std::string>& extra_files) {
  AbusedSuffixes list;
  std::vector<std::string> files{shipped_file};
  files.insert(files.end(), extra_files.begin(), extra_files.end());
  for (const std::string& file : files) {
    Result<std::string> text = read_file(file);
    if (!text) return fail(text.error());
    if (Result<void> added = list.add_text(*text, file); !added) return fail(added.error());
  }
  return list;
}

Result<void> AbusedSuffixes::add_text(std::string_view text, std::string_view file_name) {
  std::size_t start = 0;
  for (unsigned number = 1; start < text.size(); ++number) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = ascii::trim_blanks(text.substr(start, end - start));
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    const std::string where = std::string(file_name) + ":" + std::to_string(number);
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) return fail(Error::config(where + ": expected suffix<TAB>source"));
    const std::string_view suffix = ascii::trim_blanks(line.substr(0, tab));
    const std::string_view source = ascii::trim_blanks(line.substr(tab + 1));
    if (!valid_suffix(suffix)) {
      return fail(Error::config(where + ": '" + std::string(suffix) +
                                "' is not a domain suffix (lowercase labels, e.g. top or sa.com)"));
    }
    if (source.empty() || source.find('\t') != std::string_view::npos) {
      return fail(Error::config(where + ": every entry needs one source"));
    }
    if (entries_.size() >= kMaxEntries) {
      return fail(Error::config(where + ": more than " + std::to_string(kMaxEntries) + " entries"));
    }
    entries_[std::string(suffix)] = Entry{std::string(suffix), std::string(source), where};
  }
  return {};
}

const AbusedSuffixes::Entry* AbusedSuffixes::match(std::string_view domain) const {
  // Every proper suffix of the domain on a label boundary, longest first.
  for (std::size_t dot = domain.find('.'); dot != std::string_view::npos;
       dot = domain.find('.', dot + 1)) {
    if (const auto it = entries_.find(std::string(domain.substr(dot + 1))); it != entries_.end()) {
      return &it->second;
    }
  }
  return nullptr;
}

}  // namespace vigie::intel

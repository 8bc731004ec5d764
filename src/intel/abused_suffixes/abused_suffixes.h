// The list of abused domain suffixes (data/abused_suffixes.tsv and the operator's extra files):
// top-level domains and registry-run second-level spaces where throw-away registrations for spam
// and phishing dominate. Owns the file format, its validation and the lookup. Loaded once at start,
// read-only afterwards, thread-safe.
//
// Format, one entry a line, '#' starts a comment:  suffix <TAB> source
// A suffix is one or more lowercase ASCII labels ("top", "sa.com"); it matches every domain under
// it on label boundaries (evil.sa.com, not visa.com), never the suffix alone.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vigie/result.h"

namespace vigie::intel {

class AbusedSuffixes {
 public:
  static constexpr std::size_t kMaxEntries = 10000;
  static constexpr std::size_t kMaxFileBytes = 1 << 20;

  // The shipped file, then each of `extra_files`. Errors name file:line.
  static Result<AbusedSuffixes> load(const std::string& shipped_file,
                                     const std::vector<std::string>& extra_files);
  // Adds the entries of one file's text; `file_name` names it in errors.
  Result<void> add_text(std::string_view text, std::string_view file_name);

  struct Entry {
    std::string suffix;
    std::string source;
    std::string origin;  // file:line
  };
  // The longest listed suffix `domain` (lowercase, no trailing dot) lies under, nullptr if none.
  const Entry* match(std::string_view domain) const;
  std::size_t size() const { return entries_.size(); }

 private:
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace vigie::intel

// archives: the small readings of a member's path that the archive findings share.
#pragma once

#include <string>
#include <string_view>

#include "common/ascii.h"
#include "vigie/finding.h"

namespace vigie::analyzers::archives {

// The last extension of a path's file name, lowercase, without the dot ("" when none).
inline std::string extension_of(std::string_view name) {
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  const std::size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string() : ascii::lowercase(name.substr(dot + 1));
}

// The folder part of a member's path ("a/b/" for "a/b/c.exe"), with either separator.
inline std::string_view folder_of(std::string_view name) {
  const std::size_t slash = name.find_last_of("/\\");
  return slash == std::string_view::npos ? std::string_view() : name.substr(0, slash + 1);
}

inline LocalizedText quoted(std::string_view name) {
  return LocalizedText{"\"" + std::string(name) + "\"", "« " + std::string(name) + " »"};
}

}  // namespace vigie::analyzers::archives

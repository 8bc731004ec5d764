// See internet_shortcut.h.
#include "objects/internet_shortcut.h"

#include <algorithm>

#include "common/ascii.h"

namespace vigie::objects {
namespace {

constexpr std::size_t kMaxShortcutBytes = 64 * 1024;
constexpr std::size_t kMaxValueBytes = 4096;

}  // namespace

InternetShortcut read_internet_shortcut(std::string_view bytes) {
  InternetShortcut out;
  bytes = bytes.substr(0, kMaxShortcutBytes);
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  bool in_shortcut = false;
  std::size_t p = 0;
  while (p < bytes.size()) {
    std::size_t end = bytes.find('\n', p);
    if (end == std::string_view::npos) end = bytes.size();
    const std::string_view line = ascii::trim_blanks(bytes.substr(p, end - p));
    p = end + 1;
    if (line.starts_with('[')) {
      // Windows reads URL= from [InternetShortcut]; IconFile= may sit in either section.
      in_shortcut = ascii::iequals(line, "[InternetShortcut]") || ascii::iequals(line, "[DEFAULT]");
      out.found = out.found || in_shortcut;
      continue;
    }
    if (!in_shortcut) continue;
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = ascii::trim_blanks(line.substr(0, eq));
    const std::string_view value = ascii::trim_blanks(line.substr(eq + 1)).substr(0, kMaxValueBytes);
    if (ascii::iequals(key, "URL") && out.url.empty()) out.url = std::string(value);
    if (ascii::iequals(key, "IconFile") && out.icon_file.empty()) out.icon_file = std::string(value);
  }
  return out;
}

bool only_web_targets(const InternetShortcut& shortcut) {
  const auto web = [](std::string_view target) {
    return ascii::istarts_with(target, "http://") || ascii::istarts_with(target, "https://");
  };
  return web(shortcut.url) && (shortcut.icon_file.empty() || web(shortcut.icon_file));
}

std::vector<std::string> read_shell_locations(std::string_view bytes) {
  constexpr std::size_t kMaxLocations = 64;
  std::vector<std::string> out;
  bytes = bytes.substr(0, kMaxShortcutBytes);
  const std::string lower = ascii::lowercase(bytes);
  for (std::size_t p = lower.find("<url>"); p != std::string::npos && out.size() < kMaxLocations;
       p = lower.find("<url>", p + 5)) {
    const std::size_t end = lower.find("</url>", p + 5);
    if (end == std::string::npos) break;
    const std::string_view value = ascii::trim_blanks(bytes.substr(p + 5, std::min(end - p - 5, kMaxValueBytes)));
    if (!value.empty()) out.emplace_back(value);
  }
  return out;
}

}  // namespace vigie::objects

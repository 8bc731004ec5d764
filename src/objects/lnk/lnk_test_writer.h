// Test-side writer of Windows shortcuts ([MS-SHLLINK]): builds the .lnk bytes the reader and the
// lnk analyzer are tested on, field by field, so that each test states the shortcut it attacks
// with. ASCII strings only (widened to UTF-16LE when `unicode`). Not part of the engine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigie::objects::lnk::testing {

struct ShortcutSpec {
  std::vector<std::string> id_list;  // "C:\\" then folder and file names, as shell items
  std::string local_base_path;       // LinkInfo VolumeIDAndLocalBasePath
  std::string net_name;              // LinkInfo CommonNetworkRelativeLink ("\\\\server\\share")
  std::string path_suffix;           // LinkInfo CommonPathSuffix
  std::string name, relative_path, working_dir, arguments, icon_location;
  std::string environment_target;    // EnvironmentVariableDataBlock
  bool unicode = true;
  std::uint32_t show_command = 1;
  std::int32_t icon_index = 0;
};

inline void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
inline void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}
inline std::string wide(const std::string& s) {
  std::string out;
  for (char c : s) {
    out += c;
    out += '\0';
  }
  return out;
}

inline std::string write_shortcut(const ShortcutSpec& spec) {
  std::uint32_t flags = 0;
  if (!spec.id_list.empty()) flags |= 0x1;
  if (!spec.local_base_path.empty() || !spec.net_name.empty()) flags |= 0x2;
  if (!spec.name.empty()) flags |= 0x4;
  if (!spec.relative_path.empty()) flags |= 0x8;
  if (!spec.working_dir.empty()) flags |= 0x10;
  if (!spec.arguments.empty()) flags |= 0x20;
  if (!spec.icon_location.empty()) flags |= 0x40;
  if (spec.unicode) flags |= 0x80;
  if (!spec.environment_target.empty()) flags |= 0x200;

  std::string out;
  put32(out, 0x4C);
  out += std::string("\x01\x14\x02\x00\x00\x00\x00\x00\xC0\x00\x00\x00\x00\x00\x00\x46", 16);
  put32(out, flags);
  put32(out, 0x20);                    // FILE_ATTRIBUTE_ARCHIVE
  out += std::string(24, '\0');        // creation, access, write times
  put32(out, 0);                       // file size
  put32(out, static_cast<std::uint32_t>(spec.icon_index));
  put32(out, spec.show_command);
  out += std::string(12, '\0');        // hot key, reserved

  if (!spec.id_list.empty()) {
    std::string items;
    // The root: My Computer ({20D04FE0-3AEA-1069-A2D8-08002B30309D}).
    put16(items, 0x14);
    items += "\x1F\x50";
    items += std::string("\xE0\x4F\xD0\x20\xEA\x3A\x69\x10\xA2\xD8\x08\x00\x2B\x30\x30\x9D", 16);
    for (std::size_t i = 0; i < spec.id_list.size(); ++i) {
      std::string item;
      if (i == 0) {
        item = "\x2F" + spec.id_list[i];
        item.resize(23, '\0');
      } else {
        item = "\x32";
        item += '\0';
        item += std::string(10, '\0');  // file size, modified, attributes
        item += spec.id_list[i];
        item += '\0';
        if (item.size() % 2) item += '\0';
      }
      put16(items, static_cast<std::uint32_t>(item.size() + 2));
      items += item;
    }
    put16(items, 0);
    put16(out, static_cast<std::uint32_t>(items.size()));
    out += items;
  }

  if (flags & 0x2) {
    const bool local = !spec.local_base_path.empty();
    const bool network = !spec.net_name.empty();
    const std::string volume = [] {
      std::string v;
      put32(v, 0x11);
      put32(v, 3);  // DRIVE_FIXED
      put32(v, 0x12345678);
      put32(v, 0x10);
      v += '\0';
      return v;
    }();
    std::string network_link;
    if (network) {
      put32(network_link, static_cast<std::uint32_t>(0x14 + spec.net_name.size() + 1));
      put32(network_link, 0);
      put32(network_link, 0x14);
      put32(network_link, 0);
      put32(network_link, 0);
      network_link += spec.net_name;
      network_link += '\0';
    }
    std::size_t at = 0x1C;
    const std::size_t volume_offset = local ? at : 0;
    if (local) at += volume.size();
    const std::size_t base_offset = local ? at : 0;
    if (local) at += spec.local_base_path.size() + 1;
    const std::size_t network_offset = network ? at : 0;
    if (network) at += network_link.size();
    const std::size_t suffix_offset = at;
    at += spec.path_suffix.size() + 1;
    put32(out, static_cast<std::uint32_t>(at));
    put32(out, 0x1C);
    put32(out, (local ? 1u : 0u) | (network ? 2u : 0u));
    put32(out, static_cast<std::uint32_t>(volume_offset));
    put32(out, static_cast<std::uint32_t>(base_offset));
    put32(out, static_cast<std::uint32_t>(network_offset));
    put32(out, static_cast<std::uint32_t>(suffix_offset));
    if (local) out += volume + spec.local_base_path + '\0';
    if (network) out += network_link;
    out += spec.path_suffix + '\0';
  }

  for (const std::string* s : {&spec.name, &spec.relative_path, &spec.working_dir, &spec.arguments, &spec.icon_location}) {
    if (s->empty()) continue;
    put16(out, static_cast<std::uint32_t>(s->size()));
    out += spec.unicode ? wide(*s) : *s;
  }

  if (!spec.environment_target.empty()) {
    put32(out, 0x314);
    put32(out, 0xA0000001);
    std::string ansi = spec.environment_target;
    ansi.resize(260, '\0');
    std::string unicode = wide(spec.environment_target);
    unicode.resize(520, '\0');
    out += ansi + unicode;
  }
  put32(out, 0);  // TerminalBlock
  return out;
}

}  // namespace vigie::objects::lnk::testing

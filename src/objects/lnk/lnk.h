// Windows shortcut (.lnk) reader, [MS-SHLLINK]: what a shortcut runs when it is opened — its
// target (from the LinkInfo paths, the environment-variable block, or the shell item list), the
// command-line arguments, the working directory and the icon it shows. Ours, because no Debian
// library reads the format; every field is read through bounds checks on the caller's buffer, the
// counts in the file are trusted only as far as the buffer goes, and nothing recurses, so the cost
// is linear in the size of the file. Thread-safe (no state). The analysis is in
// src/analyzers/lnk.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::objects::lnk {

// What a shortcut says. Strings are UTF-8 (the file's UTF-16LE or ANSI text converted); empty
// when absent.
struct Shortcut {
  bool valid = false;                 // the header is a ShellLinkHeader (size 0x4C, the shell link CLSID)
  std::uint32_t flags = 0;            // LinkFlags (§2.1.1)
  std::uint32_t show_command = 0;     // SW_SHOWNORMAL 1, SW_SHOWMAXIMIZED 3, SW_SHOWMINNOACTIVE 7
  std::string id_list_path;           // the target as the shell item list names it (8.3 names)
  std::string local_base_path;        // LinkInfo: "C:\Windows\System32\cmd.exe"
  std::string network_path;           // LinkInfo: "\\server\share\path" (net name + suffix)
  std::string environment_target;     // EnvironmentVariableDataBlock: "%windir%\system32\cmd.exe"
  std::string name;                   // NAME_STRING: the description shown as a tooltip
  std::string relative_path;          // RELATIVE_PATH
  std::string working_dir;            // WORKING_DIR
  std::string arguments;              // COMMAND_LINE_ARGUMENTS
  std::string icon_location;          // ICON_LOCATION (or the IconEnvironmentDataBlock)
  std::int32_t icon_index = 0;
  std::vector<std::string> errors;    // where the structure ended early or disagreed with itself

  // The best name of what runs: the local path, the network path, the environment target, the
  // item-list path, then the relative path.
  std::string_view target() const;
};

// Reads `bytes` as a shell link. Never fails: a file that is not a shortcut gives valid = false;
// a truncated or inconsistent one gives what could be read and errors.
Shortcut read_shortcut(std::string_view bytes);

}  // namespace vigie::objects::lnk

// Internet shortcuts (.url, and .website pinned sites), and the shell files that name locations
// (.library-ms, .searchConnector-ms): the INI text Windows reads to open a link
// ([InternetShortcut] URL=...) and to draw its icon (IconFile=...). Explorer fetches the icon as
// soon as it shows the file, so an IconFile on a remote share leaks the user's NTLM credentials
// without a click; a URL= on a share, a file:// address or a protocol handler opens it on a
// double-click. Reads the first [limits]-independent 64 KiB only (a real shortcut is a few hundred
// bytes). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigie::objects {

struct InternetShortcut {
  bool found = false;     // an [InternetShortcut] (or [DEFAULT]) section was read
  std::string url;        // URL= of the [InternetShortcut] section, "" when none
  std::string icon_file;  // IconFile=, "" when none
};

InternetShortcut read_internet_shortcut(std::string_view bytes);

// Whether a shortcut's targets are all web pages (http, https): the ordinary, harmless kind.
bool only_web_targets(const InternetShortcut& shortcut);

// The locations a Windows library or search connector (.library-ms, .searchConnector-ms: XML)
// opens in Explorer: the text of its <url> elements (at most 64, each at most 4 KiB). Explorer
// lists a remote share's files as if they were local, and connects to it to do so.
std::vector<std::string> read_shell_locations(std::string_view bytes);

}  // namespace vigie::objects

// Internet shortcuts (.url, and .website pinned sites): the INI text Windows reads to open a link
// ([InternetShortcut] URL=...) and to draw its icon (IconFile=...). Explorer fetches the icon as
// soon as it shows the file, so an IconFile on a remote share leaks the user's NTLM credentials
// without a click; a URL= on a share, a file:// address or a protocol handler opens it on a
// double-click. Reads the first [limits]-independent 64 KiB only (a real shortcut is a few hundred
// bytes). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace vigie::objects {

struct InternetShortcut {
  bool found = false;     // an [InternetShortcut] (or [DEFAULT]) section was read
  std::string url;        // URL= of the [InternetShortcut] section, "" when none
  std::string icon_file;  // IconFile=, "" when none
};

InternetShortcut read_internet_shortcut(std::string_view bytes);

// Whether a shortcut's targets are all web pages (http, https): the ordinary, harmless kind.
bool only_web_targets(const InternetShortcut& shortcut);

}  // namespace vigie::objects

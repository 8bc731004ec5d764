// Paths a Windows client opens on its own that name another machine: UNC paths (\\host\share,
// //host/share), file://host/ URLs, and the WebDAV forms Windows' redirector accepts
// (\\host@SSL\share, \\host@80\share, \\host\DavWWWRoot\...). Opening one (a reminder sound, an
// icon, a template) makes Windows authenticate to that host with the user's NTLM credentials
// (ATT&CK T1187; CVE-2023-23397). Local device paths (\\?\C:\..., \\.\) and localhost are not
// remote. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigie::objects {

struct RemotePath {
  std::string host;     // as written, lowercase, without the @SSL/@port suffix
  bool webdav = false;  // @SSL, @<port> or DavWWWRoot: fetched over HTTP(S) rather than SMB
};

std::optional<RemotePath> remote_path(std::string_view path);

}  // namespace vigie::objects

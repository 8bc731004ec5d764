// See remote_path.h.
#include "objects/remote_path.h"

#include "common/ascii.h"

namespace vigie::objects {

std::optional<RemotePath> remote_path(std::string_view path) {
  path = ascii::trim_blanks(path);
  std::string_view rest;
  if (path.size() > 2 && (path[0] == '\\' || path[0] == '/') && (path[1] == '\\' || path[1] == '/')) {
    rest = path.substr(2);
  } else if (ascii::istarts_with(path, "file:")) {
    rest = path.substr(5);
    // file://host/share, file:////host/share; file:///C:/... is local (an empty host).
    std::size_t slashes = 0;
    while (slashes < rest.size() && (rest[slashes] == '/' || rest[slashes] == '\\')) ++slashes;
    if (slashes < 2 || slashes == 3) return std::nullopt;
    rest = rest.substr(slashes);
  } else {
    return std::nullopt;
  }
  const std::size_t end = rest.find_first_of("\\/");
  std::string host = ascii::lowercase(rest.substr(0, end));
  if (host.empty() || host == "?" || host == "." || host == "localhost" || host == "127.0.0.1" ||
      (host.size() == 2 && host[1] == ':')) {  // file://C:/... written with two slashes
    return std::nullopt;
  }
  RemotePath remote;
  if (const std::size_t at = host.find('@'); at != std::string::npos) {
    remote.webdav = true;  // host@SSL, host@SSL@443, host@8080
    host.resize(at);
    if (host.empty()) return std::nullopt;
  }
  if (ascii::lowercase(rest).find("davwwwroot") != std::string::npos) remote.webdav = true;
  remote.host = std::move(host);
  return remote;
}

}  // namespace vigie::objects

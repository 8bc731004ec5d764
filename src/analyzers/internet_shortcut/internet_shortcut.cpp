// internet_shortcut: Internet shortcut files (.url, .website) and Windows libraries and search
// connectors (.library-ms, .searchConnector-ms), attached or found inside another file. Their
// targets join the message's links (ObjectContext::add_url): URL= and a library's <url> locations
// as links the reader opens, IconFile= as a resource Explorer fetches by itself when it shows the
// file. The links
// analyzer then judges them like any link: a UNC or WebDAV path (LINK_UNC_PATH, the NTLM leak
// without a click when it is the icon), a protocol handler (LINK_PROTOCOL_HANDLER), a look-alike
// host... Emits nothing itself; that the file is a shortcut at all is attachment_type's.
#include <string>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "objects/internet_shortcut.h"
#include "parse/url/url.h"

namespace vigie::analyzers::internet_shortcut {
namespace {

bool is_shell_location_name(std::string_view lowercase_name) {
  return lowercase_name.ends_with(".library-ms") || lowercase_name.ends_with(".searchconnector-ms");
}

bool accepts(const Object& object) {
  if (!object.is_file() || object.origin == ObjectOrigin::kMessage || object.origin == ObjectOrigin::kAttachedMessage) {
    return false;
  }
  const std::string name = ascii::lowercase(object.filename);
  if (name.ends_with(".url") || name.ends_with(".website") || is_shell_location_name(name)) return true;
  std::string_view head = object.bytes().substr(0, 32);
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  return ascii::istarts_with(head, "[InternetShortcut]");
}

void add(ObjectContext& context, const Object& object, std::string_view target, UrlSource source) {
  if (target.empty()) return;
  Url url = parse::normalize_url(target, source);
  context.add_url(object, std::move(url));
}

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* /*state*/, FindingSink& /*sink*/) {
  if (is_shell_location_name(ascii::lowercase(object.filename))) {
    for (const std::string& location : objects::read_shell_locations(object.bytes())) {
      add(context, object, location, UrlSource::kHref);
    }
    return;
  }
  const objects::InternetShortcut shortcut = objects::read_internet_shortcut(object.bytes());
  if (!shortcut.found) {
    context.add_note(object, "named as an Internet shortcut but holds no [InternetShortcut] section");
    return;
  }
  add(context, object, shortcut.url, UrlSource::kHref);
  add(context, object, shortcut.icon_file, UrlSource::kSrc);
}

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "internet_shortcut",
      "Reads the targets of Internet shortcuts (.url, .website) and the locations of Windows libraries and "
      "search connectors (.library-ms, .searchConnector-ms) into the message's links",
      {},
      &accepts,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::internet_shortcut

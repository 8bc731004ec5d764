// Dangerous download names (see download_names.h). The extension lists follow what Windows runs or
// mounts on a double click and what mail-borne intrusions use (threat-notes: LNK inside ZIP,
// ISO/VHDX to dodge Mark of the Web, HTA, JS and WSF droppers, MSC and XLL lures).
#include "analyzers/links/download_names.h"

#include <algorithm>
#include <array>

#include "analyzers/links/url_shapes.h"
#include "common/ascii.h"

namespace vigie::analyzers::links {
namespace {

struct Extension {
  std::string_view name;
  DownloadKind kind;
};

// ".com" is left out: a path ending in a domain name (/go/www.example.com) is common and says
// nothing; ".dll" and ".sys" do not run on a double click.
constexpr std::array<Extension, 44> kExtensions{{
    // Programs and installers.
    {"exe", DownloadKind::kExecutable}, {"scr", DownloadKind::kExecutable},
    {"pif", DownloadKind::kExecutable}, {"cpl", DownloadKind::kExecutable},
    {"msi", DownloadKind::kExecutable}, {"msp", DownloadKind::kExecutable},
    {"msix", DownloadKind::kExecutable}, {"msixbundle", DownloadKind::kExecutable},
    {"appx", DownloadKind::kExecutable}, {"appxbundle", DownloadKind::kExecutable},
    {"appinstaller", DownloadKind::kExecutable}, {"application", DownloadKind::kExecutable},
    {"jar", DownloadKind::kExecutable}, {"pkg", DownloadKind::kExecutable},
    // Scripts the Windows Script Host, mshta, cmd or PowerShell run.
    {"js", DownloadKind::kExecutable}, {"jse", DownloadKind::kExecutable},
    {"vbs", DownloadKind::kExecutable}, {"vbe", DownloadKind::kExecutable},
    {"wsf", DownloadKind::kExecutable}, {"wsh", DownloadKind::kExecutable},
    {"wsc", DownloadKind::kExecutable}, {"hta", DownloadKind::kExecutable},
    {"cmd", DownloadKind::kExecutable}, {"bat", DownloadKind::kExecutable},
    {"ps1", DownloadKind::kExecutable}, {"reg", DownloadKind::kExecutable},
    // Files that run code when opened: shortcuts, consoles, help files, Excel add-ins.
    {"lnk", DownloadKind::kExecutable}, {"scf", DownloadKind::kExecutable},
    {"msc", DownloadKind::kExecutable}, {"chm", DownloadKind::kExecutable},
    {"xll", DownloadKind::kExecutable}, {"library-ms", DownloadKind::kExecutable},
    {"settingcontent-ms", DownloadKind::kExecutable},
    // Disk images Windows mounts with a double click (and macOS's).
    {"iso", DownloadKind::kDiskImage}, {"img", DownloadKind::kDiskImage},
    {"vhd", DownloadKind::kDiskImage}, {"vhdx", DownloadKind::kDiskImage},
    {"dmg", DownloadKind::kDiskImage},
    // Archives Windows or a common tool opens.
    {"zip", DownloadKind::kArchive}, {"rar", DownloadKind::kArchive},
    {"7z", DownloadKind::kArchive}, {"cab", DownloadKind::kArchive},
    {"ace", DownloadKind::kArchive}, {"arj", DownloadKind::kArchive},
}};

// Types a double extension disguises a program as: what a reader expects to open safely. Only
// to describe the name; they never make a finding on their own.
constexpr std::array<std::string_view, 22> kDisguiseExtensions{
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "rtf", "txt", "csv",
    "jpg", "jpeg", "png", "gif", "html", "htm", "mp3", "mp4", "wav", "eml"};

// Parameter names that carry the name of the file a download endpoint serves.
constexpr std::array<std::string_view, 11> kFileParameters{
    "file", "filename", "fname", "file_name", "name", "download", "dl", "attachment", "document", "doc", "f"};

// The file name in a Content-Disposition value: filename="x.exe", filename=x.exe or the RFC 6266
// filename*=UTF-8''x.exe form.
std::string_view disposition_file_name(std::string_view value) {
  std::size_t at = std::string_view::npos;
  for (std::size_t i = 0; i + 8 <= value.size(); ++i) {
    if (ascii::iequals(value.substr(i, 8), "filename")) at = i + 8;  // the last one wins, as filename* does
  }
  if (at == std::string_view::npos) return {};
  std::string_view rest = value.substr(at);
  if (rest.starts_with('*')) rest.remove_prefix(1);
  if (!rest.starts_with('=')) return {};
  rest.remove_prefix(1);
  if (const std::size_t quote = rest.find("''"); quote != std::string_view::npos) rest.remove_prefix(quote + 2);
  if (rest.starts_with('"')) {
    rest.remove_prefix(1);
    return rest.substr(0, rest.find('"'));
  }
  return rest.substr(0, rest.find(';'));
}

}  // namespace

std::string_view download_kind_name(DownloadKind kind) {
  switch (kind) {
    case DownloadKind::kExecutable: return "program or script";
    case DownloadKind::kDiskImage: return "disk image";
    case DownloadKind::kArchive: return "archive";
  }
  return "archive";
}

std::string_view download_kind_name_fr(DownloadKind kind) {
  switch (kind) {
    case DownloadKind::kExecutable: return "programme ou script";
    case DownloadKind::kDiskImage: return "image disque";
    case DownloadKind::kArchive: return "archive";
  }
  return "archive";
}

std::optional<DownloadName> dangerous_file_name(std::string_view file_name) {
  while (!file_name.empty() && (file_name.back() == '.' || file_name.back() == ' ')) file_name.remove_suffix(1);
  const std::size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == file_name.size()) return std::nullopt;
  const std::string extension = ascii::lowercase(file_name.substr(dot + 1));
  const auto known = std::find_if(kExtensions.begin(), kExtensions.end(),
                                  [&](const Extension& e) { return e.name == extension; });
  if (known == kExtensions.end()) return std::nullopt;
  DownloadName out{known->kind, std::string(file_name), extension, {}};
  const std::string_view stem = file_name.substr(0, dot);
  if (const std::size_t inner = stem.rfind('.'); inner != std::string_view::npos && inner > 0) {
    std::string shown = ascii::lowercase(stem.substr(inner + 1));
    while (!shown.empty() && shown.back() == ' ') shown.pop_back();  // "invoice.pdf   .exe"
    if (std::find(kDisguiseExtensions.begin(), kDisguiseExtensions.end(), shown) != kDisguiseExtensions.end()) {
      out.disguised_as = std::move(shown);
    }
  }
  return out;
}

std::optional<DownloadName> dangerous_download_in_path(std::string_view path) {
  // Most paths have no extension at all, not even an encoded dot (%2E).
  if (path.find('.') == std::string_view::npos && path.find("%2") == std::string_view::npos) return std::nullopt;
  const std::string decoded = percent_decode(path);
  const std::size_t slash = decoded.find_last_of("/\\");
  return dangerous_file_name(std::string_view(decoded).substr(slash == std::string::npos ? 0 : slash + 1));
}

std::optional<DownloadName> dangerous_download_in_query(std::string_view query, std::string& parameter) {
  if (query.find('.') == std::string_view::npos && query.find("%2") == std::string_view::npos) return std::nullopt;
  std::optional<DownloadName> found;
  for_each_query_parameter(query, [&](std::string_view name, std::string_view value) {
    if (found || value.empty() || embedded_url(value)) return;
    const std::string decoded = percent_decode(value);
    std::string_view file_name;
    if (ascii::iequals(name, "response-content-disposition") || ascii::iequals(name, "rscd")) {
      file_name = disposition_file_name(decoded);
    } else if (std::any_of(kFileParameters.begin(), kFileParameters.end(),
                           [&](std::string_view p) { return ascii::iequals(name, p); })) {
      file_name = decoded;
      if (const std::size_t slash = file_name.find_last_of("/\\"); slash != std::string_view::npos) {
        file_name.remove_prefix(slash + 1);  // file=/uploads/x.exe
      }
    }
    if (file_name.empty()) return;
    found = dangerous_file_name(file_name);
    if (found) parameter = std::string(name);
  });
  return found;
}

}  // namespace vigie::analyzers::links

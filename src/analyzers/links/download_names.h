// download_names: what kind of file a link downloads, read from its URL alone. The file name is
// the last segment of the path ("/files/Facture%2006.exe" → "Facture 06.exe", percent-decoded
// once, as the server reads it), or the value of a query parameter that names the file served
// ("download.php?file=Facture.exe", an S3/GCS "response-content-disposition=attachment;
// filename=x.iso" or Azure "rscd=" override). Only the extension decides, graded by what opening
// the file does on a reader's computer:
//   - kExecutable: Windows runs it (a program, an installer, a script, a shortcut, a console file);
//   - kDiskImage: Windows mounts it and what is inside loses the download warning (Mark of the
//     Web, ATT&CK T1553.005);
//   - kArchive: it may carry either.
// Pure text functions, no allocation unless a name is found.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigie::analyzers::links {

enum class DownloadKind { kExecutable, kDiskImage, kArchive };

std::string_view download_kind_name(DownloadKind kind);  // "program or script", "disk image", "archive"
std::string_view download_kind_name_fr(DownloadKind kind);  // the same in French

struct DownloadName {
  DownloadKind kind;
  std::string file_name;  // decoded, as the reader would see it saved
  std::string extension;  // lowercase, without the dot
  // The document or picture type a double extension shows first ("invoice.pdf.exe" → "pdf"):
  // Windows hides known extensions, so the reader sees "invoice.pdf". Empty otherwise.
  std::string disguised_as;
};

// The kind of a file name by its extension (trailing dots and spaces, which Windows drops, ignored);
// nullopt for any other type, documents included.
std::optional<DownloadName> dangerous_file_name(std::string_view file_name);

// The file the last segment of a URL path names (url_path(): "/a/b.exe"), when it is dangerous.
std::optional<DownloadName> dangerous_download_in_path(std::string_view path);

// A file named by a query parameter whose name says it names the file served (file, filename,
// name, download, attachment...) or by a Content-Disposition override, when it is dangerous.
// `parameter` receives the parameter's name. A value that is itself a URL is not a file name: the
// links analyzer follows it as a redirect.
std::optional<DownloadName> dangerous_download_in_query(std::string_view query, std::string& parameter);

}  // namespace vigie::analyzers::links

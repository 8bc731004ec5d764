// download_names: file names read from a URL's path and from the query parameters that name the
// file served, graded by extension; names that only look like one stay unread.
#include "analyzers/links/download_names.h"

#include <gtest/gtest.h>

namespace vigie::analyzers::links {
namespace {

DownloadKind kind_of_path(std::string_view path) {
  const std::optional<DownloadName> name = dangerous_download_in_path(path);
  EXPECT_TRUE(name.has_value()) << path;
  return name ? name->kind : DownloadKind::kArchive;
}

TEST(DownloadNamesTest, GradedByWhatOpeningTheFileDoes) {
  EXPECT_EQ(kind_of_path("/files/Facture_2024.exe"), DownloadKind::kExecutable);
  EXPECT_EQ(kind_of_path("/a/invoice.PDF.js"), DownloadKind::kExecutable);
  EXPECT_EQ(kind_of_path("/update.hta"), DownloadKind::kExecutable);
  EXPECT_EQ(kind_of_path("/Document.lnk"), DownloadKind::kExecutable);
  EXPECT_EQ(kind_of_path("/x/Scan.iso"), DownloadKind::kDiskImage);
  EXPECT_EQ(kind_of_path("/x/Scan.VHDX"), DownloadKind::kDiskImage);
  EXPECT_EQ(kind_of_path("/x/docs.zip"), DownloadKind::kArchive);
  EXPECT_EQ(kind_of_path("/x/docs.7z"), DownloadKind::kArchive);
}

TEST(DownloadNamesTest, DoubleExtensionsNameTheTypeShownFirst) {
  std::optional<DownloadName> name = dangerous_download_in_path("/u/Invoice_0612.PDF.exe");
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->disguised_as, "pdf");
  EXPECT_EQ(name->extension, "exe");
  name = dangerous_download_in_path("/u/scan.jpg%20%20%20.scr");
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->disguised_as, "jpg");
  // A version number or a second program type is no disguise.
  EXPECT_EQ(dangerous_download_in_path("/u/setup-2.4.1.exe")->disguised_as, "");
  EXPECT_EQ(dangerous_download_in_path("/u/tool.tar.zip")->disguised_as, "");
  // A document with a double extension is still a document.
  EXPECT_FALSE(dangerous_download_in_path("/u/report.exe.pdf").has_value());
  EXPECT_FALSE(dangerous_download_in_path("/u/Report.DOCX").has_value());
}

TEST(DownloadNamesTest, PathIsPercentDecodedOnceAndTrailingDotsDropped) {
  const std::optional<DownloadName> name = dangerous_download_in_path("/dl/Facture%2006%2Eexe");
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->file_name, "Facture 06.exe");
  EXPECT_EQ(name->extension, "exe");
  EXPECT_TRUE(dangerous_download_in_path("/dl/setup.exe.").has_value());   // Windows drops the dot
  EXPECT_TRUE(dangerous_download_in_path("/dl/setup.exe%20").has_value());
  // Decoded twice it would read .exe; the server decodes once and serves "setup%2Eexe".
  EXPECT_FALSE(dangerous_download_in_path("/dl/setup%252Eexe").has_value());
}

TEST(DownloadNamesTest, OrdinaryPathsAreNotDownloads) {
  for (std::string_view path : {"/docs/exe-guide.html", "/exe/", "/exe", "/a.exe/index.html", "/report.pdf",
                                "/go/www.example.com", "/", "", "/.exe", "/archive.zip.html", "/js/app"}) {
    EXPECT_FALSE(dangerous_download_in_path(path).has_value()) << path;
  }
}

TEST(DownloadNamesTest, QueryParametersThatNameTheFileServed) {
  std::string parameter;
  std::optional<DownloadName> name = dangerous_download_in_query("id=7&file=Facture.exe", parameter);
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->kind, DownloadKind::kExecutable);
  EXPECT_EQ(parameter, "file");
  name = dangerous_download_in_query("filename=%2Fuploads%2Fscan.iso", parameter);
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->file_name, "scan.iso");
  // S3/GCS presigned URLs choose the saved name with a Content-Disposition override.
  name = dangerous_download_in_query(
      "X-Amz-Expires=300&response-content-disposition=attachment%3B%20filename%3D%22Facture.zip%22", parameter);
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->file_name, "Facture.zip");
  EXPECT_EQ(parameter, "response-content-disposition");
  name = dangerous_download_in_query("rscd=attachment%3Bfilename*%3DUTF-8%27%27Mise%20a%20jour.msi", parameter);
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->file_name, "Mise a jour.msi");
}

TEST(DownloadNamesTest, QueryValuesThatAreNotFileNamesOfADownload) {
  std::string parameter;
  // A parameter that does not name the file served, a URL (followed as a redirect instead), a
  // harmless type.
  for (std::string_view query : {"utm_content=setup.exe", "file=https%3A%2F%2Fevil.example%2Fa.exe",
                                 "file=report.pdf", "name=john.doe", "q=how+to+open+a.exe"}) {
    EXPECT_FALSE(dangerous_download_in_query(query, parameter).has_value()) << query;
  }
}

}  // namespace
}  // namespace vigie::analyzers::links

// remote_path: the UNC, file:// and WebDAV forms that make Windows authenticate to another host,
// and the local forms that do not.
#include "objects/remote_path.h"

#include <gtest/gtest.h>

namespace vigie::objects {
namespace {

TEST(RemotePathTest, UncAndFileUrlsNameTheirHost) {
  for (std::string_view path : {"\\\\203.0.113.7\\share\\a.wav", "//203.0.113.7/share/a.wav", " \\\\203.0.113.7\\a",
                                "file://203.0.113.7/share/a.wav", "FILE:////203.0.113.7/share", "\\\\203.0.113.7"}) {
    const std::optional<RemotePath> r = remote_path(path);
    ASSERT_TRUE(r.has_value()) << path;
    EXPECT_EQ(r->host, "203.0.113.7") << path;
    EXPECT_FALSE(r->webdav) << path;
  }
}

TEST(RemotePathTest, WebDavFormsAreRecognised) {
  for (std::string_view path : {"\\\\Files.Example@SSL\\share\\a.wav", "\\\\files.example@SSL@443\\a",
                                "\\\\files.example@8080\\a", "file://files.example@SSL/DavWWWRoot/a.wav",
                                "\\\\files.example\\DavWWWRoot\\a.wav"}) {
    const std::optional<RemotePath> r = remote_path(path);
    ASSERT_TRUE(r.has_value()) << path;
    EXPECT_EQ(r->host, "files.example") << path;
    EXPECT_TRUE(r->webdav) << path;
  }
}

TEST(RemotePathTest, LocalPathsAreNotRemote) {
  for (std::string_view path : {"C:\\Windows\\Media\\ring.wav", "file:///C:/Windows/Media/ring.wav", "file://C:/x",
                                "\\\\?\\C:\\x.wav", "\\\\.\\pipe\\x", "\\\\localhost\\c$\\x", "file://localhost/x",
                                "ring.wav", "https://example.org/x.wav", "\\\\", "//", "\\\\@SSL\\x", ""}) {
    EXPECT_FALSE(remote_path(path).has_value()) << path;
  }
}

}  // namespace
}  // namespace vigie::objects

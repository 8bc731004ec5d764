// Atomic file replacement (see atomic_file.h).
#include "common/atomic_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace vigie {

Result<void> replace_file(const std::string& path, std::string_view contents, mode_t mode,
                          std::string_view what) {
  std::string temporary = path + ".XXXXXX";
  const auto failed = [&](std::string_view step, bool created) {
    const std::string reason = std::strerror(errno);
    if (created) std::remove(temporary.c_str());
    return fail(Error::io(path + ": cannot " + std::string(step) + " " + std::string(what) + ": " + reason));
  };
  const int fd = ::mkstemp(temporary.data());  // created with mode 0600
  if (fd < 0) return failed("write", false);
  const auto close_and_fail = [&](std::string_view step) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return failed(step, true);
  };
  if (::fchmod(fd, mode) != 0) return close_and_fail("write");
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return close_and_fail("write");
    written += static_cast<std::size_t>(n);
  }
  // On disk before the rename, so a crash leaves the old file or the whole new one.
  if (::fsync(fd) != 0) return close_and_fail("write");
  if (::close(fd) != 0) return failed("write", true);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) return failed("replace", true);
  return {};
}

}  // namespace vigie

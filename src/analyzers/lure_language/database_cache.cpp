#include "analyzers/lure_language/database_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include <openssl/evp.h>

#include "common/ascii.h"
#include "common/atomic_file.h"

namespace vigie::analyzers::lure_language {
namespace {

// A serialized lure database is a few megabytes; a bigger file is not one of ours.
constexpr off_t kMaxCacheFileBytes = 256 << 20;

struct FreeDeleter {
  void operator()(char* bytes) const { std::free(bytes); }
};

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Owned by the user running vigie and writable by nobody else.
bool private_to_us(const struct stat& st) {
  return st.st_uid == geteuid() && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

std::string cache_path(const std::string& dir, const std::string& key) {
  return dir + "/lures-" + key + ".hsdb";
}

}  // namespace

std::optional<std::string> database_cache_dir() {
  if (const char* dir = std::getenv("VIGIE_CACHE_DIR")) {
    if (*dir == '\0') return std::nullopt;
    return std::string(dir);
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    return std::string(xdg) + "/vigie";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
    return std::string(home) + "/.cache/vigie";
  }
  return std::nullopt;
}

std::string database_cache_key(const std::vector<const char*>& expressions,
                               const std::vector<unsigned>& flags) {
  std::string material = "vigie lure database v1";
  (material += '\0') += hs_version();
  hs_platform_info_t platform{};
  if (hs_populate_platform(&platform) == HS_SUCCESS) {
    material += '\0' + std::to_string(platform.tune) + ':' + std::to_string(platform.cpu_features);
  }
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    ((material += '\0') += expressions[i]) += '\0' + std::to_string(flags[i]);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(material.data(), material.size(), digest, &size, EVP_sha256(), nullptr);
  return ascii::hex_string(digest, size);
}

HsDatabase load_cached_database(const std::string& dir, const std::string& key) {
  struct stat dir_stat {};
  if (stat(dir.c_str(), &dir_stat) != 0 || !S_ISDIR(dir_stat.st_mode) || !private_to_us(dir_stat)) {
    return nullptr;
  }
  // O_NOFOLLOW: the file itself, not whatever a link in the folder points to.
  const int fd = open(cache_path(dir, key).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return nullptr;
  File file(fdopen(fd, "rb"));
  if (!file) {
    close(fd);
    return nullptr;
  }
  struct stat file_stat {};
  if (fstat(fd, &file_stat) != 0 || !S_ISREG(file_stat.st_mode) || !private_to_us(file_stat) ||
      file_stat.st_size <= 0 || file_stat.st_size > kMaxCacheFileBytes) {
    return nullptr;
  }
  std::string bytes(static_cast<std::size_t>(file_stat.st_size), '\0');
  if (std::fread(bytes.data(), 1, bytes.size(), file.get()) != bytes.size()) return nullptr;
  hs_database_t* raw = nullptr;
  if (hs_deserialize_database(bytes.data(), bytes.size(), &raw) != HS_SUCCESS) return nullptr;
  return HsDatabase(raw);
}

void store_cached_database(const std::string& dir, const std::string& key,
                           const hs_database_t& database) {
  char* raw_bytes = nullptr;
  std::size_t length = 0;
  if (hs_serialize_database(&database, &raw_bytes, &length) != HS_SUCCESS) return;
  const std::unique_ptr<char, FreeDeleter> bytes(raw_bytes);
  std::error_code ignored;  // a folder that cannot be made fails the check below
  std::filesystem::create_directories(dir, ignored);
  struct stat dir_stat {};
  if (stat(dir.c_str(), &dir_stat) != 0 || !S_ISDIR(dir_stat.st_mode) || !private_to_us(dir_stat)) {
    return;
  }
  // Atomic: a concurrent start reads the old file, the new one, or none. A cache that cannot be
  // written is only a slower next start.
  (void)replace_file(cache_path(dir, key), std::string_view(bytes.get(), length), 0600,
                     "the lure database cache");
}

}  // namespace vigie::analyzers::lure_language

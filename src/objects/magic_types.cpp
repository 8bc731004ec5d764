// libmagic wrapper (see magic_types.h).
#include "objects/magic_types.h"

#include <magic.h>

#include <iostream>
#include <mutex>

namespace vigie::objects {

MagicTypes::MagicTypes(const char* database) {
  // MIME type only; no decompression (a gzip is a gzip: what is inside is an extractor's job) and
  // no character-set or encoding guess, which the MIME type alone does not need.
  magic_t handle = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ENCODING | MAGIC_ERROR);
  if (handle == nullptr) {
    error_ = "magic_open failed";
    return;
  }
  if (magic_load(handle, database) != 0) {
    const char* why = magic_error(handle);
    error_ = why != nullptr ? why : "magic_load failed";
    magic_close(handle);
    return;
  }
  magic_ = handle;
}

MagicTypes::~MagicTypes() {
  if (magic_ != nullptr) magic_close(magic_);
}

std::string MagicTypes::mime_type(std::string_view bytes) const {
  if (magic_ == nullptr || bytes.empty()) return {};
  if (bytes.size() > kMaxBytes) bytes = bytes.substr(0, kMaxBytes);
  const char* type = magic_buffer(magic_, bytes.data(), bytes.size());
  if (type == nullptr) return {};
  std::string_view result(type);
  // Generic answers identify nothing.
  if (result == "application/octet-stream" || result == "application/x-empty" || result == "inode/x-empty") {
    return {};
  }
  return std::string(result);
}

const MagicTypes& thread_magic() {
  thread_local const MagicTypes magic;
  return magic;
}

bool check_magic_database() {
  const MagicTypes& magic = thread_magic();
  if (!magic.loaded()) {
    static std::once_flag said;
    std::call_once(said, [&magic] {
      std::cerr << "vigie: warning: the libmagic database cannot be loaded (" << magic.error()
                << "): file types come from vigie's own signatures only.\n"
                << std::flush;
    });
  }
  return magic.loaded();
}

}  // namespace vigie::objects

// libmagic behind a small class: the MIME type of a byte buffer ("application/x-dosexec",
// "text/plain"...), for the formats vigie's own signature table (content_type.h) does not know.
// A libmagic handle (magic_t) keeps state between calls and is not thread-safe, so each thread
// gets its own (thread_magic()), loading the default database once per thread. Only the first
// kMaxBytes of a buffer are given to libmagic, which bounds its time on a huge attachment.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

struct magic_set;  // libmagic's handle (magic_t), kept out of this header

namespace vigie::objects {

class MagicTypes {
 public:
  // The bytes libmagic sees at most: enough for every signature of the Debian database (which
  // looks at fixed offsets, the ISO 9660 descriptors at 32 KiB included).
  static constexpr std::size_t kMaxBytes = std::size_t{1} << 20;

  // Opens a handle and loads `database` (a magic.mgc file; nullptr: the default one, or $MAGIC).
  // Never throws: a database that cannot be loaded leaves loaded() false and error() set.
  explicit MagicTypes(const char* database = nullptr);
  ~MagicTypes();
  MagicTypes(const MagicTypes&) = delete;
  MagicTypes& operator=(const MagicTypes&) = delete;

  bool loaded() const { return magic_ != nullptr; }
  // Why the database did not load ("" when it did).
  const std::string& error() const { return error_; }

  // The MIME type libmagic gives the first kMaxBytes of `bytes`; "" when it says nothing useful
  // (no database, an empty buffer, application/octet-stream, an error).
  std::string mime_type(std::string_view bytes) const;

 private:
  ::magic_set* magic_ = nullptr;
  std::string error_;
};

// This thread's handle on the default database, opened on its first use.
const MagicTypes& thread_magic();

// Whether the default database loads; when it does not, says so once per process on stderr
// (file types then come from vigie's own signatures alone). The engine calls it when it starts.
bool check_magic_database();

}  // namespace vigie::objects

// Little-endian integers read from untrusted bytes, for the binary formats we read ourselves
// (compound files, VBA projects, shortcuts, TNEF, the zip central directory...). Every read is
// bounds-checked: a value that does not fit in the bytes reads as zero, and the cursor reader
// remembers the overrun (failed()), so a truncated structure ends its loop instead of reading on.
// Callers that must tell a zero from a short read check fits() first, or use the cursor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vigie::bytes {

// Whether `length` bytes start at `at` inside `b` (without overflowing on huge offsets).
inline bool fits(std::string_view b, std::size_t at, std::size_t length) {
  return at <= b.size() && length <= b.size() - at;
}

// The `width`-byte little-endian unsigned integer at `at`, or 0 when it runs past the end.
inline std::uint64_t le(std::string_view b, std::size_t at, std::size_t width) {
  if (width > 8 || !fits(b, at, width)) return 0;
  std::uint64_t v = 0;
  for (std::size_t i = width; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}
inline std::uint16_t le16(std::string_view b, std::size_t at) { return static_cast<std::uint16_t>(le(b, at, 2)); }
inline std::uint32_t le32(std::string_view b, std::size_t at) { return static_cast<std::uint32_t>(le(b, at, 4)); }
inline std::uint64_t le64(std::string_view b, std::size_t at) { return le(b, at, 8); }

// A cursor over one buffer. A read past the end sets failed(), moves to the end and returns zero
// or an empty view; every later read fails too.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  bool failed() const { return failed_; }
  bool at_end() const { return pos_ >= bytes_.size(); }
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }

  std::uint8_t u8() { return static_cast<std::uint8_t>(le(take(1), 0, 1)); }
  std::uint16_t u16() { return le16(take(2), 0); }
  std::uint32_t u32() { return le32(take(4), 0); }
  std::uint64_t u64() { return le64(take(8), 0); }

  std::string_view take(std::size_t n) {
    if (failed_ || n > remaining()) {
      fail();
      return {};
    }
    const std::string_view out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  void skip(std::size_t n) { take(n); }
  // Moves to an absolute offset; past the end fails.
  void seek(std::size_t at) {
    if (failed_ || at > bytes_.size()) {
      fail();
      return;
    }
    pos_ = at;
  }

 private:
  void fail() {
    failed_ = true;
    pos_ = bytes_.size();
  }
  std::string_view bytes_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace vigie::bytes

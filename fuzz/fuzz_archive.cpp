// Fuzz target for the bounded archive reader (src/objects/archive/archive_reader.h): libarchive's
// zip, 7z, RAR 4/5, tar, cabinet, ISO 9660 and raw-stream readers and its gzip/bzip2/xz/lzip/
// zstd filters, reached through our wrapper (Debian's libarchive is not instrumented: a memory
// error inside it shows as a crash or a hang, not an ASan report), and what the wrapper guarantees
// around them: entries, member bytes, total bytes and expansion within the bounds, names in UTF-8.
// Each input is read with small bounds and a passphrase, so stopping at every bound and the
// decryption paths are exercised, then probed with opens_with. It owns only the harness.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "objects/archive/archive_reader.h"

using vigie::fuzz::consume;
using vigie::fuzz::well_formed_utf8;
using vigie::fuzz::require;
namespace reader = vigie::objects::archive;

namespace {

void read_with(std::string_view bytes, const reader::ReadBounds& bounds, const std::string* passphrase) {
  const reader::Listing listing = reader::read_archive(bytes, bounds, passphrase);
  require(listing.members.size() <= bounds.max_entries, "at most max_entries members");
  require(listing.headers == listing.members.size(), "one member per header");
  require(listing.content_bytes <= bounds.max_total_bytes, "contents within max_total_bytes");
  std::uint64_t kept = 0;
  for (const reader::Member& m : listing.members) {
    require(well_formed_utf8(m.name), "member names are UTF-8");
    require(well_formed_utf8(m.link_target), "link targets are UTF-8");
    consume(m.name);
    consume(m.link_target);
    consume(m.error);
    if (!m.content) continue;
    require(m.content->size() <= bounds.max_member_bytes, "a member within max_member_bytes");
    require(m.content->size() <= m.produced, "a member keeps at most what was produced");
    kept += m.content->size();
    consume(*m.content);
  }
  require(kept == listing.content_bytes, "content_bytes is the sum of the contents");
  consume(listing.format);
  consume(listing.filter);
  consume(listing.error);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  reader::ReadBounds small;
  small.max_entries = 16;
  small.max_member_bytes = 64u << 10;
  small.max_total_bytes = 256u << 10;
  small.max_expansion_ratio = 50;
  small.max_members_read = 8;
  read_with(bytes, small, nullptr);
  const std::string passphrase = "2025";
  read_with(bytes, small, &passphrase);
  consume(reader::opens_with(bytes, passphrase) ? 1u : 0u);
  if (const auto entries = reader::zip_declared_entries(bytes)) consume(*entries);
  return 0;
}

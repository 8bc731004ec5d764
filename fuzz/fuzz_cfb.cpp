// Fuzz target for the compound file reader (src/objects/cfb/cfb.h) and the VBA project reader on
// top of it (src/objects/ovba/ovba.h: find_vba_storages, read_project): every entry's stream is
// read, every VBA project with small limits. Checks the reader's guarantees: no more entries than
// max_directory_entries, no stream longer than its size or the budget, a parent that is a real
// storage, module counts and sources within their limits. It owns only the harness.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "objects/cfb/cfb.h"
#include "objects/ovba/ovba.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;
namespace cfb = vigie::objects::cfb;
namespace ovba = vigie::objects::ovba;

namespace {

void read_with(std::string_view bytes, std::uint32_t max_entries, std::uint64_t budget) {
  auto file = cfb::CompoundFile::open(bytes, cfb::Limits{max_entries});
  if (!file) {
    consume(file.error().message);
    return;
  }
  require(file->entries().size() <= max_entries, "at most max_directory_entries entries");
  for (const cfb::Entry& e : file->entries()) {
    consume(e.path);
    require(e.parent == cfb::Entry::kNoParent || e.parent < file->entries().size(), "a parent is an entry");
    require(vigie::fuzz::well_formed_utf8(e.name), "entry names are UTF-8");
    if (e.type != cfb::EntryType::kStream) continue;
    auto content = file->read(e, budget);
    if (!content) {
      consume(content.error().message);
      continue;
    }
    require(content->size() <= budget && content->size() <= e.size, "a stream within its size and the budget");
    require(content->size() <= bytes.size(), "a stream no larger than the file");
  }
  const ovba::ProjectLimits limits{4, 4096, budget, 6000};
  for (const cfb::Entry* storage : ovba::find_vba_storages(*file)) {
    const ovba::Project project = ovba::read_project(*file, *storage, limits);
    require(project.modules.size() <= limits.max_modules, "at most max_modules");
    require(project.bytes_kept <= limits.max_total_bytes, "at most max_total_bytes kept");
    for (const ovba::Module& m : project.modules) {
      require(m.compiled.size() <= limits.max_source_bytes, "compiled part within max_source_bytes");
      // The source is converted to UTF-8 from the code page: up to 3 bytes per input byte.
      require(m.source.size() <= 3 * limits.max_source_bytes, "source within max_source_bytes");
      consume(m.source);
      consume(m.error);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  read_with(bytes, 8192, 1 << 20);
  read_with(bytes, 4, 100);
  return 0;
}

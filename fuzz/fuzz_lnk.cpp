// Fuzz target for the Windows shortcut reader (src/objects/lnk/lnk.h): every field it reads
// through its bounds checks, the UTF-16 and ANSI conversions, and the target it picks; the strings
// it returns must be well-formed UTF-8 and no larger than the input allows. It owns only the
// harness.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "objects/lnk/lnk.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const vigie::objects::lnk::Shortcut s = vigie::objects::lnk::read_shortcut(bytes);
  if (!s.valid) {
    require(s.errors.empty() && s.arguments.empty(), "an invalid shortcut has no fields");
    return 0;
  }
  for (const std::string* field : {&s.id_list_path, &s.local_base_path, &s.network_path, &s.environment_target,
                                   &s.name, &s.relative_path, &s.working_dir, &s.arguments, &s.icon_location}) {
    require(vigie::fuzz::well_formed_utf8(*field), "shortcut strings are UTF-8");
    // UTF-16 to UTF-8 at most triples a string's size (U+FFFD for a lone byte); the item-list path
    // joins names with separators.
    require(field->size() <= 3 * size + 16, "shortcut strings bounded by the input");
    consume(*field);
  }
  consume(s.target());
  require(s.errors.size() <= 8, "a handful of errors");
  return 0;
}

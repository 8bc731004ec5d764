// Fuzz target for the HTML smuggling scanner (src/objects/smuggling/smuggling.h): API detection,
// the candidate search (quoted base64 runs joined across '+', number arrays, data: URLs), the
// download name readers and the decoding of the largest candidate. Each input is scanned with the
// default bounds and with small ones, so the candidate and payload limits are crossed often. It
// owns only the harness.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "objects/smuggling/smuggling.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;

namespace {

void scan_with(std::string_view text, const vigie::objects::smuggling::ScanLimits& limits) {
  const vigie::objects::smuggling::Report r = vigie::objects::smuggling::scan(text, limits);
  require(r.candidates <= limits.max_candidates, "at most max_candidates measured");
  require(r.download_name.size() <= 255, "download names bounded");
  consume(r.download_name);
  for (std::string_view name : vigie::objects::smuggling::api_names(r.apis)) consume(name);
  consume(static_cast<std::uint64_t>(r.assembles_file()));
  if (r.largest) {
    require(r.largest->encoded_size <= text.size(), "a candidate lies within the text");
    if (r.largest->bytes) {
      require(r.largest->bytes->size() <= limits.max_payload_bytes, "payload within max_payload_bytes");
      consume(*r.largest->bytes);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  scan_with(text, {});
  scan_with(text, {2, 64});
  return 0;
}

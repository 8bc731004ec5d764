// Fuzz target for the RTF scanner (src/objects/rtf/rtf.h): control words, groups, \bin, hex
// decoding, OLE1 headers and Package data, each input scanned with the default limits and with
// small ones, so that stopping at max_rtf_depth, max_rtf_objects and max_rtf_object_bytes is
// exercised as often as reading to the end. It owns only the harness.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "objects/rtf/rtf.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;

namespace {

void scan_with(std::string_view bytes, const vigie::Limits& limits) {
  const vigie::objects::rtf::RtfScan scan = vigie::objects::rtf::scan_rtf(bytes, limits);
  require(scan.objects.size() <= limits.max_rtf_objects, "at most max_rtf_objects objects");
  for (const auto& o : scan.objects) {
    consume(o.class_name);
    consume(o.header_class);
    consume(o.package_label);
    consume(o.package_path);
    if (o.native_data) {
      require(o.native_data->size() <= limits.max_rtf_object_bytes, "native data within max_rtf_object_bytes");
      consume(*o.native_data);
    }
    if (o.package_data) consume(*o.package_data);
  }
  for (const auto& t : scan.templates) consume(t);
  for (const auto& l : scan.limits) require(l.observed > l.allowed, "a crossing observed more than allowed");
  // An OLE1 reader fed the raw input directly, as \objdata may hold anything.
  vigie::objects::rtf::OleObject direct;
  if (vigie::objects::rtf::read_ole1(bytes, direct) && direct.native_data) {
    require(direct.native_data->size() <= bytes.size(), "native data inside its input");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  scan_with(bytes, vigie::Limits{});
  vigie::Limits small;
  small.max_rtf_depth = 4;
  small.max_rtf_objects = 2;
  small.max_rtf_object_bytes = 64;
  scan_with(bytes, small);
  return 0;
}

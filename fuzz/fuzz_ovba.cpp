// Fuzz target for the MS-OVBA readers (src/objects/ovba/ovba.h): the decompressor with a large and
// a small output budget, and the dir stream's record parser on both the raw input and its
// decompression; plus the bounded XML scanner of OOXML members (src/objects/ooxml/xml_scan.h) on
// the raw input, since both read short untrusted members of Office files. Checks the output
// bounds. It owns only the harness.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "objects/ooxml/xml_scan.h"
#include "objects/ovba/ovba.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;
namespace ovba = vigie::objects::ovba;
namespace ooxml = vigie::objects::ooxml;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (std::size_t budget : {std::size_t{1} << 20, std::size_t{37}}) {
    const ovba::Decompressed d = ovba::decompress(bytes, budget);
    require(d.bytes.size() <= budget, "decompressed output within the budget");
    require(!d.cut || d.bytes.size() == budget, "cut only at the budget");
    const ovba::DirInfo info = ovba::parse_dir(d.bytes, 8);
    require(info.modules.size() <= 8, "at most max_modules");
    for (const auto& m : info.modules) {
      require(vigie::fuzz::well_formed_utf8(m.name), "module names are UTF-8");
      consume(m.stream_name);
    }
  }
  const ovba::DirInfo raw = ovba::parse_dir(bytes, 8);
  require(raw.modules.size() <= 8, "at most max_modules");

  ooxml::XmlScanner scanner(bytes);
  ooxml::XmlTag tag;
  std::size_t tags = 0;
  while (scanner.next(tag)) {
    require(++tags <= size, "no more tags than bytes");
    consume(tag.name);
    if (auto v = ooxml::attribute(tag.attributes, "Target")) consume(*v);
    consume(ooxml::decode_entities(tag.text_after));
  }
  return 0;
}

// Fuzz target for the OOXML tag scanner (src/objects/ooxml/xml_scan.h) and the Word field nesting
// (src/objects/word_fields.h), the way the ooxml analyzer drives them on a package part: every tag,
// its local name, a few attributes by name, its text with entities decoded, and fldChar/instrText
// fed to the field nesting. Guarantees checked: views stay inside the input, the scanner always
// moves forward (it ends), decoded text is never longer than the raw text grown by entity
// expansion of a character reference (4 bytes of UTF-8 for at least 4 bytes of input), and a field
// instruction stays within its bound. It owns only the harness.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "objects/ooxml/xml_scan.h"
#include "objects/word_fields.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;
namespace ooxml = vigie::objects::ooxml;

namespace {

bool inside(std::string_view view, std::string_view input) {
  return view.empty() || (view.data() >= input.data() && view.data() + view.size() <= input.data() + input.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  ooxml::XmlScanner scanner(xml);
  ooxml::XmlTag tag;
  vigie::objects::WordFieldNesting nesting;
  std::vector<vigie::objects::WordField> done;
  std::size_t tags = 0;
  while (scanner.next(tag)) {
    require(++tags <= size, "at most one tag per input byte: the scanner moves forward");
    require(inside(tag.name, xml) && inside(tag.attributes, xml) && inside(tag.text_after, xml),
            "tag views point into the input");
    const std::string_view name = ooxml::local_name(tag.name);
    consume(name);
    for (std::string_view attribute : {"Target", "TargetMode", "Type", "fldCharType", "instr", "name"}) {
      if (auto value = ooxml::attribute(tag.attributes, attribute)) {
        require(value->size() <= tag.attributes.size(), "an attribute value is no longer than the attributes");
        consume(*value);
      }
    }
    const std::string text = ooxml::decode_entities(tag.text_after);
    require(text.size() <= tag.text_after.size(), "decoding never grows the text");
    consume(text);
    if (name == "fldChar" && !tag.closing) {
      const std::string type = ooxml::attribute(tag.attributes, "fldCharType").value_or("");
      if (type == "begin") nesting.begin();
      if (type == "end") nesting.end(done);
    } else if (name == "instrText" && !tag.closing && !tag.self_closing) {
      nesting.text(text);
    }
  }
  for (const vigie::objects::WordField& field : done) {
    require(field.instruction.size() <= vigie::objects::WordFieldNesting::kMaxInstructionBytes,
            "a field instruction stays within its bound");
    consume(vigie::objects::field_keyword(field.instruction));
  }
  return 0;
}

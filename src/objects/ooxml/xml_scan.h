// A small, bounded XML tag scanner for the members of OOXML packages (relationships, document.xml,
// workbook.xml): it walks tags and text in one forward pass, reads attributes by local name, and
// decodes the five predefined entities and character references. It is not a conforming parser on
// purpose: it defines no entities, reads no DTD (so no entity expansion and no external entity can
// cost anything), never recurses, and every step moves forward, so its time is linear in the input
// and it allocates only what the caller keeps. Comments, processing instructions, declarations and
// CDATA sections are skipped as units.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vigie::objects::ooxml {

struct XmlTag {
  std::string_view name;        // qualified, as written ("w:instrText")
  std::string_view attributes;  // the raw text between the name and '>' (or "/>")
  bool closing = false;         // </name>
  bool self_closing = false;    // <name ... />
  std::string_view text_after;  // the character data up to the next '<', entities not decoded
};

class XmlScanner {
 public:
  explicit XmlScanner(std::string_view xml) : xml_(xml) {}
  // The next element tag; false at the end of the input.
  bool next(XmlTag& tag);

 private:
  std::string_view xml_;
  std::size_t pos_ = 0;
};

// The part of a qualified name after its prefix ("instrText" for "w:instrText").
std::string_view local_name(std::string_view qualified);

// The value of the attribute whose local name is `name` (ASCII case-sensitive, as XML is), with
// entities decoded; nullopt when absent.
std::optional<std::string> attribute(std::string_view attributes, std::string_view name);

// Character data with the predefined entities and character references decoded (as UTF-8);
// anything else is kept as written.
std::string decode_entities(std::string_view text);

}  // namespace vigie::objects::ooxml

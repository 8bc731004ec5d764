// The bounded XML scanner: tags, attributes by local name, entities, skipped units, and input
// that ends anywhere.
#include "objects/ooxml/xml_scan.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigie::objects::ooxml {
namespace {

TEST(XmlScanTest, TagsAttributesAndText) {
  XmlScanner scanner(
      "<?xml version=\"1.0\"?><!-- <fake a='1'/> --><w:r><w:instrText xml:space='preserve'> DDEAUTO &quot;c&amp;d&quot;"
      "</w:instrText><![CDATA[<x/>]]><Relationship Id=\"rId1\" Target=\"http://a/?x=1&amp;y=2\" TargetMode=External/>"
      "</w:r>");
  std::vector<std::string> names;
  XmlTag tag;
  std::string text;
  std::optional<std::string> target;
  std::optional<std::string> mode;
  while (scanner.next(tag)) {
    names.push_back(std::string(tag.closing ? "/" : "") + std::string(tag.name) + (tag.self_closing ? "/" : ""));
    if (local_name(tag.name) == "instrText" && !tag.closing) text = decode_entities(tag.text_after);
    if (tag.name == "Relationship") {
      target = attribute(tag.attributes, "Target");
      mode = attribute(tag.attributes, "TargetMode");
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"w:r", "w:instrText", "/w:instrText", "Relationship/", "/w:r"}));
  EXPECT_EQ(text, " DDEAUTO \"c&d\"");
  EXPECT_EQ(target, "http://a/?x=1&y=2");
  EXPECT_EQ(mode, "External");
}

TEST(XmlScanTest, AttributesByLocalName) {
  EXPECT_EQ(attribute(" w:fldCharType=\"begin\"", "fldCharType"), "begin");
  EXPECT_EQ(attribute(" a = 'x' b=\"y\"", "b"), "y");
  EXPECT_EQ(attribute(" a='x", "a"), "x");  // unterminated: up to the end
  EXPECT_EQ(attribute(" novalue other='1'", "novalue"), std::nullopt);
  EXPECT_EQ(attribute(" = ='' / x='2'", "x"), "2");
}

TEST(XmlScanTest, OnlyPredefinedEntitiesAndCharacterReferences) {
  EXPECT_EQ(decode_entities("&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#xE9;"), "<>&'\"ABé");
  EXPECT_EQ(decode_entities("&xxe; &#xD800; &#99999999; &#; &"), "&xxe; \xEF\xBF\xBD \xEF\xBF\xBD &#; &");
}

TEST(XmlScanTest, ADoctypeIsSkippedAndNothingIsExpanded) {
  XmlScanner scanner("<!DOCTYPE x [<!ENTITY a \"aaaa\">]><r>&a;</r>");
  XmlTag tag;
  ASSERT_TRUE(scanner.next(tag));
  // The internal subset's '>' ends the declaration early; what follows is read as text, and the
  // entity reference stays as written.
  while (tag.name != "r" && scanner.next(tag)) {
  }
  EXPECT_EQ(tag.name, "r");
  EXPECT_EQ(decode_entities(tag.text_after), "&a;");
}

TEST(XmlScanTest, InputEndingAnywhere) {
  const std::string xml = "<a b='1'><!-- c --><d e=\"2\">text</d><![CDATA[x]]></a>";
  for (std::size_t cut = 0; cut <= xml.size(); ++cut) {
    XmlScanner scanner(std::string_view(xml).substr(0, cut));
    XmlTag tag;
    int count = 0;
    while (scanner.next(tag) && count < 100) ++count;
    EXPECT_LT(count, 10);
  }
}

}  // namespace
}  // namespace vigie::objects::ooxml

#include "parse/html/html_tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigie::parse {
namespace {

// Serialises tokens as a compact trace: S(name a=v ...)/ E(name) / C(text) / M(comment) / D(name).
// Characters tokens are merged, as a tree builder would append them.
std::string trace(std::string_view html, HtmlTextState first = HtmlTextState::kData,
                  bool cdata = false) {
  HtmlTokenizer tz(html);
  tz.set_text_state(first);
  tz.set_cdata_allowed(cdata);
  HtmlToken t;
  std::string out;
  std::string text;
  const auto flush = [&] {
    if (!text.empty()) out += "C(" + text + ")";
    text.clear();
  };
  while (tz.next(t)) {
    switch (t.kind) {
      case HtmlTokenKind::kCharacters:
        text.append(t.data);
        continue;
      case HtmlTokenKind::kStartTag:
        flush();
        out += "S(" + std::string(t.data);
        for (const HtmlAttribute& a : t.attributes) out += " " + std::string(a.name) + "=" + std::string(a.value);
        out += t.self_closing ? "/)" : ")";
        if (t.data == "script") tz.set_text_state(HtmlTextState::kScriptData);
        if (t.data == "style" || t.data == "xmp") tz.set_text_state(HtmlTextState::kRawtext);
        if (t.data == "title" || t.data == "textarea") tz.set_text_state(HtmlTextState::kRcdata);
        break;
      case HtmlTokenKind::kEndTag:
        flush();
        out += "E(" + std::string(t.data) + ")";
        break;
      case HtmlTokenKind::kComment:
        flush();
        out += "M(" + std::string(t.data) + ")";
        break;
      case HtmlTokenKind::kDoctype:
        flush();
        out += "D(" + std::string(t.data) + (t.force_quirks ? ",quirks" : "") + ")";
        break;
      case HtmlTokenKind::kEndOfFile:
        flush();
        break;
    }
  }
  return out;
}

TEST(HtmlTokenizerTest, TagsAndAttributes) {
  EXPECT_EQ(trace("<DIV Class=a ID='b' data-x=\"c d\" checked>t</Div>"),
            "S(div class=a id=b data-x=c d checked=)C(t)E(div)");
  EXPECT_EQ(trace("<a href=x href=y HREF=z>"), "S(a href=x)");  // first wins
  EXPECT_EQ(trace("<a title='x>y' href=u>"), "S(a title=x>y href=u)");
  EXPECT_EQ(trace("<br/><img src=a/>"), "S(br/)S(img src=a/)");
  EXPECT_EQ(trace("<a b='1'c=2 =d>"), "S(a b=1 c=2 =d=)");
  EXPECT_EQ(trace("<a/b/c>"), "S(a b= c=)");
  EXPECT_EQ(trace("</p class=x>"), "E(p)");
  EXPECT_EQ(trace("<div"), "");  // eof-in-tag drops the tag
  EXPECT_EQ(trace("<a href='x"), "");
}

TEST(HtmlTokenizerTest, InvalidTagOpens) {
  EXPECT_EQ(trace("a < b <3 <"), "C(a < b <3 <)");
  EXPECT_EQ(trace("x</3 y>z"), "C(x)M(3 y)C(z)");
  EXPECT_EQ(trace("x<?php echo 1 ?>z"), "C(x)M(?php echo 1 ?)C(z)");
  EXPECT_EQ(trace("x</>y"), "C(xy)");
  EXPECT_EQ(trace("x</"), "C(x</)");
}

TEST(HtmlTokenizerTest, Comments) {
  EXPECT_EQ(trace("a<!-->b"), "C(a)M()C(b)");
  EXPECT_EQ(trace("a<!--->b"), "C(a)M()C(b)");
  EXPECT_EQ(trace("a<!-- x -- y -->b"), "C(a)M( x -- y )C(b)");
  EXPECT_EQ(trace("a<!-- x --!>b"), "C(a)M( x )C(b)");
  EXPECT_EQ(trace("a<!-- x --->b"), "C(a)M( x -)C(b)");
  EXPECT_EQ(trace("a<!-- <!-- x -->b"), "C(a)M( <!-- x )C(b)");
  EXPECT_EQ(trace("a<!-- never closed <p>"), "C(a)M( never closed <p>)");
  EXPECT_EQ(trace("a<!x>b"), "C(a)M(x)C(b)");
  EXPECT_EQ(trace("a<![CDATA[<b>]]>c"), "C(a)M([CDATA[<b)C(]]>c)");
  EXPECT_EQ(trace("a<![CDATA[<b>]]>c", HtmlTextState::kData, true), "C(a<b>c)");
}

TEST(HtmlTokenizerTest, Doctype) {
  EXPECT_EQ(trace("<!DOCTYPE html><p>"), "D(html)S(p)");
  EXPECT_EQ(trace("<!doctype HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"x\">z"), "D(html)C(z)");
  EXPECT_EQ(trace("<!DOCTYPE html PUBLIC \"a>b\">z"), "D(html,quirks)C(b\">z)");
  EXPECT_EQ(trace("<!DOCTYPE>"), "D(,quirks)");
}

TEST(HtmlTokenizerTest, NamedCharacterReferences) {
  EXPECT_EQ(trace("&amp;&lt;&gt;&quot;&nbsp;&eacute;"), "C(&<>\"\xC2\xA0\xC3\xA9)");
  EXPECT_EQ(trace("&notit; &notin; &amp &ampx &copy2"), "C(\xC2\xACit; \xE2\x88\x89 & &x \xC2\xA9" "2)");
  EXPECT_EQ(trace("&unknown; &; & x &#; &#x;"), "C(&unknown; &; & x &#; &#x;)");
  EXPECT_EQ(trace("&NotNestedGreaterGreater;"), "C(\xE2\xAA\xA2\xCC\xB8)");
  // The common names are found without the search; their prefixes and neighbours still go to it.
  EXPECT_EQ(trace("&nbsp;x&nbspx&nbs;&quo;&quot&ltx;&gtr&lt&ample&ngt;&nbsp"),
            "C(\xC2\xA0x\xC2\xA0x&nbs;&quo;\"<x;>r<&le\xE2\x89\xAF\xC2\xA0)");
  // Attribute values: a legacy name followed by '=' or an alphanumeric stays as written.
  EXPECT_EQ(trace("<a href='?a=1&amp=2&ampx=3&amp;b=4&copy=5&lt;'>"),
            "S(a href=?a=1&amp=2&ampx=3&b=4&copy=5<)");
  EXPECT_EQ(trace("<a href=?x&not;y&notz>"), "S(a href=?x\xC2\xACy&notz)");
}

TEST(HtmlTokenizerTest, NumericCharacterReferences) {
  EXPECT_EQ(trace("&#65;&#x42;&#X43;&#0068"), "C(ABCD)");
  EXPECT_EQ(trace("&#0;&#xD800;&#x110000;&#99999999999;"), "C(\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD)");
  EXPECT_EQ(trace("&#x80;&#150;&#x9F;&#x81;"), "C(\xE2\x82\xAC\xE2\x80\x93\xC5\xB8\xC2\x81)");
  EXPECT_EQ(trace("&#x1F600;"), "C(\xF0\x9F\x98\x80)");
}

TEST(HtmlTokenizerTest, RawTextStates) {
  EXPECT_EQ(trace("<title>a &amp; <b></title >x"), "S(title)C(a & <b>)E(title)C(x)");
  EXPECT_EQ(trace("<style>a</styles></style>"), "S(style)C(a</styles>)E(style)");
  EXPECT_EQ(trace("<xmp>&amp;<p></XMP>"), "S(xmp)C(&amp;<p>)E(xmp)");
  EXPECT_EQ(trace("<textarea></textarea"), "S(textarea)C(</textarea)");
  // The appropriate end tag when the start tag's name was lowercased, and after an end tag that
  // reused the tokenizer's scratch space in between.
  EXPECT_EQ(trace("<TiTlE a=1>x</b></TITLE>y"), "S(title a=1)C(x</b>)E(title)C(y)");
  EXPECT_EQ(trace("<STYLE></P>a</style>"), "S(style)C(</P>a)E(style)");
  EXPECT_EQ(trace("<p>a<b>", HtmlTextState::kPlaintext), "C(<p>a<b>)");
}

TEST(HtmlTokenizerTest, ScriptEscapes) {
  EXPECT_EQ(trace("<script>if (a<b) x='</p>';</script>z"), "S(script)C(if (a<b) x='</p>';)E(script)C(z)");
  // Inside "<!--", a "<script>" opens the double-escaped state, where "</script>" does not end
  // the script element but only the double escape.
  EXPECT_EQ(trace("<script><!--<script>x</script>y--></script>z"),
            "S(script)C(<!--<script>x</script>y-->)E(script)C(z)");
  EXPECT_EQ(trace("<script><!-- x </script>z"), "S(script)C(<!-- x )E(script)C(z)");
  EXPECT_EQ(trace("<script>a"), "S(script)C(a)");
}

TEST(HtmlTokenizerTest, NulHandling) {
  EXPECT_EQ(trace(std::string_view("a\0b", 3)), "C(ab)");  // dropped in data (ignored in body)
  EXPECT_EQ(trace(std::string_view("<a\0 b\0='\0'>", 11)),
            "S(a\xEF\xBF\xBD b\xEF\xBF\xBD=\xEF\xBF\xBD)");
  EXPECT_EQ(trace(std::string_view("<style>\0</style>", 16)), "S(style)C(\xEF\xBF\xBD)E(style)");
}

// Duplicates are dropped on both sides of kDirectlyComparedAttributes, where the check switches
// from comparing names to a filter: a name first seen among the compared ones, repeated after.
TEST(HtmlTokenizerTest, NamesOfEveryLengthEndAndLowercaseAlike) {
  // Tag and attribute names of every length up to 40, ended by each byte that can end them, with
  // an uppercase letter or a NUL at every position.
  for (std::size_t length = 1; length <= 40; ++length) {
    const std::string lower(length, 'q');
    for (const char* end_with : {" ", "\t", "\n", "\f", "\r", "/", ">"}) {
      const std::string html = "<" + lower + end_with + ">";
      const std::string end(end_with);
      EXPECT_EQ(trace(html), "S(" + lower + (end == ">" ? ")C(>)" : end == "/" ? "/)" : ")"))
          << length << " " << int(end_with[0]);
      EXPECT_EQ(trace("<p " + lower + end_with + "x=1>"),
                end == ">" ? "S(p " + lower + "=)C(x=1>)" : "S(p " + lower + "= x=1)")
          << length << " " << int(end_with[0]);
    }
    EXPECT_EQ(trace("<p " + lower + "=v>"), "S(p " + lower + "=v)");
    for (std::size_t at = 0; at < length; ++at) {
      std::string upper = lower;
      upper[at] = 'Q';
      EXPECT_EQ(trace("<" + upper + ">"), "S(" + lower + ")") << length << " " << at;
      EXPECT_EQ(trace("<p " + upper + "=v>"), "S(p " + lower + "=v)") << length << " " << at;
      std::string nul = lower;
      nul[at] = '\0';
      std::string replaced = lower;
      replaced.replace(at, 1, "\xEF\xBF\xBD");
      if (at > 0) {  // "<\0" is not a tag open
        EXPECT_EQ(trace("<" + nul + ">"), "S(" + replaced + ")") << length << " " << at;
      }
      EXPECT_EQ(trace("<p " + nul + "=v>"), "S(p " + replaced + "=v)") << length << " " << at;
    }
  }
}

TEST(HtmlTokenizerTest, DuplicatesAreDroppedAmongManyAttributes) {
  for (std::size_t count = 1; count <= 2 * HtmlTokenizer::kDirectlyComparedAttributes + 2; ++count) {
    std::string html = "<p";
    std::string expected = "S(p";
    for (std::size_t i = 0; i < count; ++i) {
      html += " n" + std::to_string(i) + "=" + std::to_string(i);
      expected += " n" + std::to_string(i) + "=" + std::to_string(i);
    }
    // Each earlier name again, with another value, and upper case: every one is dropped.
    for (std::size_t i = 0; i < count; ++i) html += " N" + std::to_string(i) + "=dup";
    html += " last=1>";
    expected += " last=1)";
    EXPECT_EQ(trace(html), expected) << count << " attributes";
  }
  // Same length, first and last letter (one bit of the first names' filter), different names.
  EXPECT_EQ(trace("<p axb=1 ayb=2 axb=3 azb=4 ayb=5>"), "S(p axb=1 ayb=2 azb=4)");
}

TEST(HtmlTokenizerTest, ManyAttributesAreBounded) {
  std::string html = "<a";
  for (int i = 0; i < 5000; ++i) html += " x" + std::to_string(i) + "=1";
  html += " href=late>";
  HtmlTokenizer tz(html);
  HtmlToken t;
  ASSERT_TRUE(tz.next(t));
  EXPECT_EQ(t.kind, HtmlTokenKind::kStartTag);
  EXPECT_EQ(t.attributes.size(), HtmlTokenizer::kMaxAttributes);
  ASSERT_TRUE(tz.next(t));
  EXPECT_EQ(t.kind, HtmlTokenKind::kEndOfFile);
}

}  // namespace
}  // namespace vigie::parse

#include "parse/html/html_extract.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parse/encoding/charset.h"
#include "parse/html/html_output.h"

namespace vigie::parse {
namespace {

HtmlContent extract(std::string_view html) { return extract_html(html, Limits{}); }

std::vector<std::string> raws(const HtmlContent& c) {
  std::vector<std::string> out;
  for (const Url& u : c.links) out.emplace_back(u.raw());
  return out;
}

std::vector<std::string> raws_of(const HtmlContent& c, UrlSource source) {
  std::vector<std::string> out;
  for (const Url& u : c.links) {
    if (u.source == source) out.emplace_back(u.raw());
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(HtmlExtractTest, BlocksBecomeLinesWhitespaceCollapses) {
  const HtmlContent c = extract(
      "<html><head><title> My  Title </title><style>p{color:red}</style></head>"
      "<body><h1>Hello\n   world</h1><p>First   para</p><div>Second<br>line</div>"
      "<ul><li>one</li><li>two</li></ul></body></html>");
  EXPECT_EQ(c.visible_text, "Hello world\nFirst para\nSecond\nline\none\ntwo");
  EXPECT_EQ(c.title, "My Title");
  EXPECT_FALSE(c.truncated);
}

TEST(HtmlExtractTest, WhitespaceRunsOfEveryLengthCollapse) {
  // Runs are skipped 16 bytes at a time: every length around the block edges, each kind of
  // collapsing byte (VT included), and an NBSP or a word right after the run.
  for (std::size_t length = 1; length <= 40; ++length) {
    for (const char ws : {' ', '\t', '\n', '\r', '\f', '\v'}) {
      const std::string run(length, ws);
      EXPECT_EQ(extract("<p>a" + run + "b</p>").visible_text, "a b") << length << " " << int(ws);
      EXPECT_EQ(extract("<p>a" + run + "\xC2\xA0" + run + "b</p>").visible_text, "a b") << length;
      EXPECT_EQ(extract("<p>" + run + "a" + run + "</p>").visible_text, "a") << length;
    }
    // Ordinary bytes inside a run of spaces end it (0x08 and 0x0E border the 9-13 range).
    EXPECT_EQ(extract("<p>a" + std::string(length, ' ') + "\x08" + std::string(length, ' ') + "b</p>").visible_text,
              "a \x08 b")
        << length;
    EXPECT_EQ(extract("<p>a" + std::string(length, ' ') + "\x0E" + "b</p>").visible_text, "a \x0E" "b") << length;
  }
}

TEST(HtmlExtractTest, UnclosedAndMisnestedTagsRecoverLikeBrowsers) {
  EXPECT_EQ(extract("<p>a<p>b").visible_text, "a\nb");
  // Adoption agency algorithm (HTML §13.2.6.4.7): text stays in order, inline elements no breaks.
  EXPECT_EQ(extract("<b><i>x</b>y</i>").visible_text, "xy");
  EXPECT_EQ(extract("<div>a<span>b</div>c").visible_text, "ab\nc");
  EXPECT_EQ(extract("<table><tr><td>a<td>b<tr><td>c</table>d").visible_text, "a b\nc\nd");
}

TEST(HtmlExtractTest, EntitiesAndNbsp) {
  EXPECT_EQ(extract("<p>Tom&amp;Jerry&nbsp;&nbsp; &#x41;&#66;C &lt;tag&gt; &eacute;</p>").visible_text,
            "Tom&Jerry ABC <tag> é");
  EXPECT_EQ(extract("a\xC2\xA0\xC2\xA0" "b").visible_text, "a b");
}

TEST(HtmlExtractTest, CommentsScriptsAndTemplatesAreNotText) {
  const HtmlContent c = extract(
      "<p>vis<!-- hidden comment <a href='http://c.example/'>x</a> -->ible</p>"
      "<script>var s = 'no';</script><template><p>tmpl</p></template><noscript>ns</noscript>");
  EXPECT_EQ(c.visible_text, "visible\nns");
  EXPECT_EQ(c.script_count, 1u);
  EXPECT_TRUE(c.links.empty());
  EXPECT_TRUE(c.hidden.empty());
}

TEST(HtmlExtractTest, TablesCellsAndRows) {
  EXPECT_EQ(extract("<table><tr><th>Name</th><th>Value</th></tr><tr><td>a</td><td>1</td></tr></table>")
                .visible_text,
            "Name Value\na 1");
}

TEST(HtmlExtractTest, DisplayNoneNestedAndInherited) {
  const HtmlContent c = extract(
      "<div>shown<div style=\"display: none\">outer <div><span>inner</span></div>"
      "<div style='display:block'>still hidden</div></div>after</div>");
  EXPECT_EQ(c.visible_text, "shown\nafter");
  ASSERT_EQ(c.hidden.size(), 1u);
  EXPECT_EQ(c.hidden[0].reason, "display:none");
  EXPECT_EQ(c.hidden[0].text, "outer inner still hidden");
}

TEST(HtmlExtractTest, VisibilityHiddenCanBeUndoneByDescendant) {
  const HtmlContent c = extract(
      "<div style='visibility:hidden'>ghost <span style='visibility:visible'>seen</span> boo</div>");
  EXPECT_EQ(c.visible_text, "seen");
  ASSERT_EQ(c.hidden.size(), 1u);
  EXPECT_EQ(c.hidden[0].reason, "visibility:hidden");
  EXPECT_EQ(c.hidden[0].text, "ghost boo");
}

TEST(HtmlExtractTest, FontSizeZeroForms) {
  for (const char* size : {"0", "0px", "0pt", "0em", "0%", "0.0px", "0 !important"}) {
    const std::string html = std::string("<p>a<span style=\"font-size:") + size + "\">zz</span>b</p>";
    const HtmlContent c = extract(html);
    EXPECT_EQ(c.visible_text, "ab") << size;
    ASSERT_EQ(c.hidden.size(), 1u) << size;
    EXPECT_EQ(c.hidden[0].reason, "font-size:0") << size;
    EXPECT_EQ(c.hidden[0].text, "zz") << size;
  }
  // A relative size of zero stays zero; an absolute one is visible again.
  const HtmlContent c = extract(
      "<div style='font-size:0'>x<span style='font-size:2em'>y</span><span style='font-size:12px'>z</span></div>");
  EXPECT_EQ(c.visible_text, "z");
  ASSERT_EQ(c.hidden.size(), 1u);
  EXPECT_EQ(c.hidden[0].text, "xy");
}

TEST(HtmlExtractTest, OpacityMaxHeightOffscreen) {
  const HtmlContent c = extract(
      "<p>v1</p><div style='opacity:0'>o</div><div style='max-height:0;overflow:hidden'>m</div>"
      "<div style='max-height:0px'>not clipped</div>"
      "<div style='position:absolute;left:-9999px'>off</div><div style='opacity:0.5'>half</div>");
  EXPECT_EQ(c.visible_text, "v1\nnot clipped\nhalf");
  ASSERT_EQ(c.hidden.size(), 3u);
  EXPECT_EQ(c.hidden[0].reason, "opacity:0");
  EXPECT_EQ(c.hidden[0].text, "o");
  EXPECT_EQ(c.hidden[1].reason, "max-height:0");
  EXPECT_EQ(c.hidden[1].text, "m");
  EXPECT_EQ(c.hidden[2].reason, "off-screen");
  EXPECT_EQ(c.hidden[2].text, "off");
}

TEST(HtmlExtractTest, SameColourNormalisedForms) {
  const HtmlContent c = extract(
      "<div style='background-color:#ffffff'>"
      "<span style='color:#fff'>a</span><span style='color:white'>b</span>"
      "<span style='color:rgb(255, 255, 255)'>c</span><span style='color:#FEFEFE'>d</span>"
      "<span style='color:#000'>seen</span></div>");
  EXPECT_EQ(c.visible_text, "seen");
  ASSERT_EQ(c.hidden.size(), 4u);
  for (const HiddenText& h : c.hidden) EXPECT_EQ(h.reason, "same-colour");
  EXPECT_EQ(c.hidden[0].text, "a");
  EXPECT_EQ(c.hidden[3].text, "d");
  // Without a known background, white text is not called hidden (stylesheets may set one).
  EXPECT_EQ(extract("<span style='color:#fff'>x</span>").visible_text, "x");
}

TEST(HtmlExtractTest, FontColourAgainstBgcolorAttribute) {
  const HtmlContent c = extract(
      "<table bgcolor='#FFFFFF'><tr><td>Hi <font color=white>spam words</font>"
      "<font color=\"#000000\">ok</font></td></tr></table>");
  EXPECT_EQ(c.visible_text, "Hi ok");
  ASSERT_EQ(c.hidden.size(), 1u);
  EXPECT_EQ(c.hidden[0].reason, "same-colour");
  EXPECT_EQ(c.hidden[0].text, "spam words");
  const HtmlContent d = extract("<body bgcolor=000000><p><font color='black'>dark</font></p></body>");
  EXPECT_EQ(d.visible_text, "");
  ASSERT_EQ(d.hidden.size(), 1u);
  // Background shorthand and a child background change.
  const HtmlContent e = extract(
      "<div style='background:#123456 url(x.png) no-repeat'><p style='color:#123456'>h</p>"
      "<p style='background-color:white;color:#123456'>v</p></div>");
  EXPECT_EQ(e.visible_text, "v");
  ASSERT_EQ(e.hidden.size(), 1u);
  EXPECT_EQ(e.hidden[0].text, "h");
}

TEST(HtmlExtractTest, HiddenAttributeAndHiddenInput) {
  const HtmlContent c = extract(
      "<p hidden>secret</p><p hidden style='display:block'>shown</p>"
      "<form><input type=hidden name=t value=tok><input type=text></form>");
  EXPECT_EQ(c.visible_text, "shown");
  ASSERT_EQ(c.hidden.size(), 1u);
  EXPECT_EQ(c.hidden[0].reason, "hidden-attribute");
  EXPECT_EQ(c.hidden[0].text, "secret");
  ASSERT_EQ(c.forms.size(), 1u);
  EXPECT_EQ(c.forms[0].input_count, 1u);
}

TEST(HtmlExtractTest, EmptyHiddenElementsAreNotReported) {
  const HtmlContent c = extract("<div style='display:none'><img src='http://t.example/p.gif'></div>ok");
  EXPECT_TRUE(c.hidden.empty());
  EXPECT_EQ(c.visible_text, "ok");
  EXPECT_EQ(raws(c), (Strings{"http://t.example/p.gif"}));
}

TEST(HtmlExtractTest, HiddenTextIsCapped) {
  const std::string body(1000, 'x');
  const HtmlContent c = extract("<div style='display:none'>" + body + "</div>");
  ASSERT_EQ(c.hidden.size(), 1u);
  EXPECT_EQ(c.hidden[0].text.size(), 300u);
  // UTF-8 is cut at a character boundary.
  std::string utf;
  for (int i = 0; i < 200; ++i) utf += "é";
  const HtmlContent d = extract("<div style='display:none'>x" + utf + "</div>");
  ASSERT_EQ(d.hidden.size(), 1u);
  EXPECT_EQ(d.hidden[0].text.size(), 299u);
}

TEST(HtmlExtractTest, AnchorsWithTextAndNormalizedUrl) {
  const HtmlContent c = extract(
      "<a href=' https://www.PayPal.com/signin '>  Sign\n in <b>now</b></a>"
      "<a href='http://paypal.com@evil.example/'>https://paypal.com</a>"
      "<area href='http://area.example/' alt=x><a name=top>no link</a><a href=''>empty</a>");
  ASSERT_EQ(c.links.size(), 3u);
  EXPECT_EQ(c.links[0].raw(), "https://www.PayPal.com/signin");
  EXPECT_EQ(c.links[0].source, UrlSource::kHref);
  EXPECT_EQ(c.links[0].host_ascii(), "www.paypal.com");
  EXPECT_EQ(c.links[0].anchor_text, "Sign in now");
  EXPECT_EQ(c.links[1].host_ascii(), "evil.example");
  EXPECT_EQ(c.links[1].userinfo(), "paypal.com");
  EXPECT_EQ(c.links[1].anchor_text, "https://paypal.com");
  EXPECT_EQ(c.links[2].host_ascii(), "area.example");
  EXPECT_EQ(c.visible_text, "Sign in nowhttps://paypal.comno linkempty");
}

TEST(HtmlExtractTest, AnchorTextExcludesHiddenAndIsCapped) {
  const HtmlContent c = extract(
      "<a href='http://a.example/'>Click<span style='display:none'>paypal.com</span> here</a>"
      "<a href='http://b.example/'>" + std::string(400, 'y') + "</a>");
  ASSERT_EQ(c.links.size(), 2u);
  EXPECT_EQ(c.links[0].anchor_text, "Click here");
  EXPECT_EQ(c.links[1].anchor_text.size(), 256u);
}

TEST(HtmlExtractTest, IdnLinkRoundTrip) {
  const HtmlContent c = extract("<a href='http://xn--80ak6aa92e.com/login'>apple.com</a>"
                                "<img src='https://пример.com/i.png'>");
  ASSERT_EQ(c.links.size(), 2u);
  EXPECT_EQ(c.links[0].host_unicode(), "аррӏе.com");
  EXPECT_EQ(c.links[1].host_ascii(), "xn--e1afmkfd.com");
  EXPECT_EQ(c.links[1].source, UrlSource::kSrc);
}

TEST(HtmlExtractTest, SrcAttributesOfMediaAndFrames) {
  const HtmlContent c = extract(
      "<img src=http://i.example/a.png><iframe src='http://f.example/'></iframe>"
      "<script src='http://s.example/x.js'></script><embed src='http://e.example/'>"
      "<video src='http://v.example/' poster='http://p.example/p.jpg'><source src='http://so.example/'></video>"
      "<audio src='http://au.example/'></audio><input type=image src='http://in.example/b.png'>"
      "<object data='http://o.example/x.swf'></object><frameset><frame src='http://fr.example/'></frameset>");
  EXPECT_EQ(raws_of(c, UrlSource::kSrc),
            (Strings{"http://i.example/a.png", "http://f.example/", "http://s.example/x.js",
                     "http://e.example/", "http://v.example/", "http://so.example/",
                     "http://au.example/", "http://in.example/b.png"}));
  EXPECT_EQ(raws_of(c, UrlSource::kOtherAttribute),
            (Strings{"http://p.example/p.jpg", "http://o.example/x.swf"}));
  EXPECT_EQ(c.script_count, 1u);
}

TEST(HtmlExtractTest, SrcsetCandidatesWithDescriptors) {
  const HtmlContent c = extract(
      "<img srcset='http://a.example/1.png 1x, http://a.example/2.png 2x,http://a.example/3.png,"
      "  http://a.example/w.png 640w (foo, bar), data:image/png;base64,iVBO= 3x'>"
      "<picture><source srcset='https://b.example/x.webp'></picture>");
  EXPECT_EQ(raws_of(c, UrlSource::kSrcset),
            (Strings{"http://a.example/1.png", "http://a.example/2.png", "http://a.example/3.png",
                     "http://a.example/w.png", "data:image/png;base64,iVBO=", "https://b.example/x.webp"}));
}

TEST(HtmlExtractTest, MetaRefreshVariants) {
  const HtmlContent c = extract(
      "<meta http-equiv='refresh' content='0; url=http://r1.example/'>"
      "<meta http-equiv='Refresh' content=\"5;URL='http://r2.example/a b'\">"
      "<meta http-equiv=REFRESH content='0,url=\"http://r3.example/\"'>"
      "<meta http-equiv=refresh content='3 http://r4.example/'>"
      "<meta http-equiv=refresh content='10'>"
      "<meta name=description content='http://not.example/'>");
  EXPECT_EQ(raws_of(c, UrlSource::kMetaRefresh),
            (Strings{"http://r1.example/", "http://r2.example/a b", "http://r3.example/",
                     "http://r4.example/"}));
  EXPECT_EQ(c.links.size(), 4u);
}

TEST(HtmlExtractTest, CssUrlsInStyleAttributesAndElements) {
  const HtmlContent c = extract(
      "<style>body{background:url(\"http://c1.example/bg.png\")} .x{background-image:URL( 'http://c2.example/' )}"
      "@import 'http://c3.example/s.css'; .y{background:url(http://c4.example/a.png)}</style>"
      "<div style=\"background-image:url(data:image/png;base64,AAAA);color:red\">t</div>"
      "<table><tr><td background='http://bg.example/t.gif'>cell</td></tr></table>");
  EXPECT_EQ(raws_of(c, UrlSource::kCssUrl),
            (Strings{"http://c1.example/bg.png", "http://c2.example/", "http://c4.example/a.png",
                     "http://c3.example/s.css", "data:image/png;base64,AAAA"}));
  EXPECT_EQ(raws_of(c, UrlSource::kOtherAttribute), (Strings{"http://bg.example/t.gif"}));
  EXPECT_EQ(c.visible_text, "t\ncell");
}

TEST(HtmlExtractTest, FormsWithPasswordOffDomain) {
  const HtmlContent c = extract(
      "<p>Verify your account</p>"
      "<form action='https://collect.evil.example/post.php' method='POST'>"
      "<input name=user><input TYPE='Password' name=pw><select><option>a</option></select>"
      "<button formaction='http://alt.example/'>Go</button></form>"
      "<form><textarea></textarea></form>");
  ASSERT_EQ(c.forms.size(), 2u);
  EXPECT_EQ(c.forms[0].action, "https://collect.evil.example/post.php");
  EXPECT_EQ(c.forms[0].method, "post");
  EXPECT_TRUE(c.forms[0].has_password_input);
  EXPECT_EQ(c.forms[0].input_count, 3u);
  EXPECT_EQ(c.forms[1].action, "");
  EXPECT_EQ(c.forms[1].method, "");
  EXPECT_FALSE(c.forms[1].has_password_input);
  EXPECT_EQ(c.forms[1].input_count, 1u);
  const Strings actions = raws_of(c, UrlSource::kFormAction);
  EXPECT_EQ(actions, (Strings{"https://collect.evil.example/post.php", "http://alt.example/"}));
  EXPECT_EQ(c.links[0].registrable_domain(), "evil.example");
}

TEST(HtmlExtractTest, EventHandlersAndScripts) {
  const HtmlContent c = extract(
      "<body onload='x()'><img src=x onerror=alert(1) ONMOUSEOVER='y'><div on=1 one=2>t</div>"
      "<script>a</script><script src='http://s.example/'></script></body>");
  EXPECT_EQ(c.event_handler_count, 4u);  // "on" alone is not a handler; "one" counts as on*
  EXPECT_EQ(c.script_count, 2u);
}

TEST(HtmlExtractTest, TruncatesAtMaxHtmlBytes) {
  Limits limits;
  limits.max_html_bytes = 12;
  const HtmlContent c = extract_html("<p>abcdef</p><p>ghijkl</p>", limits);
  EXPECT_TRUE(c.truncated);
  EXPECT_EQ(c.visible_text, "abcdef");
  // Never cuts inside a UTF-8 sequence.
  limits.max_html_bytes = 3;
  EXPECT_EQ(extract_html("ab\xC3\xA9z", limits).visible_text, "ab");
}

TEST(HtmlExtractTest, DeepNestingIsFastAndBounded) {
  std::string html;
  constexpr int kDepth = 100000;
  html.reserve(kDepth * 12 + 200);
  html += "<div style='display:none'>";
  for (int i = 0; i < kDepth; ++i) html += "<div>";
  html += "deep <a href='http://deep.example/'>link</a>";
  for (int i = 0; i < kDepth; ++i) html += "</div>";
  html += "</div>after";
  const HtmlContent c = extract(html);
  EXPECT_EQ(c.visible_text, "after");
  ASSERT_EQ(raws(c), (Strings{"http://deep.example/"}));
  ASSERT_EQ(c.hidden.size(), 1u);
  EXPECT_EQ(c.hidden[0].text, "deep link");
}

TEST(HtmlExtractTest, StrayEndTagsCannotBypassNestingGuard) {
  // </div> inside a cell is ignored by the tree builder, so each repetition nests 5 deeper.
  std::string html;
  for (int i = 0; i < 20000; ++i) html += "<div><table><td></div>";
  html += "end <a href='http://end.example/'>e</a>";
  const HtmlContent c = extract(html);
  EXPECT_EQ(c.visible_text, "end e");
  EXPECT_EQ(raws(c), (Strings{"http://end.example/"}));
}

TEST(HtmlExtractTest, DepthLimitStopsStyleInheritanceButKeepsText) {
  Limits limits;
  limits.max_html_depth = 8;
  std::string html;
  for (int i = 0; i < 20; ++i) html += "<div>";
  html += "<span style='display:none'>deep text</span><img src='http://x.example/'>";
  for (int i = 0; i < 20; ++i) html += "</div>";
  const HtmlContent c = extract_html(html, limits);
  EXPECT_EQ(c.visible_text, "deep text");
  EXPECT_TRUE(c.hidden.empty());
  EXPECT_EQ(raws(c), (Strings{"http://x.example/"}));
}

TEST(HtmlExtractTest, FlattenedDeepAnchorsStillYieldLinks) {
  Limits limits;
  limits.max_html_depth = 8;
  std::string html;
  for (int i = 0; i < 30; ++i) html += "<span>";
  html += "<a href='http://flat.example/'>x</a><form action='http://form.example/'><input type=password>";
  const HtmlContent c = extract_html(html, limits);
  EXPECT_EQ(raws(c), (Strings{"http://flat.example/", "http://form.example/"}));
  ASSERT_EQ(c.forms.size(), 1u);
  EXPECT_TRUE(c.forms[0].has_password_input);
  EXPECT_EQ(c.visible_text, "x");
}

TEST(HtmlExtractTest, JunkNeverCrashes) {
  for (const char* junk : {"", "<", "<<<>>>", "<a href", "<a href='", "</p></div></x>", "<!--",
                           "<![CDATA[x]]>", "<svg><title>t</title><a href='http://svg.example/'>s</a></svg>",
                           "<math><mi>x</mi></math>", "<plaintext><b>x", "\x00\xff\xfe",
                           "<table><form><input type=password></table>", "<select><b>x",
                           "<frameset><noframes>x", "<style>url(", "<meta http-equiv=refresh content=';url='>"}) {
    const HtmlContent c = extract(junk);
    (void)c;
  }
  const HtmlContent svg = extract("<svg><a href='http://svg.example/'>s</a></svg>");
  EXPECT_EQ(raws(svg), (Strings{"http://svg.example/"}));
}

TEST(HtmlExtractTest, ElementFloodIsCutAndFlagged) {
  std::string html = "<p>start</p>";
  for (int i = 0; i < 400000; ++i) html += "<br>";
  html += "<a href='http://late.example/'>late</a>";
  const HtmlContent c = extract(html);
  EXPECT_TRUE(c.truncated);
  EXPECT_EQ(c.visible_text, "start");
  EXPECT_TRUE(c.links.empty());
}

TEST(HtmlExtractTest, LinkCountBoundedByMaxUrls) {
  Limits limits;
  limits.max_urls = 10;
  std::string html;
  for (int i = 0; i < 100; ++i) html += "<a href='http://l" + std::to_string(i) + ".example/'>x</a>";
  EXPECT_EQ(extract_html(html, limits).links.size(), 10u);
}

TEST(HtmlExtractTest, LateBodyAttributesApplyToEarlierText) {
  // The DOM has one body: a later <body bgcolor> colours text read before it (a hiding trick).
  const HtmlContent c = extract(
      "<html><font color='#FFFFFF'>hidden words</font><body bgcolor=#ffffff onload=x()><p>shown</p></body>");
  EXPECT_EQ(c.visible_text, "shown");
  ASSERT_EQ(c.hidden.size(), 1u);
  EXPECT_EQ(c.hidden[0].reason, "same-colour");
  EXPECT_EQ(c.hidden[0].text, "hidden words");
  EXPECT_EQ(c.event_handler_count, 1u);
}

TEST(HtmlExtractTest, TextMisplacedInTableIsFosterParented) {
  // §13.2.6.1: text and inline elements directly in a table go before it, outside its style.
  const HtmlContent c = extract(
      "<table bgcolor=black><tr><td>cell</td></tr>loose <font color=black>words</font></table>after");
  EXPECT_EQ(c.visible_text, "loose words\ncell\nafter");
  EXPECT_TRUE(c.hidden.empty());
  EXPECT_EQ(extract("<table><tr><td>a</td></tr><p>b<center>c</table>").visible_text, "b\nc\na");
}

TEST(HtmlExtractTest, AnchorAndHiddenTextsStopAtTheirCapsOnACharacterBoundary) {
  // Many text tokens (each reference ends one), with two-byte characters and runs of spaces, so
  // that appends below the cap, across it and past it all happen.
  std::string words;
  for (int i = 0; i < 200; ++i) words += "\xC3\xA9t\xC3\xA9   &amp; ";
  const HtmlContent c = extract("<a href='http://a.example/'>" + words + "</a><div style='display:none'>" + words + "</div>");
  ASSERT_EQ(c.links.size(), 1u);
  ASSERT_EQ(c.hidden.size(), 1u);
  std::string collapsed;
  for (int i = 0; i < 200; ++i) collapsed += "\xC3\xA9t\xC3\xA9 & ";
  for (const std::string* capped : {&c.links[0].anchor_text, &c.hidden[0].text}) {
    EXPECT_LE(capped->size(), capped == &c.links[0].anchor_text ? html::kMaxAnchorTextBytes : html::kMaxHiddenTextBytes);
    EXPECT_GE(capped->size(), 200u);
    EXPECT_TRUE(collapsed.starts_with(*capped)) << *capped;
    EXPECT_TRUE(is_valid_utf8(*capped));
  }
  // Short ones are whole.
  EXPECT_EQ(extract("<a href='http://a.example/'> one \n two &amp; three </a>").links[0].anchor_text, "one two & three");
}

TEST(HtmlExtractTest, FontWithColourFaceOrSizeLeavesForeignContent) {
  // §13.2.6.5: <font> with color, face or size (present, even empty) ends the <svg>, so the
  // <section> after it is an HTML block (a line of its own); a bare <font> stays inside the svg.
  for (const char* attribute : {"color=red", "face=''", "size=3"}) {
    EXPECT_EQ(extract(std::string("<svg><font ") + attribute + ">a</font><section>b</section></svg>").visible_text,
              "a\nb")
        << attribute;
  }
  EXPECT_EQ(extract("<svg><font>a</font><section>b</section></svg>").visible_text, "ab");
}

TEST(HtmlExtractTest, OnlyTheExactAttributeNamesAreRead) {
  // Same length, first and last letter as href / background / src (the kept-name table's slot),
  // but other names: not URLs.
  EXPECT_EQ(raws(extract("<a hxxf='http://a.example/' href='http://b.example/'>x</a>"
                         "<table><tr><td bxxxxxxxxd='http://c.example/' background='http://d.example/'>t</table>"
                         "<img sxc='http://e.example/' src='http://f.example/'>")),
            (Strings{"http://b.example/", "http://d.example/", "http://f.example/"}));
}

TEST(HtmlExtractTest, FormattingElementsReopenAfterBlocks) {
  // §13.2.4.3 reconstruction: the <font> closed by </p> applies to the next paragraph too.
  const HtmlContent c = extract("<div style='background:#fff'><p><font color=#fff>a</p><p>b</p></div>");
  EXPECT_EQ(c.visible_text, "");
  ASSERT_EQ(c.hidden.size(), 2u);
  EXPECT_EQ(c.hidden[1].text, "b");
  // A reopened <a> is a link again, as in the DOM.
  EXPECT_EQ(raws(extract("<p><a href='http://x.example/'>x</p>y")),
            (Strings{"http://x.example/", "http://x.example/"}));
  // Values decoded into the tokenizer's scratch space (character references, upper case) are
  // kept by the formatting list: later tags reuse that space before the element reopens.
  EXPECT_EQ(raws(extract("<p><A HREF='http://x.example/?a=1&amp;b=2' STYLE='color:red'>x</p>"
                         "<i title='&lt;reused&gt;'>i</i>y")),
            (Strings{"http://x.example/?a=1&b=2", "http://x.example/?a=1&b=2"}));
}

}  // namespace
}  // namespace vigie::parse

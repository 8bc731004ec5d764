// HTML → visible text, hidden text, links, forms and script indicators. This file owns the single
// pass over an HTML part: vigie's own WHATWG tokenizer (html_tokenizer.h, §13.2.5) feeds a light
// tree builder that keeps only the stack of open elements, the list of active formatting elements
// and the insertion mode — never a tree. Each element is "entered" when it is pushed (its links,
// form data and computed visibility style, inherited from the element below it, as CSS
// inheritance would) and "left" when it is popped (line breaks of blocks, cell separators), so
// the output is produced while parsing, in document order, in bounded memory.
//
// What the builder implements of tree construction (§13.2.6), because it changes what is seen:
//  * in body (§13.2.6.4.7): implied end tags (p closed by block starts, li/dd/dt, option,
//    optgroup, rb/rt/rp, headings), end tags popping to the nearest matching element in scope and
//    ignored otherwise, "any other end tag", </br> as <br>, </p> without p, forms and the form
//    element pointer, the frameset-ok flag, PLAINTEXT/RCDATA/RAWTEXT/script switches;
//  * the table modes (§13.2.6.4.9-.15): implied tbody/tr, cells closing cells, stray table tags
//    ignored outside tables; the select modes (.16-.17); frameset (.20); foreign content (.2.6.5)
//    with its break-out tags and integration points, which decides where CDATA is allowed;
//  * active formatting elements (§13.2.4.3) with Noah's Ark and reconstruction, so that a <font
//    color> or <a href> closed implicitly by a block reopens as in browsers (and a reopened <a>
//    yields its link again, as the DOM does).
// Approximations, chosen because they do not change text order or link sets in practice:
//  * the adoption agency (§13.2.6.4.7 "adoption agency algorithm") is simulated on the stack:
//    with no furthest block it pops to the formatting element; with one, it removes the
//    formatting element, drops the non-formatting elements between them and reopens a clone of
//    the formatting element just above the furthest block. Formatting elements between the two
//    are kept rather than cloned, and the furthest block keeps the style it inherited from the
//    formatting element (the DOM moves it out);
//  * foster parenting (§13.2.6.1): text and elements misplaced in a table take the style of the
//    table's parent and their text is spliced in front of the table when the table closes (as
//    the DOM places them); their elements stay on the stack above the table (the DOM has them
//    there too), so only where a later end tag lands can differ;
//  * attributes of a second <html> start tag apply from that point on, not retroactively; for
//    <body> (whose bgcolor/text/style decide what is hidden) the part is read a second time with
//    them applied from the start, as the DOM has them;
//  * template contents are read as body content; head-only modes are folded into body (no
//    element can end up in <head> whose text would render anyway);
//  * quirks mode (§13.2.6.4.1) is decided on a shortened list of public identifiers; it only
//    decides whether <table> closes an open <p>.
//
// Visibility: inline style attributes and legacy presentational attributes (bgcolor, <font
// color>, hidden) are applied and inherited; stylesheets in <style> are not applied (only their
// url() references are collected): mail clients strip or rewrite them, and inline styles are
// what hiding tricks use.
//
// Bounds: nesting deeper than Limits::max_html_depth makes further start tags void (attributes
// kept, so links are still found), as Chromium stops nesting at 512; scope checks walk at most
// that deep and are skipped when a per-tag counter says the element is not open; input past
// kMaxHtmlElements start tags or max_html_bytes is cut (truncated=true); reconstruction of
// formatting elements and foster-text splicing have budgets of their own.
#include "parse/html/html_extract.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "parse/html/html_ascii.h"
#include "parse/html/html_links.h"
#include "parse/html/html_output.h"
#include "parse/html/html_style.h"
#include "parse/html/html_tokenizer.h"
#include "parse/url/url.h"

namespace vigie::parse {

// Tree-independent pieces shared with the test-only gumbo reference (tests/html_reference), so
// that the differential test between the two measures the tree building only.
using namespace html;

namespace {

// Start tags read at most; past this point the input is cut like input past max_html_bytes
// (truncated=true). Legitimate mail stays far below (a 1 MB newsletter: ~20k elements).
constexpr std::size_t kMaxHtmlElements = 300000;
// Active formatting elements kept at most (the oldest go first): reconstruction cost per text.
constexpr std::size_t kMaxFormattingElements = 64;
// Elements reopened by reconstruction at most per part: "<div><font a=N></div>" repeated makes
// every start tag reopen every earlier font (browsers too), quadratic without a bound. Past it,
// formatting elements closed implicitly stay closed.
constexpr std::size_t kMaxReconstructedElements = kMaxHtmlElements;
// Bytes of already-written text that foster-parented text may be inserted in front of, in total
// (each insertion moves the table's text); past it, foster text is written after the table.
constexpr std::size_t kMaxFosterMoveBytes = 64u << 20;

// ---- Element names ---------------------------------------------------------------------------

enum class Tag : std::uint8_t {
  kUnknown, kA, kAddress, kAnnotationXml, kApplet, kArea, kArticle, kAside, kAudio, kB, kBase,
  kBasefont, kBgsound, kBig, kBlockquote, kBody, kBr, kButton, kCaption, kCenter, kCode, kCol,
  kColgroup, kDatalist, kDd, kDesc, kDetails, kDialog, kDir, kDiv, kDl, kDt, kEm, kEmbed,
  kFieldset, kFigcaption, kFigure, kFont, kFooter, kForeignObject, kForm, kFrame, kFrameset, kH1,
  kH2, kH3, kH4, kH5, kH6, kHead, kHeader, kHgroup, kHr, kHtml, kI, kIframe, kImage, kImg, kInput,
  kKeygen, kLegend, kLi, kLink, kListing, kMain, kMalignmark, kMarquee, kMath, kMenu, kMeta,
  kMglyph, kMi, kMn, kMo, kMs, kMtext, kNav, kNobr, kNoembed, kNoframes, kNoscript, kObject, kOl,
  kOptgroup, kOption, kP, kParam, kPlaintext, kPre, kRb, kRp, kRt, kRtc, kRuby, kS, kScript,
  kSearch, kSection, kSelect, kSmall, kSource, kSpan, kStrike, kStrong, kStyle, kSub, kSummary,
  kSup, kSvg, kTable, kTbody, kTd, kTemplate, kTextarea, kTfoot, kTh, kThead, kTitle, kTr, kTrack,
  kTt, kU, kUl, kVar, kVideo, kWbr, kXmp, kCount
};
constexpr std::size_t kTagCount = static_cast<std::size_t>(Tag::kCount);

struct TagName {
  std::string_view name;
  Tag tag;
};
// Every element name the builder tells apart (the lookup table of tag_of is built from it).
constexpr TagName kTagNames[] = {
    {"a", Tag::kA}, {"address", Tag::kAddress}, {"annotation-xml", Tag::kAnnotationXml},
    {"applet", Tag::kApplet}, {"area", Tag::kArea}, {"article", Tag::kArticle},
    {"aside", Tag::kAside}, {"audio", Tag::kAudio}, {"b", Tag::kB}, {"base", Tag::kBase},
    {"basefont", Tag::kBasefont}, {"bgsound", Tag::kBgsound}, {"big", Tag::kBig},
    {"blockquote", Tag::kBlockquote}, {"body", Tag::kBody}, {"br", Tag::kBr},
    {"button", Tag::kButton}, {"caption", Tag::kCaption}, {"center", Tag::kCenter},
    {"code", Tag::kCode}, {"col", Tag::kCol}, {"colgroup", Tag::kColgroup},
    {"datalist", Tag::kDatalist}, {"dd", Tag::kDd}, {"desc", Tag::kDesc},
    {"details", Tag::kDetails}, {"dialog", Tag::kDialog}, {"dir", Tag::kDir}, {"div", Tag::kDiv},
    {"dl", Tag::kDl}, {"dt", Tag::kDt}, {"em", Tag::kEm}, {"embed", Tag::kEmbed},
    {"fieldset", Tag::kFieldset}, {"figcaption", Tag::kFigcaption}, {"figure", Tag::kFigure},
    {"font", Tag::kFont}, {"footer", Tag::kFooter}, {"foreignobject", Tag::kForeignObject},
    {"form", Tag::kForm}, {"frame", Tag::kFrame}, {"frameset", Tag::kFrameset}, {"h1", Tag::kH1},
    {"h2", Tag::kH2}, {"h3", Tag::kH3}, {"h4", Tag::kH4}, {"h5", Tag::kH5}, {"h6", Tag::kH6},
    {"head", Tag::kHead}, {"header", Tag::kHeader}, {"hgroup", Tag::kHgroup}, {"hr", Tag::kHr},
    {"html", Tag::kHtml}, {"i", Tag::kI}, {"iframe", Tag::kIframe}, {"image", Tag::kImage},
    {"img", Tag::kImg}, {"input", Tag::kInput}, {"keygen", Tag::kKeygen},
    {"legend", Tag::kLegend}, {"li", Tag::kLi}, {"link", Tag::kLink}, {"listing", Tag::kListing},
    {"main", Tag::kMain}, {"malignmark", Tag::kMalignmark}, {"marquee", Tag::kMarquee},
    {"math", Tag::kMath}, {"menu", Tag::kMenu}, {"meta", Tag::kMeta}, {"mglyph", Tag::kMglyph},
    {"mi", Tag::kMi}, {"mn", Tag::kMn}, {"mo", Tag::kMo}, {"ms", Tag::kMs}, {"mtext", Tag::kMtext},
    {"nav", Tag::kNav}, {"nobr", Tag::kNobr}, {"noembed", Tag::kNoembed},
    {"noframes", Tag::kNoframes}, {"noscript", Tag::kNoscript}, {"object", Tag::kObject},
    {"ol", Tag::kOl}, {"optgroup", Tag::kOptgroup}, {"option", Tag::kOption}, {"p", Tag::kP},
    {"param", Tag::kParam}, {"plaintext", Tag::kPlaintext}, {"pre", Tag::kPre}, {"rb", Tag::kRb},
    {"rp", Tag::kRp}, {"rt", Tag::kRt}, {"rtc", Tag::kRtc}, {"ruby", Tag::kRuby}, {"s", Tag::kS},
    {"script", Tag::kScript}, {"search", Tag::kSearch}, {"section", Tag::kSection},
    {"select", Tag::kSelect}, {"small", Tag::kSmall}, {"source", Tag::kSource},
    {"span", Tag::kSpan}, {"strike", Tag::kStrike}, {"strong", Tag::kStrong},
    {"style", Tag::kStyle}, {"sub", Tag::kSub}, {"summary", Tag::kSummary}, {"sup", Tag::kSup},
    {"svg", Tag::kSvg}, {"table", Tag::kTable}, {"tbody", Tag::kTbody}, {"td", Tag::kTd},
    {"template", Tag::kTemplate}, {"textarea", Tag::kTextarea}, {"tfoot", Tag::kTfoot},
    {"th", Tag::kTh}, {"thead", Tag::kThead}, {"title", Tag::kTitle}, {"tr", Tag::kTr},
    {"track", Tag::kTrack}, {"tt", Tag::kTt}, {"u", Tag::kU}, {"ul", Tag::kUl}, {"var", Tag::kVar},
    {"video", Tag::kVideo}, {"wbr", Tag::kWbr}, {"xmp", Tag::kXmp},
};

// tag_of runs for every start and end tag, so it is a hash table built at compile time rather
// than a search with string comparisons: a name of at most 15 bytes is packed into two words
// (bytes, then its length in the top byte, so that no two names pack alike), hashed to a slot,
// and compared as two integers.
struct PackedName {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
};
constexpr std::size_t kMaxPackedName = 15;

constexpr PackedName pack_name(std::string_view name) {
  PackedName p;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const std::uint64_t byte = static_cast<unsigned char>(name[i]);
    if (i < 8) {
      p.lo |= byte << (8 * i);
    } else {
      p.hi |= byte << (8 * (i - 8));
    }
  }
  p.hi |= static_cast<std::uint64_t>(name.size()) << 56;
  return p;
}

struct TagSlot {
  PackedName name;
  Tag tag = Tag::kUnknown;  // kUnknown: an empty slot
};
constexpr std::size_t kTagSlots = 512;  // power of two, about four times the names: short probes

constexpr std::size_t tag_slot(const PackedName& p) {
  return static_cast<std::size_t>(((p.lo ^ (p.hi * 0x9E3779B97F4A7C15ull)) * 0xC2B2AE3D27D4EB4Full) >> 55) &
         (kTagSlots - 1);
}

static_assert(std::ranges::all_of(kTagNames, [](const TagName& t) { return t.name.size() <= kMaxPackedName; }));
constexpr std::array<TagSlot, kTagSlots> kTagTable = [] {
  std::array<TagSlot, kTagSlots> table{};
  for (const TagName& t : kTagNames) {
    std::size_t slot = tag_slot(pack_name(t.name));
    while (table[slot].tag != Tag::kUnknown) slot = (slot + 1) & (kTagSlots - 1);
    table[slot] = TagSlot{pack_name(t.name), t.tag};
  }
  return table;
}();

Tag tag_of(std::string_view name) {
  if (name.empty() || name.size() > kMaxPackedName) return Tag::kUnknown;
  const PackedName p = pack_name(name);
  for (std::size_t slot = tag_slot(p);; slot = (slot + 1) & (kTagSlots - 1)) {
    const TagSlot& s = kTagTable[slot];
    if (s.tag == Tag::kUnknown) return Tag::kUnknown;
    if (s.name.lo == p.lo && s.name.hi == p.hi) return s.tag;
  }
}

std::uint64_t name_hash(std::string_view name) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a: tells unknown element names apart
  for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

enum TagFlag : std::uint32_t {
  kSpecial = 1u << 0,       // §13.2.4.3 "special" category (HTML namespace part)
  kBlock = 1u << 1,         // display:block and friends in the §15.3 UA stylesheet
  kNotRendered = 1u << 2,   // §15.3.1 display:none elements and raw text fallbacks
  kVoid = 1u << 3,          // §13.1.2 void elements
  kFormatting = 1u << 4,    // §13.2.4.3 formatting elements
  kClosesP = 1u << 5,       // in body: "if the stack has a p element in button scope, close it"
  kScopeBoundary = 1u << 6, // §13.2.4.2 default scope, HTML part
  kImpliedEnd = 1u << 7,    // §13.2.6.3 generate implied end tags
  kHeading = 1u << 8,
  kBreaksOut = 1u << 9,     // §13.2.6.5: start tags that leave foreign content
  kRawText = 1u << 10,      // contents read by the tokenizer as text (never flattened)
};

constexpr std::array<std::uint32_t, kTagCount> make_tag_flags() {
  std::array<std::uint32_t, kTagCount> f{};
  const auto set = [&f](std::initializer_list<Tag> tags, std::uint32_t flag) {
    for (const Tag t : tags) f[static_cast<std::size_t>(t)] |= flag;
  };
  set({Tag::kAddress, Tag::kApplet, Tag::kArea, Tag::kArticle, Tag::kAside, Tag::kBase,
       Tag::kBasefont, Tag::kBgsound, Tag::kBlockquote, Tag::kBody, Tag::kBr, Tag::kButton,
       Tag::kCaption, Tag::kCenter, Tag::kCol, Tag::kColgroup, Tag::kDd, Tag::kDetails, Tag::kDialog,
       Tag::kDir, Tag::kDiv, Tag::kDl, Tag::kDt, Tag::kEmbed, Tag::kFieldset, Tag::kFigcaption,
       Tag::kFigure, Tag::kFooter, Tag::kForm, Tag::kFrame, Tag::kFrameset, Tag::kH1, Tag::kH2,
       Tag::kH3, Tag::kH4, Tag::kH5, Tag::kH6, Tag::kHead, Tag::kHeader, Tag::kHgroup, Tag::kHr,
       Tag::kHtml, Tag::kIframe, Tag::kImg, Tag::kInput, Tag::kKeygen, Tag::kLi, Tag::kLink,
       Tag::kListing, Tag::kMain, Tag::kMarquee, Tag::kMenu, Tag::kMeta, Tag::kNav, Tag::kNoembed,
       Tag::kNoframes, Tag::kNoscript, Tag::kObject, Tag::kOl, Tag::kP, Tag::kParam,
       Tag::kPlaintext, Tag::kPre, Tag::kScript, Tag::kSearch, Tag::kSection, Tag::kSelect,
       Tag::kSource, Tag::kStyle, Tag::kSummary, Tag::kTable, Tag::kTbody, Tag::kTd, Tag::kTemplate,
       Tag::kTextarea, Tag::kTfoot, Tag::kTh, Tag::kThead, Tag::kTitle, Tag::kTr, Tag::kTrack,
       Tag::kUl, Tag::kWbr, Tag::kXmp},
      kSpecial);
  // The blocks of the former gumbo walk (its TagTable), kept so that line breaks do not move.
  set({Tag::kAddress, Tag::kArticle, Tag::kAside, Tag::kBlockquote, Tag::kBody, Tag::kBr,
       Tag::kCaption, Tag::kCenter, Tag::kDd, Tag::kDetails, Tag::kDir, Tag::kDiv, Tag::kDl, Tag::kDt,
       Tag::kFieldset, Tag::kFigcaption, Tag::kFigure, Tag::kFooter, Tag::kForm, Tag::kH1, Tag::kH2,
       Tag::kH3, Tag::kH4, Tag::kH5, Tag::kH6, Tag::kHeader, Tag::kHgroup, Tag::kHr, Tag::kLi,
       Tag::kMain, Tag::kMenu, Tag::kNav, Tag::kOl, Tag::kP, Tag::kPre, Tag::kSection, Tag::kSummary,
       Tag::kTable, Tag::kTr, Tag::kUl, Tag::kLegend, Tag::kListing, Tag::kPlaintext, Tag::kXmp,
       Tag::kOption, Tag::kTextarea, Tag::kThead, Tag::kTbody, Tag::kTfoot},
      kBlock);
  set({Tag::kHead, Tag::kScript, Tag::kStyle, Tag::kTemplate, Tag::kTitle, Tag::kIframe,
       Tag::kNoembed, Tag::kNoframes, Tag::kBase, Tag::kLink, Tag::kMeta, Tag::kDatalist, Tag::kParam},
      kNotRendered);
  set({Tag::kArea, Tag::kBase, Tag::kBasefont, Tag::kBgsound, Tag::kBr, Tag::kCol, Tag::kEmbed,
       Tag::kFrame, Tag::kHr, Tag::kImg, Tag::kInput, Tag::kKeygen, Tag::kLink, Tag::kMeta,
       Tag::kParam, Tag::kSource, Tag::kTrack, Tag::kWbr},
      kVoid);
  set({Tag::kA, Tag::kB, Tag::kBig, Tag::kCode, Tag::kEm, Tag::kFont, Tag::kI, Tag::kNobr, Tag::kS,
       Tag::kSmall, Tag::kStrike, Tag::kStrong, Tag::kTt, Tag::kU},
      kFormatting);
  set({Tag::kAddress, Tag::kArticle, Tag::kAside, Tag::kBlockquote, Tag::kCenter, Tag::kDetails,
       Tag::kDialog, Tag::kDir, Tag::kDiv, Tag::kDl, Tag::kFieldset, Tag::kFigcaption, Tag::kFigure,
       Tag::kFooter, Tag::kHeader, Tag::kHgroup, Tag::kMain, Tag::kMenu, Tag::kNav, Tag::kOl, Tag::kP,
       Tag::kSearch, Tag::kSection, Tag::kSummary, Tag::kUl},
      kClosesP);
  set({Tag::kApplet, Tag::kCaption, Tag::kHtml, Tag::kTable, Tag::kTd, Tag::kTh, Tag::kMarquee,
       Tag::kObject, Tag::kTemplate},
      kScopeBoundary);
  set({Tag::kDd, Tag::kDt, Tag::kLi, Tag::kOptgroup, Tag::kOption, Tag::kP, Tag::kRb, Tag::kRp,
       Tag::kRt, Tag::kRtc},
      kImpliedEnd);
  set({Tag::kH1, Tag::kH2, Tag::kH3, Tag::kH4, Tag::kH5, Tag::kH6}, kHeading);
  set({Tag::kB, Tag::kBig, Tag::kBlockquote, Tag::kBody, Tag::kBr, Tag::kCenter, Tag::kCode, Tag::kDd,
       Tag::kDiv, Tag::kDl, Tag::kDt, Tag::kEm, Tag::kEmbed, Tag::kH1, Tag::kH2, Tag::kH3, Tag::kH4,
       Tag::kH5, Tag::kH6, Tag::kHead, Tag::kHr, Tag::kI, Tag::kImg, Tag::kLi, Tag::kListing,
       Tag::kMenu, Tag::kMeta, Tag::kNobr, Tag::kOl, Tag::kP, Tag::kPre, Tag::kRuby, Tag::kS,
       Tag::kSmall, Tag::kSpan, Tag::kStrong, Tag::kStrike, Tag::kSub, Tag::kSup, Tag::kTable,
       Tag::kTt, Tag::kU, Tag::kUl, Tag::kVar},
      kBreaksOut);
  set({Tag::kTitle, Tag::kTextarea, Tag::kStyle, Tag::kXmp, Tag::kIframe, Tag::kNoembed,
       Tag::kNoframes, Tag::kScript, Tag::kPlaintext},
      kRawText);
  return f;
}
constexpr std::array<std::uint32_t, kTagCount> kTagFlags = make_tag_flags();

constexpr bool has(Tag t, std::uint32_t flag) {
  return (kTagFlags[static_cast<std::size_t>(t)] & flag) != 0;
}

// What each element does with its URL attributes (html_links.h), looked up by name at compile time.
constexpr std::array<LinkElement, kTagCount> kLinkElements = [] {
  std::array<LinkElement, kTagCount> kinds{};
  for (const TagName& t : kTagNames) kinds[static_cast<std::size_t>(t.tag)] = link_element(t.name);
  return kinds;
}();

enum class Ns : std::uint8_t { kHtml, kSvg, kMathml };

// ---- Attributes that matter --------------------------------------------------------------------

// The attributes the walk reads. The names pick_attributes keeps are looked up in a table indexed by
// a hash of (length, first byte, last byte) that is checked at compile time to put each in a slot
// of its own: a start tag has a few attributes, most of which are not kept (class, width,
// align...), and a chain of string comparisons per attribute was a measurable share of the tree
// builder's time.
enum class AttributeKind : std::uint8_t {
  kNone, kHref, kSrc, kSrcset, kStyle, kAction, kFormaction, kHttpEquiv, kContent, kType, kMethod,
  kBackground, kPoster, kData, kCite, kBgcolor, kColour, kText, kFace, kSize, kEncoding, kHidden,
};

// The attributes the walk reads, picked out of a start tag once (first occurrence wins, as the
// tokenizer already dropped duplicates).
struct ElementAttributes {
  // User-provided so that making one runs the member initialisers alone: value-initialising an
  // aggregate zero-fills all of it first (a slow string store, for a few hundred bytes).
  ElementAttributes() {}  // NOLINT(modernize-use-equals-default)

  std::string_view href, src, srcset, style, action, formaction, http_equiv, content, type, method,
      background, poster, data, cite, bgcolor, colour, text, face, size, encoding;
  std::uint32_t handlers = 0;  // on* attributes
  bool hidden = false;
  std::uint32_t set = 0;       // bit per AttributeKind whose field pick_attributes_into wrote

  // Whether the tag has the attribute, empty or not (font break-out, §13.2.6.5, needs presence).
  bool has(AttributeKind kind) const { return (set >> static_cast<unsigned>(kind) & 1u) != 0; }
};

struct KeptAttribute {
  std::string_view name;
  AttributeKind kind = AttributeKind::kNone;
};
constexpr KeptAttribute kKeptAttributes[] = {
    {"href", AttributeKind::kHref},       {"src", AttributeKind::kSrc},
    {"srcset", AttributeKind::kSrcset},   {"style", AttributeKind::kStyle},
    {"action", AttributeKind::kAction},   {"formaction", AttributeKind::kFormaction},
    {"http-equiv", AttributeKind::kHttpEquiv}, {"content", AttributeKind::kContent},
    {"type", AttributeKind::kType},       {"method", AttributeKind::kMethod},
    {"background", AttributeKind::kBackground}, {"poster", AttributeKind::kPoster},
    {"data", AttributeKind::kData},       {"cite", AttributeKind::kCite},
    {"bgcolor", AttributeKind::kBgcolor}, {"color", AttributeKind::kColour},
    {"text", AttributeKind::kText},       {"face", AttributeKind::kFace},
    {"size", AttributeKind::kSize},       {"encoding", AttributeKind::kEncoding},
    {"hidden", AttributeKind::kHidden},
};
constexpr std::size_t kAttributeSlots = 64;
constexpr std::size_t attribute_slot(std::string_view name) {
  return (name.size() + static_cast<unsigned char>(name.front()) * 3u +
          static_cast<unsigned char>(name.back()) * 6u) & (kAttributeSlots - 1);
}
constexpr std::array<KeptAttribute, kAttributeSlots> make_attribute_table() {
  std::array<KeptAttribute, kAttributeSlots> table{};
  for (const KeptAttribute& a : kKeptAttributes) {
    KeptAttribute& slot = table[attribute_slot(a.name)];
    // A collision makes this constant expression fail to compile: change the hash's factors.
    if (slot.kind != AttributeKind::kNone) throw "two kept attribute names share a slot";
    slot = a;
  }
  return table;
}
constexpr std::array<KeptAttribute, kAttributeSlots> kAttributeTable = make_attribute_table();

static_assert(std::ranges::all_of(kKeptAttributes, [](const KeptAttribute& a) {
  return a.name.size() >= 3 && a.name.size() <= 16;
}));

// name == kept, for a kept name of 3 to 16 bytes: two overlapping loads of 8, 4 or 2 bytes cover
// every byte, where a memcmp call per attribute was a visible share of the builder's time.
bool is_kept_name(std::string_view kept, std::string_view name) {
  const std::size_t n = kept.size();
  if (name.size() != n) return false;
  const auto same = [&](std::size_t at, std::size_t width) {
    std::uint64_t x = 0;
    std::uint64_t y = 0;
    std::memcpy(&x, kept.data() + at, width);
    std::memcpy(&y, name.data() + at, width);
    return x == y;
  };
  if (n >= 8) return same(0, 8) && same(n - 8, 8);
  if (n >= 4) return same(0, 4) && same(n - 4, 4);
  return same(0, 2) && kept[n - 1] == name[n - 1];
}

AttributeKind kept_attribute(std::string_view name) {
  if (name.empty()) return AttributeKind::kNone;
  const KeptAttribute& slot = kAttributeTable[attribute_slot(name)];
  return slot.kind != AttributeKind::kNone && is_kept_name(slot.name, name) ? slot.kind : AttributeKind::kNone;
}

// The field each kept attribute's value goes to (none for kNone and kHidden).
using AttributeField = std::string_view ElementAttributes::*;
constexpr std::array<AttributeField, static_cast<std::size_t>(AttributeKind::kHidden) + 1> kAttributeFields = {
    nullptr, &ElementAttributes::href, &ElementAttributes::src, &ElementAttributes::srcset,
    &ElementAttributes::style, &ElementAttributes::action, &ElementAttributes::formaction,
    &ElementAttributes::http_equiv, &ElementAttributes::content, &ElementAttributes::type,
    &ElementAttributes::method, &ElementAttributes::background, &ElementAttributes::poster,
    &ElementAttributes::data, &ElementAttributes::cite, &ElementAttributes::bgcolor,
    &ElementAttributes::colour, &ElementAttributes::text, &ElementAttributes::face,
    &ElementAttributes::size, &ElementAttributes::encoding, nullptr,
};

// Fills a with a start tag's attributes. a may hold an earlier tag's: only the fields that one
// set are cleared, not the whole struct (a few hundred bytes, cleared with a slow string store,
// for every start tag).
void pick_attributes_into(std::span<const HtmlAttribute> attributes, ElementAttributes& a) {
  for (std::uint32_t bits = a.set; bits != 0; bits &= bits - 1) {
    a.*kAttributeFields[static_cast<std::size_t>(std::countr_zero(bits))] = {};
  }
  a.set = 0;
  a.handlers = 0;
  a.hidden = false;
  for (const HtmlAttribute& attr : attributes) {
    const std::string_view nm = attr.name;
    if (nm.size() > 2 && nm[0] == 'o' && nm[1] == 'n') {
      ++a.handlers;
      continue;
    }
    const AttributeKind kind = kept_attribute(nm);
    if (kind == AttributeKind::kNone) continue;
    if (kind == AttributeKind::kHidden) {
      a.hidden = true;
      continue;
    }
    const auto k = static_cast<std::size_t>(kind);
    a.*kAttributeFields[k] = attr.value;
    a.set |= 1u << k;
  }
}

// Copies into `to`, freshly made, the fields `from` set: a few, where copying the whole struct
// moved a few hundred bytes per formatting element.
ElementAttributes& copy_set_fields(const ElementAttributes& from, ElementAttributes& to) {
  for (std::uint32_t bits = from.set; bits != 0; bits &= bits - 1) {
    const AttributeField field = kAttributeFields[static_cast<std::size_t>(std::countr_zero(bits))];
    to.*field = from.*field;
  }
  to.set = from.set;
  to.handlers = from.handlers;
  to.hidden = from.hidden;
  return to;
}

ElementAttributes pick_attributes(std::span<const HtmlAttribute> attributes) {
  ElementAttributes a;
  pick_attributes_into(attributes, a);
  return a;
}

// Copies the views of a that do not point into input into storage (reserved once, so the views
// stay put), for attributes that must outlive the token (active formatting elements).
void keep_attributes(ElementAttributes& a, std::string_view input, std::unique_ptr<std::string>& storage) {
  const auto inside = [&](std::string_view v) {
    return v.empty() || (v.data() >= input.data() && v.data() + v.size() <= input.data() + input.size());
  };
  // Only the fields the tag set can hold a view (pick_attributes_into).
  const auto for_each_set = [&a](auto&& f) {
    for (std::uint32_t bits = a.set; bits != 0; bits &= bits - 1) {
      f(a.*kAttributeFields[static_cast<std::size_t>(std::countr_zero(bits))]);
    }
  };
  std::size_t need = 0;
  for_each_set([&](std::string_view& v) {
    if (!inside(v)) need += v.size();
  });
  if (need == 0) return;
  storage = std::make_unique<std::string>();
  storage->reserve(need);
  for_each_set([&](std::string_view& v) {
    if (inside(v)) return;
    const std::size_t at = storage->size();
    storage->append(v);
    v = std::string_view(*storage).substr(at, v.size());
  });
}

bool same_attributes(const ElementAttributes& x, const ElementAttributes& y) {
  return x.href == y.href && x.src == y.src && x.style == y.style && x.colour == y.colour &&
         x.bgcolor == y.bgcolor && x.face == y.face && x.size == y.size && x.hidden == y.hidden &&
         x.handlers == y.handlers && x.background == y.background && x.cite == y.cite;
}

// ---- The builder -------------------------------------------------------------------------------

// An open element and what its subtree inherits (the former walk's frame).
struct Element {
  Tag tag = Tag::kHtml;
  Ns ns = Ns::kHtml;
  bool formatting = false;   // has an entry in the list of active formatting elements
  bool not_rendered = false;
  bool block = false;
  bool cell = false;
  bool title = false;
  bool style_element = false;
  std::uint64_t hash = 0;    // name hash of an unknown element (end tags match by it)
  std::uint32_t id = 0;
  std::uint32_t depth = 0;   // html is 1, as in the DOM walk
  Style style;
  std::int32_t hidden_group = -1;  // index in hidden entries this subtree's hidden text goes to
  std::int32_t link = -1;          // <a> whose anchor text this subtree feeds
  std::int32_t form = -1;          // innermost <form>
  std::int32_t sink = -1;          // foster-parented subtree: table record whose foster text it feeds
  std::int32_t table_record = -1;  // <table>: its record in tables_
};

// A table being read: where its text starts in the string it is written to, and the text
// foster-parented out of it (§13.2.6.1), which goes before the table when the table closes.
struct TableRecord {
  std::int32_t sink = -1;  // -1: visible_text; else another table's foster text
  std::size_t position = 0;
  std::string foster;
};

struct FormattingEntry {
  // User-provided so that emplace_back() runs the member initialisers alone: value-initialising an
  // aggregate zero-fills all of it first, the unset attributes' room included.
  FormattingEntry() {}  // NOLINT(modernize-use-equals-default)

  bool marker = false;
  Tag tag = Tag::kUnknown;
  bool in_stack = false;
  std::uint32_t element_id = 0;
  // Set for elements, not for markers: a marker (one per table cell) then costs a few bytes to
  // push, not a cleared copy of a few hundred.
  std::optional<ElementAttributes> attributes;
  std::unique_ptr<std::string> storage;  // decoded values (heap: moving the entry keeps views)
};

enum class Mode : std::uint8_t {
  kInBody, kInTable, kInTableBody, kInRow, kInCell, kInCaption, kInColumnGroup, kInSelect,
  kInSelectInTable, kInFrameset,
};

enum class Scope : std::uint8_t { kDefault, kButton, kListItem, kTable, kSelect };

class Builder {
 public:
  // preset_body: attributes the body element has from the start (see extract_html).
  Builder(std::string_view input, const Limits& limits, HtmlContent& out,
          std::span<const HtmlAttribute> preset_body = {})
      : input_(input), tokenizer_(input), limits_(limits), out_(out) {
    out_.visible_text.reserve(std::min<std::size_t>(input.size() / 2 + 64, 1u << 20));
    stack_.reserve(64);
    flatten_at_ = std::max<std::uint32_t>(limits.max_html_depth, 8) + 2;
    // The DOM always has html and body; head content is folded into body (see the file comment).
    Element html;
    html.tag = Tag::kHtml;
    html.id = next_id_++;
    html.depth = 1;
    push(html);
    Element body = child_of(stack_.back());
    body.tag = Tag::kBody;
    push(body);
    for (const HtmlAttribute& a : preset_body) body_attributes_.emplace_back(a.name);
    enter(stack_.back(), pick_attributes(preset_body));
  }

  // A <body> start tag came after body content and brought attributes that change visibility:
  // the DOM applies them to everything in body, including what was already read, so
  // extract_html reads the part again with them (late_body_attributes) set from the start.
  bool needs_second_pass() const { return late_body_style_; }
  const std::vector<std::pair<std::string, std::string>>& late_body_attributes() const { return merged_body_; }

  void run() {
    HtmlToken token;
    std::size_t elements = 0;
    while (tokenizer_.next(token)) {
      switch (token.kind) {
        case HtmlTokenKind::kCharacters:
          characters(token.data);
          break;
        case HtmlTokenKind::kStartTag:
          if (++elements > kMaxHtmlElements) {
            out_.truncated = true;
            finish();
            return;
          }
          start_tag(token);
          break;
        case HtmlTokenKind::kEndTag:
          end_tag(token.data);
          break;
        case HtmlTokenKind::kDoctype:
          doctype(token);
          break;
        case HtmlTokenKind::kComment:
        case HtmlTokenKind::kEndOfFile:
          break;
      }
      if (token.kind != HtmlTokenKind::kDoctype && token.kind != HtmlTokenKind::kComment) seen_token_ = true;
      tokenizer_.set_cdata_allowed(stack_.back().ns != Ns::kHtml);
    }
    finish();
  }

 private:
  // ---- Stack primitives

  Element child_of(const Element& parent) {
    Element e;
    e.style = parent.style;
    e.hidden_group = parent.hidden_group;
    e.link = parent.link;
    e.form = parent.form;
    e.sink = parent.sink;
    e.not_rendered = parent.not_rendered;
    e.title = parent.title;
    e.style_element = parent.style_element;
    e.depth = parent.depth + 1;
    e.id = next_id_++;
    return e;
  }

  void push(const Element& e) {
    stack_.push_back(e);
    ++counts_[static_cast<std::size_t>(e.tag)];
  }

  bool is(const Element& e, Tag tag) const { return e.tag == tag && e.ns == Ns::kHtml; }

  // Removes stack_[i] (the top when i is the last index), leaving it.
  void remove_at(std::size_t i) {
    leave(stack_[i]);
    if (stack_[i].formatting) {
      for (FormattingEntry& f : formatting_) {
        if (!f.marker && f.element_id == stack_[i].id) f.in_stack = false;
      }
    }
    --counts_[static_cast<std::size_t>(stack_[i].tag)];
    stack_.erase(stack_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  void pop() {
    if (stack_.size() > 2) remove_at(stack_.size() - 1);  // html and body stay
  }
  // Pops until an HTML element with this tag has been popped (callers checked it is open).
  void pop_until(Tag tag) {
    while (stack_.size() > 2) {
      const bool last = is(stack_.back(), tag);
      pop();
      if (last) return;
    }
  }
  void pop_until_heading() {
    while (stack_.size() > 2) {
      const bool last = has(stack_.back().tag, kHeading) && stack_.back().ns == Ns::kHtml;
      pop();
      if (last) return;
    }
  }

  // §13.2.4.2 "has an element in the specific scope".
  bool boundary(const Element& e, Scope scope) const {
    if (e.ns == Ns::kMathml) {
      return scope != Scope::kTable && scope != Scope::kSelect &&
             (e.tag == Tag::kMi || e.tag == Tag::kMo || e.tag == Tag::kMn || e.tag == Tag::kMs ||
              e.tag == Tag::kMtext || e.tag == Tag::kAnnotationXml);
    }
    if (e.ns == Ns::kSvg) {
      return scope != Scope::kTable && scope != Scope::kSelect &&
             (e.tag == Tag::kForeignObject || e.tag == Tag::kDesc || e.tag == Tag::kTitle);
    }
    switch (scope) {
      case Scope::kDefault:
        return has(e.tag, kScopeBoundary);
      case Scope::kButton:
        return has(e.tag, kScopeBoundary) || e.tag == Tag::kButton;
      case Scope::kListItem:
        return has(e.tag, kScopeBoundary) || e.tag == Tag::kOl || e.tag == Tag::kUl;
      case Scope::kTable:
        return e.tag == Tag::kHtml || e.tag == Tag::kTable || e.tag == Tag::kTemplate;
      case Scope::kSelect:
        return e.tag != Tag::kOptgroup && e.tag != Tag::kOption;
    }
    return true;
  }
  bool in_scope(Tag tag, Scope scope = Scope::kDefault) const {
    if (counts_[static_cast<std::size_t>(tag)] == 0) return false;
    for (std::size_t i = stack_.size(); i-- > 0;) {
      if (is(stack_[i], tag)) return true;
      if (boundary(stack_[i], scope)) return false;
    }
    return false;
  }
  bool heading_in_scope() const {
    for (std::size_t i = stack_.size(); i-- > 0;) {
      if (has(stack_[i].tag, kHeading) && stack_[i].ns == Ns::kHtml) return true;
      if (boundary(stack_[i], Scope::kDefault)) return false;
    }
    return false;
  }

  // §13.2.6.3.
  void generate_implied_end_tags(Tag except = Tag::kUnknown) {
    while (stack_.size() > 2 && stack_.back().ns == Ns::kHtml && has(stack_.back().tag, kImpliedEnd) &&
           stack_.back().tag != except) {
      pop();
    }
  }
  // "Close a p element".
  void close_p() {
    generate_implied_end_tags(Tag::kP);
    pop_until(Tag::kP);
  }
  void close_p_in_button_scope() {
    if (in_scope(Tag::kP, Scope::kButton)) close_p();
  }
  void clear_to_context(std::initializer_list<Tag> context) {
    while (stack_.size() > 2) {
      const Element& e = stack_.back();
      bool stop = e.tag == Tag::kHtml || e.tag == Tag::kTemplate;
      for (const Tag t : context) stop = stop || (e.tag == t && e.ns == Ns::kHtml);
      if (stop) return;
      pop();
    }
  }

  // §13.2.4.1 "reset the insertion mode appropriately".
  void reset_mode() {
    for (std::size_t i = stack_.size(); i-- > 0;) {
      const Element& e = stack_[i];
      if (e.ns != Ns::kHtml) continue;
      switch (e.tag) {
        case Tag::kSelect: {
          mode_ = Mode::kInSelect;
          for (std::size_t j = i; j-- > 0;) {
            if (stack_[j].tag == Tag::kTemplate) break;
            if (stack_[j].tag == Tag::kTable) {
              mode_ = Mode::kInSelectInTable;
              break;
            }
          }
          return;
        }
        case Tag::kTd:
        case Tag::kTh:
          mode_ = Mode::kInCell;
          return;
        case Tag::kTr:
          mode_ = Mode::kInRow;
          return;
        case Tag::kTbody:
        case Tag::kThead:
        case Tag::kTfoot:
          mode_ = Mode::kInTableBody;
          return;
        case Tag::kCaption:
          mode_ = Mode::kInCaption;
          return;
        case Tag::kColgroup:
          mode_ = Mode::kInColumnGroup;
          return;
        case Tag::kTable:
          mode_ = Mode::kInTable;
          return;
        case Tag::kFrameset:
          mode_ = Mode::kInFrameset;
          return;
        case Tag::kTemplate:
        case Tag::kBody:
        case Tag::kHtml:
          mode_ = Mode::kInBody;
          return;
        default:
          break;
      }
    }
    mode_ = Mode::kInBody;
  }

  // ---- Active formatting elements (§13.2.4.3)

  std::size_t last_marker() const {  // index after the last marker
    for (std::size_t i = formatting_.size(); i-- > 0;) {
      if (formatting_[i].marker) return i + 1;
    }
    return 0;
  }
  void push_marker() {
    formatting_.emplace_back().marker = true;
  }
  void clear_to_last_marker() {
    while (!formatting_.empty()) {
      const bool marker = formatting_.back().marker;
      formatting_.pop_back();
      if (marker) return;
    }
  }
  void push_formatting(std::size_t stack_index, Tag tag, const ElementAttributes& attributes) {
    // Noah's Ark clause: at most three identical entries after the last marker.
    std::size_t same = 0;
    std::size_t earliest = 0;
    const std::size_t first = last_marker();
    for (std::size_t i = formatting_.size(); i-- > first;) {
      if (formatting_[i].tag == tag && same_attributes(*formatting_[i].attributes, attributes)) {
        ++same;
        earliest = i;
      }
    }
    if (same >= 3) formatting_.erase(formatting_.begin() + static_cast<std::ptrdiff_t>(earliest));
    if (formatting_.size() >= kMaxFormattingElements) formatting_.erase(formatting_.begin());
    // Built in place: an entry is a few hundred bytes.
    FormattingEntry& e = formatting_.emplace_back();
    e.tag = tag;
    e.in_stack = true;
    e.element_id = stack_[stack_index].id;
    keep_attributes(copy_set_fields(attributes, e.attributes.emplace()), input_, e.storage);
    stack_[stack_index].formatting = true;
  }
  // "Reconstruct the active formatting elements".
  void reconstruct() {
    if (formatting_.empty()) return;
    if (formatting_.back().marker || formatting_.back().in_stack) return;
    if (reconstructed_ >= kMaxReconstructedElements) return;
    std::size_t i = formatting_.size() - 1;
    while (i > 0 && !formatting_[i - 1].marker && !formatting_[i - 1].in_stack) --i;
    while (i < formatting_.size()) {
      FormattingEntry& e = formatting_[i];
      const long at = insert(e.tag, Ns::kHtml, 0, *e.attributes);
      if (at < 0) {  // too deep to reopen: forget it
        formatting_.erase(formatting_.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      ++reconstructed_;
      stack_[static_cast<std::size_t>(at)].formatting = true;
      formatting_[i].element_id = stack_[static_cast<std::size_t>(at)].id;
      formatting_[i].in_stack = true;
      ++i;
    }
  }
  long find_formatting(Tag tag) const {
    for (std::size_t i = formatting_.size(); i-- > 0;) {
      if (formatting_[i].marker) return -1;
      if (formatting_[i].tag == tag) return static_cast<long>(i);
    }
    return -1;
  }
  long stack_index_of(std::uint32_t id) const {
    for (std::size_t i = stack_.size(); i-- > 0;) {
      if (stack_[i].id == id) return static_cast<long>(i);
    }
    return -1;
  }

  // The adoption agency algorithm, simulated on the stack (see the file comment). Returns false
  // when the caller must run "any other end tag" instead.
  bool adoption_agency(Tag tag) {
    if (is(stack_.back(), tag) && !stack_.back().formatting) {
      pop();
      return true;
    }
    for (int outer = 0; outer < 8; ++outer) {
      const long fi = find_formatting(tag);
      if (fi < 0) return outer > 0;
      if (!formatting_[static_cast<std::size_t>(fi)].in_stack) {
        formatting_.erase(formatting_.begin() + fi);
        return true;
      }
      const long si = stack_index_of(formatting_[static_cast<std::size_t>(fi)].element_id);
      if (si < 0) {
        formatting_.erase(formatting_.begin() + fi);
        return true;
      }
      for (std::size_t k = stack_.size(); k-- > static_cast<std::size_t>(si) + 1;) {
        if (boundary(stack_[k], Scope::kDefault)) return true;  // not in scope: ignore the tag
      }
      std::size_t fb = 0;
      for (std::size_t k = static_cast<std::size_t>(si) + 1; k < stack_.size(); ++k) {
        if (has(stack_[k].tag, kSpecial) || stack_[k].ns != Ns::kHtml) {
          fb = k;
          break;
        }
      }
      if (fb == 0) {
        while (stack_.size() > static_cast<std::size_t>(si)) pop();
        formatting_.erase(formatting_.begin() + fi);
        return true;
      }
      // Furthest block: drop what is between that is not a formatting element, remove the
      // formatting element, and reopen its clone just above the furthest block.
      for (std::size_t k = fb; k-- > static_cast<std::size_t>(si) + 1;) {
        if (!stack_[k].formatting) {
          remove_at(k);
          --fb;
        }
      }
      FormattingEntry entry = std::move(formatting_[static_cast<std::size_t>(fi)]);
      formatting_.erase(formatting_.begin() + fi);
      remove_at(static_cast<std::size_t>(si));
      --fb;
      Element clone = child_of(stack_[fb]);
      clone.tag = entry.tag;
      clone.formatting = true;
      stack_.insert(stack_.begin() + static_cast<std::ptrdiff_t>(fb) + 1, clone);
      ++counts_[static_cast<std::size_t>(clone.tag)];
      enter(stack_[fb + 1], *entry.attributes);
      entry.element_id = clone.id;
      entry.in_stack = true;
      formatting_.insert(formatting_.begin() + fi, std::move(entry));
    }
    return true;
  }

  // ---- Insertion

  // Creates an element as a child of the current node and enters it. Returns its stack index, or
  // -1 when it was not kept open (void, or flattened past the depth bound).
  long insert(Tag tag, Ns ns, std::uint64_t hash, const ElementAttributes& attributes,
              bool void_element = false) {
    const bool fostered = fostering_ && table_like(stack_.back());
    Element e = child_of(stack_[fostered ? foster_parent() : stack_.size() - 1]);
    e.tag = tag;
    e.ns = ns;
    e.hash = hash;
    if (fostered) e.sink = foster_target();
    if (tag == Tag::kTable && ns == Ns::kHtml && stack_.size() < flatten_at_) {
      TableRecord record;
      record.sink = e.sink;
      record.position = sink(e).size();
      tables_.push_back(std::move(record));
      e.table_record = static_cast<std::int32_t>(tables_.size()) - 1;
    }
    const bool flatten = !void_element && !has(tag, kRawText) && stack_.size() >= flatten_at_;
    if (void_element || flatten) {
      enter(e, attributes);
      leave(e);
      return -1;
    }
    push(e);
    enter(stack_.back(), attributes);
    return static_cast<long>(stack_.size()) - 1;
  }
  long insert_html(Tag tag, const ElementAttributes& attributes, std::uint64_t hash = 0) {
    return insert(tag, Ns::kHtml, hash, attributes, has(tag, kVoid));
  }

  // ---- Tokens

  void doctype(const HtmlToken& t) {
    if (seen_token_ || doctype_seen_) return;
    doctype_seen_ = true;
    // §13.2.6.4.1, shortened: the identifiers mail actually carries.
    quirks_ = t.force_quirks || t.data != "html";
    if (!quirks_ && t.has_public_id) {
      const std::string_view id = t.public_id;
      const bool strictish = istarts_with(id, "-//W3C//DTD XHTML") ||
                             istarts_with(id, "-//W3C//DTD HTML 4.01//") ||
                             istarts_with(id, "-//W3C//DTD HTML 4.0//") ||
                             ((istarts_with(id, "-//W3C//DTD HTML 4.01 Transitional//") ||
                               istarts_with(id, "-//W3C//DTD HTML 4.01 Frameset//")) &&
                              t.has_system_id);
      quirks_ = !strictish;
    }
  }

  static bool all_space(std::string_view s) {
    for (const char c : s) {
      if (!is_html_space(c)) return false;
    }
    return true;
  }

  void characters(std::string_view t) {
    const Element& current = stack_.back();
    if (!body_content_ && !has(current.tag, kRawText) && !all_space(t)) body_content_ = true;
    if (current.ns != Ns::kHtml && !integration_point(current)) {
      if (!all_space(t)) frameset_ok_ = false;
      text(t);
      return;
    }
    switch (mode_) {
      case Mode::kInFrameset:
        return;  // only whitespace would be inserted, and it is not rendered
      case Mode::kInColumnGroup:
        if (all_space(t)) {
          text(t);
          return;
        }
        if (is(current, Tag::kColgroup)) {
          pop();
          mode_ = Mode::kInTable;
        }
        break;
      case Mode::kInTable:
      case Mode::kInTableBody:
      case Mode::kInRow:
        // §13.2.6.4.10 in table text: whitespace stays; other text is foster-parented (here:
        // kept at the current node, see the file comment).
        if (all_space(t)) {
          text(t);
          return;
        }
        break;
      case Mode::kInSelect:
      case Mode::kInSelectInTable:
        text(t);
        return;
      default:
        break;
    }
    const bool raw = has(current.tag, kRawText) && current.tag != Tag::kPlaintext;
    if (!raw) {
      reconstruct();
      if (frameset_ok_ && !all_space(t)) frameset_ok_ = false;
    }
    if (!raw && table_mode() && table_like(stack_.back())) {
      // §13.2.6.4.10 non-whitespace table text: foster-parented, i.e. placed before the table,
      // as a child of the table's parent (whose style it has).
      Element fostered = stack_[foster_parent()];
      fostered.sink = foster_target();
      text(fostered, t);
      return;
    }
    text(stack_.back(), t);
  }

  // Index of the foster parent (§13.2.6.1): the element below the last table in the stack.
  std::size_t foster_parent() const {
    for (std::size_t i = stack_.size(); i-- > 1;) {
      if (is(stack_[i], Tag::kTable)) return i - 1;
    }
    return stack_.size() - 1;
  }

  bool table_mode() const {
    return mode_ == Mode::kInTable || mode_ == Mode::kInTableBody || mode_ == Mode::kInRow;
  }
  bool table_like(const Element& e) const {
    return e.ns == Ns::kHtml && (e.tag == Tag::kTable || e.tag == Tag::kTbody || e.tag == Tag::kTfoot ||
                                 e.tag == Tag::kThead || e.tag == Tag::kTr);
  }
  // The record of the last table in the stack (the foster parent's table), or -1.
  std::int32_t foster_target() const {
    for (std::size_t i = stack_.size(); i-- > 0;) {
      if (is(stack_[i], Tag::kTable)) return stack_[i].table_record;
    }
    return -1;
  }
  std::string& sink(const Element& f) {
    return f.sink >= 0 ? tables_[static_cast<std::size_t>(f.sink)].foster : out_.visible_text;
  }

  bool integration_point(const Element& e) const {
    if (e.ns == Ns::kSvg) return e.tag == Tag::kForeignObject || e.tag == Tag::kDesc || e.tag == Tag::kTitle;
    if (e.ns == Ns::kMathml) {
      return e.tag == Tag::kMi || e.tag == Tag::kMo || e.tag == Tag::kMn || e.tag == Tag::kMs ||
             e.tag == Tag::kMtext;
    }
    return false;
  }

  void start_tag(const HtmlToken& t) {
    Tag tag = tag_of(t.data);
    if (tag == Tag::kImage) tag = Tag::kImg;  // §13.2.6.4.7 "image": parse error, treat as img
    const std::uint64_t hash = tag == Tag::kUnknown ? name_hash(t.data) : 0;
    pick_attributes_into(t.attributes, tag_attributes_);
    const ElementAttributes& a = tag_attributes_;
    if (!body_content_ && tag != Tag::kHtml && tag != Tag::kHead && tag != Tag::kBody && tag != Tag::kTitle &&
        tag != Tag::kMeta && tag != Tag::kLink && tag != Tag::kBase && tag != Tag::kStyle &&
        tag != Tag::kScript && tag != Tag::kTemplate && tag != Tag::kNoscript) {
      body_content_ = true;
    }
    const Element& current = stack_.back();
    if (current.ns != Ns::kHtml) {
      const bool html_rules =
          (integration_point(current) && !(current.ns == Ns::kMathml && (tag == Tag::kMglyph || tag == Tag::kMalignmark))) ||
          (current.ns == Ns::kMathml && current.tag == Tag::kAnnotationXml && tag == Tag::kSvg) ||
          (current.ns == Ns::kMathml && current.tag == Tag::kAnnotationXml &&
           (iequals(a.encoding, "text/html") || iequals(a.encoding, "application/xhtml+xml")));
      if (!html_rules) {
        const bool breaks_out = has(tag, kBreaksOut) || (tag == Tag::kFont && (a.has(AttributeKind::kColour) || a.has(AttributeKind::kFace) ||
                                                                       a.has(AttributeKind::kSize)));
        if (!breaks_out) {
          // §13.2.6.5 any other start tag: an element in the current node's namespace.
          const Ns ns = tag == Tag::kSvg ? Ns::kSvg : (tag == Tag::kMath ? Ns::kMathml : current.ns);
          const long at = insert(tag, ns, hash, a);
          if (at >= 0 && t.self_closing) pop();
          return;
        }
        while (stack_.size() > 2 && stack_.back().ns != Ns::kHtml && !integration_point(stack_.back())) pop();
      }
    }
    html_start_tag(tag, hash, a, t);
  }

  void html_start_tag(Tag tag, std::uint64_t hash, const ElementAttributes& a, const HtmlToken& t) {
    switch (mode_) {
      case Mode::kInFrameset:
        if (tag == Tag::kFrameset) {
          insert_html(tag, a);
        } else if (tag == Tag::kFrame) {
          insert_html(tag, a);
        } else if (tag == Tag::kNoframes) {
          raw_text_element(tag, a, HtmlTextState::kRawtext);
        }
        return;
      case Mode::kInSelect:
      case Mode::kInSelectInTable:
        if (mode_ == Mode::kInSelectInTable &&
            (tag == Tag::kCaption || tag == Tag::kTable || tag == Tag::kTbody || tag == Tag::kTfoot ||
             tag == Tag::kThead || tag == Tag::kTr || tag == Tag::kTd || tag == Tag::kTh)) {
          pop_until(Tag::kSelect);
          reset_mode();
          html_start_tag(tag, hash, a, t);
          return;
        }
        in_select_start(tag, hash, a, t);
        return;
      case Mode::kInTable:
      case Mode::kInTableBody:
      case Mode::kInRow:
        if (table_start(tag, hash, a, t)) return;
        if (tag != Tag::kStyle && tag != Tag::kScript && tag != Tag::kTemplate) {
          // "Anything else": in body rules with foster parenting enabled (§13.2.6.1); it applies
          // to whatever ends up inserted while a table element is the current node.
          fostering_ = true;
          in_body_start(tag, hash, a, t);
          fostering_ = false;
          return;
        }
        break;
      case Mode::kInCell:
      case Mode::kInCaption:
        if (tag == Tag::kCaption || tag == Tag::kCol || tag == Tag::kColgroup || tag == Tag::kTbody ||
            tag == Tag::kTd || tag == Tag::kTfoot || tag == Tag::kTh || tag == Tag::kThead ||
            tag == Tag::kTr) {
          if (mode_ == Mode::kInCell) {
            if (!in_scope(Tag::kTd, Scope::kTable) && !in_scope(Tag::kTh, Scope::kTable)) return;
            close_cell();
          } else {
            if (!in_scope(Tag::kCaption, Scope::kTable)) return;
            generate_implied_end_tags();
            pop_until(Tag::kCaption);
            clear_to_last_marker();
            mode_ = Mode::kInTable;
          }
          html_start_tag(tag, hash, a, t);
          return;
        }
        break;
      case Mode::kInColumnGroup:
        if (tag == Tag::kCol) {
          insert_html(tag, a);
          return;
        }
        if (tag == Tag::kTemplate) break;
        if (!is(stack_.back(), Tag::kColgroup)) return;
        pop();
        mode_ = Mode::kInTable;
        html_start_tag(tag, hash, a, t);
        return;
      case Mode::kInBody:
        break;
    }
    in_body_start(tag, hash, a, t);
  }

  void close_cell() {
    generate_implied_end_tags();
    while (stack_.size() > 2) {
      const bool cell = is(stack_.back(), Tag::kTd) || is(stack_.back(), Tag::kTh);
      pop();
      if (cell) break;
    }
    clear_to_last_marker();
    mode_ = Mode::kInRow;
  }

  // §13.2.6.4.9 in table, .13 in table body, .14 in row. Returns false for "anything else"
  // (processed with the in body rules).
  bool table_start(Tag tag, std::uint64_t hash, const ElementAttributes& a, const HtmlToken& t) {
    if (mode_ == Mode::kInRow) {
      if (tag == Tag::kTd || tag == Tag::kTh) {
        clear_to_context({Tag::kTr});
        if (insert_html(tag, a) >= 0) {
          push_marker();
          mode_ = Mode::kInCell;
        }
        return true;
      }
      if (tag == Tag::kCaption || tag == Tag::kCol || tag == Tag::kColgroup || tag == Tag::kTbody ||
          tag == Tag::kTfoot || tag == Tag::kThead || tag == Tag::kTr) {
        if (!in_scope(Tag::kTr, Scope::kTable)) return true;
        clear_to_context({Tag::kTr});
        pop();
        mode_ = Mode::kInTableBody;
        html_start_tag(tag, hash, a, t);
        return true;
      }
    }
    if (mode_ == Mode::kInTableBody) {
      if (tag == Tag::kTr) {
        clear_to_context({Tag::kTbody, Tag::kTfoot, Tag::kThead});
        if (insert_html(tag, a) >= 0) mode_ = Mode::kInRow;
        return true;
      }
      if (tag == Tag::kTd || tag == Tag::kTh) {
        clear_to_context({Tag::kTbody, Tag::kTfoot, Tag::kThead});
        if (insert_html(Tag::kTr, ElementAttributes{}) >= 0) {
          mode_ = Mode::kInRow;
          html_start_tag(tag, hash, a, t);
        }
        return true;
      }
      if (tag == Tag::kCaption || tag == Tag::kCol || tag == Tag::kColgroup || tag == Tag::kTbody ||
          tag == Tag::kTfoot || tag == Tag::kThead) {
        if (!in_scope(Tag::kTbody, Scope::kTable) && !in_scope(Tag::kThead, Scope::kTable) &&
            !in_scope(Tag::kTfoot, Scope::kTable)) {
          return true;
        }
        clear_to_context({Tag::kTbody, Tag::kTfoot, Tag::kThead});
        pop();
        mode_ = Mode::kInTable;
        html_start_tag(tag, hash, a, t);
        return true;
      }
    }
    // In table.
    switch (tag) {
      case Tag::kCaption:
        clear_to_context({Tag::kTable});
        push_marker();
        if (insert_html(tag, a) >= 0) mode_ = Mode::kInCaption;
        return true;
      case Tag::kColgroup:
        clear_to_context({Tag::kTable});
        if (insert_html(tag, a) >= 0) mode_ = Mode::kInColumnGroup;
        return true;
      case Tag::kCol:
        clear_to_context({Tag::kTable});
        if (insert_html(Tag::kColgroup, ElementAttributes{}) >= 0) {
          mode_ = Mode::kInColumnGroup;
          html_start_tag(tag, hash, a, t);
        }
        return true;
      case Tag::kTbody:
      case Tag::kTfoot:
      case Tag::kThead:
        clear_to_context({Tag::kTable});
        if (insert_html(tag, a) >= 0) mode_ = Mode::kInTableBody;
        return true;
      case Tag::kTd:
      case Tag::kTh:
      case Tag::kTr:
        clear_to_context({Tag::kTable});
        if (insert_html(Tag::kTbody, ElementAttributes{}) >= 0) {
          mode_ = Mode::kInTableBody;
          html_start_tag(tag, hash, a, t);
        }
        return true;
      case Tag::kTable:
        if (!in_scope(Tag::kTable, Scope::kTable)) return true;
        pop_until(Tag::kTable);
        reset_mode();
        html_start_tag(tag, hash, a, t);
        return true;
      case Tag::kStyle:
      case Tag::kScript:
      case Tag::kTemplate:
        return false;  // in head rules, same as in body for what we keep
      case Tag::kInput:
        if (!iequals(trim(a.type), "hidden")) return false;
        insert_html(tag, a);
        return true;
      case Tag::kForm:
        if (form_open_) return true;
        if (insert_html(tag, a) >= 0) {
          form_open_ = true;
          pop();
        }
        return true;
      default:
        return false;  // foster parenting, approximated at the current node
    }
  }

  // §13.2.6.4.16 in select.
  void in_select_start(Tag tag, std::uint64_t hash, const ElementAttributes& a, const HtmlToken& t) {
    switch (tag) {
      case Tag::kHtml:
        return;
      case Tag::kOption:
        if (is(stack_.back(), Tag::kOption)) pop();
        insert_html(tag, a);
        return;
      case Tag::kOptgroup:
      case Tag::kHr:
        if (is(stack_.back(), Tag::kOption)) pop();
        if (is(stack_.back(), Tag::kOptgroup)) pop();
        insert_html(tag, a);
        return;
      case Tag::kSelect:
        if (in_scope(Tag::kSelect, Scope::kSelect)) {
          pop_until(Tag::kSelect);
          reset_mode();
        }
        return;
      case Tag::kInput:
      case Tag::kKeygen:
      case Tag::kTextarea:
        if (!in_scope(Tag::kSelect, Scope::kSelect)) return;
        pop_until(Tag::kSelect);
        reset_mode();
        html_start_tag(tag, hash, a, t);
        return;
      case Tag::kScript:
      case Tag::kTemplate:
        in_body_start(tag, hash, a, t);
        return;
      default:
        return;  // parse error, ignored
    }
  }

  void raw_text_element(Tag tag, const ElementAttributes& a, HtmlTextState state) {
    if (insert_html(tag, a) >= 0) tokenizer_.set_text_state(state);
  }

  // Would these body attributes make anything hidden (colours, display, visibility...)?
  static bool changes_visibility(const ElementAttributes& a) {
    if (a.hidden) return true;
    if (!a.bgcolor.empty() && parse_legacy_colour(a.bgcolor) != kUnknownColour) return true;
    if (!a.text.empty() && parse_legacy_colour(a.text) != kUnknownColour) return true;
    if (a.style.empty()) return false;
    Style st;
    bool display_set = false;
    apply_inline_style(a.style, st, display_set);
    return st.hard_reason != nullptr || st.visibility_hidden || st.font_zero || st.colour != kUnknownColour ||
           st.background != kUnknownColour;
  }

  void merge_root_attributes(std::size_t index, const HtmlToken& t, std::vector<std::string>& seen) {
    // §13.2.6.4.7 "html"/"body": attributes not already on the element are added to it.
    std::vector<HtmlAttribute> fresh;
    for (const HtmlAttribute& attr : t.attributes) {
      if (std::find(seen.begin(), seen.end(), attr.name) != seen.end()) continue;
      seen.emplace_back(attr.name);
      fresh.push_back(attr);
    }
    if (fresh.empty()) return;
    const ElementAttributes a = pick_attributes(fresh);
    if (index == 1) {
      for (const HtmlAttribute& attr : fresh) merged_body_.emplace_back(attr.name, attr.value);
      if (body_content_ && changes_visibility(a)) late_body_style_ = true;
    }
    enter(stack_[index], a);
  }

  // §13.2.6.4.7 in body (with the in head rules for head elements folded in).
  void in_body_start(Tag tag, std::uint64_t hash, const ElementAttributes& a, const HtmlToken& t) {
    switch (tag) {
      case Tag::kHtml:
        merge_root_attributes(0, t, html_attributes_);
        return;
      case Tag::kBody:
        frameset_ok_ = false;
        merge_root_attributes(1, t, body_attributes_);
        return;
      case Tag::kHead:
      case Tag::kCaption:
      case Tag::kCol:
      case Tag::kColgroup:
      case Tag::kFrame:
      case Tag::kTbody:
      case Tag::kTd:
      case Tag::kTfoot:
      case Tag::kTh:
      case Tag::kThead:
      case Tag::kTr:
        return;  // parse error, ignored
      case Tag::kFrameset:
        if (!frameset_ok_) return;
        while (stack_.size() > 2) pop();
        if (insert_html(tag, a) >= 0) mode_ = Mode::kInFrameset;
        return;
      case Tag::kBase:
      case Tag::kBasefont:
      case Tag::kBgsound:
      case Tag::kLink:
      case Tag::kMeta:
        insert_html(tag, a);
        return;
      case Tag::kTitle:
        raw_text_element(tag, a, HtmlTextState::kRcdata);
        return;
      case Tag::kStyle:
      case Tag::kNoframes:
        raw_text_element(tag, a, HtmlTextState::kRawtext);
        return;
      case Tag::kScript:
        raw_text_element(tag, a, HtmlTextState::kScriptData);
        return;
      case Tag::kTemplate:
        push_marker();
        insert_html(tag, a);
        return;
      case Tag::kH1:
      case Tag::kH2:
      case Tag::kH3:
      case Tag::kH4:
      case Tag::kH5:
      case Tag::kH6:
        close_p_in_button_scope();
        if (has(stack_.back().tag, kHeading) && stack_.back().ns == Ns::kHtml) pop();
        insert_html(tag, a);
        return;
      case Tag::kPre:
      case Tag::kListing:
        close_p_in_button_scope();
        frameset_ok_ = false;
        insert_html(tag, a);
        return;
      case Tag::kForm:
        if (form_open_ && counts_[static_cast<std::size_t>(Tag::kTemplate)] == 0) return;
        close_p_in_button_scope();
        if (insert_html(tag, a) >= 0 && counts_[static_cast<std::size_t>(Tag::kTemplate)] == 0) form_open_ = true;
        return;
      case Tag::kLi:
      case Tag::kDd:
      case Tag::kDt: {
        frameset_ok_ = false;
        for (std::size_t i = stack_.size(); i-- > 2;) {
          const Element& node = stack_[i];
          const bool match = node.ns == Ns::kHtml &&
                             (tag == Tag::kLi ? node.tag == Tag::kLi : (node.tag == Tag::kDd || node.tag == Tag::kDt));
          if (match) {
            const Tag found = node.tag;
            generate_implied_end_tags(found);
            pop_until(found);
            break;
          }
          if (node.ns == Ns::kHtml && has(node.tag, kSpecial) && node.tag != Tag::kAddress &&
              node.tag != Tag::kDiv && node.tag != Tag::kP) {
            break;
          }
        }
        close_p_in_button_scope();
        insert_html(tag, a);
        return;
      }
      case Tag::kPlaintext:
        close_p_in_button_scope();
        raw_text_element(tag, a, HtmlTextState::kPlaintext);
        return;
      case Tag::kButton:
        if (in_scope(Tag::kButton)) {
          generate_implied_end_tags();
          pop_until(Tag::kButton);
        }
        reconstruct();
        frameset_ok_ = false;
        insert_html(tag, a);
        return;
      case Tag::kA: {
        const long fi = find_formatting(Tag::kA);
        if (fi >= 0) {
          const std::uint32_t id = formatting_[static_cast<std::size_t>(fi)].element_id;
          adoption_agency(Tag::kA);
          for (std::size_t i = 0; i < formatting_.size(); ++i) {
            if (!formatting_[i].marker && formatting_[i].element_id == id) {
              formatting_.erase(formatting_.begin() + static_cast<std::ptrdiff_t>(i));
              break;
            }
          }
          const long si = stack_index_of(id);
          if (si >= 2) remove_at(static_cast<std::size_t>(si));
        }
        reconstruct();
        const long at = insert_html(tag, a);
        if (at >= 0) push_formatting(static_cast<std::size_t>(at), tag, a);
        return;
      }
      case Tag::kNobr:
        reconstruct();
        if (in_scope(Tag::kNobr)) {
          adoption_agency(Tag::kNobr);
          reconstruct();
        }
        [[fallthrough]];
      case Tag::kB:
      case Tag::kBig:
      case Tag::kCode:
      case Tag::kEm:
      case Tag::kFont:
      case Tag::kI:
      case Tag::kS:
      case Tag::kSmall:
      case Tag::kStrike:
      case Tag::kStrong:
      case Tag::kTt:
      case Tag::kU: {
        if (tag != Tag::kNobr) reconstruct();
        const long at = insert_html(tag, a);
        if (at >= 0) push_formatting(static_cast<std::size_t>(at), tag, a);
        return;
      }
      case Tag::kApplet:
      case Tag::kMarquee:
      case Tag::kObject:
        reconstruct();
        frameset_ok_ = false;
        if (insert_html(tag, a) >= 0) push_marker();
        return;
      case Tag::kTable:
        if (!quirks_) close_p_in_button_scope();
        frameset_ok_ = false;
        if (insert_html(tag, a) >= 0) mode_ = Mode::kInTable;
        return;
      case Tag::kArea:
      case Tag::kBr:
      case Tag::kEmbed:
      case Tag::kImg:
      case Tag::kKeygen:
      case Tag::kWbr:
        reconstruct();
        frameset_ok_ = false;
        insert_html(tag, a);
        return;
      case Tag::kInput:
        reconstruct();
        if (!iequals(trim(a.type), "hidden")) frameset_ok_ = false;
        insert_html(tag, a);
        return;
      case Tag::kParam:
      case Tag::kSource:
      case Tag::kTrack:
        insert_html(tag, a);
        return;
      case Tag::kHr:
        close_p_in_button_scope();
        frameset_ok_ = false;
        insert_html(tag, a);
        return;
      case Tag::kTextarea:
        frameset_ok_ = false;
        raw_text_element(tag, a, HtmlTextState::kRcdata);
        return;
      case Tag::kXmp:
        close_p_in_button_scope();
        reconstruct();
        frameset_ok_ = false;
        raw_text_element(tag, a, HtmlTextState::kRawtext);
        return;
      case Tag::kIframe:
        frameset_ok_ = false;
        raw_text_element(tag, a, HtmlTextState::kRawtext);
        return;
      case Tag::kNoembed:
        raw_text_element(tag, a, HtmlTextState::kRawtext);
        return;
      case Tag::kSelect:
        reconstruct();
        frameset_ok_ = false;
        if (insert_html(tag, a) >= 0) {
          mode_ = (mode_ == Mode::kInTable || mode_ == Mode::kInTableBody || mode_ == Mode::kInRow ||
                   mode_ == Mode::kInCell || mode_ == Mode::kInCaption)
                      ? Mode::kInSelectInTable
                      : Mode::kInSelect;
        }
        return;
      case Tag::kOptgroup:
      case Tag::kOption:
        if (is(stack_.back(), Tag::kOption)) pop();
        reconstruct();
        insert_html(tag, a);
        return;
      case Tag::kRb:
      case Tag::kRtc:
        if (in_scope(Tag::kRuby)) generate_implied_end_tags();
        insert_html(tag, a);
        return;
      case Tag::kRp:
      case Tag::kRt:
        if (in_scope(Tag::kRuby)) generate_implied_end_tags(Tag::kRtc);
        insert_html(tag, a);
        return;
      case Tag::kMath:
      case Tag::kSvg: {
        reconstruct();
        const long at = insert(tag, tag == Tag::kSvg ? Ns::kSvg : Ns::kMathml, 0, a);
        if (at >= 0 && t.self_closing) pop();
        return;
      }
      default:
        if (has(tag, kClosesP)) {
          close_p_in_button_scope();
          insert_html(tag, a);
          return;
        }
        // Any other start tag (noscript included: scripting is off in a mail reader).
        reconstruct();
        insert_html(tag, a, hash);
        return;
    }
  }

  bool matches(const Element& e, Tag tag, std::uint64_t hash) const {
    return e.tag == tag && (tag != Tag::kUnknown || e.hash == hash);
  }

  void end_tag(std::string_view name) {
    const Tag tag = tag_of(name);
    const std::uint64_t hash = tag == Tag::kUnknown ? name_hash(name) : 0;
    if (is(stack_.back(), tag) && has(tag, kRawText) && tag != Tag::kPlaintext) {
      pop();  // §13.2.6.4.8 "text": the end tag the tokenizer found closes the raw text element
      return;
    }
    if (stack_.back().ns != Ns::kHtml) {
      // §13.2.6.5 end tags in foreign content.
      if (tag == Tag::kBr || tag == Tag::kP) {
        while (stack_.size() > 2 && stack_.back().ns != Ns::kHtml && !integration_point(stack_.back())) pop();
      } else {
        for (std::size_t i = stack_.size(); i-- > 2;) {
          if (matches(stack_[i], tag, hash) && stack_[i].ns != Ns::kHtml) {
            while (stack_.size() > i) pop();
            return;
          }
          if (stack_[i - 1].ns == Ns::kHtml) break;
        }
      }
    }
    html_end_tag(tag, hash);
  }

  void html_end_tag(Tag tag, std::uint64_t hash) {
    switch (mode_) {
      case Mode::kInFrameset:
        if (tag == Tag::kFrameset && is(stack_.back(), Tag::kFrameset)) pop();
        return;
      case Mode::kInSelect:
      case Mode::kInSelectInTable:
        if (mode_ == Mode::kInSelectInTable &&
            (tag == Tag::kCaption || tag == Tag::kTable || tag == Tag::kTbody || tag == Tag::kTfoot ||
             tag == Tag::kThead || tag == Tag::kTr || tag == Tag::kTd || tag == Tag::kTh)) {
          if (!in_scope(tag, Scope::kTable)) return;
          pop_until(Tag::kSelect);
          reset_mode();
          html_end_tag(tag, hash);
          return;
        }
        switch (tag) {
          case Tag::kOptgroup:
            if (is(stack_.back(), Tag::kOption) && stack_.size() > 3 && is(stack_[stack_.size() - 2], Tag::kOptgroup)) pop();
            if (is(stack_.back(), Tag::kOptgroup)) pop();
            return;
          case Tag::kOption:
            if (is(stack_.back(), Tag::kOption)) pop();
            return;
          case Tag::kSelect:
            if (!in_scope(Tag::kSelect, Scope::kSelect)) return;
            pop_until(Tag::kSelect);
            reset_mode();
            return;
          case Tag::kTemplate:
            break;
          default:
            return;
        }
        break;
      case Mode::kInTable:
      case Mode::kInTableBody:
      case Mode::kInRow:
        if (table_end(tag)) return;
        break;
      case Mode::kInCell:
        if (tag == Tag::kTd || tag == Tag::kTh) {
          if (!in_scope(tag, Scope::kTable)) return;
          generate_implied_end_tags();
          pop_until(tag);
          clear_to_last_marker();
          mode_ = Mode::kInRow;
          return;
        }
        if (tag == Tag::kBody || tag == Tag::kCaption || tag == Tag::kCol || tag == Tag::kColgroup ||
            tag == Tag::kHtml) {
          return;
        }
        if (tag == Tag::kTable || tag == Tag::kTbody || tag == Tag::kTfoot || tag == Tag::kThead ||
            tag == Tag::kTr) {
          if (!in_scope(tag, Scope::kTable)) return;
          close_cell();
          html_end_tag(tag, hash);
          return;
        }
        break;
      case Mode::kInCaption:
        if (tag == Tag::kCaption || tag == Tag::kTable) {
          if (!in_scope(Tag::kCaption, Scope::kTable)) return;
          generate_implied_end_tags();
          pop_until(Tag::kCaption);
          clear_to_last_marker();
          mode_ = Mode::kInTable;
          if (tag == Tag::kTable) html_end_tag(tag, hash);
          return;
        }
        if (tag == Tag::kBody || tag == Tag::kCol || tag == Tag::kColgroup || tag == Tag::kHtml ||
            tag == Tag::kTbody || tag == Tag::kTd || tag == Tag::kTfoot || tag == Tag::kTh ||
            tag == Tag::kThead || tag == Tag::kTr) {
          return;
        }
        break;
      case Mode::kInColumnGroup:
        if (tag == Tag::kColgroup) {
          if (is(stack_.back(), Tag::kColgroup)) {
            pop();
            mode_ = Mode::kInTable;
          }
          return;
        }
        if (tag == Tag::kCol) return;
        if (tag == Tag::kTemplate) break;
        if (!is(stack_.back(), Tag::kColgroup)) return;
        pop();
        mode_ = Mode::kInTable;
        html_end_tag(tag, hash);
        return;
      case Mode::kInBody:
        break;
    }
    in_body_end(tag, hash);
  }

  // §13.2.6.4.9/.13/.14 end tags; false for "anything else".
  bool table_end(Tag tag) {
    if (mode_ == Mode::kInRow) {
      if (tag == Tag::kTr) {
        if (!in_scope(Tag::kTr, Scope::kTable)) return true;
        clear_to_context({Tag::kTr});
        pop();
        mode_ = Mode::kInTableBody;
        return true;
      }
      if (tag == Tag::kTable || tag == Tag::kTbody || tag == Tag::kTfoot || tag == Tag::kThead) {
        if (tag != Tag::kTable && !in_scope(tag, Scope::kTable)) return true;
        if (!in_scope(Tag::kTr, Scope::kTable)) return true;
        clear_to_context({Tag::kTr});
        pop();
        mode_ = Mode::kInTableBody;
        html_end_tag(tag, 0);
        return true;
      }
      if (tag == Tag::kTd || tag == Tag::kTh) return true;
    }
    if (mode_ == Mode::kInTableBody) {
      if (tag == Tag::kTbody || tag == Tag::kTfoot || tag == Tag::kThead) {
        if (!in_scope(tag, Scope::kTable)) return true;
        clear_to_context({Tag::kTbody, Tag::kTfoot, Tag::kThead});
        pop();
        mode_ = Mode::kInTable;
        return true;
      }
      if (tag == Tag::kTable) {
        if (!in_scope(Tag::kTbody, Scope::kTable) && !in_scope(Tag::kThead, Scope::kTable) &&
            !in_scope(Tag::kTfoot, Scope::kTable)) {
          return true;
        }
        clear_to_context({Tag::kTbody, Tag::kTfoot, Tag::kThead});
        pop();
        mode_ = Mode::kInTable;
        html_end_tag(tag, 0);
        return true;
      }
      if (tag == Tag::kTd || tag == Tag::kTh || tag == Tag::kTr) return true;
    }
    switch (tag) {
      case Tag::kTable:
        if (!in_scope(Tag::kTable, Scope::kTable)) return true;
        pop_until(Tag::kTable);
        reset_mode();
        return true;
      case Tag::kBody:
      case Tag::kCaption:
      case Tag::kCol:
      case Tag::kColgroup:
      case Tag::kHtml:
      case Tag::kTbody:
      case Tag::kTd:
      case Tag::kTfoot:
      case Tag::kTh:
      case Tag::kThead:
      case Tag::kTr:
        return true;
      default:
        return false;
    }
  }

  void in_body_end(Tag tag, std::uint64_t hash) {
    switch (tag) {
      case Tag::kBody:
      case Tag::kHtml:
      case Tag::kHead:
        return;  // "after body" sends everything that follows back to in body
      case Tag::kTemplate:
        if (counts_[static_cast<std::size_t>(Tag::kTemplate)] == 0) return;
        generate_implied_end_tags();
        pop_until(Tag::kTemplate);
        clear_to_last_marker();
        reset_mode();
        return;
      case Tag::kForm: {
        const bool was_open = form_open_;
        form_open_ = false;
        if (!was_open || !in_scope(Tag::kForm)) return;
        generate_implied_end_tags();
        for (std::size_t i = stack_.size(); i-- > 2;) {
          if (is(stack_[i], Tag::kForm)) {
            remove_at(i);  // the form only: its still-open children stay (§13.2.6.4.7)
            break;
          }
        }
        return;
      }
      case Tag::kP:
        if (!in_scope(Tag::kP, Scope::kButton)) {
          // "</p>" without an open p: an empty p element.
          insert_html(Tag::kP, ElementAttributes{});
          close_p();
          return;
        }
        close_p();
        return;
      case Tag::kLi:
        if (!in_scope(Tag::kLi, Scope::kListItem)) return;
        generate_implied_end_tags(Tag::kLi);
        pop_until(Tag::kLi);
        return;
      case Tag::kDd:
      case Tag::kDt:
        if (!in_scope(tag)) return;
        generate_implied_end_tags(tag);
        pop_until(tag);
        return;
      case Tag::kH1:
      case Tag::kH2:
      case Tag::kH3:
      case Tag::kH4:
      case Tag::kH5:
      case Tag::kH6:
        if (!heading_in_scope()) return;
        generate_implied_end_tags();
        pop_until_heading();
        return;
      case Tag::kA:
      case Tag::kB:
      case Tag::kBig:
      case Tag::kCode:
      case Tag::kEm:
      case Tag::kFont:
      case Tag::kI:
      case Tag::kNobr:
      case Tag::kS:
      case Tag::kSmall:
      case Tag::kStrike:
      case Tag::kStrong:
      case Tag::kTt:
      case Tag::kU:
        if (adoption_agency(tag)) return;
        any_other_end_tag(tag, hash);
        return;
      case Tag::kApplet:
      case Tag::kMarquee:
      case Tag::kObject:
        if (!in_scope(tag)) return;
        generate_implied_end_tags();
        pop_until(tag);
        clear_to_last_marker();
        return;
      case Tag::kBr:
        // "</br>": parse error, treated as "<br>".
        reconstruct();
        frameset_ok_ = false;
        insert_html(Tag::kBr, ElementAttributes{});
        return;
      default:
        if (has(tag, kSpecial) && tag != Tag::kUnknown &&
            (has(tag, kClosesP) || tag == Tag::kButton || tag == Tag::kListing || tag == Tag::kPre)) {
          if (!in_scope(tag)) return;
          generate_implied_end_tags();
          pop_until(tag);
          return;
        }
        any_other_end_tag(tag, hash);
        return;
    }
  }

  void any_other_end_tag(Tag tag, std::uint64_t hash) {
    for (std::size_t i = stack_.size(); i-- > 2;) {
      const Element& node = stack_[i];
      if (node.ns == Ns::kHtml && matches(node, tag, hash)) {
        generate_implied_end_tags(tag);
        while (stack_.size() > i) pop();
        return;
      }
      if (node.ns == Ns::kHtml && has(node.tag, kSpecial)) return;
    }
  }

  void finish() {
    while (stack_.size() > 2) pop();
    leave(stack_[1]);
    leave(stack_[0]);
    finish_content(out_);
  }

  // ---- What elements mean for the output (the former DOM walk)

  void add_link(std::string_view raw, UrlSource source) {
    raw = trim(raw);
    if (raw.empty() || out_.links.size() >= limits_.max_urls) return;
    out_.links.push_back(normalize_url(raw, source));
  }

  void text(std::string_view t) { text(stack_.back(), t); }
  void text(const Element& f, std::string_view t) {
    if (f.style_element) {
      css_.append(t);
      return;
    }
    if (f.title) {
      if (!title_done_) append_collapsed(out_.title, t, kMaxTitleBytes);
      return;
    }
    if (f.not_rendered) return;
    if (f.hidden_group >= 0) {
      append_collapsed(out_.hidden[static_cast<std::size_t>(f.hidden_group)].text, t, kMaxHiddenTextBytes);
      return;
    }
    if (f.style.reason() != nullptr) return;  // hidden, but the hidden list is full
    append_collapsed(sink(f), t, SIZE_MAX);
    if (f.link >= 0) append_collapsed(out_.links[static_cast<std::size_t>(f.link)].anchor_text, t, kMaxAnchorTextBytes);
  }

  void enter(Element& f, const ElementAttributes& a) {
    const Tag tag = f.tag;
    const bool html_ns = f.ns == Ns::kHtml;
    const bool style_allowed = f.depth <= limits_.max_html_depth;
    out_.event_handler_count += a.handlers;

    // Links. The anchor's href is added here because its anchor text is tied to it.
    const LinkElement link_kind = kLinkElements[static_cast<std::size_t>(tag)];
    if (link_kind == LinkElement::kAnchor && !trim(a.href).empty() && out_.links.size() < limits_.max_urls) {
      add_link(a.href, UrlSource::kHref);
      f.link = static_cast<std::int32_t>(out_.links.size()) - 1;
    }
    for_each_attribute_url(link_kind,
                           UrlAttributes{a.href, a.src, a.srcset, a.style, a.action, a.formaction,
                                         a.http_equiv, a.content, a.background, a.poster, a.data, a.cite},
                           [&](std::string_view raw, UrlSource source) { add_link(raw, source); });

    if (tag == Tag::kForm) f.form = open_form(out_, a.action, a.method, f.form);
    if (tag == Tag::kInput || tag == Tag::kTextarea || tag == Tag::kSelect) {
      count_form_control(out_, f.form, tag == Tag::kInput, a.type);
    }

    if (tag == Tag::kScript) ++out_.script_count;
    if (tag == Tag::kStyle) f.style_element = true;
    if (tag == Tag::kTitle && html_ns) f.title = true;
    if (has(tag, kNotRendered)) f.not_rendered = true;
    f.block = has(tag, kBlock) && html_ns;
    f.cell = (tag == Tag::kTd || tag == Tag::kTh) && html_ns;
    if (f.block) break_line(f);
    if (f.cell) separate(f);

    // Visibility: inline style and presentational attributes, unless past the depth limit.
    if (style_allowed) {
      const char* before = f.style.reason();
      apply_element_style(StyleAttributes{a.bgcolor, tag == Tag::kFont ? a.colour : std::string_view(),
                                          tag == Tag::kBody ? a.text : std::string_view(), a.style, a.hidden},
                          f.style);
      f.hidden_group = hidden_group_after_style(out_, f.hidden_group, before, f.style.reason(), f.not_rendered);
    }
  }

  void leave(const Element& f) {
    if (f.block) break_line(f);
    if (f.cell) separate(f);
    if (f.table_record >= 0) splice_foster_text(static_cast<std::size_t>(f.table_record));
    if (f.title && !title_done_ && !out_.title.empty()) title_done_ = true;
    if (f.tag == Tag::kStyle && !css_.empty()) {
      for_each_css_url(css_, [&](std::string_view u) { add_link(u, UrlSource::kCssUrl); });
      css_.clear();
    }
  }

  // The table closed: its foster-parented text goes where the table started. Each splice moves
  // the table's own text once; kMaxFosterMoveBytes bounds that work for hostile input, past which
  // foster text is appended after the table instead.
  void splice_foster_text(std::size_t index) {
    TableRecord& r = tables_[index];
    if (r.foster.empty()) return;
    std::string& target = r.sink >= 0 ? tables_[static_cast<std::size_t>(r.sink)].foster : out_.visible_text;
    const std::size_t position = std::min(r.position, target.size());
    std::string text = std::move(r.foster);
    r.foster.clear();
    foster_moved_ += target.size() - position;
    if (foster_moved_ > kMaxFosterMoveBytes) {
      append_collapsed(target, text, SIZE_MAX);
      return;
    }
    // The table that follows is a block: the foster text ends a line.
    while (!text.empty() && text.back() == ' ') text.pop_back();
    if (!text.empty() && text.back() != '\n') text.push_back('\n');
    if (position < target.size() && target[position] == '\n') text.pop_back();
    target.insert(position, text);
  }

  void break_line(const Element& f) {
    if (f.not_rendered || f.style.reason() != nullptr) {
      if (f.hidden_group >= 0) {
        append_collapsed(out_.hidden[static_cast<std::size_t>(f.hidden_group)].text, " ", kMaxHiddenTextBytes);
      }
      return;
    }
    line_break(sink(f));
    if (f.link >= 0) append_collapsed(out_.links[static_cast<std::size_t>(f.link)].anchor_text, " ", kMaxAnchorTextBytes);
  }

  void separate(const Element& f) {
    if (f.not_rendered || f.style.reason() != nullptr) return;
    append_collapsed(sink(f), " ", SIZE_MAX);
  }

  std::string_view input_;
  HtmlTokenizer tokenizer_;
  const Limits& limits_;
  HtmlContent& out_;
  std::vector<Element> stack_;
  std::array<std::uint32_t, kTagCount> counts_{};
  std::vector<FormattingEntry> formatting_;
  std::vector<std::string> html_attributes_;
  std::vector<std::string> body_attributes_;
  std::string css_;  // text of the open <style>, read for url() when it closes
  // The attributes of the start tag being read, reused from tag to tag (pick_attributes_into).
  ElementAttributes tag_attributes_;
  std::vector<TableRecord> tables_;
  std::size_t foster_moved_ = 0;
  std::size_t reconstructed_ = 0;
  std::vector<std::pair<std::string, std::string>> merged_body_;
  bool body_content_ = false;     // something was read into body (text or a body element)
  bool late_body_style_ = false;  // see needs_second_pass()
  bool fostering_ = false;
  std::uint32_t next_id_ = 1;
  std::size_t flatten_at_ = 0;
  Mode mode_ = Mode::kInBody;
  bool quirks_ = true;  // no DOCTYPE: quirks mode (§13.2.6.4.1)
  bool doctype_seen_ = false;
  bool seen_token_ = false;
  bool frameset_ok_ = true;
  bool form_open_ = false;  // the form element pointer is set
  bool title_done_ = false;
};

}  // namespace

HtmlContent extract_html(std::string_view utf8_html, const Limits& limits) {
  HtmlContent out;
  utf8_html = cut_to_limit(utf8_html, limits, out);
  const bool truncated = out.truncated;
  Builder builder(utf8_html, limits, out);
  builder.run();
  if (builder.needs_second_pass()) {
    // At most once, and only for the rare part whose <body bgcolor/text/style> follows content
    // (a known hiding trick: white text before <body bgcolor=white>).
    std::vector<HtmlAttribute> preset;
    for (const auto& [name, value] : builder.late_body_attributes()) preset.push_back(HtmlAttribute{name, value});
    HtmlContent again;
    again.truncated = truncated;
    Builder second(utf8_html, limits, again, preset);
    second.run();
    return again;
  }
  return out;
}

}  // namespace vigie::parse

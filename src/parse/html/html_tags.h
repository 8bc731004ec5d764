// The tag table of the HTML tree builder: the element names it tells apart (Tag), looked up in a
// hash table built at compile time (tag_of), the categories of the HTML Standard each belongs to
// (special, formatting, void, scope boundary, implied end tag...: TagFlag), and what each does with
// its URL attributes (kLinkElements, html_links.h). Constant data and pure lookups only, shared by
// the tree builder (html_tree_builder.cpp) and the content writer (html_content_writer.h).
// tag_of runs for every start and end tag of every HTML part: it stays inline.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "parse/html/html_links.h"

namespace vigie::parse::html {

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
inline constexpr std::size_t kTagCount = static_cast<std::size_t>(Tag::kCount);

struct TagName {
  std::string_view name;
  Tag tag;
};
// Every element name the builder tells apart (the lookup table of tag_of is built from it).
inline constexpr TagName kTagNames[] = {
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
inline constexpr std::size_t kMaxPackedName = 15;

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
inline constexpr std::size_t kTagSlots = 512;  // power of two, about four times the names: short probes

constexpr std::size_t tag_slot(const PackedName& p) {
  return static_cast<std::size_t>(((p.lo ^ (p.hi * 0x9E3779B97F4A7C15ull)) * 0xC2B2AE3D27D4EB4Full) >> 55) &
         (kTagSlots - 1);
}

static_assert(std::ranges::all_of(kTagNames, [](const TagName& t) { return t.name.size() <= kMaxPackedName; }));
inline constexpr std::array<TagSlot, kTagSlots> kTagTable = [] {
  std::array<TagSlot, kTagSlots> table{};
  for (const TagName& t : kTagNames) {
    std::size_t slot = tag_slot(pack_name(t.name));
    while (table[slot].tag != Tag::kUnknown) slot = (slot + 1) & (kTagSlots - 1);
    table[slot] = TagSlot{pack_name(t.name), t.tag};
  }
  return table;
}();

inline Tag tag_of(std::string_view name) {
  if (name.empty() || name.size() > kMaxPackedName) return Tag::kUnknown;
  const PackedName p = pack_name(name);
  for (std::size_t slot = tag_slot(p);; slot = (slot + 1) & (kTagSlots - 1)) {
    const TagSlot& s = kTagTable[slot];
    if (s.tag == Tag::kUnknown) return Tag::kUnknown;
    if (s.name.lo == p.lo && s.name.hi == p.hi) return s.tag;
  }
}

inline std::uint64_t name_hash(std::string_view name) {
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
  // The same list as the gumbo reference's (tests/html_reference), so that line breaks never
  // differ between the two and the differential test measures the tree building.
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
inline constexpr std::array<std::uint32_t, kTagCount> kTagFlags = make_tag_flags();

constexpr bool has(Tag t, std::uint32_t flag) {
  return (kTagFlags[static_cast<std::size_t>(t)] & flag) != 0;
}

// What each element does with its URL attributes (html_links.h), looked up by name at compile time.
inline constexpr std::array<LinkElement, kTagCount> kLinkElements = [] {
  std::array<LinkElement, kTagCount> kinds{};
  for (const TagName& t : kTagNames) kinds[static_cast<std::size_t>(t.tag)] = link_element(t.name);
  return kinds;
}();

// The namespace of an open element: HTML, or foreign content (§13.2.6.5) in SVG or MathML.
enum class Ns : std::uint8_t { kHtml, kSvg, kMathml };

}  // namespace vigie::parse::html

// The attributes of a start tag that the HTML tree builder and the content writer read (URLs,
// styles, presentational colours, form fields, the MathML encoding...), picked out of the
// tokenizer's attribute list into one ElementAttributes per tag, and kept past the token for the
// active formatting elements, which reopen with their attributes. Everything else a tag carries
// (class, width, align...) is dropped here. Inline: picking runs for every start tag.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "parse/html/html_tokenizer.h"

namespace vigie::parse::html {

// The attributes the tree builder reads. The names pick_attributes keeps are looked up in a table indexed by
// a hash of (length, first byte, last byte) that is checked at compile time to put each in a slot
// of its own: a start tag has a few attributes, most of which are not kept (class, width,
// align...), and a chain of string comparisons per attribute was a measurable share of the tree
// builder's time.
enum class AttributeKind : std::uint8_t {
  kNone, kHref, kSrc, kSrcset, kStyle, kAction, kFormaction, kHttpEquiv, kContent, kType, kMethod,
  kBackground, kPoster, kData, kCite, kBgcolor, kColour, kText, kFace, kSize, kEncoding, kHidden,
};

// The attributes the tree builder reads, picked out of a start tag once (first occurrence wins, as the
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
inline constexpr KeptAttribute kKeptAttributes[] = {
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
inline constexpr std::size_t kAttributeSlots = 64;
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
inline constexpr std::array<KeptAttribute, kAttributeSlots> kAttributeTable = make_attribute_table();

static_assert(std::ranges::all_of(kKeptAttributes, [](const KeptAttribute& a) {
  return a.name.size() >= 3 && a.name.size() <= 16;
}));

// name == kept, for a kept name of 3 to 16 bytes: two overlapping loads of 8, 4 or 2 bytes cover
// every byte, where a memcmp call per attribute was a visible share of the builder's time.
inline bool is_kept_name(std::string_view kept, std::string_view name) {
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

inline AttributeKind kept_attribute(std::string_view name) {
  if (name.empty()) return AttributeKind::kNone;
  const KeptAttribute& slot = kAttributeTable[attribute_slot(name)];
  return slot.kind != AttributeKind::kNone && is_kept_name(slot.name, name) ? slot.kind : AttributeKind::kNone;
}

// The field each kept attribute's value goes to (none for kNone and kHidden).
using AttributeField = std::string_view ElementAttributes::*;
inline constexpr std::array<AttributeField, static_cast<std::size_t>(AttributeKind::kHidden) + 1> kAttributeFields = {
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
inline void pick_attributes_into(std::span<const HtmlAttribute> attributes, ElementAttributes& a) {
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
inline ElementAttributes& copy_set_fields(const ElementAttributes& from, ElementAttributes& to) {
  for (std::uint32_t bits = from.set; bits != 0; bits &= bits - 1) {
    const AttributeField field = kAttributeFields[static_cast<std::size_t>(std::countr_zero(bits))];
    to.*field = from.*field;
  }
  to.set = from.set;
  to.handlers = from.handlers;
  to.hidden = from.hidden;
  return to;
}

inline ElementAttributes pick_attributes(std::span<const HtmlAttribute> attributes) {
  ElementAttributes a;
  pick_attributes_into(attributes, a);
  return a;
}

// Copies the views of a that do not point into input into storage (reserved once, so the views
// stay put), for attributes that must outlive the token (active formatting elements).
inline void keep_attributes(ElementAttributes& a, std::string_view input, std::unique_ptr<std::string>& storage) {
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

inline bool same_attributes(const ElementAttributes& x, const ElementAttributes& y) {
  return x.href == y.href && x.src == y.src && x.style == y.style && x.colour == y.colour &&
         x.bgcolor == y.bgcolor && x.face == y.face && x.size == y.size && x.hidden == y.hidden &&
         x.handlers == y.handlers && x.background == y.background && x.cite == y.cite;
}

}  // namespace vigie::parse::html

// The HTML tree builder: reads an HTML part the way a browser builds its tree, from the tokens of
// vigie's own WHATWG tokenizer (html_tokenizer.h, §13.2.5), but keeps only the stack of open
// elements, the list of active formatting elements and the insertion mode, never a tree. It
// decides which element each run of text belongs to and when elements open and close; what an
// element means for the output (text, links, forms, visibility) is the content writer's
// (html_content_writer.h), which it calls as elements are entered and left. Element names come
// from the tag table (html_tags.h), the attributes it reads from html_attributes.h;
// extract_html (html_extract.cpp) is the entry point.
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
// Bounds: nesting deeper than Limits::max_html_depth makes further start tags void (attributes
// kept, so links are still found), as Chromium stops nesting at 512; scope checks walk at most
// that deep and are skipped when a per-tag counter says the element is not open; input past
// kMaxHtmlElements start tags or max_html_bytes is cut (truncated=true); reconstruction of
// formatting elements has a budget of its own (so has the content writer's foster-text splicing).
#include "parse/html/html_tree_builder.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "parse/html/html_ascii.h"
#include "parse/html/html_attributes.h"
#include "parse/html/html_content_writer.h"
#include "parse/html/html_style.h"
#include "parse/html/html_tags.h"
#include "parse/html/html_tokenizer.h"

namespace vigie::parse::html {
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
      : input_(input), tokenizer_(input), writer_(input.size(), limits, out) {
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
    writer_.enter(stack_.back(), pick_attributes(preset_body));
  }

  // A <body> start tag came after body content and brought attributes that change visibility:
  // the DOM applies them to everything in body, including what was already read, so
  // extract_html reads the part again with them (late_body_attributes) set from the start.
  bool needs_second_pass() const { return late_body_style_; }
  LateBodyAttributes take_late_body_attributes() { return std::move(merged_body_); }

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
            writer_.mark_truncated();
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
    writer_.leave(stack_[i]);
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
      writer_.enter(stack_[fb + 1], *entry.attributes);
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
      e.table_record = writer_.open_table(e);
    }
    const bool flatten = !void_element && !has(tag, kRawText) && stack_.size() >= flatten_at_;
    if (void_element || flatten) {
      writer_.enter(e, attributes);
      writer_.leave(e);
      return -1;
    }
    push(e);
    writer_.enter(stack_.back(), attributes);
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
      writer_.text(fostered, t);
      return;
    }
    writer_.text(stack_.back(), t);
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
    writer_.enter(stack_[index], a);
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
    writer_.leave(stack_[1]);
    writer_.leave(stack_[0]);
    writer_.finish();
  }

  // Text at the current node.
  void text(std::string_view t) { writer_.text(stack_.back(), t); }

  std::string_view input_;
  HtmlTokenizer tokenizer_;
  ContentWriter writer_;
  std::vector<Element> stack_;
  std::array<std::uint32_t, kTagCount> counts_{};
  std::vector<FormattingEntry> formatting_;
  std::vector<std::string> html_attributes_;
  std::vector<std::string> body_attributes_;
  // The attributes of the start tag being read, reused from tag to tag (pick_attributes_into).
  ElementAttributes tag_attributes_;
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
};

}  // namespace

std::optional<LateBodyAttributes> build_tree(std::string_view input, const Limits& limits, HtmlContent& out,
                                             std::span<const HtmlAttribute> preset_body) {
  Builder builder(input, limits, out, preset_body);
  builder.run();
  if (!builder.needs_second_pass()) return std::nullopt;
  return builder.take_late_body_attributes();
}

}  // namespace vigie::parse::html

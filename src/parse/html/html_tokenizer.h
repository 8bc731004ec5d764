// The HTML tokenizer of the WHATWG HTML Living Standard (§13.2.5), without tree construction.
// It turns UTF-8 markup into character, start tag, end tag, comment and DOCTYPE tokens exactly
// where a browser's tokenizer would cut them (so "<a title='x>y' href=...>" or
// "<!-- --!> text" are read as a browser reads them), decoding character references (§13.2.5.72+,
// full named table, legacy names, the attribute-value rule, numeric references with their
// replacements) into UTF-8.
//
// The consumer is a tree builder (html_tree_builder.cpp): it pulls tokens with next() and, as §13.2.6
// requires, switches the tokenizer into RCDATA / RAWTEXT / script data / PLAINTEXT after the
// start tags that demand it, and tells it whether CDATA sections are allowed (foreign content).
// A pull interface is used rather than a callback because those switches must happen between two
// tokens.
//
// Views in a token point into the input when no decoding was needed, otherwise into buffers owned
// by the tokenizer; they stay valid until the next call to next(). No allocation per token once
// the scratch buffers have grown to the largest tag. Linear time, no recursion.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::parse {

enum class HtmlTokenKind : std::uint8_t {
  kCharacters,  // text (one run; a long text may come as several consecutive tokens)
  kStartTag,
  kEndTag,
  kComment,
  kDoctype,
  kEndOfFile,
};

struct HtmlAttribute {
  std::string_view name;   // lowercase
  std::string_view value;  // character references decoded
};

struct HtmlToken {
  HtmlTokenKind kind = HtmlTokenKind::kEndOfFile;
  // Characters: the text. Tags: the lowercase tag name. Comment: its data. DOCTYPE: its name.
  std::string_view data;
  std::span<const HtmlAttribute> attributes;  // start tags only; duplicates removed (first wins)
  bool self_closing = false;                  // "<br/>": acknowledged only in foreign content
  // DOCTYPE only (for the quirks-mode decision of §13.2.6.4.1).
  bool force_quirks = false;
  bool has_public_id = false;
  bool has_system_id = false;
  std::string_view public_id;
  std::size_t offset = 0;  // where the token starts in the input
};

// Text states the tree builder can put the tokenizer in (§13.2.5.1-5 and the "switch the
// tokenizer to ..." steps of §13.2.6.4).
enum class HtmlTextState : std::uint8_t {
  kData,
  kRcdata,      // title, textarea: character references, no tags
  kRawtext,     // style, xmp, iframe, noembed, noframes: neither
  kScriptData,  // script, with the escaped and double-escaped states of §13.2.5.4, .15-.31
  kPlaintext,   // plaintext: the rest of the input is text
};

class HtmlTokenizer {
 public:
  explicit HtmlTokenizer(std::string_view input);
  HtmlTokenizer(const HtmlTokenizer&) = delete;
  HtmlTokenizer& operator=(const HtmlTokenizer&) = delete;

  // Fills token with the next token; returns false once the end-of-file token has been returned.
  bool next(HtmlToken& token);

  // §13.2.6: switch state after a start tag. The "appropriate end tag" (§13.2.5.9 and siblings)
  // is the last start tag the tokenizer emitted.
  void set_text_state(HtmlTextState state) { text_state_ = state; }
  // §13.2.5.42: "<![CDATA[" opens a CDATA section only when the adjusted current node is not in
  // the HTML namespace; elsewhere it is a bogus comment, as in browsers.
  void set_cdata_allowed(bool allowed) { cdata_allowed_ = allowed; }

  std::size_t position() const { return pos_; }

  // Most attributes kept per tag: the rest are parsed (so the tag ends where a browser ends it)
  // and dropped. Keeps the duplicate check (first wins, §13.2.5.33) linear per tag.
  static constexpr std::size_t kMaxAttributes = 256;
  // Up to this many attributes, a new name is compared with each earlier one; past it, the
  // earlier names go through a bit filter first.
  static constexpr std::size_t kDirectlyComparedAttributes = 8;

 private:
  // Where an attribute name or value lives while a tag is being read: the input or scratch_
  // (which may reallocate while the tag grows, hence offsets rather than pointers).
  struct Slice {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    bool in_scratch = false;
  };
  struct PendingAttribute {
    Slice name;
    Slice value;
    bool dropped = false;  // duplicate or over kMaxAttributes
  };

  bool lex_text(HtmlToken& token);
  bool lex_rawish(HtmlToken& token, bool references);
  bool lex_script(HtmlToken& token);
  bool lex_tag_open(HtmlToken& token);
  bool lex_tag(HtmlToken& token, std::size_t start, bool end_tag);
  bool lex_markup_declaration(HtmlToken& token, std::size_t start);
  bool lex_comment(HtmlToken& token, std::size_t start, std::size_t body);
  bool lex_bogus_comment(HtmlToken& token, std::size_t start, std::size_t body);
  bool lex_doctype(HtmlToken& token, std::size_t start, std::size_t body);
  bool emit_characters(HtmlToken& token, std::size_t start, std::size_t end, bool replace_nul);
  bool emit_eof(HtmlToken& token);
  // Is input_[at...] "</name" of the appropriate end tag followed by a tag-ending character?
  bool appropriate_end_tag_at(std::size_t at) const;
  // §13.2.5.72-80: consumes a character reference at input_[pos_] == '&' and appends its
  // replacement (or the characters as written) to out.
  void consume_character_reference(std::string& out, bool in_attribute);
  std::string_view resolve(const Slice& slice) const;
  void finish_attribute_name();

  std::string_view input_;
  std::size_t pos_ = 0;
  HtmlTextState text_state_ = HtmlTextState::kData;
  bool cdata_allowed_ = false;
  bool eof_emitted_ = false;
  // The appropriate end tag's name: a view into the input, or into last_start_tag_copy_ when the
  // name had to be lowercased (raw text elements have short names).
  std::string_view last_start_tag_;
  char last_start_tag_copy_[16] = {};
  std::string scratch_;  // decoded tag names, attribute names and values of the current tag
  std::string text_;     // decoded character references and NUL replacements of the current token
  std::vector<PendingAttribute> pending_;
  std::vector<HtmlAttribute> attributes_;
  // Filters of the names already on the current tag, for the duplicate check
  // (finish_attribute_name): a cheap one for the first names, a full hash past them.
  std::uint64_t short_name_filter_ = 0;
  std::array<std::uint64_t, 4> attribute_bloom_{};
};

}  // namespace vigie::parse

// Address lists of From, Sender, Reply-To, To, Cc, Bcc and their Resent- forms (RFC 5322 §3.4,
// obsolete syntax §4.4, UTF-8 per RFC 6532). Owns the lexing of the field into words, quoted
// strings, comments, domain literals and specials, the split into mailboxes and groups, and the
// recovery rules that reproduce what mail clients display for broken input (missing angle
// brackets, unclosed '<', ';' used as a separator, specials in unquoted display names). It also
// detects the display-name spoofing trick where an RFC 2047 encoded-word decodes to text holding
// '@', '<', '>', ',' or ';': the reader sees an address that is not the one mail goes to.
#include <algorithm>
#include <string>
#include <vector>

#include "parse/encoding/charset.h"
#include "parse/encoding/rfc2047.h"
#include "parse/headers/header_grammar.h"
#include "parse/headers/header_lexer.h"

namespace vigie::parse {
namespace {

// Most mailboxes returned for one field; a hostile To: can hold far more.
constexpr std::size_t kMaxMailboxes = 1000;

enum class Kind { kWord, kQuoted, kComment, kLiteral, kSpecial };

struct Token {
  Kind kind = Kind::kWord;
  char ch = 0;             // for kSpecial
  std::string text;        // content: unquoted, comment text, literal without brackets
  bool space_before = false;
};

bool is_special(const Token& t, char c) { return t.kind == Kind::kSpecial && t.ch == c; }
bool is_wordish(const Token& t) { return t.kind == Kind::kWord || t.kind == Kind::kQuoted; }

// RFC 5322 §3.2.3 specials that delimit words here; '"', '(', '[' open their own tokens.
bool delimits_word(char c) {
  switch (c) {
    case '(': case ')': case '<': case '>': case '[': case ':': case ';': case '@': case ',':
    case '.': case '"':
      return true;
    default:
      return detail::is_space(c);
  }
}

std::vector<Token> lex(std::string_view s, bool& malformed) {
  std::vector<Token> out;
  const std::size_t last_close = s.rfind(']');
  bool space = false;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (detail::is_space(c)) {
      space = true;
      ++i;
      continue;
    }
    Token t;
    t.space_before = space;
    space = false;
    if (c == '(') {
      t.kind = Kind::kComment;
      detail::skip_comment(s, i, &t.text, malformed);
    } else if (c == '"') {
      t.kind = Kind::kQuoted;
      detail::read_quoted_string(s, i, t.text, malformed);
    } else if (c == '[' && last_close != std::string_view::npos && last_close > i) {
      // RFC 5322 §3.4.1 domain literal; quoted-pairs are obsolete (§4.4) but resolved.
      t.kind = Kind::kLiteral;
      for (++i; i < s.size() && s[i] != ']'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        if (!detail::is_space(s[i])) t.text.push_back(s[i]);
      }
      ++i;
    } else if (c == ')') {
      malformed = true;  // stray close: no meaning, dropped
      ++i;
      continue;
    } else if (c == '<' || c == '>' || c == ':' || c == ';' || c == '@' || c == ',' ||
               c == '.') {
      t.kind = Kind::kSpecial;
      t.ch = c;
      ++i;
    } else {
      // atext, 8-bit UTF-8 (RFC 6532 §3.2) and, leniently, a backslash or an unmatched '['.
      t.kind = Kind::kWord;
      t.text.push_back(c);
      if (c == '\\' || c == '[') malformed = true;
      for (++i; i < s.size() && !delimits_word(s[i]); ++i) t.text.push_back(s[i]);
    }
    out.push_back(std::move(t));
  }
  return out;
}

bool needs_text_decoding(std::string_view v) {
  if (v.find("=?") != std::string_view::npos) return true;
  return std::any_of(v.begin(), v.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// True when one of the encoded-words in raw decodes to an address delimiter. Each candidate
// "=?charset?enc?text?=" is decoded on its own so that delimiters written literally around it do
// not count; the scan resumes after each candidate, so the work is linear.
bool encoded_word_reveals_delimiter(std::string_view raw) {
  std::size_t pos = 0;
  while ((pos = raw.find("=?", pos)) != std::string_view::npos) {
    const std::size_t q1 = raw.find('?', pos + 2);
    if (q1 == std::string_view::npos) break;
    const std::size_t q2 = raw.find('?', q1 + 1);
    if (q2 == std::string_view::npos) break;
    std::size_t end = raw.find("?=", q2 + 1);
    end = end == std::string_view::npos ? raw.size() : end + 2;
    std::string decoded;
    const EncodedWordStats st = decode_encoded_words(raw.substr(pos, end - pos), decoded);
    if (st.words > 0 && decoded.find_first_of("@<>,;") != std::string::npos) return true;
    pos = end;
  }
  return false;
}

// Text shown for a display name, group name or comment: RFC 2047 §5 decoding (also inside
// quoted strings, which RFC 2047 forbids but every major client decodes) and raw 8-bit text
// converted to UTF-8.
std::string decode_display(std::string_view raw, AddressList& list) {
  if (!needs_text_decoding(raw)) return std::string(detail::trim(raw));
  if (encoded_word_reveals_delimiter(raw)) list.encoded_word_hides_address = true;
  std::string out;
  decode_encoded_words(raw, out);
  return std::string(detail::trim(out));
}

// Raw phrase text of tokens [b, e) as a client renders it: quoted strings unquoted, comments
// dropped (they are not part of the phrase, §3.2.2) but separating, one space where the source
// had whitespace. Specials other than '.' (obs-phrase, §4.1) are kept and reported.
std::string phrase_text(const std::vector<Token>& t, std::size_t b, std::size_t e,
                        bool& malformed) {
  std::string out;
  bool separate = false;
  for (std::size_t k = b; k < e; ++k) {
    const Token& tk = t[k];
    if (tk.kind == Kind::kComment) {
      separate = true;
      continue;
    }
    if (!out.empty() && (separate || tk.space_before)) out.push_back(' ');
    separate = false;
    switch (tk.kind) {
      case Kind::kWord:
      case Kind::kQuoted:
        out += tk.text;
        break;
      case Kind::kLiteral:
        out += '[' + tk.text + ']';
        break;
      case Kind::kSpecial:
        if (tk.ch != '.') malformed = true;
        out.push_back(tk.ch);
        break;
      case Kind::kComment:
        break;
    }
  }
  return out;
}

const Token* first_comment(const std::vector<Token>& t, std::size_t b, std::size_t e) {
  for (std::size_t k = b; k < e; ++k) {
    if (t[k].kind == Kind::kComment) return &t[k];
  }
  return nullptr;
}

bool has_content(const std::vector<Token>& t, std::size_t b, std::size_t e) {
  for (std::size_t k = b; k < e; ++k) {
    if (t[k].kind != Kind::kComment) return true;
  }
  return false;
}

// Checks that the non-comment tokens of [b, e) alternate word '.' word ... (dot-atom, or the
// obs-local-part / obs-domain of §4.4 where CFWS may surround the dots).
bool dotted(const std::vector<Token>& t, std::size_t b, std::size_t e, bool allow_quoted) {
  bool expect_word = true;
  bool any = false;
  for (std::size_t k = b; k < e; ++k) {
    const Token& tk = t[k];
    if (tk.kind == Kind::kComment) continue;
    any = true;
    const bool word = tk.kind == Kind::kWord || (allow_quoted && tk.kind == Kind::kQuoted);
    if (expect_word != word) return false;
    if (!word && !is_special(tk, '.')) return false;
    expect_word = !expect_word;
  }
  return any && !expect_word;
}

// Concatenates local-part or domain tokens with CFWS removed (§4.4: it is not part of the
// value). Literals keep their brackets unless they are the whole domain.
std::string concat(const std::vector<Token>& t, std::size_t b, std::size_t e) {
  std::string out;
  for (std::size_t k = b; k < e; ++k) {
    const Token& tk = t[k];
    switch (tk.kind) {
      case Kind::kWord:
      case Kind::kQuoted:
        out += tk.text;
        break;
      case Kind::kLiteral:
        out += '[' + tk.text + ']';
        break;
      case Kind::kSpecial:
        out.push_back(tk.ch);
        break;
      case Kind::kComment:
        break;
    }
  }
  return out;
}

// RFC 6532 allows UTF-8 in addresses; other 8-bit bytes are converted as a client would.
std::string to_utf8(std::string s) {
  if (is_valid_utf8(s)) return s;
  std::string out;
  convert_to_utf8(s, "", out);
  return out;
}

class Parser {
 public:
  Parser(const std::vector<Token>& t, AddressList& list) : t_(t), list_(list) {}

  // Builds the mailbox of one list element, tokens [b, e), top-level separators excluded.
  void element(std::size_t b, std::size_t e, const std::string& group) {
    if (!has_content(t_, b, e)) {
      // Empty list elements are allowed by obs-addr-list / obs-mbox-list (§4.4).
      return;
    }
    if (list_.mailboxes.size() >= kMaxMailboxes) {
      list_.malformed = true;
      full_ = true;
      return;
    }
    Mailbox mb;
    mb.group = group;
    std::size_t lt = e;
    for (std::size_t k = b; k < e; ++k) {
      if (is_special(t_[k], '<')) {
        lt = k;
        break;
      }
    }
    if (lt < e) {
      angle_form(b, lt, e, mb);
    } else {
      bare_form(b, e, mb);
    }
    mb.local_part = to_utf8(std::move(mb.local_part));
    mb.domain = to_utf8(std::move(mb.domain));
    list_.mailboxes.push_back(std::move(mb));
  }

  bool full() const { return full_; }

 private:
  void set_display(std::size_t b, std::size_t e, std::size_t tb, std::size_t te, Mailbox& mb) {
    const std::string raw = phrase_text(t_, b, e, list_.malformed);
    if (!raw.empty()) {
      mb.display_name = decode_display(raw, list_);
      return;
    }
    // No phrase: the name is the comment, the RFC 822 "user@host (Real Name)" style that
    // clients still display. RFC 2047 §5(1) allows encoded-words in comments.
    const Token* c = first_comment(t_, b, e);
    if (!c) c = first_comment(t_, tb, te);
    if (c) mb.display_name = decode_display(c->text, list_);
  }

  void check_local(std::size_t b, std::size_t e) {
    const std::string raw = concat(t_, b, e);
    // RFC 2047 §5 forbids encoded-words in addr-spec; clients that decode them anyway show a
    // different address than the one delivered to.
    if (raw.find("=?") != std::string::npos && encoded_word_reveals_delimiter(raw)) {
      list_.encoded_word_hides_address = true;
    }
  }

  // Splits [b, e) at its last '@' into local part and domain. The last '@' is where MTAs split
  // "a@b@c" too, so the result is the delivered address.
  void addr_spec(std::size_t b, std::size_t e, Mailbox& mb) {
    std::size_t at = e;
    for (std::size_t k = e; k > b; --k) {
      if (is_special(t_[k - 1], '@')) {
        at = k - 1;
        break;
      }
    }
    if (at == e) {
      list_.malformed = true;  // no domain (§3.4.1 requires one)
      mb.local_part = concat(t_, b, e);
      check_local(b, e);
      return;
    }
    if (!dotted(t_, b, at, true)) list_.malformed = true;
    mb.local_part = concat(t_, b, at);
    check_local(b, at);
    std::size_t lit = e;
    std::size_t count = 0;
    for (std::size_t k = at + 1; k < e; ++k) {
      if (t_[k].kind == Kind::kComment) continue;
      ++count;
      if (t_[k].kind == Kind::kLiteral) lit = k;
    }
    if (count == 1 && lit < e) {
      mb.domain = t_[lit].text;  // §3.4.1 domain-literal, stored without brackets
    } else {
      if (!dotted(t_, at + 1, e, false)) list_.malformed = true;
      mb.domain = concat(t_, at + 1, e);
    }
  }

  // [phrase] "<" [obs-route] addr-spec ">" (§3.4, §4.4).
  void angle_form(std::size_t b, std::size_t lt, std::size_t e, Mailbox& mb) {
    std::size_t gt = e;
    for (std::size_t k = lt + 1; k < e; ++k) {
      if (is_special(t_[k], '>')) {
        gt = k;
        break;
      }
    }
    if (gt == e) list_.malformed = true;  // unclosed '<': runs to the end of the element
    const std::size_t tail = gt == e ? e : gt + 1;
    if (has_content(t_, tail, e)) list_.malformed = true;  // text after '>'
    set_display(b, lt, tail, e, mb);

    std::size_t ab = lt + 1;
    while (ab < gt && t_[ab].kind == Kind::kComment) ++ab;
    if (ab < gt && is_special(t_[ab], '@')) {
      // obs-route "@relay1,@relay2:" (§4.4): source routing, ignored by delivery today.
      std::size_t colon = gt;
      for (std::size_t k = ab; k < gt; ++k) {
        if (is_special(t_[k], ':')) {
          colon = k;
          break;
        }
      }
      if (colon < gt) {
        ab = colon + 1;
      } else {
        list_.malformed = true;
      }
    }
    if (!has_content(t_, ab, gt)) {
      list_.malformed = true;  // "<>": no address
      return;
    }
    addr_spec(ab, gt, mb);
  }

  // addr-spec without angle brackets, possibly preceded by words (a display name whose brackets
  // were forgotten) and followed by a comment.
  void bare_form(std::size_t b, std::size_t e, Mailbox& mb) {
    std::size_t at = e;
    for (std::size_t k = e; k > b; --k) {
      if (is_special(t_[k - 1], '@')) {
        at = k - 1;
        break;
      }
    }
    if (at == e) {
      list_.malformed = true;
      std::size_t words = 0;
      for (std::size_t k = b; k < e; ++k) words += is_wordish(t_[k]) ? 1 : 0;
      if (dotted(t_, b, e, true) || words <= 1) {
        mb.local_part = concat(t_, b, e);  // "postmaster": a local part without a domain
        check_local(b, e);
        set_display(e, e, b, e, mb);
      } else {
        set_display(b, e, e, e, mb);  // "John Smith": a name without an address
      }
      return;
    }
    // Local part: walk back from '@' over word ('.' | '@') word ...; the first two words not
    // joined by a dot end it (the rest is a display name).
    std::size_t lb = at;
    bool prev_word = false;
    for (std::size_t j = at; j > b; --j) {
      const Token& tk = t_[j - 1];
      if (tk.kind == Kind::kComment) continue;
      if (is_wordish(tk) && !prev_word) {
        prev_word = true;
      } else if (is_special(tk, '.') || is_special(tk, '@')) {
        prev_word = false;
      } else {
        break;
      }
      lb = j - 1;
    }
    // Domain: a literal, or word ('.' word)* with CFWS allowed around the dots.
    std::size_t de = at + 1;
    while (de < e && t_[de].kind == Kind::kComment) ++de;
    if (de < e && t_[de].kind == Kind::kLiteral) {
      ++de;
    } else {
      bool prev = false;
      std::size_t last_good = de;
      for (std::size_t k = de; k < e; ++k) {
        const Token& tk = t_[k];
        if (tk.kind == Kind::kComment) continue;
        if (tk.kind == Kind::kWord && !prev) {
          prev = true;
        } else if (is_special(tk, '.')) {
          prev = false;
        } else {
          break;
        }
        last_good = k + 1;
      }
      de = last_good;
    }
    if (has_content(t_, b, lb) || has_content(t_, de, e)) list_.malformed = true;
    addr_spec(lb, de, mb);
    bool trailing_words = false;
    for (std::size_t k = de; k < e; ++k) trailing_words = trailing_words || is_wordish(t_[k]);
    if (has_content(t_, b, lb)) {
      set_display(b, lb, de, e, mb);
    } else if (trailing_words) {
      set_display(de, e, b, lb, mb);  // "john@example.com John": the words are the name
    } else {
      // Stray specials after the address are not a name; a comment on either side is.
      const Token* c = first_comment(t_, de, e);
      if (!c) c = first_comment(t_, b, lb);
      if (c) mb.display_name = decode_display(c->text, list_);
    }
  }

  const std::vector<Token>& t_;
  AddressList& list_;
  bool full_ = false;
};

// Next non-comment token index at or after k.
std::size_t skip_comments(const std::vector<Token>& t, std::size_t k) {
  while (k < t.size() && t[k].kind == Kind::kComment) ++k;
  return k;
}

}  // namespace

AddressList parse_address_list(std::string_view raw_value) {
  AddressList list;
  const std::vector<Token> t = lex(raw_value, list.malformed);
  Parser parser(t, list);

  std::string group;
  bool in_group = false;
  bool in_angle = false;
  bool element_has_addr = false;  // '@' or '<' seen: a ':' is then not a group name's end
  std::size_t start = 0;
  for (std::size_t k = 0; k < t.size() && !parser.full(); ++k) {
    const Token& tk = t[k];
    if (tk.kind != Kind::kSpecial) continue;
    if (in_angle) {
      if (tk.ch == '>') {
        in_angle = false;
      } else if (tk.ch == ',') {
        // Inside brackets a ',' belongs to an obs-route only when '@' follows
        // ("<@a,@b:u@h>"); otherwise the '>' was forgotten and the element ends here.
        const std::size_t n = skip_comments(t, k + 1);
        if (n >= t.size() || !is_special(t[n], '@')) {
          in_angle = false;
          parser.element(start, k, group);
          start = k + 1;
          element_has_addr = false;
        }
      }
      continue;
    }
    switch (tk.ch) {
      case '<':
        in_angle = true;
        element_has_addr = true;
        break;
      case '@':
        element_has_addr = true;
        break;
      case ',':
        parser.element(start, k, group);
        start = k + 1;
        element_has_addr = false;
        break;
      case ':':
        if (!in_group && !element_has_addr) {
          // group = display-name ":" [group-list] ";" (§3.4).
          bool ignored = false;
          group = decode_display(phrase_text(t, start, k, ignored), list);
          if (ignored) list.malformed = true;
          in_group = true;
          start = k + 1;
        } else {
          list.malformed = true;  // nested group or stray ':'; kept in the element's text
        }
        break;
      case ';':
        parser.element(start, k, group);
        start = k + 1;
        element_has_addr = false;
        if (in_group) {
          in_group = false;
          group.clear();
        } else {
          list.malformed = true;  // ';' typed as a separator (Outlook habit)
        }
        break;
      default:
        break;
    }
  }
  if (!parser.full()) parser.element(start, t.size(), group);
  if (in_group) list.malformed = true;  // group without its closing ';'
  return list;
}

}  // namespace vigie::parse

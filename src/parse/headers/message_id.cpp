// Message identifiers of Message-ID, In-Reply-To and References (RFC 5322 §3.6.4, obsolete forms
// §4.5.4). Owns extraction of "<left@right>" ids from a field value in order, with the damage
// real threads carry: folding and comments between and inside ids, CFWS around the '@'
// (obs-id-left/obs-id-right), quoted local parts, and ids whose angle brackets were lost.
#include <string>
#include <vector>

#include "parse/headers/header_grammar.h"
#include "parse/headers/header_lexer.h"

namespace vigie::parse {
namespace {

// Bounds the output of a hostile References field; real threads stay far below.
constexpr std::size_t kMaxMessageIds = 1000;

// Reads the id after '<' up to '>' (s[i] is just past '<'). §4.5.4 allows CFWS inside the id
// (obs-id-left is a local-part), so whitespace and comments are dropped; quoted strings keep
// their content. An id without '>' ends at the next whitespace or '<' (a truncated References).
std::string read_bracketed(std::string_view s, std::size_t& i) {
  std::string id;
  bool malformed = false;
  // Found once per id: the scan stops at the next bracket, which is where the caller resumes, so
  // the whole field is scanned a bounded number of times.
  const std::size_t next_bracket = s.find_first_of("<>", i);
  const bool closes = next_bracket != std::string_view::npos && s[next_bracket] == '>';
  while (i < s.size()) {
    const char c = s[i];
    if (c == '>') {
      ++i;
      return id;
    }
    if (c == '<') return id;
    if (c == '(') {
      detail::skip_comment(s, i, nullptr, malformed);
      continue;
    }
    if (c == '"') {
      std::string content;
      detail::read_quoted_string(s, i, content, malformed);
      id += content;
      continue;
    }
    if (detail::is_space(c)) {
      // Whitespace inside brackets is folding when '>' follows later; an id that never closes
      // stops here.
      ++i;
      if (!closes) return id;
      continue;
    }
    id.push_back(c);
    ++i;
  }
  return id;
}

}  // namespace

std::vector<std::string> parse_message_ids(std::string_view raw_value) {
  std::vector<std::string> ids;
  std::vector<std::string> bare;  // words outside brackets, used only when no bracketed id exists
  bool malformed = false;
  std::size_t i = 0;
  const std::string_view s = raw_value;
  while (i < s.size() && ids.size() < kMaxMessageIds) {
    const char c = s[i];
    if (detail::is_space(c) || c == ',') {
      ++i;  // ',' separates ids in some References written by hand-rolled mailers
    } else if (c == '(') {
      detail::skip_comment(s, i, nullptr, malformed);
    } else if (c == '<') {
      ++i;
      std::string id = read_bracketed(s, i);
      if (!id.empty()) ids.push_back(std::move(id));
    } else {
      std::string word;
      while (i < s.size() && !detail::is_space(s[i]) && s[i] != '<' && s[i] != '(' &&
             s[i] != ',') {
        if (s[i] != '>') word.push_back(s[i]);
        ++i;
      }
      if (!word.empty() && bare.size() < kMaxMessageIds) bare.push_back(std::move(word));
    }
  }
  // Ids without brackets: a lone word is an id
  // (the documented contract); among several words only those shaped like ids (with '@') are
  // kept, since phrases such as "message from" also appear in old In-Reply-To fields.
  if (ids.empty()) {
    if (bare.size() == 1) return bare;
    for (std::string& w : bare) {
      if (w.find('@') != std::string::npos) ids.push_back(std::move(w));
    }
  }
  return ids;
}

}  // namespace vigie::parse

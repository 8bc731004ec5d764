// STIX 2.1 patterning (§9): lexer and recursive-descent parser following STIXPattern.g4 rule by
// rule (the left-recursive rules become loops, so only parentheses and brackets nest), the
// single-observation evaluator and the equality extraction. See pattern.h for the contracts.
#include "intel/stix/pattern.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <set>
#include <span>
#include <utility>

#include "common/ascii.h"
#include "common/ip_address.h"

namespace vigie::intel::stix {

namespace {

// --- Lexer -------------------------------------------------------------------------------------

enum class Tok : std::uint8_t {
  kEnd,
  kLBrack,
  kRBrack,
  kLParen,
  kRParen,
  kColon,
  kDot,
  kComma,
  kAsterisk,
  kEq,
  kNeq,
  kLt,
  kLe,
  kGt,
  kGe,
  kIdentifier,  // with or without hyphen; `hyphen` says which
  kString,
  kIntPos,
  kIntNeg,
  kFloatPos,
  kFloatNeg,
  kBool,
  kTimestamp,
  kHex,
  kBinary,
  // keywords
  kAnd,
  kOr,
  kNot,
  kFollowedBy,
  kLike,
  kMatches,
  kIsSuperset,
  kIsSubset,
  kExists,
  kLast,
  kIn,
  kStart,
  kStop,
  kSeconds,
  kWithin,
  kRepeats,
  kTimes,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::size_t offset = 0;
  std::string_view raw;  // as written
  std::string value;     // unescaped string, decoded hex/base64 bytes, timestamp text
  bool hyphen = false;   // identifier containing '-'
};

constexpr std::array<std::pair<std::string_view, Tok>, 19> kKeywords = {{
    {"AND", Tok::kAnd},         {"OR", Tok::kOr},           {"NOT", Tok::kNot},
    {"FOLLOWEDBY", Tok::kFollowedBy}, {"LIKE", Tok::kLike}, {"MATCHES", Tok::kMatches},
    {"ISSUPERSET", Tok::kIsSuperset}, {"ISSUBSET", Tok::kIsSubset}, {"EXISTS", Tok::kExists},
    {"LAST", Tok::kLast},       {"IN", Tok::kIn},           {"START", Tok::kStart},
    {"STOP", Tok::kStop},       {"SECONDS", Tok::kSeconds}, {"WITHIN", Tok::kWithin},
    {"REPEATS", Tok::kRepeats}, {"TIMES", Tok::kTimes},     {"true", Tok::kBool},
    {"false", Tok::kBool},
}};

// The Unicode spaces of the grammar's WS rule, as UTF-8; returns their length or 0.
std::size_t unicode_space_length(std::string_view s) {
  static constexpr std::array<std::string_view, 17> kSpaces = {
      "\xC2\x85",     "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82",
      "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88",
      "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF"};
  for (std::string_view space : kSpaces) {
    if (s.starts_with(space)) return space.size();
  }
  if (s.starts_with("\xE2\x81\x9F") || s.starts_with("\xE3\x80\x80")) return 3;
  return 0;
}

bool is_base64_char(char c) { return ascii::is_alnum(c) || c == '+' || c == '/'; }

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  return c == '+' ? 62 : 63;
}

// TimestampLiteral's body: YYYY-MM-DDTHH:MM:SS(.f+)?Z with the grammar's ranges.
bool is_stix_timestamp(std::string_view t) {
  auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > t.size()) return false;
    for (std::size_t i = at; i < at + n; ++i) {
      if (!ascii::is_digit(t[i])) return false;
    }
    return true;
  };
  auto number = [&](std::size_t at) { return (t[at] - '0') * 10 + (t[at + 1] - '0'); };
  if (t.size() < 20 || !digits(0, 4) || t[4] != '-' || !digits(5, 2) || t[7] != '-' || !digits(8, 2) ||
      t[10] != 'T' || !digits(11, 2) || t[13] != ':' || !digits(14, 2) || t[16] != ':' || !digits(17, 2)) {
    return false;
  }
  const int month = number(5), day = number(8), hour = number(11), minute = number(14), second = number(17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return false;
  std::size_t at = 19;
  if (t[at] == '.') {
    ++at;
    const std::size_t first = at;
    while (at < t.size() && ascii::is_digit(t[at])) ++at;
    if (at == first) return false;
  }
  return at + 1 == t.size() && t[at] == 'Z';
}

struct LexError {
  std::size_t offset;
  std::string message;
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  tl::expected<std::vector<Token>, LexError> run() {
    std::vector<Token> tokens;
    while (true) {
      if (auto skipped = skip_blanks(); !skipped) return tl::unexpected(skipped.error());
      Token token;
      token.offset = pos_;
      if (pos_ >= text_.size()) {
        tokens.push_back(std::move(token));
        return tokens;
      }
      if (auto lexed = next(token); !lexed) return tl::unexpected(lexed.error());
      token.raw = text_.substr(token.offset, pos_ - token.offset);
      tokens.push_back(std::move(token));
    }
  }

 private:
  tl::expected<void, LexError> skip_blanks() {
    while (pos_ < text_.size()) {
      const std::string_view rest = text_.substr(pos_);
      if (ascii::is_space(rest[0])) {
        ++pos_;
      } else if (const std::size_t n = unicode_space_length(rest); n != 0) {
        pos_ += n;
      } else if (rest.starts_with("/*")) {
        const std::size_t end = rest.find("*/", 2);
        if (end == std::string_view::npos) return tl::unexpected(LexError{pos_, "unterminated /* comment"});
        pos_ += end + 2;
      } else if (rest.starts_with("//")) {
        const std::size_t end = rest.find_first_of("\r\n");
        pos_ = end == std::string_view::npos ? text_.size() : pos_ + end;
      } else {
        break;
      }
    }
    return {};
  }

  char peek(std::size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }

  tl::expected<void, LexError> next(Token& token) {
    const char c = peek();
    auto single = [&](Tok kind, std::size_t length = 1) {
      token.kind = kind;
      pos_ += length;
      return tl::expected<void, LexError>{};
    };
    switch (c) {
      case '[': return single(Tok::kLBrack);
      case ']': return single(Tok::kRBrack);
      case '(': return single(Tok::kLParen);
      case ')': return single(Tok::kRParen);
      case ':': return single(Tok::kColon);
      case ',': return single(Tok::kComma);
      case '*': return single(Tok::kAsterisk);
      case '=': return single(Tok::kEq, peek(1) == '=' ? 2 : 1);
      case '!':
        if (peek(1) == '=') return single(Tok::kNeq, 2);
        break;
      case '<':
        if (peek(1) == '>') return single(Tok::kNeq, 2);
        if (peek(1) == '=') return single(Tok::kLe, 2);
        return single(Tok::kLt);
      case '>':
        if (peek(1) == '=') return single(Tok::kGe, 2);
        return single(Tok::kGt);
      case '\'': return string_literal(token);
      default: break;
    }
    if (c == '.' && !ascii::is_digit(peek(1))) return single(Tok::kDot);
    if (ascii::is_digit(c) || c == '.' || c == '+' || c == '-') return number(token);
    if ((c == 't' || c == 'h' || c == 'b') && peek(1) == '\'') return prefixed_literal(token, c);
    if (ascii::is_alpha(c) || c == '_') return identifier(token);
    return tl::unexpected(LexError{pos_, std::string("unexpected character '") + c + "'"});
  }

  tl::expected<void, LexError> string_literal(Token& token) {
    const std::size_t start = pos_;
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\'') {
        ++pos_;
        token.kind = Tok::kString;
        return {};
      }
      if (c == '\\') {
        const char escaped = peek(1);
        if (escaped != '\'' && escaped != '\\') {
          // The grammar allows only \' and \\; a regex's \d is written \\d.
          return tl::unexpected(LexError{pos_, "a backslash in a string literal must be followed by ' or \\ "
                                               "(write \\\\ for one backslash)"});
        }
        token.value.push_back(escaped);
        pos_ += 2;
        continue;
      }
      token.value.push_back(c);
      ++pos_;
    }
    return tl::unexpected(LexError{start, "unterminated string literal"});
  }

  tl::expected<void, LexError> prefixed_literal(Token& token, char prefix) {
    const std::size_t start = pos_;
    const std::size_t close = text_.find('\'', pos_ + 2);
    if (close == std::string_view::npos) return tl::unexpected(LexError{start, "unterminated literal"});
    const std::string_view body = text_.substr(pos_ + 2, close - pos_ - 2);
    pos_ = close + 1;
    if (prefix == 't') {
      if (!is_stix_timestamp(body)) {
        return tl::unexpected(LexError{start, "invalid timestamp literal: expected t'YYYY-MM-DDTHH:MM:SS[.s]Z'"});
      }
      token.kind = Tok::kTimestamp;
      token.value = body;
      return {};
    }
    if (prefix == 'h') {
      if (body.size() % 2 != 0 || !std::all_of(body.begin(), body.end(), ascii::is_hex_digit)) {
        return tl::unexpected(LexError{start, "invalid hex literal: expected pairs of hexadecimal digits"});
      }
      for (std::size_t i = 0; i < body.size(); i += 2) {
        token.value.push_back(static_cast<char>(ascii::hex_value(body[i]) * 16 + ascii::hex_value(body[i + 1])));
      }
      token.kind = Tok::kHex;
      return {};
    }
    // Binary: groups of four base64 characters, the last one padded with at most two '='.
    std::size_t padding = 0;
    while (padding < body.size() && padding < 2 && body[body.size() - 1 - padding] == '=') ++padding;
    const std::string_view chars = body.substr(0, body.size() - padding);
    if (body.empty() || body.size() % 4 != 0 || !std::all_of(chars.begin(), chars.end(), is_base64_char)) {
      return tl::unexpected(LexError{start, "invalid binary literal: expected base64 in groups of four"});
    }
    std::uint32_t accumulator = 0;
    int bits = 0;
    for (char c : chars) {
      accumulator = (accumulator << 6) | static_cast<std::uint32_t>(base64_value(c));
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        token.value.push_back(static_cast<char>((accumulator >> bits) & 0xFF));
      }
    }
    token.kind = Tok::kBinary;
    return {};
  }

  tl::expected<void, LexError> number(Token& token) {
    const std::size_t start = pos_;
    const bool negative = peek() == '-';
    if (peek() == '+' || peek() == '-') ++pos_;
    const std::size_t integer_start = pos_;
    while (ascii::is_digit(peek())) ++pos_;
    const std::size_t integer_digits = pos_ - integer_start;
    bool is_float = false;
    if (peek() == '.') {
      ++pos_;
      const std::size_t fraction_start = pos_;
      while (ascii::is_digit(peek())) ++pos_;
      if (pos_ == fraction_start) return tl::unexpected(LexError{start, "expected digits after '.' in a number"});
      is_float = true;
    } else if (integer_digits == 0) {
      return tl::unexpected(LexError{start, std::string("unexpected character '") + text_[start] + "'"});
    } else if (integer_digits > 1 && text_[integer_start] == '0') {
      return tl::unexpected(LexError{start, "an integer must not start with 0"});
    }
    token.kind = is_float ? (negative ? Tok::kFloatNeg : Tok::kFloatPos) : (negative ? Tok::kIntNeg : Tok::kIntPos);
    return {};
  }

  tl::expected<void, LexError> identifier(Token& token) {
    while (ascii::is_alnum(peek()) || peek() == '_' || peek() == '-') {
      token.hyphen = token.hyphen || peek() == '-';
      ++pos_;
    }
    const std::string_view word = text_.substr(token.offset, pos_ - token.offset);
    token.kind = Tok::kIdentifier;
    for (const auto& [keyword, kind] : kKeywords) {
      if (word == keyword) token.kind = kind;
    }
    return {};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// --- Paths -------------------------------------------------------------------------------------

std::string normalize_hash_name(std::string_view name) {
  std::string folded;
  for (char c : name) {
    if (c != '-' && c != '_') folded.push_back(static_cast<char>(ascii::lower(c)));
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kNames = {{
      {"md5", "MD5"},
      {"sha1", "SHA-1"},
      {"sha224", "SHA-224"},
      {"sha256", "SHA-256"},
      {"sha384", "SHA-384"},
      {"sha512", "SHA-512"},
      {"sha3224", "SHA3-224"},
      {"sha3256", "SHA3-256"},
      {"sha3384", "SHA3-384"},
      {"sha3512", "SHA3-512"},
  }};
  for (const auto& [key, canonical] : kNames) {
    if (folded == key) return std::string(canonical);
  }
  std::string upper(name);
  for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return upper;
}

std::string build_property(const std::vector<PathStep>& steps) {
  std::string property;
  std::string_view previous_key;
  for (const PathStep& step : steps) {
    if (step.kind != PathStep::Kind::kKey) {
      property += "[*]";
      previous_key = {};
      continue;
    }
    const std::string key = previous_key == "hashes" ? normalize_hash_name(step.key) : step.key;
    if (!property.empty()) property.push_back('.');
    if (key.find_first_of(".[]'") == std::string::npos) {
      property += key;
    } else {
      property.push_back('\'');
      for (char c : key) {
        if (c == '\'' || c == '\\') property.push_back('\\');
        property.push_back(c);
      }
      property.push_back('\'');
    }
    previous_key = step.key;
  }
  return property;
}

bool is_hash_property(std::string_view property) {
  return property.starts_with("hashes.") || property.find(".hashes.") != std::string_view::npos;
}

// --- Parser ------------------------------------------------------------------------------------

}  // namespace

class PatternParser {
 public:
  PatternParser(std::vector<Token> tokens, const PatternLimits& limits, Pattern& out)
      : tokens_(std::move(tokens)), limits_(limits), out_(out) {}

  tl::expected<void, ParseError> run() {
    auto root = observation_expressions();
    if (!root) return tl::unexpected(root.error());
    if (current().kind != Tok::kEnd) return expected("AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern");
    out_.root_ = std::move(*root);
    return {};
  }

 private:
  const Token& current() const { return tokens_[pos_]; }
  bool accept(Tok kind) {
    if (current().kind != kind) return false;
    ++pos_;
    return true;
  }

  tl::unexpected<ParseError> error_at(std::size_t offset, std::string message) const {
    return tl::unexpected(ParseError{offset, std::move(message)});
  }
  tl::unexpected<ParseError> expected(std::string_view what) const {
    const Token& token = current();
    std::string found = token.kind == Tok::kEnd ? std::string("end of pattern") : "'" + std::string(token.raw.substr(0, 40)) + "'";
    return error_at(token.offset, "expected " + std::string(what) + ", found " + found);
  }

  // Depth guard for the constructs that recurse (parentheses, brackets).
  tl::expected<void, ParseError> enter() {
    if (++depth_ > limits_.max_depth) {
      return error_at(current().offset, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    return {};
  }
  void leave() { --depth_; }

  void note_unsupported(std::string construct) {
    if (out_.unsupported_.empty()) out_.unsupported_ = std::move(construct);
  }

  using ObsResult = tl::expected<ObservationExpression, ParseError>;
  using CmpResult = tl::expected<ComparisonExpression, ParseError>;

  // Left-associative binary chains: observationExpressions (FOLLOWEDBY), ...Or, ...And.
  template <typename Node, typename Kind, typename Next>
  tl::expected<Node, ParseError> chain(Tok op, Kind kind, Next next) {
    auto first = next();
    if (!first) return first;
    if (current().kind != op) return first;
    Node node;
    node.kind = kind;
    node.operands.push_back(std::move(*first));
    while (accept(op)) {
      auto operand = next();
      if (!operand) return operand;
      node.operands.push_back(std::move(*operand));
    }
    return node;
  }

  ObsResult observation_expressions() {
    auto node = chain<ObservationExpression>(Tok::kFollowedBy, ObservationExpression::Kind::kFollowedBy,
                                             [this] { return observation_or(); });
    if (node && node->kind == ObservationExpression::Kind::kFollowedBy) note_unsupported("FOLLOWEDBY");
    return node;
  }
  ObsResult observation_or() {
    return chain<ObservationExpression>(Tok::kOr, ObservationExpression::Kind::kOr,
                                        [this] { return observation_and(); });
  }
  ObsResult observation_and() {
    return chain<ObservationExpression>(Tok::kAnd, ObservationExpression::Kind::kAnd,
                                        [this] { return observation_expression(); });
  }

  ObsResult observation_expression() {
    if (auto guard = enter(); !guard) return tl::unexpected(guard.error());
    ObservationExpression node;
    if (accept(Tok::kLBrack)) {
      auto comparison = comparison_expression();
      if (!comparison) return tl::unexpected(comparison.error());
      if (!accept(Tok::kRBrack)) return expected("AND, OR or ']' closing the comparison expression");
      node.comparison = std::move(*comparison);
    } else if (accept(Tok::kLParen)) {
      auto inner = observation_expressions();
      if (!inner) return inner;
      if (!accept(Tok::kRParen)) return expected("AND, OR, FOLLOWEDBY or ')'");
      node = std::move(*inner);
    } else {
      return expected("'[' or '(' starting an observation expression");
    }
    leave();
    while (true) {
      Qualifier qualifier;
      if (accept(Tok::kStart)) {
        if (current().kind != Tok::kTimestamp) return expected("a timestamp t'...' after START");
        qualifier.kind = Qualifier::Kind::kStartStop;
        qualifier.start = tokens_[pos_++].value;
        if (!accept(Tok::kStop)) return expected("STOP");
        if (current().kind != Tok::kTimestamp) return expected("a timestamp t'...' after STOP");
        qualifier.stop = tokens_[pos_++].value;
        note_unsupported("START/STOP");
      } else if (accept(Tok::kWithin)) {
        const Token& amount = current();
        if (amount.kind != Tok::kIntPos && amount.kind != Tok::kFloatPos) return expected("a positive number after WITHIN");
        qualifier.kind = Qualifier::Kind::kWithin;
        qualifier.seconds = std::strtod(std::string(amount.raw).c_str(), nullptr);
        ++pos_;
        if (!accept(Tok::kSeconds)) return expected("SECONDS");
        note_unsupported("WITHIN");
      } else if (accept(Tok::kRepeats)) {
        const Token& amount = current();
        if (amount.kind != Tok::kIntPos) return expected("a positive integer after REPEATS");
        qualifier.kind = Qualifier::Kind::kRepeats;
        const std::string_view digits = amount.raw.front() == '+' ? amount.raw.substr(1) : amount.raw;
        const auto [end, status] = std::from_chars(digits.data(), digits.data() + digits.size(), qualifier.times);
        if (status != std::errc() || end != digits.data() + digits.size()) {
          return error_at(amount.offset, "REPEATS count out of range");
        }
        ++pos_;
        if (!accept(Tok::kTimes)) return expected("TIMES");
        note_unsupported("REPEATS");
      } else {
        break;
      }
      node.qualifiers.push_back(std::move(qualifier));
    }
    return node;
  }

  CmpResult comparison_expression() {
    return chain<ComparisonExpression>(Tok::kOr, ComparisonExpression::Kind::kOr,
                                       [this] { return comparison_and(); });
  }
  CmpResult comparison_and() {
    return chain<ComparisonExpression>(Tok::kAnd, ComparisonExpression::Kind::kAnd,
                                       [this] { return property_test(); });
  }

  CmpResult property_test() {
    if (accept(Tok::kLParen)) {
      if (auto guard = enter(); !guard) return tl::unexpected(guard.error());
      auto inner = comparison_expression();
      if (!inner) return inner;
      if (!accept(Tok::kRParen)) return expected("AND, OR or ')'");
      leave();
      return inner;
    }
    if (out_.tests_.size() >= limits_.max_comparisons) {
      return error_at(current().offset, "more than " + std::to_string(limits_.max_comparisons) + " comparisons");
    }
    PropertyTest test;
    if (current().kind == Tok::kNot || current().kind == Tok::kExists) {
      test.negated = accept(Tok::kNot);
      if (!accept(Tok::kExists)) return expected("EXISTS after NOT");
      test.op = ComparisonOperator::kExists;
      auto path = object_path();
      if (!path) return tl::unexpected(path.error());
      test.path = std::move(*path);
      return add_test(std::move(test));
    }
    auto path = object_path();
    if (!path) return tl::unexpected(path.error());
    test.path = std::move(*path);
    test.negated = accept(Tok::kNot);
    const Token& op = current();
    const std::size_t literal_offset = pos_ + 1 < tokens_.size() ? tokens_[pos_ + 1].offset : op.offset;
    switch (op.kind) {
      case Tok::kEq:
      case Tok::kNeq:
        test.op = op.kind == Tok::kEq ? ComparisonOperator::kEqual : ComparisonOperator::kNotEqual;
        ++pos_;
        if (auto literal = primitive_literal(true); literal) {
          test.values.push_back(std::move(*literal));
        } else {
          return tl::unexpected(literal.error());
        }
        break;
      case Tok::kLt:
      case Tok::kLe:
      case Tok::kGt:
      case Tok::kGe:
        test.op = op.kind == Tok::kLt   ? ComparisonOperator::kLess
                  : op.kind == Tok::kLe ? ComparisonOperator::kLessOrEqual
                  : op.kind == Tok::kGt ? ComparisonOperator::kGreater
                                        : ComparisonOperator::kGreaterOrEqual;
        ++pos_;
        if (auto literal = primitive_literal(false); literal) {
          test.values.push_back(std::move(*literal));
        } else {
          return tl::unexpected(literal.error());
        }
        break;
      case Tok::kIn: {
        test.op = ComparisonOperator::kIn;
        ++pos_;
        if (!accept(Tok::kLParen)) return expected("'(' opening the set after IN");
        if (!accept(Tok::kRParen)) {
          do {
            if (test.values.size() >= limits_.max_set_size) {
              return error_at(current().offset, "set larger than " + std::to_string(limits_.max_set_size) + " members");
            }
            auto literal = primitive_literal(true);
            if (!literal) return tl::unexpected(literal.error());
            test.values.push_back(std::move(*literal));
          } while (accept(Tok::kComma));
          if (!accept(Tok::kRParen)) return expected("',' or ')' in the set");
        }
        break;
      }
      case Tok::kLike:
      case Tok::kMatches:
      case Tok::kIsSubset:
      case Tok::kIsSuperset: {
        test.op = op.kind == Tok::kLike      ? ComparisonOperator::kLike
                  : op.kind == Tok::kMatches ? ComparisonOperator::kMatches
                  : op.kind == Tok::kIsSubset ? ComparisonOperator::kIsSubset
                                              : ComparisonOperator::kIsSuperset;
        ++pos_;
        if (current().kind != Tok::kString) {
          return expected("a string literal after " + std::string(comparison_operator_name(test.op)));
        }
        Literal literal{LiteralKind::kString, tokens_[pos_++].value, 0};
        if (test.op == ComparisonOperator::kMatches) {
          if (++regexes_ > limits_.max_regexes) {
            return error_at(literal_offset, "more than " + std::to_string(limits_.max_regexes) + " MATCHES in one pattern");
          }
          RE2::Options options;
          options.set_max_mem(limits_.max_regex_memory);
          options.set_log_errors(false);
          auto regex = std::make_shared<const RE2>(literal.text, options);
          if (!regex->ok()) {
            return error_at(literal_offset, "MATCHES: RE2 cannot compile this regular expression: " + regex->error());
          }
          test.regex = std::move(regex);
        } else if (test.op == ComparisonOperator::kIsSubset || test.op == ComparisonOperator::kIsSuperset) {
          if (!IpNetwork::parse(literal.text)) {
            return error_at(literal_offset, std::string(comparison_operator_name(test.op)) +
                                                ": expected an IP address or network (CIDR without host bits)");
          }
        }
        test.values.push_back(std::move(literal));
        break;
      }
      default:
        return expected("a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)");
    }
    return add_test(std::move(test));
  }

  CmpResult add_test(PropertyTest test) {
    ComparisonExpression node;
    node.kind = ComparisonExpression::Kind::kTest;
    node.test = out_.tests_.size();
    out_.tests_.push_back(std::move(test));
    return node;
  }

  tl::expected<Literal, ParseError> primitive_literal(bool allow_bool) {
    const Token& token = current();
    Literal literal;
    switch (token.kind) {
      case Tok::kString: literal.kind = LiteralKind::kString; literal.text = token.value; break;
      case Tok::kTimestamp: literal.kind = LiteralKind::kTimestamp; literal.text = token.value; break;
      case Tok::kHex: literal.kind = LiteralKind::kHex; literal.text = token.value; break;
      case Tok::kBinary: literal.kind = LiteralKind::kBinary; literal.text = token.value; break;
      case Tok::kIntPos:
      case Tok::kIntNeg:
      case Tok::kFloatPos:
      case Tok::kFloatNeg: {
        const bool integer = token.kind == Tok::kIntPos || token.kind == Tok::kIntNeg;
        literal.kind = integer ? LiteralKind::kInteger : LiteralKind::kFloat;
        literal.text = token.raw;
        literal.number = std::strtod(literal.text.c_str(), nullptr);
        break;
      }
      case Tok::kBool:
        if (!allow_bool) return expected("an orderable literal (number, string, timestamp, hex or binary)");
        literal.kind = LiteralKind::kBool;
        literal.text = token.raw;
        break;
      default:
        return expected(allow_bool ? "a literal" : "an orderable literal (number, string, timestamp, hex or binary)");
    }
    ++pos_;
    return literal;
  }

  tl::expected<ObjectPath, ParseError> object_path() {
    ObjectPath path;
    if (current().kind != Tok::kIdentifier) return expected("an object type (\"domain-name\") or '('");
    path.object_type = tokens_[pos_++].raw;
    if (!accept(Tok::kColon)) return expected("':' after the object type");
    auto key = [&]() -> tl::expected<void, ParseError> {
      const Token& token = current();
      if (token.kind == Tok::kIdentifier && !token.hyphen) {
        path.steps.push_back({PathStep::Kind::kKey, std::string(token.raw), 0});
      } else if (token.kind == Tok::kString) {
        path.steps.push_back({PathStep::Kind::kKey, token.value, 0});
      } else {
        return expected("a property name (quote names with '-': 'SHA-256')");
      }
      ++pos_;
      return {};
    };
    if (auto first = key(); !first) return tl::unexpected(first.error());
    std::size_t indexes = 0;
    bool numeric_index = false;
    while (current().kind == Tok::kDot || current().kind == Tok::kLBrack) {
      if (path.steps.size() >= limits_.max_path_steps) {
        return error_at(current().offset, "object path longer than " + std::to_string(limits_.max_path_steps) + " steps");
      }
      if (accept(Tok::kDot)) {
        if (auto next = key(); !next) return tl::unexpected(next.error());
        continue;
      }
      ++pos_;  // '['
      const Token& index = current();
      PathStep step;
      if (index.kind == Tok::kAsterisk) {
        step.kind = PathStep::Kind::kAnyIndex;
      } else if (index.kind == Tok::kIntPos || index.kind == Tok::kIntNeg) {
        step.kind = PathStep::Kind::kIndex;
        std::int64_t value = 0;
        const std::string_view digits = index.raw.front() == '+' ? index.raw.substr(1) : index.raw;
        const auto [end, status] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (status != std::errc() || end != digits.data() + digits.size()) {
          return error_at(index.offset, "list index out of range");
        }
        step.index = value;
        numeric_index = true;
      } else {
        return expected("'*' or an integer list index");
      }
      ++pos_;
      if (!accept(Tok::kRBrack)) return expected("']' closing the list index");
      path.steps.push_back(std::move(step));
      ++indexes;
    }
    if (numeric_index && indexes > 1) note_unsupported("a list index beside another list step in " + path.object_type + " path");
    path.property = build_property(path.steps);
    return path;
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::size_t regexes_ = 0;
  const PatternLimits& limits_;
  Pattern& out_;
};

std::string ParseError::text() const { return "at " + std::to_string(offset) + ": " + message; }

std::string ObjectPath::text() const { return object_type + ":" + property; }

std::string_view comparison_operator_name(ComparisonOperator op) {
  switch (op) {
    case ComparisonOperator::kEqual: return "=";
    case ComparisonOperator::kNotEqual: return "!=";
    case ComparisonOperator::kLess: return "<";
    case ComparisonOperator::kLessOrEqual: return "<=";
    case ComparisonOperator::kGreater: return ">";
    case ComparisonOperator::kGreaterOrEqual: return ">=";
    case ComparisonOperator::kIn: return "IN";
    case ComparisonOperator::kLike: return "LIKE";
    case ComparisonOperator::kMatches: return "MATCHES";
    case ComparisonOperator::kIsSubset: return "ISSUBSET";
    case ComparisonOperator::kIsSuperset: return "ISSUPERSET";
    case ComparisonOperator::kExists: return "EXISTS";
  }
  return "?";
}

tl::expected<Pattern, ParseError> Pattern::parse(std::string_view text, const PatternLimits& limits) {
  if (text.size() > limits.max_pattern_bytes) {
    return tl::unexpected(ParseError{limits.max_pattern_bytes, "pattern longer than " +
                                                                   std::to_string(limits.max_pattern_bytes) + " bytes (" +
                                                                   std::to_string(text.size()) + ")"});
  }
  auto tokens = Lexer(text).run();
  if (!tokens) return tl::unexpected(ParseError{tokens.error().offset, tokens.error().message});
  Pattern pattern;
  pattern.text_ = text;
  if (auto parsed = PatternParser(std::move(*tokens), limits, pattern).run(); !parsed) {
    return tl::unexpected(parsed.error());
  }
  return pattern;
}

std::vector<std::string> Pattern::object_types() const {
  std::set<std::string> types;
  for (const PropertyTest& test : tests_) types.insert(test.path.object_type);
  return {types.begin(), types.end()};
}

// --- Observation -------------------------------------------------------------------------------

std::string normalize_property(std::string_view property) {
  // Reuses the pattern lexer on "t:<property>" so both sides agree on quoting and hash names.
  const std::string text = "t:" + std::string(property);
  auto tokens = Lexer(text).run();
  if (!tokens) return std::string(property);
  std::vector<Token> path_tokens = std::move(*tokens);
  std::vector<PathStep> steps;
  std::size_t i = 2;  // after "t" ":"
  auto at = [&](std::size_t k) -> const Token& { return path_tokens[std::min(k, path_tokens.size() - 1)]; };
  while (at(i).kind != Tok::kEnd) {
    const Token& token = at(i);
    if (token.kind == Tok::kIdentifier || token.kind == Tok::kString || token.kind == Tok::kBool ||
        token.kind > Tok::kBinary) {  // keywords are plain keys in a property
      steps.push_back({PathStep::Kind::kKey, token.kind == Tok::kString ? token.value : std::string(token.raw), 0});
      ++i;
    } else if (token.kind == Tok::kDot) {
      ++i;
    } else if (token.kind == Tok::kLBrack && at(i + 2).kind == Tok::kRBrack) {
      steps.push_back({PathStep::Kind::kAnyIndex, {}, 0});
      i += 3;
    } else {
      return std::string(property);
    }
  }
  return build_property(steps);
}

ObservedObject& ObservedObject::add(std::string_view property, std::string value) {
  properties_[normalize_property(property)].push_back({std::move(value), std::nullopt});
  return *this;
}

ObservedObject& ObservedObject::add(std::string_view property, double number) {
  char buffer[64];
  const auto [end, status] = std::to_chars(buffer, buffer + sizeof buffer, number);
  std::string text = status == std::errc() ? std::string(buffer, end) : std::string();
  properties_[normalize_property(property)].push_back({std::move(text), number});
  return *this;
}

const std::vector<ObservedValue>* ObservedObject::find(std::string_view property) const {
  const auto it = properties_.find(property);
  return it == properties_.end() ? nullptr : &it->second;
}

ObservedObject& Observation::add_object(std::string_view object_type) {
  auto it = objects_.find(object_type);
  if (it == objects_.end()) it = objects_.emplace(std::string(object_type), std::vector<ObservedObject>{}).first;
  return it->second.emplace_back();
}

const std::vector<ObservedObject>* Observation::objects(std::string_view object_type) const {
  const auto it = objects_.find(object_type);
  return it == objects_.end() ? nullptr : &it->second;
}

// --- Evaluation --------------------------------------------------------------------------------

namespace {

std::optional<double> numeric_value(const ObservedValue& value) {
  if (value.number) return value.number;
  double number = 0;
  const char* begin = value.text.data();
  const char* end = begin + value.text.size();
  const auto [stop, status] = std::from_chars(begin, end, number);
  if (value.text.empty() || status != std::errc() || stop != end) return std::nullopt;
  return number;
}

int sign(int c) { return (c > 0) - (c < 0); }

// Three-way comparison of the observed value with a literal; nullopt when they do not compare
// (a number against a text that is no number, a timestamp against a text that is no timestamp).
std::optional<int> compare(const ObservedValue& value, const Literal& literal, bool hash) {
  switch (literal.kind) {
    case LiteralKind::kInteger:
    case LiteralKind::kFloat: {
      const auto number = numeric_value(value);
      if (!number) return std::nullopt;
      return *number < literal.number ? -1 : (*number > literal.number ? 1 : 0);
    }
    case LiteralKind::kTimestamp: {
      const auto observed = parse_rfc3339(value.text);
      const auto wanted = parse_rfc3339(literal.text);
      if (!observed || !wanted) return std::nullopt;
      return observed->seconds != wanted->seconds ? (observed->seconds < wanted->seconds ? -1 : 1)
                                                  : sign(observed->nanoseconds - wanted->nanoseconds);
    }
    case LiteralKind::kBool: return value.text == literal.text ? 0 : 1;
    case LiteralKind::kString:
      if (hash) return sign(ascii::lowercase(value.text).compare(ascii::lowercase(literal.text)));
      return sign(value.text.compare(literal.text));
    case LiteralKind::kHex:
    case LiteralKind::kBinary: return sign(value.text.compare(literal.text));
  }
  return std::nullopt;
}

bool equals(const ObservedValue& value, const Literal& literal, bool hash) {
  const auto order = compare(value, literal, hash);
  return order && *order == 0;
}

// Code points of UTF-8 text for LIKE's '_' (one character, not one byte); a byte that starts no
// valid sequence counts alone.
std::size_t utf8_length_at(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  const std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : (lead >> 3) == 30 ? 4 : 1;
  if (at + length > text.size()) return 1;
  for (std::size_t i = 1; i < length; ++i) {
    if ((static_cast<unsigned char>(text[at + i]) & 0xC0) != 0x80) return 1;
  }
  return length;
}

// SQL LIKE: '%' any run (even empty), '_' exactly one character. Greedy with one backtrack point
// per '%', so the work is at most |text| × |pattern| steps (no exponential backtracking).
bool like(std::string_view text, std::string_view pattern) {
  std::size_t t = 0, p = 0;
  std::size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star_p = ++p;
      star_t = t;
    } else if (p < pattern.size() && pattern[p] == '_') {
      ++p;
      t += utf8_length_at(text, t);
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star_p != std::string_view::npos) {
      p = star_p;
      star_t += utf8_length_at(text, star_t);
      t = star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

std::optional<IpNetwork> network_of(std::string_view text) { return IpNetwork::parse(text); }

bool network_within(const IpNetwork& inner, const IpNetwork& outer) {
  return inner.prefix_length >= outer.prefix_length && outer.contains(inner.address) &&
         inner.address.unmapped().family == outer.address.unmapped().family;
}

std::optional<IpNetwork> address_network(const PropertyTest& test, const Literal& literal) {
  if (literal.kind != LiteralKind::kString || test.path.property != "value" ||
      (test.path.object_type != "ipv4-addr" && test.path.object_type != "ipv6-addr")) {
    return std::nullopt;
  }
  auto network = network_of(literal.text);
  if (!network || literal.text.find('/') == std::string::npos) return std::nullopt;
  return network;
}

bool test_value(const PropertyTest& test, const ObservedValue& value, bool hash) {
  const Literal& first = test.values.front();
  switch (test.op) {
    case ComparisonOperator::kEqual:
    case ComparisonOperator::kNotEqual: {
      // An address object's value may be a CIDR network (STIX 2.1 §6.4.1, §6.5.1): `= '10.0.0.0/8'`
      // holds for every address inside, as the matcher's index of networks does.
      if (const auto network = address_network(test, first)) {
        const auto observed = network_of(value.text);
        if (!observed) return false;
        return network_within(*observed, *network) == (test.op == ComparisonOperator::kEqual);
      }
      const auto order = compare(value, first, hash);
      return order && ((*order == 0) == (test.op == ComparisonOperator::kEqual));
    }
    case ComparisonOperator::kLess:
    case ComparisonOperator::kLessOrEqual:
    case ComparisonOperator::kGreater:
    case ComparisonOperator::kGreaterOrEqual: {
      const auto order = compare(value, first, hash);
      if (!order) return false;
      if (test.op == ComparisonOperator::kLess) return *order < 0;
      if (test.op == ComparisonOperator::kLessOrEqual) return *order <= 0;
      if (test.op == ComparisonOperator::kGreater) return *order > 0;
      return *order >= 0;
    }
    case ComparisonOperator::kIn:
      return std::any_of(test.values.begin(), test.values.end(),
                         [&](const Literal& literal) { return equals(value, literal, hash); });
    case ComparisonOperator::kLike:
      return hash ? like(ascii::lowercase(value.text), ascii::lowercase(first.text)) : like(value.text, first.text);
    case ComparisonOperator::kMatches: return RE2::PartialMatch(value.text, *test.regex);
    case ComparisonOperator::kIsSubset:
    case ComparisonOperator::kIsSuperset: {
      const auto observed = network_of(value.text);
      const auto literal = network_of(first.text);
      if (!observed || !literal) return false;
      return test.op == ComparisonOperator::kIsSubset ? network_within(*observed, *literal)
                                                      : network_within(*literal, *observed);
    }
    case ComparisonOperator::kExists: return true;
  }
  return false;
}

// One property test on one object. A missing property makes every test false (negated or not)
// except NOT EXISTS; NOT negates "some element satisfies", so `list[*].name NOT = 'x'` reads
// "no element is named x".
bool test_object(const PropertyTest& test, const ObservedObject& object) {
  const std::vector<ObservedValue>* values = object.find(test.path.property);
  std::span<const ObservedValue> selected;
  if (values != nullptr) selected = *values;
  const auto index = std::find_if(test.path.steps.begin(), test.path.steps.end(),
                                  [](const PathStep& step) { return step.kind == PathStep::Kind::kIndex; });
  if (index != test.path.steps.end() && !selected.empty()) {
    const auto count = static_cast<std::int64_t>(selected.size());
    const std::int64_t at = index->index < 0 ? count + index->index : index->index;
    selected = at >= 0 && at < count ? selected.subspan(static_cast<std::size_t>(at), 1) : std::span<const ObservedValue>{};
  }
  if (test.op == ComparisonOperator::kExists) return selected.empty() == test.negated;
  if (selected.empty()) return false;
  const bool hash = is_hash_property(test.path.property);
  const bool any = std::any_of(selected.begin(), selected.end(),
                               [&](const ObservedValue& value) { return test_value(test, value, hash); });
  return any != test.negated;
}

bool comparison_holds(const Pattern& pattern, const ComparisonExpression& node, std::string_view type,
                      const ObservedObject& object) {
  switch (node.kind) {
    case ComparisonExpression::Kind::kTest: {
      const PropertyTest& test = pattern.tests()[node.test];
      return test.path.object_type == type && test_object(test, object);
    }
    case ComparisonExpression::Kind::kAnd:
      return std::all_of(node.operands.begin(), node.operands.end(),
                         [&](const ComparisonExpression& operand) { return comparison_holds(pattern, operand, type, object); });
    case ComparisonExpression::Kind::kOr:
      return std::any_of(node.operands.begin(), node.operands.end(),
                         [&](const ComparisonExpression& operand) { return comparison_holds(pattern, operand, type, object); });
  }
  return false;
}

void collect_types(const Pattern& pattern, const ComparisonExpression& node, std::set<std::string_view>& types) {
  if (node.kind == ComparisonExpression::Kind::kTest) {
    types.insert(pattern.tests()[node.test].path.object_type);
    return;
  }
  for (const ComparisonExpression& operand : node.operands) collect_types(pattern, operand, types);
}

bool observation_holds(const Pattern& pattern, const ObservationExpression& node, const Observation& observation) {
  switch (node.kind) {
    case ObservationExpression::Kind::kComparison: {
      std::set<std::string_view> types;
      collect_types(pattern, node.comparison, types);
      for (std::string_view type : types) {
        const std::vector<ObservedObject>* objects = observation.objects(type);
        if (objects == nullptr) continue;
        for (const ObservedObject& object : *objects) {
          if (comparison_holds(pattern, node.comparison, type, object)) return true;
        }
      }
      return false;
    }
    case ObservationExpression::Kind::kAnd:
      return std::all_of(node.operands.begin(), node.operands.end(), [&](const ObservationExpression& operand) {
        return observation_holds(pattern, operand, observation);
      });
    case ObservationExpression::Kind::kOr:
    case ObservationExpression::Kind::kFollowedBy:  // never reached: the pattern is unsupported
      return std::any_of(node.operands.begin(), node.operands.end(), [&](const ObservationExpression& operand) {
        return observation_holds(pattern, operand, observation);
      });
  }
  return false;
}

// --- Equality extraction -----------------------------------------------------------------------

std::optional<ObservableType> hash_type(std::string_view algorithm) {
  if (algorithm == "MD5") return ObservableType::kMd5;
  if (algorithm == "SHA-1") return ObservableType::kSha1;
  if (algorithm == "SHA-256") return ObservableType::kSha256;
  if (algorithm == "SHA-512") return ObservableType::kSha512;
  return std::nullopt;
}

std::optional<ObservableType> indexable_type(const ObjectPath& path) {
  const std::string_view type = path.object_type;
  std::string_view property = path.property;
  if (std::any_of(path.steps.begin(), path.steps.end(),
                  [](const PathStep& step) { return step.kind == PathStep::Kind::kIndex; })) {
    return std::nullopt;  // "the first attachment only" is not what an index says
  }
  if (property == "value") {
    if (type == "domain-name") return ObservableType::kDomain;
    if (type == "url") return ObservableType::kUrl;
    if (type == "ipv4-addr") return ObservableType::kIpv4;
    if (type == "ipv6-addr") return ObservableType::kIpv6;
    if (type == "email-addr") return ObservableType::kEmailAddress;
    return std::nullopt;
  }
  if (type == "email-message") {
    if (property == "from_ref.value" || property == "sender_ref.value") return ObservableType::kEmailAddress;
    if (property == "subject") return ObservableType::kEmailSubject;
    constexpr std::string_view kAttachment = "body_multipart[*].body_raw_ref.";
    if (!property.starts_with(kAttachment)) return std::nullopt;
    property.remove_prefix(kAttachment.size());
  } else if (type != "file") {
    return std::nullopt;
  }
  if (property == "name") return ObservableType::kFileName;
  if (property.starts_with("hashes.")) return hash_type(property.substr(7));
  return std::nullopt;
}

bool extract_comparison(const Pattern& pattern, const ComparisonExpression& node, std::vector<IndicatorValue>& out) {
  if (node.kind == ComparisonExpression::Kind::kAnd) return false;
  if (node.kind == ComparisonExpression::Kind::kOr) {
    return std::all_of(node.operands.begin(), node.operands.end(),
                       [&](const ComparisonExpression& operand) { return extract_comparison(pattern, operand, out); });
  }
  const PropertyTest& test = pattern.tests()[node.test];
  const auto type = indexable_type(test.path);
  if (!type || test.negated) return false;
  const bool address = *type == ObservableType::kIpv4 || *type == ObservableType::kIpv6;
  const bool hash = *type == ObservableType::kMd5 || *type == ObservableType::kSha1 ||
                    *type == ObservableType::kSha256 || *type == ObservableType::kSha512;
  if (test.op != ComparisonOperator::kEqual && test.op != ComparisonOperator::kIn &&
      !(address && test.op == ComparisonOperator::kIsSubset)) {
    return false;
  }
  for (const Literal& literal : test.values) {
    if (literal.kind != LiteralKind::kString) return false;
    out.push_back({*type, hash ? ascii::lowercase(literal.text) : literal.text});
  }
  return true;
}

bool extract_observation(const Pattern& pattern, const ObservationExpression& node, std::vector<IndicatorValue>& out) {
  if (!node.qualifiers.empty()) return false;
  switch (node.kind) {
    case ObservationExpression::Kind::kComparison: return extract_comparison(pattern, node.comparison, out);
    case ObservationExpression::Kind::kOr:
      return std::all_of(node.operands.begin(), node.operands.end(),
                         [&](const ObservationExpression& operand) { return extract_observation(pattern, operand, out); });
    case ObservationExpression::Kind::kAnd:
    case ObservationExpression::Kind::kFollowedBy: return false;
  }
  return false;
}

}  // namespace

Evaluation evaluate(const Pattern& pattern, const Observation& observation) {
  if (!pattern.unsupported_construct().empty()) {
    return {Truth::kUnsupported, pattern.unsupported_construct()};
  }
  return {observation_holds(pattern, pattern.root(), observation) ? Truth::kTrue : Truth::kFalse, {}};
}

EqualityValues extract_equality_values(const Pattern& pattern) {
  EqualityValues result;
  if (!pattern.unsupported_construct().empty()) return result;
  if (extract_observation(pattern, pattern.root(), result.values)) {
    result.complete = !result.values.empty();
  }
  if (!result.complete) result.values.clear();
  return result;
}

// --- Timestamps --------------------------------------------------------------------------------

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
  // RFC 3339 §5.6 date-time: full-date "T" full-time, time-offset "Z" or ±hh:mm.
  auto digits = [&](std::size_t at, std::size_t n) -> std::optional<int> {
    if (at + n > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (!ascii::is_digit(text[i])) return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2);
  const auto h = digits(11, 2), mi = digits(14, 2), s = digits(17, 2);
  if (!y || !mo || !d || !h || !mi || !s || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok() || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  Timestamp result;
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    ++at;
    const std::size_t first = at;
    std::int64_t scale = 100'000'000;
    while (at < text.size() && ascii::is_digit(text[at])) {
      result.nanoseconds += static_cast<int>((text[at] - '0') * scale);
      scale /= 10;
      ++at;
    }
    if (at == first) return std::nullopt;
  }
  std::int64_t offset = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    const auto offset_hours = digits(at + 1, 2), offset_minutes = digits(at + 4, 2);
    if (!offset_hours || !offset_minutes || text[at + 3] != ':' || *offset_hours > 23 || *offset_minutes > 59) {
      return std::nullopt;
    }
    offset = (*offset_hours * 60 + *offset_minutes) * 60 * (text[at] == '-' ? -1 : 1);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  const std::int64_t days = sys_days{date}.time_since_epoch().count();
  result.seconds = days * 86400 + *h * 3600 + *mi * 60 + *s - offset;
  return result;
}

}  // namespace vigie::intel::stix

// Passwords given in a message's text (see passwords.h).
#include "facts/passwords.h"

#include <algorithm>
#include <array>

#include "common/ascii.h"
#include "facts/message_facts.h"

namespace vigie::facts {
namespace {

struct Phrase {
  std::string_view text;  // lowercase; ASCII folding only, so accents are written both ways
  int rank;               // 0: says "password"; 1: may mean something else ("code", "pass")
};

constexpr std::array kPhrases{
    Phrase{"mot de passe", 0},   Phrase{"mot-de-passe", 0}, Phrase{"mots de passe", 0}, Phrase{"mdp", 0},
    Phrase{"password", 0},       Phrase{"passwort", 0},     Phrase{"passwd", 0},        Phrase{"pwd", 0},
    Phrase{"code d'acc\xC3\xA8s", 0}, Phrase{"code d\xE2\x80\x99" "acc\xC3\xA8s", 0},
    Phrase{"code d'acces", 0},   Phrase{"code d\xE2\x80\x99" "acces", 0},
    // Other languages lures to French services are written in (Portuguese, German, Spanish,
    // Russian, Polish); the folding is ASCII only, so a capital outside ASCII is its own entry.
    Phrase{"senha", 0},          Phrase{"kennwort", 0},     Phrase{"contrase\xC3\xB1" "a", 0},
    Phrase{"contrasena", 0},     Phrase{"\xD0\xBF\xD0\xB0\xD1\x80\xD0\xBE\xD0\xBB\xD1\x8C", 0},
    Phrase{"\xD0\x9F\xD0\xB0\xD1\x80\xD0\xBE\xD0\xBB\xD1\x8C", 0}, Phrase{"has\xC5\x82o", 0},
    Phrase{"pass", 1},           Phrase{"code", 1},         Phrase{"cl\xC3\xA9", 1},
};

// Words that may stand between the phrase and its separator ("mot de passe de l'archive : x").
constexpr std::size_t kMaxFiller = 48;

bool word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return ascii::is_alnum(c) || u >= 0x80;
}

// Spaces a reader does not see as characters: ASCII blanks, no-break and narrow no-break spaces
// (French typography puts one before ":" and inside « »). Returns the length, 0 when none.
std::size_t blank_at(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  if (s[i] == ' ' || s[i] == '\t') return 1;
  if (s.substr(i, 2) == "\xC2\xA0") return 2;
  if (s.substr(i, 3) == "\xE2\x80\xAF" || s.substr(i, 3) == "\xE2\x80\x89") return 3;
  return 0;
}
std::size_t skip_blanks(std::string_view s, std::size_t i) {
  while (std::size_t n = blank_at(s, i)) i += n;
  return i;
}

struct Quote {
  std::string_view open;
  std::string_view close;
};
constexpr std::array kQuotes{
    Quote{"\"", "\""}, Quote{"'", "'"}, Quote{"`", "`"}, Quote{"\xC2\xAB", "\xC2\xBB"},
    Quote{"\xE2\x80\x9C", "\xE2\x80\x9D"}, Quote{"\xE2\x80\x98", "\xE2\x80\x99"}, Quote{"\xE2\x80\x9E", "\xE2\x80\x9C"},
};
const Quote* quote_at(std::string_view s, std::size_t i) {
  for (const Quote& q : kQuotes) {
    if (s.substr(i).starts_with(q.open)) return &q;
  }
  return nullptr;
}

std::string_view trim(std::string_view s) {
  for (;;) {
    if (const std::size_t n = blank_at(s, 0)) {
      s.remove_prefix(n);
      continue;
    }
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
      s.remove_suffix(1);
      continue;
    }
    if (s.ends_with("\xC2\xA0")) {
      s.remove_suffix(2);
      continue;
    }
    if (s.ends_with("\xE2\x80\xAF") || s.ends_with("\xE2\x80\x89")) {
      s.remove_suffix(3);
      continue;
    }
    return s;
  }
}

bool usable(std::string_view value) {
  if (value.empty() || value.size() > kMaxPasswordBytes) return false;
  return std::none_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

class Collector {
 public:
  void add(std::string_view value, int rank) {
    if (!usable(value)) return;
    found_.push_back({rank, order_++, std::string(value)});
  }
  std::vector<std::string> take() {
    std::stable_sort(found_.begin(), found_.end(), [](const Found& a, const Found& b) { return a.rank < b.rank; });
    std::vector<std::string> out;
    for (Found& f : found_) {
      if (out.size() == kMaxPasswordCandidates) break;
      if (std::find(out.begin(), out.end(), f.value) == out.end()) out.push_back(std::move(f.value));
    }
    return out;
  }

 private:
  struct Found {
    int rank;
    std::size_t order;
    std::string value;
  };
  std::vector<Found> found_;
  std::size_t order_ = 0;
};

// A word without the punctuation that ends a sentence around it, and as written when that
// punctuation may be part of it.
void add_token(std::string_view token, int rank, Collector& out) {
  while (!token.empty() && (token.front() == '(' || token.front() == '[' || token.front() == '*')) token.remove_prefix(1);
  std::string_view kept = token;
  while (!kept.empty() && std::string_view(")]*\"'").find(kept.back()) != std::string_view::npos) kept.remove_suffix(1);
  std::string_view stripped = kept;
  while (!stripped.empty() && std::string_view(".,;:!?").find(stripped.back()) != std::string_view::npos) {
    stripped.remove_suffix(1);
  }
  out.add(stripped, rank);
  // "2025." ends a sentence; "Azerty1!" may well be the password.
  if (kept.substr(stripped.size()).find_first_of("!?") != std::string_view::npos) out.add(kept, rank);
}

// The value that starts at `at` in `text` (after the separator): quoted, a word, or, when the line
// ends there, the next non-empty line.
void read_value(std::string_view text, std::size_t at, int rank, Collector& out) {
  at = skip_blanks(text, at);
  while (at < text.size() && text[at] == '*') at = skip_blanks(text, at + 1);  // **bold**
  if (at >= text.size() || text[at] == '\n' || text[at] == '\r') {
    for (int lines = 0; lines < 3 && at < text.size(); ++lines) {
      const std::size_t eol = text.find('\n', at);
      const std::size_t start = eol == std::string_view::npos ? text.size() : eol + 1;
      const std::size_t end = std::min(text.find('\n', start), text.size());
      const std::string_view line = trim(text.substr(start, end - start));
      at = start;
      if (line.empty()) continue;
      if (quote_at(line, 0) == nullptr && line.find(' ') == std::string_view::npos) {
        add_token(line, rank, out);
      } else {
        read_value(line, 0, rank, out);
      }
      return;
    }
    return;
  }
  if (const Quote* q = quote_at(text, at)) {
    const std::size_t start = at + q->open.size();
    const std::size_t close = text.find(q->close, start);
    const std::size_t eol = text.find('\n', start);
    if (close != std::string_view::npos && close < eol && close - start <= kMaxPasswordBytes + 8) {
      out.add(trim(text.substr(start, close - start)), rank);
    }
    return;
  }
  std::size_t end = at;
  while (end < text.size() && blank_at(text, end) == 0 && text[end] != '\n' && text[end] != '\r') ++end;
  add_token(text.substr(at, end - at), rank, out);
}

// After a phrase ending at `at`: the separator on the same line, within a few words.
void read_after_phrase(std::string_view text, std::string_view lower, std::size_t at, int rank, Collector& out) {
  const std::size_t limit = std::min(text.size(), at + kMaxFiller);
  for (std::size_t i = at; i < limit; ++i) {
    const char c = text[i];
    if (c == '\n' || c == '\r') {
      // The phrase ends its line ("Mot de passe\n2025"): the value is on the next one.
      if (trim(text.substr(at, i - at)).empty()) read_value(text, i, rank, out);
      return;
    }
    if (c == ':' || c == '=') {
      read_value(text, i + 1, rank, out);
      return;
    }
    const bool spaced = i > at && blank_at(text, i - 1) != 0;
    if (spaced && (c == '-' || text.substr(i, 3) == "\xE2\x80\x93" || text.substr(i, 3) == "\xE2\x80\x94")) {
      read_value(text, i + (c == '-' ? 1 : 3), rank, out);
      return;
    }
    if (spaced && (lower.substr(i).starts_with("est ") || lower.substr(i).starts_with("is "))) {
      read_value(text, i + (lower[i] == 'e' ? 3 : 2), rank, out);
      return;
    }
    if (i == skip_blanks(text, at) && quote_at(text, i) != nullptr) {
      read_value(text, i, rank, out);
      return;
    }
    if ((c == '.' || c == '!' || c == '?' || c == ';') && (i + 1 >= text.size() || blank_at(text, i + 1) != 0)) return;
  }
  // No separator: "mot de passe 2025" still gives one when the next word holds a digit.
  const std::size_t start = skip_blanks(text, at);
  std::size_t end = start;
  while (end < text.size() && blank_at(text, end) == 0 && text[end] != '\n' && text[end] != '\r') ++end;
  const std::string_view word = text.substr(start, end - start);
  if (start > at && std::any_of(word.begin(), word.end(), [](char c) { return ascii::is_digit(c); })) {
    add_token(word, rank, out);
  }
}

}  // namespace

std::vector<std::string> password_candidates(std::span<const std::string_view> texts) {
  Collector out;
  std::size_t budget = kMaxPasswordTextBytes;
  for (std::string_view text : texts) {
    if (budget == 0) break;
    text = text.substr(0, budget);
    budget -= text.size();
    const std::string lower = ascii::lowercase(text);
    for (const Phrase& phrase : kPhrases) {
      for (std::size_t at = lower.find(phrase.text); at != std::string::npos; at = lower.find(phrase.text, at + 1)) {
        const std::size_t end = at + phrase.text.size();
        if (at > 0 && word_byte(lower[at - 1])) continue;
        if (end < lower.size() && ascii::is_alpha(lower[end])) continue;
        read_after_phrase(text, lower, end, phrase.rank, out);
      }
    }
  }
  return out.take();
}

std::vector<std::string> message_passwords(const ParsedMessage& message) {
  std::vector<std::string_view> texts;
  const std::string subject = message.subject();
  texts.push_back(subject);
  const std::vector<ReadableText> readable = visible_texts(message);
  for (bool attachments : {false, true}) {
    for (const ReadableText& r : readable) {
      if (r.attachment == attachments) texts.push_back(r.text);
    }
  }
  return password_candidates(texts);
}

}  // namespace vigie::facts

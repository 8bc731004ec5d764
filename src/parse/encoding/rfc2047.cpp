// Decoder of RFC 2047 encoded-words in header values. Owns the tokenizer that finds
// "=?charset?B|Q?text?=" (RFC 2047 §2) with the malformations clients accept, the "Q" decoding of
// §4.2 (which differs from body quoted-printable: '_' is a space and there are no line breaks), the
// joining of adjacent encoded-words (§6.2: the whitespace between them is not displayed; their bytes
// are joined per charset before conversion so that a character split across two words survives),
// and the conversion of the text outside encoded-words (raw UTF-8 per RFC 6532, else detected
// 8-bit). Base64 ("B", §4.1) reuses the body decoder; charsets go through convert_to_utf8.
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "parse/encoding/charset.h"
#include "parse/encoding/rfc2047.h"
#include "parse/encoding/transfer_decoding.h"

namespace vigie::parse {
namespace {

// §2 limits an encoded-word to 75 characters, so its charset is far shorter; a longer "charset" is
// not an encoded-word at all (and bounds the look-ahead of looks_like_word_start).
constexpr std::size_t kMaxCharsetLength = 64;
// Decoding then converting can grow text: 1 byte of Q/B/raw text becomes at most 3 UTF-8 bytes
// (U+FFFD or a BMP character). Anything beyond this factor is cut so output stays bounded.
constexpr std::size_t kMaxGrowthFactor = 4;
constexpr std::size_t kMaxGrowthSlack = 64;

bool is_lws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool all_lws(std::string_view s) {
  for (char c : s) {
    if (!is_lws(c)) return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;  // lowercase: not §4.2 but universally accepted
  return -1;
}

struct WordHeader {
  std::string_view charset;  // as written, language suffix included
  char encoding = 0;         // 'B' or 'Q' (uppercased); other letters are reported as-is
  std::size_t text_start = 0;
};

// Parses "=?charset?X?" at pos (value[pos] == '=' and value[pos+1] == '?').
bool parse_header(std::string_view value, std::size_t pos, WordHeader& h) {
  std::size_t i = pos + 2;
  const std::size_t cs_start = i;
  while (i < value.size() && value[i] != '?') {
    const auto c = static_cast<unsigned char>(value[i]);
    // §2: charset is a token (no space or controls); 8-bit bytes are not a charset name either.
    if (c <= 0x20 || c >= 0x7F) return false;
    if (i - cs_start >= kMaxCharsetLength) return false;
    ++i;
  }
  if (i == cs_start || i + 2 >= value.size() || value[i + 2] != '?') return false;
  h.charset = value.substr(cs_start, i - cs_start);
  const char e = value[i + 1];
  h.encoding = (e == 'b' || e == 'B') ? 'B' : (e == 'q' || e == 'Q') ? 'Q' : e;
  h.text_start = i + 3;
  return true;
}

bool looks_like_word_start(std::string_view value, std::size_t pos) {
  WordHeader h;
  return parse_header(value, pos, h) && (h.encoding == 'B' || h.encoding == 'Q');
}

struct Word {
  WordHeader header;
  std::string_view text;  // encoded-text
  std::size_t end = 0;    // offset just past the word ("?=" included when present)
  bool terminated = false;
};

// Finds where the encoded-text of a word starting with header h ends: at the first "?=", or,
// when that is missing, just before the next thing that starts an encoded-word, or at end of input.
// Scanning '?' by '?' keeps the whole tokenizer linear even on "=?a?q?x =?a?q?x ..." floods.
Word find_word_end(std::string_view value, const WordHeader& h) {
  Word w;
  w.header = h;
  std::size_t k = h.text_start;
  while (k < value.size()) {
    const void* q = std::memchr(value.data() + k, '?', value.size() - k);
    if (q == nullptr) break;
    k = static_cast<std::size_t>(static_cast<const char*>(q) - value.data());
    if (k + 1 < value.size() && value[k + 1] == '=') {
      w.text = value.substr(h.text_start, k - h.text_start);
      w.end = k + 2;
      w.terminated = true;
      return w;
    }
    if (k > h.text_start && value[k - 1] == '=' && looks_like_word_start(value, k - 1)) {
      std::size_t stop = k - 1;
      w.end = stop;
      while (stop > h.text_start && is_lws(value[stop - 1])) --stop;
      w.text = value.substr(h.text_start, stop - h.text_start);
      return w;
    }
    ++k;
  }
  // Unterminated at end of input: take everything (a dangling '?' is the start of a lost "?=").
  std::string_view text = value.substr(h.text_start);
  if (!text.empty() && text.back() == '?') text.remove_suffix(1);
  w.text = text;
  w.end = value.size();
  return w;
}

// §4.2 "Q": like quoted-printable, plus '_' for 0x20. Spaces (forbidden by §5) are kept, as
// clients keep them; invalid escapes stay literal.
void decode_q(std::string_view text, std::string& bytes, bool& malformed) {
  bytes.reserve(bytes.size() + text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '_') {
      bytes.push_back(' ');
    } else if (c == '=') {
      const int hi = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (hi >= 0 && lo >= 0) {
        bytes.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
      } else {
        bytes.push_back('=');
        malformed = true;
      }
    } else {
      if (c == ' ' || c == '\t') malformed = true;
      bytes.push_back(c);
    }
  }
}

// The charset part without its RFC 2231 §5 language suffix ("utf-8*en" -> "utf-8").
std::string_view strip_language(std::string_view charset) {
  const std::size_t star = charset.find('*');
  return star == std::string_view::npos ? charset : charset.substr(0, star);
}

// Two words are in the same charset when their names match ignoring case and punctuation.
std::string charset_key(std::string_view charset) {
  std::string key;
  for (char c : strip_language(charset)) {
    if (c >= 'A' && c <= 'Z') {
      key.push_back(static_cast<char>(c + 32));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      key.push_back(c);
    }
  }
  return key;
}

struct Token {
  bool is_word = false;
  std::string_view text;     // literal text (is_word == false)
  std::string_view charset;  // word charset without language
  std::string key;           // charset_key(charset)
  std::string bytes;         // decoded word bytes
};

// §5(1): an encoded-word must be delimited by whitespace (or, §5(2), by comment parentheses).
bool glued_before(std::string_view value, std::size_t pos) {
  return pos > 0 && !is_lws(value[pos - 1]) && value[pos - 1] != '(';
}
bool glued_after(std::string_view value, std::size_t end) {
  return end < value.size() && !is_lws(value[end]) && value[end] != ')';
}

// Truncates s to at most n bytes without cutting a UTF-8 sequence.
void truncate_utf8(std::string& s, std::size_t n) {
  if (s.size() <= n) return;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
}

}  // namespace

EncodedWordStats decode_encoded_words(std::string_view value, std::string& out) {
  EncodedWordStats stats;
  const std::size_t base = out.size();
  const std::size_t cap = value.size() * kMaxGrowthFactor + kMaxGrowthSlack;

  // Most header values hold no encoded-word at all.
  if (value.find("=?") == std::string_view::npos) {
    if (is_valid_utf8(value)) {
      out.append(value);
    } else {
      convert_to_utf8(value, "", out);
    }
    return stats;
  }

  // Tokenize into literal text and decoded words.
  std::vector<Token> tokens;
  std::size_t text_start = 0;
  std::size_t pos = 0;
  while (pos < value.size()) {
    const std::size_t s = value.find("=?", pos);
    if (s == std::string_view::npos) break;
    WordHeader h;
    if (!parse_header(value, s, h)) {
      pos = s + 1;
      continue;
    }
    if (h.encoding != 'B' && h.encoding != 'Q') {
      // "=?utf-8?X?...": shaped like an encoded-word with an unknown encoding; left as text.
      ++stats.malformed;
      pos = h.text_start;
      continue;
    }
    const Word w = find_word_end(value, h);
    if (s > text_start) tokens.push_back({false, value.substr(text_start, s - text_start), {}, {}, {}});
    Token t;
    t.is_word = true;
    t.charset = strip_language(h.charset);
    t.key = charset_key(h.charset);
    bool malformed = !w.terminated || w.text.empty() || glued_before(value, s) ||
                     glued_after(value, w.end);
    if (h.encoding == 'B') {
      const DecodeStats ds = decode_base64(w.text, t.bytes, w.text.size());
      if (ds.invalid != 0) malformed = true;
    } else {
      decode_q(w.text, t.bytes, malformed);
    }
    ++stats.words;
    if (malformed) ++stats.malformed;
    tokens.push_back(std::move(t));
    pos = text_start = w.end;
  }
  if (text_start < value.size()) tokens.push_back({false, value.substr(text_start), {}, {}, {}});

  // §6.2: whitespace-only text between two encoded-words is not displayed.
  for (std::size_t i = 1; i + 1 < tokens.size(); ++i) {
    if (!tokens[i].is_word && tokens[i - 1].is_word && tokens[i + 1].is_word &&
        all_lws(tokens[i].text)) {
      tokens[i].text = {};
    }
  }

  // Literal text that is not UTF-8: pick one charset for the whole value (detection on the joined
  // segments is far more reliable than on each fragment), then convert each segment with it.
  std::string literal_charset;
  {
    std::size_t bad_segments = 0;
    std::string joined;
    for (const Token& t : tokens) {
      if (!t.is_word && !t.text.empty() && !is_valid_utf8(t.text)) {
        ++bad_segments;
        joined.append(t.text);
      }
    }
    if (bad_segments > 1) {
      std::string scratch;
      literal_charset = convert_to_utf8(joined, "", scratch).charset_used;
    }
  }

  // Emit, joining the bytes of consecutive words in the same charset before conversion.
  std::string run;
  std::string_view run_charset;
  std::string_view run_key;
  bool run_open = false;
  auto flush_run = [&] {
    if (!run_open) return;
    const CharsetConversion c = convert_to_utf8(run, run_charset, out);
    if (c.declared_unknown) stats.unknown_charset = true;
    run.clear();
    run_open = false;
  };
  for (const Token& t : tokens) {
    if (out.size() - base > cap) break;
    if (t.is_word) {
      if (run_open && t.key != run_key) flush_run();
      if (!run_open) {
        run_open = true;
        run_charset = t.charset;
        run_key = t.key;
      }
      run.append(t.bytes);
      continue;
    }
    if (t.text.empty()) continue;  // dropped whitespace: the run stays open
    flush_run();
    if (is_valid_utf8(t.text)) {
      out.append(t.text);  // RFC 6532: raw UTF-8 in headers
    } else {
      convert_to_utf8(t.text, literal_charset, out);
    }
  }
  flush_run();
  if (out.size() - base > cap) truncate_utf8(out, base + cap);
  return stats;
}

}  // namespace vigie::parse

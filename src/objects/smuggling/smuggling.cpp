// The static reading of an HTML smuggling page: see smuggling.h.
#include "objects/smuggling/smuggling.h"

#include <algorithm>
#include <array>

#include "common/ascii.h"
#include "parse/encoding/transfer_decoding.h"

namespace vigie::objects::smuggling {
namespace {

constexpr std::size_t kMaxNameBytes = 255;
// How far back from "base64," the "data:" of a data URL may start (its media type and parameters).
constexpr std::size_t kMaxDataUrlHeader = 128;

constexpr std::array<bool, 256> kBase64Alphabet = [] {
  std::array<bool, 256> table{};
  for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = true;
  table['+'] = table['/'] = table['='] = true;
  return table;
}();

bool is_base64(char c) { return kBase64Alphabet[static_cast<unsigned char>(c)]; }

// An even run of hex digits only (one case), as a hex-encoded file is written.
bool is_hex(std::string_view text) {
  if (text.empty() || text.size() % 2 != 0) return false;
  const bool upper = std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'F'; });
  const bool lower = std::any_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'f'; });
  return !(upper && lower) && std::all_of(text.begin(), text.end(), [](char c) { return ascii::is_hex_digit(c); });
}
bool is_quote(char c) { return c == '"' || c == '\'' || c == '`'; }
bool contains(std::string_view text, std::string_view needle) { return text.find(needle) != std::string_view::npos; }

std::size_t skip_spaces(std::string_view text, std::size_t p) {
  while (p < text.size() && ascii::is_space(text[p])) ++p;
  return p;
}

// The quoted name at p (after optional spaces), "" when there is none.
std::string quoted_name(std::string_view text, std::size_t p) {
  p = skip_spaces(text, p);
  if (p >= text.size() || !is_quote(text[p])) return {};
  const char quote = text[p];
  // Searched within the longest name only: a quote left open must not cost a pass over the rest.
  const std::size_t end = text.substr(p + 1, kMaxNameBytes + 1).find(quote);
  if (end == std::string_view::npos) return {};
  std::string name(text.substr(p + 1, end));
  // A name with markup or a line break is not a file name.
  if (name.find_first_of("<>\r\n") != std::string::npos) return {};
  return name;
}

struct Candidate {
  Encoding encoding = Encoding::kBase64Literal;
  std::vector<std::string_view> segments;  // base64: the joined literals; array: its text
  std::uint64_t size = 0;
  bool bytes_only = true;                  // array: every element fits a byte
};

class Scanner {
 public:
  Scanner(std::string_view text, const ScanLimits& limits) : text_(text), limits_(limits) {}

  Report run() {
    find_apis();
    const std::uint32_t saves = kBlob | kCreateObjectUrl | kMsSaveBlob | kDownloadAttribute;
    if ((report_.apis & saves) == 0) return std::move(report_);
    find_candidates();
    if (best_.size > 0) decode_best();
    return std::move(report_);
  }

 private:
  void find_apis() {
    const auto mark = [&](Api api, std::initializer_list<std::string_view> needles) {
      for (std::string_view needle : needles) {
        if (contains(text_, needle)) {
          report_.apis |= api;
          return;
        }
      }
    };
    mark(kAtob, {"atob("});
    mark(kUint8Array, {"Uint8Array"});
    mark(kFromCharCode, {"fromCharCode", "charCodeAt"});
    mark(kBlob, {"Blob("});
    mark(kCreateObjectUrl, {"createObjectURL"});
    mark(kMsSaveBlob, {"msSaveOrOpenBlob", "msSaveBlob"});
    mark(kClick, {".click()", "MouseEvent('click'", "MouseEvent(\"click\"", "dispatchEvent("});
    find_download_names();
    find_save_names();
  }

  // download="name" (an attribute) and .download = "name" (the same set by script).
  void find_download_names() {
    for (std::string_view word : {"download", "DOWNLOAD", "Download"}) {
      for (std::size_t p = text_.find(word); p != std::string_view::npos; p = text_.find(word, p + 1)) {
        const std::size_t after = skip_spaces(text_, p + word.size());
        if (after >= text_.size() || text_[after] != '=' || (after + 1 < text_.size() && text_[after + 1] == '=')) {
          continue;
        }
        // Part of a longer identifier (isDownload=, downloadUrl=) is something else.
        if (p > 0 && (ascii::is_alnum(text_[p - 1]) || text_[p - 1] == '_' || text_[p - 1] == '-')) continue;
        report_.apis |= kDownloadAttribute;
        if (report_.download_name.empty()) report_.download_name = quoted_name(text_, after + 1);
      }
    }
  }

  // msSaveOrOpenBlob(blob, "name"): the second argument.
  void find_save_names() {
    if (!report_.download_name.empty()) return;
    for (std::string_view word : {"msSaveOrOpenBlob(", "msSaveBlob("}) {
      const std::size_t p = text_.find(word);
      if (p == std::string_view::npos) continue;
      const std::string_view call = text_.substr(p, 512);
      const std::size_t close = call.find(')');
      const std::size_t comma = call.find(',');
      if (comma == std::string_view::npos || comma > close) continue;
      report_.download_name = quoted_name(text_, p + comma + 1);
      if (!report_.download_name.empty()) return;
    }
  }

  void find_candidates() {
    std::size_t p = 0;
    while (p < text_.size()) {
      const char c = text_[p];
      if (is_quote(c)) {
        p = base64_literal(p);
      } else if (c == '[') {
        p = number_array(p);
      } else if (c == ',' && p >= 6 && ascii::iequals(text_.substr(p - 6, 6), "base64")) {
        p = data_url(p);
      } else {
        ++p;
      }
    }
  }

  void consider(Candidate candidate) {
    ++report_.candidates;
    if (report_.candidates > limits_.max_candidates) {
      report_.candidates_limited = true;
      return;
    }
    if (candidate.size > best_.size) best_ = std::move(candidate);
  }

  bool more_allowed() const { return report_.candidates < limits_.max_candidates; }

  // A quoted run of base64 characters, joined with the next ones across "..." + "...".
  std::size_t base64_literal(std::size_t open) {
    Candidate candidate;
    std::size_t p = open;
    while (p < text_.size() && is_quote(text_[p])) {
      const char quote = text_[p];
      std::size_t end = p + 1;
      while (end < text_.size() && is_base64(text_[end])) ++end;
      if (end >= text_.size() || text_[end] != quote) {
        if (candidate.segments.empty()) return end > p + 1 ? end : p + 1;
        break;
      }
      candidate.segments.push_back(text_.substr(p + 1, end - p - 1));
      candidate.size += end - p - 1;
      std::size_t next = skip_spaces(text_, end + 1);
      if (next >= text_.size() || text_[next] != '+') {
        p = end + 1;
        break;
      }
      next = skip_spaces(text_, next + 1);
      p = next;
      if (next >= text_.size() || !is_quote(text_[next])) break;
    }
    if (candidate.size >= kMinBase64Chars && more_allowed()) {
      consider(std::move(candidate));
    } else if (candidate.size >= kMinBase64Chars) {
      report_.candidates_limited = true;
    }
    return std::max(p, open + 1);
  }

  // [12, 250, 0x1f, ...]: the byte values of a file, the way typed arrays are written.
  std::size_t number_array(std::size_t open) {
    std::size_t p = skip_spaces(text_, open + 1);
    if (p >= text_.size() || !ascii::is_digit(text_[p])) return open + 1;
    Candidate candidate;
    candidate.encoding = Encoding::kNumberArray;
    std::uint64_t elements = 0;
    while (p < text_.size()) {
      p = skip_spaces(text_, p);
      if (p >= text_.size() || !ascii::is_digit(text_[p])) return p;
      std::uint64_t value = 0;
      if (text_[p] == '0' && p + 1 < text_.size() && (text_[p + 1] | 0x20) == 'x') {
        p += 2;
        while (p < text_.size() && ascii::is_hex_digit(text_[p])) value = (value << 4 | ascii::hex_value(text_[p++])) & 0xFFFFFF;
      } else {
        while (p < text_.size() && ascii::is_digit(text_[p])) value = (value * 10 + (text_[p++] - '0')) & 0xFFFFFF;
      }
      if (value > 255) candidate.bytes_only = false;
      ++elements;
      p = skip_spaces(text_, p);
      if (p < text_.size() && text_[p] == ',') {
        ++p;
        continue;
      }
      if (p < text_.size() && text_[p] == ']') break;
      return p;
    }
    if (p >= text_.size()) return p;
    if (elements >= kMinArrayElements) {
      candidate.segments.push_back(text_.substr(open + 1, p - open - 1));
      candidate.size = p - open - 1;
      if (more_allowed()) {
        consider(std::move(candidate));
      } else {
        report_.candidates_limited = true;
      }
    }
    return p + 1;
  }

  // data:<type>;base64,<data> whose type is not an image or a font (those are what newsletters
  // and signatures inline).
  std::size_t data_url(std::size_t comma) {
    const std::size_t from = comma > kMaxDataUrlHeader ? comma - kMaxDataUrlHeader : 0;
    const std::string header = ascii::lowercase(text_.substr(from, comma - from));
    const std::size_t data = header.rfind("data:");
    if (data == std::string::npos) return comma + 1;
    const std::string_view type = std::string_view(header).substr(data + 5);
    for (std::string_view harmless : {"image/", "font/", "application/font", "application/x-font", "text/css",
                                      "application/vnd.ms-fontobject"}) {
      if (type.starts_with(harmless)) return comma + 1;
    }
    std::size_t end = comma + 1;
    while (end < text_.size() && (is_base64(text_[end]) || text_[end] == '\r' || text_[end] == '\n')) ++end;
    Candidate candidate;
    candidate.encoding = Encoding::kDataUrl;
    candidate.segments.push_back(text_.substr(comma + 1, end - comma - 1));
    candidate.size = end - comma - 1;
    if (candidate.size >= kMinBase64Chars) {
      if (more_allowed()) {
        consider(std::move(candidate));
      } else {
        report_.candidates_limited = true;
      }
    }
    return end;
  }

  void decode_best() {
    Payload payload;
    payload.encoding = best_.encoding;
    payload.encoded_size = best_.size;
    if (best_.encoding == Encoding::kNumberArray) {
      if (best_.bytes_only) {
        auto bytes = std::make_shared<std::string>();
        const std::string_view list = best_.segments.front();
        std::size_t p = 0;
        while (p < list.size()) {
          while (p < list.size() && !ascii::is_digit(list[p])) ++p;
          if (p >= list.size()) break;
          unsigned value = 0;
          if (list[p] == '0' && p + 1 < list.size() && (list[p + 1] | 0x20) == 'x') {
            p += 2;
            while (p < list.size() && ascii::is_hex_digit(list[p])) value = (value << 4 | ascii::hex_value(list[p++])) & 0xFFF;
          } else {
            while (p < list.size() && ascii::is_digit(list[p])) value = (value * 10 + static_cast<unsigned>(list[p++] - '0')) & 0xFFF;
          }
          if (bytes->size() >= limits_.max_payload_bytes) {
            payload.truncated = true;
            break;
          }
          bytes->push_back(static_cast<char>(value));
        }
        payload.bytes = std::move(bytes);
      }
    } else {
      std::string joined;
      joined.reserve(best_.size);
      for (std::string_view segment : best_.segments) joined.append(segment);
      auto bytes = std::make_shared<std::string>();
      if (is_hex(joined)) {
        // "4d5a9000...": a file written as hex digits (decoded by a hex loop in the page) is valid
        // base64 too, but reads as noise that way.
        payload.encoding = Encoding::kHexString;
        for (std::size_t i = 0; i + 1 < joined.size(); i += 2) {
          if (bytes->size() >= limits_.max_payload_bytes) {
            payload.truncated = true;
            break;
          }
          bytes->push_back(static_cast<char>(ascii::hex_value(joined[i]) << 4 | ascii::hex_value(joined[i + 1])));
        }
      } else {
        const parse::DecodeStats stats = parse::decode_base64(joined, *bytes, limits_.max_payload_bytes);
        payload.truncated = stats.truncated;
      }
      payload.bytes = std::move(bytes);
    }
    report_.largest = std::move(payload);
  }

  std::string_view text_;
  const ScanLimits& limits_;
  Report report_;
  Candidate best_;
};

}  // namespace

std::vector<std::string_view> api_names(std::uint32_t apis) {
  static constexpr std::array<std::string_view, 8> kNames{
      "atob", "Uint8Array", "String.fromCharCode", "Blob", "URL.createObjectURL", "msSaveOrOpenBlob",
      "download attribute", "click()"};
  std::vector<std::string_view> names;
  for (std::size_t bit = 0; bit < kNames.size(); ++bit) {
    if ((apis & (1u << bit)) != 0) names.push_back(kNames[bit]);
  }
  return names;
}

std::string_view encoding_name(Encoding encoding) {
  switch (encoding) {
    case Encoding::kBase64Literal: return "base64 string";
    case Encoding::kNumberArray: return "array of numbers";
    case Encoding::kDataUrl: return "base64 data: URL";
    case Encoding::kHexString: return "hex string";
  }
  return "";
}

bool Report::assembles_file() const {
  if (!largest) return false;
  if (largest->encoding == Encoding::kDataUrl) return (apis & kDownloadAttribute) != 0;
  const bool decodes = (apis & (kAtob | kUint8Array | kFromCharCode)) != 0;
  const bool saves = (apis & (kBlob | kCreateObjectUrl | kMsSaveBlob)) != 0 ||
                     ((apis & kDownloadAttribute) != 0 && (apis & kClick) != 0);
  return decodes && saves;
}

Report scan(std::string_view text, const ScanLimits& limits) { return Scanner(text, limits).run(); }

}  // namespace vigie::objects::smuggling

// Finder and decoder of uuencoded attachments embedded in text bodies ("begin MODE NAME" ... data
// lines ... "end"). Attackers still use them because some clients render them as attachments while
// scanners looking only at MIME parts miss them. Owns block delimitation, the line format (a length
// character then groups of four characters, each (c - 32) & 63, so both '`' and ' ' mean zero) and
// the block/byte limits. Lenient like uudecode implementations: lines whose trailing spaces were
// stripped in transit are completed with zeros, extra characters after the announced length are
// ignored, and lines that are not uuencoded data are skipped.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parse/encoding/transfer_decoding.h"

namespace vigie::parse {
namespace {

constexpr std::string_view kBegin = "begin ";
// A longer name is not a real file name; keep a prefix so reports stay bounded.
constexpr std::size_t kMaxFilename = 1024;
// More octal digits than "0100644" is not a permission mode.
constexpr std::size_t kMaxModeDigits = 7;

struct Line {
  std::string_view text;  // without the line terminator ("\n" or "\r\n")
  std::size_t next = 0;   // offset of the following line
};

Line line_at(std::string_view text, std::size_t pos) {
  const std::size_t nl = text.find('\n', pos);
  const std::size_t stop = nl == std::string_view::npos ? text.size() : nl;
  std::string_view line = text.substr(pos, stop - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return {line, nl == std::string_view::npos ? text.size() : nl + 1};
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Parses "begin 644 name"; returns false when the line is not a begin line.
bool parse_begin(std::string_view line, std::uint32_t& mode, std::string& filename) {
  if (line.substr(0, kBegin.size()) != kBegin) return false;
  std::size_t i = kBegin.size();
  while (i < line.size() && line[i] == ' ') ++i;
  const std::size_t digits_start = i;
  std::uint32_t m = 0;
  while (i < line.size() && line[i] >= '0' && line[i] <= '7') {
    m = m * 8 + static_cast<std::uint32_t>(line[i] - '0');
    ++i;
  }
  const std::size_t digits = i - digits_start;
  if (digits == 0 || digits > kMaxModeDigits) return false;
  if (i >= line.size() || (line[i] != ' ' && line[i] != '\t')) return false;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  const std::string_view name = trim_right(line.substr(i));
  if (name.empty()) return false;
  mode = m;
  filename.assign(name.substr(0, kMaxFilename));
  return true;
}

constexpr bool is_uu_char(unsigned char c) { return c >= 32 && c <= 96; }
constexpr unsigned uu_value(unsigned char c) { return (c - 32u) & 63u; }

enum class LineKind { kData, kZeroLength, kNotData };

// Decodes one data line into f.bytes within the byte budget.
LineKind decode_line(std::string_view line, UuencodedFile& f, std::uint64_t& budget) {
  if (line.empty()) return LineKind::kNotData;  // a " " line whose space was stripped, or a blank
  const auto len_char = static_cast<unsigned char>(line[0]);
  if (!is_uu_char(len_char)) return LineKind::kNotData;
  const unsigned n = uu_value(len_char);
  if (n == 0) return LineKind::kZeroLength;
  const std::string_view data = line.substr(1);
  const std::size_t needed = (n + 2) / 3 * 4;
  const std::size_t avail = data.size() < needed ? data.size() : needed;
  for (std::size_t i = 0; i < avail; ++i) {
    if (!is_uu_char(static_cast<unsigned char>(data[i]))) return LineKind::kNotData;
  }
  unsigned produced = 0;
  for (std::size_t g = 0; g < needed && produced < n; g += 4) {
    unsigned v[4];
    for (std::size_t k = 0; k < 4; ++k) {
      // Missing characters: trailing spaces eaten by a mail relay; they were zeros.
      v[k] = g + k < avail ? uu_value(static_cast<unsigned char>(data[g + k])) : 0;
    }
    const unsigned char bytes[3] = {
        static_cast<unsigned char>((v[0] << 2) | (v[1] >> 4)),
        static_cast<unsigned char>(((v[1] & 0xF) << 4) | (v[2] >> 2)),
        static_cast<unsigned char>(((v[2] & 0x3) << 6) | v[3]),
    };
    for (unsigned k = 0; k < 3 && produced < n; ++k, ++produced) {
      if (budget == 0) {
        f.truncated = true;
        return LineKind::kData;
      }
      f.bytes.push_back(static_cast<char>(bytes[k]));
      --budget;
    }
  }
  return LineKind::kData;
}

}  // namespace

std::vector<UuencodedFile> find_uuencoded(std::string_view text, std::uint32_t max_blocks,
                                          std::uint64_t max_bytes) {
  std::vector<UuencodedFile> files;
  std::uint64_t budget = max_bytes;
  std::size_t pos = 0;
  while (files.size() < max_blocks && pos < text.size()) {
    const std::size_t at = text.find(kBegin, pos);
    if (at == std::string_view::npos) break;
    if (at != 0 && text[at - 1] != '\n') {  // "begin" must start a line
      pos = at + 1;
      continue;
    }
    UuencodedFile f;
    const Line begin_line = line_at(text, at);
    if (!parse_begin(begin_line.text, f.mode, f.filename)) {
      pos = at + 1;
      continue;
    }
    f.begin_offset = at;
    f.end_offset = text.size();
    bool data_ended = false;
    std::size_t cur = begin_line.next;
    while (cur < text.size()) {
      const Line line = line_at(text, cur);
      if (trim_right(line.text) == "end") {
        f.complete = true;
        f.end_offset = cur + 3;
        break;
      }
      std::uint32_t unused_mode = 0;
      std::string unused_name;
      if (parse_begin(line.text, unused_mode, unused_name)) {
        // A new block starts before this one ended: this one is unterminated.
        f.end_offset = cur;
        break;
      }
      if (!data_ended && !f.truncated) {
        // After the zero-length line only "end" is expected; data there is ignored, as uudecode does.
        if (decode_line(line.text, f, budget) == LineKind::kZeroLength) data_ended = true;
      }
      cur = line.next;
    }
    pos = f.end_offset;
    const bool exhausted = f.truncated;
    files.push_back(std::move(f));
    if (exhausted) break;  // the byte budget is spent: further blocks could not be decoded
  }
  return files;
}

}  // namespace vigie::parse

// Text folding for lure matching (see text_fold.h). Works one code point at a time with a fast
// path for ASCII, which is most of the text of most mail; ICU supplies the decompositions.
#include "analyzers/lure_language/text_fold.h"

#include <algorithm>
#include <stdexcept>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace vigie::analyzers::lure_language {
namespace {

const icu::Normalizer2& nfkd() {
  static const icu::Normalizer2* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKDInstance(status);
    // ICU's built-in data ships NFKD; without it nothing of vigie's text handling works.
    if (U_FAILURE(status) || n == nullptr) throw std::runtime_error("ICU NFKD normaliser unavailable");
    return n;
  }();
  return *instance;
}

class Folder {
 public:
  Folder(std::size_t max_bytes, CaseFolding case_folding, std::size_t input_bytes)
      : max_bytes_(max_bytes), fold_case_(case_folding == CaseFolding::kFold) {
    out_.reserve(std::min(max_bytes, input_bytes));
  }

  bool full() const { return full_; }
  std::string take() { return std::move(out_); }

  // One ASCII character: most of the text, kept small enough to be inlined in the loop.
  void add_ascii(char c) {
    if (full_) return;
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {  // spaces and control characters separate words
      pending_space_ = !out_.empty();
      return;
    }
    if (fold_case_ && c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    if (pending_space_ || out_.size() >= max_bytes_) return append(static_cast<unsigned char>(c));
    out_.push_back(c);
  }

  // One code point of the input: special spellings first, then the NFKD decomposition.
  void add(UChar32 c) {
    if (c < 0x80) return emit(c);
    switch (c) {
      case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x02BC: case 0x00B4: case 0x2032:
        return emit('\'');
      case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: case 0x2033:
        return emit('"');
      case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
        return emit('-');
      case 0x0153: emit('o'); return emit('e');           // œ: NFKD keeps the ligature
      case 0x0152: emit('O'); return emit('E');
      case 0x00E6: emit('a'); return emit('e');           // æ
      case 0x00C6: emit('A'); return emit('E');
      case 0x00DF: emit('s'); return emit('s');           // ß
      default: break;
    }
    icu::UnicodeString decomposition;
    if (nfkd().getDecomposition(c, decomposition)) {
      for (int32_t i = 0; i < decomposition.length();) {
        const UChar32 d = decomposition.char32At(i);
        i += U16_LENGTH(d);
        // A decomposition can yield a typographic character again (e.g. U+2024 → '.'), never
        // one that needs the special table, so it goes straight to emit().
        emit(d);
      }
      return;
    }
    emit(c);
  }

 private:
  void emit(UChar32 c) {
    if (full_) return;
    if (c < 0x80) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        pending_space_ = !out_.empty();
        return;
      }
      if (c < 0x20 || c == 0x7F) {  // control characters separate words like spaces do
        pending_space_ = !out_.empty();
        return;
      }
      if (fold_case_ && c >= 'A' && c <= 'Z') c += 'a' - 'A';
      return append(c);
    }
    const int8_t type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK) {
      return;  // the accent of a decomposed letter
    }
    if (type == U_FORMAT_CHAR) return;  // zero-width space/joiners, soft hyphen, BOM: invisible
    if (u_isUWhiteSpace(c)) {
      pending_space_ = !out_.empty();
      return;
    }
    if (fold_case_) c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
    append(c);
  }

  void append(UChar32 c) {
    const std::size_t needed = (pending_space_ ? 1 : 0) + static_cast<std::size_t>(U8_LENGTH(c));
    if (out_.size() + needed > max_bytes_) {
      full_ = true;
      return;
    }
    if (pending_space_) out_.push_back(' ');
    pending_space_ = false;
    char buffer[U8_MAX_LENGTH];
    int32_t length = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buffer), length, U8_MAX_LENGTH, c, error);
    if (!error) out_.append(buffer, static_cast<std::size_t>(length));
  }

  std::string out_;
  std::size_t max_bytes_;
  bool fold_case_;
  bool pending_space_ = false;
  bool full_ = false;
};

}  // namespace

std::string fold_for_matching(std::string_view utf8, std::size_t max_bytes, CaseFolding case_folding) {
  Folder folder(max_bytes, case_folding, utf8.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(std::min<std::size_t>(utf8.size(), INT32_MAX));
  for (int32_t i = 0; i < length && !folder.full();) {
    if (bytes[i] < 0x80) {
      folder.add_ascii(static_cast<char>(bytes[i++]));
      continue;
    }
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    folder.add(c < 0 ? UChar32{' '} : c);
  }
  return folder.take();
}

}  // namespace vigie::analyzers::lure_language

// Charset name resolution and conversion of mail text to UTF-8. Owns the alias table for the names
// that mail software gets wrong (resolved the way browsers and mail clients resolve them, e.g.
// "iso-8859-1" read as its superset windows-1252 and "gb2312" as GB18030), the per-thread cache of
// ICU converters keyed by canonical name, ICU charset detection for undeclared 8-bit text, and the
// fast paths that keep ICU off the hot path: pure ASCII in an ASCII-compatible charset and valid
// UTF-8 declared as UTF-8 are passed through (to_utf8_text does not even copy them), and
// windows-1252 (the most common fallback) is decoded by a built-in table. Converting never fails:
// undecodable bytes become U+FFFD.
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>
#include <unicode/utypes.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "parse/encoding/charset.h"

#include "common/ascii.h"
#include "common/byte_scan.h"

namespace vigie::parse {
namespace {

// How a declared name is handled once resolved.
enum class Kind : std::uint8_t {
  kUndeclared,  // empty, or a placeholder that means "unknown" ("x-unknown", "unknown-8bit"...)
  kUnknown,     // a real declaration ICU cannot decode
  kUtf8,
  kAscii,       // us-ascii: 8-bit bytes in it are read as UTF-8 if valid, else windows-1252
  kWindows1252, // decoded by the built-in table (also iso-8859-1 and its aliases)
  kIcu,         // any other charset ICU knows
};

struct Resolved {
  Kind kind = Kind::kUndeclared;
  std::string canonical;  // name reported in CharsetConversion::charset_used and ICU open name
};

struct Alias {
  std::string_view key;  // normalized: lowercase letters and digits only
  Kind kind;
  std::string_view canonical;
};

constexpr std::string_view kUtf8Name = "UTF-8";
constexpr std::string_view kAsciiName = "US-ASCII";
constexpr std::string_view kWindows1252Name = "windows-1252";

// Names seen in real mail, normalized (see normalize_key). The targets follow the WHATWG Encoding
// Standard, which is what browsers and Thunderbird implement: a legacy label maps to the superset
// encoding that the sending software actually produced.
constexpr Alias kAliases[] = {
    // Placeholders meaning "no idea": detect instead of failing.
    {"xunknown", Kind::kUndeclared, ""},
    {"unknown", Kind::kUndeclared, ""},
    {"unknown8bit", Kind::kUndeclared, ""},
    {"xunknown8bit", Kind::kUndeclared, ""},
    {"xuserdefined", Kind::kUndeclared, ""},  // Outlook Express "User Defined": the ANSI codepage
    {"default", Kind::kUndeclared, ""},
    {"charset", Kind::kUndeclared, ""},
    {"none", Kind::kUndeclared, ""},
    {"autodetect", Kind::kUndeclared, ""},
    {"autodetectall", Kind::kUndeclared, ""},
    {"8bit", Kind::kUndeclared, ""},
    {"binary", Kind::kUndeclared, ""},
    // UTF-8 spellings.
    {"utf8", Kind::kUtf8, kUtf8Name},
    {"xutf8", Kind::kUtf8, kUtf8Name},
    {"unicode11utf8", Kind::kUtf8, kUtf8Name},
    {"unicode20utf8", Kind::kUtf8, kUtf8Name},
    {"unicodeutf8", Kind::kUtf8, kUtf8Name},
    // ASCII: 8-bit bytes under it are common (RFC 2046 §4.1.2 default, mislabelled).
    {"usascii", Kind::kAscii, kAsciiName},
    {"ascii", Kind::kAscii, kAsciiName},
    {"us", Kind::kAscii, kAsciiName},
    {"csascii", Kind::kAscii, kAsciiName},
    {"ansix341968", Kind::kAscii, kAsciiName},
    {"iso646us", Kind::kAscii, kAsciiName},
    {"iso646irv1991", Kind::kAscii, kAsciiName},
    {"ibm367", Kind::kAscii, kAsciiName},
    {"cp367", Kind::kAscii, kAsciiName},
    {"7bit", Kind::kAscii, kAsciiName},
    // ISO-8859-1 is decoded as windows-1252: senders label 1252 text (curly quotes, euro) as latin-1.
    {"iso88591", Kind::kWindows1252, kWindows1252Name},
    {"88591", Kind::kWindows1252, kWindows1252Name},
    {"iso885911987", Kind::kWindows1252, kWindows1252Name},
    {"latin1", Kind::kWindows1252, kWindows1252Name},
    {"isolatin1", Kind::kWindows1252, kWindows1252Name},
    {"l1", Kind::kWindows1252, kWindows1252Name},
    {"csisolatin1", Kind::kWindows1252, kWindows1252Name},
    {"isoir100", Kind::kWindows1252, kWindows1252Name},
    {"cp819", Kind::kWindows1252, kWindows1252Name},
    {"ibm819", Kind::kWindows1252, kWindows1252Name},
    {"windows1252", Kind::kWindows1252, kWindows1252Name},
    {"xansi", Kind::kWindows1252, kWindows1252Name},
    {"ansi", Kind::kWindows1252, kWindows1252Name},
    // Turkish: WHATWG reads iso-8859-9 as its superset windows-1254.
    {"iso88599", Kind::kIcu, "windows-1254"},
    {"latin5", Kind::kIcu, "windows-1254"},
    {"l5", Kind::kIcu, "windows-1254"},
    // Korean: "ks_c_5601-1987" is what Outlook writes for its codepage 949 (UHC), a superset of
    // EUC-KR; plain EUC-KR labels are read as 949 too.
    {"ksc56011987", Kind::kIcu, "windows-949"},
    {"ksc56011989", Kind::kIcu, "windows-949"},
    {"ksc5601", Kind::kIcu, "windows-949"},
    {"csksc56011987", Kind::kIcu, "windows-949"},
    {"isoir149", Kind::kIcu, "windows-949"},
    {"korean", Kind::kIcu, "windows-949"},
    {"euckr", Kind::kIcu, "windows-949"},
    {"xeuckr", Kind::kIcu, "windows-949"},
    {"cseuckr", Kind::kIcu, "windows-949"},
    {"windows949", Kind::kIcu, "windows-949"},
    {"xwindows949", Kind::kIcu, "windows-949"},
    {"cp949", Kind::kIcu, "windows-949"},
    {"ms949", Kind::kIcu, "windows-949"},
    {"uhc", Kind::kIcu, "windows-949"},
    // Hebrew/Arabic "-i" (logical) and "-e" (explicit) only describe directionality.
    {"iso88598i", Kind::kIcu, "ISO-8859-8"},
    {"iso88598e", Kind::kIcu, "ISO-8859-8"},
    {"csiso88598i", Kind::kIcu, "ISO-8859-8"},
    {"logical", Kind::kIcu, "ISO-8859-8"},
    {"visual", Kind::kIcu, "ISO-8859-8"},
    {"iso88596i", Kind::kIcu, "ISO-8859-6"},
    {"iso88596e", Kind::kIcu, "ISO-8859-6"},
    // Apple labels (Mac OS mail clients).
    {"xmacroman", Kind::kIcu, "macintosh"},
    {"macroman", Kind::kIcu, "macintosh"},
    {"macintosh", Kind::kIcu, "macintosh"},
    {"mac", Kind::kIcu, "macintosh"},
    {"xmac", Kind::kIcu, "macintosh"},
    {"csmacintosh", Kind::kIcu, "macintosh"},
    {"xmacicelandic", Kind::kIcu, "macintosh"},  // differs from Mac Roman in a few letters only
    {"xmaccroatian", Kind::kIcu, "macintosh"},
    {"xmacromanian", Kind::kIcu, "macintosh"},
    {"xmaccyrillic", Kind::kIcu, "x-mac-cyrillic"},
    {"xmacukrainian", Kind::kIcu, "x-mac-cyrillic"},
    {"maccyrillic", Kind::kIcu, "x-mac-cyrillic"},
    {"xmacgreek", Kind::kIcu, "x-mac-greek"},
    {"xmacce", Kind::kIcu, "x-mac-centraleurroman"},
    {"xmaccentraleurroman", Kind::kIcu, "x-mac-centraleurroman"},
    {"xmaccentraleurope", Kind::kIcu, "x-mac-centraleurroman"},
    {"xmacturkish", Kind::kIcu, "x-mac-turkish"},
    {"xmacjapanese", Kind::kIcu, "Shift_JIS"},
    {"xmacchinesetrad", Kind::kIcu, "Big5"},
    {"xmacchinesesimp", Kind::kIcu, "GB18030"},
    {"xmackorean", Kind::kIcu, "windows-949"},
    // Thai: TIS-620 and ISO-8859-11 are subsets of windows-874.
    {"windows874", Kind::kIcu, "windows-874"},
    {"xwindows874", Kind::kIcu, "windows-874"},
    {"cp874", Kind::kIcu, "windows-874"},
    {"dos874", Kind::kIcu, "windows-874"},
    {"tis620", Kind::kIcu, "windows-874"},
    {"iso885911", Kind::kIcu, "windows-874"},
    // Simplified Chinese: GB2312 < GBK < GB18030; senders label GBK text as gb2312.
    {"gb2312", Kind::kIcu, "GB18030"},
    {"gb231280", Kind::kIcu, "GB18030"},
    {"csgb2312", Kind::kIcu, "GB18030"},
    {"csiso58gb231280", Kind::kIcu, "GB18030"},
    {"isoir58", Kind::kIcu, "GB18030"},
    {"chinese", Kind::kIcu, "GB18030"},
    {"euccn", Kind::kIcu, "GB18030"},
    {"xeuccn", Kind::kIcu, "GB18030"},
    {"gbk", Kind::kIcu, "GB18030"},
    {"xgbk", Kind::kIcu, "GB18030"},
    {"cp936", Kind::kIcu, "GB18030"},
    {"ms936", Kind::kIcu, "GB18030"},
    {"windows936", Kind::kIcu, "GB18030"},
    {"gb18030", Kind::kIcu, "GB18030"},
    // Traditional Chinese.
    {"big5", Kind::kIcu, "Big5"},
    {"xbig5", Kind::kIcu, "Big5"},
    {"xxbig5", Kind::kIcu, "Big5"},
    {"cnbig5", Kind::kIcu, "Big5"},
    {"csbig5", Kind::kIcu, "Big5"},
    {"cp950", Kind::kIcu, "Big5"},
    {"windows950", Kind::kIcu, "Big5"},
    {"big5hkscs", Kind::kIcu, "Big5-HKSCS"},
    // Japanese: Shift_JIS labels carry Microsoft's cp932 in practice (ICU's Shift_JIS is cp932).
    {"shiftjis", Kind::kIcu, "Shift_JIS"},
    {"sjis", Kind::kIcu, "Shift_JIS"},
    {"xsjis", Kind::kIcu, "Shift_JIS"},
    {"mskanji", Kind::kIcu, "Shift_JIS"},
    {"csshiftjis", Kind::kIcu, "Shift_JIS"},
    {"windows31j", Kind::kIcu, "Shift_JIS"},
    {"cswindows31j", Kind::kIcu, "Shift_JIS"},
    {"cp932", Kind::kIcu, "Shift_JIS"},
    {"ms932", Kind::kIcu, "Shift_JIS"},
    {"xmscp932", Kind::kIcu, "Shift_JIS"},
    {"eucjp", Kind::kIcu, "EUC-JP"},
    {"xeucjp", Kind::kIcu, "EUC-JP"},
    {"cseucpkdfmtjapanese", Kind::kIcu, "EUC-JP"},
    // Cyrillic.
    {"koi8r", Kind::kIcu, "KOI8-R"},
    {"koi8", Kind::kIcu, "KOI8-R"},
    {"koi", Kind::kIcu, "KOI8-R"},
    {"cskoi8r", Kind::kIcu, "KOI8-R"},
    {"koi8u", Kind::kIcu, "KOI8-U"},
    {"koi8ru", Kind::kIcu, "KOI8-U"},
    // UTF-7 (RFC 2152), still produced by some webmail and used to hide content from filters.
    {"utf7", Kind::kIcu, "UTF-7"},
    {"xutf7", Kind::kIcu, "UTF-7"},
    {"unicode11utf7", Kind::kIcu, "UTF-7"},
    {"csunicode11utf7", Kind::kIcu, "UTF-7"},
    {"xunicode20utf7", Kind::kIcu, "UTF-7"},
};

// A declared name longer than this is garbage (the longest IANA name is 45 characters).
constexpr std::size_t kMaxCharsetName = 64;
// Distinct declared names remembered per thread; hostile mail can declare any number of names.
constexpr std::size_t kMaxResolvedNames = 512;
// Charset detection reads a bounded sample; more text does not change the answer, only the cost
// (ICU's n-gram matcher runs at a few MB/s, and undeclared 8-bit parts took an eighth of a parse).
constexpr std::size_t kMaxDetectBytes = 8 * 1024;
// How far into the text the sample's lines are looked for.
constexpr std::size_t kMaxDetectScanBytes = 64 * 1024;
// Detector answers below this confidence (0-100) are noise (10 is what ICU gives any byte string
// that is merely valid in a multibyte charset); windows-1252 is used instead.
constexpr std::int32_t kMinDetectConfidence = 20;
// Fewer non-ASCII bytes than this give the detector nothing to work on (a lone "é").
constexpr std::size_t kMinDetectHighBytes = 4;
// ICU pivot buffer (UTF-16 code units) for ucnv_convertEx.
constexpr std::size_t kPivotUnits = 1024;

// Strips what surrounds a name in the wild: whitespace, quotes, an RFC 2231 §5 language suffix
// ("utf-8*en"), trailing parameters glued by broken generators ("utf-8; format=flowed").
std::string_view clean_name(std::string_view name) {
  auto is_trim = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\''; };
  while (!name.empty() && is_trim(name.front())) name.remove_prefix(1);
  const std::size_t cut = name.find_first_of("*;, \t\r\n\"'");
  if (cut != std::string_view::npos) name = name.substr(0, cut);
  return name;
}

// Lowercase letters and digits only, so "UTF_8", "utf 8" and "Utf-8" are one key (ICU compares
// names the same way).
std::string normalize_key(std::string_view name) {
  std::string key;
  key.reserve(name.size());
  for (char c : name) {
    if (ascii::is_alnum(c)) key.push_back(ascii::lower(c));
  }
  return key;
}

// ICU also opens converters by file path and accepts ",option=" suffixes; only plain names reach it.
bool safe_for_icu(std::string_view name) {
  if (name.empty() || name.size() > kMaxCharsetName) return false;
  for (char c : name) {
    if (!ascii::is_alnum(c) && c != '-' && c != '_' && c != '.' && c != ':' && c != '+' && c != '(' &&
        c != ')')
      return false;
  }
  return true;
}

// "cp1251", "win-1251", "x-cp1251", "ms-1251", "windows1251" -> "windows-1251".
bool windows_codepage(std::string_view key, std::string& canonical) {
  if (key.substr(0, 1) == "x") key.remove_prefix(1);
  for (std::string_view prefix : {"windows", "win", "cp", "mscp", "ms", "ansi"}) {
    if (key.size() == prefix.size() + 4 && key.substr(0, prefix.size()) == prefix) {
      const std::string_view num = key.substr(prefix.size());
      if (num.substr(0, 3) == "125" && num[3] >= '0' && num[3] <= '8') {
        canonical = "windows-";
        canonical.append(num);
        return true;
      }
    }
  }
  return false;
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

struct CachedConverter {
  ConverterPtr conv;
  bool ascii_compatible = false;  // bytes 0x00-0x7F always mean ASCII (no shift states)
  bool saw_invalid = false;       // set by the to-Unicode callback during one conversion
};

// Writes U+FFFD and remembers that it had to. ICU's own substitute callback writes U+001A (SUB)
// instead for some legacy converters, which would hide the damage from later stages.
void flag_and_substitute(const void* context, UConverterToUnicodeArgs* args,
                         const char* /*code_units*/, int32_t /*length*/,
                         UConverterCallbackReason reason, UErrorCode* err) {
  if (reason != UCNV_UNASSIGNED && reason != UCNV_ILLEGAL && reason != UCNV_IRREGULAR) return;
  static_cast<CachedConverter*>(const_cast<void*>(context))->saw_invalid = true;
  static constexpr UChar kReplacement = 0xFFFD;
  *err = U_ZERO_ERROR;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, err);
}

struct ThreadState {
  std::unordered_map<std::string, Resolved> resolved;  // cleaned lowercase name -> resolution
  std::unordered_map<std::string, std::unique_ptr<CachedConverter>> converters;  // by canonical
  ConverterPtr utf8;  // the target side of every conversion
  std::unique_ptr<UCharsetDetector, void (*)(UCharsetDetector*)> detector{nullptr, ucsdet_close};
  std::string detection_sample;  // reused: see take_detection_sample
};

ThreadState& state() {
  thread_local ThreadState s;
  return s;
}

bool is_ascii(std::string_view s) {
  return scan::skip_ascii(s.data(), s.data() + s.size()) == s.data() + s.size();
}

UConverter* utf8_converter() {
  ThreadState& st = state();
  if (!st.utf8) {
    UErrorCode err = U_ZERO_ERROR;
    st.utf8.reset(ucnv_open("UTF-8", &err));
    if (U_FAILURE(err)) st.utf8.reset();
  }
  return st.utf8.get();
}

// Runs bytes through conv into UTF-8 appended to out; false if ICU failed outright.
bool icu_convert(CachedConverter& cc, std::string_view bytes, std::string& out) {
  UConverter* target = utf8_converter();
  if (target == nullptr) return false;
  cc.saw_invalid = false;
  UChar pivot[kPivotUnits];
  UChar* pivot_source = pivot;
  UChar* pivot_target = pivot;
  const char* src = bytes.data();
  const char* const src_end = src + bytes.size();
  const std::size_t base = out.size();
  // Legacy charsets need at most 3 UTF-8 bytes per input byte (BMP from one byte, or U+FFFD).
  std::size_t pos = base;
  out.resize(base + bytes.size() * 3 + 16);
  bool reset = true;
  bool ok = true;
  for (;;) {
    char* dst = out.data() + pos;
    char* const dst_end = out.data() + out.size();
    UErrorCode err = U_ZERO_ERROR;
    ucnv_convertEx(target, cc.conv.get(), &dst, dst_end, &src, src_end, pivot, &pivot_source,
                   &pivot_target, pivot + kPivotUnits, reset, /*flush=*/true, &err);
    reset = false;
    pos = static_cast<std::size_t>(dst - out.data());
    if (err == U_BUFFER_OVERFLOW_ERROR) {
      out.resize(out.size() + out.size() / 2 + 64);
      continue;
    }
    ok = U_SUCCESS(err);
    break;
  }
  out.resize(pos);
  return ok;
}

CachedConverter* converter_for(const std::string& canonical) {
  ThreadState& st = state();
  auto it = st.converters.find(canonical);
  if (it != st.converters.end()) return it->second.get();
  auto cc = std::make_unique<CachedConverter>();
  UErrorCode err = U_ZERO_ERROR;
  cc->conv.reset(ucnv_open(canonical.c_str(), &err));
  if (U_FAILURE(err) || !cc->conv) return nullptr;
  err = U_ZERO_ERROR;
  ucnv_setToUCallBack(cc->conv.get(), flag_and_substitute, cc.get(), nullptr, nullptr, &err);
  if (U_FAILURE(err)) return nullptr;
  // ASCII short-circuit is only sound for charsets where 7-bit bytes are plain ASCII in every
  // state: not UTF-7, ISO-2022 or HZ (7-bit shift sequences), UTF-16/32 or EBCDIC.
  const UConverterType type = ucnv_getType(cc->conv.get());
  if (type == UCNV_SBCS || type == UCNV_MBCS || type == UCNV_LATIN_1 || type == UCNV_UTF8 ||
      type == UCNV_US_ASCII) {
    std::string probe(128, '\0');
    for (int i = 0; i < 128; ++i) probe[static_cast<std::size_t>(i)] = static_cast<char>(i);
    std::string converted;
    cc->ascii_compatible = icu_convert(*cc, probe, converted) && converted == probe;
  }
  CachedConverter* raw = cc.get();
  st.converters.emplace(canonical, std::move(cc));
  return raw;
}

Resolved resolve_uncached(std::string_view cleaned) {
  if (cleaned.empty()) return {Kind::kUndeclared, {}};
  const std::string key = normalize_key(cleaned);
  if (key.empty()) return {Kind::kUnknown, {}};
  for (const Alias& a : kAliases) {
    if (a.key == key) return {a.kind, std::string(a.canonical)};
  }
  std::string canonical;
  if (windows_codepage(key, canonical)) {
    if (canonical == kWindows1252Name) return {Kind::kWindows1252, canonical};
    return {Kind::kIcu, canonical};
  }
  if (!safe_for_icu(cleaned)) return {Kind::kUnknown, {}};
  // Ask ICU, and report the name mail software would write (MIME, else IANA, else Windows).
  const std::string name(cleaned);
  UErrorCode err = U_ZERO_ERROR;
  ConverterPtr conv(ucnv_open(name.c_str(), &err));
  if (U_FAILURE(err) || !conv) return {Kind::kUnknown, {}};
  const UConverterType type = ucnv_getType(conv.get());
  if (type == UCNV_UTF8) return {Kind::kUtf8, std::string(kUtf8Name)};
  if (type == UCNV_US_ASCII) return {Kind::kAscii, std::string(kAsciiName)};
  if (type == UCNV_LATIN_1) return {Kind::kWindows1252, std::string(kWindows1252Name)};
  for (const char* standard : {"MIME", "IANA", "WINDOWS"}) {
    err = U_ZERO_ERROR;
    const char* std_name = ucnv_getStandardName(name.c_str(), standard, &err);
    if (U_SUCCESS(err) && std_name != nullptr) return {Kind::kIcu, std_name};
  }
  err = U_ZERO_ERROR;
  const char* icu_name = ucnv_getName(conv.get(), &err);
  if (U_FAILURE(err) || icu_name == nullptr) return {Kind::kUnknown, {}};
  return {Kind::kIcu, icu_name};
}

const Resolved& resolve(std::string_view declared) {
  ThreadState& st = state();
  const std::string_view cleaned = clean_name(declared);
  std::string cache_key(cleaned.substr(0, kMaxCharsetName + 1));
  for (char& c : cache_key) c = ascii::lower(c);
  auto it = st.resolved.find(cache_key);
  if (it != st.resolved.end()) return it->second;
  if (st.resolved.size() >= kMaxResolvedNames) st.resolved.clear();
  Resolved r = cleaned.size() > kMaxCharsetName ? Resolved{Kind::kUnknown, {}}
                                                 : resolve_uncached(cleaned);
  return st.resolved.emplace(std::move(cache_key), std::move(r)).first->second;
}

// windows-1252 bytes 0x80-0x9F as the WHATWG Encoding Standard maps them (the five holes map to
// the C1 control of the same value, so no byte is ever invalid).
constexpr std::array<std::uint16_t, 32> kWindows1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

void append_windows1252(std::string_view bytes, std::string& out) {
  // At least one output byte per input byte. Appending, not resizing to the three-byte worst case,
  // spares zero-filling a buffer three times the text.
  out.reserve(out.size() + bytes.size());
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {
    // Western text is mostly ASCII: its runs are copied as they are.
    const char* const run_end = scan::skip_ascii(p, end);
    out.append(p, static_cast<std::size_t>(run_end - p));
    p = run_end;
    if (p == end) break;
    const auto c = static_cast<unsigned char>(*p++);
    const std::uint32_t cp = c < 0xA0 ? kWindows1252High[c - 0x80] : c;
    char encoded[3];
    if (cp < 0x800) {
      encoded[0] = static_cast<char>(0xC0 | (cp >> 6));
      encoded[1] = static_cast<char>(0x80 | (cp & 0x3F));
      out.append(encoded, 2);
    } else {
      encoded[0] = static_cast<char>(0xE0 | (cp >> 12));
      encoded[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      encoded[2] = static_cast<char>(0x80 | (cp & 0x3F));
      out.append(encoded, 3);
    }
  }
}

// Charsets the detector may choose for mail. It also proposes UTF-16/32 (impossible: we get here
// only for 8-bit text that is not UTF-8 and these would need NULs or a BOM to be credible), ISO-2022
// (7-bit only) and IBM420/424 EBCDIC, which short Latin text sometimes "matches".
bool detection_plausible(std::string_view name) {
  static constexpr std::string_view kAllowed[] = {
      "ISO-8859-1", "ISO-8859-2", "ISO-8859-5", "ISO-8859-6", "ISO-8859-7", "ISO-8859-8",
      "ISO-8859-8-I", "ISO-8859-9", "windows-1250", "windows-1251", "windows-1252",
      "windows-1253", "windows-1254", "windows-1255", "windows-1256", "KOI8-R", "Shift_JIS",
      "EUC-JP", "EUC-KR", "GB18030", "Big5"};
  for (std::string_view a : kAllowed) {
    if (a == name) return true;
  }
  return false;
}

// The detector's sample: the lines that hold 8-bit bytes, in order, up to kMaxDetectBytes. Lines
// of pure ASCII read the same in every candidate charset, so they only dilute the statistics and
// cost time: in HTML most lines are markup, and the sample is then a fifth of the text's prefix.
// Lines end at '\n', which is never a byte of a multibyte character in the charsets the detector
// may choose, so no character is cut except by the size bound. Returns the number of 8-bit bytes.
std::size_t take_detection_sample(std::string_view bytes, std::string& sample) {
  sample.clear();
  bytes = bytes.substr(0, kMaxDetectScanBytes);
  std::size_t high = 0;
  while (!bytes.empty() && sample.size() < kMaxDetectBytes) {
    const std::size_t newline = bytes.find('\n');
    const std::size_t line_size = newline == std::string_view::npos ? bytes.size() : newline + 1;
    const std::string_view line = bytes.substr(0, line_size);
    bytes.remove_prefix(line_size);
    if (is_ascii(line)) continue;
    const std::string_view kept = line.substr(0, kMaxDetectBytes - sample.size());
    for (char c : kept) high += static_cast<unsigned char>(c) >> 7;
    sample.append(kept);
  }
  return high;
}

// Picks the charset of undeclared 8-bit text that is not UTF-8.
Resolved detect(std::string_view bytes) {
  const Resolved fallback{Kind::kWindows1252, std::string(kWindows1252Name)};
  ThreadState& st = state();
  if (take_detection_sample(bytes, st.detection_sample) < kMinDetectHighBytes) return fallback;
  UErrorCode err = U_ZERO_ERROR;
  if (!st.detector) {
    st.detector.reset(ucsdet_open(&err));
    if (U_FAILURE(err)) {
      st.detector.reset();
      return fallback;
    }
  }
  const std::string_view sample = st.detection_sample;
  err = U_ZERO_ERROR;
  ucsdet_setText(st.detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &err);
  if (U_FAILURE(err)) return fallback;
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(st.detector.get(), &count, &err);
  if (U_FAILURE(err) || matches == nullptr) return fallback;
  for (int32_t i = 0; i < count; ++i) {
    UErrorCode e = U_ZERO_ERROR;
    const std::int32_t confidence = ucsdet_getConfidence(matches[i], &e);
    if (U_FAILURE(e) || confidence < kMinDetectConfidence) break;  // sorted by confidence
    const char* name = ucsdet_getName(matches[i], &e);
    if (U_FAILURE(e) || name == nullptr || !detection_plausible(name)) continue;
    // Through the alias table: ISO-8859-1 -> windows-1252, EUC-KR -> windows-949...
    const Resolved& r = resolve(name);
    if (r.kind == Kind::kIcu || r.kind == Kind::kWindows1252) return r;
  }
  return fallback;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) { return check_utf8(bytes).valid; }

Utf8Check check_utf8(std::string_view bytes) {
  Utf8Check check;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const unsigned char* const end = p + bytes.size();
  // Past the first invalid sequence only the NUL question is left.
  const auto invalid = [&] {
    check.valid = false;
    check.nul = check.nul || std::memchr(p, '\0', static_cast<std::size_t>(end - p)) != nullptr;
    return check;
  };
  while (p < end) {
    p = reinterpret_cast<const unsigned char*>(
        scan::skip_ascii_except_nul(reinterpret_cast<const char*>(p), reinterpret_cast<const char*>(end)));
    if (p >= end) break;
    const unsigned c = *p;
    if (c < 0x80) {  // NUL
      check.nul = true;
      ++p;
      continue;
    }
    // RFC 3629 §4: no overlongs (C0, C1, E0 80-9F, F0 80-8F), no surrogates (ED A0-BF), nothing
    // above U+10FFFF (F4 90+, F5-FF).
    std::size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return invalid();
    }
    if (static_cast<std::size_t>(end - p) < len) return invalid();
    if (p[1] < lo || p[1] > hi) return invalid();
    for (std::size_t k = 2; k < len; ++k) {
      if ((p[k] & 0xC0) != 0x80) return invalid();
    }
    p += len;
  }
  return check;
}

namespace {

// convert_to_utf8 and to_utf8_text: where the bytes already are their UTF-8 text, result.unchanged
// is set and they are appended to out only when append_unchanged says so.
CharsetConversion convert(std::string_view bytes, std::string_view declared_charset, std::string& out,
                          bool append_unchanged) {
  CharsetConversion result;
  const auto keep = [&] {
    result.unchanged = true;
    if (append_unchanged) out.append(bytes);
  };
  Resolved resolved = resolve(declared_charset);  // copy: detect() may rehash the cache
  if (resolved.kind == Kind::kIcu && converter_for(resolved.canonical) == nullptr) {
    resolved.kind = Kind::kUnknown;  // an alias target this ICU build lacks
  }

  switch (resolved.kind) {
    case Kind::kUtf8:
      result.charset_used = kUtf8Name;
      if (is_valid_utf8(bytes)) {
        keep();
      } else if (CachedConverter* cc = converter_for(std::string(kUtf8Name)); cc != nullptr) {
        // ICU replaces each maximal invalid subpart by one U+FFFD (Unicode §3.9, as browsers do).
        icu_convert(*cc, bytes, out);
        result.invalid_bytes = true;
      } else {
        append_windows1252(bytes, out);
        result.charset_used = kWindows1252Name;
      }
      return result;
    case Kind::kAscii:
    case Kind::kWindows1252:
      if (is_ascii(bytes)) {
        result.charset_used = resolved.kind == Kind::kAscii ? kAsciiName : kWindows1252Name;
        keep();
      } else if (resolved.kind == Kind::kAscii && is_valid_utf8(bytes)) {
        // 8-bit under us-ascii: RFC 6532 senders that forgot the label, as clients assume.
        result.charset_used = kUtf8Name;
        keep();
      } else {
        result.charset_used = kWindows1252Name;
        append_windows1252(bytes, out);
      }
      return result;
    case Kind::kIcu: {
      CachedConverter* cc = converter_for(resolved.canonical);
      result.charset_used = resolved.canonical;
      if (cc->ascii_compatible && is_ascii(bytes)) {
        keep();
        return result;
      }
      if (!icu_convert(*cc, bytes, out)) result.invalid_bytes = true;
      if (cc->saw_invalid) result.invalid_bytes = true;
      return result;
    }
    case Kind::kUnknown:
      result.declared_unknown = true;
      [[fallthrough]];
    case Kind::kUndeclared:
      break;
  }

  // No usable declaration.
  if (is_ascii(bytes)) {
    result.charset_used = kAsciiName;
    keep();
    return result;
  }
  result.detected = true;
  if (is_valid_utf8(bytes)) {
    result.charset_used = kUtf8Name;
    keep();
    return result;
  }
  const Resolved guess = detect(bytes);
  if (guess.kind == Kind::kIcu) {
    if (CachedConverter* cc = converter_for(guess.canonical); cc != nullptr) {
      result.charset_used = guess.canonical;
      if (!icu_convert(*cc, bytes, out) || cc->saw_invalid) result.invalid_bytes = true;
      return result;
    }
  }
  result.charset_used = kWindows1252Name;
  append_windows1252(bytes, out);
  return result;
}

}  // namespace

CharsetConversion convert_to_utf8(std::string_view bytes, std::string_view declared_charset,
                                  std::string& out) {
  return convert(bytes, declared_charset, out, true);
}

Utf8Text to_utf8_text(std::string_view bytes, std::string_view declared_charset, std::string& storage) {
  storage.clear();
  Utf8Text text;
  text.conversion = convert(bytes, declared_charset, storage, false);
  text.text = text.conversion.unchanged ? bytes : std::string_view(storage);
  return text;
}

}  // namespace vigie::parse

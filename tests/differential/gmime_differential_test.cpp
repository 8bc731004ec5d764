// Differential test of vigie's MIME parser against GMime 3 over the shared mail corpus.
//
// This file owns the comparison. For every message of the shared corpus it lists the leaf parts
// (bodies and attachments; not multiparts, not the message/rfc822 containers whose content is
// walked instead) once as vigie sees them and once as GMime sees them, then compares per message:
// leaf count, the sequence of content types, file names, and the text of text/plain leaves after
// the representational normalisations documented at normalise_whitespace() and
// ascii_skeleton(). Every disagreement is filed under a named class with a few example files;
// the summary goes to stdout and to $VIGIE_DIFF_REPORT when set, and the test requires at least
// 99% of messages to agree. Neither parser is assumed right: the report is triage material for
// the parser owner, GMime being the reference because Evolution and many filters use it.
#include <gmime/gmime.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "vigie/limits.h"
#include "vigie/message.h"

#ifndef VIGIE_DEFAULT_CORPUS
#define VIGIE_DEFAULT_CORPUS "../shared/corpus"
#endif

namespace vigie::differential {
namespace {

namespace fs = std::filesystem;

constexpr double kRequiredAgreementPercent = 99.0;
constexpr std::size_t kExamplesPerClass = 5;

// ---------------------------------------------------------------------------------------------
// GMime plumbing

// GMime objects are reference counted GObjects; owning them through unique_ptr makes every early
// return release them, which matters over ~7000 messages.
struct GObjectUnref {
  void operator()(gpointer object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

void ensure_gmime_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

// ---------------------------------------------------------------------------------------------
// What both parsers are reduced to

struct LeafView {
  std::string content_type;  // "type/subtype", lowercase
  std::string filename;
  std::string charset;      // declared charset, lowercase (for the text comparison rules)
  std::string encoding;     // GMime's Content-Transfer-Encoding name, for reports only
  bool plain_text = false;  // text/plain: its text is compared
  std::string text;         // UTF-8 text (GMime: raw bytes when it could not convert)
};

struct MessageView {
  bool parsed = true;
  std::vector<LeafView> leaves;
};

std::string ascii_lower(std::string_view in) {
  std::string out(in);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

MessageView vigie_view(const std::shared_ptr<const std::string>& bytes) {
  MessageView view;
  const std::unique_ptr<ParsedMessage> message = ParsedMessage::parse(bytes, Limits{});
  for (const PartId id : message->leaves()) {
    const Part& part = message->part(id);
    LeafView leaf;
    leaf.content_type = ascii_lower(part.media_type) + "/" + ascii_lower(part.media_subtype);
    leaf.filename = part.filename;
    leaf.charset = ascii_lower(part.charset);
    leaf.plain_text = leaf.content_type == "text/plain";
    if (leaf.plain_text) leaf.text = std::string(message->text(id));
    view.leaves.push_back(std::move(leaf));
  }
  return view;
}

// The decoded text of a text part, converted from its declared charset to UTF-8. This is what
// g_mime_text_part_get_text() does (transfer decoding, then g_mime_filter_charset when the charset
// is declared and iconv knows it, raw decoded bytes otherwise), except that get_text() returns a
// NUL-terminated string and so cuts the text at the first NUL byte of the body, which would show
// up as a spurious difference.
std::string gmime_text(GMimePart* part, const std::string& charset) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  const GPtr<GMimeStream> sink(g_mime_stream_mem_new());
  GMimeFilter* filter =
      charset.empty() ? nullptr : g_mime_filter_charset_new(charset.c_str(), "utf-8");
  if (filter != nullptr) {
    const GPtr<GMimeStream> filtered(g_mime_stream_filter_new(sink.get()));
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), filter);
    g_object_unref(filter);
    g_mime_data_wrapper_write_to_stream(content, filtered.get());
    g_mime_stream_flush(filtered.get());
  } else {
    g_mime_data_wrapper_write_to_stream(content, sink.get());
  }
  const GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(sink.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

void collect_gmime_leaves(GMimeObject* object, std::vector<LeafView>& out) {
  if (object == nullptr) return;
  if (GMIME_IS_MULTIPART(object)) {
    GMimeMultipart* multipart = GMIME_MULTIPART(object);
    const int count = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i)
      collect_gmime_leaves(g_mime_multipart_get_part(multipart, i), out);
    return;
  }
  if (GMIME_IS_MESSAGE_PART(object)) {
    // An encapsulated message is a container: its body (mime_part) holds the leaves. Only when
    // GMime built no nested message does the message/rfc822 part itself count as a leaf, which is
    // also how vigie reports an encapsulated message it could not descend into.
    GMimeMessage* nested = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    if (nested != nullptr && g_mime_message_get_mime_part(nested) != nullptr) {
      collect_gmime_leaves(g_mime_message_get_mime_part(nested), out);
      return;
    }
  }
  LeafView leaf;
  GMimeContentType* type = g_mime_object_get_content_type(object);
  const char* media_type = type != nullptr ? g_mime_content_type_get_media_type(type) : nullptr;
  const char* media_subtype =
      type != nullptr ? g_mime_content_type_get_media_subtype(type) : nullptr;
  leaf.content_type = ascii_lower(media_type != nullptr ? media_type : "text") + "/" +
                      ascii_lower(media_subtype != nullptr ? media_subtype : "plain");
  if (type != nullptr) {
    const char* charset = g_mime_content_type_get_parameter(type, "charset");
    if (charset != nullptr) leaf.charset = ascii_lower(charset);
  }
  if (GMIME_IS_PART(object)) {
    const char* filename = g_mime_part_get_filename(GMIME_PART(object));
    if (filename != nullptr) leaf.filename = filename;
    // NULL for GMIME_CONTENT_ENCODING_DEFAULT (no Content-Transfer-Encoding field).
    const char* encoding =
        g_mime_content_encoding_to_string(g_mime_part_get_content_encoding(GMIME_PART(object)));
    leaf.encoding = encoding != nullptr ? encoding : "default";
  }
  leaf.plain_text = leaf.content_type == "text/plain";
  if (leaf.plain_text && GMIME_IS_PART(object))
    leaf.text = gmime_text(GMIME_PART(object), leaf.charset);
  out.push_back(std::move(leaf));
}

MessageView gmime_view(const std::string& bytes) {
  MessageView view;
  // with_buffer copies the bytes, so the stream does not depend on our buffer's lifetime.
  const GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  const GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  const GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  if (message == nullptr) {
    view.parsed = false;
    return view;
  }
  collect_gmime_leaves(g_mime_message_get_mime_part(message.get()), view.leaves);
  return view;
}

// ---------------------------------------------------------------------------------------------
// Text normalisation. Each step removes a difference of representation, never of content.

bool is_ascii_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Collapses every run of ASCII whitespace to one space and trims both ends. This absorbs CRLF vs
// LF, the trailing line break (RFC 2046 gives the CRLF before a boundary to the boundary, and
// parsers disagree on whether a body's last line break survives), and trailing spaces that
// quoted-printable soft breaks or transport padding leave behind. Line structure is not semantic
// for this comparison: both sides get the same treatment.
std::string normalise_whitespace(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  bool pending_space = false;
  for (const char c : in) {
    if (is_ascii_space(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t length = 0;
    std::uint32_t min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, min = 0x10000;
    } else {
      return false;
    }
    if (i + length > s.size()) return false;
    std::uint32_t code = c & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// Keeps only the ASCII characters (then re-normalises whitespace). Used only where the non-ASCII
// characters of a part have no defined meaning, so that which replacement each parser chose for
// them is representation, not content: see text_is_ill_defined().
std::string ascii_skeleton(std::string_view in) {
  std::string ascii;
  ascii.reserve(in.size());
  for (const char c : in) {
    if (static_cast<unsigned char>(c) < 0x80) ascii.push_back(c);
  }
  return normalise_whitespace(ascii);
}

bool has_non_ascii(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// The non-ASCII bytes of a text part are ill-defined when the declared charset cannot give them
// a meaning: no charset, or a 7-bit one (RFC 2046 defaults to us-ascii, so 8-bit bytes there are
// out of charset; clients guess — Thunderbird decodes them as windows-1252 per WHATWG, GMime
// passes them through or drops them), or when either parser already had to substitute U+FFFD for
// bytes invalid in the declared charset, or GMime could not convert at all (invalid UTF-8 out).
bool text_is_ill_defined(const LeafView& vigie_leaf, const LeafView& gmime_leaf) {
  const std::string& charset = gmime_leaf.charset.empty() ? vigie_leaf.charset : gmime_leaf.charset;
  const bool seven_bit_charset = charset.empty() || charset == "us-ascii" || charset == "ascii" ||
                                 charset == "ansi_x3.4-1968" || charset == "iso646-us";
  return seven_bit_charset || !is_valid_utf8(gmime_leaf.text) ||
         vigie_leaf.text.find(kReplacementCharacter) != std::string::npos ||
         gmime_leaf.text.find(kReplacementCharacter) != std::string::npos;
}

// ---------------------------------------------------------------------------------------------
// Comparison and classification

// Class names are stable: scripts grep the report for them.
constexpr std::string_view kClassGmimeFailed = "gmime_no_message";
constexpr std::string_view kClassLeafCount = "leaf_count";
constexpr std::string_view kClassContentType = "content_type";
constexpr std::string_view kClassFilename = "filename";
constexpr std::string_view kClassText = "text";
// Differs only in non-ASCII characters although the charset gives them a defined meaning.
constexpr std::string_view kClassTextCharset = "text_charset";
// The text_charset case of iso-8859-1 text using bytes 0x80-0x9F: GMime (iconv) yields the C1
// control characters of real ISO-8859-1, vigie the windows-1252 characters (euro sign, curly
// quotes...) as the WHATWG Encoding Standard and therefore browsers and Thunderbird do. Kept as a
// disagreement, but named so that nobody has to rediscover the cause.
constexpr std::string_view kClassTextLatin1C1 = "text_latin1_c1_as_cp1252";

bool has_c1_control(std::string_view utf8) {
  for (std::size_t i = 0; i + 1 < utf8.size(); ++i) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const auto next = static_cast<unsigned char>(utf8[i + 1]);
    if (lead == 0xC2 && next >= 0x80 && next <= 0x9F) return true;
  }
  return false;
}

bool is_latin1_label(std::string_view charset) {
  return charset == "iso-8859-1" || charset == "iso8859-1" || charset == "iso_8859-1" ||
         charset == "latin1" || charset == "l1" || charset == "iso-ir-100";
}

struct Disagreement {
  std::string klass;
  std::string detail;
};

std::string type_list(const MessageView& view) {
  std::string out = "[";
  for (std::size_t i = 0; i < view.leaves.size(); ++i) {
    if (i != 0) out += ", ";
    out += view.leaves[i].content_type;
  }
  return out + "]";
}

std::string quote_for_report(std::string_view s, std::size_t max = 60) {
  std::string out = "\"";
  for (const char c : s.substr(0, max)) {
    // Control characters are escaped so that the report stays one readable line per example.
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      const auto byte = static_cast<unsigned char>(c);
      out += "\\x";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
      continue;
    }
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + (s.size() > max ? "...\"" : "\"");
}

// Shows where two normalised texts diverge, with a little context on each side.
std::string first_difference(std::string_view a, std::string_view b) {
  std::size_t at = 0;
  while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
  const std::size_t from = at > 20 ? at - 20 : 0;
  std::ostringstream out;
  out << "at byte " << at << " (lengths " << a.size() << " vs " << b.size() << "): vigie "
      << quote_for_report(a.substr(std::min(from, a.size()))) << " gmime "
      << quote_for_report(b.substr(std::min(from, b.size())));
  return out.str();
}

struct TextStats {
  std::size_t leaves = 0;      // leaves compared position by position (equal leaf counts)
  std::size_t filenames = 0;   // of which carry a file name on the GMime side
  std::size_t exact = 0;       // text/plain equal after whitespace normalisation
  std::size_t ascii_only = 0;  // text/plain equal only on the ASCII skeleton (ill-defined bytes)
  std::vector<std::string> tolerated;  // "leaf i: why", for VIGIE_DIFF_ALL
};

std::vector<Disagreement> compare(const MessageView& vigie, const MessageView& gmime,
                                  TextStats& stats) {
  std::vector<Disagreement> found;
  if (!gmime.parsed) {
    found.push_back({std::string(kClassGmimeFailed), "GMime built no message"});
    return found;
  }
  if (vigie.leaves.size() != gmime.leaves.size()) {
    // Positions no longer line up, so per-leaf comparisons would only add noise.
    std::ostringstream detail;
    detail << "vigie " << vigie.leaves.size() << " " << type_list(vigie) << " gmime "
           << gmime.leaves.size() << " " << type_list(gmime);
    found.push_back({std::string(kClassLeafCount), detail.str()});
    return found;
  }
  std::string type_detail, filename_detail, text_detail, charset_detail;
  std::string_view charset_class = kClassTextCharset;
  for (std::size_t i = 0; i < vigie.leaves.size(); ++i) {
    const LeafView& v = vigie.leaves[i];
    const LeafView& g = gmime.leaves[i];
    const std::string where = "leaf " + std::to_string(i) + " (" + g.encoding + ", charset " +
                              (g.charset.empty() ? "(none)" : g.charset) + "): ";
    ++stats.leaves;
    if (!g.filename.empty()) ++stats.filenames;
    if (v.content_type != g.content_type && type_detail.empty()) {
      type_detail = where + "vigie " + v.content_type + " gmime " + g.content_type;
    }
    if (v.filename != g.filename && filename_detail.empty()) {
      filename_detail = where + "vigie " + quote_for_report(v.filename) + " gmime " +
                        quote_for_report(g.filename);
    }
    if (!v.plain_text || !g.plain_text) continue;
    const std::string vn = normalise_whitespace(v.text);
    const std::string gn = normalise_whitespace(g.text);
    if (vn == gn) {
      ++stats.exact;
      continue;
    }
    const std::string va = ascii_skeleton(vn);
    const std::string ga = ascii_skeleton(gn);
    if (va == ga) {
      if (text_is_ill_defined(v, g)) {
        ++stats.ascii_only;
        stats.tolerated.push_back(where + first_difference(vn, gn));
      } else if (charset_detail.empty()) {
        charset_detail = where + first_difference(vn, gn);
        charset_class = is_latin1_label(g.charset) && has_c1_control(gn) && !has_c1_control(vn)
                            ? kClassTextLatin1C1
                            : kClassTextCharset;
      }
      continue;
    }
    if (text_detail.empty()) {
      text_detail =
          where + (has_non_ascii(vn) || has_non_ascii(gn) ? "ascii " + first_difference(va, ga)
                                                          : first_difference(vn, gn));
    }
  }
  if (!type_detail.empty()) found.push_back({std::string(kClassContentType), type_detail});
  if (!filename_detail.empty()) found.push_back({std::string(kClassFilename), filename_detail});
  if (!text_detail.empty()) found.push_back({std::string(kClassText), text_detail});
  if (!charset_detail.empty()) found.push_back({std::string(charset_class), charset_detail});
  return found;
}

struct ClassTally {
  std::size_t messages = 0;
  std::vector<std::string> examples;  // "file: detail"
};

struct Summary {
  std::size_t messages = 0;
  std::size_t agreeing = 0;
  std::map<std::string, ClassTally> classes;
  TextStats text;
  double vigie_seconds = 0;
  double gmime_seconds = 0;

  double agreement_percent() const {
    return messages == 0 ? 100.0
                         : 100.0 * static_cast<double>(agreeing) / static_cast<double>(messages);
  }
};

void write_summary(std::ostream& out, const Summary& summary, const fs::path& corpus) {
  out << "vigie vs GMime " << GMIME_MAJOR_VERSION << "." << GMIME_MINOR_VERSION << "."
      << GMIME_MICRO_VERSION << " over " << corpus.string() << "\n";
  out << "messages: " << summary.messages << "  agreeing: " << summary.agreeing
      << "  agreement: " << summary.agreement_percent() << "% (required "
      << kRequiredAgreementPercent << "%)\n";
  out << "leaves compared: " << summary.text.leaves << " (" << summary.text.filenames
      << " with a file name)\n";
  out << "text/plain leaves compared: " << summary.text.exact << " equal after whitespace "
      << "normalisation, " << summary.text.ascii_only
      << " equal on ASCII only (ill-defined non-ASCII bytes)\n";
  out << "time: vigie " << summary.vigie_seconds << " s, GMime " << summary.gmime_seconds << " s\n";
  if (summary.classes.empty()) out << "no disagreement\n";
  for (const auto& [name, tally] : summary.classes) {
    out << "class " << name << ": " << tally.messages << " message(s)\n";
    for (const std::string& example : tally.examples) out << "    " << example << "\n";
  }
}

// ---------------------------------------------------------------------------------------------
// Corpus

fs::path corpus_root() {
  if (const char* env = std::getenv("VIGIE_CORPUS"); env != nullptr && *env != '\0') return env;
  return VIGIE_DEFAULT_CORPUS;
}

std::vector<fs::path> corpus_files(const fs::path& root) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::recursive_directory_iterator it(root, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file(error) && it->path().extension() == ".eml") files.push_back(it->path());
  }
  // Sorted so that reports and examples are stable from run to run.
  std::sort(files.begin(), files.end());
  return files;
}

std::shared_ptr<const std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return std::make_shared<const std::string>(std::move(bytes));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// ---------------------------------------------------------------------------------------------
// Tests

// Checks the harness itself on a message whose structure both parsers must agree on, so a broken
// GMime walk cannot hide behind a missing corpus.
TEST(GmimeDifferential, HarnessAgreesOnKnownMessage) {
  ensure_gmime_initialised();
  const auto bytes = std::make_shared<const std::string>(
      "From: a@example.org\r\n"
      "To: b@example.org\r\n"
      "Subject: harness\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
      "\r\n"
      "preamble\r\n"
      "--outer\r\n"
      "Content-Type: text/plain; charset=iso-8859-1\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n"
      "\r\n"
      "Caf=E9 cr=E8me,\r\n"
      "soft=\r\n"
      "break.\r\n"
      "--outer\r\n"
      "Content-Type: application/pdf; name=\"ignored.pdf\"\r\n"
      "Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf\r\n"
      "Content-Transfer-Encoding: base64\r\n"
      "\r\n"
      "JVBERi0xLjQK\r\n"
      "--outer\r\n"
      "Content-Type: message/rfc822\r\n"
      "\r\n"
      "From: c@example.org\r\n"
      "Subject: inner\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "\r\n"
      "inner body\r\n"
      "--outer--\r\n");
  const MessageView vigie = vigie_view(bytes);
  const MessageView gmime = gmime_view(*bytes);
  ASSERT_TRUE(gmime.parsed);
  ASSERT_EQ(gmime.leaves.size(), 3u) << type_list(gmime);
  EXPECT_EQ(gmime.leaves[1].filename, "r\xC3\xA9sum\xC3\xA9.pdf");
  EXPECT_EQ(normalise_whitespace(gmime.leaves[0].text), "Caf\xC3\xA9 cr\xC3\xA8me, softbreak.");
  TextStats stats;
  const std::vector<Disagreement> found = compare(vigie, gmime, stats);
  for (const Disagreement& d : found) ADD_FAILURE() << d.klass << ": " << d.detail;
  EXPECT_EQ(stats.exact, 2u);
}

TEST(GmimeDifferential, NormalisationIsRepresentationalOnly) {
  EXPECT_EQ(normalise_whitespace("  a\r\n\r\nb \t c\n"), "a b c");
  EXPECT_EQ(ascii_skeleton("caf\xC3\xA9 \xEF\xBF\xBD ok"), "caf ok");
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9"));
  EXPECT_FALSE(is_valid_utf8("caf\xE9"));
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // a surrogate is not UTF-8
  // A well-declared charset keeps non-ASCII differences visible.
  LeafView v, g;
  v.charset = g.charset = "iso-8859-1";
  v.text = "caf\xC3\xA9";
  g.text = "caf\xC3\xA8";
  EXPECT_FALSE(text_is_ill_defined(v, g));
  g.charset = v.charset = "";
  EXPECT_TRUE(text_is_ill_defined(v, g));
}

TEST(GmimeDifferential, WholeCorpusAgreement) {
  const fs::path root = corpus_root();
  std::error_code error;
  if (!fs::is_directory(root, error)) {
    GTEST_SKIP() << "shared corpus not found at " << root.string()
                 << " (set VIGIE_CORPUS to the folder holding spamassassin/ and phishing-dev/)";
  }
  const std::vector<fs::path> files = corpus_files(root);
  if (files.empty()) GTEST_SKIP() << "no .eml file under " << root.string();
  ensure_gmime_initialised();

  // VIGIE_DIFF_ALL=1 lists every disagreement, not just the first examples of each class.
  const bool list_all = std::getenv("VIGIE_DIFF_ALL") != nullptr;
  Summary summary;
  for (const fs::path& path : files) {
    const std::shared_ptr<const std::string> bytes = read_file(path);
    auto start = std::chrono::steady_clock::now();
    const MessageView vigie = vigie_view(bytes);
    summary.vigie_seconds += seconds_since(start);
    start = std::chrono::steady_clock::now();
    const MessageView gmime = gmime_view(*bytes);
    summary.gmime_seconds += seconds_since(start);

    ++summary.messages;
    const std::size_t tolerated_before = summary.text.tolerated.size();
    const std::vector<Disagreement> found = compare(vigie, gmime, summary.text);
    if (found.empty()) ++summary.agreeing;
    const std::string name = fs::relative(path, root, error).string();
    for (const Disagreement& d : found) {
      ClassTally& tally = summary.classes[d.klass];
      ++tally.messages;
      if (tally.examples.size() < kExamplesPerClass)
        tally.examples.push_back(name + ": " + d.detail);
    }
    if (list_all) {
      for (std::size_t t = tolerated_before; t < summary.text.tolerated.size(); ++t) {
        std::cout << "TOLERATED " << name << ": " << summary.text.tolerated[t] << "\n";
      }
      for (const Disagreement& d : found) {
        std::cout << "DIFF " << d.klass << " " << name << ": " << d.detail << "\n";
      }
    }
  }

  write_summary(std::cout, summary, root);
  if (const char* report = std::getenv("VIGIE_DIFF_REPORT"); report != nullptr && *report != '\0') {
    std::ofstream out(report);
    write_summary(out, summary, root);
    EXPECT_TRUE(out.good()) << "could not write " << report;
  }
  ASSERT_GE(summary.agreement_percent(), kRequiredAgreementPercent)
      << "vigie and GMime disagree on too many messages; see the classes above";
}

}  // namespace
}  // namespace vigie::differential

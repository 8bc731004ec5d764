// The reader's banner in a warned message's body parts (see banner.h for which parts and when not).
// The banner is inserted into the decoded content and the part written back in its own transfer
// encoding; only the chosen parts' bytes (and, when the charset or encoding must change, their
// Content-Type and Content-Transfer-Encoding fields) are replaced in the message, so every other
// byte of the message stays as it was.
#include "service/actions/banner.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <memory>
#include <variant>

#include "common/ascii.h"
#include "parse/encoding/charset.h"
#include "parse/encoding/transfer_decoding.h"
#include "parse/encoding/transfer_encoding.h"
#include "parse/html/html_tokenizer.h"
#include "parse/mime/header_block.h"

namespace vigie::service {
namespace {

constexpr std::size_t kWrapColumns = 76;
// Not dashes: a line of dashes can be read as the delimiter of a boundary made of dashes (common:
// "------------0A1B...") by the clients that match delimiters on their prefix.
constexpr std::string_view kSeparator = "____________________________________________________________";

// ---- text helpers --------------------------------------------------------------------------------

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 when the bytes are not valid UTF-8.
std::size_t utf8_sequence(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t length = 0;
  char32_t min = 0;
  if ((b0 & 0xe0) == 0xc0) {
    length = 2, cp = b0 & 0x1f, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    length = 3, cp = b0 & 0x0f, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return length;
}

// Characters that reorder or hide text: a finding explanation quoting a sender's name must not
// turn the warning around.
bool is_bidi_or_invisible_control(char32_t cp) {
  return cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
         cp == 0x061c || cp == 0xfeff;
}

std::string sanitized_paragraph(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    std::size_t length = utf8_sequence(text, i, cp);
    std::string_view bytes = text.substr(i, length);
    if (length == 0) {
      length = 1;
      bytes = "?";
      cp = '?';
    }
    i += length;
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == ' ' || cp == 0xa0 ||
        cp == 0x2028 || cp == 0x2029) {
      pending_space = !out.empty();
      continue;
    }
    if (is_bidi_or_invisible_control(cp)) continue;
    if (pending_space) out += ' ';
    pending_space = false;
    out.append(bytes);
  }
  return out;
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

// Words of a paragraph (single spaces between them after sanitized_paragraph) in lines of at most
// `columns` characters; a longer word gets a line of its own.
std::vector<std::string_view> wrapped_lines(std::string_view paragraph, std::size_t columns) {
  std::vector<std::string_view> lines;
  std::size_t line_start = 0;
  std::size_t line_width = 0;
  std::size_t pos = 0;
  while (pos < paragraph.size()) {
    std::size_t space = paragraph.find(' ', pos);
    if (space == std::string_view::npos) space = paragraph.size();
    const std::size_t width = code_points(paragraph.substr(pos, space - pos));
    if (line_width > 0 && line_width + 1 + width > columns) {
      lines.push_back(paragraph.substr(line_start, pos - 1 - line_start));
      line_start = pos;
      line_width = 0;
    }
    line_width += (line_width > 0 ? 1 : 0) + width;
    pos = space + 1;
  }
  if (line_start < paragraph.size()) lines.push_back(paragraph.substr(line_start));
  return lines;
}

void append_html_escaped(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    std::size_t length = utf8_sequence(text, i, cp);
    if (length == 0) length = 1, cp = '?';
    i += length;
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (cp < 0x80) {
          out += static_cast<char>(cp);
        } else {
          out += "&#" + std::to_string(static_cast<std::uint32_t>(cp)) + ";";
        }
    }
  }
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string to_crlf(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 32);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
    out += s[i];
  }
  return out;
}

// ---- charsets --------------------------------------------------------------------------------

enum class CharsetClass { kAscii, kUtf8, kLegacy, kUnsupported };

CharsetClass charset_class(std::string_view charset) {
  if (charset.empty() || charset == "us-ascii" || charset == "ascii") return CharsetClass::kAscii;
  if (charset == "utf-8" || charset == "utf8") return CharsetClass::kUtf8;
  // Single-byte ASCII supersets that iconv writes exactly as they are labelled.
  if (charset.starts_with("iso-8859-") || charset.starts_with("iso8859-") || charset.starts_with("windows-125") ||
      charset.starts_with("cp125")) {
    return CharsetClass::kLegacy;
  }
  return CharsetClass::kUnsupported;
}

// Charsets in which an ASCII byte is not always that ASCII character (HTML banner refused there).
bool ascii_incompatible(std::string_view charset) {
  return charset.starts_with("utf-16") || charset.starts_with("utf-32") || charset.starts_with("ucs") ||
         charset == "utf-7" || charset.starts_with("iso-2022") || charset.starts_with("hz");
}

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

// The UTF-8 text in `charset`, or nullopt when iconv does not know the charset or a character has
// no representation in it (no transliteration: a banner that reads differently is not written).
std::optional<std::string> from_utf8(std::string_view utf8, const std::string& charset) {
  const iconv_t cd = iconv_open(charset.c_str(), "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  const std::unique_ptr<void, IconvCloser> closer(cd);
  std::string out(utf8.size() * 4 + 16, '\0');
  std::string in(utf8);
  char* in_ptr = in.data();
  std::size_t in_left = in.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  if (iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left) == static_cast<std::size_t>(-1)) return std::nullopt;
  if (iconv(cd, nullptr, nullptr, &out_ptr, &out_left) == static_cast<std::size_t>(-1)) return std::nullopt;
  out.resize(out.size() - out_left);
  return out;
}

// ---- part selection ----------------------------------------------------------------------------

struct Selection {
  std::vector<PartId> parts;
  std::string refusal;  // set: the whole message gets no banner
};

bool is_body_text(const Part& part) {
  return part.is_leaf() && part.is_text() && (part.media_subtype == "plain" || part.media_subtype == "html") &&
         !part.is_attachment() && part.disposition != Disposition::kAttachment;
}

// The start part of a multipart/related (RFC 2387 §3.2: start= names its Content-ID, else the first).
PartId related_start(const ParsedMessage& message, const Part& part) {
  for (const MimeParameter& p : part.content_type_parameters) {
    if (p.name != "start") continue;
    for (const PartId child : part.children) {
      if (message.part(child).content_id == ascii::trim_blanks(p.value)) return child;
    }
  }
  return part.children.front();
}

void select_parts(const ParsedMessage& message, PartId id, Selection& out) {
  const Part& part = message.part(id);
  if (part.media_type == "application" &&
      (part.media_subtype == "pkcs7-mime" || part.media_subtype == "x-pkcs7-mime")) {
    out.refusal = "S/MIME message (application/" + part.media_subtype + ")";
    return;
  }
  if (part.is_multipart()) {
    if (part.media_subtype == "signed" || part.media_subtype == "encrypted") {
      out.refusal = (part.media_subtype == "signed" ? "signed message (multipart/signed)"
                                                     : "encrypted message (multipart/encrypted)");
      return;
    }
    if (part.children.empty()) return;
    if (part.media_subtype == "alternative") {
      for (const PartId child : part.children) {
        select_parts(message, child, out);
        if (!out.refusal.empty()) return;
      }
      return;
    }
    select_parts(message, part.media_subtype == "related" ? related_start(message, part) : part.children.front(),
                 out);
    return;
  }
  if (is_body_text(part)) out.parts.push_back(id);
}

// ---- one part ------------------------------------------------------------------------------------

// Anomalies that mean the part's structure is not what every reader sees: rewriting it could
// change what a client shows or produce something the parser reads differently.
bool is_structural(AnomalyKind kind) {
  switch (kind) {
    case AnomalyKind::kHeaderFieldLimit:
    case AnomalyKind::kNoHeaderBody:
    case AnomalyKind::kHeaderSyntax:
    case AnomalyKind::kNulByte:
    case AnomalyKind::kMissingBoundary:
    case AnomalyKind::kBoundaryNotFound:
    case AnomalyKind::kMissingCloseBoundary:
    case AnomalyKind::kNestedBoundaryPrefix:
    case AnomalyKind::kBoundaryWhitespace:
    case AnomalyKind::kDuplicateContentType:
    case AnomalyKind::kInvalidContentType:
    case AnomalyKind::kUnknownTransferEncoding:
    case AnomalyKind::kEncodingOnMultipart:
    case AnomalyKind::kBase64Garbage:
    case AnomalyKind::kQuotedPrintableInvalid:
    case AnomalyKind::kDecodedSizeLimit:
      return true;
    default:
      return false;
  }
}

// Whether an anomaly of `kind` recorded on `anomaly_part` concerns the part `id`: recorded on it or
// on a multipart around it. A multipart without its close delimiter only leaves its last part
// running to the end of the message; the parts before it end at a delimiter like any other.
bool concerns_part(const ParsedMessage& message, AnomalyKind kind, PartId anomaly_part, PartId id) {
  PartId child = kNoPart;
  for (PartId p = id; p != kNoPart; child = p, p = message.part(p).parent) {
    if (p != anomaly_part) continue;
    if (kind == AnomalyKind::kMissingCloseBoundary && child != kNoPart) {
      return message.part(p).children.back() == child;
    }
    return true;
  }
  return false;
}

std::string part_label(const Part& part) {
  return "part " + std::to_string(part.id) + " (" + part.media_type + "/" + part.media_subtype + ")";
}

// A MIME parameter as written in a field (RFC 2045 §5.1 token or quoted-string; RFC 2231 §4
// extended value for non-ASCII text).
std::string parameter_text(const MimeParameter& p) {
  const bool token = !p.value.empty() && std::all_of(p.value.begin(), p.value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
  });
  if (token) return p.name + "=" + p.value;
  if (is_ascii(p.value)) {
    std::string out = p.name + "=\"";
    for (const char c : p.value) {
      if (c == '\r' || c == '\n') continue;
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = p.name + "*=utf-8''";
  for (const char c : p.value) {
    const auto u = static_cast<unsigned char>(c);
    if (ascii::is_alnum(c) || c == '-' || c == '.' || c == '_') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0x0f];
    }
  }
  return out;
}

std::string content_type_with_charset(const Part& part, std::string_view charset) {
  std::string value = part.media_type + "/" + part.media_subtype + "; charset=" + std::string(charset);
  for (const MimeParameter& p : part.content_type_parameters) {
    if (p.name != "charset") value += "; " + parameter_text(p);
  }
  return value;
}

struct PartRewrite {
  std::string body;                           // the part's new body, transfer-encoded
  std::optional<std::string> content_type;    // new Content-Type value (unfolded)
  std::optional<std::string> transfer_encoding;
};

std::variant<PartRewrite, std::string> rewrite_part(const ParsedMessage& message, PartId id,
                                                    const std::vector<std::string>& paragraphs,
                                                    const ActionSettings& settings) {
  const Part& part = message.part(id);
  const std::string label = part_label(part);
  if (part.source != 0) return label + ": inside an encoded attached message";
  if (part.body.size() > settings.max_banner_part_bytes) {
    return label + ": " + std::to_string(part.body.size()) + " bytes, over max_banner_part_bytes (" +
           std::to_string(settings.max_banner_part_bytes) + ")";
  }
  // A part whose header runs to the end of its segment has no blank line before its (empty) body:
  // a banner there would be read as a header line. The top-level body gets its blank line from
  // apply_message_edits() (or the MTA).
  const std::string_view header = part.header_block;
  if (id != 0 && !(header == "\n" || header == "\r\n" || header.ends_with("\n\n") || header.ends_with("\n\r\n"))) {
    return label + ": no blank line after its header";
  }
  std::size_t encoding_fields = 0;
  for (const HeaderField& f : part.headers) encoding_fields += parse::iequals(f.name, "Content-Transfer-Encoding");
  if (encoding_fields > 1) return label + ": several Content-Transfer-Encoding fields";
  const std::string_view decoded = message.decoded(id);  // records the part's decoding anomalies
  for (const Anomaly& a : message.anomalies()) {
    if (is_structural(a.kind) && a.part != kNoPart && concerns_part(message, a.kind, a.part, id)) {
      return label + ": malformed (" + std::string(anomaly_name(a.kind)) + ")";
    }
  }
  const TransferEncoding encoding = part.transfer_encoding;
  if (encoding == TransferEncoding::kUuencode || encoding == TransferEncoding::kUnknown) {
    return label + ": unsupported transfer encoding " + std::string(transfer_encoding_name(encoding));
  }
  const bool html = part.media_subtype == "html";
  CharsetClass charset = charset_class(part.charset);
  if (html && ascii_incompatible(part.charset)) return label + ": unsupported charset " + part.charset;

  PartRewrite out;
  std::string inserted;       // the banner bytes, in the part's charset
  std::size_t at = 0;         // where they go in the decoded content
  std::string_view content = decoded;  // what they go into
  std::string transcoded;     // the part's text in UTF-8, when its own charset cannot take the banner
  bool transcoded_content = false;
  if (html) {
    inserted = html_banner(paragraphs) + "\r\n";
    at = html_banner_offset(decoded);
  } else {
    std::string text = text_banner(paragraphs);
    // A charset that cannot carry the banner: the part is rewritten in UTF-8, converted the way
    // the parser reads it, when that reading is not a guess (no detection, no invalid byte).
    const auto rewrite_in_utf8 = [&](std::string_view problem) -> std::optional<std::string> {
      const parse::CharsetConversion conversion = parse::convert_to_utf8(decoded, part.charset, transcoded);
      if (conversion.detected || conversion.declared_unknown || conversion.invalid_bytes) {
        return label + ": " + std::string(problem);
      }
      content = transcoded;
      transcoded_content = true;
      charset = CharsetClass::kUtf8;
      out.content_type = content_type_with_charset(part, "utf-8");
      return std::nullopt;
    };
    if (charset == CharsetClass::kAscii && !is_ascii(decoded)) {
      // 8-bit text under us-ascii (or no charset): UTF-8 when it is valid, as readers take it.
      if (parse::is_valid_utf8(decoded)) {
        charset = CharsetClass::kUtf8;
        out.content_type = content_type_with_charset(part, "utf-8");
      } else if (auto refused = rewrite_in_utf8("8-bit text in a part declared us-ascii or undeclared")) {
        return *refused;
      }
    }
    if (charset == CharsetClass::kAscii && !is_ascii(text)) {
      charset = CharsetClass::kUtf8;
      out.content_type = content_type_with_charset(part, "utf-8");
    }
    if (charset == CharsetClass::kLegacy) {
      if (std::optional<std::string> converted = from_utf8(text, part.charset)) {
        text = std::move(*converted);
      } else if (auto refused = rewrite_in_utf8("the banner cannot be written in " + part.charset)) {
        return *refused;
      }
    }
    if (charset == CharsetClass::kUnsupported) {
      if (auto refused = rewrite_in_utf8("unsupported charset " + part.charset)) return *refused;
    }
    inserted = std::move(text);
  }

  const bool eight_bit = !is_ascii(inserted) || (transcoded_content && !is_ascii(content));
  switch (encoding) {
    case TransferEncoding::kBase64: {
      std::string with_banner(content);
      with_banner.insert(at, inserted);
      out.body = parse::encode_base64(with_banner);
      if (part.body.ends_with('\n')) out.body += "\r\n";
      break;
    }
    case TransferEncoding::kQuotedPrintable:
      if (at == 0 && !transcoded_content) {
        // Prepended: the original encoded bytes follow unchanged.
        out.body = parse::encode_quoted_printable(inserted) + std::string(part.body);
      } else {
        std::string with_banner(content);
        with_banner.insert(at, inserted);
        out.body = parse::encode_quoted_printable(with_banner);
      }
      break;
    default: {
      std::string with_banner(content);
      with_banner.insert(at, inserted);
      if (encoding == TransferEncoding::kSevenBit && eight_bit) {
        // 7bit promises no byte above 0x7F (RFC 2045 §2.7): the part becomes quoted-printable,
        // whose decoding gives back the original text with the banner in front.
        out.body = parse::encode_quoted_printable(with_banner);
        out.transfer_encoding = "quoted-printable";
      } else {
        out.body = std::move(with_banner);
      }
    }
  }
  // Text of the verdict can quote the message: a banner line must not become a delimiter of an
  // enclosing multipart (RFC 2046 §5.1.1), which would split the part where nobody meant it to.
  for (PartId p = part.parent; p != kNoPart; p = message.part(p).parent) {
    const Part& enclosing = message.part(p);
    if (!enclosing.is_multipart() || enclosing.boundary.empty()) continue;
    const std::string delimiter = "--" + enclosing.boundary;
    for (std::size_t line = 0; line < out.body.size();) {
      if (std::string_view(out.body).substr(line).starts_with(delimiter)) {
        return label + ": the banner would hold a boundary line of part " + std::to_string(p);
      }
      const std::size_t next = out.body.find('\n', line);
      line = next == std::string::npos ? out.body.size() : next + 1;
    }
  }
  return out;
}

// ---- assembling the body ------------------------------------------------------------------------

struct Replacement {
  std::size_t begin;  // offsets in the message buffer
  std::size_t end;
  std::string text;
};

std::size_t offset_in(std::string_view raw, std::string_view view) {
  return static_cast<std::size_t>(view.data() - raw.data());
}

// The field "Name:value" as written (folding included, final line break excluded).
std::pair<std::size_t, std::size_t> field_range(std::string_view raw, const HeaderField& field) {
  return {static_cast<std::size_t>(field.offset), offset_in(raw, field.value) + field.value.size()};
}

// The field and line changes of a nested part's header, in place.
void replace_part_fields(std::string_view raw, const Part& part, const PartRewrite& rewrite,
                         std::vector<Replacement>& out) {
  std::string inserted;  // fields the part did not have, at the top of its header
  const auto set = [&](std::string_view name, const std::optional<std::string>& value) {
    if (!value) return;
    const std::string line = std::string(name) + ":" + folded_header_value(name, *value);
    if (const HeaderField* field = part.header(name)) {
      const auto [begin, end] = field_range(raw, *field);
      out.push_back({begin, end, line});
    } else {
      inserted += line + "\r\n";
    }
  };
  set("Content-Type", rewrite.content_type);
  set("Content-Transfer-Encoding", rewrite.transfer_encoding);
  if (!inserted.empty()) {
    const std::size_t at = offset_in(raw, part.header_block);
    out.push_back({at, at, inserted});
  }
}

// The same changes for a single-part message, as milter header edits.
void top_level_field_edits(const Part& root, const PartRewrite& rewrite, std::vector<HeaderEdit>& out) {
  bool added_content_fields = false;
  const auto set = [&](std::string_view name, const std::optional<std::string>& value) {
    if (!value) return;
    const std::string folded = folded_header_value(name, *value);
    if (root.header(name) != nullptr) {
      out.push_back({HeaderEdit::Kind::kChange, std::string(name), folded, 1});
    } else {
      out.push_back({HeaderEdit::Kind::kAppend, std::string(name), folded, 0});
      added_content_fields = true;
    }
  };
  set("Content-Type", rewrite.content_type);
  set("Content-Transfer-Encoding", rewrite.transfer_encoding);
  // RFC 2045 §4: the MIME fields mean something only under MIME-Version.
  if (added_content_fields && root.header("MIME-Version") == nullptr) {
    out.push_back({HeaderEdit::Kind::kAppend, "MIME-Version", " 1.0", 0});
  }
}

void add_reason(std::string& reasons, std::string_view reason) {
  if (!reasons.empty()) reasons += "; ";
  reasons += reason;
}

}  // namespace

std::vector<std::string> banner_paragraphs(const LocalizedText& banner, const std::vector<std::string>& languages) {
  std::vector<std::string> out;
  for (const std::string& language : languages) {
    std::string paragraph = sanitized_paragraph(language == "fr" ? banner.fr : banner.en);
    if (!paragraph.empty()) out.push_back(std::move(paragraph));
  }
  return out;
}

std::string text_banner(const std::vector<std::string>& paragraphs) {
  std::string out;
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    if (i > 0) out += "\r\n";
    for (const std::string_view line : wrapped_lines(paragraphs[i], kWrapColumns)) {
      out.append(line);
      out += "\r\n";
    }
  }
  out.append(kSeparator);
  out += "\r\n\r\n";
  return out;
}

std::string html_banner(const std::vector<std::string>& paragraphs) {
  std::string out =
      "<div dir=\"ltr\"\r\nstyle=\"border:2px solid #b71c1c;background-color:#fff4e5;color:#000000;\r\n"
      "padding:8px 12px;margin:0 0 12px 0;font-family:Arial,Helvetica,sans-serif;\r\n"
      "font-size:14px;line-height:1.4\">";
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    out += "\r\n<p style=\"margin:";
    out += i + 1 == paragraphs.size() ? "0" : "0 0 6px 0";
    out += "\">";
    // Lines of the escaped text stay short: a body line has at most 998 octets (RFC 5322 §2.1.1)
    // and a 7bit part keeps its encoding.
    for (const std::string_view line : wrapped_lines(paragraphs[i], 60)) {
      out += "\r\n";
      append_html_escaped(out, line);
    }
    out += "</p>";
  }
  out += "</div>";
  return out;
}

std::size_t html_banner_offset(std::string_view html) {
  parse::HtmlTokenizer tokenizer(html);
  parse::HtmlToken token;
  while (tokenizer.next(token)) {
    if (token.kind != parse::HtmlTokenKind::kStartTag) continue;
    const std::string_view tag = token.data;
    if (tag == "body") return tokenizer.position();
    // The text states a tree builder would switch to (§13.2.6.4), so that "<body>" inside a script
    // or a title is not taken for the tag.
    if (tag == "script") {
      tokenizer.set_text_state(parse::HtmlTextState::kScriptData);
    } else if (tag == "style" || tag == "xmp" || tag == "iframe" || tag == "noembed" || tag == "noframes") {
      tokenizer.set_text_state(parse::HtmlTextState::kRawtext);
    } else if (tag == "title" || tag == "textarea") {
      tokenizer.set_text_state(parse::HtmlTextState::kRcdata);
    } else if (tag == "plaintext") {
      break;
    }
  }
  return 0;
}

std::string folded_header_value(std::string_view name, std::string_view value) {
  constexpr std::size_t kColumns = 78;
  std::string clean;
  clean.reserve(value.size());
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    clean += (u == '\t' || u == '\r' || u == '\n') ? ' ' : (u < 0x20 || u >= 0x7f) ? '?' : c;
  }
  std::string out;
  std::size_t column = name.size() + 1;
  std::size_t pos = 0;
  while (pos < clean.size()) {
    if (clean[pos] == ' ') {
      ++pos;
      continue;
    }
    std::size_t end = clean.find(' ', pos);
    if (end == std::string::npos) end = clean.size();
    const std::size_t width = end - pos;
    if (!out.empty() && column + 1 + width > kColumns) {
      out += "\r\n";
      column = 0;
    }
    out += ' ';
    out.append(clean, pos, width);
    column += 1 + width;
    pos = end;
  }
  return out.empty() ? " " : out;
}

BannerEdits plan_banner(const ParsedMessage& message, const LocalizedText& banner, const ActionSettings& settings) {
  BannerEdits out;
  const std::vector<std::string> paragraphs = banner_paragraphs(banner, settings.banner_languages);
  if (paragraphs.empty()) {
    out.skipped = "the verdict has no banner text in the configured languages";
    return out;
  }
  for (const Anomaly& a : message.anomalies()) {
    if (a.kind == AnomalyKind::kMessageTooLarge) {
      out.skipped = "message larger than max_message_bytes (cut when parsed)";
      return out;
    }
    if (a.kind == AnomalyKind::kPartLimit || a.kind == AnomalyKind::kDepthLimit) {
      out.skipped = "MIME structure over a parser limit (" + std::string(anomaly_name(a.kind)) + ")";
      return out;
    }
  }
  Selection selection;
  select_parts(message, 0, selection);
  if (!selection.refusal.empty()) {
    out.skipped = selection.refusal;
    return out;
  }
  if (selection.parts.empty()) {
    out.skipped = "no text body part (text/plain or text/html) to show it in";
    return out;
  }
  for (const PartId id : selection.parts) {
    const std::string_view content = message.decoded(id);
    if (content.find("-----BEGIN PGP SIGNED MESSAGE-----") != std::string_view::npos ||
        content.find("-----BEGIN PGP MESSAGE-----") != std::string_view::npos) {
      out.skipped = "inline PGP in " + part_label(message.part(id));
      return out;
    }
  }

  const std::string_view raw = message.raw();
  const Part& root = message.root();
  std::vector<Replacement> replacements;
  for (const PartId id : selection.parts) {
    std::variant<PartRewrite, std::string> rewrite = rewrite_part(message, id, paragraphs, settings);
    if (const std::string* reason = std::get_if<std::string>(&rewrite)) {
      add_reason(out.skipped, *reason);
      continue;
    }
    const PartRewrite& part_rewrite = std::get<PartRewrite>(rewrite);
    const Part& part = message.part(id);
    if (id == 0) {
      top_level_field_edits(root, part_rewrite, out.headers);
    } else {
      replace_part_fields(raw, part, part_rewrite, replacements);
    }
    const std::size_t begin = offset_in(raw, part.body);
    replacements.push_back({begin, begin + part.body.size(), part_rewrite.body});
    ++out.parts;
  }
  if (out.parts == 0) return out;
  std::sort(replacements.begin(), replacements.end(),
            [](const Replacement& a, const Replacement& b) {
              // A field inserted at the top of a part's header goes before the change of its first field.
              return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
            });
  std::size_t position = offset_in(raw, root.body);
  const std::size_t body_end = position + root.body.size();
  std::string body;
  body.reserve(root.body.size() + 1024);
  for (const Replacement& r : replacements) {
    body.append(raw, position, r.begin - position);
    body += r.text;
    position = r.end;
  }
  body.append(raw, position, body_end - position);
  out.body = to_crlf(body);
  return out;
}

}  // namespace vigie::service

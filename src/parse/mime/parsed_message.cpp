// ParsedMessage accessors: header conveniences and the lazy, memoized decoding of part bodies,
// text, HTML, calendars, hashes, URLs and uuencoded files. Every decode respects the per-part and
// per-message decoded-size budgets of Limits and records an anomaly when it hits one.
#include <openssl/evp.h>

#include <cstring>

#include <algorithm>

#include "common/ascii.h"
#include "common/byte_scan.h"
#include "parse/calendar/calendar.h"
#include "parse/encoding/charset.h"
#include "parse/encoding/rfc2047.h"
#include "parse/encoding/transfer_decoding.h"
#include "parse/headers/header_grammar.h"
#include "parse/html/html_charset.h"
#include "parse/html/html_extract.h"
#include "parse/mime/header_block.h"
#include "parse/mime/message_state.h"
#include "parse/url/url.h"

namespace vigie {
namespace {

std::string hex_digest(const EVP_MD* md, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, md, nullptr);
  return ascii::hex_string(digest, len);
}

// A uuencoded block starts with a "begin " line. Every text part is searched, hence the line-start
// scan rather than string_view::find (which stops at every 'b') or memmem.
bool has_line_starting_with_begin(std::string_view text) {
  const char* const end = text.data() + text.size();
  return text.starts_with("begin ") || scan::find_at_line_start(text.data(), end, "begin ") != end;
}

// A calendar a mail client shows as an invitation or opens as one: text/calendar (RFC 5545 §8.1),
// the vCalendar 1.0 type text/x-vcalendar and the application/ics some clients declare.
bool is_calendar_type(const Part& part) {
  if (!part.is_leaf() || part.is_encapsulated_message()) return false;
  if (part.is_text() && (part.media_subtype == "calendar" || part.media_subtype == "x-vcalendar")) return true;
  return part.media_type == "application" && (part.media_subtype == "ics" || part.media_subtype == "x-ics");
}

// A leaf whose file name says calendar (invite.ics sent as application/octet-stream): read only
// when its content starts like one, since a name is easily put on a PDF or an executable. Other
// calendars (found by content alone, inside other files) are the calendar object analyzer's.
bool has_calendar_name(const Part& part) {
  if (!part.is_leaf() || part.is_encapsulated_message()) return false;
  const std::string name = ascii::lowercase(part.filename);
  return name.ends_with(".ics") || name.ends_with(".vcs");
}

bool is_calendar_part(const Part& part) { return is_calendar_type(part) || has_calendar_name(part); }

bool charset_is_utf8_compatible(std::string_view charset) {
  return charset.empty() || charset == "utf-8" || charset == "us-ascii" || charset == "utf8" ||
         charset == "ascii";
}

}  // namespace

PartHashes compute_hashes(std::string_view data) {
  return PartHashes{hex_digest(EVP_md5(), data), hex_digest(EVP_sha1(), data),
                    hex_digest(EVP_sha256(), data)};
}

std::string sha256_hex(std::string_view data) { return hex_digest(EVP_sha256(), data); }

std::string_view transfer_encoding_name(TransferEncoding encoding) {
  switch (encoding) {
    case TransferEncoding::kSevenBit: return "7bit";
    case TransferEncoding::kEightBit: return "8bit";
    case TransferEncoding::kBinary: return "binary";
    case TransferEncoding::kBase64: return "base64";
    case TransferEncoding::kQuotedPrintable: return "quoted-printable";
    case TransferEncoding::kUuencode: return "x-uuencode";
    case TransferEncoding::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string_view disposition_name(Disposition disposition) {
  switch (disposition) {
    case Disposition::kNone: return "";
    case Disposition::kInline: return "inline";
    case Disposition::kAttachment: return "attachment";
    case Disposition::kOther: return "other";
  }
  return "";
}

const HeaderField* Part::header(std::string_view name) const {
  for (const HeaderField& f : headers) {
    if (parse::iequals(f.name, name)) return &f;
  }
  return nullptr;
}

ParsedMessage::ParsedMessage(std::unique_ptr<State> state) : state_(std::move(state)) {}
ParsedMessage::~ParsedMessage() = default;

std::string_view ParsedMessage::raw() const { return state_->raw; }
const Limits& ParsedMessage::limits() const { return state_->limits; }
std::span<const Part> ParsedMessage::parts() const { return state_->parts; }
const Part& ParsedMessage::part(PartId id) const { return state_->parts.at(id); }
std::span<const Anomaly> ParsedMessage::anomalies() const { return state_->anomalies; }

std::vector<PartId> ParsedMessage::leaves() const {
  std::vector<PartId> out;
  for (const Part& p : state_->parts) {
    if (p.is_leaf()) out.push_back(p.id);
  }
  return out;
}

std::string ParsedMessage::header_text(const HeaderField& field) const {
  std::string out;
  parse::decode_encoded_words(parse::unfold(field.value), out);
  return out;
}

std::string ParsedMessage::subject() const {
  const HeaderField* f = header("Subject");
  return f ? header_text(*f) : std::string();
}

const AddressList& ParsedMessage::addresses(std::string_view field_name) const {
  for (const auto& [name, list] : state_->address_lists) {
    if (parse::iequals(name, field_name)) return list;
  }
  AddressList& all = state_->address_lists.emplace_back(std::string(field_name), AddressList{}).second;
  for (const HeaderField& f : root().headers) {
    if (!parse::iequals(f.name, field_name)) continue;
    AddressList one = parse::parse_address_list(f.value);
    all.malformed |= one.malformed;
    all.encoded_word_hides_address |= one.encoded_word_hides_address;
    for (Mailbox& m : one.mailboxes) all.mailboxes.push_back(std::move(m));
  }
  return all;
}

std::optional<DateTime> ParsedMessage::date() const {
  const HeaderField* f = header("Date");
  return f ? parse::parse_date(f->value) : std::nullopt;
}

std::string ParsedMessage::message_id() const {
  const HeaderField* f = header("Message-ID");
  if (!f) return {};
  std::vector<std::string> ids = parse::parse_message_ids(f->value);
  return ids.empty() ? parse::unfold(f->value) : ids.front();
}

// Parsed once: authentication and the intelligence both read it, and the parse (dates, clauses)
// cost more than the copy.
std::vector<ReceivedHop> ParsedMessage::received_chain() const {
  std::optional<std::vector<ReceivedHop>>& hops = state_->received_chain;
  if (hops) return *hops;
  hops.emplace();
  for (const HeaderField& f : root().headers) {
    if (parse::iequals(f.name, "Received")) hops->push_back(parse::parse_received(f.value));
  }
  return *hops;
}

std::string_view ParsedMessage::decoded(PartId id) const {
  State& s = *state_;
  PartCache& cache = s.caches.at(id);
  if (cache.decoded_done) return cache.decoded;
  cache.decoded_done = true;
  const Part& part = s.parts[id];
  const std::uint64_t budget = s.decode_budget();
  parse::DecodeStats stats;
  switch (part.transfer_encoding) {
    case TransferEncoding::kBase64:
      stats = parse::decode_base64(part.body, cache.decoded_storage, budget);
      cache.decoded = cache.decoded_storage;
      if (stats.invalid > 0) {
        s.add_anomaly(AnomalyKind::kBase64Garbage, id, 0, {}, stats.invalid);
      }
      break;
    case TransferEncoding::kQuotedPrintable:
      stats = parse::decode_quoted_printable(part.body, cache.decoded_storage, budget);
      cache.decoded = cache.decoded_storage;
      if (stats.invalid > 0) {
        s.add_anomaly(AnomalyKind::kQuotedPrintableInvalid, id, 0, {}, stats.invalid);
      }
      break;
    case TransferEncoding::kUuencode: {
      std::vector<parse::UuencodedFile> files = parse::find_uuencoded(part.body, 1, budget);
      if (!files.empty()) cache.decoded_storage = std::move(files.front().bytes);
      cache.decoded = cache.decoded_storage;
      break;
    }
    default:  // identity encodings: the raw body is the content, no copy
      cache.decoded = part.body;
      if (cache.decoded.size() > budget) {
        stats.truncated = true;
        cache.decoded = cache.decoded.substr(0, budget);
      }
      break;
  }
  if (stats.truncated) {
    s.add_anomaly(AnomalyKind::kDecodedSizeLimit, id, 0, {}, part.body.size(), budget);
  }
  s.total_decoded += cache.decoded.size();
  return cache.decoded;
}

std::string_view ParsedMessage::text(PartId id) const {
  State& s = *state_;
  const Part& part = s.parts.at(id);
  if (!part.is_text() || !part.is_leaf()) return {};
  PartCache& cache = s.caches[id];
  if (cache.text_done) return cache.text;
  cache.text_done = true;
  const std::string_view bytes = decoded(id);
  // HTML without a charset in its Content-Type is shown in the one its <meta> declares, as
  // browsers and mail clients do; the MIME declaration wins when both exist.
  std::string meta_charset;
  if (part.charset.empty() && part.media_subtype == "html") meta_charset = parse::html::prescan_meta_charset(bytes);
  const std::string_view charset = part.charset.empty() ? std::string_view(meta_charset) : part.charset;
  // Most mail is ASCII or UTF-8 declared as such: one pass tells whether the decoded view is the
  // text, and whether it holds a NUL.
  const bool utf8_compatible = charset_is_utf8_compatible(charset);
  const parse::Utf8Check check = utf8_compatible ? parse::check_utf8(bytes) : parse::Utf8Check{};
  const bool nul = utf8_compatible ? check.nul : std::memchr(bytes.data(), '\0', bytes.size()) != nullptr;
  if (nul) s.add_worded_anomaly(AnomalyKind::kNulByte, id, 0, {"text", "texte"});
  if (utf8_compatible && check.valid) {
    cache.text = bytes;
    return cache.text;
  }
  const parse::Utf8Text converted = parse::to_utf8_text(bytes, charset, cache.text_storage);
  const parse::CharsetConversion& conv = converted.conversion;
  cache.text = converted.text;
  if (conv.declared_unknown) {
    s.add_anomaly(AnomalyKind::kUnknownCharset, id, 0, std::string(charset));
  } else if (charset.empty()) {
    s.add_anomaly(AnomalyKind::kUndeclared8bit, id, 0, conv.charset_used);
  } else if (conv.invalid_bytes) {
    s.add_anomaly(AnomalyKind::kCharsetMismatch, id, 0, std::string(charset));
  }
  return cache.text;
}

const HtmlContent* ParsedMessage::html(PartId id) const {
  const Part& part = state_->parts.at(id);
  if (!part.is_text() || part.media_subtype != "html" || !part.is_leaf()) return nullptr;
  extract_content();
  return &*state_->caches[id].html;
}

const CalendarContent* ParsedMessage::calendar(PartId id) const {
  if (!is_calendar_part(state_->parts.at(id))) return nullptr;
  extract_content();
  const std::optional<CalendarContent>& calendar = state_->caches[id].calendar;
  return calendar ? &*calendar : nullptr;  // empty for a calendar name on something else
}

const PartHashes& ParsedMessage::hashes(PartId id) const {
  PartCache& cache = state_->caches.at(id);
  if (!cache.hashes) cache.hashes = compute_hashes(decoded(id));
  return *cache.hashes;
}

std::span<const Url> ParsedMessage::urls() const {
  extract_content();
  return state_->urls;
}

void ParsedMessage::extract_content() const {
  State& s = *state_;
  if (s.content_done) return;
  s.content_done = true;
  const std::size_t max = s.limits.max_urls;
  bool over = false;
  auto add = [&](Url&& url) {
    if (s.urls.size() >= max) {
      over = true;
      return;
    }
    s.urls.push_back(std::move(url));
  };
  auto add_from_text = [&](std::string_view text, PartId id) {
    for (const std::string_view raw : parse::find_urls_in_text(text, max)) {
      Url u = parse::normalize_url(raw, UrlSource::kText);
      u.part = id;
      add(std::move(u));
    }
  };
  // A calendar's text: converted from its charset when it is a text part; an attached file is read
  // as the UTF-8 RFC 5545 §6 requires.
  // False when a calendar file name is on something else, which is then read for what it is.
  auto read_calendar_part = [&](const Part& part) {
    const std::string_view bytes = part.is_text() ? text(part.id) : decoded(part.id);
    if (!is_calendar_type(part) && !parse::looks_like_calendar(bytes)) return false;
    PartCache& cache = s.caches[part.id];
    cache.calendar = parse::read_calendar(bytes, s.limits);
    const CalendarContent& calendar = *cache.calendar;
    if (calendar.limit) {
      s.add_anomaly(AnomalyKind::kCalendarLimit, part.id, 0, calendar.limit->limit, calendar.limit->observed,
                    calendar.limit->allowed);
    }
    if (!calendar.errors.empty()) s.add_anomaly(AnomalyKind::kCalendarMalformed, part.id, 0, calendar.errors.front());
    for (Url& u : cache.calendar->links) {
      u.part = part.id;
      add(std::move(u));
    }
    cache.calendar->links.clear();
    return true;
  };
  for (const Part& part : s.parts) {
    if (is_calendar_part(part) && read_calendar_part(part)) continue;
    if (!part.is_leaf() || !part.is_text()) continue;
    if (part.media_subtype == "html") {
      PartCache& cache = s.caches[part.id];
      cache.html = parse::extract_html(text(part.id), s.limits);
      if (cache.html->truncated) {
        s.add_anomaly(AnomalyKind::kHtmlSizeLimit, part.id, 0, {}, text(part.id).size(),
                      s.limits.max_html_bytes);
      }
      // Moved, not copied: the message's links live in one list, each tagged with its part.
      s.urls.reserve(std::min(max, s.urls.size() + cache.html->links.size()));
      for (Url& u : cache.html->links) {
        u.part = part.id;
        add(std::move(u));
      }
      cache.html->links.clear();
      add_from_text(cache.html->visible_text, part.id);
    } else if (part.media_subtype == "plain" || part.media_subtype == "enriched") {
      add_from_text(text(part.id), part.id);
    }
  }
  if (over) s.add_anomaly(AnomalyKind::kUrlLimit, kNoPart, 0, {}, max + 1, max);
}

std::span<const EmbeddedFile> ParsedMessage::embedded_files() const {
  State& s = *state_;
  if (s.embedded_done) return s.embedded;
  s.embedded_done = true;
  for (const Part& part : s.parts) {
    if (!part.is_leaf() || !part.is_text() || part.transfer_encoding == TransferEncoding::kUuencode) {
      continue;
    }
    const std::string_view bytes = decoded(part.id);
    if (!has_line_starting_with_begin(bytes)) continue;
    for (parse::UuencodedFile& f : parse::find_uuencoded(bytes, s.limits.max_uuencode_blocks,
                                                         s.limits.max_part_decoded_bytes)) {
      s.add_anomaly(AnomalyKind::kUuencodeInText, part.id, f.begin_offset, f.filename);
      PartHashes hashes = compute_hashes(f.bytes);
      const std::uint64_t size = f.bytes.size();
      s.embedded.push_back(EmbeddedFile{part.id, std::move(f.filename), size, std::move(hashes), f.complete,
                                        std::make_shared<const std::string>(std::move(f.bytes))});
    }
  }
  return s.embedded;
}

void ParsedMessage::decode_all() const {
  for (const Part& part : state_->parts) {
    if (!part.is_leaf()) continue;
    decoded(part.id);
    if (part.is_text()) text(part.id);
  }
  urls();
  embedded_files();
}

}  // namespace vigie

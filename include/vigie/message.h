// The parsed message: one immutable buffer and views into it.
//
// ParsedMessage owns the raw bytes (shared, immutable) and a flat list of MIME parts linked by
// PartId. Header fields and raw bodies are std::string_view into the buffer — or, for a
// message/rfc822 part that was (illegally but really) base64-encoded, into the decoded copy of it
// that the message also owns. Every view stays valid as long as the ParsedMessage lives.
//
// Decoding is lazy and memoized: decoded(), text(), html(), hashes() and urls() compute on first
// call and cache. Because of that cache, a ParsedMessage is NOT thread-safe: one scan, one thread.
// Parsing never fails on malformed input; everything odd becomes an Anomaly.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/anomaly.h"
#include "vigie/content.h"
#include "vigie/header_values.h"
#include "vigie/limits.h"

namespace vigie {

struct HeaderField {
  std::string_view name;   // as written, without trailing whitespace
  std::string_view value;  // raw value after ':', folding kept, final line break excluded
  std::uint64_t offset;    // offset of the field's first byte in its source buffer
};

enum class TransferEncoding : std::uint8_t {
  kSevenBit, kEightBit, kBinary, kBase64, kQuotedPrintable, kUuencode, kUnknown,
};
std::string_view transfer_encoding_name(TransferEncoding encoding);

enum class Disposition : std::uint8_t { kNone, kInline, kAttachment, kOther };
std::string_view disposition_name(Disposition disposition);

struct MimeParameter {
  std::string name;   // lowercase
  std::string value;  // decoded to UTF-8 (RFC 2231 / RFC 2047)
};

struct Part {
  PartId id = 0;
  PartId parent = kNoPart;
  std::uint32_t depth = 0;          // 0 for the message itself
  std::vector<PartId> children;
  std::uint32_t source = 0;         // 0: the message buffer; n: a decoded nested message
  std::string_view header_block;    // the part's header as written
  std::string_view body;            // the part's body as written (still transfer-encoded)
  std::vector<HeaderField> headers; // all fields, in order, duplicates kept

  std::string media_type = "text";  // lowercase
  std::string media_subtype = "plain";
  std::vector<MimeParameter> content_type_parameters;
  bool content_type_declared = false;
  std::string charset;              // declared charset, lowercase; empty when none
  std::string boundary;             // multipart boundary (as written)
  TransferEncoding transfer_encoding = TransferEncoding::kSevenBit;
  Disposition disposition = Disposition::kNone;
  std::vector<MimeParameter> disposition_parameters;
  std::string filename;             // decoded file name from wherever it hides; empty when none
  std::string content_id;

  bool is_multipart() const { return media_type == "multipart"; }
  // message/rfc822 or message/global whose body was parsed as a nested message (its only child).
  bool is_encapsulated_message() const { return !is_multipart() && !children.empty(); }
  bool is_leaf() const { return children.empty() && !is_multipart(); }
  bool is_text() const { return media_type == "text"; }
  bool is_attachment() const {
    return disposition == Disposition::kAttachment || (!filename.empty() && !is_text());
  }
  // First field with this name (case-insensitive), nullptr when absent.
  const HeaderField* header(std::string_view name) const;
};

struct PartHashes {
  std::string md5, sha1, sha256;  // lowercase hex of the decoded bytes
};
// The three digests of `data` (OpenSSL).
PartHashes compute_hashes(std::string_view data);
// The SHA-256 alone, lowercase hex: what the scan output lists for every file (a third of the cost).
std::string sha256_hex(std::string_view data);

// A file found uuencoded inside a text part.
struct EmbeddedFile {
  PartId part;
  std::string filename;
  std::uint64_t size = 0;
  PartHashes hashes;
  bool complete = false;
  std::shared_ptr<const std::string> content;  // the decoded file, for the object tree
};

class ParsedMessage {
 public:
  // Parses the message. Never fails: input over limits.max_message_bytes is cut there and
  // recorded as an anomaly; every malformation is recorded and parsing goes on.
  static std::unique_ptr<ParsedMessage> parse(std::shared_ptr<const std::string> bytes,
                                              const Limits& limits);
  ~ParsedMessage();
  ParsedMessage(const ParsedMessage&) = delete;
  ParsedMessage& operator=(const ParsedMessage&) = delete;

  std::string_view raw() const;
  const Limits& limits() const;
  std::span<const Part> parts() const;
  const Part& part(PartId id) const;
  const Part& root() const { return part(0); }
  // Leaves in document order (the parts a reader sees as bodies or attachments).
  std::vector<PartId> leaves() const;

  // --- Top-level header conveniences (root part) ---
  const HeaderField* header(std::string_view name) const { return root().header(name); }
  // Unfolded, RFC 2047-decoded UTF-8 value of a field (any part's).
  std::string header_text(const HeaderField& field) const;
  std::string subject() const;
  // Every mailbox of all fields of that name (case-insensitive), joined; parsed on first call and
  // remembered for the life of the message.
  const AddressList& addresses(std::string_view field_name) const;
  std::optional<DateTime> date() const;
  std::string message_id() const;
  // Received fields from the top (most recent hop) down.
  std::vector<ReceivedHop> received_chain() const;

  // --- Lazy, memoized content ---
  // Body after Content-Transfer-Encoding decoding; a view of the raw body for identity encodings.
  std::string_view decoded(PartId id) const;
  // UTF-8 text of a text/* leaf (charset-converted); empty for non-text parts.
  std::string_view text(PartId id) const;
  // Visible text, forms and hidden text of a text/html leaf; nullptr for other parts. Its links
  // are in urls() (tagged with the part), so HtmlContent::links is empty here.
  const HtmlContent* html(PartId id) const;
  // What a calendar leaf names and links to (text/calendar, text/x-vcalendar, application/ics, or
  // a file named .ics/.vcs), read with libical within the [limits] max_calendar_* limits; nullptr
  // for other parts. Its links are in urls() (tagged with the part), so CalendarContent::links is
  // empty here.
  const CalendarContent* calendar(PartId id) const;
  const PartHashes& hashes(PartId id) const;
  // Every URL of every text part (plain, HTML) and calendar leaf, normalised, in document order (at most
  // limits.max_urls).
  std::span<const Url> urls() const;
  // Files uuencoded inside text parts.
  std::span<const EmbeddedFile> embedded_files() const;
  // All anomalies recorded so far (parsing, plus any lazy decoding already done).
  std::span<const Anomaly> anomalies() const;
  // Forces every lazy computation that can record an anomaly (decode, text, HTML, URLs, uuencoded
  // files), so anomalies() is complete. Hashes stay lazy: they record nothing and are computed for
  // the parts someone asks about.
  void decode_all() const;

  struct State;  // implementation detail (src/parse/mime)

 private:
  explicit ParsedMessage(std::unique_ptr<State> state);
  // Extracts HTML, calendars and URLs of every text and calendar leaf once, in document order.
  void extract_content() const;
  std::unique_ptr<State> state_;
};

}  // namespace vigie

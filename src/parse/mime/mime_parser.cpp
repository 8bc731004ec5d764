// The MIME structure parser: splits one buffer into the flat part tree (RFC 2045, RFC 2046 §5.1,
// RFC 2046 §5.2.1 for message/rfc822, RFC 6532 §3.7 for message/global) without copying, except
// when a message/rfc822 body is itself transfer-encoded and must be decoded to be read.
//
// Boundary rule (RFC 2046 §5.1.1, and what GMime and Thunderbird's libmime do): a delimiter line is
// "--" boundary, optionally "--" for the close delimiter, then only linear whitespace. The line
// break before a delimiter belongs to the delimiter. A multipart segment handed to a child is
// already cut at every delimiter of every ancestor, so an inner multipart whose close delimiter is
// missing ends where the outer one resumes, as in clients.
#include <algorithm>
#include <string>

#include "common/byte_scan.h"
#include "parse/encoding/transfer_decoding.h"
#include "parse/headers/header_grammar.h"
#include "parse/mime/header_block.h"
#include "parse/mime/message_state.h"

namespace vigie {
namespace {

using parse::iequals;

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool is_lwsp_only(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

TransferEncoding parse_transfer_encoding(std::string_view raw, bool& unknown) {
  unknown = false;
  const std::string v = to_lower(trim(raw));
  if (v.empty() || v == "7bit") return TransferEncoding::kSevenBit;
  if (v == "8bit") return TransferEncoding::kEightBit;
  if (v == "binary") return TransferEncoding::kBinary;
  if (v == "base64") return TransferEncoding::kBase64;
  if (v == "quoted-printable") return TransferEncoding::kQuotedPrintable;
  if (v == "x-uuencode" || v == "uuencode" || v == "x-uue" || v == "uue") {
    return TransferEncoding::kUuencode;
  }
  unknown = true;
  return TransferEncoding::kUnknown;
}

std::vector<MimeParameter> to_mime_parameters(std::vector<parse::Parameter>&& params) {
  std::vector<MimeParameter> out;
  out.reserve(params.size());
  for (auto& p : params) out.push_back(MimeParameter{std::move(p.name), std::move(p.value)});
  return out;
}

const std::string* find_parameter(const std::vector<MimeParameter>& params, std::string_view name) {
  for (const auto& p : params) {
    if (p.name == name) return &p.value;
  }
  return nullptr;
}

// Where a boundary delimiter line starts and ends within a multipart body.
struct Delimiter {
  std::size_t content_end;  // end of the preceding content (its line break excluded)
  std::size_t next;         // first byte after the delimiter line
  bool close;
};

class MimeBuilder {
 public:
  explicit MimeBuilder(ParsedMessage::State& state) : s_(state) {}

  void parse_entity(std::string_view data, std::uint32_t source, PartId parent,
                    std::uint32_t depth, bool in_digest) {
    if (s_.parts.size() >= s_.limits.max_parts) {
      if (!part_limit_reported_) {
        s_.add_anomaly(AnomalyKind::kPartLimit, parent, 0, {}, s_.parts.size() + 1,
                       s_.limits.max_parts);
        part_limit_reported_ = true;
      }
      return;
    }
    const PartId id = static_cast<PartId>(s_.parts.size());
    s_.parts.emplace_back();
    if (parent != kNoPart) s_.parts[parent].children.push_back(id);

    parse::HeaderSplit split = parse::split_header(data, offset_of(data, source),
                                                   s_.limits.max_header_fields);
    {
      Part& part = s_.parts[id];
      part.id = id;
      part.parent = parent;
      part.depth = depth;
      part.source = source;
      part.header_block = split.header_block;
      part.body = split.body;
      part.headers = std::move(split.fields);
    }
    if (split.field_limit_hit) {
      s_.add_anomaly(AnomalyKind::kHeaderFieldLimit, id, 0, {}, split.field_count_seen,
                     s_.limits.max_header_fields);
    }
    if (split.syntax_error) {
      s_.add_anomaly(split.separator_found ? AnomalyKind::kHeaderSyntax : AnomalyKind::kNoHeaderBody,
                     id, split.first_error_offset);
    }
    if (split.nul_byte) s_.add_worded_anomaly(AnomalyKind::kNulByte, id, 0, {"header", "en-tête"});
    // No mailer sends a message without From or Date; an empty file read as a message must not
    // pass for a clean one.
    if (parent == kNoPart && s_.parts[id].headers.empty()) s_.add_anomaly(AnomalyKind::kNoHeader, id, 0);

    read_content_headers(id, in_digest);
    const bool is_message_header = parent == kNoPart || s_.parts[parent].media_type == "message";
    if (is_message_header) check_unique_fields(id);

    Part& part = s_.parts[id];
    if (part.is_multipart()) {
      if (depth >= s_.limits.max_mime_depth) {
        s_.add_anomaly(AnomalyKind::kDepthLimit, id, 0, {}, depth + 1, s_.limits.max_mime_depth);
        return;
      }
      if (part.transfer_encoding != TransferEncoding::kSevenBit &&
          part.transfer_encoding != TransferEncoding::kEightBit &&
          part.transfer_encoding != TransferEncoding::kBinary) {
        // RFC 2045 §6.4: multiparts are never encoded. Clients ignore the header; so do we.
        s_.add_anomaly(AnomalyKind::kEncodingOnMultipart, id, 0,
                       std::string(transfer_encoding_name(part.transfer_encoding)));
      }
      parse_multipart(id, source, depth);
    } else if (part.media_type == "message" &&
               (part.media_subtype == "rfc822" || part.media_subtype == "global" ||
                part.media_subtype == "news")) {
      if (depth >= s_.limits.max_mime_depth) {
        s_.add_anomaly(AnomalyKind::kDepthLimit, id, 0, {}, depth + 1, s_.limits.max_mime_depth);
        return;
      }
      parse_encapsulated(id, source, depth);
    }
  }

 private:
  std::uint64_t offset_of(std::string_view view, std::uint32_t source) const {
    const std::string_view base =
        source == 0 ? s_.raw : std::string_view(*s_.nested_sources[source - 1]);
    return static_cast<std::uint64_t>(view.data() - base.data());
  }

  // RFC 5322 §3.6: these fields occur at most once in a message header. A second From or Subject
  // is how a sender shows one value to a filter and another to the reader.
  void check_unique_fields(PartId id) {
    static constexpr std::string_view kUnique[] = {"From", "Sender", "Reply-To", "To", "Cc",
                                                   "Subject", "Date", "Message-ID"};
    for (std::string_view name : kUnique) {
      std::uint32_t count = 0;
      const HeaderField* second = nullptr;
      for (const HeaderField& f : s_.parts[id].headers) {
        if (iequals(f.name, name) && ++count == 2) second = &f;
      }
      if (second) {
        s_.add_anomaly(AnomalyKind::kDuplicateHeader, id, second->offset, std::string(name), count);
      }
    }
  }

  // Content-Type, Content-Transfer-Encoding, Content-Disposition and the file name.
  void read_content_headers(PartId id, bool in_digest) {
    Part& part = s_.parts[id];
    const HeaderField* content_type = nullptr;
    std::uint32_t content_type_count = 0;
    const HeaderField* encoding = nullptr;
    const HeaderField* disposition = nullptr;
    const HeaderField* content_id = nullptr;
    for (const HeaderField& f : part.headers) {
      if (iequals(f.name, "Content-Type")) {
        if (!content_type) content_type = &f;
        ++content_type_count;
      } else if (iequals(f.name, "Content-Transfer-Encoding")) {
        if (!encoding) encoding = &f;
      } else if (iequals(f.name, "Content-Disposition")) {
        if (!disposition) disposition = &f;
      } else if (iequals(f.name, "Content-ID")) {
        if (!content_id) content_id = &f;
      }
    }
    if (content_type_count > 1) {
      s_.add_anomaly(AnomalyKind::kDuplicateContentType, id, content_type->offset, {},
                     content_type_count);
    }
    if (in_digest) {  // RFC 2046 §5.1.5: the default inside multipart/digest
      part.media_type = "message";
      part.media_subtype = "rfc822";
    }
    if (content_type) {
      parse::MediaParameters mp = parse::parse_media_parameters(content_type->value);
      const std::size_t slash = mp.value.find('/');
      std::string_view type, subtype;
      if (slash != std::string::npos) {
        type = trim(std::string_view(mp.value).substr(0, slash));
        subtype = trim(std::string_view(mp.value).substr(slash + 1));
      }
      if (type.empty() || subtype.empty()) {
        // RFC 2045 §5.2: an unparsable Content-Type means text/plain; charset=us-ascii.
        s_.add_anomaly(AnomalyKind::kInvalidContentType, id, content_type->offset,
                       std::string(trim(content_type->value.substr(0, 80))));
        part.media_type = "text";
        part.media_subtype = "plain";
      } else {
        part.media_type = std::string(type);
        part.media_subtype = std::string(subtype);
        part.content_type_declared = true;
      }
      part.content_type_parameters = to_mime_parameters(std::move(mp.parameters));
      if (const std::string* cs = find_parameter(part.content_type_parameters, "charset")) {
        part.charset = to_lower(trim(*cs));
      }
      if (const std::string* b = find_parameter(part.content_type_parameters, "boundary")) {
        part.boundary = *b;
      }
    }
    if (encoding) {
      bool unknown = false;
      part.transfer_encoding = parse_transfer_encoding(encoding->value, unknown);
      if (unknown) {
        s_.add_anomaly(AnomalyKind::kUnknownTransferEncoding, id, encoding->offset,
                       std::string(trim(encoding->value.substr(0, 80))));
      }
    }
    std::string disposition_filename;
    if (disposition) {
      parse::MediaParameters mp = parse::parse_media_parameters(disposition->value);
      if (mp.value == "inline") {
        part.disposition = Disposition::kInline;
      } else if (mp.value == "attachment") {
        part.disposition = Disposition::kAttachment;
      } else if (!mp.value.empty()) {
        part.disposition = Disposition::kOther;
      }
      part.disposition_parameters = to_mime_parameters(std::move(mp.parameters));
      if (const std::string* fn = find_parameter(part.disposition_parameters, "filename")) {
        disposition_filename = *fn;
      }
    }
    const std::string* type_name = find_parameter(part.content_type_parameters, "name");
    if (!disposition_filename.empty()) {
      part.filename = disposition_filename;
      if (type_name && !type_name->empty() && *type_name != disposition_filename) {
        // Clients differ on which name they show; an attacker can give each scanner another one.
        s_.add_anomaly(AnomalyKind::kFilenameConflict, id, 0, *type_name);
      }
    } else if (type_name) {
      part.filename = *type_name;
    } else if (const std::string* n = find_parameter(part.disposition_parameters, "name")) {
      part.filename = *n;  // swapped parameter names, accepted by Outlook and Thunderbird
    } else if (const std::string* f = find_parameter(part.content_type_parameters, "filename")) {
      part.filename = *f;
    }
    if (content_id) part.content_id = std::string(trim(content_id->value));
  }

  // Finds the next delimiter line of `boundary` at or after `from`, or npos in `next`.
  std::optional<Delimiter> find_delimiter(std::string_view body, const std::string& dash_boundary,
                                          std::size_t from, PartId id) {
    const char* const begin = body.data();
    const char* const end = begin + body.size();
    std::size_t pos = from;
    while (true) {
      // The next occurrence at a line start, not every occurrence (a substring search stops at
      // every '-' of the body: CSS, comments, dashes in prose).
      std::size_t hit;
      if (pos == 0 && body.starts_with(dash_boundary)) {
        hit = 0;
      } else {
        const char* p = scan::find_at_line_start(begin + (pos == 0 ? 0 : pos - 1), end, dash_boundary);
        if (p == end) return std::nullopt;
        hit = static_cast<std::size_t>(p - begin);
      }
      pos = hit + 1;
      const std::size_t nl = body.find('\n', hit);
      const std::size_t line_end = nl == std::string_view::npos ? body.size() : nl;
      std::string_view rest = body.substr(hit + dash_boundary.size(), line_end - hit - dash_boundary.size());
      bool close = false;
      if (rest.starts_with("--")) {
        close = true;
        rest.remove_prefix(2);
      }
      if (!is_lwsp_only(rest)) {
        // "--boundaryXYZ": not a delimiter by RFC 2046 and for GMime/Thunderbird, but clients that
        // match on the prefix split here. Worth recording: it can hide a part from some readers.
        if (!boundary_junk_reported_) {
          s_.add_anomaly(AnomalyKind::kBoundaryWhitespace, id, hit, std::string(rest.substr(0, 40)));
          boundary_junk_reported_ = true;
        }
        continue;
      }
      std::size_t content_end = hit;
      if (content_end > 0 && body[content_end - 1] == '\n') --content_end;
      if (content_end > 0 && body[content_end - 1] == '\r') --content_end;
      return Delimiter{content_end, nl == std::string_view::npos ? body.size() : nl + 1, close};
    }
  }

  void parse_multipart(PartId id, std::uint32_t source, std::uint32_t depth) {
    const std::string boundary = s_.parts[id].boundary;
    const std::string_view body = s_.parts[id].body;
    const bool digest = s_.parts[id].media_subtype == "digest";
    if (boundary.empty()) {
      s_.add_anomaly(AnomalyKind::kMissingBoundary, id);
      return;
    }
    for (const std::string& outer : open_boundaries_) {
      if (boundary.starts_with(outer) || outer.starts_with(boundary)) {
        s_.add_anomaly(AnomalyKind::kNestedBoundaryPrefix, id, 0, boundary);
        break;
      }
    }
    const std::string dash_boundary = "--" + boundary;
    std::optional<Delimiter> delim = find_delimiter(body, dash_boundary, 0, id);
    if (!delim) {
      s_.add_anomaly(AnomalyKind::kBoundaryNotFound, id, 0, boundary);
      return;
    }
    open_boundaries_.push_back(boundary);
    bool closed = delim->close;
    while (!closed) {
      const std::size_t start = delim->next;
      std::optional<Delimiter> next = find_delimiter(body, dash_boundary, start, id);
      const std::size_t end = next ? std::max(next->content_end, start) : body.size();
      parse_entity(body.substr(start, end - start), source, id, depth + 1, digest);
      if (!next) {
        s_.add_anomaly(AnomalyKind::kMissingCloseBoundary, id, 0, boundary);
        break;
      }
      delim = next;
      closed = next->close;
    }
    open_boundaries_.pop_back();
  }

  void parse_encapsulated(PartId id, std::uint32_t source, std::uint32_t depth) {
    const Part& part = s_.parts[id];
    std::string_view inner = part.body;
    std::uint32_t inner_source = source;
    if (part.transfer_encoding == TransferEncoding::kBase64 ||
        part.transfer_encoding == TransferEncoding::kQuotedPrintable) {
      // RFC 2046 §5.2.1 forbids encoding message/rfc822, but mailers do it and clients decode it.
      auto decoded = std::make_unique<std::string>();
      const std::uint64_t budget = s_.decode_budget();
      const parse::DecodeStats stats =
          part.transfer_encoding == TransferEncoding::kBase64
              ? parse::decode_base64(part.body, *decoded, budget)
              : parse::decode_quoted_printable(part.body, *decoded, budget);
      if (stats.truncated) {
        s_.add_worded_anomaly(AnomalyKind::kDecodedSizeLimit, id, 0, {"nested message", "message joint"}, part.body.size(),
                       budget);
      }
      s_.total_decoded += decoded->size();
      s_.nested_sources.push_back(std::move(decoded));
      inner_source = static_cast<std::uint32_t>(s_.nested_sources.size());
      inner = *s_.nested_sources.back();
    }
    parse_entity(inner, inner_source, id, depth + 1, false);
  }

  ParsedMessage::State& s_;
  std::vector<std::string> open_boundaries_;
  bool part_limit_reported_ = false;
  bool boundary_junk_reported_ = false;
};

}  // namespace

std::unique_ptr<ParsedMessage> ParsedMessage::parse(std::shared_ptr<const std::string> bytes,
                                                    const Limits& limits) {
  auto state = std::make_unique<State>();
  state->buffer = bytes ? std::move(bytes) : std::make_shared<const std::string>();
  state->limits = limits;
  state->raw = *state->buffer;
  if (state->raw.size() > limits.max_message_bytes) {
    state->add_anomaly(AnomalyKind::kMessageTooLarge, kNoPart, 0, {}, state->raw.size(),
                       limits.max_message_bytes);
    state->raw = state->raw.substr(0, limits.max_message_bytes);
  }
  MimeBuilder builder(*state);
  builder.parse_entity(state->raw, 0, kNoPart, 0, false);
  state->caches.resize(state->parts.size());
  return std::unique_ptr<ParsedMessage>(new ParsedMessage(std::move(state)));
}

}  // namespace vigie

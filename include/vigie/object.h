// The object tree: every file a message carries, at any depth. Object 0 is the message itself;
// below it come its MIME leaves (bodies and attachments) and attached messages (message/rfc822,
// whose own leaves hang below them), then whatever the extractors find inside those (files
// uuencoded in a text part; archive members or document streams, once an extractor for them is
// registered in object_registry.def). Each object says where it came from, what it claims to be,
// what its content shows it is, and how large it is; its bytes are a view into the message (a
// MIME leaf) or a buffer it owns (an extracted file); its hashes are computed on first request.
//
// Findings point at objects (Evidence::object), so an analyst reads "part 4 > invoice.zip >
// invoice.pdf.lnk" rather than a part number. A tree belongs to one scan; references to its
// objects stay valid while objects are added (they live in a deque).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/anomaly.h"
#include "vigie/content.h"
#include "vigie/message.h"

namespace vigie {

enum class ObjectOrigin : std::uint8_t {
  kMessage,          // the scanned message (object 0)
  kMimePart,         // a MIME leaf: a body or an attachment
  kAttachedMessage,  // a message/rfc822 part, parsed as a message of its own
  kUuencoded,        // a file uuencoded inside a text part
  kArchiveMember,    // a file inside an archive
  kEmbedded,         // a stream, object or file embedded in a document
};
// "message", "mime_part", "attached_message", "uuencoded", "archive_member", "embedded".
std::string_view object_origin_name(ObjectOrigin origin);

// Bits of Object::flags.
enum ObjectFlag : std::uint32_t {
  kObjectEncrypted = 1u << 0,    // the content is encrypted: it was not examined inside
  kObjectTruncated = 1u << 1,    // the content was cut at a limit (or the file is incomplete)
  kObjectNotExamined = 1u << 2,  // a limit kept the analyzers from looking inside it
};
// The set flags' names, in bit order ("encrypted", "truncated", "not_examined").
std::vector<std::string_view> object_flag_names(std::uint32_t flags);

class Object {
 public:
  ObjectId id = kMessageObject;
  ObjectId parent = kNoObject;
  std::uint32_t depth = 0;               // 0 for the message; 1 for its parts; +1 per extraction
  ObjectOrigin origin = ObjectOrigin::kMessage;
  PartId part = kNoPart;                 // the MIME part it is, or the part it was found in
  std::string filename;                  // as declared (MIME filename, archive member name)
  std::string declared_type;             // the MIME type declared for it, lowercase; "" when none
  std::string detected_type;             // the type its content shows; "" when not identified
  std::uint32_t flags = 0;               // ObjectFlag bits
  std::vector<std::string> notes;        // what went wrong reading it, for the analyst

  // A file rather than a message or a text body the reader reads in place: what the scan output
  // lists with hashes.
  bool is_file() const { return is_file_; }
  std::string_view bytes() const { return bytes_; }
  std::uint64_t size() const { return bytes_.size(); }
  // MD5, SHA-1 and SHA-256 of bytes(), computed on the first call.
  const PartHashes& hashes() const;
  // SHA-256 alone, computed on the first call (or taken from hashes()).
  const std::string& sha256() const;

  // The content: a view that must outlive the tree (the message's buffers), or a buffer the
  // object keeps.
  void set_content(std::string_view view, bool is_file);
  void own_content(std::shared_ptr<const std::string> buffer, bool is_file);

 private:
  std::string_view bytes_;
  std::shared_ptr<const std::string> owned_;
  bool is_file_ = false;
  mutable std::optional<PartHashes> hashes_;
  mutable std::optional<std::string> sha256_;
};

class ObjectTree {
 public:
  // A tree holding only the message object over `raw`.
  explicit ObjectTree(std::string_view raw = {});

  std::size_t size() const { return objects_.size(); }
  const Object& at(ObjectId id) const { return objects_.at(id); }
  Object& at(ObjectId id) { return objects_.at(id); }
  const Object& root() const { return objects_.front(); }
  std::deque<Object>::const_iterator begin() const { return objects_.begin(); }
  std::deque<Object>::const_iterator end() const { return objects_.end(); }

  // Adds `object` below `parent`: sets its id, parent and depth; returns the stored object.
  Object& add(Object object, ObjectId parent);

  // The object a MIME part is (a leaf or an attached message); for a multipart container, the
  // nearest object above it (the message, or the attached message it belongs to). Parts the tree
  // was never told about belong to the message.
  ObjectId of_part(PartId part) const;
  // Where a link was read: the extracted file an object analyzer found it in, else its part.
  ObjectId of_url(const Url& url) const { return url.object != kNoObject ? url.object : of_part(url.part); }
  void map_part(PartId part, ObjectId object);

  // How an analyst finds it: "message", "part 3", "part 3 > part 5", "part 2 (invoice.zip) >
  // invoice.pdf.lnk" (a MIME part by its number and file name, an extracted object by its file
  // name, else "#id"). `part_word` is the word for a MIME part in the reader's language ("partie").
  std::string path(ObjectId id, std::string_view part_word = "part") const;

  // URLs found inside objects by their analyzers and extractors (links in a PDF, a calendar
  // invitation...), beyond those the message parser reads in text parts: the followable links of
  // the message facts include them.
  std::span<const Url> urls() const { return urls_; }
  void add_url(Url url) { urls_.push_back(std::move(url)); }

 private:
  std::deque<Object> objects_;
  std::vector<ObjectId> part_objects_;  // PartId → object, kNoObject when none
  std::vector<Url> urls_;
};

}  // namespace vigie

// The object tree (see include/vigie/object.h).
#include "vigie/object.h"

namespace vigie {

std::string_view object_origin_name(ObjectOrigin origin) {
  switch (origin) {
    case ObjectOrigin::kMessage: return "message";
    case ObjectOrigin::kMimePart: return "mime_part";
    case ObjectOrigin::kAttachedMessage: return "attached_message";
    case ObjectOrigin::kUuencoded: return "uuencoded";
    case ObjectOrigin::kArchiveMember: return "archive_member";
    case ObjectOrigin::kEmbedded: return "embedded";
  }
  return "message";
}

std::vector<std::string_view> object_flag_names(std::uint32_t flags) {
  std::vector<std::string_view> names;
  if (flags & kObjectEncrypted) names.push_back("encrypted");
  if (flags & kObjectTruncated) names.push_back("truncated");
  if (flags & kObjectNotExamined) names.push_back("not_examined");
  return names;
}

const PartHashes& Object::hashes() const {
  if (!hashes_) hashes_ = compute_hashes(bytes_);
  return *hashes_;
}

const std::string& Object::sha256() const {
  if (hashes_) return hashes_->sha256;
  if (!sha256_) sha256_ = sha256_hex(bytes_);
  return *sha256_;
}

void Object::set_content(std::string_view view, bool is_file) {
  owned_.reset();
  bytes_ = view;
  is_file_ = is_file;
  hashes_.reset();
  sha256_.reset();
}

void Object::own_content(std::shared_ptr<const std::string> buffer, bool is_file) {
  owned_ = std::move(buffer);
  bytes_ = owned_ ? std::string_view(*owned_) : std::string_view();
  is_file_ = is_file;
  hashes_.reset();
  sha256_.reset();
}

ObjectTree::ObjectTree(std::string_view raw) {
  Object& message = objects_.emplace_back();
  message.declared_type = "message/rfc822";
  message.set_content(raw, /*is_file=*/false);
}

Object& ObjectTree::add(Object object, ObjectId parent) {
  object.id = static_cast<ObjectId>(objects_.size());
  object.parent = parent;
  object.depth = objects_.at(parent).depth + 1;
  Object& stored = objects_.emplace_back(std::move(object));
  if (stored.part != kNoPart &&
      (stored.origin == ObjectOrigin::kMimePart || stored.origin == ObjectOrigin::kAttachedMessage)) {
    map_part(stored.part, stored.id);
  }
  return stored;
}

void ObjectTree::map_part(PartId part, ObjectId object) {
  if (part >= part_objects_.size()) part_objects_.resize(part + 1, kNoObject);
  part_objects_[part] = object;
}

ObjectId ObjectTree::of_part(PartId part) const {
  if (part >= part_objects_.size() || part_objects_[part] == kNoObject) return kMessageObject;
  return part_objects_[part];
}

std::string ObjectTree::path(ObjectId id, std::string_view part_word) const {
  if (id >= objects_.size() || id == kMessageObject) return "message";
  std::vector<ObjectId> chain;
  for (ObjectId at = id; at != kMessageObject && at != kNoObject; at = objects_[at].parent) chain.push_back(at);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const Object& object = objects_[*it];
    if (!out.empty()) out += " > ";
    if (object.origin == ObjectOrigin::kMimePart || object.origin == ObjectOrigin::kAttachedMessage) {
      out += std::string(part_word) + " " + std::to_string(object.part);
      if (!object.filename.empty()) out += " (" + object.filename + ")";
    } else if (!object.filename.empty()) {
      out += object.filename;
    } else {
      out += "#" + std::to_string(object.id);
    }
  }
  return out;
}

}  // namespace vigie

// MIME parts as objects (see mime_objects.h).
#include "objects/mime_objects.h"

#include "objects/content_type.h"

namespace vigie::objects {

void add_mime_objects(const ParsedMessage& message, ObjectTree& tree) {
  tree.map_part(0, kMessageObject);
  // Parts come in document order, a parent before its children, so the parent's object exists.
  // The root part is the message's header; when it is not a multipart, it is also the body, an
  // object of its own below the message.
  for (const Part& part : message.parts()) {
    if (part.id == 0 && !part.is_leaf()) continue;
    const ObjectId parent = part.id == 0 ? kMessageObject : tree.of_part(part.parent);
    if (!part.is_encapsulated_message() && !part.is_leaf()) {
      tree.map_part(part.id, parent);  // a multipart container: its parts belong to `parent`
      continue;
    }
    Object object;
    object.origin = part.is_encapsulated_message() ? ObjectOrigin::kAttachedMessage : ObjectOrigin::kMimePart;
    object.part = part.id;
    object.filename = part.filename;
    object.declared_type = part.media_type + "/" + part.media_subtype;
    // A body the reader reads in place is not a file; an attachment, any non-text part and an
    // attached message (a forwarded .eml) are.
    const bool is_file = part.is_attachment() || !part.is_text();
    object.set_content(message.decoded(part.id), is_file);
    // An attached message is a message whatever libmagic makes of its text ("text/plain" for most):
    // only our signatures, which catch a program passed off as message/rfc822.
    if (is_file) {
      object.detected_type = part.is_encapsulated_message() ? signature_type(object.bytes()) : detect_type(object.bytes());
    }
    tree.add(std::move(object), parent);
  }
}

}  // namespace vigie::objects

// The first level of the object tree, read from the MIME structure: one object per leaf (bodies
// and attachments) and per attached message (message/rfc822 parsed as a message, its own leaves
// below it); multipart containers are not objects, their parts hang from the nearest object
// above. Every object's content is a view into the message's buffers.
#pragma once

#include "vigie/message.h"
#include "vigie/object.h"

namespace vigie::objects {

void add_mime_objects(const ParsedMessage& message, ObjectTree& tree);

}  // namespace vigie::objects

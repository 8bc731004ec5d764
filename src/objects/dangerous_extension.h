// The file extensions Windows runs or mounts, or that run something when opened (a program, a
// script, a shortcut, a disk image, an installer...), named for the analyst. One table for every
// analyzer that judges a name: attachment_type for attachments and archive members, archives for
// the visible lure beside a hidden member.
#pragma once

#include <string_view>

namespace vigie::objects {

struct TypeName {
  std::string_view en;
  std::string_view fr;
};

struct DangerousExtension {
  std::string_view extension;  // lowercase, without the dot: "lnk"
  TypeName kind;
};

// The entry for a lowercase `extension` without its dot, or nullptr.
const DangerousExtension* dangerous_extension(std::string_view extension);

}  // namespace vigie::objects

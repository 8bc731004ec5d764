// What an object's content shows it is, from its first bytes: the formats whose type decides what
// the analyzers look for (executables, archives, documents, disk images, shortcuts, web pages,
// images). A small table of signatures, not a general identifier: the weaponised-content issue
// puts libmagic in front of it and keeps these as the checks for formats it misses.
#pragma once

#include <string>
#include <string_view>

namespace vigie::objects {

// A MIME type ("application/pdf", "application/x-dosexec"...), empty when no signature matches.
std::string detect_type(std::string_view bytes);

}  // namespace vigie::objects

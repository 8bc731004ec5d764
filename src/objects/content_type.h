// What an object's content shows it is, from its first bytes. Our own table of signatures comes
// first, for the formats whose type decides what the analyzers look for (executables, archives,
// documents, disk images, shortcuts, web pages, calendars) and which libmagic names differently
// from one version to the next or misses (OneNote, VHDX, a page after a byte-order mark); libmagic
// (magic_types.h) names everything else, and refines the two containers the table cannot see into
// (a zip that is a Word document or a Java archive, an OLE file that is an installer).
#pragma once

#include <string>
#include <string_view>

namespace vigie::objects {

// A MIME type ("application/pdf", "application/x-dosexec", "text/plain"...), empty when neither
// the table nor libmagic identifies it. Without a libmagic database, the table alone.
std::string detect_type(std::string_view bytes);

// Our table alone: empty when no signature matches.
std::string signature_type(std::string_view bytes);

}  // namespace vigie::objects

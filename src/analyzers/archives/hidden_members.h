// archives: members an archive hides from the person who opens it, with Windows' hidden and
// system attributes (zip, RAR, cabinet, ISO 9660; see objects/archive/archive_reader.h for where they are
// read). The lure's trick: only a shortcut or a script is in sight, and the DLL it loads, the
// program it starts or the decoy document it opens sits hidden beside it (T1564.001).
#pragma once

#include <vector>

#include "analyzers/analyzer.h"
#include "objects/archive/archive_reader.h"

namespace vigie::analyzers::archives {

// Emits ARCHIVE_HIDDEN_MEMBER for the hidden members of `listing` (and the files in its hidden
// folders), at full confidence beside a visible member that runs something (a shortcut, a script,
// a program), less with a hidden program alone, little with hidden files alone. The files Windows
// itself writes hidden (desktop.ini, Thumbs.db) are only a note on the archive. `ids[i]` is member
// i's object, or kNoObject when it was not extracted (the evidence then points at the archive).
void report_hidden_members(const objects::archive::Listing& listing, const std::vector<ObjectId>& ids,
                           const Object& archive, ObjectContext& context, FindingSink& sink);

}  // namespace vigie::analyzers::archives

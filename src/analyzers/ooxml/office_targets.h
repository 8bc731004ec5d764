// What Office documents fetch or run from elsewhere, for the analyzers of the formats that carry
// it (ooxml: relationships and w:instrText fields; rtf: \fldinst fields): the shape of a target
// (a share that leaks credentials, a known exploit's protocol handler), the links it adds to the
// message, and the findings of a Word field (OFFICE_DDE_FIELD for DDE and DDEAUTO, assembled by
// nested QUOTE fields or not, the web addresses of its command joining the message's links;
// OFFICE_UNC_RESOURCE for INCLUDEPICTURE/INCLUDETEXT/LINK to a share).
#pragma once

#include <string>
#include <string_view>

#include "analyzers/analyzer.h"
#include "objects/word_fields.h"

namespace vigie::analyzers::ooxml {

struct Target {
  std::string scheme;  // lowercase, "" for a path without one
  bool unc = false;    // a Windows file share or a WebDAV path: Windows authenticates to it
  bool remote = false; // fetched from another machine (http, https, ftp, a share)
  std::string cve;     // the exploit whose shape it has; "" when none
  std::string exploit; // the same, in words
};

// `ole_object`: the target of an external OLE object, where an http(s) URL ending in '!' is the
// Follina shape.
Target read_target(std::string_view raw, bool ole_object);

// Adds `raw` to the message's links when it names a scheme or a share (a share as file://).
void add_link(std::string_view raw, UrlSource source, const Target& target, const Object& object,
              ObjectContext& context);

Evidence target_evidence(const Object& object, std::string_view target);

// OFFICE_UNC_RESOURCE: `what` (a relationship type, "field includepicture") points at a share.
void report_unc(const Object& object, std::string_view what, std::string_view target, FindingSink& sink);

// The findings of one Word field read in `object`, and its links.
void judge_word_field(const objects::WordField& field, const Object& object, ObjectContext& context,
                      FindingSink& sink);

}  // namespace vigie::analyzers::ooxml

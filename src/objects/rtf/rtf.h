// RTF scanner: the parts of a Rich Text Format document that carry code rather than text — embedded
// OLE objects (\object groups with \objclass and \objdata, decoded from hexadecimal and \bin and
// read as OLE1 objects, [MS-OLEDS] §2.2.4), a template fetched from elsewhere (\*\template), the
// instructions of fields (\*\fldinst: DDE, INCLUDEPICTURE; nested as objects/word_fields.h says), and
// the tricks exploit builders use to keep other parsers from seeing them: control words longer
// than the specification allows, \bin inside hexadecimal, junk bytes in \objdata, groups nested
// past any document's need. Ours, written for that purpose only (it renders nothing): one pass,
// no recursion (a group stack bounded by [limits] max_rtf_depth; deeper groups are counted, not
// stored), every decoded object bounded by max_rtf_object_bytes and their count by
// max_rtf_objects. Thread-safe. The analysis is in src/analyzers/rtf.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "objects/word_fields.h"
#include "vigie/limits.h"

namespace vigie::objects::rtf {

// An OLE1 object as stored in \objdata ([MS-OLEDS] §2.2.4 ObjectHeader, §2.2.5 EmbeddedObject).
struct OleObject {
  std::string class_name;        // \objclass, else the OLE1 header's ClassName ("Equation.3")
  std::string header_class;      // the OLE1 header's ClassName, "" when \objdata is no OLE1 object
  std::uint32_t format_id = 0;   // 1 linked, 2 embedded
  bool auto_update = false;      // \objupdate: the object refreshes (and so loads) without a click
  bool linked = false;           // \objautlink or \objlink
  std::uint64_t offset = 0;      // of the \object group in the document
  // The native data (the embedded document or the object's own stream), and for a Package object
  // the packaged file with its label.
  std::shared_ptr<const std::string> native_data;
  std::string package_label;     // Package: the name shown on the icon
  std::string package_path;      // Package: the path the file was packaged from
  std::shared_ptr<const std::string> package_data;
  bool data_truncated = false;   // \objdata was cut at max_rtf_object_bytes
  std::uint64_t hex_junk = 0;    // bytes inside \objdata that are neither hex digits nor spaces
  bool binary = false;           // \bin inside \objdata
};

struct LimitCrossed {
  std::string limit;  // the [limits] key
  std::uint64_t observed = 0;
  std::uint64_t allowed = 0;
};

struct RtfScan {
  bool rtf = false;                       // starts with "{\rt" (what Word itself checks)
  std::vector<OleObject> objects;
  std::vector<std::string> templates;     // \*\template targets
  std::vector<WordField> fields;          // \fldinst instructions, inner fields first (at most 256)
  std::uint32_t max_depth = 0;            // deepest group nesting seen
  std::uint32_t overlong_control_words = 0;  // letters beyond the 32 the specification allows
  std::uint32_t unbalanced_groups = 0;    // '}' without a '{'
  std::vector<LimitCrossed> limits;       // every limit crossed, once each
};

// Scans `bytes` as RTF. Never fails: malformed input gives what could be read.
RtfScan scan_rtf(std::string_view bytes, const Limits& limits);

// Reads an OLE1 object from decoded \objdata into `object` (header class, format, native data,
// packaged file); false when the bytes are no OLE1 object. Exposed for the tests and the fuzz
// target.
bool read_ole1(std::string_view data, OleObject& object);

}  // namespace vigie::objects::rtf

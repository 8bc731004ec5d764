// Hard limits on untrusted input. Every limit that bounds time or memory for a hostile message lives
// here, with one line on what it guards; each is overridable in the [limits] section of the
// configuration (the key is the field's name) and documented in docs/limits.md. Crossing a limit
// is never a crash and never silent: the parser records an Anomaly{kind, observed, limit}, the
// object queue and the analyzers a LimitCrossing, and the verdict says the message was not fully
// examined (Verdict::complete).
#pragma once

#include <cstddef>
#include <cstdint>

namespace vigie {

struct Limits {
  // Largest message accepted at all; larger input is refused before parsing (memory bound).
  std::uint64_t max_message_bytes = 64ull << 20;
  // Deepest MIME nesting followed (multipart inside message/rfc822 inside ...); guards recursion.
  std::uint32_t max_mime_depth = 24;
  // Most MIME parts (all levels) built for one message; guards quadratic boundary tricks.
  std::uint32_t max_parts = 2000;
  // Most header fields parsed per header block; guards header floods.
  std::uint32_t max_header_fields = 2000;
  // Largest decoded body of one part; the rest is not decoded (decompression-like blowups, memory).
  std::uint64_t max_part_decoded_bytes = 32ull << 20;
  // Largest sum of decoded bytes over the whole message, nested messages included.
  std::uint64_t max_total_decoded_bytes = 128ull << 20;
  // Largest HTML input handed to the HTML tokenizer per part (tree-building cost).
  std::uint64_t max_html_bytes = 8ull << 20;
  // Deepest HTML element nesting considered for style inheritance.
  std::uint32_t max_html_depth = 512;
  // Most URLs extracted per message.
  std::uint32_t max_urls = 5000;
  // Most uuencoded blocks looked for in one text part.
  std::uint32_t max_uuencode_blocks = 64;

  // --- Calendar items (text/calendar parts, .ics/.vcs files; RFC 5545, read with libical) ---
  // Largest calendar text handed to libical; the rest is not read (parse time and memory: libical
  // builds an object per property and parameter).
  std::uint64_t max_calendar_bytes = 2ull << 20;
  // Most components (VCALENDAR, VEVENT, VALARM, VTIMEZONE...) read from one calendar.
  std::uint32_t max_calendar_components = 1000;
  // Most properties (content lines other than BEGIN/END) read from one calendar.
  std::uint32_t max_calendar_properties = 20000;
  // Deepest component nesting followed (RFC 5545 needs 3: VCALENDAR > VEVENT > VALARM); libical
  // frees a component tree recursively.
  std::uint32_t max_calendar_depth = 8;

  // --- Documents read by object analyzers (src/objects/pdf, src/objects/rtf) ---
  // Largest PDF handed to qpdf; a larger one is not opened (qpdf's repair of a damaged file scans
  // it whole, and its warnings grow with it).
  std::uint64_t max_pdf_bytes = 32ull << 20;
  // Most PDF objects (dictionaries, arrays, streams) visited per PDF, from the trailer.
  std::uint32_t max_pdf_objects = 100000;
  // Largest decoded PDF stream read (a script, an embedded file); the decoder stops there (flate
  // bombs).
  std::uint64_t max_pdf_stream_bytes = 16ull << 20;
  // Deepest RTF group nesting kept on the scanner's stack; deeper groups share their parent's state.
  std::uint32_t max_rtf_depth = 256;
  // Most embedded objects (\object) decoded per RTF document.
  std::uint32_t max_rtf_objects = 64;
  // Largest decoded \objdata of one RTF object.
  std::uint64_t max_rtf_object_bytes = 16ull << 20;

  // --- The object tree (files inside files) ---
  // Deepest object: the message is 0, its parts 1, a file extracted from a part 2...
  std::uint32_t max_object_depth = 16;
  // Most files the extractors may add to one message's tree.
  std::uint32_t max_extracted_objects = 1000;
  // Largest sum of the extracted files' sizes (archive bombs, memory).
  std::uint64_t max_extracted_bytes = 128ull << 20;
  // Largest size of an extracted file over the size of the file it came from (above 1 MiB).
  std::uint32_t max_expansion_ratio = 100;
  // Most member headers read from one archive, files or not (an archive of a million empty entries
  // stops here; names past it are not checked).
  std::uint32_t max_archive_entries = 10000;
  // Largest content decompressed from one archive member; a larger member is kept cut at this size
  // and flagged truncated (a program padded to hundreds of MB to slip past scanners still shows
  // its type and name).
  std::uint64_t max_archive_member_bytes = 32ull << 20;

  // --- Office documents (OLE compound files, VBA projects, OOXML members) ---
  // Most directory entries read from one OLE compound file (.doc, .xls, .msg, vbaProject.bin);
  // the rest are not listed (a directory of millions of entries, memory and time).
  std::uint32_t max_ole_directory_entries = 8192;
  // Largest stream read from an OLE compound file (a VBA module, a Workbook, an embedded package).
  std::uint64_t max_ole_stream_bytes = 32ull << 20;
  // Most VBA modules read per project (a dir stream listing thousands).
  std::uint32_t max_vba_modules = 256;
  // Largest decompressed VBA source per module (MS-OVBA expands up to ~4500x: a decompression bomb).
  std::uint64_t max_vba_source_bytes = 2ull << 20;
  // Most VBA code kept per file, all modules and projects together (decompressed sources, compiled
  // parts): many modules each at max_vba_source_bytes, memory.
  std::uint64_t max_vba_total_bytes = 16ull << 20;
  // Largest OOXML member (relationships, document.xml, workbook.xml) scanned for external
  // targets, fields and macro sheets.
  std::uint64_t max_office_xml_bytes = 16ull << 20;

  // --- Analyzers ---
  // Time the object queue and the analyzers of one message may take together, from the end of
  // authentication (DNS has its own budget, [dns] message_budget_ms); past it, the objects and
  // analyzers not yet run are skipped and reported.
  std::uint32_t max_analysis_ms = 5000;
  // Most distinct hosts (senders, then links in reading order, then resources) checked for
  // look-alikes per message; the cost of each is a few dozen hash lookups.
  std::uint32_t max_hosts_checked = 256;
  // Readable text scanned per message for lure phrases, after folding.
  std::uint64_t max_lure_text_bytes = 256ull << 10;
  // Readable text read per message for brand names.
  std::uint64_t max_brand_text_bytes = 256ull << 10;
  // Readable text examined per part for words split by invisible characters (one cheap pass per
  // code point; long newsletters and threads pass 64 KiB, so the bound sits well above them).
  std::uint64_t max_evasion_text_bytes = 1ull << 20;
  // Redirects followed inside a link's query (a tracker wrapping an open redirect wrapping...).
  std::uint32_t max_redirect_depth = 2;
  // Readable text (subject, sender name, bodies) the content classifier reads per message, and the
  // distinct tokens it keeps. `vigie learn` reads messages under the same limits: change them
  // before a model learns, not after (a model scores best the kind of text it learned from).
  std::uint64_t max_classifier_text_bytes = 256ull << 10;
  std::uint32_t max_classifier_tokens = 5000;
  // --- Weapons in files and in the message (issue 13: client exploits, smuggling, TNEF) ---
  // Payload candidates (large base64 strings, byte arrays, data: URLs) measured per HTML, SVG or
  // script file by the HTML smuggling scanner; the largest is the one decoded.
  std::uint32_t max_smuggling_candidates = 64;
  // Largest payload the smuggling scanner decodes from one candidate (memory per file).
  std::uint64_t max_smuggling_payload_bytes = 32ull << 20;
  // Most attributes (and MAPI properties inside attMAPIProps blocks) read from one TNEF
  // (winmail.dat) stream; guards attribute and property floods.
  std::uint32_t max_tnef_attributes = 4096;
  // Bytes of one object (a body, an attachment, an extracted file) handed to the rule engines
  // (YARA, ClamAV); the rest of a larger object is not matched (scan time, and ClamAV's own
  // temporary copies of what it parses).
  std::uint64_t max_rule_scan_bytes = 32ull << 20;
  // --- Indicator feeds read by `vigie intel import` and `vigie hunt --intel` (src/intel) ---
  // Largest STIX bundle read; a larger one is refused unread (memory of the JSON tree).
  std::uint64_t intel_max_bundle_bytes = 256ull << 20;
  // Most objects in one STIX bundle (memory and import time).
  std::uint32_t intel_max_bundle_objects = 2'000'000;
  // Longest STIX pattern parsed; a longer one is not kept (parse time).
  std::uint32_t intel_max_pattern_bytes = 64u << 10;
  // Largest MISP JSON document (an event file, a feed manifest); nlohmann's tree takes several
  // times the text.
  std::uint64_t intel_max_misp_document_bytes = 64ull << 20;
  // Most MISP attributes and events read in one import, all files of a feed together.
  std::uint32_t intel_max_misp_attributes = 2'000'000;
  std::uint32_t intel_max_misp_events = 100'000;
  // All the files of one MISP feed together (disk or network transfer).
  std::uint64_t intel_max_misp_feed_bytes = 2ull << 30;
  // Largest plain or CSV list file (a million domains is about 20 MiB).
  std::uint64_t intel_max_list_bytes = 256ull << 20;
};

}  // namespace vigie

// Calendar items: what an iCalendar text (RFC 5545; also the older vCalendar 1.0 of .vcs files,
// whose lines share the syntax) names and links to, read with libical (Debian libical-dev).
// Owns the bounded feeding of libical: content lines are unfolded (§3.1) and counted here, and
// only the lines within the [limits] max_calendar_* limits reach the parser, so a hostile
// calendar costs bounded time and memory and never nests deeper than libical's recursive free
// can take. It does not judge what it reads: the calendar object analyzer does
// (src/analyzers/calendar).
//
// What is read:
//   - METHOD (RFC 5546: who sends — the organizer for REQUEST/CANCEL, an attendee for REPLY);
//   - every ORGANIZER and ATTENDEE with its CN and SENT-BY;
//   - links: URI-valued properties (URL, ATTACH, CONFERENCE, SOURCE, an ALTREP parameter) as
//     UrlSource::kCalendarProperty, IMAGE as kSrc; URLs in text values (DESCRIPTION, LOCATION,
//     SUMMARY, COMMENT, X- properties) as kText; HTML values (X-ALT-DESC;FMTTYPE=text/html, or a
//     DESCRIPTION written in HTML as Google Calendar does) through the HTML reader, so their links
//     keep their href/src source and link text;
//   - files carried inline (ATTACH;VALUE=BINARY;ENCODING=BASE64), decoded.
// TZURL is not read (a time-zone definition's address, fetched by no mail client).
//
// Malformed calendars are data: what libical could not read (its X-LIC-ERROR properties, an END
// without a BEGIN, a line outside any component) is listed in CalendarContent::errors. Nothing
// here throws. Thread-safe: each call uses its own libical parser (libical 3 keeps its error
// number and scratch buffers per thread).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "vigie/content.h"
#include "vigie/limits.h"

namespace vigie::parse {

// Reads a calendar from UTF-8 text (a byte-order mark is skipped). Links are normalised
// (normalize_url) with Url::part left at kNoPart; at most limits.max_urls of them. Inline files
// are decoded up to limits.max_part_decoded_bytes each.
CalendarContent read_calendar(std::string_view text, const Limits& limits);

// Whether bytes start like a calendar: "BEGIN:VCALENDAR" (any case) after an optional byte-order
// mark and whitespace. For type detection of files whose name and declared type say nothing.
bool looks_like_calendar(std::string_view bytes);

// Calls `line` with each content line of `text`, unfolded (RFC 5545 §3.1: a line starting with a
// space or a tab continues the previous one; lines end in CRLF or LF); stops when it returns
// false. For readers of properties libical's tree does not keep (X- properties as written).
void for_each_content_line(std::string_view text, const std::function<bool(std::string& line)>& line);

}  // namespace vigie::parse

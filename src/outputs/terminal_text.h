// Safe terminal text: the one place that makes message-derived strings harmless to print on an
// analyst's terminal. Subjects, display names, file names, link text, evidence and even file paths
// are chosen by whoever sent or named the message; written raw, an escape sequence in them
// retitles, recolours or rewrites the terminal (ESC ] 0 ; … BEL, ESC [ 31 m, a C1 CSI), a bidi
// override reorders the line so that "exe.pdf" reads as "fdp.exe", and a line break forges a line
// of vigie's own output. Every human-readable output (text scan output, --explain, vigie parse,
// the CLI's progress, summary and error lines) passes such strings through terminal_safe().
// JSON output needs no such step: its encoder escapes control characters.
//
// Rendering, chosen to stay readable (a path keeps its backslashes):
//   - C0 controls and DEL: \xNN (ESC is \x1b, TAB \x09, LF \x0a);
//   - bytes that are not part of well-formed UTF-8 (a lone 0x9b is a CSI for an 8-bit
//     terminal): \xNN;
//   - C1 controls U+0080–U+009F, bidirectional formatting characters (U+061C, U+200E, U+200F,
//     U+202A–U+202E, U+2066–U+2069) and the line and paragraph separators U+2028, U+2029:
//     \uXXXX (U+202E is \u202e);
//   - everything else, backslashes included, unchanged.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace vigie::outputs {

enum class LineBreaks {
  kEscape,  // a single-line field: '\n' is shown as \x0a like any control
  kKeep,    // a block of vigie's own lines: '\n' stays a line break, every other control is shown
};

// `text` with every character a terminal would act on, rather than display, rendered visibly.
std::string terminal_safe(std::string_view text, LineBreaks line_breaks = LineBreaks::kEscape);

}  // namespace vigie::outputs

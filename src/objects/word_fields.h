// Word field codes as Word evaluates them, for the readers of documents that carry them (OOXML
// w:fldChar/w:instrText, RTF \field{\*\fldinst}): fields nest, the inner ones are evaluated
// first, and a QUOTE field's result takes its place in the instruction of the field around it.
// Exploit builders use that to assemble a DDEAUTO command from character codes
// ({ {QUOTE 68 68 69 65 85 84 79} c:\\windows\\system32\\cmd.exe ... }) so that no filter reads
// "DDE" in the file. Other nested fields' results (page numbers, bookmarks) are unknown without
// rendering and add nothing. Bounded: kMaxDepth fields open at once (deeper ones are skipped whole)
// and kMaxInstructionBytes of instruction per field. Not thread-safe per object; no shared state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::objects {

struct WordField {
  std::string instruction;  // as Word reads it, nested QUOTE results included
  bool assembled = false;   // a nested QUOTE field built part of it
};

// The field's keyword, lowercase ("ddeauto", "quote", "includepicture").
std::string field_keyword(std::string_view instruction);

// What QUOTE puts in place of itself: its quoted text, and for each number 1-255 the character of
// that code. `arguments` is what follows the keyword.
std::string quote_result(std::string_view arguments);

class WordFieldNesting {
 public:
  static constexpr std::size_t kMaxDepth = 16;  // Word documents rarely nest past 3
  static constexpr std::size_t kMaxInstructionBytes = 8192;

  // A field begins (fldChar begin, {\field{\*\fldinst).
  void begin();
  // Instruction text of the innermost open field.
  void text(std::string_view instruction_text);
  // The innermost field ends: appended to `done` (inner fields before outer ones), unless it was
  // nested past kMaxDepth or no field was open.
  void end(std::vector<WordField>& done);

  bool open() const { return !open_.empty(); }

 private:
  std::vector<WordField> open_;
  std::size_t skipped_depth_ = 0;
};

}  // namespace vigie::objects

// Splitting an mbox (RFC 4155, the mboxo and mboxrd variants) into its messages, streaming: the
// caller feeds the file in chunks of any size and receives each message as soon as the next
// "From " separator (or the end) is seen, so a mailbox of any size is split in bounded memory.
//
// Owns: the separator rule (a line starting "From " at the start of the file or after a blank
// line), mboxrd unescaping (">From ", ">>From "... lose one '>'; in an mboxo file this also
// unescapes lines the writer had quoted, which is what readers of both variants do), the byte
// offset and the separator line of each message, and the size limit: a message longer than
// max_message_bytes is kept up to the limit plus one byte (so the MIME parser records it as too
// large), the rest is skipped but counted in `size`. Nothing is dropped silently. Line breaks are
// kept as they are (LF or CRLF); the separator line is not part of the message.
//
// Hostile input: the splitter holds at most one message (bounded as above), the separator line up
// to kMaxSeparatorBytes and a few bytes of the line being classified; a file without line breaks
// is one long line and costs no more. Not thread-safe: one splitter per file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace vigie::parse {

// One message of an mbox.
struct MboxMessage {
  std::size_t index = 0;        // 1-based position in the file
  std::uint64_t offset = 0;     // byte offset in the file of its separator line (of its first line
                                // when the file does not start with a separator)
  std::string separator;        // the "From " line without its line break; empty when none
  std::string bytes;            // the message, unescaped; at most max_message_bytes + 1 bytes
  std::uint64_t size = 0;       // its whole size, unescaped; > bytes.size() when it was cut
  bool cut() const { return size > bytes.size(); }
};

class MboxSplitter {
 public:
  using OnMessage = std::function<void(MboxMessage&&)>;
  // Bytes of a separator line kept (the rest of a longer one is skipped).
  static constexpr std::size_t kMaxSeparatorBytes = 1024;

  MboxSplitter(std::uint64_t max_message_bytes, OnMessage on_message);

  // Splits the next bytes of the file; calls on_message for each message that ends in them.
  void feed(std::string_view chunk);
  // The end of the file: delivers the last message (also when it has no final line break).
  void finish();
  // Messages delivered so far.
  std::size_t messages() const { return count_; }

 private:
  enum class LineKind { kUndecided, kSeparator, kEscaped, kContent };
  LineKind classify(bool line_complete) const;
  void decide(LineKind kind);
  void append_content(std::string_view bytes);
  void end_line(bool newline);
  void deliver();

  std::uint64_t keep_;  // max_message_bytes + 1
  OnMessage on_message_;
  std::size_t count_ = 0;
  std::uint64_t consumed_ = 0;      // bytes fed so far
  std::uint64_t line_offset_ = 0;   // where the current line starts
  std::string head_;                // the start of the current line, until it is classified
  LineKind kind_ = LineKind::kUndecided;
  std::uint64_t line_bytes_ = 0;    // content bytes of the current line (after unescaping)
  char line_first_ = 0;
  bool previous_blank_ = true;      // the start of the file counts as after a blank line
  bool started_ = false;            // a message is open
  MboxMessage current_;
};

// The delivery time written on an mbox separator, "From sender Tue Jul  1 10:52:37 2003" (the C
// asctime form, with an optional numeric zone after the year): unix seconds, read as UTC when no
// zone is written (the writer's local time is not recorded). nullopt when the line has no date.
std::optional<std::int64_t> separator_time(std::string_view separator);

}  // namespace vigie::parse

// The mbox splitter of mbox_splitter.h: a line-at-a-time state machine that never holds a whole
// line, only the few bytes that decide what the line is.
#include "parse/mbox/mbox_splitter.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include "parse/headers/header_grammar.h"

namespace vigie::parse {
namespace {

constexpr std::string_view kFrom = "From ";
// A line of more '>' than this before "From " is content, left as it is: no writer escapes that
// deep, and the bound keeps the classification buffer small.
constexpr std::size_t kMaxQuoteDepth = 64;

}  // namespace

MboxSplitter::MboxSplitter(std::uint64_t max_message_bytes, OnMessage on_message)
    : keep_(max_message_bytes + 1), on_message_(std::move(on_message)) {}

// What the line is, from its first bytes in head_. kUndecided while head_ may still become a
// separator or an escaped "From " line and the line goes on.
MboxSplitter::LineKind MboxSplitter::classify(bool line_complete) const {
  const std::string_view head = head_;
  const std::size_t quotes = std::min(head.find_first_not_of('>'), head.size());
  const std::string_view rest = head.substr(quotes);
  if (quotes > kMaxQuoteDepth) return LineKind::kContent;
  if (rest.size() >= kFrom.size()) {
    if (!rest.starts_with(kFrom)) return LineKind::kContent;
    if (quotes > 0) return LineKind::kEscaped;
    return previous_blank_ ? LineKind::kSeparator : LineKind::kContent;
  }
  if (!kFrom.starts_with(rest)) return LineKind::kContent;
  return line_complete ? LineKind::kContent : LineKind::kUndecided;
}

void MboxSplitter::decide(LineKind kind) {
  kind_ = kind;
  switch (kind) {
    case LineKind::kSeparator:
      deliver();
      started_ = true;
      current_.offset = line_offset_;
      current_.separator.assign(head_, 0, kMaxSeparatorBytes);
      break;
    case LineKind::kEscaped:
      append_content(std::string_view(head_).substr(1));  // mboxrd: one '>' was added on delivery
      break;
    case LineKind::kContent:
      append_content(head_);
      break;
    case LineKind::kUndecided:
      return;
  }
  head_.clear();
}

void MboxSplitter::append_content(std::string_view bytes) {
  if (!started_) {  // content before any separator: a message of its own, from its first line
    started_ = true;
    current_.offset = line_offset_;
  }
  if (bytes.empty()) return;
  if (line_bytes_ == 0) line_first_ = bytes.front();
  line_bytes_ += bytes.size();
  current_.size += bytes.size();
  if (current_.bytes.size() < keep_) {
    const std::size_t room = static_cast<std::size_t>(keep_ - current_.bytes.size());
    current_.bytes.append(bytes.substr(0, std::min(room, bytes.size())));
  }
}

void MboxSplitter::end_line(bool newline) {
  if (kind_ == LineKind::kUndecided) decide(classify(true));
  if (kind_ == LineKind::kSeparator) {
    previous_blank_ = false;
  } else {
    previous_blank_ = line_bytes_ == 0 || (line_bytes_ == 1 && line_first_ == '\r');
    if (newline) append_content("\n");
  }
  kind_ = LineKind::kUndecided;
  line_bytes_ = 0;
  line_offset_ = consumed_;
}

void MboxSplitter::deliver() {
  if (!started_) return;
  current_.index = ++count_;
  MboxMessage message = std::move(current_);
  current_ = MboxMessage{};
  started_ = false;
  on_message_(std::move(message));
}

void MboxSplitter::feed(std::string_view chunk) {
  while (!chunk.empty()) {
    if (kind_ == LineKind::kUndecided) {
      // A byte at a time, but only the few bytes that tell a separator from content.
      const char c = chunk.front();
      chunk.remove_prefix(1);
      ++consumed_;
      if (c == '\n') {
        end_line(true);
      } else {
        head_.push_back(c);
        decide(classify(false));
      }
      continue;
    }
    const void* found = std::memchr(chunk.data(), '\n', chunk.size());
    const std::size_t length =
        found ? static_cast<std::size_t>(static_cast<const char*>(found) - chunk.data()) : chunk.size();
    const std::string_view segment = chunk.substr(0, length);
    if (kind_ == LineKind::kSeparator) {
      const std::size_t room = kMaxSeparatorBytes - std::min(kMaxSeparatorBytes, current_.separator.size());
      current_.separator.append(segment.substr(0, std::min(room, segment.size())));
    } else {
      append_content(segment);
    }
    consumed_ += length;
    chunk.remove_prefix(length);
    if (found) {
      chunk.remove_prefix(1);
      ++consumed_;
      end_line(true);
    }
  }
}

void MboxSplitter::finish() {
  if (kind_ != LineKind::kUndecided || !head_.empty()) end_line(false);
  deliver();
}

std::optional<std::int64_t> separator_time(std::string_view separator) {
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (!separator.starts_with(kFrom)) return std::nullopt;
  std::vector<std::string_view> words;
  for (std::size_t at = kFrom.size(); at < separator.size() && words.size() < 16;) {
    const std::size_t start = separator.find_first_not_of(" \t\r", at);
    if (start == std::string_view::npos) break;
    const std::size_t end = std::min(separator.find_first_of(" \t\r", start), separator.size());
    words.push_back(separator.substr(start, end - start));
    at = end;
  }
  // "sender Www Mmm dd hh:mm:ss yyyy [zone]": the month is found by name, since the sender may be
  // missing or hold spaces in its quoted form.
  for (std::size_t m = 0; m + 3 < words.size(); ++m) {
    if (std::find(kMonths.begin(), kMonths.end(), words[m]) == kMonths.end()) continue;
    const std::string_view day = words[m + 1], time = words[m + 2], year = words[m + 3];
    std::string zone = "+0000";
    if (m + 4 < words.size() && (words[m + 4].starts_with('+') || words[m + 4].starts_with('-')) &&
        words[m + 4].size() == 5) {
      zone = words[m + 4];
    }
    // Rewritten in the RFC 5322 form, so that one date grammar checks every field.
    const std::string rfc5322 =
        std::string(day) + " " + std::string(words[m]) + " " + std::string(year) + " " + std::string(time) + " " + zone;
    if (const std::optional<DateTime> date = parse_date(rfc5322)) return date->unix_seconds;
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace vigie::parse

// What a scan says on stderr while it runs and when it ends: the progress line on a terminal
// (counts, rate, time left), redrawn in place and cleared before anything else is printed, error
// messages made safe for the terminal, and the summary that ends every run. During a scan all
// writing to stderr goes through one StatusLine, so nothing lands in the middle of the line.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "service/batch/batch_scanner.h"

namespace vigie::cli {

class StatusLine {
 public:
  // `progress`: draw the progress line (stderr is a terminal and it was not turned off).
  // `output_on_terminal`: stdout is a terminal too, so the line is cleared before each record.
  StatusLine(bool progress, bool output_on_terminal);
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;

  // Redraws the progress line (no-op without progress).
  void show(const service::BatchProgress& progress);
  // Call before writing to stdout: clears the line if the record would land on it.
  void before_output();
  // "vigie: TEXT" on a line of its own; TEXT is made safe for the terminal (it names files).
  void say(std::string_view text);
  // Clears the line for good (before the summary).
  void clear();

 private:
  bool progress_;
  bool output_on_terminal_;
  bool drawn_ = false;
};

// "vigie: TEXT" on stderr; TEXT is made safe for the terminal, since error messages name files and
// quote lists, and either may carry control characters. Outside a scan's StatusLine.
void say(std::string_view text);

// "1 min 05 s", "2 h 03 min", "12 s".
std::string duration_text(std::chrono::seconds duration);
// "120 messages, 3/10 files, 41 messages/s, about 12 s left"
std::string progress_text(const service::BatchProgress& progress);
// The run's summary: messages, files, errors (unreadable paths included), time and rate, then the
// count of each action.
std::string summary_text(const service::BatchProgress& progress, std::size_t unreadable_paths);

}  // namespace vigie::cli

// The stderr status of a scan; see status_line.h.
#include "cli/status_line.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "outputs/terminal_text.h"

namespace vigie::cli {
namespace {

// Carriage return, then ANSI "erase in line" (ESC [ K): the line is blank and the cursor at its
// start, whatever was drawn before.
constexpr std::string_view kClearLine = "\r\x1b[K";

// Columns of the terminal on stderr; a line longer than this wraps, and "\r" would then return
// only to the start of its last row.
std::size_t terminal_columns() {
  struct winsize size {};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

std::string rate_text(double per_second) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, per_second < 10 ? "%.1f" : "%.0f", per_second);
  return buffer;
}

// "1 message", "2 messages".
std::string count_of(std::size_t count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

}  // namespace

StatusLine::StatusLine(bool progress, bool output_on_terminal)
    : progress_(progress), output_on_terminal_(output_on_terminal) {}

void StatusLine::show(const service::BatchProgress& progress) {
  if (!progress_) return;
  std::string line = progress_text(progress);
  const std::size_t width = terminal_columns() - 1;  // the last column would wrap on some terminals
  if (line.size() > width) line.resize(width);
  std::cerr << kClearLine << line << std::flush;
  drawn_ = true;
}

void StatusLine::before_output() {
  if (drawn_ && output_on_terminal_) clear();
}

void StatusLine::say(std::string_view text) {
  clear();
  cli::say(text);
}

void StatusLine::clear() {
  if (!drawn_) return;
  std::cerr << kClearLine << std::flush;
  drawn_ = false;
}

void say(std::string_view text) {
  std::cerr << "vigie: " << outputs::terminal_safe(text, outputs::LineBreaks::kKeep) << "\n";
}

std::string duration_text(std::chrono::seconds duration) {
  const long long seconds = duration.count();
  char buffer[48];
  if (seconds < 60) {
    std::snprintf(buffer, sizeof buffer, "%lld s", seconds);
  } else if (seconds < 3600) {
    std::snprintf(buffer, sizeof buffer, "%lld min %02lld s", seconds / 60, seconds % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%lld h %02lld min", seconds / 3600, seconds / 60 % 60);
  }
  return buffer;
}

std::string progress_text(const service::BatchProgress& progress) {
  std::string text = count_of(progress.messages, "message") + ", " + std::to_string(progress.inputs_done) + "/" +
                     count_of(progress.inputs, "file");
  if (progress.messages > 0) text += ", " + rate_text(progress.messages_per_second()) + " messages/s";
  if (const auto left = progress.time_left(); left && left->count() > 0) {
    text += ", about " + duration_text(*left) + " left";
  }
  return text;
}

std::string summary_text(const service::BatchProgress& progress, std::size_t unreadable_paths) {
  char time[32];
  std::snprintf(time, sizeof time, "%.1f s", std::chrono::duration<double>(progress.elapsed).count());
  std::string text = count_of(progress.messages, "message") + " in " + count_of(progress.inputs, "file") + ", " +
                     count_of(progress.failed_inputs + unreadable_paths, "error") + ", " + time + " (" +
                     rate_text(progress.messages_per_second()) + " messages/s):";
  for (std::size_t i = 0; i < service::kActionCount; ++i) {
    text += (i ? ", " : " ") + std::to_string(progress.per_action[i]) + " " +
            std::string(action_name(static_cast<Action>(i)));
  }
  return text;
}

}  // namespace vigie::cli

// The scan's progress line and summary: what they say, and how durations read.
#include "cli/status_line.h"

#include <gtest/gtest.h>

namespace vigie::cli {
namespace {
using namespace std::chrono_literals;

service::BatchProgress halfway() {
  service::BatchProgress progress;
  progress.inputs = 10;
  progress.inputs_done = 4;
  progress.messages = 120;
  progress.elapsed = 4s;
  progress.bytes_total = 1000;
  progress.bytes_done = 400;
  return progress;
}

TEST(StatusLineTest, ProgressGivesCountsRateAndTimeLeft) {
  EXPECT_EQ(progress_text(halfway()), "120 messages, 4/10 files, 30 messages/s, about 6 s left");
  service::BatchProgress from_stdin = halfway();
  from_stdin.bytes_total.reset();  // no size, no estimate
  from_stdin.inputs = 1;
  from_stdin.inputs_done = 0;
  EXPECT_EQ(progress_text(from_stdin), "120 messages, 0/1 file, 30 messages/s");
  EXPECT_EQ(progress_text(service::BatchProgress{}), "0 messages, 0/0 files");
}

TEST(StatusLineTest, SummaryCountsEveryActionAndError) {
  service::BatchProgress done = halfway();
  done.inputs_done = 10;
  done.messages = 1;
  done.elapsed = 2500ms;
  done.failed_inputs = 1;
  done.per_action[static_cast<std::size_t>(Action::kQuarantine)] = 1;
  EXPECT_EQ(summary_text(done, 0),
            "1 message in 10 files, 1 error, 2.5 s (0.4 messages/s): 0 accept, 0 tag, 0 warn, 1 quarantine, 0 reject");
  EXPECT_EQ(summary_text(done, 2).substr(0, 32), "1 message in 10 files, 3 errors,");
}

TEST(StatusLineTest, DurationsReadAsAPersonWouldSayThem) {
  EXPECT_EQ(duration_text(0s), "0 s");
  EXPECT_EQ(duration_text(59s), "59 s");
  EXPECT_EQ(duration_text(65s), "1 min 05 s");
  EXPECT_EQ(duration_text(7380s), "2 h 03 min");
}

}  // namespace
}  // namespace vigie::cli

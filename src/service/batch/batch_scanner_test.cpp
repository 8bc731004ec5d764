// BatchScanner: input order kept whatever the threads do, read errors in place, a bounded
// read-ahead window, counts per action, progress while waiting, and callbacks that throw.
#include "service/batch/batch_scanner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace vigie::service {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

const Engine& engine() {
  static const Engine instance{Config{}};
  return instance;
}

class BatchScannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("vigie_batch_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  InputFile write(const std::string& name, const std::string& content) {
    std::ofstream(root_ / name, std::ios::binary) << content;
    return InputFile{(root_ / name).string(), content.size()};
  }
  static std::string message(int n) {
    return "From: a" + std::to_string(n) + "@example.org\nSubject: " + std::to_string(n) + "\n\nbody\n";
  }
  // An mbox of `count` messages whose labels are mbox:1 ... mbox:count.
  InputFile mbox(const std::string& name, int count) {
    std::string content;
    for (int i = 0; i < count; ++i) content += "From x@example.org Mon Nov 16 07:00:00 2026\n" + message(i) + "\n";
    return write(name, content);
  }

  struct Delivery {
    std::vector<std::string> labels;  // messages, and "!input" for a read error of that input
    BatchProgress summary;
  };
  Delivery run(const std::vector<InputFile>& inputs, BatchOptions options, const RenderScan& render) {
    Delivery out;
    BatchCallbacks callbacks;
    callbacks.on_message = [&](ScannedMessage&& m, const BatchProgress&) { out.labels.push_back(m.rendered); };
    callbacks.on_failure = [&](const InputFailure& f, const BatchProgress&) {
      out.labels.push_back("!" + std::to_string(f.input));
    };
    out.summary = BatchScanner(engine(), Envelope{}, options).run(inputs, render, callbacks);
    return out;
  }
  std::string relative(std::string_view label) const { return fs::relative(std::string(label), root_).string(); }

  fs::path root_;
};

TEST_F(BatchScannerTest, DeliversInInputOrderWhenLaterMessagesFinishFirst) {
  const std::vector<InputFile> inputs = {write("a.eml", message(0)), mbox("b.mbox", 20), write("c.eml", message(1))};
  BatchOptions options;
  options.threads = 4;
  // The first message is rendered last: every other worker finishes before it.
  const RenderScan render = [&](const ScanResult&, std::string_view label) {
    if (label.ends_with("a.eml")) std::this_thread::sleep_for(200ms);
    return relative(label);
  };
  const Delivery delivered = run(inputs, options, render);
  std::vector<std::string> expected = {"a.eml"};
  for (int i = 1; i <= 20; ++i) expected.push_back("b.mbox:" + std::to_string(i));
  expected.push_back("c.eml");
  EXPECT_EQ(delivered.labels, expected);
  EXPECT_EQ(delivered.summary.messages, 22u);
  EXPECT_EQ(delivered.summary.inputs_done, 3u);
}

TEST_F(BatchScannerTest, NoDeliveryWaitsForTheProgressTimer) {
  // Results are handed to the delivering thread in batches; every window size and thread count
  // must still wake it when something can be delivered. A missed wake-up shows as a run that
  // lasts until the progress timer fires (20 s here, for a run of a fraction of a second).
  const std::vector<InputFile> inputs = {mbox("a.mbox", 37), write("b.eml", message(1)), mbox("c.mbox", 5)};
  for (const std::size_t window : {1u, 2u, 3u, 17u, 1024u}) {
    for (const unsigned threads : {1u, 3u}) {
      BatchOptions options;
      options.threads = threads;
      options.max_pending_messages = window;
      options.progress_interval = 20s;
      const Delivery delivered = run(inputs, options, [&](const ScanResult&, std::string_view label) { return relative(label); });
      EXPECT_EQ(delivered.summary.messages, 43u) << window << " " << threads;
      EXPECT_EQ(delivered.labels.front(), "a.mbox:1");
      EXPECT_EQ(delivered.labels.back(), "c.mbox:5");
      EXPECT_LT(delivered.summary.elapsed, 20s) << "window " << window << ", threads " << threads;
    }
  }
}

TEST_F(BatchScannerTest, ReadErrorIsDeliveredAtItsInput) {
  const std::vector<InputFile> inputs = {write("a.eml", message(0)), InputFile{(root_ / "missing.eml").string()},
                                         write("b.eml", message(1))};
  BatchOptions options;
  options.threads = 2;
  const Delivery delivered = run(inputs, options, [&](const ScanResult&, std::string_view label) { return relative(label); });
  EXPECT_EQ(delivered.labels, (std::vector<std::string>{"a.eml", "!1", "b.eml"}));
  EXPECT_EQ(delivered.summary.failed_inputs, 1u);
  EXPECT_EQ(delivered.summary.messages, 2u);
  EXPECT_EQ(delivered.summary.inputs_done, 3u);
}

TEST_F(BatchScannerTest, CountsEachAction) {
  std::ifstream spear(std::string(VIGIE_SOURCE_DIR) + "/examples/spear-phishing-ministry.eml", std::ios::binary);
  const std::string attack((std::istreambuf_iterator<char>(spear)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(attack.empty());
  const std::vector<InputFile> inputs = {write("benign.eml", message(0)), write("attack.eml", attack),
                                         write("benign2.eml", message(1))};
  BatchOptions options;
  options.threads = 2;
  std::vector<Action> actions;
  BatchCallbacks callbacks;
  callbacks.on_message = [&](ScannedMessage&& m, const BatchProgress&) { actions.push_back(m.action); };
  callbacks.on_failure = [](const InputFailure&, const BatchProgress&) { FAIL(); };
  const BatchProgress summary = BatchScanner(engine(), Envelope{}, options)
                                    .run(inputs, [](const ScanResult&, std::string_view) { return ""; }, callbacks);
  ASSERT_EQ(actions.size(), 3u);
  EXPECT_EQ(actions[0], Action::kAccept);
  EXPECT_GE(static_cast<int>(actions[1]), static_cast<int>(Action::kQuarantine));
  EXPECT_EQ(summary.count(Action::kAccept), 2u);
  EXPECT_EQ(summary.count(actions[1]), 1u);
  std::size_t total = 0;
  for (std::size_t n : summary.per_action) total += n;
  EXPECT_EQ(total, 3u);
}

TEST_F(BatchScannerTest, ReadAheadStaysWithinTheWindow) {
  const std::vector<InputFile> inputs = {mbox("big.mbox", 40)};
  BatchOptions options;
  options.threads = 4;
  options.max_pending_messages = 3;
  std::atomic<std::size_t> rendered{0};
  std::size_t delivered = 0;
  std::size_t most_ahead = 0;
  BatchCallbacks callbacks;
  callbacks.on_message = [&](ScannedMessage&&, const BatchProgress&) {
    ++delivered;
    most_ahead = std::max(most_ahead, rendered.load() - delivered);
  };
  callbacks.on_failure = [](const InputFailure&, const BatchProgress&) { FAIL(); };
  // The first message holds the window: without a bound the other workers would scan them all.
  const RenderScan render = [&](const ScanResult&, std::string_view label) {
    if (label.ends_with(":1")) std::this_thread::sleep_for(200ms);
    ++rendered;
    return std::string();
  };
  BatchScanner(engine(), Envelope{}, options).run(inputs, render, callbacks);
  EXPECT_EQ(delivered, 40u);
  // The message being delivered is out of the window: at most the window's other entries ahead.
  EXPECT_LE(most_ahead, 3u);
}

TEST_F(BatchScannerTest, ProgressWhileWaitingAndBytesOfEveryInput) {
  const std::vector<InputFile> inputs = {mbox("a.mbox", 2), write("b.eml", message(0))};
  BatchOptions options;
  options.threads = 1;
  options.progress_interval = 20ms;
  std::vector<BatchProgress> ticks;
  BatchCallbacks callbacks;
  callbacks.on_message = [](ScannedMessage&&, const BatchProgress&) {};
  callbacks.on_failure = [](const InputFailure&, const BatchProgress&) {};
  callbacks.on_progress = [&](const BatchProgress& p) { ticks.push_back(p); };
  const RenderScan render = [](const ScanResult&, std::string_view label) {
    if (label.ends_with(":1")) std::this_thread::sleep_for(150ms);
    return std::string();
  };
  const BatchProgress summary = BatchScanner(engine(), Envelope{}, options).run(inputs, render, callbacks);
  // One at the start, then more while the first message was still being rendered.
  ASSERT_GE(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].messages, 0u);
  EXPECT_EQ(ticks[1].messages, 0u);
  EXPECT_GT(ticks[1].elapsed, ticks[0].elapsed);
  ASSERT_TRUE(summary.bytes_total);
  EXPECT_EQ(*summary.bytes_total, *inputs[0].size + *inputs[1].size);
  EXPECT_EQ(summary.bytes_done, *summary.bytes_total);  // mbox separators included
  EXPECT_EQ(summary.time_left(), std::chrono::seconds(0));
  EXPECT_GT(summary.messages_per_second(), 0);
}

TEST(BatchProgressTest, TimeLeftFromTheByteRate) {
  BatchProgress progress;
  progress.elapsed = 10s;
  progress.messages = 50;
  EXPECT_EQ(progress.time_left(), std::nullopt);  // total unknown
  progress.bytes_total = 100;
  EXPECT_EQ(progress.time_left(), std::nullopt);  // nothing read yet
  progress.bytes_done = 25;
  EXPECT_EQ(progress.time_left(), std::chrono::seconds(30));
  EXPECT_DOUBLE_EQ(progress.messages_per_second(), 5.0);
}

TEST_F(BatchScannerTest, ACallbackThatThrowsStopsTheRun) {
  const std::vector<InputFile> inputs = {mbox("big.mbox", 200)};
  BatchOptions options;
  options.threads = 2;
  options.max_pending_messages = 4;
  BatchCallbacks callbacks;
  std::size_t delivered = 0;
  callbacks.on_message = [&](ScannedMessage&&, const BatchProgress&) {
    if (++delivered == 3) throw std::runtime_error("output closed");
  };
  callbacks.on_failure = [](const InputFailure&, const BatchProgress&) {};
  EXPECT_THROW(BatchScanner(engine(), Envelope{}, options)
                   .run(inputs, [](const ScanResult&, std::string_view) { return std::string(); }, callbacks),
               std::runtime_error);
  EXPECT_EQ(delivered, 3u);
}

}  // namespace
}  // namespace vigie::service

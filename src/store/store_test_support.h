// Test-only helpers for stores and their callers: a database path under the test temp directory
// that is removed (with its WAL files) before and after, and a clock the test moves by hand.
// Included by *_test.cpp files only.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "store/key_value_store.h"

namespace vigie::store {

// Readable counters in failure messages (found by argument-dependent lookup).
inline void PrintTo(const Counter& c, std::ostream* out) {
  *out << "{" << c.field << ", value " << c.value << ", first " << c.first_seen << ", last " << c.last_seen << "}";
}

namespace testing {

class TempDatabase {
 public:
  TempDatabase() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::path(::testing::TempDir()) /
             ("vigie_store_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".db"))
                .string();
    remove_files();
  }
  ~TempDatabase() { remove_files(); }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;
  const std::string& path() const { return path_; }

 private:
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
};

// A vigie::Clock the test moves by hand, in whole seconds, starting at a fixed realistic time.
// Copies share one time; clock() is what a store or engine is given.
class FakeClock {
 public:
  std::int64_t now() const { return clock_->seconds.load(); }
  void advance(std::int64_t seconds) { clock_->seconds += seconds; }
  std::shared_ptr<const Clock> clock() const { return clock_; }

 private:
  struct Manual final : Clock {
    std::chrono::system_clock::time_point now() const override {
      return std::chrono::system_clock::time_point(std::chrono::seconds(seconds.load()));
    }
    std::chrono::steady_clock::time_point steady_now() const override {
      return std::chrono::steady_clock::time_point(std::chrono::seconds(seconds.load()));
    }
    std::atomic<std::int64_t> seconds{1'700'000'000};
  };
  std::shared_ptr<Manual> clock_ = std::make_shared<Manual>();
};

inline constexpr std::int64_t kDay = 86400;

}  // namespace testing
}  // namespace vigie::store

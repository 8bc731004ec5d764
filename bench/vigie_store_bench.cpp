// Key-value store throughput: Redis (a private redis-server this benchmark starts on loopback)
// beside SQLite (a file in a temporary directory) in the same run. Increments are batches of three
// as the sender history writes per message (contact, name, sender keys); gets are single counters
// as the first-contact detector reads them. 1 and 4 threads; Redis with a pool of 8 connections
// and with a single one (one connection under a mutex), the choice redis_store.h explains.
// Usage: vigie_store_bench [SECONDS_PER_FIGURE]   (bench/README.md, "Key-value store")
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "store/redis_store.h"
#include "store/redis_test_server.h"
#include "store/sqlite_store.h"

namespace {

using vigie::store::Increment;
using vigie::store::KeyValueStore;

constexpr int kSenders = 5000;

// Operations per second of `op(thread, i)` run by `threads` threads for `seconds`.
double rate(int threads, double seconds, const std::function<bool(int, long)>& op) {
  std::atomic<long> done{0};
  std::atomic<long> errors{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      long i = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        if (!op(t, i++)) ++errors;
        ++done;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (std::thread& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (errors > 0) std::fprintf(stderr, "warning: %ld errors\n", errors.load());
  return static_cast<double>(done) / elapsed;
}

void measure(const char* name, KeyValueStore& store, double seconds) {
  for (int threads : {1, 4}) {
    const double increments = rate(threads, seconds, [&](int t, long i) {
      const std::string sender = "s" + std::to_string((i * 7919 + t) % kSenders) + "@outside.example";
      const std::vector<Increment> batch{{"contact:rcpt" + std::to_string(t) + "@ours.example", sender, 1},
                                         {"name:claire martin", sender, 1},
                                         {"sender:" + sender, "rcpt" + std::to_string(t) + "@ours.example", 1}};
      return static_cast<bool>(store.increment(batch));
    });
    const double gets = rate(threads, seconds, [&](int t, long i) {
      const std::string sender = "s" + std::to_string((i * 104729 + t) % kSenders) + "@outside.example";
      return static_cast<bool>(store.get("contact:rcpt" + std::to_string(t) + "@ours.example", sender));
    });
    std::printf("| %-22s | %d | %10.0f | %10.0f |\n", name, threads, increments, gets);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  vigie::store::testing::RedisTestServer server;
  if (const std::string why = server.start(); !why.empty()) {
    std::fprintf(stderr, "%s\n", why.c_str());
    return 1;
  }
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("vigie_store_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::printf("| store | threads | increments/s (batches of 3) | gets/s |\n| --- | --- | --- | --- |\n");
  {
    auto sqlite = vigie::store::SqliteStore::open((dir / "bench.db").string());
    if (!sqlite) {
      std::fprintf(stderr, "%s\n", sqlite.error().message.c_str());
      return 1;
    }
    measure("sqlite (WAL, NORMAL)", **sqlite, seconds);
  }
  for (std::size_t connections : {std::size_t{8}, std::size_t{1}}) {
    vigie::store::RedisStoreOptions options;
    options.redis.port = server.port();
    options.max_connections = connections;
    auto redis = vigie::store::RedisStore::open(options);
    if (!redis) {
      std::fprintf(stderr, "%s\n", redis.error().message.c_str());
      return 1;
    }
    measure(connections == 1 ? "redis, 1 connection" : "redis, pool of 8", **redis, seconds);
  }
  std::filesystem::remove_all(dir);
  return 0;
}

// What the Redis store does beyond the shared contract (key_value_store_test.cpp runs that one on
// Redis too): the key layout the header specifies, state shared by two stores as by two nodes,
// failures as errors within the timeout, reconnection after a restart; and the FallbackStore's
// outage: counted, logged once, served locally, replayed into Redis when it is back. Every test
// runs against its own private redis-server, stopped at the end even on failure.
#include "store/redis_store.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "store/fallback_store.h"
#include "store/redis_test_server.h"
#include "store/sqlite_store.h"
#include "store/store_test_support.h"

namespace vigie::store {
namespace {

using testing::FakeClock;
using testing::kDay;
using testing::RedisTestServer;
using testing::TempDatabase;

class RedisStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string why = RedisTestServer::unavailable(); !why.empty()) GTEST_SKIP() << why;
    const std::string failed = server_.start();
    ASSERT_TRUE(failed.empty()) << failed;
  }

  RedisStoreOptions options(Retention retention = {}) const {
    RedisStoreOptions o;
    o.redis.port = server_.port();
    o.redis.key_prefix = "t:";
    o.retention = retention;
    o.clock = clock_.clock();
    return o;
  }
  std::shared_ptr<RedisStore> open(Retention retention = {}) const {
    auto store = RedisStore::open(options(retention));
    if (!store) ADD_FAILURE() << store.error().message;
    return store ? *store : nullptr;
  }
  // A raw command on the server, for what the store's interface does not show.
  std::vector<std::string> raw(const std::vector<std::string>& args) const {
    redisContext* c = redisConnect("127.0.0.1", server_.port());
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const std::string& a : args) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    auto* reply = static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(args.size()), argv.data(), lengths.data()));
    std::vector<std::string> out;
    if (reply == nullptr) {
      out.push_back("(no reply)");
    } else if (reply->type == REDIS_REPLY_ARRAY) {
      for (std::size_t i = 0; i < reply->elements; ++i) out.emplace_back(reply->element[i]->str, reply->element[i]->len);
    } else if (reply->type == REDIS_REPLY_INTEGER) {
      out.push_back(std::to_string(reply->integer));
    } else if (reply->str != nullptr) {
      out.emplace_back(reply->str, reply->len);
    }
    if (reply != nullptr) freeReplyObject(reply);
    redisFree(c);
    return out;
  }

  FakeClock clock_;
  mutable RedisTestServer server_;
};

TEST_F(RedisStoreTest, LaysKeysOutAsTheHeaderSpecifies) {
  auto store = open(Retention{std::chrono::seconds(10 * kDay), 100});
  ASSERT_TRUE(store);
  const std::int64_t t0 = clock_.now();
  ASSERT_TRUE(store->increment(std::vector<Increment>{{"sender:a@x.example", "rcpt@ours.example", 3}}));
  EXPECT_EQ(raw({"HGET", "t:{sender:a@x.example}:v", "rcpt@ours.example"}), std::vector<std::string>{"3"});
  EXPECT_EQ(raw({"HGET", "t:{sender:a@x.example}:f", "rcpt@ours.example"}), std::vector<std::string>{std::to_string(t0)});
  EXPECT_EQ(raw({"ZSCORE", "t:{sender:a@x.example}:s", "rcpt@ours.example"}), std::vector<std::string>{std::to_string(t0)});
  // The three keys expire together, max_age after the last write (on Redis's own clock).
  for (const char* kind : {"v", "f", "s"}) {
    const std::vector<std::string> ttl = raw({"TTL", std::string("t:{sender:a@x.example}:") + kind});
    ASSERT_EQ(ttl.size(), 1u);
    EXPECT_GT(std::stoll(ttl[0]), 9 * kDay) << kind;
    EXPECT_LE(std::stoll(ttl[0]), 10 * kDay) << kind;
  }
}

TEST_F(RedisStoreTest, TwoStoresShareOneHistoryAsTwoNodesWould) {
  auto node1 = open();
  auto node2 = open();
  ASSERT_TRUE(node1 && node2);
  ASSERT_TRUE(node1->increment(std::vector<Increment>{{"k", "f", 1}}));
  ASSERT_TRUE(node2->increment(std::vector<Increment>{{"k", "f", 1}}));
  EXPECT_EQ(node1->get("k", "f")->value().value, 2);
  EXPECT_EQ(*node2->count("k"), 1u);
  // Another prefix is another deployment.
  RedisStoreOptions other = options();
  other.redis.key_prefix = "other:";
  auto elsewhere = RedisStore::open(other);
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(*(*elsewhere)->count("k"), 0u);
}

TEST_F(RedisStoreTest, TrimsOnWriteWithoutMaintenance) {
  auto store = open(Retention{std::chrono::seconds(10 * kDay), 2});
  ASSERT_TRUE(store);
  for (const char* field : {"a", "b", "c"}) {
    clock_.advance(1);
    ASSERT_TRUE(store->increment(std::vector<Increment>{{"k", field, 1}}));
  }
  EXPECT_EQ(raw({"ZRANGE", "t:{k}:s", "0", "-1"}), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(raw({"HKEYS", "t:{k}:v"}).size(), 2u);
  clock_.advance(11 * kDay);
  ASSERT_TRUE(store->increment(std::vector<Increment>{{"k", "d", 1}}));
  EXPECT_EQ(raw({"HKEYS", "t:{k}:f"}), std::vector<std::string>{"d"});
  EXPECT_EQ(*store->run_maintenance(), 0u);
}

TEST_F(RedisStoreTest, ReloadsItsScriptsWhenTheServerForgetsThem) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->increment(std::vector<Increment>{{"k", "f", 1}}));
  EXPECT_EQ(raw({"SCRIPT", "FLUSH"}), std::vector<std::string>{"OK"});
  ASSERT_TRUE(store->increment(std::vector<Increment>{{"k", "f", 1}}));
  EXPECT_EQ(store->get("k", "f")->value().value, 2);
}

TEST_F(RedisStoreTest, ADownServerIsAnErrorNamingItThenTheStoreReconnects) {
  auto store = open();
  ASSERT_TRUE(store);
  server_.stop();
  const auto before = std::chrono::steady_clock::now();
  const Result<std::size_t> counted = store->count("k");
  ASSERT_FALSE(counted);
  EXPECT_EQ(counted.error().code, ErrorCode::kIo);
  EXPECT_NE(counted.error().message.find("127.0.0.1:" + std::to_string(server_.port())), std::string::npos)
      << counted.error().message;
  EXPECT_FALSE(store->increment(std::vector<Increment>{{"k", "f", 1}}));
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(2));
  ASSERT_EQ(server_.start(), "");
  ASSERT_TRUE(store->increment(std::vector<Increment>{{"k", "f", 1}}));
  EXPECT_EQ(*store->count("k"), 1u);
  // open() itself says when nothing answers.
  server_.stop();
  const auto refused = RedisStore::open(options());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kIo);
}

TEST_F(RedisStoreTest, AResetConnectionIsAnErrorNotASignalThatKillsTheProcess) {
  auto store = open();
  ASSERT_TRUE(store);
  struct sigaction pipe{};
  ASSERT_EQ(::sigaction(SIGPIPE, nullptr, &pipe), 0);
  EXPECT_EQ(pipe.sa_handler, SIG_IGN);
  // The pooled connection is killed by the server; the next call on it fails, the one after
  // reconnects.
  raw({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
  for (int i = 0; i < 3; ++i) (void)store->increment(std::vector<Increment>{{"k", "f", 1}});
  EXPECT_TRUE(store->increment(std::vector<Increment>{{"k", "f", 1}}));
}

TEST_F(RedisStoreTest, ARestartCostsNoCallerAnErrorWhateverThePoolHeld) {
  auto store = open();
  ASSERT_TRUE(store);
  // Several threads at once leave several idle connections in the pool.
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) (void)store->increment(std::vector<Increment>{{"k", "f", 1}});
    });
  }
  for (std::thread& t : callers) t.join();
  server_.stop();
  ASSERT_EQ(server_.start(), "");
  for (int i = 0; i < 5; ++i) {
    const Result<void> written = store->increment(std::vector<Increment>{{"k", "f", 1}});
    EXPECT_TRUE(written) << written.error().message;
  }
  EXPECT_EQ(store->get("k", "f")->value().value, 5);
}

TEST_F(RedisStoreTest, AServerThatNeverAnswersFailsWithinTheCommandTimeout) {
  // A socket that listens and never reads: the kernel completes the connection, nothing answers.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(fd, 16), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  RedisStoreOptions silent = options();
  silent.redis.port = ntohs(address.sin_port);
  silent.redis.command_timeout = std::chrono::milliseconds(200);
  const auto before = std::chrono::steady_clock::now();
  const auto store = RedisStore::open(silent);
  const auto waited = std::chrono::steady_clock::now() - before;
  ::close(fd);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kIo);
  EXPECT_NE(store.error().message.find("timeout"), std::string::npos) << store.error().message;
  EXPECT_LT(waited, std::chrono::seconds(1));
}

TEST_F(RedisStoreTest, WrongPasswordAndBadSettingsAreRefused) {
  RedisStoreOptions o = options();
  o.redis.password = "not-the-password";
  const auto refused = RedisStore::open(o);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kIo);
  o = options();
  o.redis.key_prefix = "a{b}:";
  EXPECT_EQ(RedisStore::open(o).error().code, ErrorCode::kInvalidArgument);
  o = options();
  o.redis.port = 0;
  EXPECT_FALSE(RedisStore::create(o));
  o = options(Retention{std::chrono::seconds(0), 1});
  EXPECT_FALSE(RedisStore::create(o));
}

// --- FallbackStore on a Redis that goes away and comes back ---

class FallbackStoreTest : public RedisStoreTest {
 protected:
  std::shared_ptr<FallbackStore> open_fallback(std::size_t max_pending = 1000) {
    auto redis = RedisStore::create(options());
    SqliteStoreOptions local_options;
    local_options.clock = clock_.clock();
    auto local = SqliteStore::open(database_.path(), local_options);
    if (!redis || !local) {
      ADD_FAILURE() << "a store did not open";
      return nullptr;
    }
    FallbackOptions fallback;
    fallback.max_pending = max_pending;
    fallback.retry_interval = std::chrono::seconds(30);
    fallback.primary_name = (*redis)->name();
    fallback.clock = clock_.clock();
    fallback.log = [this](const std::string& line) { log_.push_back(line); };
    redis_ = *redis;
    local_ = *local;
    return std::make_shared<FallbackStore>(*redis, *local, fallback);
  }
  static std::vector<Increment> one(std::string key, std::string field) { return {{std::move(key), std::move(field), 1}}; }
  static std::vector<std::string> fields(const std::vector<Counter>& counters) {
    std::vector<std::string> out;
    for (const Counter& c : counters) out.push_back(c.field);
    return out;
  }

  TempDatabase database_;
  std::shared_ptr<RedisStore> redis_;
  std::shared_ptr<SqliteStore> local_;
  std::vector<std::string> log_;
};

TEST_F(FallbackStoreTest, ScanningGoesOnDuringAnOutageAndTheHistoryCatchesUp) {
  auto store = open_fallback();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->increment(one("k", "before")));
  EXPECT_EQ(*redis_->count("k"), 1u);
  EXPECT_EQ(*local_->count("k"), 1u);  // written through: this node's own copy

  server_.stop();
  // Every call still answers, from the local store; the outage is logged once.
  ASSERT_TRUE(store->increment(one("k", "during1")));
  EXPECT_EQ(*store->count("k"), 2u);
  ASSERT_TRUE(store->increment(one("k", "during2")));
  EXPECT_EQ(store->get("k", "before")->value().value, 1);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_NE(log_[0].find(R"("event":"store_primary_down")"), std::string::npos) << log_[0];
  EXPECT_NE(log_[0].find("127.0.0.1:" + std::to_string(server_.port())), std::string::npos) << log_[0];
  FallbackStats stats = store->stats();
  EXPECT_FALSE(stats.primary_up);
  EXPECT_EQ(stats.outages, 1u);
  EXPECT_EQ(stats.primary_failures, 1u);  // later calls did not wait on the dead server
  EXPECT_EQ(stats.pending, 2u);

  // Back (empty: the test's server keeps nothing), but not tried before the retry interval.
  ASSERT_EQ(server_.start(), "");
  ASSERT_TRUE(store->increment(one("k", "during3")));
  EXPECT_EQ(*redis_->count("k"), 0u);
  clock_.advance(31);
  EXPECT_EQ(*store->count("k"), 3u);  // the try replays the queue first, then reads from Redis
  EXPECT_EQ(fields(*redis_->list("k", 10)), (std::vector<std::string>{"during3", "during2", "during1"}));
  stats = store->stats();
  EXPECT_TRUE(stats.primary_up);
  EXPECT_EQ(stats.replayed, 3u);
  EXPECT_EQ(stats.pending, 0u);
  EXPECT_EQ(stats.lost, 0u);
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_NE(log_[1].find(R"("event":"store_primary_back")"), std::string::npos) << log_[1];
  EXPECT_NE(log_[1].find(R"("replayed":3)"), std::string::npos) << log_[1];
  // And writes reach Redis again directly.
  ASSERT_TRUE(store->increment(one("k", "after")));
  EXPECT_EQ(*redis_->count("k"), 4u);
  EXPECT_EQ(*local_->count("k"), 5u);
}

TEST_F(FallbackStoreTest, ThreadsWritingThroughAnOutageLoseNothingLocallyAndReplayWhatWasQueued) {
  auto store = open_fallback(100000);
  ASSERT_TRUE(store);
  constexpr int kThreads = 4;
  constexpr int kWrites = 200;
  std::atomic<int> errors{0};
  std::atomic<int> halfway{0};
  std::atomic<bool> stopped{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        if (i == kWrites / 2) {
          ++halfway;
          while (!stopped.load()) std::this_thread::yield();
        }
        if (!store->increment(one("k", std::to_string(t) + ":" + std::to_string(i)))) ++errors;
        if (!store->count("k")) ++errors;
      }
    });
  }
  while (halfway.load() < kThreads) std::this_thread::yield();
  server_.stop();  // the first halves reached Redis; the second halves are queued
  stopped = true;
  for (std::thread& w : writers) w.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(*local_->count("k"), static_cast<std::size_t>(kThreads * kWrites));
  ASSERT_EQ(server_.start(), "");  // empty again: only the queue can bring the history back
  clock_.advance(31);
  ASSERT_TRUE(store->count("k"));
  const FallbackStats stats = store->stats();
  EXPECT_TRUE(stats.primary_up);
  EXPECT_EQ(stats.pending, 0u);
  EXPECT_EQ(stats.lost, 0u);
  EXPECT_EQ(stats.replayed, static_cast<std::uint64_t>(kThreads * kWrites / 2));
  EXPECT_EQ(*redis_->count("k"), stats.replayed);
  EXPECT_EQ(stats.outages, 1u);
}

TEST_F(FallbackStoreTest, WhatOverflowsTheQueueIsLostToRedisButKeptLocally) {
  auto store = open_fallback(2);
  ASSERT_TRUE(store);
  server_.stop();
  ASSERT_TRUE(store->increment(one("k", "a")));
  ASSERT_TRUE(store->increment(std::vector<Increment>{{"k", "b", 1}, {"k", "c", 1}}));  // does not fit whole
  ASSERT_TRUE(store->increment(one("k", "d")));
  EXPECT_EQ(store->stats().lost, 2u);
  EXPECT_EQ(store->stats().pending, 2u);
  EXPECT_EQ(*local_->count("k"), 4u);
  ASSERT_EQ(server_.start(), "");
  clock_.advance(31);
  EXPECT_EQ(*store->count("k"), 2u);
  EXPECT_EQ(*redis_->count("k"), 2u);
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_NE(log_[1].find(R"("lost":2)"), std::string::npos) << log_[1];
}

TEST_F(FallbackStoreTest, StartsWhileRedisIsDownAndCallersMistakesAreNotOutages) {
  server_.stop();
  auto store = open_fallback();
  ASSERT_TRUE(store);
  const Result<void> refused = store->increment(std::vector<Increment>{{"k", "good", 1}, {"", "f", 1}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store->stats().outages, 0u);
  ASSERT_TRUE(store->increment(one("k", "f")));
  EXPECT_EQ(store->stats().outages, 1u);
  EXPECT_TRUE(store->get("k", "f")->has_value());
  EXPECT_EQ(*store->get("k", "good"), std::nullopt);
}

}  // namespace
}  // namespace vigie::store

// The KeyValueStore contract, run against every implementation (memory, SQLite, and Redis on a
// private redis-server the tests start; skipped, and said so, without one): counters and their times, recency order, the exact age limit, the
// per-key cap after maintenance, all-or-nothing batches, and readers running beside a writer.
#include "store/key_value_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

#include "store/memory_store.h"
#include "store/redis_store.h"
#include "store/redis_test_server.h"
#include "store/sqlite_store.h"
#include "store/store_test_support.h"

namespace vigie::store {
namespace {

using testing::FakeClock;
using testing::kDay;
using testing::TempDatabase;

struct MemoryImplementation {
  std::shared_ptr<KeyValueStore> open(const Retention& retention, std::shared_ptr<const Clock> clock) {
    return std::make_shared<MemoryStore>(MemoryStoreOptions{retention, std::move(clock)});
  }
};

struct SqliteImplementation {
  TempDatabase file;
  std::shared_ptr<KeyValueStore> open(const Retention& retention, std::shared_ptr<const Clock> clock) {
    SqliteStoreOptions options;
    options.retention = retention;
    options.clock = std::move(clock);
    options.maintenance_interval = 1'000'000;  // only the test's run_maintenance() calls
    options.max_readers = 3;
    Result<std::shared_ptr<SqliteStore>> store = SqliteStore::open(file.path(), std::move(options));
    if (!store) ADD_FAILURE() << store.error().message;
    return store ? *store : nullptr;
  }
};

// One server for every contract test (started by the first, stopped at exit or when the test
// process dies); each store gets its own key prefix, so tests never see each other's keys.
testing::RedisTestServer& shared_redis_server() {
  static testing::RedisTestServer server;
  return server;
}

struct RedisImplementation {
  static std::string unavailable() { return testing::RedisTestServer::unavailable(); }
  std::shared_ptr<KeyValueStore> open(const Retention& retention, std::shared_ptr<const Clock> clock) {
    static std::atomic<int> instance{0};
    if (const std::string why = shared_redis_server().start(); !why.empty()) {
      ADD_FAILURE() << why;
      return nullptr;
    }
    RedisStoreOptions options;
    options.redis.port = shared_redis_server().port();
    options.redis.key_prefix = "contract" + std::to_string(instance++) + ":";
    options.retention = retention;
    options.clock = std::move(clock);
    options.max_connections = 3;
    Result<std::shared_ptr<RedisStore>> store = RedisStore::open(std::move(options));
    if (!store) ADD_FAILURE() << store.error().message;
    return store ? *store : nullptr;
  }
};

template <typename Implementation>
class KeyValueStoreContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if constexpr (requires { Implementation::unavailable(); }) {
      if (const std::string why = Implementation::unavailable(); !why.empty()) GTEST_SKIP() << why;
    }
  }
  std::shared_ptr<KeyValueStore> open(const Retention& retention = {}) {
    std::shared_ptr<KeyValueStore> store = implementation_.open(retention, clock_.clock());
    if (store == nullptr) throw std::runtime_error("the store did not open");
    return store;
  }
  static Increment inc(std::string key, std::string field, std::int64_t by = 1) {
    return {std::move(key), std::move(field), by};
  }
  static std::vector<std::string> fields(const std::vector<Counter>& counters) {
    std::vector<std::string> out;
    for (const Counter& c : counters) out.push_back(c.field);
    return out;
  }

  FakeClock clock_;
  Implementation implementation_;
};

struct ImplementationNames {
  template <typename T>
  static std::string GetName(int) {
    if constexpr (std::is_same_v<T, MemoryImplementation>) return "Memory";
    if constexpr (std::is_same_v<T, SqliteImplementation>) return "Sqlite";
    return "Redis";
  }
};
using Implementations = ::testing::Types<MemoryImplementation, SqliteImplementation, RedisImplementation>;
TYPED_TEST_SUITE(KeyValueStoreContractTest, Implementations, ImplementationNames);

TYPED_TEST(KeyValueStoreContractTest, AnEmptyStoreHoldsNothing) {
  auto store = this->open();
  EXPECT_EQ(*store->get("k", "f"), std::nullopt);
  EXPECT_TRUE(store->list("k", 10)->empty());
  EXPECT_EQ(*store->count("k"), 0u);
  EXPECT_TRUE(store->increment({}));
  EXPECT_EQ(*store->run_maintenance(), 0u);
}

TYPED_TEST(KeyValueStoreContractTest, IncrementsCreateThenAddUpWithTheirTimes) {
  auto store = this->open();
  const std::int64_t t0 = this->clock_.now();
  ASSERT_TRUE(store->increment(std::vector{this->inc("k", "f")}));
  EXPECT_EQ(*store->get("k", "f"), (Counter{"f", 1, t0, t0}));
  this->clock_.advance(60);
  ASSERT_TRUE(store->increment(std::vector{this->inc("k", "f", 5), this->inc("k", "g", -2)}));
  EXPECT_EQ(*store->get("k", "f"), (Counter{"f", 6, t0, t0 + 60}));
  EXPECT_EQ(*store->get("k", "g"), (Counter{"g", -2, t0 + 60, t0 + 60}));
  EXPECT_EQ(*store->count("k"), 2u);
  // Keys are independent, and a field of one key is not a field of another.
  EXPECT_EQ(*store->get("other", "f"), std::nullopt);
  EXPECT_EQ(*store->count("other"), 0u);
  EXPECT_EQ(*store->get("k", "F"), std::nullopt);
}

TYPED_TEST(KeyValueStoreContractTest, RepeatsInOneBatchAddUp) {
  auto store = this->open();
  ASSERT_TRUE(store->increment(std::vector{this->inc("k", "f", 2), this->inc("k", "f", 3)}));
  EXPECT_EQ(store->get("k", "f")->value().value, 5);
  EXPECT_EQ(*store->count("k"), 1u);
}

TYPED_TEST(KeyValueStoreContractTest, ListsMostRecentFirstThenFieldDescending) {
  auto store = this->open();
  ASSERT_TRUE(store->increment(std::vector{this->inc("k", "old")}));
  this->clock_.advance(10);
  ASSERT_TRUE(store->increment(std::vector{this->inc("k", "b"), this->inc("k", "a"), this->inc("k", "c")}));
  this->clock_.advance(10);
  ASSERT_TRUE(store->increment(std::vector{this->inc("k", "new")}));
  this->clock_.advance(10);
  ASSERT_TRUE(store->increment(std::vector{this->inc("k", "old")}));  // seen again: most recent now
  const Result<std::vector<Counter>> all = store->list("k", 100);
  ASSERT_TRUE(all);
  EXPECT_EQ(this->fields(*all), (std::vector<std::string>{"old", "new", "c", "b", "a"}));
  EXPECT_EQ((*all)[0], (Counter{"old", 2, this->clock_.now() - 30, this->clock_.now()}));
  EXPECT_EQ(this->fields(*store->list("k", 2)), (std::vector<std::string>{"old", "new"}));
  EXPECT_TRUE(store->list("k", 0)->empty());
}

TYPED_TEST(KeyValueStoreContractTest, TheAgeLimitIsExactBeforeAnyMaintenance) {
  auto store = this->open(Retention{std::chrono::seconds(10 * kDay), 100});
  const std::int64_t t0 = this->clock_.now();
  ASSERT_TRUE(store->increment(std::vector{this->inc("k", "f", 7), this->inc("k", "kept")}));
  this->clock_.advance(5 * kDay);
  ASSERT_TRUE(store->increment(std::vector{this->inc("k", "kept")}));
  this->clock_.advance(5 * kDay);  // f is exactly at the limit: still there
  EXPECT_EQ(*store->count("k"), 2u);
  EXPECT_TRUE(store->get("k", "f")->has_value());
  this->clock_.advance(1);
  EXPECT_EQ(*store->get("k", "f"), std::nullopt);
  EXPECT_EQ(this->fields(*store->list("k", 10)), std::vector<std::string>{"kept"});
  EXPECT_EQ(*store->count("k"), 1u);
  // An expired counter starts afresh rather than adding to what was forgotten.
  ASSERT_TRUE(store->increment(std::vector{this->inc("k", "f", 2)}));
  EXPECT_EQ(*store->get("k", "f"), (Counter{"f", 2, this->clock_.now(), this->clock_.now()}));
  EXPECT_EQ(store->get("k", "kept")->value().first_seen, t0);
}

TYPED_TEST(KeyValueStoreContractTest, MaintenanceRemovesExpiredCounters) {
  auto store = this->open(Retention{std::chrono::seconds(10 * kDay), 100});
  ASSERT_TRUE(store->increment(std::vector{this->inc("a", "old"), this->inc("b", "old")}));
  this->clock_.advance(9 * kDay);
  ASSERT_TRUE(store->increment(std::vector{this->inc("a", "recent")}));
  this->clock_.advance(2 * kDay);
  ASSERT_TRUE(store->run_maintenance());
  EXPECT_EQ(this->fields(*store->list("a", 10)), std::vector<std::string>{"recent"});
  EXPECT_EQ(*store->count("b"), 0u);
  // Nothing left to remove; the surviving counter kept its value.
  EXPECT_EQ(*store->run_maintenance(), 0u);
  EXPECT_EQ(store->get("a", "recent")->value().value, 1);
}

TYPED_TEST(KeyValueStoreContractTest, MaintenanceKeepsTheMostRecentFieldsOfAKeyOverTheCap) {
  auto store = this->open(Retention{std::chrono::seconds(400 * kDay), 3});
  for (const char* field : {"s0", "s1", "s2", "s3", "s4"}) {
    this->clock_.advance(60);
    ASSERT_TRUE(store->increment(std::vector{this->inc("busy", field)}));
  }
  ASSERT_TRUE(store->increment(std::vector{this->inc("quiet", "s0"), this->inc("quiet", "s1")}));
  // Equal times: the order of list() decides (field descending), so "z" and "y" stay.
  ASSERT_TRUE(store->increment(std::vector{this->inc("tie", "x"), this->inc("tie", "z"), this->inc("tie", "y")}));
  ASSERT_TRUE(store->run_maintenance());
  EXPECT_EQ(this->fields(*store->list("busy", 10)), (std::vector<std::string>{"s4", "s3", "s2"}));
  EXPECT_EQ(*store->count("busy"), 3u);
  EXPECT_EQ(*store->get("busy", "s0"), std::nullopt);
  EXPECT_EQ(this->fields(*store->list("quiet", 10)), (std::vector<std::string>{"s1", "s0"}));
  EXPECT_EQ(this->fields(*store->list("tie", 10)), (std::vector<std::string>{"z", "y", "x"}));
  ASSERT_TRUE(store->run_maintenance());
  EXPECT_EQ(*store->count("busy"), 3u);
}

TYPED_TEST(KeyValueStoreContractTest, ABatchWithAnUnstorableIncrementWritesNothing) {
  auto store = this->open();
  const std::string longest_key(kMaxKeyBytes, 'k');
  ASSERT_TRUE(store->increment(std::vector{this->inc(longest_key, std::string(kMaxFieldBytes, 'f'))}));
  EXPECT_EQ(*store->count(longest_key), 1u);
  for (const Increment& bad : {this->inc("", "f"), this->inc("k", ""), this->inc(longest_key + "k", "f"),
                               this->inc("k", std::string(kMaxFieldBytes + 1, 'f')),
                               this->inc(std::string("k\0k", 3), "f"), this->inc("k", std::string("f\0", 2))}) {
    const Result<void> written = store->increment(std::vector{this->inc("k", "good"), bad});
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(*store->get("k", "good"), std::nullopt) << written.error().message;
  }
}

TYPED_TEST(KeyValueStoreContractTest, UnstorableKeysAreSimplyAbsent) {
  auto store = this->open();
  ASSERT_TRUE(store->increment(std::vector{this->inc("k", "f")}));
  EXPECT_EQ(*store->get(std::string_view("k\0", 2), "f"), std::nullopt);
  EXPECT_EQ(*store->get("k", std::string_view("f\0", 2)), std::nullopt);
  EXPECT_EQ(*store->get("", "f"), std::nullopt);
  EXPECT_TRUE(store->list(std::string(kMaxKeyBytes + 1, 'k'), 10)->empty());
  EXPECT_EQ(*store->count(std::string_view("k\0", 2)), 0u);
}

TYPED_TEST(KeyValueStoreContractTest, ReadersSeeWholeBatchesWhileOneThreadWrites) {
  auto store = this->open();
  constexpr int kBatches = 300;
  constexpr int kReaders = 4;
  std::atomic<bool> writing{true};
  std::atomic<int> violations{0}, errors{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&] {
      std::size_t last_seen_count = 0;
      while (writing.load()) {
        // "second" is written before "first" in every batch: only an atomic batch makes the
        // count of "second", read first, never exceed that of "first", read after it.
        const Result<std::size_t> second = store->count("second");
        const Result<std::size_t> first = store->count("first");
        const Result<std::vector<Counter>> recent = store->list("first", 5);
        if (!second || !first || !recent) {
          ++errors;
          continue;
        }
        if (*second > *first || *first < last_seen_count || recent->size() > 5) ++violations;
        last_seen_count = *first;
      }
    });
  }
  for (int i = 0; i < kBatches; ++i) {
    const std::string field = "f" + std::to_string(i);
    if (!store->increment(std::vector{this->inc("second", field), this->inc("first", field)})) ++errors;
  }
  writing = false;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(violations.load(), 0);
  EXPECT_EQ(*store->count("first"), static_cast<std::size_t>(kBatches));
  EXPECT_EQ(*store->count("second"), static_cast<std::size_t>(kBatches));
}

TEST(RetentionTest, RefusesLimitsThatWouldKeepNothing) {
  EXPECT_TRUE(check_retention(Retention{}));
  EXPECT_FALSE(check_retention(Retention{std::chrono::seconds(0), 10}));
  EXPECT_FALSE(check_retention(Retention{std::chrono::seconds(-1), 10}));
  EXPECT_FALSE(check_retention(Retention{std::chrono::seconds(60), 0}));
  EXPECT_THROW(MemoryStore(MemoryStoreOptions{Retention{std::chrono::seconds(60), 0}, {}}), std::invalid_argument);
}

}  // namespace
}  // namespace vigie::store

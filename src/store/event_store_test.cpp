// The event store: schema and index use, migrations, retention, the writer queue (concurrent
// writers, flush on close, drops counted) and the quarantine rows.
#include "store/event_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

namespace vigie::store {
namespace {

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class EventStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigie-events-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "events.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  EventStoreOptions options() const {
    EventStoreOptions o;
    o.path = path_;
    return o;
  }

  // A second, plain connection to the file, as the console would read it.
  struct Reader {
    sqlite3* db = nullptr;
    explicit Reader(const std::string& path) { sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr); }
    ~Reader() { sqlite3_close_v2(db); }
    std::int64_t integer(const std::string& sql) const {
      sqlite3_stmt* s = nullptr;
      std::int64_t value = -1;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
        value = sqlite3_column_int64(s, 0);
      }
      sqlite3_finalize(s);
      return value;
    }
    std::string plan(const std::string& sql) const {
      sqlite3_stmt* s = nullptr;
      std::string out;
      if (sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &s, nullptr) != SQLITE_OK) {
        return std::string("prepare failed: ") + sqlite3_errmsg(db);
      }
      while (sqlite3_step(s) == SQLITE_ROW) {
        out += reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
        out += "\n";
      }
      sqlite3_finalize(s);
      return out;
    }
    void exec(const std::string& sql) const { ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db); }
  };

  std::filesystem::path dir_;
  std::string path_;
};

Event event(int n, std::int64_t received_at) {
  Event e;
  char id[17];
  std::snprintf(id, sizeof id, "%016x", n);
  e.id = id;
  e.received_at = received_at;
  e.queue_id = "Q" + std::to_string(n);
  e.client_ip = "192.0.2.1";
  e.helo = "mx.example.net";
  e.mail_from = "sender" + std::to_string(n % 7) + "@example.net";
  e.recipients = {"alice@ministere.example", "bob@ministere.example"};
  e.header_from = "Boss@Example.Net";
  e.subject = "Facture " + std::to_string(n);
  e.message_id = "<" + std::to_string(n) + "@example.net>";
  e.size = 1000 + static_cast<std::uint64_t>(n);
  e.action = n % 2 ? "warn" : "accept";
  e.score = n % 2 ? 8 : 0;
  e.engine_generation = 1;
  e.listener = "http";
  if (n % 2) e.findings = {{"VBA_AUTO_EXEC", "active_content", 8, "part 2 (invoice.docm)"}};
  e.objects_json = R"([{"path":"message","size":1000}])";
  return e;
}

TEST_F(EventStoreTest, RecordsEventsWithRecipientsAndFindings) {
  {
    auto store = EventStore::open(options());
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_TRUE((*store)->record(event(1, now())));
    EXPECT_TRUE((*store)->record(event(2, now())));
    (*store)->flush();
    EXPECT_EQ((*store)->stats().written, 2u);
    EXPECT_GT((*store)->stats().file_bytes, 0u);
  }
  Reader r(path_);
  EXPECT_EQ(r.integer("SELECT count(*) FROM events"), 2);
  EXPECT_EQ(r.integer("SELECT count(*) FROM event_recipients"), 4);
  EXPECT_EQ(r.integer("SELECT count(*) FROM event_findings WHERE finding = 'VBA_AUTO_EXEC'"
                      " AND object_path = 'part 2 (invoice.docm)'"), 1);
  // Addresses compare without case, as an analyst types them.
  EXPECT_EQ(r.integer("SELECT count(*) FROM events WHERE header_from = 'boss@example.net'"), 2);
  EXPECT_EQ(r.integer("SELECT quarantined FROM events_view WHERE id = '0000000000000001'"), 0);
  EXPECT_EQ(r.integer("PRAGMA user_version"), static_cast<std::int64_t>(EventStore::migrations().size()));
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(r.db, "PRAGMA journal_mode", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
}

// Each question of the analyst console reads an index, never the whole table.
TEST_F(EventStoreTest, ConsoleQueriesUseAnIndex) {
  { ASSERT_TRUE(EventStore::open(options())); }
  Reader r(path_);
  struct Query {
    const char* what;
    const char* sql;
    const char* index;  // expected in the plan
  };
  const Query queries[] = {
      {"by recipient and date",
       "SELECT e.* FROM event_recipients r JOIN events e ON e.seq = r.event"
       " WHERE r.recipient = 'alice@ministere.example' AND r.received_at >= 1 AND r.received_at < 2"
       " ORDER BY r.received_at DESC",
       "SEARCH r USING PRIMARY KEY (recipient=? AND received_at>? AND received_at<?)"},
      {"by envelope sender", "SELECT * FROM events WHERE mail_from = 'x@example.net' ORDER BY received_at DESC",
       "USING INDEX events_by_mail_from (mail_from=?)"},
      {"by header From", "SELECT * FROM events WHERE header_from = 'x@example.net' AND received_at >= 5",
       "USING INDEX events_by_header_from (header_from=? AND received_at>?)"},
      {"by finding and date",
       "SELECT e.id, f.object_path FROM event_findings f JOIN events e ON e.seq = f.event"
       " WHERE f.finding = 'VBA_AUTO_EXEC' AND f.received_at >= 5",
       "USING INDEX event_findings_by_finding (finding=? AND received_at>?)"},
      {"by date range", "SELECT * FROM events WHERE received_at >= 1 AND received_at < 2",
       "USING INDEX events_by_time (received_at>? AND received_at<?)"},
      {"by id", "SELECT * FROM events_view WHERE id = '0000000000000001'", "USING INDEX sqlite_autoindex_events_1 (id=?)"},
      {"quarantine by recipient",
       "SELECT * FROM quarantine WHERE id IN (SELECT id FROM quarantine_recipients WHERE recipient = 'a@b')",
       "USING PRIMARY KEY (recipient=?)"},
      {"quarantine held now", "SELECT * FROM quarantine WHERE state = 'held' ORDER BY stored_at DESC",
       "USING INDEX quarantine_by_state (state=?)"},
      {"retention", "SELECT seq FROM events WHERE received_at < 5 ORDER BY received_at LIMIT 10",
       "USING COVERING INDEX events_by_time (received_at<?)"},
      {"exportable detections by date",
       "SELECT id, received_at, export_record FROM events"
       " WHERE export_record IS NOT NULL AND received_at >= 1 AND received_at < 2 ORDER BY received_at, seq",
       "USING INDEX events_exportable (received_at>? AND received_at<?)"},
  };
  for (const Query& q : queries) {
    const std::string plan = r.plan(q.sql);
    EXPECT_NE(plan.find(q.index), std::string::npos) << q.what << ":\n" << plan;
    EXPECT_EQ(plan.find("SCAN events"), std::string::npos) << q.what << ":\n" << plan;
  }
}

TEST_F(EventStoreTest, MigratesAFileAnOlderVersionWrote) {
  {
    // Version 1, as the first vigie with an event store wrote it, with one event in it.
    Reader r(path_);
    r.exec(EventStore::migrations()[0]);
    r.exec("PRAGMA application_id = " + std::to_string(0x76696765) + "; PRAGMA user_version = 1");
    r.exec("INSERT INTO events(id, received_at, queue_id, client_ip, helo, mail_from, header_from, subject,"
           " message_id, size, action, score, complete, engine_generation, listener, objects)"
           " VALUES('00000000000000aa', 10, '', '', '', 'old@example.net', '', '', '', 1, 'accept', 0, 1, 1, 'http', '[]')");
  }
  auto store = EventStore::open(options());
  ASSERT_TRUE(store) << store.error().message;
  (*store)->close();
  Reader r(path_);
  EXPECT_EQ(r.integer("PRAGMA user_version"), static_cast<std::int64_t>(EventStore::migrations().size()));
  EXPECT_EQ(r.integer("SELECT count(*) FROM quarantine"), 0);
  EXPECT_EQ(r.integer("SELECT count(*) FROM pragma_table_info('events') WHERE name = 'export_record'"), 1);
  // Retention (90 days by default) removed the event of 1970; the migration itself kept it until then.
  EXPECT_EQ(r.integer("SELECT count(*) FROM events"), 0);
  EXPECT_EQ((*store)->stats().retention_deleted, 1u);
}

// The detection records `vigie intel export` reads: only the events that have one, in date order,
// within [since, until).
TEST_F(EventStoreTest, ExportRecordsOfADateRange) {
  auto store = EventStore::open(options());
  ASSERT_TRUE(store) << store.error().message;
  const std::int64_t t = now();
  for (int n = 1; n <= 6; ++n) {
    Event e = event(n, t + 10 * (6 - n));  // recorded newest first
    if (n % 2) e.export_record = R"({"n":)" + std::to_string(n) + "}";
    (*store)->record(std::move(e));
  }
  (*store)->flush();
  Result<std::vector<ExportRecord>> all = (*store)->export_records(0, 0);
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].record, R"({"n":5})") << "oldest first";
  EXPECT_EQ((*all)[2].record, R"({"n":1})");
  EXPECT_EQ((*all)[2].received_at, t + 50);
  Result<std::vector<ExportRecord>> range = (*store)->export_records(t + 11, t + 50);
  ASSERT_TRUE(range);
  ASSERT_EQ(range->size(), 1u);
  EXPECT_EQ((*range)[0].id, "0000000000000003");
}

TEST_F(EventStoreTest, RefusesAFileFromANewerVigieOrAnotherApplication) {
  { ASSERT_TRUE(EventStore::open(options())); }
  { Reader(path_).exec("PRAGMA user_version = 99"); }
  auto newer = EventStore::open(options());
  ASSERT_FALSE(newer);
  EXPECT_NE(newer.error().message.find("newer vigie"), std::string::npos) << newer.error().message;
  EXPECT_NE(newer.error().message.find(path_), std::string::npos);

  const std::string other = (dir_ / "other.db").string();
  { Reader(other).exec("CREATE TABLE t(x)"); }
  EventStoreOptions o = options();
  o.path = other;
  auto foreign = EventStore::open(o);
  ASSERT_FALSE(foreign);
  EXPECT_NE(foreign.error().message.find("not a vigie event store"), std::string::npos) << foreign.error().message;
}

TEST_F(EventStoreTest, RetentionDeletesOldEventsInBatches) {
  EventStoreOptions o = options();
  o.retention_days = 0;  // keep everything while filling
  {
    auto store = EventStore::open(o);
    ASSERT_TRUE(store);
    for (int n = 0; n < 25; ++n) (*store)->record(event(n, now() - 40 * 86400));
    for (int n = 25; n < 30; ++n) (*store)->record(event(n, now()));
  }
  o.retention_days = 30;
  o.retention_batch = 4;  // 25 old rows: 7 batches
  auto store = EventStore::open(o);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->stats().retention_deleted, 25u);
  (*store)->close();
  Reader r(path_);
  EXPECT_EQ(r.integer("SELECT count(*) FROM events"), 5);
  // The cascade took the children with them.
  EXPECT_EQ(r.integer("SELECT count(*) FROM event_recipients"), 10);
  EXPECT_EQ(r.integer("SELECT count(*) FROM event_findings WHERE received_at < " + std::to_string(now() - 86400)), 0);
}

TEST_F(EventStoreTest, ConcurrentWritersLoseNothingAndCloseFlushes) {
  constexpr int kThreads = 4;
  constexpr int kEach = 500;
  {
    EventStoreOptions o = options();
    o.queue_size = kThreads * kEach;  // room for all: nothing may be dropped
    auto store = EventStore::open(o);
    ASSERT_TRUE(store);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int n = 0; n < kEach; ++n) EXPECT_TRUE((*store)->record(event(t * kEach + n, now())));
      });
    }
    for (auto& t : threads) t.join();
    // No flush: the destructor's close() writes what is still queued.
  }
  Reader r(path_);
  EXPECT_EQ(r.integer("SELECT count(*) FROM events"), kThreads * kEach);
  EXPECT_EQ(r.integer("SELECT count(*) FROM event_recipients"), 2 * kThreads * kEach);
}

TEST_F(EventStoreTest, AFullQueueDropsAndCountsInsteadOfBlocking) {
  EventStoreOptions o = options();
  o.queue_size = 2;
  auto store = EventStore::open(o);
  ASSERT_TRUE(store);
  constexpr int kTotal = 2000;
  int accepted = 0;
  for (int n = 0; n < kTotal; ++n) accepted += (*store)->record(event(n, now())) ? 1 : 0;
  (*store)->close();
  const EventStore::Stats stats = (*store)->stats();
  EXPECT_EQ(stats.written, static_cast<std::uint64_t>(accepted));
  EXPECT_EQ(stats.written + stats.dropped, static_cast<std::uint64_t>(kTotal));
  EXPECT_FALSE((*store)->record(event(kTotal, now())));  // closed: refused, counted
  EXPECT_EQ((*store)->stats().dropped, stats.dropped + 1);
  Reader r(path_);
  EXPECT_EQ(r.integer("SELECT count(*) FROM events"), accepted);
}

TEST_F(EventStoreTest, AFailedBatchIsCountedAndReported) {
  EventStoreOptions o = options();
  o.busy_timeout = std::chrono::milliseconds(50);
  std::mutex mutex;
  std::vector<std::pair<std::string, std::size_t>> reported;
  o.on_write_error = [&](const std::string& error, std::size_t lost) {
    const std::lock_guard lock(mutex);
    reported.emplace_back(error, lost);
  };
  auto store = EventStore::open(o);
  ASSERT_TRUE(store) << store.error().message;
  {
    // Another connection holds the write lock longer than the busy timeout.
    Reader blocker(path_);
    blocker.exec("BEGIN IMMEDIATE");
    EXPECT_TRUE((*store)->record(event(1, now())));
    (*store)->flush();
    blocker.exec("ROLLBACK");
  }
  EXPECT_EQ((*store)->stats().write_failures, 1u);
  EXPECT_EQ((*store)->stats().written, 0u);
  // The store goes on once the lock is free.
  EXPECT_TRUE((*store)->record(event(2, now())));
  (*store)->flush();
  EXPECT_EQ((*store)->stats().written, 1u);
  const std::lock_guard lock(mutex);
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0].second, 1u);
  EXPECT_NE(reported[0].first.find("locked"), std::string::npos) << reported[0].first;
}

// Not a threshold: prints what this machine does, for the record.
TEST_F(EventStoreTest, MeasuresWriteThroughput) {
  constexpr int kTotal = 20000;
  EventStoreOptions o = options();
  o.queue_size = kTotal;
  auto store = EventStore::open(o);
  ASSERT_TRUE(store);
  const auto start = std::chrono::steady_clock::now();
  for (int n = 0; n < kTotal; ++n) ASSERT_TRUE((*store)->record(event(n, now())));
  (*store)->flush();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ((*store)->stats().written, static_cast<std::uint64_t>(kTotal));
  std::printf("event store: %d events (2 recipients, half with a finding) in %.3f s = %.0f events/s\n", kTotal,
              seconds, kTotal / seconds);
}

HeldMessage held(const std::string& id, std::int64_t stored_at, std::string recipient) {
  HeldMessage m;
  m.id = id;
  m.path = "/q/new/" + id;
  m.sha256 = std::string(64, 'a');
  m.size = 10;
  m.mail_from = "evil@example.net";
  m.recipients = {std::move(recipient)};
  m.stored_at = stored_at;
  m.reason = {"VBA_AUTO_EXEC"};
  m.action = "quarantine";
  m.score = 15;
  return m;
}

TEST_F(EventStoreTest, QuarantineRowsListFilterAndChangeState) {
  auto store = EventStore::open(options());
  ASSERT_TRUE(store);
  EventStore& s = **store;
  ASSERT_TRUE(s.insert_held(held("00000000000000a1", 100, "alice@ministere.example")));
  ASSERT_TRUE(s.insert_held(held("00000000000000a2", 200, "bob@ministere.example")));
  ASSERT_TRUE(s.insert_held(held("00000000000000a3", 300, "Alice@Ministere.Example")));
  EXPECT_FALSE(s.insert_held(held("00000000000000a3", 300, "x@y")));  // ids are unique
  EXPECT_EQ(s.count_held().value(), 3u);

  HeldFilter to_alice;
  to_alice.recipient = "alice@ministere.example";
  auto listed = s.list_held(to_alice);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, "00000000000000a3");  // newest first

  HeldFilter window;
  window.since = 150;
  window.until = 300;
  listed = s.list_held(window);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, "00000000000000a2");

  HeldFilter page;
  page.limit = 1;
  page.offset = 1;
  listed = s.list_held(page);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, "00000000000000a2");

  ASSERT_TRUE(s.set_held_state("00000000000000a1", HeldState::kReleased, 500, "analyst"));
  EXPECT_FALSE(s.set_held_state("00000000000000a1", HeldState::kReleased, 501, "analyst"));  // once
  HeldFilter held_now;
  held_now.state = HeldState::kHeld;
  EXPECT_EQ(s.list_held(held_now).value().size(), 2u);
  EXPECT_EQ(s.count_held().value(), 2u);
  auto one = s.held("00000000000000a1");
  ASSERT_TRUE(one && *one);
  EXPECT_EQ((*one)->state, HeldState::kReleased);
  EXPECT_EQ((*one)->changed_by, "analyst");
  EXPECT_EQ((*one)->recipients, std::vector<std::string>{"alice@ministere.example"});
  EXPECT_FALSE(s.held("00000000000000ff").value());
  ASSERT_TRUE(s.set_held_state("00000000000000a1", HeldState::kDeleted, 600, "analyst"));
  EXPECT_FALSE(s.set_held_state("00000000000000a1", HeldState::kHeld, 601, "analyst"));
}

}  // namespace
}  // namespace vigie::store

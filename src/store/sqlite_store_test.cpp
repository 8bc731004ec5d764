// SqliteStore beyond the shared contract (key_value_store_test.cpp): the file itself. Migration of
// sender histories written by earlier versions, refusal of files it must not touch, maintenance at
// open and on schedule, and several stores on one file.
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "store/store_test_support.h"

namespace vigie::store {
namespace {

using testing::FakeClock;
using testing::kDay;
using testing::TempDatabase;

void raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

// The first column of the first row of `sql`, as text ("" when there is no row).
std::string raw_value(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  std::string value;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  if (sqlite3_step(s) == SQLITE_ROW) value = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return value;
}

SqliteStoreOptions options_with(const FakeClock& clock, Retention retention = {}) {
  SqliteStoreOptions options;
  options.clock = clock.clock();
  options.retention = retention;
  return options;
}

// The sender history's schema version 2, exactly as vigie wrote it before the store existed
// (migrations 1 and 2 of the old intel/sender_history/sender_history.cpp).
constexpr const char* kSenderHistoryVersion2 =
    "CREATE TABLE contacts("
    "  id INTEGER PRIMARY KEY,"
    "  recipient TEXT NOT NULL,"
    "  sender TEXT NOT NULL,"
    "  display_name TEXT NOT NULL DEFAULT '',"
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  count INTEGER NOT NULL DEFAULT 1,"
    "  UNIQUE(recipient, sender, display_name));"
    "CREATE INDEX contacts_by_display_name"
    "  ON contacts(display_name, sender, recipient, first_seen, last_seen, count)"
    "  WHERE display_name <> '';"
    "CREATE INDEX contacts_by_last_seen ON contacts(last_seen);"
    "CREATE VIEW display_name_addresses AS"
    "  SELECT display_name, sender, min(first_seen) AS first_seen, max(last_seen) AS last_seen,"
    "         sum(count) AS count, count(*) AS recipients"
    "  FROM contacts WHERE display_name <> '' GROUP BY display_name, sender;"
    "PRAGMA application_id = 1986619185; PRAGMA user_version = 2;";

// Rows at times relative to `now`, so that none is past the default age limit.
std::string contact_rows(std::int64_t now) {
  const auto t = [&](std::int64_t days_ago) { return std::to_string(now - days_ago * kDay); };
  return "INSERT INTO contacts(recipient, sender, display_name, first_seen, last_seen, count) VALUES"
         "('dg@ours.example', 'pierre@partner.example', 'martin pierre', " + t(30) + ", " + t(5) + ", 3),"
         "('dg@ours.example', 'pierre@partner.example', '', " + t(40) + ", " + t(2) + ", 2),"
         "('rh@ours.example', 'pierre@partner.example', 'martin pierre', " + t(20) + ", " + t(1) + ", 1),"
         "('rh@ours.example', 'someone@else.example', '', " + t(10) + ", " + t(10) + ", 1);";
}

TEST(SqliteStoreTest, PersistsAcrossOpensAndSharesAFileBetweenStores) {
  TempDatabase db;
  FakeClock clock;
  {
    auto store = SqliteStore::open(db.path(), options_with(clock));
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->increment(std::vector<Increment>{{"k", "f", 4}}));
  }
  auto first = SqliteStore::open(db.path(), options_with(clock));
  auto second = SqliteStore::open(db.path(), options_with(clock));
  ASSERT_TRUE(first && second);
  EXPECT_EQ((*first)->get("k", "f")->value().value, 4);
  ASSERT_TRUE((*first)->increment(std::vector<Increment>{{"k", "g", 1}}));
  EXPECT_EQ(*(*second)->count("k"), 2u);  // committed writes of one are seen by the other
  EXPECT_EQ(raw_value(db.path(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw_value(db.path(), "PRAGMA user_version"), std::to_string(SqliteStore::kSchemaVersion));
  EXPECT_EQ(raw_value(db.path(), "PRAGMA application_id"), "1986619185");
}

TEST(SqliteStoreTest, MigratesASenderHistoryOfVersionTwoInPlace) {
  TempDatabase db;
  FakeClock clock;
  const std::int64_t now = clock.now();
  raw_exec(db.path(), std::string(kSenderHistoryVersion2) + contact_rows(now));
  auto store = SqliteStore::open(db.path(), options_with(clock));
  ASSERT_TRUE(store) << store.error().message;
  // Per recipient, every display name together.
  EXPECT_EQ(*(*store)->get("contact:dg@ours.example", "pierre@partner.example"),
            (Counter{"pierre@partner.example", 5, now - 40 * kDay, now - 2 * kDay}));
  EXPECT_EQ(*(*store)->count("contact:rh@ours.example"), 2u);
  // Per display name, summed over recipients; the recipients under the name and address.
  EXPECT_EQ(*(*store)->get("name:martin pierre", "pierre@partner.example"),
            (Counter{"pierre@partner.example", 4, now - 30 * kDay, now - 1 * kDay}));
  const Result<std::vector<Counter>> recipients =
      (*store)->list("name-recipients:martin pierre\x1fpierre@partner.example", 10);
  ASSERT_TRUE(recipients);
  EXPECT_EQ(*recipients, (std::vector<Counter>{{"rh@ours.example", 1, now - 20 * kDay, now - 1 * kDay},
                                               {"dg@ours.example", 3, now - 30 * kDay, now - 5 * kDay}}));
  EXPECT_EQ(raw_value(db.path(), "SELECT count(*) FROM counters"), "6");
  EXPECT_EQ(raw_value(db.path(), "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                 " ('contacts', 'display_name_addresses')"),
            "0");
  EXPECT_EQ(raw_value(db.path(), "PRAGMA user_version"), "3");
}

TEST(SqliteStoreTest, MigratesVersionOneThroughEveryStep) {
  TempDatabase db;
  FakeClock clock;
  raw_exec(db.path(),
           "CREATE TABLE contacts(id INTEGER PRIMARY KEY, recipient TEXT NOT NULL, sender TEXT NOT NULL,"
           " display_name TEXT NOT NULL DEFAULT '', first_seen INTEGER NOT NULL,"
           " last_seen INTEGER NOT NULL, count INTEGER NOT NULL DEFAULT 1,"
           " UNIQUE(recipient, sender, display_name));"
           "PRAGMA application_id = 1986619185; PRAGMA user_version = 1;" +
               contact_rows(clock.now()));
  auto store = SqliteStore::open(db.path(), options_with(clock));
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->get("name:martin pierre", "pierre@partner.example")->value().value, 4);
  EXPECT_EQ(raw_value(db.path(), "PRAGMA user_version"), "3");
}

TEST(SqliteStoreTest, AFailedMigrationLeavesTheFileAsItWas) {
  TempDatabase db;
  FakeClock clock;
  // A table in the way of migration 3 makes it fail half-way, after the copy has begun.
  raw_exec(db.path(), std::string(kSenderHistoryVersion2) + contact_rows(clock.now()) +
                          "CREATE TABLE counters(x INTEGER);");
  auto store = SqliteStore::open(db.path(), options_with(clock));
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find(db.path()), std::string::npos) << store.error().message;
  EXPECT_EQ(raw_value(db.path(), "PRAGMA user_version"), "2");
  EXPECT_EQ(raw_value(db.path(), "SELECT count(*) FROM contacts"), "4");
  EXPECT_EQ(raw_value(db.path(), "SELECT count(*) FROM display_name_addresses"), "1");
}

TEST(SqliteStoreTest, RefusesFilesThatAreNotAVigieStore) {
  TempDatabase garbage;
  {
    std::ofstream out(garbage.path(), std::ios::binary);
    out << "this is not a database, just some text that is long enough to be a header......"
        << std::string(4096, 'x');
  }
  auto store = SqliteStore::open(garbage.path());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kConfig);
  EXPECT_NE(store.error().message.find("not a SQLite database"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find(garbage.path()), std::string::npos);

  TempDatabase foreign;
  raw_exec(foreign.path(), "CREATE TABLE invoices(id INTEGER); INSERT INTO invoices VALUES(7);");
  store = SqliteStore::open(foreign.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("not a vigie store"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find(foreign.path()), std::string::npos);
  // Left exactly as it was: not even switched to WAL.
  EXPECT_EQ(raw_value(foreign.path(), "PRAGMA journal_mode"), "delete");
  EXPECT_EQ(raw_value(foreign.path(), "SELECT id FROM invoices"), "7");

  TempDatabase newer;
  raw_exec(newer.path(), "PRAGMA application_id = 1986619185; PRAGMA user_version = 99;");
  store = SqliteStore::open(newer.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("newer vigie"), std::string::npos) << store.error().message;
  EXPECT_EQ(raw_value(newer.path(), "PRAGMA user_version"), "99");

  store = SqliteStore::open("/nonexistent-dir/history.db");
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("/nonexistent-dir/history.db"), std::string::npos);
  EXPECT_FALSE(SqliteStore::open(""));
}

TEST(SqliteStoreTest, RefusesAnUnusableRetention) {
  TempDatabase db;
  SqliteStoreOptions options;
  options.retention.max_age = std::chrono::seconds(0);
  auto store = SqliteStore::open(db.path(), options);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(store.error().message.find("age limit"), std::string::npos);
}

TEST(SqliteStoreTest, MaintenanceReportsWhatWentAndRunsAtOpen) {
  TempDatabase db;
  FakeClock clock;
  const Retention retention{std::chrono::seconds(10 * kDay), 2};
  {
    auto store = SqliteStore::open(db.path(), options_with(clock, retention));
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->increment(std::vector<Increment>{{"k", "old", 1}, {"other", "old", 1}}));
    clock.advance(11 * kDay);
    for (const char* field : {"a", "b", "c"}) {
      clock.advance(1);
      ASSERT_TRUE((*store)->increment(std::vector<Increment>{{"k", field, 1}}));
    }
    // Two expired counters, and "a" over the cap of two.
    EXPECT_EQ(*(*store)->run_maintenance(), 3u);
    EXPECT_EQ(raw_value(db.path(), "SELECT group_concat(field) FROM (SELECT field FROM counters ORDER BY field)"), "b,c");
  }
  clock.advance(11 * kDay);  // everything expired while no store was open
  auto reopened = SqliteStore::open(db.path(), options_with(clock, retention));
  ASSERT_TRUE(reopened);
  EXPECT_EQ(raw_value(db.path(), "SELECT count(*) FROM counters"), "0");
}

TEST(SqliteStoreTest, MaintenanceRunsByItselfAfterTheInterval) {
  TempDatabase db;
  FakeClock clock;
  SqliteStoreOptions options = options_with(clock, Retention{std::chrono::seconds(400 * kDay), 2});
  options.maintenance_interval = 4;
  auto store = SqliteStore::open(db.path(), options);
  ASSERT_TRUE(store);
  for (const char* field : {"a", "b", "c"}) {
    clock.advance(1);
    ASSERT_TRUE((*store)->increment(std::vector<Increment>{{"k", field, 1}}));
  }
  EXPECT_EQ(raw_value(db.path(), "SELECT count(*) FROM counters"), "3");  // not yet due
  clock.advance(1);
  ASSERT_TRUE((*store)->increment(std::vector<Increment>{{"k", "d", 1}}));
  EXPECT_EQ(raw_value(db.path(), "SELECT group_concat(field) FROM (SELECT field FROM counters ORDER BY field)"), "c,d");
}

}  // namespace
}  // namespace vigie::store

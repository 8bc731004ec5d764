// Sender history: schema creation and migration, refusal of files it must not touch, retention
// and caps, concurrent use, and the engine's recording hook end to end.
#include "intel/sender_history/sender_history.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "intel/identity/names.h"
#include "intel/sender_history/scan_contacts.h"
#include "vigie/engine.h"

namespace vigie::intel::sender_history {
namespace {

class TempDatabase {
 public:
  TempDatabase() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("vigie_history_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".db"))
                .string();
    remove_files();
  }
  ~TempDatabase() { remove_files(); }
  const std::string& path() const { return path_; }

 private:
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
};

void raw_exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

struct FakeClock {
  std::shared_ptr<std::int64_t> now = std::make_shared<std::int64_t>(1'700'000'000);
  StoreOptions options() const {
    StoreOptions o;
    o.clock = [now = now] { return *now; };
    return o;
  }
};

TEST(SenderHistoryTest, RecordsAndFindsContactsAndNames) {
  TempDatabase db;
  auto store = SenderHistory::open(db.path());
  ASSERT_TRUE(store) << store.error().message;
  const Contact contacts[] = {{"dg@ours.example", "pierre.martin@partner.example", "pierre martin"},
                              {"rh@ours.example", "pierre.martin@partner.example", "pierre martin"}};
  ASSERT_TRUE((*store)->record(contacts));
  ASSERT_TRUE((*store)->record(std::span(contacts, 1)));
  EXPECT_TRUE(*(*store)->has_contact("dg@ours.example", "pierre.martin@partner.example"));
  EXPECT_FALSE(*(*store)->has_contact("dg@ours.example", "someone@else.example"));
  const auto known = (*store)->addresses_for_name("pierre martin");
  ASSERT_TRUE(known);
  ASSERT_EQ(known->size(), 1u);
  EXPECT_EQ((*known)[0].sender, "pierre.martin@partner.example");
  EXPECT_EQ((*known)[0].count, 3u);
  EXPECT_EQ((*known)[0].recipients, 2u);
  EXPECT_TRUE((*store)->addresses_for_name("nobody here")->empty());
  EXPECT_EQ(*(*store)->row_count(), 2u);
}

TEST(SenderHistoryTest, PersistsAcrossOpens) {
  TempDatabase db;
  {
    auto store = SenderHistory::open(db.path());
    ASSERT_TRUE(store);
    const Contact c{"a@ours.example", "b@them.example", ""};
    ASSERT_TRUE((*store)->record(std::span(&c, 1)));
  }
  auto reopened = SenderHistory::open(db.path());
  ASSERT_TRUE(reopened);
  EXPECT_TRUE(*(*reopened)->has_contact("a@ours.example", "b@them.example"));
}

TEST(SenderHistoryTest, MigratesFromVersionOneKeepingRows) {
  TempDatabase db;
  raw_exec(db.path(),
           "CREATE TABLE contacts(id INTEGER PRIMARY KEY, recipient TEXT NOT NULL, sender TEXT NOT NULL,"
           " display_name TEXT NOT NULL DEFAULT '', first_seen INTEGER NOT NULL,"
           " last_seen INTEGER NOT NULL, count INTEGER NOT NULL DEFAULT 1,"
           " UNIQUE(recipient, sender, display_name));"
           "INSERT INTO contacts VALUES(1, 'a@ours.example', 'old@friend.example', 'old friend',"
           " strftime('%s','now'), strftime('%s','now'), 4);"
           "PRAGMA application_id = 1986619185; PRAGMA user_version = 1;");
  auto store = SenderHistory::open(db.path());
  ASSERT_TRUE(store) << store.error().message;
  const auto known = (*store)->addresses_for_name("old friend");  // the view migration 2 adds
  ASSERT_TRUE(known);
  ASSERT_EQ(known->size(), 1u);
  EXPECT_EQ((*known)[0].count, 4u);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), SenderHistory::kSchemaVersion);
  sqlite3_finalize(s);
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  sqlite3_close(raw);
}

TEST(SenderHistoryTest, RefusesFilesThatAreNotItsHistory) {
  TempDatabase garbage;
  {
    std::ofstream out(garbage.path(), std::ios::binary);
    out << "this is not a database, just some text that is long enough to be a header......"
        << std::string(4096, 'x');
  }
  auto store = SenderHistory::open(garbage.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("not a SQLite database"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find(garbage.path()), std::string::npos);

  TempDatabase foreign;
  raw_exec(foreign.path(), "CREATE TABLE invoices(id INTEGER);");
  store = SenderHistory::open(foreign.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("not a vigie sender history"), std::string::npos);

  TempDatabase newer;
  raw_exec(newer.path(), "PRAGMA application_id = 1986619185; PRAGMA user_version = 99;");
  store = SenderHistory::open(newer.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("newer vigie"), std::string::npos);

  EXPECT_FALSE(SenderHistory::open("/nonexistent-dir/history.db"));
}

TEST(SenderHistoryTest, EngineRefusesToStartOnACorruptHistory) {
  TempDatabase garbage;
  {
    std::ofstream out(garbage.path(), std::ios::binary);
    out << std::string(8192, 'z');
  }
  Config config;
  config.history.path = garbage.path();
  try {
    const Engine engine{config};
    FAIL() << "the engine started on a corrupt history";
  } catch (const EngineConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("not a SQLite database"), std::string::npos) << e.what();
  }
}

TEST(SenderHistoryTest, RetentionDeletesRowsNotSeenForTooLong) {
  TempDatabase db;
  FakeClock clock;
  StoreOptions options = clock.options();
  options.retention_days = 10;
  {
    auto store = SenderHistory::open(db.path(), options);
    ASSERT_TRUE(store);
    const Contact old_contact{"a@ours.example", "old@them.example", ""};
    ASSERT_TRUE((*store)->record(std::span(&old_contact, 1)));
    *clock.now += 9 * 86400;
    const Contact recent{"a@ours.example", "recent@them.example", ""};
    ASSERT_TRUE((*store)->record(std::span(&recent, 1)));
    *clock.now += 2 * 86400;  // old is now 11 days old, recent 2
    EXPECT_EQ(*(*store)->run_maintenance(), 1u);
    EXPECT_FALSE(*(*store)->has_contact("a@ours.example", "old@them.example"));
    EXPECT_TRUE(*(*store)->has_contact("a@ours.example", "recent@them.example"));
  }
  *clock.now += 30 * 86400;  // at open, too
  auto reopened = SenderHistory::open(db.path(), options);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(*(*reopened)->row_count(), 0u);
}

TEST(SenderHistoryTest, PerRecipientCapKeepsTheMostRecent) {
  TempDatabase db;
  FakeClock clock;
  StoreOptions options = clock.options();
  options.max_rows_per_recipient = 3;
  options.maintenance_interval = 1000;
  auto store = SenderHistory::open(db.path(), options);
  ASSERT_TRUE(store);
  for (int i = 0; i < 5; ++i) {
    *clock.now += 60;
    const Contact c{"busy@ours.example", "s" + std::to_string(i) + "@them.example", ""};
    ASSERT_TRUE((*store)->record(std::span(&c, 1)));
  }
  const Contact other{"quiet@ours.example", "s0@them.example", ""};
  ASSERT_TRUE((*store)->record(std::span(&other, 1)));
  EXPECT_EQ(*(*store)->run_maintenance(), 2u);
  EXPECT_FALSE(*(*store)->has_contact("busy@ours.example", "s0@them.example"));
  EXPECT_FALSE(*(*store)->has_contact("busy@ours.example", "s1@them.example"));
  EXPECT_TRUE(*(*store)->has_contact("busy@ours.example", "s4@them.example"));
  EXPECT_TRUE(*(*store)->has_contact("quiet@ours.example", "s0@them.example"));
}

TEST(SenderHistoryTest, MaintenanceRunsByItselfAfterTheInterval) {
  TempDatabase db;
  FakeClock clock;
  StoreOptions options = clock.options();
  options.max_rows_per_recipient = 2;
  options.maintenance_interval = 4;
  auto store = SenderHistory::open(db.path(), options);
  ASSERT_TRUE(store);
  for (int i = 0; i < 4; ++i) {
    *clock.now += 1;
    const Contact c{"r@ours.example", std::to_string(i) + "@them.example", ""};
    ASSERT_TRUE((*store)->record(std::span(&c, 1)));
  }
  EXPECT_EQ(*(*store)->row_count(), 2u);
}

TEST(SenderHistoryTest, ConcurrentReadersAndWriters) {
  TempDatabase db;
  StoreOptions options;
  options.max_readers = 3;  // fewer than threads: some lookups wait for a connection
  auto opened = SenderHistory::open(db.path(), options);
  ASSERT_TRUE(opened);
  std::shared_ptr<SenderHistory> store = *opened;
  constexpr int kThreads = 6, kPerThread = 150;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const Contact c{"r" + std::to_string(t) + "@ours.example", "s" + std::to_string(i) + "@them.example",
                        "sender number"};
        if (!store->record(std::span(&c, 1))) ++failures;
        const auto seen = store->has_contact(c.recipient, c.sender);
        if (!seen || !*seen) ++failures;
        if (!store->addresses_for_name("sender number", 4)) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*store->row_count(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(store->write_failures(), 0u);
}

TEST(SenderHistoryTest, SharedOpenReturnsOneStorePerPath) {
  TempDatabase db;
  auto a = SenderHistory::open_shared(db.path());
  auto b = SenderHistory::open_shared(db.path());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->get(), b->get());
}

TEST(SenderHistoryTest, PartiesComeFromTheEnvelopeElseOurToAndCc) {
  auto message = ParsedMessage::parse(
      std::make_shared<const std::string>(
          "From: \"Pierre MARTIN\" <Pierre.Martin@Partner.example>\n"
          "To: DG@ours.example, friend@elsewhere.example\nCc: rh@mail.ours.example\n\nx\n"),
      Limits{});
  OrganisationConfig organisation;
  organisation.protected_domains = {"ours.example"};
  const facts::OrganisationProfile profile = *facts::OrganisationProfile::compile(organisation);
  const Envelope no_envelope;
  MessageParties p = parties_of(facts::MessageFacts(*message, no_envelope, profile));
  EXPECT_EQ(p.sender, "pierre.martin@partner.example");
  EXPECT_EQ(p.folded_name, identity::name_key("Martin Pierre"));
  EXPECT_EQ(p.recipients, (std::vector<std::string>{"dg@ours.example", "rh@mail.ours.example"}));
  Envelope envelope;
  envelope.recipients = {"Boss@ours.example"};
  p = parties_of(facts::MessageFacts(*message, envelope, profile));
  EXPECT_EQ(p.recipients, std::vector<std::string>{"boss@ours.example"});
}

}  // namespace
}  // namespace vigie::intel::sender_history

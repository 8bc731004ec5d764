// Sender history: its questions and its key scheme over a store, forgetting with the store's
// retention, hostile addresses, histories written before the store existed, concurrent use over
// SQLite, and the engine's recording hook.
#include "intel/sender_history/sender_history.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "intel/identity/names.h"
#include "intel/sender_history/scan_contacts.h"
#include "store/memory_store.h"
#include "store/store_test_support.h"
#include "vigie/engine.h"

namespace vigie::intel::sender_history {
namespace {

using store::testing::FakeClock;
using store::testing::kDay;
using store::testing::TempDatabase;

std::shared_ptr<store::MemoryStore> memory_store(const FakeClock& clock, unsigned retention_days = 400) {
  return std::make_shared<store::MemoryStore>(store::MemoryStoreOptions{
      store::Retention{std::chrono::seconds(retention_days * kDay), 20000}, clock.clock()});
}

TEST(SenderHistoryTest, RecordsAndFindsContactsAndNames) {
  FakeClock clock;
  SenderHistory history(memory_store(clock));
  const Contact contacts[] = {{"dg@ours.example", "pierre.martin@partner.example", "martin pierre"},
                              {"rh@ours.example", "pierre.martin@partner.example", "martin pierre"}};
  const std::int64_t first = clock.now();
  ASSERT_TRUE(history.record(contacts));
  clock.advance(60);
  ASSERT_TRUE(history.record(std::span(contacts, 1)));
  EXPECT_TRUE(*history.has_contact("dg@ours.example", "pierre.martin@partner.example"));
  EXPECT_FALSE(*history.has_contact("dg@ours.example", "someone@else.example"));
  EXPECT_FALSE(*history.has_contact("other@ours.example", "pierre.martin@partner.example"));
  const auto known = history.addresses_for_name("martin pierre");
  ASSERT_TRUE(known);
  ASSERT_EQ(known->size(), 1u);
  EXPECT_EQ((*known)[0].sender, "pierre.martin@partner.example");
  EXPECT_EQ((*known)[0].count, 3u);
  EXPECT_EQ((*known)[0].recipients, 2u);
  EXPECT_EQ((*known)[0].first_seen, first);
  EXPECT_EQ((*known)[0].last_seen, first + 60);
  EXPECT_TRUE(history.addresses_for_name("nobody here")->empty());
  EXPECT_TRUE(history.addresses_for_name("")->empty());
  EXPECT_EQ(history.write_failures(), 0u);
}

// The scheme documented in sender_history.h, read straight from the store: what the SQLite
// migration and a future Redis deployment must agree with.
TEST(SenderHistoryTest, KeysAreTheDocumentedScheme) {
  FakeClock clock;
  auto kv = memory_store(clock);
  SenderHistory history(kv);
  const Contact contacts[] = {{"dg@ours.example", "p@partner.example", "martin pierre"},
                              {"dg@ours.example", "noname@partner.example", ""}};
  ASSERT_TRUE(history.record(contacts));
  const std::int64_t now = clock.now();
  EXPECT_EQ(*kv->get("contact:dg@ours.example", "p@partner.example"),
            (store::Counter{"p@partner.example", 1, now, now}));
  EXPECT_EQ(*kv->count("contact:dg@ours.example"), 2u);
  EXPECT_EQ(*kv->list("name:martin pierre", 10), (std::vector<store::Counter>{{"p@partner.example", 1, now, now}}));
  EXPECT_EQ(*kv->list("name-recipients:martin pierre\x1fp@partner.example", 10),
            (std::vector<store::Counter>{{"dg@ours.example", 1, now, now}}));
  EXPECT_EQ(*kv->count("name:"), 0u);  // no name, no name key
}

TEST(SenderHistoryTest, NamesListTheMostRecentAddressesFirst) {
  FakeClock clock;
  SenderHistory history(memory_store(clock));
  for (const char* sender : {"a@one.example", "b@two.example", "c@three.example"}) {
    clock.advance(10);
    const Contact c{"dg@ours.example", sender, "jeanne dupont"};
    ASSERT_TRUE(history.record(std::span(&c, 1)));
  }
  const auto known = history.addresses_for_name("jeanne dupont", 2);
  ASSERT_TRUE(known);
  ASSERT_EQ(known->size(), 2u);
  EXPECT_EQ((*known)[0].sender, "c@three.example");
  EXPECT_EQ((*known)[1].sender, "b@two.example");
}

TEST(SenderHistoryTest, ACorrespondentNotSeenForTheRetentionIsAStrangerAgain) {
  FakeClock clock;
  SenderHistory history(memory_store(clock, 10));
  const Contact c{"dg@ours.example", "old@partner.example", "old friend"};
  ASSERT_TRUE(history.record(std::span(&c, 1)));
  clock.advance(10 * kDay);
  EXPECT_TRUE(*history.has_contact(c.recipient, c.sender));
  clock.advance(1);
  EXPECT_FALSE(*history.has_contact(c.recipient, c.sender));
  EXPECT_TRUE(history.addresses_for_name("old friend")->empty());
}

TEST(SenderHistoryTest, HostileAddressesAreCutOrRefusedNeverStoredUnbounded) {
  FakeClock clock;
  SenderHistory history(memory_store(clock));
  // Longer than any real address: cut to one bounded key, and found again the same way.
  const std::string long_sender = std::string(5000, 'a') + "@partner.example";
  const Contact long_contact{"dg@ours.example", long_sender, std::string(3000, 'n')};
  ASSERT_TRUE(history.record(std::span(&long_contact, 1)));
  EXPECT_TRUE(*history.has_contact("dg@ours.example", long_sender));
  ASSERT_EQ(history.addresses_for_name(std::string(3000, 'n'))->size(), 1u);
  EXPECT_EQ(history.addresses_for_name(std::string(3000, 'n'))->front().sender.size(), 320u);
  // A NUL byte cannot be stored: the write fails, is counted, and the sender stays unknown.
  const Contact nul_contact{"dg@ours.example", std::string("x\0y@partner.example", 19), ""};
  EXPECT_FALSE(history.record(std::span(&nul_contact, 1)));
  EXPECT_EQ(history.write_failures(), 1u);
  const Result<bool> seen = history.has_contact(nul_contact.recipient, nul_contact.sender);
  ASSERT_TRUE(seen);
  EXPECT_FALSE(*seen);
}

TEST(SenderHistoryTest, AHistoryOfVersionTwoIsFoundAfterMigration) {
  TempDatabase db;
  FakeClock clock;
  const auto at = [&](std::int64_t days_ago) { return std::to_string(clock.now() - days_ago * kDay); };
  // Written with the SQL of the sender history before the store (schema version 2).
  const std::string old_history =
      "CREATE TABLE contacts(id INTEGER PRIMARY KEY, recipient TEXT NOT NULL, sender TEXT NOT NULL,"
      " display_name TEXT NOT NULL DEFAULT '', first_seen INTEGER NOT NULL,"
      " last_seen INTEGER NOT NULL, count INTEGER NOT NULL DEFAULT 1,"
      " UNIQUE(recipient, sender, display_name));"
      "CREATE INDEX contacts_by_display_name"
      " ON contacts(display_name, sender, recipient, first_seen, last_seen, count) WHERE display_name <> '';"
      "CREATE INDEX contacts_by_last_seen ON contacts(last_seen);"
      "CREATE VIEW display_name_addresses AS"
      " SELECT display_name, sender, min(first_seen) AS first_seen, max(last_seen) AS last_seen,"
      " sum(count) AS count, count(*) AS recipients"
      " FROM contacts WHERE display_name <> '' GROUP BY display_name, sender;"
      "INSERT INTO contacts(recipient, sender, display_name, first_seen, last_seen, count) VALUES"
      "('dg@ours.example', 'pierre@partner.example', 'martin pierre', " + at(30) + ", " + at(5) + ", 3),"
      "('rh@ours.example', 'pierre@partner.example', 'martin pierre', " + at(20) + ", " + at(1) + ", 1),"
      "('rh@ours.example', 'pierre.m@gmail.com', 'martin pierre', " + at(3) + ", " + at(3) + ", 1),"
      "('dg@ours.example', 'news@vendor.example', '', " + at(10) + ", " + at(10) + ", 7);"
      "PRAGMA application_id = 1986619185; PRAGMA user_version = 2;";
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, old_history.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
    sqlite3_close(raw);
  }
  HistoryConfig config;
  config.path = db.path();
  auto kv = open_history_store(config, clock.clock());
  ASSERT_TRUE(kv) << kv.error().message;
  SenderHistory history(*kv);
  EXPECT_TRUE(*history.has_contact("dg@ours.example", "pierre@partner.example"));
  EXPECT_TRUE(*history.has_contact("dg@ours.example", "news@vendor.example"));
  EXPECT_TRUE(*history.has_contact("rh@ours.example", "pierre.m@gmail.com"));
  EXPECT_FALSE(*history.has_contact("rh@ours.example", "news@vendor.example"));
  // What the old view display_name_addresses answered.
  const auto known = history.addresses_for_name("martin pierre");
  ASSERT_TRUE(known);
  ASSERT_EQ(known->size(), 2u);
  EXPECT_EQ((*known)[0].sender, "pierre@partner.example");  // last seen a day ago
  EXPECT_EQ((*known)[0].count, 4u);
  EXPECT_EQ((*known)[0].recipients, 2u);
  EXPECT_EQ((*known)[0].first_seen, clock.now() - 30 * kDay);
  EXPECT_EQ((*known)[1].sender, "pierre.m@gmail.com");
  EXPECT_EQ((*known)[1].recipients, 1u);
  // And the migrated history goes on counting.
  const Contact again{"dg@ours.example", "pierre@partner.example", "martin pierre"};
  ASSERT_TRUE(history.record(std::span(&again, 1)));
  EXPECT_EQ(history.addresses_for_name("martin pierre")->front().count, 5u);
}

TEST(SenderHistoryTest, ARedisHistoryStartsAndRecordsWhileRedisIsDown) {
  // Nothing listens on port 1 of the loopback: refused at once, as a stopped Redis is.
  TempDatabase db;
  HistoryConfig config;
  config.path = db.path();
  config.backend = "redis";
  config.redis.port = 1;
  auto kv = open_history_store(config);
  ASSERT_TRUE(kv) << kv.error().message;
  SenderHistory history(*kv);
  const Contact contact{"dg@ours.example", "pierre@partner.example", "martin pierre"};
  ASSERT_TRUE(history.record(std::span(&contact, 1)));
  EXPECT_TRUE(*history.has_contact("dg@ours.example", "pierre@partner.example"));
  config.backend = "memcached";
  EXPECT_FALSE(open_history_store(config));
}

TEST(SenderHistoryTest, TheConfiguredStoreRefusesUnusableSettings) {
  HistoryConfig config;
  EXPECT_FALSE(open_history_store(config));
  TempDatabase db;
  config.path = db.path();
  config.retention_days = 0;
  const auto opened = open_history_store(config);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("retention_days"), std::string::npos);
  EXPECT_THROW(SenderHistory(nullptr), std::invalid_argument);
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
    EXPECT_NE(std::string(e.what()).find(garbage.path()), std::string::npos) << e.what();
  }
}

TEST(SenderHistoryTest, ConcurrentRecordsAndLookupsOverSqlite) {
  TempDatabase db;
  HistoryConfig config;
  config.path = db.path();
  auto opened = open_history_store(config);
  ASSERT_TRUE(opened) << opened.error().message;
  const auto history = std::make_shared<SenderHistory>(*opened);
  constexpr int kThreads = 6, kPerThread = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const Contact c{"r" + std::to_string(t) + "@ours.example", "s" + std::to_string(i) + "@them.example",
                        "sender number"};
        if (!history->record(std::span(&c, 1))) ++failures;
        const auto seen = history->has_contact(c.recipient, c.sender);
        if (!seen || !*seen) ++failures;
        if (!history->addresses_for_name("sender number", 4)) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(history->write_failures(), 0u);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(*history->store()->count("contact:r" + std::to_string(t) + "@ours.example"),
              static_cast<std::size_t>(kPerThread));
  }
  const auto known = history->addresses_for_name("sender number", 1000);
  ASSERT_TRUE(known);
  EXPECT_EQ(known->size(), static_cast<std::size_t>(kPerThread));
  for (const KnownAddress& k : *known) EXPECT_EQ(k.recipients, static_cast<std::uint64_t>(kThreads));
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

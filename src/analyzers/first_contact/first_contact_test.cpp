// first_contact: a new outside sender is a first contact once, then known; a known name from a
// new address is flagged; colleagues, suspicious (unrecorded) mail and no-history setups are not.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>

#include "store/memory_store.h"
#include "vigie/engine.h"

namespace vigie {
namespace {

class HistoryFile {
 public:
  HistoryFile() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("vigie_first_contact_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".db"))
                .string();
    remove_files();
  }
  ~HistoryFile() { remove_files(); }
  const std::string& path() const { return path_; }

 private:
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
};

Config history_config(const std::string& path) {
  Config config;
  config.organisation.protected_domains = {"ours.example"};
  config.history.path = path;
  return config;
}

const Finding* find(const ScanResult& r, std::string_view id) {
  for (const Finding& f : r.findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

// A scan as the CLI and the service run it: the verdict, then the engine's after-scan step, which
// records the sender in the history.
ScanResult scan(const Engine& engine, const std::string& headers, const Envelope& envelope = {}) {
  ScanResult result = engine.scan(std::make_shared<const std::string>(headers + "Subject: hello\n\nbody\n"), envelope);
  engine.after_scan(result, envelope);
  return result;
}

TEST(FirstContactTest, FirstMessageIsAFirstContactTheSecondIsNot) {
  HistoryFile file;
  const std::string message = "From: Pierre Martin <pierre.martin@partner.example>\nTo: dg@ours.example\n";
  {
    const Engine engine{history_config(file.path())};
    const ScanResult first = scan(engine, message);
    const Finding* f = find(first, "FIRST_CONTACT");
    ASSERT_NE(f, nullptr);
    EXPECT_DOUBLE_EQ(f->score, 1.0);
    EXPECT_EQ(f->evidence.back().value, "dg@ours.example");
    EXPECT_EQ(find(scan(engine, message), "FIRST_CONTACT"), nullptr);
  }
  // Across engine restarts too (the CLI's case: one engine per run).
  const Engine restarted{history_config(file.path())};
  EXPECT_EQ(find(scan(restarted, message), "FIRST_CONTACT"), nullptr);
  // Another recipient has never heard of this sender.
  EXPECT_NE(find(scan(restarted, "From: pierre.martin@partner.example\nTo: rh@ours.example\n"), "FIRST_CONTACT"),
            nullptr);
}

TEST(FirstContactTest, FreeMailboxFirstContactWeighsMore) {
  HistoryFile file;
  const Engine engine{history_config(file.path())};
  const Finding* f = find(scan(engine, "From: someone@gmail.com\nTo: dg@ours.example\n"), "FIRST_CONTACT");
  ASSERT_NE(f, nullptr);
  EXPECT_DOUBLE_EQ(f->score, 2.0);
}

TEST(FirstContactTest, EnvelopeRecipientsWin) {
  HistoryFile file;
  const Engine engine{history_config(file.path())};
  Envelope envelope;
  envelope.recipients = {"bcc-target@ours.example"};
  const ScanResult r = scan(engine, "From: x@partner.example\nTo: list@ours.example\n", envelope);
  const Finding* f = find(r, "FIRST_CONTACT");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.back().value, "bcc-target@ours.example");
  EXPECT_NE(find(scan(engine, "From: x@partner.example\nTo: list@ours.example\n"), "FIRST_CONTACT"), nullptr);
}

TEST(FirstContactTest, ColleaguesAreNeverFirstContacts) {
  HistoryFile file;
  const Engine engine{history_config(file.path())};
  EXPECT_EQ(find(scan(engine, "From: Jeanne Dupont <jeanne@ours.example>\nTo: dg@ours.example\n"), "FIRST_CONTACT"),
            nullptr);
}

TEST(FirstContactTest, SameNameFromANewAddress) {
  HistoryFile file;
  const Engine engine{history_config(file.path())};
  scan(engine, "From: Pierre Martin <pierre.martin@partner.example>\nTo: dg@ours.example\n");
  const ScanResult r = scan(engine, "From: \"MARTIN Pierre\" <pierre.martin.office@gmail.com>\nTo: rh@ours.example\n");
  const Finding* f = find(r, "KNOWN_NAME_NEW_ADDRESS");
  ASSERT_NE(f, nullptr);
  EXPECT_DOUBLE_EQ(f->score, 6.0);
  EXPECT_NE(f->evidence[1].value.find("pierre.martin@partner.example"), std::string::npos);
  // Another mailbox of the same organisation is a colleague's alias, not an impostor.
  EXPECT_EQ(find(scan(engine, "From: Pierre Martin <p.martin@mail.partner.example>\nTo: dg@ours.example\n"),
                 "KNOWN_NAME_NEW_ADDRESS"),
            nullptr);
  // Names that are not a person's ("Support", "Amazon.com") come from many addresses legitimately.
  scan(engine, "From: Support <support@vendor-a.example>\nTo: dg@ours.example\n");
  EXPECT_EQ(find(scan(engine, "From: Support <support@vendor-b.example>\nTo: dg@ours.example\n"),
                 "KNOWN_NAME_NEW_ADDRESS"),
            nullptr);
}

TEST(FirstContactTest, SuspiciousMessagesDoNotMakeTheirSenderKnown) {
  HistoryFile file;
  Config config = history_config(file.path());
  config.policy.quarantine_at = 0.5;  // the first-contact finding alone quarantines here
  config.policy.tag_at = 0.1;
  config.policy.warn_at = 0.2;
  const Engine engine{config};
  const std::string message = "From: attacker@partner.example\nTo: dg@ours.example\n";
  EXPECT_EQ(scan(engine, message).verdict.action, Action::kQuarantine);
  EXPECT_NE(find(scan(engine, message), "FIRST_CONTACT"), nullptr);
}

TEST(FirstContactTest, SilentWithoutHistory) {
  Config config;
  config.organisation.protected_domains = {"ours.example"};
  const Engine engine{config};
  const ScanResult r = scan(engine, "From: someone@gmail.com\nTo: dg@ours.example\n");
  EXPECT_TRUE(std::none_of(r.findings.begin(), r.findings.end(),
                           [](const Finding& f) { return f.analyzer == "first_contact"; }));
}

}  // namespace
}  // namespace vigie

namespace vigie {
namespace {

// The store is a service: a store injected by the caller (a mail-flow node's shared store, or an
// in-memory one here) is what the analyzer reads and after_scan() writes, with no [history] path.
// scan() alone teaches it nothing.
TEST(FirstContactServiceTest, AnInjectedStoreIsReadAndWrittenThroughAfterScan) {
  Config config;
  config.organisation.protected_domains = {"ours.example"};
  Services services;
  services.store = std::make_shared<store::MemoryStore>();
  const Engine engine{config, services};
  const auto message = std::make_shared<const std::string>(
      "From: Pierre Martin <pierre.martin@partner.example>\nTo: dg@ours.example\nSubject: hi\n\nbody\n");
  const auto first_contact = [](const ScanResult& r) {
    return std::any_of(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.id == "FIRST_CONTACT"; });
  };
  EXPECT_TRUE(first_contact(engine.scan(message, Envelope{})));
  EXPECT_TRUE(first_contact(engine.scan(message, Envelope{})));  // scan() has no side effect
  const ScanResult decided = engine.scan(message, Envelope{});
  engine.after_scan(decided, Envelope{});
  EXPECT_FALSE(first_contact(engine.scan(message, Envelope{})));
  EXPECT_EQ(*services.store->count("contact:dg@ours.example"), 1u);
}

}  // namespace
}  // namespace vigie

// The quarantine: durable hold (file and row before it returns, neither after a failure), ids that
// cannot name a path, raw bytes, delete, retention, and release byte for byte to an SMTP sink this
// test runs on 127.0.0.1 (it undoes dot-stuffing the way Postfix does: a line ends at LF).
#include "service/quarantine/quarantine.h"

#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

namespace vigie::service {
namespace {

// One SMTP session on a loopback port, in a thread; every wait is bounded.
class SmtpSink {
 public:
  struct Received {
    std::string mail_from;
    std::vector<std::string> recipients;
    std::string data;  // after undoing dot-stuffing
    bool complete = false;
  };

  explicit SmtpSink(std::string rcpt_reply = "250 2.1.5 ok") : rcpt_reply_(std::move(rcpt_reply)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 1) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { promise_.set_value(serve()); });
  }
  ~SmtpSink() {
    if (thread_.joinable()) thread_.join();
    ::close(listener_);
  }
  std::uint16_t port() const { return port_; }
  Received received() {
    if (future_.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
      ADD_FAILURE() << "the sink got nothing in 20 s";
      return {};
    }
    return future_.get();
  }

 private:
  Received serve() {
    Received r;
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 10000) != 1) return r;
    const int c = ::accept(listener_, nullptr, nullptr);
    if (c < 0) return r;
    timeval timeout{10, 0};
    ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string buffer;
    // A line as Postfix reads it: up to and including LF.
    const auto line = [&](std::string& out) {
      for (;;) {
        if (const std::size_t lf = buffer.find('\n'); lf != std::string::npos) {
          out = buffer.substr(0, lf + 1);
          buffer.erase(0, lf + 1);
          return true;
        }
        char chunk[4096];
        const ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(n));
      }
    };
    const auto reply = [&](const std::string& text) { (void)!::send(c, (text + "\r\n").data(), text.size() + 2, MSG_NOSIGNAL); };
    const auto argument = [](const std::string& l) {
      const std::size_t open = l.find('<');
      const std::size_t close = l.rfind('>');
      return open != std::string::npos && close != std::string::npos ? l.substr(open + 1, close - open - 1) : l;
    };
    reply("220 sink ESMTP");
    std::string l;
    while (line(l)) {
      std::string verb = l.substr(0, 4);
      for (char& ch : verb) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (verb == "EHLO" || verb == "HELO") {
        reply("250 sink");
      } else if (verb == "MAIL") {
        r.mail_from = argument(l);
        reply("250 2.1.0 ok");
      } else if (verb == "RCPT") {
        r.recipients.push_back(argument(l));
        reply(rcpt_reply_);
      } else if (verb == "DATA") {
        reply("354 go on");
        while (line(l)) {
          if (l == ".\r\n" || l == ".\n") {
            r.complete = true;
            break;
          }
          if (l[0] == '.') l.erase(0, 1);
          r.data += l;
        }
        reply("250 2.0.0 queued");
      } else if (verb == "QUIT") {
        reply("221 bye");
        break;
      } else {
        reply("250 ok");
      }
    }
    ::close(c);
    return r;
  }

  std::string rcpt_reply_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::promise<Received> promise_;
  std::future<Received> future_ = promise_.get_future();
  std::thread thread_;
};

class QuarantineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigie-quarantine-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store::EventStoreOptions o;
    o.path = (dir_ / "events.db").string();
    auto opened = store::EventStore::open(o);
    ASSERT_TRUE(opened) << opened.error().message;
    rows_ = std::move(*opened);
  }
  void TearDown() override {
    quarantine_.reset();
    rows_.reset();
    std::filesystem::remove_all(dir_);
  }

  Quarantine& open(std::uint16_t relay_port = 1, unsigned retention_days = 30) {
    QuarantineOptions o;
    o.maildir = (dir_ / "held").string();
    o.release = {"127.0.0.1", relay_port, std::chrono::milliseconds(5000)};
    o.retention_days = retention_days;
    auto q = Quarantine::open(o, *rows_);
    EXPECT_TRUE(q) << q.error().message;
    quarantine_ = std::move(*q);
    return *quarantine_;
  }

  static ScanResult verdict() {
    ScanResult r;
    r.verdict.action = Action::kQuarantine;
    r.verdict.score = 15;
    r.verdict.reasons = {"VBA_AUTO_EXEC"};
    Finding f;
    f.id = "VBA_AUTO_EXEC";
    f.group = "active_content";
    f.score = 15;
    f.evidence.emplace_back(kMessageObject, "macro", "AutoOpen");
    r.findings.push_back(f);
    return r;
  }
  static Envelope envelope() {
    Envelope e;
    e.mail_from = "attacker@example.net";
    e.recipients = {"alice@ministere.example", "bob@ministere.example"};
    return e;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::EventStore> rows_;
  std::unique_ptr<Quarantine> quarantine_;
};

// Lines starting with "." (the first one too, and a lone "." that would end DATA), a bare-LF line,
// one starting with "." after a bare LF, and a line that is only "." after a bare LF.
const std::string kAwkwardMessage =
    "From: a@example.net\r\nTo: alice@ministere.example\r\nSubject: dots\r\n\r\n"
    ".leading dot\r\n..two dots\r\n.\r\nafter a lone dot\r\nbare LF line\n.dot after bare LF\n.\nend\r\n";

TEST_F(QuarantineTest, HoldIsDurableBeforeItReturns) {
  Quarantine& q = open();
  const std::string raw = "From: a@example.net\r\nSubject: x\r\n\r\nbody\r\n";
  ASSERT_TRUE(q.hold("0123456789abcdef", raw, verdict(), envelope()));
  // The file is in new/, complete, nothing left in tmp/.
  const auto file = dir_ / "held" / "new" / "0123456789abcdef";
  ASSERT_TRUE(std::filesystem::exists(file));
  std::ifstream in(file, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), raw);
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "held" / "tmp"));
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  // The row is committed: another connection sees it.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir_ / "events.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT state, size, path, reason FROM quarantine WHERE id = '0123456789abcdef'", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "held");
  EXPECT_EQ(sqlite3_column_int64(s, 1), static_cast<std::int64_t>(raw.size()));
  EXPECT_EQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 2)), file.string());
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 3)), R"(["VBA_AUTO_EXEC"])");
  sqlite3_finalize(s);
  sqlite3_close(db);

  auto shown = q.show("0123456789abcdef");
  ASSERT_TRUE(shown && *shown);
  EXPECT_EQ((*shown)->recipients, envelope().recipients);
  EXPECT_NE((*shown)->findings_json.find(R"("object":"message")"), std::string::npos) << (*shown)->findings_json;
  EXPECT_EQ(q.raw("0123456789abcdef").value(), raw);
  EXPECT_EQ(q.stats().held_now, 1u);
}

TEST_F(QuarantineTest, OpeningRemovesHoldsACrashLeftInTmp) {
  open();
  std::ofstream(dir_ / "held" / "tmp" / "00000000000000ee") << "half written";
  quarantine_.reset();
  open();
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "held" / "tmp"));
}

TEST_F(QuarantineTest, HoldsFromManyThreadsAtOnce) {
  Quarantine& q = open();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 10; ++n) {
        char id[17];
        std::snprintf(id, sizeof id, "%016x", t * 100 + n);
        if (!q.hold(id, "message " + std::string(id), verdict(), envelope())) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(q.stats().held_now, 40u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_ / "held" / "new"), {}), 40);
  const Result<std::string> one = q.raw("0000000000000067");  // thread 1, message 3: 103 = 0x67
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(*one, "message 0000000000000067");
}

TEST_F(QuarantineTest, AFailedHoldLeavesNothingBehind) {
  Quarantine& q = open();
  ASSERT_TRUE(q.hold("00000000000000aa", "first", verdict(), envelope()));
  // The same id again: refused, the first copy untouched.
  EXPECT_FALSE(q.hold("00000000000000aa", "second", verdict(), envelope()));
  EXPECT_EQ(q.raw("00000000000000aa").value(), "first");
  // A file already in new/ under that id (its row lost): never replaced.
  std::ofstream(dir_ / "held" / "new" / "00000000000000bb") << "kept";
  EXPECT_FALSE(q.hold("00000000000000bb", "replacement?", verdict(), envelope()));
  std::ifstream kept(dir_ / "held" / "new" / "00000000000000bb");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}), "kept");
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "held" / "tmp"));
  EXPECT_EQ(q.stats().hold_failures, 2u);
  // Neither is the disk's fault: holds go on.
  EXPECT_EQ(q.failure(), "");
  EXPECT_TRUE(q.hold("00000000000000cc", "third", verdict(), envelope()));
}

// A row that cannot be committed takes its file with it, and the failure is sticky: the store is
// broken, later holds fail at once (the milter temp-fails) until vigie restarts.
TEST_F(QuarantineTest, AFailedCommitUndoesTheFileAndStopsHolding) {
  Quarantine& q = open();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "events.db").c_str(), &db), SQLITE_OK);
  // A trigger stands in for a failing disk: every insert into the quarantine fails after the file
  // was written and renamed.
  ASSERT_EQ(sqlite3_exec(db, "CREATE TRIGGER broken BEFORE INSERT ON quarantine BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
                         nullptr, nullptr, nullptr), SQLITE_OK);
  const Result<void> held = q.hold("00000000000000dd", "bytes", verdict(), envelope());
  ASSERT_FALSE(held);
  EXPECT_NE(held.error().message.find("disk I/O error"), std::string::npos) << held.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "held" / "new" / "00000000000000dd"));
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "held" / "tmp"));
  EXPECT_NE(q.failure().find("disk I/O error"), std::string::npos);
  ASSERT_EQ(sqlite3_exec(db, "DROP TRIGGER broken", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  const Result<void> after = q.hold("00000000000000de", "bytes", verdict(), envelope());
  ASSERT_FALSE(after);
  EXPECT_NE(after.error().message.find("until vigie restarts"), std::string::npos) << after.error().message;
  EXPECT_EQ(q.stats().hold_failures, 2u);
}

TEST_F(QuarantineTest, IdsThatAreNotSixteenHexDigitsAreRefused) {
  Quarantine& q = open();
  for (const std::string bad : {"../../etc/passwd", "0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0",
                                "0123456789abcdeg", "", "../new/01234567", "0123456789abcd\n"}) {
    EXPECT_FALSE(valid_message_id(bad)) << bad;
    EXPECT_FALSE(q.hold(bad, "x", verdict(), envelope())) << bad;
    EXPECT_FALSE(q.show(bad)) << bad;
    EXPECT_FALSE(q.raw(bad)) << bad;
    EXPECT_FALSE(q.release(bad, "t")) << bad;
    EXPECT_FALSE(q.remove(bad, "t")) << bad;
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "held" / "new"));
  EXPECT_TRUE(valid_message_id("0123456789abcdef"));
}

TEST_F(QuarantineTest, ReleaseDeliversTheBytesUnchangedWithTheOriginalEnvelope) {
  SmtpSink sink;
  Quarantine& q = open(sink.port());
  ASSERT_TRUE(q.hold("00000000000000c1", kAwkwardMessage, verdict(), envelope()));
  const Result<void> released = q.release("00000000000000c1", "analyst");
  ASSERT_TRUE(released) << released.error().message;
  const SmtpSink::Received got = sink.received();
  EXPECT_TRUE(got.complete);
  EXPECT_EQ(got.mail_from, "attacker@example.net");
  EXPECT_EQ(got.recipients, envelope().recipients);
  EXPECT_EQ(got.data, kAwkwardMessage);
  auto row = q.show("00000000000000c1");
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->state, store::HeldState::kReleased);
  EXPECT_EQ((*row)->changed_by, "analyst");
  EXPECT_EQ(q.stats().releases, 1u);
  EXPECT_EQ(q.stats().held_now, 0u);
  // Once only.
  EXPECT_FALSE(q.release("00000000000000c1", "analyst"));
}

TEST_F(QuarantineTest, AReleaseTheRelayRefusesKeepsTheMessageHeld) {
  {
    SmtpSink refusing("550 5.1.1 no such user");
    Quarantine& q = open(refusing.port());
    ASSERT_TRUE(q.hold("00000000000000d1", "Subject: x\r\n\r\ny\r\n", verdict(), envelope()));
    const Result<void> released = q.release("00000000000000d1", "analyst");
    ASSERT_FALSE(released);
    EXPECT_NE(released.error().message.find("550"), std::string::npos) << released.error().message;
    (void)refusing.received();
  }
  auto row = quarantine_->show("00000000000000d1");
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->state, store::HeldState::kHeld);
  EXPECT_NE((*row)->last_error.find("550"), std::string::npos) << (*row)->last_error;
  EXPECT_EQ(quarantine_->stats().release_failures, 1u);

  // Nobody listening: refused as well, still held, the file still there.
  QuarantineOptions o;
  o.maildir = (dir_ / "held").string();
  o.release = {"127.0.0.1", 1, std::chrono::milliseconds(2000)};
  auto unreachable = Quarantine::open(o, *rows_);
  ASSERT_TRUE(unreachable);
  EXPECT_FALSE((*unreachable)->release("00000000000000d1", "analyst"));
  EXPECT_EQ((*unreachable)->show("00000000000000d1").value().value().state, store::HeldState::kHeld);
  EXPECT_EQ((*unreachable)->raw("00000000000000d1").value(), "Subject: x\r\n\r\ny\r\n");
}

TEST_F(QuarantineTest, DeleteRemovesTheFileAndKeepsTheDecision) {
  Quarantine& q = open();
  ASSERT_TRUE(q.hold("00000000000000e1", "bytes", verdict(), envelope()));
  ASSERT_TRUE(q.remove("00000000000000e1", "analyst"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "held" / "new" / "00000000000000e1"));
  auto row = q.show("00000000000000e1");
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->state, store::HeldState::kDeleted);
  EXPECT_FALSE(q.raw("00000000000000e1"));
  EXPECT_FALSE(q.remove("00000000000000e1", "analyst"));
  EXPECT_FALSE(q.release("00000000000000e1", "analyst"));
}

TEST_F(QuarantineTest, RawRefusesAFileThatChanged) {
  Quarantine& q = open();
  ASSERT_TRUE(q.hold("00000000000000f1", "original", verdict(), envelope()));
  std::ofstream(dir_ / "held" / "new" / "00000000000000f1", std::ios::trunc) << "tampered";
  const Result<std::string> raw = q.raw("00000000000000f1");
  ASSERT_FALSE(raw);
  EXPECT_NE(raw.error().message.find("SHA-256"), std::string::npos);
}

TEST_F(QuarantineTest, RetentionDeletesOldCopies) {
  Quarantine& q = open(1, 10);
  ASSERT_TRUE(q.hold("0000000000000a01", "new one", verdict(), envelope()));
  // An old row (stored 20 days ago) with its file.
  store::HeldMessage old;
  old.id = "0000000000000a02";
  old.path = (dir_ / "held" / "new" / old.id).string();
  std::ofstream(old.path) << "old";
  old.stored_at = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() -
                  20 * 86400;
  ASSERT_TRUE(rows_->insert_held(old));
  EXPECT_EQ(q.expire().value(), 1u);
  EXPECT_FALSE(std::filesystem::exists(old.path));
  EXPECT_EQ(q.show(old.id).value().value().state, store::HeldState::kDeleted);
  EXPECT_EQ(q.show(old.id).value().value().changed_by, "retention");
  EXPECT_EQ(q.show("0000000000000a01").value().value().state, store::HeldState::kHeld);
}

TEST(SmtpRelayTest, StuffsOnlyTheDotsLibcurlLeaves) {
  EXPECT_EQ(stuff_after_bare_lf("a\n.b"), "a\n..b");
  EXPECT_EQ(stuff_after_bare_lf("a\r\n.b"), "a\r\n.b");  // libcurl's
  EXPECT_EQ(stuff_after_bare_lf(".b"), ".b");            // libcurl's too
  EXPECT_EQ(stuff_after_bare_lf("a\n.\n"), "a\n..\n");
  EXPECT_EQ(stuff_after_bare_lf("a\nb\n"), "a\nb\n");
}

}  // namespace
}  // namespace vigie::service

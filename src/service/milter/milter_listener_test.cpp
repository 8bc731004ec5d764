// The milter listener over loopback with the example ministry profile: an MTA's conversation on
// a real socket, the verdicts turned into replies, and a stop that answers the message in flight.
#include "service/milter/milter_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "service/milter/milter_decision.h"
#include "service/milter/milter_test_client.h"
#include "service/serve/serve_test_support.h"
#include "vigie/config.h"

namespace vigie::service::milter {
namespace {

const std::string kSource = VIGIE_SOURCE_DIR;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// One MTA connection: sends bytes, reads replies up to the final one of a message.
class MtaConnection {
 public:
  explicit MtaConnection(std::uint16_t port, std::chrono::seconds reply_timeout = std::chrono::seconds(30)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    const timeval timeout{static_cast<time_t>(reply_timeout.count()), 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~MtaConnection() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  // The replies up to and including the first of `until` (or the connection's end).
  std::vector<Packet> replies(bool (*until)(char)) {
    std::vector<Packet> out;
    Packet packet;
    for (;;) {
      while (reader_.next(packet) == PacketReader::Status::kPacket) {
        out.push_back(packet);
        if (until(packet.command)) return out;
      }
      char buffer[65536];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        closed_ = true;
        return out;
      }
      reader_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
  }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  PacketReader reader_;
};

bool is_negotiation(char c) { return c == reply::kOptionNegotiation; }

class MilterListenerTest : public ::testing::Test {
 protected:
  void start(MilterPolicy policy = {}, HoldInQuarantine hold = nullptr) {
    auto holder = service::test::example_engines();
    ASSERT_TRUE(holder) << holder.error().message;
    holder_ = std::move(*holder);
    log_ = std::make_unique<service::test::CapturedLog>();
    context_ = std::make_unique<ServeContext>(ServeContext{*holder_, metrics_, log_->log()});
    policy_ = std::move(policy);
    hold_ = std::move(hold);
    ListenerOptions options;
    options.port = 0;
    options.max_message_bytes = 1 << 22;
    options.max_connections = 4;
    listener_ = std::make_unique<MilterListener>(options, [this](ReceivedMessage& m) {
      return decide_message(*context_, policy_, hold_, m);
    });
    Result<std::uint16_t> port = listener_->start();
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
  }
  void TearDown() override {
    if (listener_) {
      EXPECT_TRUE(listener_->stop(std::chrono::seconds(30)));
    }
  }
  // Negotiates on a new connection and sends one message file; returns the replies to it.
  std::vector<Packet> exchange(MtaConnection& mta, const std::string& path, bool first = true) {
    if (first) {
      mta.send(test::negotiation());
      EXPECT_EQ(mta.replies(is_negotiation).size(), 1u);
    }
    mta.send(test::message_packets(test::from_file_bytes(read_file(path)), first));
    return mta.replies(test::is_final_reply);
  }
  std::string log_text() { return log_->text(); }

  std::unique_ptr<EngineHolder> holder_;
  ServiceMetrics metrics_;
  std::unique_ptr<service::test::CapturedLog> log_;
  std::unique_ptr<ServeContext> context_;
  MilterPolicy policy_;
  HoldInQuarantine hold_;
  std::unique_ptr<MilterListener> listener_;
  std::uint16_t port_ = 0;
};

const std::string kBenign = kSource + "/examples/benign.eml";
const std::string kWeapon = kSource + "/tests/golden/messages/lnk-powershell-encoded.eml";  // reject
const std::string kQuarantined = kSource + "/tests/golden/messages/office-doc-autoopen.eml";

std::string header_value(const std::vector<Packet>& replies, std::string_view name) {
  for (const Packet& p : replies) {
    if (p.command != reply::kInsertHeader && p.command != reply::kAddHeader) continue;
    const std::string_view data = p.command == reply::kInsertHeader ? std::string_view(p.data).substr(4) : p.data;
    const auto strings = split_strings(data);
    if (strings && strings->size() == 2 && (*strings)[0] == name) return std::string((*strings)[1]);
  }
  return "";
}

TEST_F(MilterListenerTest, DeliversMarksRejectsAndKeepsTheConnectionForTheNextMessage) {
  start();
  MtaConnection mta(port_);
  ASSERT_TRUE(mta.connected());
  const std::vector<Packet> benign = exchange(mta, kBenign);
  ASSERT_FALSE(benign.empty());
  EXPECT_EQ(benign.back().command, reply::kAccept);
  const std::string id = header_value(benign, "X-Vigie-Id");
  EXPECT_EQ(id.size(), 17u) << id;  // " " + 16 hex digits
  EXPECT_EQ(header_value(benign, "X-Vigie-Action"), " accept");

  const std::vector<Packet> weapon = exchange(mta, kWeapon, false);
  ASSERT_EQ(weapon.size(), 1u);
  EXPECT_EQ(weapon[0].command, reply::kReplyCode);
  EXPECT_EQ(weapon[0].data.substr(0, 10), "550 5.7.1 ");
  EXPECT_NE(weapon[0].data.find("ref vigie-"), std::string::npos) << weapon[0].data;
  EXPECT_EQ(metrics_.messages(), 2u);
  // The log line of each message carries the listener and the MTA's queue id.
  const std::string log = log_text();
  EXPECT_NE(log.find("\"listener\":\"milter\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"queue_id\":\"4ABCDEF123\""), std::string::npos) << log;
  EXPECT_NE(log.find(id.substr(1)), std::string::npos) << log;
}

TEST_F(MilterListenerTest, AQuarantinedMessageIsStoredBeforeTheMtaDiscardsIt) {
  std::string stored_raw;
  start({}, [&](const std::string&, const std::string& raw, const ScanResult&, const Envelope&) -> Result<void> {
    stored_raw = raw;
    return {};
  });
  MtaConnection mta(port_);
  const std::vector<Packet> replies = exchange(mta, kQuarantined);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].command, reply::kDiscard);
  // What was stored is the message as the MTA passed it.
  const test::TestMessage sent = test::from_file_bytes(read_file(kQuarantined));
  EXPECT_EQ(stored_raw.size() > sent.body.size(), true);
  EXPECT_EQ(stored_raw.substr(stored_raw.size() - sent.body.size()), sent.body);
}

TEST_F(MilterListenerTest, AQuarantineThatCannotStoreLeavesTheMessageInTheMtasHoldQueue) {
  start({}, [](const std::string&, const std::string&, const ScanResult&, const Envelope&) -> Result<void> {
    return fail(Error::io("disk full"));
  });
  MtaConnection mta(port_);
  const std::vector<Packet> replies = exchange(mta, kQuarantined);
  ASSERT_GE(replies.size(), 2u);
  EXPECT_EQ(replies[replies.size() - 2].command, reply::kQuarantine);
  EXPECT_EQ(replies.back().command, reply::kAccept);
  EXPECT_NE(log_text().find("\"event\":\"quarantine_failed\""), std::string::npos);
}

TEST_F(MilterListenerTest, StopClosesIdleConnectionsAndAnswersTheMessageInFlight) {
  start();
  MtaConnection idle(port_);
  idle.send(test::negotiation());
  ASSERT_EQ(idle.replies(is_negotiation).size(), 1u);

  MtaConnection busy(port_);
  busy.send(test::negotiation());
  ASSERT_EQ(busy.replies(is_negotiation).size(), 1u);
  const std::string packets = test::message_packets(test::from_file_bytes(read_file(kBenign)));
  const std::size_t half = packets.size() / 2;
  busy.send(std::string_view(packets).substr(0, half));
  // Let the listener read the first half, so the message is in flight when the stop comes.
  for (int i = 0; i < 1000 && listener_->messages_in_flight() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(listener_->messages_in_flight(), 1u);
  auto stopped = std::async(std::launch::async, [&] { return listener_->stop(std::chrono::seconds(20)); });
  // The idle connection is closed without a word.
  EXPECT_TRUE(idle.replies(test::is_final_reply).empty());
  EXPECT_TRUE(idle.closed());
  // New connections are refused. The port is no longer ours: another process may bind it, or the
  // connection may meet itself (TCP simultaneous open when the kernel picks the same port as the
  // source), so a silent peer is waited for briefly and counts as no answer.
  MtaConnection late(port_, std::chrono::seconds(2));
  EXPECT_FALSE(late.connected() && !late.replies(test::is_final_reply).empty());
  // The message in flight is finished and answered.
  busy.send(std::string_view(packets).substr(half));
  const std::vector<Packet> replies = busy.replies(test::is_final_reply);
  ASSERT_FALSE(replies.empty());
  EXPECT_EQ(replies.back().command, reply::kAccept);
  EXPECT_TRUE(stopped.get());
  EXPECT_EQ(listener_->messages_in_flight(), 0u);
  listener_.reset();
}

}  // namespace
}  // namespace vigie::service::milter

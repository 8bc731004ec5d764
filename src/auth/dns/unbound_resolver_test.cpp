// UnboundResolver without an outside server: option errors, name checks, and lookups against small
// UDP servers run by the test itself on 127.0.0.1 — one that answers from a table (answers, NXDOMAIN,
// NODATA, the TTL cache) and one that never answers (timeouts, retries, cancellation under load).
// The end-to-end test (tests/auth_e2e) runs the real unbound server.
#include "auth/dns/unbound_resolver.h"

#include "auth/dns/circuit_breaker.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <thread>

namespace vigie::auth::dns {
namespace {

using namespace std::chrono_literals;
using Bytes = std::vector<std::uint8_t>;

TEST(UnboundResolverTest, ConfigurationErrorsAreResults) {
  UnboundOptions bad_server;
  bad_server.servers = {"127.0.0.1", "not-an-ip"};
  auto r1 = UnboundResolver::create(bad_server);
  ASSERT_FALSE(r1);
  EXPECT_NE(r1.error().message.find("DNS server 'not-an-ip'"), std::string::npos);

  UnboundOptions no_resolv_conf;
  no_resolv_conf.resolv_conf = "/nonexistent/resolv.conf";
  auto r2 = UnboundResolver::create(no_resolv_conf);
  ASSERT_FALSE(r2);
  EXPECT_NE(r2.error().message.find("/nonexistent/resolv.conf"), std::string::npos)
      << r2.error().message;

  UnboundOptions no_anchor;
  no_anchor.servers = {"127.0.0.1"};
  no_anchor.trust_anchor_file = "/nonexistent/root.key";
  auto r3 = UnboundResolver::create(no_anchor);
  ASSERT_FALSE(r3);
  EXPECT_NE(r3.error().message.find("/nonexistent/root.key"), std::string::npos);

  UnboundOptions zero_timeout;
  zero_timeout.timeout = 0ms;
  EXPECT_FALSE(UnboundResolver::create(zero_timeout));
}

// A UDP socket on 127.0.0.1 with an ephemeral port, served by a thread until destruction. With no
// table it never answers; with one it answers A/TXT/MX/CNAME questions from it.
class TestServer {
 public:
  struct Entry {
    int rcode = 0;
    std::uint16_t type = 0;
    std::vector<Bytes> rdatas;
  };
  // key: "name/TYPE-code", name lowercase without the trailing dot.
  using Table = std::map<std::string, Entry>;

  explicit TestServer(std::optional<Table> table = std::nullopt) : table_(std::move(table)) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("test server: cannot bind 127.0.0.1");
    }
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TestServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int queries() const { return queries_.load(); }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      std::uint8_t buffer[1500];
      sockaddr_in from{};
      socklen_t from_length = sizeof from;
      const ssize_t n = ::recvfrom(fd_, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from),
                                   &from_length);
      if (n < 12) continue;
      ++queries_;
      if (!table_) continue;
      // Question: name labels from byte 12, then type and class.
      std::size_t at = 12;
      std::string name;
      while (at < static_cast<std::size_t>(n) && buffer[at] != 0) {
        const std::size_t len = buffer[at];
        if (!name.empty()) name += '.';
        for (std::size_t i = 1; i <= len && at + i < static_cast<std::size_t>(n); ++i) {
          name += static_cast<char>(std::tolower(buffer[at + i]));
        }
        at += len + 1;
      }
      if (at + 5 > static_cast<std::size_t>(n)) continue;
      const std::uint16_t qtype = static_cast<std::uint16_t>(buffer[at + 1] << 8 | buffer[at + 2]);
      const std::size_t question_end = at + 5;
      Bytes reply(buffer, buffer + question_end);
      reply[2] = 0x81;  // QR, RD
      reply[3] = 0x80;  // RA, RCODE filled below
      reply[6] = reply[7] = reply[8] = reply[9] = reply[10] = reply[11] = 0;
      const auto found = table_->find(name + "/" + std::to_string(qtype));
      const bool name_known = std::any_of(table_->begin(), table_->end(), [&](const auto& e) {
        return e.first.substr(0, e.first.find('/')) == name;
      });
      if (found == table_->end()) {
        reply[3] |= name_known ? 0 : 3;
      } else {
        reply[3] |= static_cast<std::uint8_t>(found->second.rcode);
        reply[7] = static_cast<std::uint8_t>(found->second.rdatas.size());
        for (const Bytes& rdata : found->second.rdatas) {
          const std::uint16_t type = found->second.type ? found->second.type : qtype;
          const Bytes rr = {0xc0, 0x0c, static_cast<std::uint8_t>(type >> 8),
                            static_cast<std::uint8_t>(type), 0, 1, 0, 0, 0x0e, 0x10,  // TTL 3600
                            static_cast<std::uint8_t>(rdata.size() >> 8),
                            static_cast<std::uint8_t>(rdata.size())};
          reply.insert(reply.end(), rr.begin(), rr.end());
          reply.insert(reply.end(), rdata.begin(), rdata.end());
        }
      }
      ::sendto(fd_, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), from_length);
    }
  }

  std::optional<Table> table_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> queries_{0};
  std::thread thread_;
};

std::unique_ptr<UnboundResolver> make_resolver(const std::string& server,
                                               std::chrono::milliseconds timeout,
                                               unsigned retries) {
  UnboundOptions options;
  options.servers = {server};
  options.timeout = timeout;
  options.retries = retries;
  auto created = UnboundResolver::create(options);
  if (!created) ADD_FAILURE() << created.error().message;
  return created ? std::move(*created) : nullptr;
}

double elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

TEST(UnboundResolverTest, NamesThatCannotBeQueriedAreNxDomainWithoutAsking) {
  TestServer silent;
  auto resolver = make_resolver(silent.address(), 2000ms, 0);
  ASSERT_TRUE(resolver);
  const auto start = std::chrono::steady_clock::now();
  for (std::string name : {std::string(""), std::string("."), std::string("a..example"),
                           std::string(".example"), std::string(64, 'a') + ".example",
                           std::string("nul\0byte.example", 16), std::string("bad\\9.example"),
                           std::string("bad\\999.example")}) {
    EXPECT_EQ(resolver->lookup(name, RecordType::kA).status, DnsStatus::kNxDomain) << name;
  }
  std::string too_long;
  for (int i = 0; i < 5; ++i) too_long += std::string(60, 'a') + ".";
  EXPECT_EQ(resolver->lookup(too_long, RecordType::kTxt).status, DnsStatus::kNxDomain);
  EXPECT_LT(elapsed_ms(start), 500.0);
  EXPECT_EQ(silent.queries(), 0);
}

TEST(UnboundResolverTest, SilentServerTimesOutAfterTheRetry) {
  TestServer silent;
  auto resolver = make_resolver(silent.address(), 200ms, 1);
  ASSERT_TRUE(resolver);
  const auto start = std::chrono::steady_clock::now();
  const DnsAnswer answer = resolver->lookup("example.test", RecordType::kTxt);
  const double ms = elapsed_ms(start);
  EXPECT_EQ(answer.status, DnsStatus::kTempError);
  EXPECT_EQ(answer.detail, "timeout");
  EXPECT_TRUE(answer.timed_out);
  EXPECT_GE(ms, 390.0);   // two attempts of 200 ms
  EXPECT_LT(ms, 5000.0);  // generous: a loaded machine (or valgrind) is slow, never unbounded
  // The loopback forwarder was really asked (libunbound's thread may send after our deadline
  // when the machine is slow, hence the bounded wait).
  for (int i = 0; i < 200 && silent.queries() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_GE(silent.queries(), 1);
  // A deadline already past: no attempt at all.
  const DnsAnswer late = resolver->lookup_before("example.test", RecordType::kA,
                                                 std::chrono::steady_clock::now() - 1ms);
  EXPECT_EQ(late.status, DnsStatus::kTempError);
}

TEST(UnboundResolverTest, ManyConcurrentLookupsAllEndByTheirDeadline) {
  TestServer silent;
  auto resolver = make_resolver(silent.address(), 150ms, 0);
  ASSERT_TRUE(resolver);
  std::atomic<int> timeouts{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < 8; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < 4; ++i) {
        const std::string name = "n" + std::to_string(t) + "-" + std::to_string(i) + ".example";
        if (resolver->lookup(name, RecordType::kA).status == DnsStatus::kTempError) ++timeouts;
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(timeouts.load(), 32);
  // 8 threads in parallel, 4 lookups each of 150 ms: about 600 ms; one after the other, 4.8 s.
  EXPECT_LT(elapsed_ms(start), 3000.0);
  resolver.reset();  // cancelled queries are freed with the context (ASan/LSan builds check it)
}

Bytes txt(std::initializer_list<std::string_view> strings) {
  Bytes out;
  for (std::string_view s : strings) {
    out.push_back(static_cast<std::uint8_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  return out;
}

TEST(UnboundResolverTest, AnswersFromAServerAndCachesThem) {
  TestServer::Table table;
  table["mail.example/1"] = {0, 0, {{192, 0, 2, 25}, {192, 0, 2, 26}}};
  table["example/16"] = {0, 0, {txt({"v=spf1 ", "a:mail.example -all"})}};
  table["example/15"] = {0, 0, {{0, 10, 4, 'M', 'a', 'i', 'l', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0}}};
  table["broken/15"] = {0, 0, {{0, 10, 9, 'x'}}};  // exchange name cut short
  table["refused/1"] = {5, 0, {}};
  TestServer server(table);
  auto resolver = make_resolver(server.address(), 2000ms, 0);
  ASSERT_TRUE(resolver);

  const DnsAnswer a = resolver->lookup("MAIL.Example.", RecordType::kA);
  ASSERT_EQ(a.status, DnsStatus::kRecords) << a.detail;
  ASSERT_EQ(a.records.size(), 2u);
  EXPECT_EQ(a.records[0].address.to_string(), "192.0.2.25");
  EXPECT_EQ(a.records[1].address.to_string(), "192.0.2.26");
  // The server's TTL (3600), or what libunbound's cache has left of it.
  EXPECT_GT(a.ttl, 3500u);
  EXPECT_LE(a.ttl, 3600u);

  const DnsAnswer spf = resolver->lookup("example", RecordType::kTxt);
  ASSERT_EQ(spf.status, DnsStatus::kRecords) << spf.detail;
  EXPECT_EQ(spf.records[0].strings, (std::vector<std::string>{"v=spf1 ", "a:mail.example -all"}));

  const DnsAnswer mx = resolver->lookup("example", RecordType::kMx);
  ASSERT_EQ(mx.status, DnsStatus::kRecords) << mx.detail;
  EXPECT_EQ(mx.records[0].preference, 10);
  EXPECT_EQ(mx.records[0].name, "mail.example");

  EXPECT_EQ(resolver->lookup("mail.example", RecordType::kTxt).status, DnsStatus::kNoData);
  EXPECT_EQ(resolver->lookup("nowhere.example", RecordType::kA).status, DnsStatus::kNxDomain);
  const DnsAnswer refused = resolver->lookup("refused", RecordType::kA);
  EXPECT_EQ(refused.status, DnsStatus::kTempError);
  EXPECT_FALSE(refused.timed_out);  // a quick REFUSED cost no wait
  EXPECT_EQ(refused.ttl, 0u);
  // A malformed record never becomes data; unbound itself may already drop the reply.
  EXPECT_EQ(resolver->lookup("broken", RecordType::kMx).status, DnsStatus::kTempError);

  // Asked again: from the cache, no new query reaches the server.
  const int asked = server.queries();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(resolver->lookup("mail.example", RecordType::kA).status, DnsStatus::kRecords);
  }
  const double per_lookup_us = elapsed_ms(start) * 1000.0 / 100;
  EXPECT_EQ(server.queries(), asked);
  std::printf("cached lookup: %.1f us\n", per_lookup_us);
}

// The health check asks for the root zone's name servers: a server that knows them answers, one
// that answers NXDOMAIN for everything (a stub resolver without network) is broken, a silent one
// is unreachable within the deadline.
TEST(UnboundResolverTest, HealthCheckTellsAnsweringBrokenAndUnreachable) {
  TestServer::Table with_root;
  // ". NS a.root-servers.test.": the NS rdata is a name in wire form.
  with_root["/2"] = {0, 0, {{1, 'a', 12, 'r', 'o', 'o', 't', '-', 's', 'e', 'r', 'v', 'e', 'r', 's',
                             4, 't', 'e', 's', 't', 0}}};
  TestServer answering(with_root);
  TestServer nxdomain_for_all(TestServer::Table{});
  TestServer silent;
  const auto deadline = [] { return std::chrono::steady_clock::now() + 300ms; };

  auto good = make_resolver(answering.address(), 2000ms, 0);
  ASSERT_TRUE(good);
  const HealthReport ok = good->check_health(deadline());
  EXPECT_EQ(ok.health, DnsHealth::kAnswering) << ok.detail;
  EXPECT_EQ(answering.queries(), 1);

  auto stub = make_resolver(nxdomain_for_all.address(), 2000ms, 0);
  ASSERT_TRUE(stub);
  const HealthReport broken = stub->check_health(deadline());
  EXPECT_EQ(broken.health, DnsHealth::kBroken);
  EXPECT_EQ(broken.detail, "the lookup of the root zone's name servers (. NS) answered NXDOMAIN");

  auto unreachable = make_resolver(silent.address(), 2000ms, 1);
  ASSERT_TRUE(unreachable);
  const auto start = std::chrono::steady_clock::now();
  const HealthReport down = unreachable->check_health(deadline());
  EXPECT_EQ(down.health, DnsHealth::kUnreachable);
  EXPECT_EQ(down.detail, "the lookup of the root zone's name servers (. NS) failed: timeout");
  EXPECT_GE(elapsed_ms(start), 290.0);  // one attempt, bounded by the deadline, no retry
  EXPECT_LT(elapsed_ms(start), 2000.0);
}

// The outage: with a server that never answers, each message used to wait for every
// lookup's timeout. Behind the breaker, after three timeouts and a failed health check, lookups
// answer temperror at once.
TEST(UnboundResolverTest, BreakerStopsWaitingOnASilentServer) {
  TestServer silent;
  std::shared_ptr<const UnboundResolver> live = make_resolver(silent.address(), 150ms, 0);
  ASSERT_TRUE(live);
  CircuitBreakerOptions options;
  options.check_timeout = 150ms;
  std::atomic<int> opened{0};
  CircuitBreakerResolver breaker(
      live, [live](Deadline deadline) { return live->check_health(deadline); }, options,
      [&](const CircuitBreakerResolver::Change& change) { opened += change.open ? 1 : 0; });
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(breaker.lookup("m" + std::to_string(i) + ".example", RecordType::kTxt).timed_out);
  }
  // The fourth pays for the health check (150 ms) instead of its own lookup; the rest nothing.
  for (int i = 0; i < 200; ++i) {
    const DnsAnswer answer = breaker.lookup("n" + std::to_string(i) + ".example", RecordType::kTxt);
    ASSERT_EQ(answer.status, DnsStatus::kTempError);
    ASSERT_TRUE(answer.detail.starts_with("DNS unavailable")) << answer.detail;
  }
  const double ms = elapsed_ms(start);
  EXPECT_GE(ms, 4 * 140.0);
  EXPECT_LT(ms, 3000.0);  // 204 lookups of 150 ms each would take 30 s
  EXPECT_TRUE(breaker.is_open());
  EXPECT_EQ(opened.load(), 1);
}

}  // namespace
}  // namespace vigie::auth::dns

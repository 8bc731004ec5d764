// CircuitBreakerResolver with a scripted resolver, a scripted health check and a clock moved by
// hand: when it opens (and when it must not), what an open breaker answers, the half-open retry and
// its backoff, and what the observer hears. unbound_resolver_test.cpp runs it over a real
// libunbound context and a silent server on 127.0.0.1.
#include "auth/dns/circuit_breaker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace vigie::auth::dns {
namespace {

using namespace std::chrono_literals;
using TimePoint = std::chrono::steady_clock::time_point;

// Answers from a script: names starting with "slow" time out, the others have no data.
class ScriptedResolver final : public Resolver {
 public:
  DnsAnswer lookup(std::string_view name, RecordType type) const override {
    return lookup_before(name, type, {});
  }
  DnsAnswer lookup_before(std::string_view name, RecordType, Deadline) const override {
    ++lookups;
    if (all_time_out || name.starts_with("slow")) return DnsAnswer::timeout();
    return DnsAnswer::no_data();
  }
  mutable std::atomic<unsigned> lookups{0};
  std::atomic<bool> all_time_out{false};
};

struct Harness {
  std::shared_ptr<ScriptedResolver> resolver = std::make_shared<ScriptedResolver>();
  HealthReport health{DnsHealth::kAnswering, "answered"};
  unsigned checks = 0;
  TimePoint now{};
  std::vector<CircuitBreakerResolver::Change> changes;
  CircuitBreakerResolver breaker;

  explicit Harness(CircuitBreakerOptions options = {})
      : breaker(
            resolver,
            [this](Deadline) {
              ++checks;
              return health;
            },
            options, [this](const CircuitBreakerResolver::Change& c) { changes.push_back(c); },
            [this] { return now; }) {}

  DnsAnswer ask(std::string_view name) {
    return breaker.lookup_before(name, RecordType::kTxt, std::chrono::steady_clock::now() + 1s);
  }
};

TEST(CircuitBreakerTest, OpensAfterConsecutiveTimeoutsWhenTheHealthCheckFails) {
  Harness h;
  h.health = {DnsHealth::kUnreachable,
              "the lookup of the root zone's name servers (. NS) failed: timeout"};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(h.ask("a.example").status == DnsStatus::kNoData);
  h.resolver->all_time_out = true;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(h.ask("a.example").timed_out);
  EXPECT_EQ(h.checks, 0u);  // three timeouts alone prove nothing yet
  EXPECT_FALSE(h.breaker.is_open());
  // The fourth lookup checks DNS first, finds it gone and does not wait on its own query.
  const DnsAnswer fourth = h.ask("a.example");
  EXPECT_EQ(h.checks, 1u);
  EXPECT_EQ(fourth.status, DnsStatus::kTempError);
  EXPECT_FALSE(fourth.timed_out);
  EXPECT_TRUE(
      fourth.detail.starts_with("DNS unavailable: the lookup of the root zone's name "
                                "servers (. NS) failed: timeout"))
      << fourth.detail;
  EXPECT_TRUE(h.breaker.is_open());
  EXPECT_EQ(h.resolver->lookups, 6u);
  // Open: every lookup answers at once, without reaching the resolver or the health check.
  for (int i = 0; i < 100; ++i) EXPECT_EQ(h.ask("b.example").status, DnsStatus::kTempError);
  EXPECT_EQ(h.resolver->lookups, 6u);
  EXPECT_EQ(h.checks, 1u);
  ASSERT_EQ(h.changes.size(), 1u);  // one warning for the outage
  EXPECT_TRUE(h.changes[0].open);
  EXPECT_EQ(h.changes[0].consecutive_timeouts, 3u);
  EXPECT_EQ(h.changes[0].retry_in, 30s);
  EXPECT_EQ(h.changes[0].report.health, DnsHealth::kUnreachable);
}

// Timeouts on a sender's silent DNS servers while the resolver answers must not switch
// authentication off for every other message.
TEST(CircuitBreakerTest, OneDomainsSilentServersDoNotOpenIt) {
  Harness h;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(h.ask("slow.attacker.example").timed_out);
  }
  EXPECT_FALSE(h.breaker.is_open());
  EXPECT_EQ(h.checks, 4u);  // after each run of three, before the next lookup
  EXPECT_TRUE(h.changes.empty());
  EXPECT_EQ(h.resolver->lookups, 15u);  // every lookup was asked
}

TEST(CircuitBreakerTest, AnAnswerResetsTheCount) {
  Harness h;
  for (int round = 0; round < 5; ++round) {
    EXPECT_TRUE(h.ask("slow.example").timed_out);
    EXPECT_TRUE(h.ask("slow.example").timed_out);
    EXPECT_EQ(h.ask("fine.example").status, DnsStatus::kNoData);
  }
  EXPECT_EQ(h.checks, 0u);
}

TEST(CircuitBreakerTest, RetriesAfterTheIntervalBackingOffUntilDnsAnswers) {
  CircuitBreakerOptions options;
  options.open_interval = 10s;
  options.max_open_interval = 25s;
  Harness h(options);
  h.health = {DnsHealth::kUnreachable, "no answer"};
  EXPECT_EQ(h.breaker.check_now().health, DnsHealth::kUnreachable);
  ASSERT_TRUE(h.breaker.is_open());
  const unsigned asked = h.resolver->lookups;

  h.now += 9s;
  EXPECT_EQ(h.ask("a.example").status, DnsStatus::kTempError);
  EXPECT_EQ(h.checks, 1u);
  h.now += 1s;  // half-open: this lookup runs the check, which fails again
  EXPECT_EQ(h.ask("a.example").status, DnsStatus::kTempError);
  EXPECT_EQ(h.checks, 2u);
  h.now += 19s;  // the interval doubled to 20 s
  EXPECT_EQ(h.ask("a.example").status, DnsStatus::kTempError);
  EXPECT_EQ(h.checks, 2u);
  h.now += 1s;
  EXPECT_EQ(h.ask("a.example").status, DnsStatus::kTempError);
  EXPECT_EQ(h.checks, 3u);
  h.now += 25s;  // capped at 25 s, not 40
  h.health = {DnsHealth::kAnswering, "answered"};
  EXPECT_EQ(h.ask("a.example").status, DnsStatus::kNoData);  // closed, then asked
  EXPECT_EQ(h.checks, 4u);
  EXPECT_FALSE(h.breaker.is_open());
  EXPECT_EQ(h.resolver->lookups, asked + 1);
  ASSERT_EQ(h.changes.size(), 2u);  // opened once, closed once: no warning per failed retry
  EXPECT_TRUE(h.changes[0].open);
  EXPECT_FALSE(h.changes[1].open);

  // The next outage starts again from the first interval.
  h.health = {DnsHealth::kUnreachable, "no answer"};
  h.breaker.check_now();
  EXPECT_EQ(h.changes.back().retry_in, 10s);
}

TEST(CircuitBreakerTest, StartUpCheckCatchesABrokenResolver) {
  Harness h;
  h.health = {DnsHealth::kBroken,
              "the lookup of the root zone's name servers (. NS) answered NXDOMAIN"};
  const HealthReport report = h.breaker.check_now();
  EXPECT_EQ(report.health, DnsHealth::kBroken);
  EXPECT_TRUE(h.breaker.is_open());
  // Without the breaker this would read as "no record"; now it says DNS cannot be trusted.
  const DnsAnswer answer = h.ask("_dmarc.example.org");
  EXPECT_EQ(answer.status, DnsStatus::kTempError);
  EXPECT_NE(answer.detail.find("answered NXDOMAIN"), std::string::npos) << answer.detail;
  EXPECT_EQ(h.resolver->lookups, 0u);
  ASSERT_EQ(h.changes.size(), 1u);
  EXPECT_EQ(h.changes[0].report.health, DnsHealth::kBroken);
  EXPECT_EQ(h.changes[0].consecutive_timeouts, 0u);

  Harness healthy;
  EXPECT_EQ(healthy.breaker.check_now().health, DnsHealth::kAnswering);
  EXPECT_FALSE(healthy.breaker.is_open());
  EXPECT_TRUE(healthy.changes.empty());
}

// Many workers during an outage: one health check at a time, every lookup ends, the observer hears
// one change.
TEST(CircuitBreakerTest, ConcurrentLookupsDuringAnOutage) {
  Harness h;
  h.health = {DnsHealth::kUnreachable, "no answer"};
  h.resolver->all_time_out = true;
  std::vector<std::thread> workers;
  std::atomic<unsigned> temperrors{0};
  for (int t = 0; t < 8; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (h.ask("a.example").status == DnsStatus::kTempError) ++temperrors;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(temperrors.load(), 1600u);
  EXPECT_TRUE(h.breaker.is_open());
  EXPECT_EQ(h.changes.size(), 1u);
  EXPECT_LT(h.resolver->lookups.load(), 100u);  // most lookups never reached the resolver
}

}  // namespace
}  // namespace vigie::auth::dns

// SharedKeyCache on its own (TTL, the entry limit, concurrent use) and under KeyCache and the
// authentication stage: a key another message fetched is neither asked for nor decoded again, and
// is still charged to each message's lookup budget.
#include "auth/dkim/shared_key_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "auth/dkim/dkim.h"
#include "auth/dkim/test_support.h"
#include "auth/dns/budgeted_resolver.h"
#include "auth/stage/authenticate.h"

namespace vigie::auth::dkim {
namespace {

using namespace std::chrono_literals;
using testing::add_signature;
using testing::key_record;
using testing::make_zone;
using testing::parse;
using testing::rsa2048;

constexpr std::int64_t kNow = 1700000000;

const std::string kMessage =
    "From: Alice <alice@example.com>\r\n"
    "To: bob@example.net\r\n"
    "Subject: Quarterly report\r\n"
    "\r\n"
    "Hello Bob.\r\n";

// A clock the test moves by hand.
struct ManualClock {
  std::chrono::steady_clock::time_point now{};
  SharedKeyCache::Clock function() {
    return [this] { return now; };
  }
};

std::shared_ptr<const ResolvedKey> some_key() {
  return std::make_shared<const ResolvedKey>(ResolvedKey{KeyRecord{}});
}

TEST(SharedKeyCacheTest, KeepsAnEntryForItsTtlAtMostMaxTtl) {
  ManualClock clock;
  SharedKeyCacheOptions options;
  options.max_ttl = 600s;
  SharedKeyCache cache(options, clock.function());
  const auto key = some_key();
  cache.insert("a._domainkey.example.com", key, 60);
  cache.insert("b._domainkey.example.com", key, 86400);  // capped at 600 s
  cache.insert("c._domainkey.example.com", key, 0);      // not to be reused
  EXPECT_EQ(cache.find("a._domainkey.example.com"), key);
  EXPECT_EQ(cache.find("c._domainkey.example.com"), nullptr);
  clock.now += 59s;
  EXPECT_EQ(cache.find("a._domainkey.example.com"), key);
  clock.now += 1s;
  EXPECT_EQ(cache.find("a._domainkey.example.com"), nullptr);  // expired, and dropped
  EXPECT_EQ(cache.find("b._domainkey.example.com"), key);
  clock.now += 540s;
  EXPECT_EQ(cache.find("b._domainkey.example.com"), nullptr);
  const SharedKeyCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.entries, 0u);
  EXPECT_EQ(stats.hits, 3u);
  EXPECT_EQ(stats.misses, 3u);
}

TEST(SharedKeyCacheTest, EvictsTheLeastRecentlyUsedBeyondMaxEntries) {
  SharedKeyCacheOptions options;
  options.max_entries = 3;
  SharedKeyCache cache(options);
  for (const char* name : {"a", "b", "c"}) cache.insert(name, some_key(), 3600);
  ASSERT_NE(cache.find("a"), nullptr);  // a is now the most recent, b the least
  cache.insert("d", some_key(), 3600);
  EXPECT_EQ(cache.find("b"), nullptr);
  for (const char* name : {"a", "c", "d"}) EXPECT_NE(cache.find(name), nullptr) << name;
  EXPECT_EQ(cache.stats().entries, 3u);
  EXPECT_EQ(cache.stats().evictions, 1u);
  // Inserting a name again replaces its entry rather than adding one.
  const auto fresh = some_key();
  cache.insert("c", fresh, 3600);
  EXPECT_EQ(cache.find("c"), fresh);
  EXPECT_EQ(cache.stats().entries, 3u);

  options.max_entries = 0;
  SharedKeyCache disabled(options);
  disabled.insert("a", some_key(), 3600);
  EXPECT_EQ(disabled.find("a"), nullptr);
}

TEST(SharedKeyCacheTest, ConcurrentUseStaysWithinTheLimit) {
  SharedKeyCacheOptions options;
  options.max_entries = 64;
  SharedKeyCache cache(options);
  std::atomic<unsigned> found{0};
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (unsigned i = 0; i < 2000; ++i) {
        const std::string name = "s" + std::to_string((i * 7 + t) % 200) + "._domainkey.example";
        if (cache.find(name)) {
          ++found;
        } else {
          cache.insert(name, some_key(), 3600);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const SharedKeyCache::Stats stats = cache.stats();
  EXPECT_LE(stats.entries, 64u);
  EXPECT_EQ(stats.hits, found.load());
  EXPECT_EQ(stats.hits + stats.misses, 8u * 2000u);
}

// Counts the lookups that reach the zone, and may give its answers another TTL.
class CountingResolver final : public dns::Resolver {
 public:
  explicit CountingResolver(const dns::Resolver& inner, std::uint32_t ttl = 3600)
      : inner_(inner), ttl_(ttl) {}
  dns::DnsAnswer lookup(std::string_view name, dns::RecordType type) const override {
    ++lookups_;
    if (name.find("._domainkey.") != std::string_view::npos) ++key_lookups_;
    dns::DnsAnswer answer = inner_.lookup(name, type);
    if (answer.status == dns::DnsStatus::kRecords) answer.ttl = ttl_;
    return answer;
  }
  unsigned lookups() const { return lookups_.load(); }
  unsigned key_lookups() const { return key_lookups_.load(); }

 private:
  const dns::Resolver& inner_;
  std::uint32_t ttl_;
  mutable std::atomic<unsigned> lookups_{0};
  mutable std::atomic<unsigned> key_lookups_{0};
};

DkimAuthResult verify_with(const std::string& message, const dns::Resolver& resolver,
                           SharedKeyCache* shared) {
  const auto parsed = parse(message);
  const SignedMessage view(*parsed);
  KeyCache keys(resolver, shared);
  const auto results = verify_dkim(view, keys, kNow);
  EXPECT_EQ(results.size(), 1u);
  return results.empty() ? DkimAuthResult{} : results.front();
}

TEST(SharedKeyCacheTest, SecondMessageNeitherAsksNorDecodesTheKeyAgain) {
  const auto zone = make_zone({{"sel._domainkey.example.com", {key_record(rsa2048())}}});
  const CountingResolver counting(zone);
  SharedKeyCache shared;
  const std::string first = add_signature(kMessage, rsa2048(), {});
  const std::string second = add_signature(kMessage + "P.S.\r\n", rsa2048(), {});
  EXPECT_EQ(verify_with(first, counting, &shared).result, AuthResultCode::kPass);
  EXPECT_EQ(counting.lookups(), 1u);
  const DkimAuthResult again = verify_with(second, counting, &shared);
  EXPECT_EQ(again.result, AuthResultCode::kPass) << again.reason;
  EXPECT_EQ(again.key_bits, 2048u);
  EXPECT_EQ(counting.lookups(), 1u);  // from the shared cache
  EXPECT_EQ(shared.stats().hits, 1u);

  // Without a shared cache every message asks.
  verify_with(second, counting, nullptr);
  EXPECT_EQ(counting.lookups(), 2u);
}

TEST(SharedKeyCacheTest, OnlyAnswersWithRecordsAreKeptAndForTheirTtl) {
  const auto zone = make_zone({{"sel._domainkey.example.com", {key_record(rsa2048())}},
                               {"bad._domainkey.example.com", {{"v=DKIM1; p=QUJDREVG"}}}});
  auto slow = dns::RecordedResolver::from_string("tmo._domainkey.example.com:\n  - TIMEOUT\n");
  ASSERT_TRUE(slow);
  ManualClock clock;
  SharedKeyCache shared({}, clock.function());
  auto signed_by = [&](const std::string& selector) {
    testing::SignSpec spec;
    spec.selector = selector;
    return add_signature(kMessage, rsa2048(), spec);
  };

  // NXDOMAIN: asked again by the next message.
  const CountingResolver counting(zone, 30);
  EXPECT_EQ(verify_with(signed_by("absent"), counting, &shared).failure, DkimFailure::kNoKey);
  EXPECT_EQ(verify_with(signed_by("absent"), counting, &shared).failure, DkimFailure::kNoKey);
  EXPECT_EQ(counting.lookups(), 2u);
  // A temporary error: asked again.
  const CountingResolver timing_out(*slow);
  EXPECT_EQ(verify_with(signed_by("tmo"), timing_out, &shared).result, AuthResultCode::kTempError);
  EXPECT_EQ(verify_with(signed_by("tmo"), timing_out, &shared).result, AuthResultCode::kTempError);
  EXPECT_EQ(timing_out.lookups(), 2u);
  // An unusable record is what the records say: kept, with its reason.
  EXPECT_EQ(verify_with(signed_by("bad"), counting, &shared).failure, DkimFailure::kKeyInvalid);
  const DkimAuthResult bad = verify_with(signed_by("bad"), counting, &shared);
  EXPECT_EQ(bad.failure, DkimFailure::kKeyInvalid);
  EXPECT_NE(bad.reason.find("bad._domainkey.example.com"), std::string::npos) << bad.reason;
  EXPECT_EQ(counting.lookups(), 3u);
  // A key is kept for the answer's TTL (30 s here), then asked for again.
  verify_with(signed_by("sel"), counting, &shared);
  clock.now += 29s;
  verify_with(signed_by("sel"), counting, &shared);
  EXPECT_EQ(counting.lookups(), 4u);
  clock.now += 1s;
  EXPECT_EQ(verify_with(signed_by("sel"), counting, &shared).result, AuthResultCode::kPass);
  EXPECT_EQ(counting.lookups(), 5u);
}

TEST(SharedKeyCacheTest, ACachedKeyStillCostsTheMessageALookup) {
  const auto zone = make_zone({{"sel._domainkey.example.com", {key_record(rsa2048())}}});
  SharedKeyCache shared;
  const std::string message = add_signature(kMessage, rsa2048(), {});
  EXPECT_EQ(verify_with(message, zone, &shared).result, AuthResultCode::kPass);
  ASSERT_EQ(shared.stats().entries, 1u);
  // A message whose budget is spent gets the same temperror as if the cache were cold.
  dns::LookupBudget none;
  none.max_queries = 0;
  const dns::BudgetedResolver spent(zone, none);
  const DkimAuthResult refused = verify_with(message, spent, &shared);
  EXPECT_EQ(refused.result, AuthResultCode::kTempError);
  EXPECT_NE(refused.reason.find("lookup budget exhausted"), std::string::npos) << refused.reason;
  // With budget left the cached key counts as one lookup.
  dns::LookupBudget one;
  one.max_queries = 1;
  const dns::BudgetedResolver budget(zone, one);
  EXPECT_EQ(verify_with(message, budget, &shared).result, AuthResultCode::kPass);
  EXPECT_EQ(budget.queries(), 1u);
}

// The stage shares one cache through its settings: what the engine does for all its workers.
TEST(SharedKeyCacheTest, AuthenticateSharesKeysAcrossMessages) {
  const auto zone = make_zone({{"sel._domainkey.example.com", {key_record(rsa2048())}}});
  const CountingResolver counting(zone);
  const AuthSettings settings;
  ASSERT_NE(settings.key_cache, nullptr);
  Envelope envelope;
  for (int i = 0; i < 3; ++i) {
    const auto parsed = parse(add_signature(kMessage, rsa2048(), {}));
    const AuthResults results = authenticate(*parsed, envelope, &counting, settings);
    ASSERT_EQ(results.dkim.size(), 1u);
    EXPECT_EQ(results.dkim[0].result, AuthResultCode::kPass) << results.dkim[0].reason;
  }
  EXPECT_EQ(counting.key_lookups(), 1u);
  EXPECT_GE(counting.lookups(), 4u);  // DMARC asks for every message
}

}  // namespace
}  // namespace vigie::auth::dkim

#include "auth/dns/budgeted_resolver.h"

#include <gtest/gtest.h>

#include <vector>

#include "auth/dns/recorded_resolver.h"

namespace vigie::auth::dns {
namespace {

using namespace std::chrono_literals;
using TimePoint = std::chrono::steady_clock::time_point;

// Remembers the deadline each lookup was given.
class DeadlineSpy final : public Resolver {
 public:
  DnsAnswer lookup(std::string_view, RecordType) const override { return DnsAnswer::no_data(); }
  DnsAnswer lookup_before(std::string_view, RecordType, Deadline deadline) const override {
    deadlines.push_back(deadline);
    return DnsAnswer::no_data();
  }
  mutable std::vector<Deadline> deadlines;
};

TEST(BudgetedResolverTest, PassesLookupsThroughWithinBudget) {
  auto zone = RecordedResolver::from_string("a.example:\n  - A: 192.0.2.1\n");
  ASSERT_TRUE(zone) << zone.error().message;
  const BudgetedResolver budgeted(*zone, LookupBudget{3, 10s});
  const DnsAnswer a = budgeted.lookup("a.example", RecordType::kA);
  ASSERT_EQ(a.status, DnsStatus::kRecords);
  EXPECT_EQ(a.records.front().address.to_string(), "192.0.2.1");
  EXPECT_EQ(budgeted.lookup("b.example", RecordType::kA).status, DnsStatus::kNxDomain);
  EXPECT_EQ(budgeted.queries(), 2u);
  EXPECT_FALSE(budgeted.exhausted());
}

TEST(BudgetedResolverTest, RefusesLookupsPastTheQueryLimit) {
  auto zone = RecordedResolver::from_string("a.example:\n  - A: 192.0.2.1\n");
  ASSERT_TRUE(zone);
  const BudgetedResolver budgeted(*zone, LookupBudget{2, 10s});
  EXPECT_EQ(budgeted.lookup("a.example", RecordType::kA).status, DnsStatus::kRecords);
  EXPECT_EQ(budgeted.lookup("a.example", RecordType::kA).status, DnsStatus::kRecords);
  const DnsAnswer third = budgeted.lookup("a.example", RecordType::kA);
  EXPECT_EQ(third.status, DnsStatus::kTempError);
  EXPECT_EQ(third.detail, "lookup budget exhausted: more than 2 lookups for this message");
  EXPECT_EQ(third.detail_in_french(), "budget de requêtes épuisé : plus de 2 requêtes pour ce message");
  EXPECT_TRUE(budgeted.exhausted());
  EXPECT_EQ(budgeted.lookup("a.example", RecordType::kA).status, DnsStatus::kTempError);
}

TEST(BudgetedResolverTest, RefusesLookupsPastTheTimeLimit) {
  TimePoint now{};
  DeadlineSpy spy;
  const BudgetedResolver budgeted(spy, LookupBudget{100, 500ms}, [&] { return now; });
  EXPECT_EQ(budgeted.deadline(), TimePoint{} + 500ms);
  now += 499ms;
  EXPECT_EQ(budgeted.lookup("x.example", RecordType::kTxt).status, DnsStatus::kNoData);
  now += 1ms;
  const DnsAnswer late = budgeted.lookup("x.example", RecordType::kTxt);
  EXPECT_EQ(late.status, DnsStatus::kTempError);
  EXPECT_EQ(late.detail, "lookup budget exhausted: 500 ms of lookups for this message");
  EXPECT_EQ(spy.deadlines.size(), 1u);  // the late lookup never reached the resolver
}

TEST(BudgetedResolverTest, EachLookupIsBoundedByTheEndOfTheBudget) {
  TimePoint now{};
  DeadlineSpy spy;
  const BudgetedResolver budgeted(spy, LookupBudget{100, 2s}, [&] { return now; });
  budgeted.lookup("x.example", RecordType::kA);
  budgeted.lookup_before("x.example", RecordType::kA, TimePoint{} + 1s);   // earlier: kept
  budgeted.lookup_before("x.example", RecordType::kA, TimePoint{} + 60s);  // later: cut
  ASSERT_EQ(spy.deadlines.size(), 3u);
  EXPECT_EQ(spy.deadlines[0], TimePoint{} + 2s);
  EXPECT_EQ(spy.deadlines[1], TimePoint{} + 1s);
  EXPECT_EQ(spy.deadlines[2], TimePoint{} + 2s);
}

// A cache above the resolver (the shared DKIM key cache) charges its hits as lookups, so that a
// message's result does not depend on whether another message warmed the cache up.
TEST(BudgetedResolverTest, CachedLookupsAreChargedLikeOthers) {
  TimePoint now{};
  DeadlineSpy spy;
  const BudgetedResolver budgeted(spy, LookupBudget{2, 1s}, [&] { return now; });
  EXPECT_FALSE(budgeted.charge_cached_lookup());
  EXPECT_EQ(budgeted.queries(), 1u);
  budgeted.lookup("x.example", RecordType::kA);
  const std::optional<DnsAnswer> refused = budgeted.charge_cached_lookup();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, DnsStatus::kTempError);
  EXPECT_EQ(refused->detail, "lookup budget exhausted: more than 2 lookups for this message");
  EXPECT_EQ(spy.deadlines.size(), 1u);  // charging never reaches the resolver

  const BudgetedResolver timed(spy, LookupBudget{100, 1s}, [&] { return now; });
  now += 1s;
  EXPECT_TRUE(timed.charge_cached_lookup());
  // Without a budget nothing is counted or refused.
  EXPECT_FALSE(spy.charge_cached_lookup());
}

}  // namespace
}  // namespace vigie::auth::dns

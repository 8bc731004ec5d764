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

}  // namespace
}  // namespace vigie::auth::dns

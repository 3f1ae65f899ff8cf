#include "collectors/search_budget.h"

#include <gtest/gtest.h>

#include "common/time_format.h"

namespace xee::collectors {
namespace {

using namespace std::chrono_literals;

const common::TimePoint kStart = *common::parse_iso8601("2026-11-20T00:00:00Z");
const std::int64_t kStartUnix = 1795132800;

TEST(SearchBudgetTest, AllowsPerWindowRequestsInAnyFifteenMinutes) {
  common::ManualClock clock(kStart);
  SearchBudget budget(clock, 3);
  EXPECT_TRUE(budget.try_acquire());
  clock.advance(5min);
  EXPECT_TRUE(budget.try_acquire());
  EXPECT_TRUE(budget.try_acquire());
  EXPECT_FALSE(budget.try_acquire());
  clock.advance(10min - 1ms);
  EXPECT_FALSE(budget.try_acquire());
  clock.advance(1ms);  // the first request leaves the window
  EXPECT_TRUE(budget.try_acquire());
  EXPECT_FALSE(budget.try_acquire());
  budget.set_per_window(5);
  EXPECT_TRUE(budget.try_acquire());
}

TEST(SearchBudgetTest, XsExhaustedWindowAndA429BlockUntilTheReset) {
  common::ManualClock clock(kStart);
  SearchBudget budget(clock, 100);
  RateLimitHeaders headers;
  headers.window_limit = 450;
  headers.window_remaining = 0;
  headers.window_reset_unix = kStartUnix + 60;
  budget.observe(headers);
  EXPECT_FALSE(budget.try_acquire());
  clock.advance(60s);
  EXPECT_TRUE(budget.try_acquire());
  budget.on_rate_limited(kStartUnix + 120);
  EXPECT_FALSE(budget.try_acquire());
  clock.advance(60s);
  EXPECT_TRUE(budget.try_acquire());
  budget.on_rate_limited(std::nullopt);  // no reset given: a whole window
  clock.advance(15min - 1s);
  EXPECT_FALSE(budget.try_acquire());
  clock.advance(1s);
  EXPECT_TRUE(budget.try_acquire());
}

}  // namespace
}  // namespace xee::collectors

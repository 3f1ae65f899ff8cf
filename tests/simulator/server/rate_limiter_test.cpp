#include "simulator/server/rate_limiter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/simulator/server/demo_world_fixture.h"

namespace xee::simulator::server {
namespace {

using testing::at;
using ::testing::ElementsAre;
using ::testing::Pair;

class RateLimiterTest : public ::testing::Test {
 protected:
  common::ManualClock wall_{at("2026-11-20T00:00:10Z")};
};

TEST_F(RateLimiterTest, CountsDownThePerMinuteBudgetAndRefusesBeyondIt) {
  LimitsConfig limits;
  limits.per_minute = 3;
  RateLimiter limiter(engagement_rate_windows(limits), wall_);
  // 2026-11-20T00:01:00Z: the end of the minute window, in epoch seconds.
  for (const char* remaining : {"2", "1", "0"}) {
    const RateDecision decision = limiter.acquire();
    EXPECT_TRUE(decision.allowed);
    EXPECT_THAT(decision.headers, ElementsAre(Pair("x-per-minute-limit", "3"),
                                              Pair("x-per-minute-remaining", remaining),
                                              Pair("x-per-minute-reset", "1795132860")));
  }
  wall_.advance(std::chrono::seconds(49));  // 00:00:59, still the same window
  const RateDecision refused = limiter.acquire();
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.exceeded_window, "minute");
  EXPECT_THAT(refused.headers,
              ElementsAre(Pair("x-per-minute-limit", "3"), Pair("x-per-minute-remaining", "0"),
                          Pair("x-per-minute-reset", "1795132860")));
  wall_.advance(std::chrono::seconds(1));  // 00:01:00: a new window
  const RateDecision next = limiter.acquire();
  EXPECT_TRUE(next.allowed);
  EXPECT_THAT(next.headers,
              ElementsAre(Pair("x-per-minute-limit", "3"), Pair("x-per-minute-remaining", "2"),
                          Pair("x-per-minute-reset", "1795132920")));
}

TEST_F(RateLimiterTest, PerSecondWindowAddsItsHeadersAndARefusalSpendsNothing) {
  LimitsConfig limits;
  limits.per_minute = 10;
  limits.per_second = 2;
  RateLimiter limiter(engagement_rate_windows(limits), wall_);
  EXPECT_TRUE(limiter.acquire().allowed);
  EXPECT_TRUE(limiter.acquire().allowed);
  const RateDecision refused = limiter.acquire();
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.exceeded_window, "second");
  EXPECT_THAT(
      refused.headers,
      ElementsAre(Pair("x-per-minute-limit", "10"), Pair("x-per-minute-remaining", "8"),
                  Pair("x-per-minute-reset", "1795132860"), Pair("x-per-second-limit", "2"),
                  Pair("x-per-second-remaining", "0"), Pair("x-per-second-reset", "1795132811")));
  wall_.advance(std::chrono::seconds(1));
  const RateDecision next = limiter.acquire();
  EXPECT_TRUE(next.allowed);
  EXPECT_EQ(next.headers[1].second, "7");
  EXPECT_EQ(next.headers[4].second, "1");
}

TEST_F(RateLimiterTest, PeekReportsWithoutSpending) {
  LimitsConfig limits;
  limits.per_minute = 1;
  RateLimiter limiter(engagement_rate_windows(limits), wall_);
  EXPECT_EQ(limiter.peek().headers[1].second, "1");
  EXPECT_TRUE(limiter.peek().allowed);
  EXPECT_TRUE(limiter.acquire().allowed);
  EXPECT_FALSE(limiter.peek().allowed);
  EXPECT_EQ(limiter.peek().headers[1].second, "0");
}

TEST_F(RateLimiterTest, SearchHasFifteenMinuteWindowsWithXRateLimitHeaders) {
  LimitsConfig limits;
  RateLimiter limiter(search_rate_windows(limits), wall_);
  EXPECT_THAT(limiter.acquire().headers,
              ElementsAre(Pair("x-rate-limit-limit", "450"), Pair("x-rate-limit-remaining", "449"),
                          Pair("x-rate-limit-reset", "1795133700")));  // 00:15:00
}

}  // namespace
}  // namespace xee::simulator::server

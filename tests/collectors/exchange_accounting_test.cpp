#include "collectors/exchange_accounting.h"

#include <gtest/gtest.h>

#include "metric_reader.h"

namespace xee::collectors {
namespace {

using namespace std::chrono_literals;
using testing::metric_value;

TEST(ExchangeAccounting, CountsTheExchangeAndExportsCompleteRateLimitWindowsOnly) {
  common::ManualClock clock(std::chrono::sys_days{std::chrono::year{2026} / 11 / 20});
  store::Telemetry telemetry(store::BuildInfo{"test", "test", "test"});
  RequestPacer pacer(
      clock, [](common::Millis) { return false; }, telemetry,
      RequestPacerOptions{.budget_per_minute = 60});
  const ApiExchange exchange{wire::Endpoint::totals,
                             200,
                             RateLimitHeaders{.minute_limit = 40,
                                              .minute_remaining = 39,
                                              .minute_reset_unix = 1795132860,
                                              .second_limit = 5,
                                              .second_remaining = 4,
                                              .second_reset_unix = {},
                                              .window_limit = {},
                                              .window_remaining = {},
                                              .window_reset_unix = {}},
                             250ms,
                             {{"quote_tweets", {1800000000000000011u, 1800000000000000022u}},
                              {"likes", {1800000000000000011u}}}};
  account_for_exchange(exchange, pacer, telemetry);
  // Unrequested types are counted per Post entry; names X does not document become "unknown".
  EXPECT_EQ(metric_value(telemetry, "x_engagement_api_unrequested_types_total",
                         {{"endpoint", "totals"}, {"engagement_type", "quote_tweets"}}),
            2);
  EXPECT_EQ(metric_value(telemetry, "x_engagement_api_unrequested_types_total",
                         {{"endpoint", "totals"}, {"engagement_type", "unknown"}}),
            1);

  EXPECT_EQ(metric_value(telemetry, "x_engagement_api_requests_total",
                         {{"endpoint", "totals"}, {"code", "200"}}),
            1);
  EXPECT_EQ(metric_value(telemetry, "x_engagement_api_request_duration_seconds",
                         {{"endpoint", "totals"}}),
            1);  // one observation
  const testing::Labels minute{{"endpoint", "totals"}, {"window", "minute"}};
  EXPECT_EQ(metric_value(telemetry, "x_engagement_api_rate_limit_limit", minute), 40);
  EXPECT_EQ(metric_value(telemetry, "x_engagement_api_rate_limit_remaining", minute), 39);
  EXPECT_EQ(metric_value(telemetry, "x_engagement_api_rate_limit_reset_timestamp_seconds", minute),
            1795132860);
  // The second window came without a reset time: nothing is exported for it.
  EXPECT_EQ(metric_value(telemetry, "x_engagement_api_rate_limit_limit",
                         {{"endpoint", "totals"}, {"window", "second"}}),
            std::nullopt);
  // The pacer learned X's lower per-minute limit.
  EXPECT_EQ(pacer.effective_budget(), 40);
  EXPECT_EQ(metric_value(telemetry, "x_engagement_request_budget_per_minute"), 40);
}

}  // namespace
}  // namespace xee::collectors

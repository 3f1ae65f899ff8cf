#include "store/telemetry.h"

#include <gtest/gtest.h>

#include <optional>

#include "tests/store/metric_reader.h"

namespace xee::store {
namespace {

std::optional<double> value_of(const Telemetry& telemetry, const std::string& family,
                               const testing::Labels& labels) {
  return testing::metric_value(telemetry, family, labels);
}

TEST(Telemetry, StartsWithBuildInfoAndEveryExclusionReasonAtZero) {
  const Telemetry telemetry({"0.1.0", "abc123", "GNU-12.2.0"});
  EXPECT_EQ(value_of(telemetry, "x_engagement_build_info",
                     {{"version", "0.1.0"}, {"revision", "abc123"}, {"compiler", "GNU-12.2.0"}}),
            1);
  for (const char* reason :
       {"not_owned", "unavailable", "unsupported_impressions", "unsupported_video_views"}) {
    EXPECT_EQ(value_of(telemetry, "x_engagement_posts_excluded", {{"reason", reason}}), 0)
        << reason;
  }
}

TEST(Telemetry, CountsRequestsByEndpointAndCodeWithErrorForNoResponse) {
  Telemetry telemetry({"v", "r", "c"});
  telemetry.record_api_request("totals", 200, 0.12);
  telemetry.record_api_request("totals", 200, 0.08);
  telemetry.record_api_request("totals", 0, 5.0);
  EXPECT_EQ(value_of(telemetry, "x_engagement_api_requests_total",
                     {{"endpoint", "totals"}, {"code", "200"}}),
            2);
  EXPECT_EQ(value_of(telemetry, "x_engagement_api_requests_total",
                     {{"endpoint", "totals"}, {"code", "error"}}),
            1);
  EXPECT_EQ(
      value_of(telemetry, "x_engagement_api_request_duration_seconds", {{"endpoint", "totals"}}),
      3);
}

TEST(Telemetry, LastSuccessStaysWhenALaterPollFails) {
  Telemetry telemetry({"v", "r", "c"});
  telemetry.record_poll("totals", true, 1.5, 1795000000);
  telemetry.record_poll("totals", false, 2.5, 1795000060);
  const testing::Labels totals{{"collector", "totals"}};
  EXPECT_EQ(value_of(telemetry, "x_engagement_collector_up", totals), 0);
  EXPECT_EQ(value_of(telemetry, "x_engagement_collector_last_success_timestamp_seconds", totals),
            1795000000);
  EXPECT_EQ(value_of(telemetry, "x_engagement_collector_poll_duration_seconds", totals), 2.5);
  EXPECT_EQ(value_of(telemetry, "x_engagement_collector_polls_total",
                     {{"collector", "totals"}, {"result", "failure"}}),
            1);
}

TEST(Telemetry, RecordsRateLimitsReloadsAndStrips) {
  Telemetry telemetry({"v", "r", "c"});
  telemetry.set_rate_limit("totals", "minute", 60, 12, 1795000020);
  telemetry.add_posts_stripped("totals", 403, 2);
  telemetry.add_posts_stripped("totals", 200, 1);
  telemetry.add_posts_stripped("totals", 403, 1);
  telemetry.add_unrequested_type("totals", "quote_tweets", 3);
  telemetry.record_config_reload(false, 1795000100);
  const testing::Labels minute{{"endpoint", "totals"}, {"window", "minute"}};
  EXPECT_EQ(value_of(telemetry, "x_engagement_api_rate_limit_limit", minute), 60);
  EXPECT_EQ(value_of(telemetry, "x_engagement_api_rate_limit_remaining", minute), 12);
  EXPECT_EQ(value_of(telemetry, "x_engagement_api_rate_limit_reset_timestamp_seconds", minute),
            1795000020);
  EXPECT_EQ(value_of(telemetry, "x_engagement_posts_stripped_total",
                     {{"endpoint", "totals"}, {"code", "403"}}),
            3);
  EXPECT_EQ(value_of(telemetry, "x_engagement_posts_stripped_total",
                     {{"endpoint", "totals"}, {"code", "200"}}),
            1);
  EXPECT_EQ(value_of(telemetry, "x_engagement_api_unrequested_types_total",
                     {{"endpoint", "totals"}, {"engagement_type", "quote_tweets"}}),
            3);
  EXPECT_EQ(value_of(telemetry, "x_engagement_config_last_reload_successful", {}), 0);
}

}  // namespace
}  // namespace xee::store

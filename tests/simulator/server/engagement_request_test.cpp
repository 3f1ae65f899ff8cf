#include "simulator/server/engagement_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/simulator/server/demo_world_fixture.h"
#include "wire/api_errors.h"

namespace xee::simulator::server {
namespace {

using testing::at;
using wire::Endpoint;
using wire::EngagementType;

std::string body_with_ids(std::size_t count) {
  std::string ids;
  for (std::size_t i = 0; i < count; ++i)
    ids += (i ? ",\"" : "\"") + std::to_string(1000 + i) + "\"";
  return R"({"tweet_ids":[)" + ids +
         R"(],"engagement_types":["favorites"],"groupings":{"g":{"group_by":["tweet.id"]}}})";
}

std::string body_with(std::string_view types, std::string_view groupings) {
  return R"({"tweet_ids":["1800000000000000011"],"engagement_types":)" + std::string(types) +
         R"(,"groupings":)" + std::string(groupings) + "}";
}

ApiError error_of(Endpoint endpoint, const std::string& body) {
  const auto parsed = parse_engagement_request(endpoint, body);
  EXPECT_FALSE(parsed) << body;
  return parsed ? ApiError{} : parsed.error();
}

TEST(ParseEngagementRequest, AcceptsStringAndIntegerIdsKeepingOrderAndDroppingRepeats) {
  const auto parsed = parse_engagement_request(
      Endpoint::totals,
      R"({"tweet_ids":["1800000000000000022",1800000000000000011,"1800000000000000022"],
          "engagement_types":["favorites","retweets","favorites"],
          "groupings":{"b":{"group_by":["engagement.type"]},"a":{"group_by":["tweet.id","engagement.type"]}}})");
  ASSERT_TRUE(parsed) << parsed.error().errors.front();
  EXPECT_EQ(parsed->post_ids,
            (std::vector<wire::PostId>{1800000000000000022u, 1800000000000000011u}));
  EXPECT_EQ(parsed->types,
            (std::vector<EngagementType>{EngagementType::favorites, EngagementType::retweets}));
  ASSERT_EQ(parsed->groupings.size(), 2u);
  EXPECT_EQ(parsed->groupings[0], (Grouping{"b", {GroupLevel::engagement_type}}));
  EXPECT_EQ(parsed->groupings[1],
            (Grouping{"a", {GroupLevel::tweet_id, GroupLevel::engagement_type}}));
}

TEST(ParseEngagementRequest, LimitsIdsTo250OnTotalsAnd25OnTimeSeries) {
  EXPECT_TRUE(parse_engagement_request(Endpoint::totals, body_with_ids(250)));
  EXPECT_EQ(error_of(Endpoint::totals, body_with_ids(251)),
            (ApiError{400, {"Request contains too many tweet IDs (max 250)"}}));
  EXPECT_TRUE(parse_engagement_request(Endpoint::hr28, body_with_ids(25)));
  EXPECT_EQ(error_of(Endpoint::hr28, body_with_ids(26)),
            (ApiError{400, {"Request contains too many tweet IDs (max 25)"}}));
  EXPECT_EQ(error_of(Endpoint::historical, body_with_ids(26)),
            (ApiError{400, {"Request contains too many tweet IDs (max 25)"}}));
}

TEST(ParseEngagementRequest, RejectsTypesTheEndpointDoesNotServe) {
  const std::string grouping = R"({"g":{"group_by":["tweet.id"]}})";
  EXPECT_EQ(error_of(Endpoint::totals, body_with(R"(["favorites","url_clicks"])", grouping)),
            (ApiError{400, {"Unsupported engagement type: url_clicks"}}));
  EXPECT_EQ(error_of(Endpoint::hr28, body_with(R"(["quote_tweets"])", grouping)),
            (ApiError{400, {"Unsupported engagement type: quote_tweets"}}));
  EXPECT_EQ(error_of(Endpoint::totals, body_with(R"(["Favorites"])", grouping)),
            (ApiError{400, {"Unsupported engagement type: Favorites"}}));
}

TEST(ParseEngagementRequest, AcceptsLegacyMediaClicksAsMediaEngagements) {
  const auto parsed = parse_engagement_request(
      Endpoint::hr28, body_with(R"(["media_clicks"])", R"({"g":{"group_by":["tweet.id"]}})"));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->types, std::vector<EngagementType>{EngagementType::media_engagements});
  // media_engagements itself is not a /totals type, so neither is its alias.
  EXPECT_EQ(error_of(Endpoint::totals,
                     body_with(R"(["media_clicks"])", R"({"g":{"group_by":["tweet.id"]}})")),
            (ApiError{400, {"Unsupported engagement type: media_clicks"}}));
}

TEST(ParseEngagementRequest, RejectsTimeGroupingOnTotalsWithXsMessage) {
  EXPECT_EQ(
      error_of(Endpoint::totals,
               body_with(R"(["favorites"])",
                         R"({"g":{"group_by":["tweet.id","engagement.type","engagement.hour"]}})")),
      (ApiError{400,
                {"One or more of the groupBys you have specified are not supported: "
                 "(engagement.hour). Please adjust your request and try again."}}));
  EXPECT_EQ(
      error_of(Endpoint::totals,
               body_with(R"(["favorites"])",
                         R"({"g":{"group_by":["engagement.day","engagement.hour"]}})")),
      (ApiError{400,
                {"One or more of the groupBys you have specified are not supported: "
                 "(engagement.day, engagement.hour). Please adjust your request and try again."}}));
}

TEST(ParseEngagementRequest, GroupByValuesAreCaseSensitive) {
  EXPECT_EQ(
      error_of(Endpoint::hr28, body_with(R"(["favorites"])", R"({"g":{"group_by":["Tweet.id"]}})")),
      (ApiError{400,
                {"One or more of the groupBys you have specified are not supported: "
                 "(Tweet.id). Please adjust your request and try again."}}));
}

TEST(ParseEngagementRequest, AllowsAtMostThreeGroupings) {
  const std::string four =
      R"({"a":{"group_by":["tweet.id"]},"b":{"group_by":["engagement.type"]},)"
      R"("c":{"group_by":["engagement.day"]},"d":{"group_by":["engagement.hour"]}})";
  EXPECT_EQ(error_of(Endpoint::hr28, body_with(R"(["favorites"])", four)),
            (ApiError{400, {"Request contains too many groupings (max 3)"}}));
}

TEST(ParseEngagementRequest, AllowsOnlyTheTwoDocumentedFourLevelOrders) {
  EXPECT_TRUE(parse_engagement_request(
      Endpoint::hr28,
      body_with(
          R"(["favorites"])",
          R"({"g":{"group_by":["engagement.type","tweet.id","engagement.day","engagement.hour"]}})")));
  EXPECT_EQ(
      error_of(
          Endpoint::hr28,
          body_with(
              R"(["favorites"])",
              R"({"g":{"group_by":["tweet.id","engagement.day","engagement.type","engagement.hour"]}})")),
      (ApiError{400, {std::string(wire::kInvalidFourLevelOrder)}}));
  EXPECT_EQ(
      error_of(
          Endpoint::hr28,
          body_with(
              R"(["favorites"])",
              R"({"a":{"group_by":["tweet.id","engagement.type","engagement.day","engagement.hour"]},)"
              R"("b":{"group_by":["engagement.type","tweet.id","engagement.day","engagement.hour"]}})")),
      (ApiError{400, {"Only one grouping with 4 group_by levels is allowed per request"}}));
}

TEST(ParseEngagementRequest, NamesWhatIsWrongWithTheBody) {
  EXPECT_EQ(error_of(Endpoint::totals, "{\"tweet_ids\": [}").errors.front(),
            "Invalid JSON in request body at offset 15: Invalid value.");
  EXPECT_EQ(error_of(Endpoint::totals, "[]").errors.front(), "Request body must be a JSON object");
  EXPECT_EQ(error_of(Endpoint::totals, "{}").errors.front(), "Missing required field: tweet_ids");
  EXPECT_EQ(error_of(Endpoint::totals, R"({"tweet_ids":["1","x1"]})").errors.front(),
            "Invalid Post ID at tweet_ids[1]: \"x1\"");
  EXPECT_EQ(error_of(Endpoint::totals, R"({"tweet_ids":[-5]})").errors.front(),
            "Invalid Post ID at tweet_ids[0]: a non-ID value");
  EXPECT_EQ(error_of(Endpoint::totals, R"({"tweet_ids":["1"]})").errors.front(),
            "Missing required field: engagement_types");
  EXPECT_EQ(error_of(Endpoint::totals, R"({"tweet_ids":["1"],"engagement_types":["favorites"]})")
                .errors.front(),
            "Missing required field: groupings");
  EXPECT_EQ(error_of(Endpoint::totals, body_with(R"(["favorites"])", R"({"g":{"group_by":[]}})"))
                .errors.front(),
            "Grouping 'g': group_by must have 1 to 4 values");
  EXPECT_EQ(error_of(Endpoint::totals,
                     body_with(R"(["favorites"])", R"({"g":{"group_by":["tweet.id","tweet.id"]}})"))
                .errors.front(),
            "Grouping 'g': group_by repeats tweet.id");
  EXPECT_EQ(error_of(Endpoint::totals,
                     body_with(R"(["favorites"])", R"({"errors":{"group_by":["tweet.id"]}})"))
                .errors.front(),
            "Grouping name 'errors' is reserved for a response field");
  EXPECT_EQ(
      error_of(
          Endpoint::historical,
          R"({"tweet_ids":["1"],"engagement_types":["favorites"],"groupings":{"g":{"group_by":["tweet.id"]}},"start":"yesterday"})")
          .errors.front(),
      "Invalid start: 'yesterday' is not an ISO-8601 UTC timestamp or a date (YYYY-MM-DD)");
}

TEST(ParseEngagementRequest, ReadsStartAndEndOnlyOnHistorical) {
  const std::string body =
      R"({"tweet_ids":["1"],"engagement_types":["favorites"],"groupings":{"g":{"group_by":["tweet.id"]}},)"
      R"("start":"2026-11-01","end":"2026-11-10T12:24:00Z"})";
  const auto historical = parse_engagement_request(Endpoint::historical, body);
  ASSERT_TRUE(historical);
  EXPECT_EQ(historical->start, *common::parse_iso8601("2026-11-01T00:00:00Z"));
  EXPECT_EQ(historical->end, *common::parse_iso8601("2026-11-10T12:24:00Z"));
  const auto hr28 = parse_engagement_request(Endpoint::hr28, body);
  ASSERT_TRUE(hr28);
  EXPECT_FALSE(hr28->start);
  EXPECT_FALSE(hr28->end);
}

TEST(Last28Hours, CoversTheTwentyEightHoursBeforeTheCurrentHourAndTheCurrentHour) {
  EXPECT_EQ(last_28_hours(at("2026-11-20T00:00:00Z")),
            (TimeWindow{*common::parse_iso8601("2026-11-18T20:00:00Z"),
                        *common::parse_iso8601("2026-11-20T01:00:00Z")}));
  EXPECT_EQ(last_28_hours(at("2026-11-20T10:37:12Z")),
            (TimeWindow{*common::parse_iso8601("2026-11-19T06:00:00Z"),
                        *common::parse_iso8601("2026-11-20T11:00:00Z")}));
}

class HistoricalWindowTest : public ::testing::Test {
 protected:
  tl::expected<TimeWindow, ApiError> window(std::optional<std::string_view> start,
                                            std::optional<std::string_view> end,
                                            std::string_view now = "2026-11-20T10:37:12Z") {
    EngagementRequest request;
    request.endpoint = Endpoint::historical;
    if (start) request.start = *common::parse_iso8601(*start);
    if (end) request.end = *common::parse_iso8601(*end);
    return historical_window(request, at(now), limits);
  }
  static TimeWindow expect(std::string_view start, std::string_view end) {
    return {*common::parse_iso8601(start), *common::parse_iso8601(end)};
  }
  LimitsConfig limits;  // 365-day lookback, as in the demo world
};

TEST_F(HistoricalWindowTest, DefaultsToTheFourWeeksBeforeNowInWholeHours) {
  EXPECT_EQ(window(std::nullopt, std::nullopt).value(),
            expect("2026-10-23T11:00:00Z", "2026-11-20T11:00:00Z"));
  EXPECT_EQ(window(std::nullopt, std::nullopt, "2026-11-20T00:00:00Z").value(),
            expect("2026-10-23T00:00:00Z", "2026-11-20T00:00:00Z"));
}

TEST_F(HistoricalWindowTest, PinsTheMissingBoundTwentyEightDaysAway) {
  EXPECT_EQ(window("2026-10-01T00:00:00Z", std::nullopt).value(),
            expect("2026-10-01T00:00:00Z", "2026-10-29T00:00:00Z"));
  // Pinned past now: clamped to the end of the current hour rather than refused.
  EXPECT_EQ(window("2026-11-10T00:00:00Z", std::nullopt).value(),
            expect("2026-11-10T00:00:00Z", "2026-11-20T11:00:00Z"));
  EXPECT_EQ(window(std::nullopt, "2026-11-01T06:00:00Z").value(),
            expect("2026-10-04T06:00:00Z", "2026-11-01T06:00:00Z"));
}

TEST_F(HistoricalWindowTest, WidensToTheEnclosingHoursAsTheDocsShow) {
  EXPECT_EQ(window("2026-11-01T12:24:00Z", "2026-11-03T08:37:00Z").value(),
            expect("2026-11-01T12:00:00Z", "2026-11-03T09:00:00Z"));
  EXPECT_EQ(window("2026-11-01", "2026-11-02").value(),
            expect("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"));
}

TEST_F(HistoricalWindowTest, AllowsExactlyTwentyEightDaysAfterWideningAndNoMore) {
  EXPECT_EQ(window("2026-10-01T00:00:00Z", "2026-10-29T00:00:00Z").value(),
            expect("2026-10-01T00:00:00Z", "2026-10-29T00:00:00Z"));
  EXPECT_EQ(window("2026-10-01T00:30:00Z", "2026-10-29T00:10:00Z").error(),
            (ApiError{400,
                      {"The requested time window (2026-10-01T00:00:00Z to 2026-10-29T01:00:00Z) "
                       "is longer than 28 days"}}));
}

TEST_F(HistoricalWindowTest, RefusesAStartBeforeTheLowerBound) {
  EXPECT_EQ(window("2025-11-20T10:37:11Z", "2025-11-25T00:00:00Z").error(),
            (ApiError{400,
                      {"start 2025-11-20T10:37:11Z is before the earliest supported start "
                       "2025-11-20T10:37:12Z"}}));
  EXPECT_TRUE(window("2025-11-20T10:37:12Z", "2025-11-25T00:00:00Z"));
  limits.historical_lookback = std::chrono::days{0};  // only the documented 2014-09-01 floor
  EXPECT_TRUE(window("2014-09-01", "2014-09-20"));
  EXPECT_EQ(window("2014-08-31", "2014-09-20").error(),
            (ApiError{400,
                      {"start 2014-08-31T00:00:00Z is before the earliest supported start "
                       "2014-09-01T00:00:00Z"}}));
}

TEST_F(HistoricalWindowTest, RefusesAnEndInTheFutureAndAnEmptyWindow) {
  EXPECT_EQ(window("2026-11-19T00:00:00Z", "2026-11-20T10:37:13Z").error(),
            (ApiError{400, {"end 2026-11-20T10:37:13Z is in the future"}}));
  EXPECT_TRUE(window("2026-11-19T00:00:00Z", "2026-11-20T10:37:12Z"));
  EXPECT_EQ(
      window("2026-11-19T00:00:00Z", "2026-11-18T00:00:00Z").error(),
      (ApiError{400, {"start 2026-11-19T00:00:00Z must be before end 2026-11-18T00:00:00Z"}}));
}

}  // namespace
}  // namespace xee::simulator::server

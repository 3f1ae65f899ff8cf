// The /28hr and /historical bodies of engagement_codec: the request, strict decoding of the
// 4-level hourly grouping, and the exact message of each malformed body.

#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "collectors/client/engagement_codec.h"
#include "common/time_format.h"
#include "tests/collectors/client/fixture.h"

namespace xee::collectors::client {
namespace {

using testing::read_fixture;
using wire::EngagementType;
using enum wire::EngagementType;

constexpr PostId kFirst = 1800000000000000011u;
constexpr PostId kSecond = 1800000000000000022u;
constexpr PostId kGone = 1800000000000000099u;
const std::vector<EngagementType> kAllSeventeen(wire::kTimeSeriesTypes.begin(),
                                                wire::kTimeSeriesTypes.end());

std::chrono::sys_seconds at(std::string_view iso) {
  return common::parse_iso8601(iso).value();
}

HourlyCount count(PostId id, EngagementType type, std::string_view hour, std::uint64_t value) {
  return {id, type, at(hour), value};
}

TEST(EncodeTimeSeriesRequest, AsksForTheFourLevelHourlyGroupingWithoutAWindow) {
  const std::vector<PostId> ids{kFirst, kSecond};
  const std::vector<EngagementType> types{impressions, url_clicks};
  EXPECT_EQ(encode_time_series_request(ids, types),
            R"({"tweet_ids":["1800000000000000011","1800000000000000022"],)"
            R"("engagement_types":["impressions","url_clicks"],)"
            R"("groupings":{"hourly":{"group_by":["tweet.id","engagement.type","engagement.day",)"
            R"("engagement.hour"]}}})");
}

TEST(EncodeTimeSeriesRequest, WritesTheHistoricalWindowInSeconds) {
  const std::vector<PostId> ids{kFirst};
  const std::vector<EngagementType> types{favorites};
  EXPECT_EQ(encode_time_series_request(ids, types, at("2026-10-01T00:00:00Z"),
                                       at("2026-10-29T05:00:00Z")),
            R"({"tweet_ids":["1800000000000000011"],"engagement_types":["favorites"],)"
            R"("groupings":{"hourly":{"group_by":["tweet.id","engagement.type","engagement.day",)"
            R"("engagement.hour"]}},"start":"2026-10-01T00:00:00Z","end":"2026-10-29T05:00:00Z"})");
}

// Spec §3.2, with every hour of its 29-hour window written out.
TEST(DecodeTimeSeriesResponse, SpecExampleGivesEveryHourOfBothTypesInOrder) {
  const std::vector<PostId> ids{kFirst};
  auto decoded = decode_time_series_response(read_fixture("hr28_spec_example.json"),
                                             wire::Endpoint::hr28, ids, kAllSeventeen);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->start, at("2024-06-01T09:00:00Z"));
  EXPECT_EQ(decoded->end, at("2024-06-02T14:00:00Z"));
  ASSERT_EQ(decoded->counts.size(), 58u);
  // Types in enum order (impressions before engagements), hours ascending across the day change.
  EXPECT_EQ(decoded->counts[0], count(kFirst, impressions, "2024-06-01T09:00:00Z", 320));
  EXPECT_EQ(decoded->counts[1], count(kFirst, impressions, "2024-06-01T10:00:00Z", 204));
  EXPECT_EQ(decoded->counts[14], count(kFirst, impressions, "2024-06-01T23:00:00Z", 4));
  EXPECT_EQ(decoded->counts[15], count(kFirst, impressions, "2024-06-02T00:00:00Z", 3));
  EXPECT_EQ(decoded->counts[28], count(kFirst, impressions, "2024-06-02T13:00:00Z", 0));
  EXPECT_EQ(decoded->counts[29], count(kFirst, engagements, "2024-06-01T09:00:00Z", 6));
  EXPECT_EQ(decoded->counts[57], count(kFirst, engagements, "2024-06-02T13:00:00Z", 0));
  const auto impressions_sum =
      std::accumulate(decoded->counts.begin(), decoded->counts.begin() + 29, std::uint64_t{0},
                      [](std::uint64_t sum, const HourlyCount& c) { return sum + c.value; });
  // 320 + 204 + 98 + (100 - 4h for h = 12…22) + 4 + 3.
  EXPECT_EQ(impressions_sum, 320u + 204u + 98u + 352u + 4u + 3u);
  EXPECT_TRUE(decoded->unavailable.empty());
  EXPECT_TRUE(decoded->errors.empty());
}

// A partial success whose `end` is "now" rather than an hour (spec §1.3): the hour it falls in
// belongs to the window; Posts, types and hours come back sorted whatever the body's order.
TEST(DecodeTimeSeriesResponse, PartialSuccessWithAnEndInsideAnHour) {
  const std::vector<PostId> ids{kSecond, kFirst, kGone};
  const std::vector<EngagementType> types{favorites, retweets};
  auto decoded = decode_time_series_response(read_fixture("historical_partial.json"),
                                             wire::Endpoint::historical, ids, types);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->start, at("2015-11-19T00:00:00Z"));
  EXPECT_EQ(decoded->end, at("2015-11-19T02:27:50Z"));
  EXPECT_EQ(decoded->counts, (std::vector<HourlyCount>{
                                 count(kFirst, favorites, "2015-11-19T00:00:00Z", 3),
                                 count(kFirst, favorites, "2015-11-19T01:00:00Z", 0),
                                 count(kFirst, favorites, "2015-11-19T02:00:00Z", 4),
                                 count(kSecond, favorites, "2015-11-19T00:00:00Z", 12),
                                 count(kSecond, favorites, "2015-11-19T01:00:00Z", 5),
                                 count(kSecond, favorites, "2015-11-19T02:00:00Z", 0),
                                 count(kSecond, retweets, "2015-11-19T00:00:00Z", 1),
                                 count(kSecond, retweets, "2015-11-19T01:00:00Z", 0),
                                 count(kSecond, retweets, "2015-11-19T02:00:00Z", 7),
                             }));
  EXPECT_EQ(decoded->unavailable, std::vector<PostId>{kGone});
  EXPECT_EQ(decoded->errors, std::vector<std::string>{"1 Tweet ID(s) are unavailable"});
}

std::uint64_t sum_of(const std::vector<HourlyCount>& counts, PostId id, EngagementType type) {
  std::uint64_t sum = 0;
  for (const HourlyCount& c : counts) {
    if (c.post_id == id && c.type == type) sum += c.value;
  }
  return sum;
}

// Recorded from x_api_simulator --clock.start=2026-11-20T00:00:00Z --clock.speed=0: /28hr for two
// acme Posts, one created at 20:57 on the 19th, the other at 01:12 the same day.
TEST(DecodeTimeSeriesResponse, RecordedSimulatorLast28Hours) {
  constexpr PostId kNewer = 2123521096312426148u;
  constexpr PostId kOlder = 2123222773114340474u;
  const std::vector<PostId> ids{kNewer, kOlder};
  const std::vector<EngagementType> types{impressions, url_clicks};
  auto decoded = decode_time_series_response(read_fixture("hr28_simulator_acme.json"),
                                             wire::Endpoint::hr28, ids, types);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->start, at("2026-11-18T20:00:00Z"));
  EXPECT_EQ(decoded->end, at("2026-11-20T01:00:00Z"));
  ASSERT_EQ(decoded->counts.size(), 2u * 2u * 29u);
  EXPECT_EQ(decoded->counts.front(), count(kOlder, impressions, "2026-11-18T20:00:00Z", 0));
  EXPECT_EQ(decoded->counts[5], count(kOlder, impressions, "2026-11-19T01:00:00Z", 1400));
  EXPECT_EQ(decoded->counts.back(), count(kNewer, url_clicks, "2026-11-20T00:00:00Z", 0));
  EXPECT_EQ(sum_of(decoded->counts, kOlder, impressions), 9186u);
  EXPECT_EQ(sum_of(decoded->counts, kOlder, url_clicks), 26u);
  EXPECT_EQ(sum_of(decoded->counts, kNewer, impressions), 2575u);
  EXPECT_EQ(sum_of(decoded->counts, kNewer, url_clicks), 12u);
}

// Recorded likewise: /historical 2026-11-18T22:00Z to 2026-11-19T04:00Z, across midnight.
TEST(DecodeTimeSeriesResponse, RecordedSimulatorHistoricalWindow) {
  constexpr PostId kCreatedInside = 2123222773114340474u;
  constexpr PostId kCreatedBefore = 2123164300896895641u;
  const std::vector<PostId> ids{kCreatedInside, kCreatedBefore};
  const std::vector<EngagementType> types{favorites, user_profile_clicks};
  auto decoded = decode_time_series_response(read_fixture("historical_simulator_acme.json"),
                                             wire::Endpoint::historical, ids, types);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->start, at("2026-11-18T22:00:00Z"));
  EXPECT_EQ(decoded->end, at("2026-11-19T04:00:00Z"));
  ASSERT_EQ(decoded->counts.size(), 2u * 2u * 6u);
  EXPECT_EQ(decoded->counts.front(), count(kCreatedBefore, favorites, "2026-11-18T22:00:00Z", 27));
  EXPECT_EQ(decoded->counts[2], count(kCreatedBefore, favorites, "2026-11-19T00:00:00Z", 16));
  EXPECT_EQ(decoded->counts.back(),
            count(kCreatedInside, user_profile_clicks, "2026-11-19T03:00:00Z", 5));
  EXPECT_EQ(sum_of(decoded->counts, kCreatedBefore, favorites), 97u);
  EXPECT_EQ(sum_of(decoded->counts, kCreatedBefore, user_profile_clicks), 23u);
  EXPECT_EQ(sum_of(decoded->counts, kCreatedInside, favorites), 45u);
  EXPECT_EQ(sum_of(decoded->counts, kCreatedInside, user_profile_clicks), 14u);
}

TEST(DecodeTimeSeriesResponse, UnrequestedTypesAreSkippedAndNotedNeverFailingTheBatch) {
  const std::vector<PostId> ids{1800000000000000011u};
  UnrequestedTypes unrequested;
  auto decoded =
      decode_time_series_response(read_fixture("hr28_unrequested_type.json"), wire::Endpoint::hr28,
                                  ids, std::vector<EngagementType>{impressions}, &unrequested);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->counts,
            (std::vector<HourlyCount>{
                count(1800000000000000011u, impressions, "2024-06-01T09:00:00Z", 320),
                count(1800000000000000011u, impressions, "2024-06-01T10:00:00Z", 204)}));
  EXPECT_EQ(unrequested, (UnrequestedTypes{{"bookmarks", {1800000000000000011u}},
                                           {"quote_tweets", {1800000000000000011u}}}));
}

// Recorded from x_api_simulator (clock 2026-11-20T00:00:00Z frozen, forbidden_tweets_status 200):
// /28hr with acme's tokens for an acme Post and a globex Post.
TEST(DecodeTimeSeriesResponse, RecordedSimulatorForbiddenPostsInsideA200) {
  constexpr PostId kAcme = 2123521096312426148u;
  constexpr PostId kGlobex = 2123482310501211442u;
  const std::vector<PostId> asked{kAcme, kGlobex};
  auto decoded = decode_time_series_response(read_fixture("hr28_simulator_forbidden_200.json"),
                                             wire::Endpoint::hr28, asked,
                                             std::vector<EngagementType>{impressions, url_clicks});
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->counts.size(), 2u * 29u);
  // The same values as the acme Post's in hr28_simulator_acme.json: the refusal costs it nothing.
  EXPECT_EQ(sum_of(decoded->counts, kAcme, impressions), 2575u);
  EXPECT_EQ(sum_of(decoded->counts, kAcme, url_clicks), 12u);
  EXPECT_EQ(decoded->forbidden, std::vector<PostId>{kGlobex});
}

TEST(DecodeTimeSeriesResponse, AMissingGroupingMeansNoValues) {
  const std::vector<PostId> ids{kGone};
  auto decoded = decode_time_series_response(
      R"({"start":"2024-06-01T09:00:00Z","end":"2024-06-01T11:00:00Z",)"
      R"("unavailable_tweet_ids":["1800000000000000099"],"errors":["1 Tweet ID(s) are unavailable"]})",
      wire::Endpoint::hr28, ids, kAllSeventeen);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_TRUE(decoded->counts.empty());
  EXPECT_EQ(decoded->unavailable, std::vector<PostId>{kGone});
}

struct InvalidBody {
  const char* fixture;
  wire::Endpoint endpoint;
  const char* expected_message;
};

void PrintTo(const InvalidBody& body, std::ostream* out) {
  *out << body.fixture;
}

class DecodeInvalidTimeSeries : public ::testing::TestWithParam<InvalidBody> {};

TEST_P(DecodeInvalidTimeSeries, FailsWithAMessageNamingWhereAndWhat) {
  const std::string body = read_fixture("time_series_invalid/" + std::string(GetParam().fixture));
  ASSERT_FALSE(body.empty()) << "missing fixture " << GetParam().fixture;
  const std::vector<PostId> ids{kFirst};
  const std::vector<EngagementType> types{impressions, engagements};
  auto decoded = decode_time_series_response(body, GetParam().endpoint, ids, types);
  EXPECT_EQ(decoded ? "decoded without error" : decoded.error().message,
            GetParam().expected_message);
}

constexpr auto kHr28 = wire::Endpoint::hr28;
constexpr auto kHistorical = wire::Endpoint::historical;

INSTANTIATE_TEST_SUITE_P(
    MalformedBodies, DecodeInvalidTimeSeries,
    ::testing::Values(
        InvalidBody{"missing_start.json", kHr28, "28hr: start is missing"},
        InvalidBody{"missing_end.json", kHistorical, "historical: end is missing"},
        InvalidBody{"start_not_iso.json", kHr28,
                    R"(28hr: start: "yesterday" is not an ISO-8601 UTC time)"},
        InvalidBody{"end_is_number.json", kHr28, "28hr: end: expected a string, got a number"},
        InvalidBody{"start_after_end.json", kHistorical,
                    "historical: start 2024-06-01T11:00:00Z is not before end "
                    "2024-06-01T09:00:00Z"},
        InvalidBody{"root_is_array.json", kHr28,
                    "28hr: response: expected an object, got an array"},
        InvalidBody{"truncated.json", kHr28,
                    "28hr: JSON body ends early at offset 130: Missing a closing quotation mark "
                    "in string."},
        InvalidBody{"grouping_is_array.json", kHr28,
                    "28hr: hourly: expected an object, got an array"},
        InvalidBody{"unrequested_post.json", kHr28,
                    "28hr: post 1800000000000000099 was not requested"},
        InvalidBody{"post_key_not_an_id.json", kHr28,
                    R"(28hr: hourly: key "18000x" is not a Post ID)"},
        InvalidBody{"duplicate_post.json", kHr28, "28hr: post 1800000000000000011 appears twice"},
        InvalidBody{"types_not_object.json", kHr28,
                    "28hr: post 1800000000000000011: expected an object, got an array"},
        InvalidBody{"duplicate_type.json", kHr28,
                    "28hr: post 1800000000000000011: impressions appears twice"},
        InvalidBody{"days_not_object.json", kHr28,
                    "28hr: post 1800000000000000011: impressions: expected an object, got an "
                    "array"},
        InvalidBody{
            "day_key_malformed.json", kHistorical,
            R"(historical: post 1800000000000000011: impressions: day key "2024-6-01" is not a date YYYY-MM-DD)"},
        InvalidBody{
            "day_key_with_time.json", kHr28,
            R"(28hr: post 1800000000000000011: impressions: day key "2024-06-01T09:00:00Z" is not a date YYYY-MM-DD)"},
        InvalidBody{
            "day_key_invalid_date.json", kHr28,
            R"(28hr: post 1800000000000000011: impressions: day key "2024-02-30" is not a date YYYY-MM-DD)"},
        InvalidBody{"hours_not_object.json", kHr28,
                    "28hr: post 1800000000000000011: impressions: 2024-06-01: expected an object, "
                    "got a string"},
        InvalidBody{
            "hour_key_one_digit.json", kHr28,
            R"(28hr: post 1800000000000000011: impressions: 2024-06-01: hour key "9" is not "00"…"23")"},
        InvalidBody{
            "hour_key_24.json", kHr28,
            R"(28hr: post 1800000000000000011: impressions: 2024-06-01: hour key "24" is not "00"…"23")"},
        InvalidBody{"hour_before_window.json", kHr28,
                    "28hr: post 1800000000000000011: impressions: 2024-06-01 hour 08 is outside "
                    "the window 2024-06-01T09:00:00Z to 2024-06-01T11:00:00Z"},
        InvalidBody{"hour_at_window_end.json", kHistorical,
                    "historical: post 1800000000000000011: impressions: 2024-06-01 hour 11 is "
                    "outside the window 2024-06-01T09:00:00Z to 2024-06-01T11:00:00Z"},
        InvalidBody{
            "duplicate_hour.json", kHr28,
            "28hr: post 1800000000000000011: impressions: 2024-06-01 hour 09 appears twice"},
        InvalidBody{
            "duplicate_day.json", kHr28,
            "28hr: post 1800000000000000011: impressions: 2024-06-01 hour 09 appears twice"},
        InvalidBody{
            "value_not_numeric.json", kHr28,
            R"(28hr: post 1800000000000000011: impressions: 2024-06-01 hour 09: value "1x" is not a non-negative integer)"},
        InvalidBody{"value_negative.json", kHistorical,
                    "historical: post 1800000000000000011: impressions: 2024-06-01 hour 09: value "
                    "-1 is not a non-negative integer"},
        InvalidBody{"unavailable_not_array.json", kHr28,
                    "28hr: unavailable_tweet_ids: expected an array, got a string"},
        InvalidBody{
            "errors_item_number.json", kHr28,
            R"(28hr: errors[0]: expected a string or an object with a string "message", got a number)"}));

}  // namespace
}  // namespace xee::collectors::client

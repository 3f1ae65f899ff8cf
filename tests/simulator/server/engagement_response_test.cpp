#include "simulator/server/engagement_response.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/simulator/server/demo_world_fixture.h"

namespace xee::simulator::server {
namespace {

using namespace std::chrono_literals;
using testing::at;
using testing::demo;
using testing::id_text;
using testing::kClockStart;
using testing::keys_of;
using testing::leaf;
using testing::parse_json;
using testing::posts_by;
using wire::Endpoint;
using wire::EngagementType;

EngagementRequest request_for(Endpoint endpoint, const std::vector<Post>& posts,
                              std::vector<EngagementType> types, std::vector<Grouping> groupings) {
  EngagementRequest request;
  request.endpoint = endpoint;
  for (const Post& post : posts) request.post_ids.push_back(post.id);
  request.types = std::move(types);
  request.groupings = std::move(groupings);
  return request;
}

std::string answer(const EngagementRequest& request, std::optional<TimeWindow> window,
                   common::TimePoint now = kClockStart,
                   const std::set<wire::PostId>& deleted = {}) {
  const ResolvedPosts posts = resolve_posts(demo(), request.post_ids, now, deleted);
  return build_engagement_response(demo(), request, posts, window, now);
}

const Grouping kPerPostPerType{"per-tweet", {GroupLevel::tweet_id, GroupLevel::engagement_type}};

// acme's Posts of the day before the clock start: all inside /28hr's window.
std::vector<Post> recent_acme() {
  return posts_by("acme", at("2026-11-19T00:00:00Z"), kClockStart);
}

TEST(TotalsResponse, TwoLevelValuesAreTheWorldsLifetimeCountsAsStrings) {
  const auto posts = recent_acme();
  ASSERT_EQ(posts.size(), 6u);
  const Post& oldest = posts.back();
  const auto request = request_for(
      Endpoint::totals, {oldest},
      {EngagementType::impressions, EngagementType::engagements, EngagementType::favorites},
      {kPerPostPerType});
  EXPECT_EQ(answer(request, std::nullopt),
            R"({"per-tweet":{")" + id_text(oldest) +
                R"(":{"impressions":"9186","engagements":"518","favorites":"104"}}})");
}

TEST(TotalsResponse, GrandTotalsSumEveryPostAndTweetIdAloneSumsTheAskedTypes) {
  const auto posts = recent_acme();
  const std::vector<EngagementType> types{EngagementType::favorites, EngagementType::retweets,
                                          EngagementType::replies};
  const auto request = request_for(Endpoint::totals, posts, types,
                                   {Grouping{"Grand Totals", {GroupLevel::engagement_type}},
                                    Grouping{"per-post", {GroupLevel::tweet_id}}});
  const auto json = parse_json(answer(request, std::nullopt));
  for (const auto type : types) {
    std::uint64_t expected = 0;
    for (const Post& post : posts) expected += demo().cumulative(post, type, kClockStart);
    EXPECT_EQ(leaf(json["Grand Totals"][std::string(wire::to_string(type)).c_str()]), expected);
  }
  for (const Post& post : posts) {
    std::uint64_t expected = 0;
    for (const auto type : types) expected += demo().cumulative(post, type, kClockStart);
    EXPECT_EQ(leaf(json["per-post"][id_text(post).c_str()]), expected);
  }
  EXPECT_EQ(keys_of(json), (std::vector<std::string>{"Grand Totals", "per-post"}));
}

TEST(TotalsResponse, OmitsImpressionsOfPostsOlderThan90DaysAndListsThem) {
  const auto old =
      posts_by("initech_archive", at("2024-01-01T00:00:00Z"), at("2024-03-01T00:00:00Z"));
  ASSERT_FALSE(old.empty());
  const Post& post = old.front();
  const auto request = request_for(
      Endpoint::totals, {post}, {EngagementType::impressions, EngagementType::favorites},
      {kPerPostPerType, Grouping{"totals", {GroupLevel::engagement_type}}});
  EXPECT_EQ(answer(request, std::nullopt),
            R"({"per-tweet":{")" + id_text(post) + R"(":{"favorites":")" +
                std::to_string(demo().cumulative(post, EngagementType::favorites, kClockStart)) +
                R"("}},"totals":{"favorites":")" +
                std::to_string(demo().cumulative(post, EngagementType::favorites, kClockStart)) +
                R"("},"unsupported_for_impressions_engagements_tweet_ids":[")" + id_text(post) +
                R"("],"errors":["Impressions & engagements for tweets older than 90 days (created )"
                R"(before 2026-08-22T00:00:00Z) are not supported"]})");
}

TEST(TotalsResponse, ReportsZeroVideoViewsForPostsOlderThan1800Days) {
  const auto ancient =
      posts_by("initech_archive", at("2020-01-01T00:00:00Z"), at("2020-06-01T00:00:00Z"));
  const auto video =
      std::find_if(ancient.begin(), ancient.end(), [](const Post& p) { return p.has_video; });
  ASSERT_NE(video, ancient.end());
  const auto request =
      request_for(Endpoint::totals, {*video},
                  {EngagementType::video_views, EngagementType::retweets}, {kPerPostPerType});
  const auto json = parse_json(answer(request, std::nullopt));
  const auto& values = json["per-tweet"][id_text(*video).c_str()];
  EXPECT_EQ(leaf(values["video_views"]), 0u);
  EXPECT_EQ(leaf(values["retweets"]),
            demo().cumulative(*video, EngagementType::retweets, kClockStart));
  ASSERT_TRUE(json.HasMember("unsupported_for_video_views_tweet_ids"));
  EXPECT_EQ(std::string(json["unsupported_for_video_views_tweet_ids"][0].GetString()),
            id_text(*video));
  EXPECT_FALSE(json.HasMember("errors"));
}

TEST(TotalsResponse, ListsUnknownAndDeletedPostsAsUnavailableWithTheCount) {
  const auto posts = recent_acme();
  EngagementRequest request = request_for(Endpoint::totals, {posts[0], posts[1]},
                                          {EngagementType::favorites}, {kPerPostPerType});
  request.post_ids.insert(request.post_ids.begin(), 1800000000000000001u);
  const auto json = parse_json(answer(request, std::nullopt, kClockStart, {posts[1].id}));
  EXPECT_EQ(keys_of(json["per-tweet"]), std::vector<std::string>{id_text(posts[0])});
  ASSERT_EQ(json["unavailable_tweet_ids"].Size(), 2u);
  EXPECT_STREQ(json["unavailable_tweet_ids"][0].GetString(), "1800000000000000001");
  EXPECT_EQ(std::string(json["unavailable_tweet_ids"][1].GetString()), id_text(posts[1]));
  EXPECT_STREQ(json["errors"][0].GetString(), "2 Tweet ID(s) are unavailable");
}

TEST(TimeSeriesResponse, EveryHourOfThe28HourWindowIsPresentZerosIncluded) {
  const auto posts = recent_acme();
  const TimeWindow window = last_28_hours(kClockStart);
  const auto request = request_for(Endpoint::hr28, {posts.back()}, {EngagementType::impressions},
                                   {Grouping{"hourly",
                                             {GroupLevel::tweet_id, GroupLevel::engagement_type,
                                              GroupLevel::day, GroupLevel::hour}}});
  const auto json = parse_json(answer(request, window));
  EXPECT_STREQ(json["start"].GetString(), "2026-11-18T20:00:00Z");
  EXPECT_STREQ(json["end"].GetString(), "2026-11-20T01:00:00Z");
  const auto& days = json["hourly"][id_text(posts.back()).c_str()]["impressions"];
  EXPECT_EQ(keys_of(days), (std::vector<std::string>{"2026-11-18", "2026-11-19", "2026-11-20"}));
  EXPECT_EQ(keys_of(days["2026-11-18"]), (std::vector<std::string>{"20", "21", "22", "23"}));
  EXPECT_EQ(days["2026-11-19"].MemberCount(), 24u);
  EXPECT_EQ(keys_of(days["2026-11-20"]), std::vector<std::string>{"00"});
  // Created at 01:12 on the 19th: nothing before, and the filling hour at 00:00 reads 0 at 00:00.
  EXPECT_EQ(leaf(days["2026-11-18"]["23"]), 0u);
  EXPECT_EQ(leaf(days["2026-11-19"]["00"]), 0u);
  EXPECT_EQ(leaf(days["2026-11-20"]["00"]), 0u);
  EXPECT_EQ(leaf(days["2026-11-19"]["01"]),
            demo().hourly(posts.back(), EngagementType::impressions,
                          *common::parse_iso8601("2026-11-19T01:00:00Z"), kClockStart));
}

TEST(TimeSeriesResponse, HourlyValuesAddUpToTheTotalsOfAPostCreatedInsideTheWindow) {
  const auto posts = recent_acme();
  const Post& post = posts.front();
  const common::TimePoint now = at("2026-11-20T09:30:00Z");
  ASSERT_GT(post.created, at("2026-11-19T05:00:00Z")) << "must lie inside both windows";
  const std::vector<EngagementType> types(wire::kTimeSeriesTypes.begin(),
                                          wire::kTimeSeriesTypes.end());
  const Grouping per_hour{
      "h", {GroupLevel::engagement_type, GroupLevel::tweet_id, GroupLevel::day, GroupLevel::hour}};
  EngagementRequest historical_request =
      request_for(Endpoint::historical, {post}, types, {per_hour});
  historical_request.start = *common::parse_iso8601("2026-11-18T00:00:00Z");
  const auto windows = {last_28_hours(now),
                        historical_window(historical_request, now, LimitsConfig{}).value()};
  for (const TimeWindow& window : windows) {
    const auto json =
        parse_json(answer(request_for(Endpoint::hr28, {post}, types, {per_hour}), window, now));
    for (const auto type : types) {
      std::uint64_t sum = 0;
      for (const auto& day :
           json["h"][std::string(wire::to_string(type)).c_str()][id_text(post).c_str()]
               .GetObject()) {
        for (const auto& hour : day.value.GetObject()) sum += leaf(hour.value);
      }
      EXPECT_EQ(sum, demo().cumulative(post, type, now)) << wire::to_string(type);
    }
  }
}

TEST(TimeSeriesResponse, ThreeLevelDayGroupingSumsTheHoursOfEachDay) {
  const auto posts = recent_acme();
  const TimeWindow window = last_28_hours(at("2026-11-20T09:30:00Z"));
  const auto request = request_for(
      Endpoint::hr28, {posts[0], posts[1]}, {EngagementType::favorites},
      {Grouping{"daily", {GroupLevel::tweet_id, GroupLevel::engagement_type, GroupLevel::day}}});
  const auto now = at("2026-11-20T09:30:00Z");
  const auto json = parse_json(answer(request, window, now));
  for (const Post& post : {posts[0], posts[1]}) {
    const auto& days = json["daily"][id_text(post).c_str()]["favorites"];
    EXPECT_EQ(keys_of(days), (std::vector<std::string>{"2026-11-19", "2026-11-20"}));
    std::uint64_t nov19 = 0;
    for (int h = 5; h < 24; ++h) {
      nov19 += demo().hourly(post, EngagementType::favorites,
                             *common::parse_iso8601("2026-11-19T00:00:00Z") + std::chrono::hours(h),
                             now);
    }
    EXPECT_EQ(leaf(days["2026-11-19"]), nov19);
  }
}

TEST(TimeSeriesResponse, HourWithoutDayGivesTwentyFourHourOfDayBucketsSummedOverTheWindow) {
  const auto posts = recent_acme();
  const Post& post = posts.back();
  EngagementRequest request = request_for(
      Endpoint::historical, {post}, {EngagementType::impressions},
      {Grouping{"by-hour", {GroupLevel::engagement_type, GroupLevel::tweet_id, GroupLevel::hour}}});
  const common::TimePoint now = at("2026-11-21T06:00:00Z");
  const TimeWindow window{*common::parse_iso8601("2026-11-19T00:00:00Z"),
                          *common::parse_iso8601("2026-11-21T06:00:00Z")};
  const auto json = parse_json(answer(request, window, now));
  const auto& buckets = json["by-hour"]["impressions"][id_text(post).c_str()];
  ASSERT_EQ(buckets.MemberCount(), 24u);
  EXPECT_EQ(keys_of(buckets).front(), "00");
  EXPECT_EQ(keys_of(buckets).back(), "23");
  const auto hour = [](std::string_view iso) { return *common::parse_iso8601(iso); };
  EXPECT_EQ(
      leaf(buckets["02"]),
      demo().hourly(post, EngagementType::impressions, hour("2026-11-19T02:00:00Z"), now) +
          demo().hourly(post, EngagementType::impressions, hour("2026-11-20T02:00:00Z"), now) +
          demo().hourly(post, EngagementType::impressions, hour("2026-11-21T02:00:00Z"), now));
}

TEST(TimeSeriesResponse, SeveralGroupingsAnswerSideBySide) {
  const auto posts = recent_acme();
  const auto request = request_for(
      Endpoint::hr28, {posts[0]}, {EngagementType::favorites, EngagementType::impressions},
      {Grouping{"a", {GroupLevel::engagement_type}}, Grouping{"b", {GroupLevel::tweet_id}},
       Grouping{"c", {GroupLevel::engagement_type, GroupLevel::tweet_id}}});
  const auto json = parse_json(answer(request, last_28_hours(kClockStart)));
  EXPECT_EQ(keys_of(json), (std::vector<std::string>{"start", "end", "a", "b", "c"}));
  EXPECT_EQ(leaf(json["b"][id_text(posts[0]).c_str()]),
            leaf(json["a"]["favorites"]) + leaf(json["a"]["impressions"]));
  EXPECT_EQ(leaf(json["c"]["favorites"][id_text(posts[0]).c_str()]), leaf(json["a"]["favorites"]));
}

TEST(CheckAccess, BearerMaySeeOnlyThePublicTypesNamingTheOthersInRequestOrder) {
  const auto posts = recent_acme();
  const auto request = request_for(
      Endpoint::totals, {posts[0]},
      {EngagementType::favorites, EngagementType::impressions, EngagementType::engagements},
      {kPerPostPerType});
  const auto resolved = resolve_posts(demo(), request.post_ids, kClockStart, {});
  EXPECT_EQ(check_access(request, resolved, Caller::app()),
            (ApiError{403, {"Forbidden to access metrics: impressions, engagements"}}));
  const auto public_only =
      request_for(Endpoint::totals, {posts[0]},
                  {EngagementType::favorites, EngagementType::video_views}, {kPerPostPerType});
  EXPECT_EQ(check_access(public_only, resolved, Caller::app()), std::nullopt);
}

TEST(CheckAccess, UserContextRefusesTheWholeRequestNamingUnownedPostsInRequestOrder) {
  const auto acme = recent_acme();
  const auto globex = posts_by("globex", at("2026-11-18T00:00:00Z"), kClockStart);
  ASSERT_GE(globex.size(), 2u);
  EngagementRequest request = request_for(Endpoint::totals, {globex[1], acme[0], globex[0]},
                                          {EngagementType::favorites}, {kPerPostPerType});
  request.post_ids.push_back(1800000000000000001u);  // unavailable IDs are not "unowned"
  const auto resolved = resolve_posts(demo(), request.post_ids, kClockStart, {});
  const AccountConfig& acme_account = *demo().account_by_handle("acme");
  EXPECT_EQ(
      check_access(request, resolved, Caller::user(acme_account)),
      (ApiError{
          403, {"Forbidden to access tweets: " + id_text(globex[1]) + ", " + id_text(globex[0])}}));
  const auto own = resolve_posts(demo(), {acme[0].id, 1800000000000000001u}, kClockStart, {});
  EXPECT_EQ(check_access(request, own, Caller::user(acme_account)), std::nullopt);
}

TEST(CheckAccess, ForbiddenTweetsTakeTheChosenStatusOrLeaveThePartialAnswerTo200) {
  const auto acme = recent_acme();
  const auto globex = posts_by("globex", at("2026-11-18T00:00:00Z"), kClockStart);
  const EngagementRequest request = request_for(Endpoint::hr28, {acme[0], globex[0], acme[1]},
                                                {EngagementType::favorites}, {kPerPostPerType});
  ResolvedPosts resolved = resolve_posts(demo(), request.post_ids, kClockStart, {});
  const Caller acme_caller = Caller::user(*demo().account_by_handle("acme"));
  const std::string message = "Forbidden to access tweets: " + id_text(globex[0]);
  EXPECT_EQ(check_access(request, resolved, acme_caller, 400), (ApiError{400, {message}}));
  EXPECT_EQ(check_access(request, resolved, acme_caller, 200), std::nullopt);
  // App-only callers never own anything: nothing to drop, the metrics rule decides.
  ResolvedPosts untouched = resolved;
  EXPECT_TRUE(drop_forbidden_posts(untouched, Caller::app_oauth()).empty());
  EXPECT_EQ(untouched.available.size(), 3u);
  EXPECT_EQ(drop_forbidden_posts(resolved, acme_caller), std::vector<std::string>{message});
  ASSERT_EQ(resolved.available.size(), 2u);
  EXPECT_EQ(resolved.available[0].id, acme[0].id);
  EXPECT_EQ(resolved.available[1].id, acme[1].id);
  EXPECT_TRUE(drop_forbidden_posts(resolved, acme_caller).empty());
}

TEST(CheckAccess, ConsumerKeyOnlyOAuthIsHeldToThePublicTypesLikeBearer) {
  const auto posts = recent_acme();
  const auto request =
      request_for(Endpoint::totals, {posts[0]},
                  {EngagementType::impressions, EngagementType::favorites}, {kPerPostPerType});
  const auto resolved = resolve_posts(demo(), request.post_ids, kClockStart, {});
  EXPECT_EQ(check_access(request, resolved, Caller::app_oauth()),
            (ApiError{403, {"Forbidden to access metrics: impressions"}}));
}

}  // namespace
}  // namespace xee::simulator::server

#include "collectors/hourly_tally.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "fake_engagement_api.h"

namespace xee::collectors {
namespace {

using namespace std::chrono_literals;
using wire::EngagementType;

const Hour kMidnight = *common::parse_iso8601("2026-11-20T00:00:00Z");
constexpr PostId kPost = 1859000000000000000;

// hour of day + type index: easy sums.
std::uint64_t hour_and_type(PostId, EngagementType type, Hour hour) {
  return static_cast<std::uint64_t>((hour.time_since_epoch().count() / 3600) % 24) +
         wire::index_of(type);
}

std::vector<HourlyCount> hours_between(Hour start, Hour end,
                                       testing::HourlyValueSource value = hour_and_type) {
  TimeSeriesRequest request;
  request.post_ids = {kPost};
  request.types.assign(wire::kTimeSeriesTypes.begin(), wire::kTimeSeriesTypes.end());
  return testing::hourly_answer(request, start, end, value).counts;
}

std::uint64_t tally_of(const PostHours& hours, EngagementType type) {
  return hours.tally[wire::index_of(type)];
}

TEST(CompleteUntil, AnHourIsCompleteOnlyOnceTheDelayHasPassed) {
  const auto at = [](std::string_view iso) { return *common::parse_iso8601(iso); };
  EXPECT_EQ(complete_until(at("2026-11-20T00:04:59Z") + 999ms, 5min), at("2026-11-19T23:00:00Z"));
  EXPECT_EQ(complete_until(at("2026-11-20T00:05:00Z"), 5min), kMidnight);
  EXPECT_EQ(complete_until(at("2026-11-20T00:00:00Z"), 0ms), kMidnight);
  EXPECT_EQ(complete_until(at("2026-11-19T23:59:59Z"), 0ms), at("2026-11-19T23:00:00Z"));
}

TEST(PostHours, TheFirstAnswerAddsEveryCompleteHourButNotTheFillingOne) {
  PostHours hours;
  // A /28hr answer at midnight: 18:00 .. 00:00, the last one still filling.
  EXPECT_EQ(hours.absorb(hours_between(kMidnight - 28h, kMidnight + 1h), kMidnight), 28);
  // Hours of day 20..23 and 0..23: 86 + 276 = 362, plus 28 times the type index.
  EXPECT_EQ(tally_of(hours, EngagementType::impressions), 362u);
  EXPECT_EQ(tally_of(hours, EngagementType::engagements), 362u + 28u);
  EXPECT_EQ(tally_of(hours, EngagementType::user_profile_clicks), 362u + 28u * 17u);
  EXPECT_EQ(tally_of(hours, EngagementType::quote_tweets), 0u);
  EXPECT_EQ(hours.last_added, kMidnight - 1h);
  EXPECT_EQ(hours.last_active, kMidnight - 1h);
}

TEST(PostHours, OverlappingAnswersAddEachHourOnce) {
  PostHours hours;
  hours.absorb(hours_between(kMidnight - 28h, kMidnight + 1h), kMidnight);
  // One hour later /28hr repeats 27 of those hours and brings one new complete hour (00:00).
  EXPECT_EQ(hours.absorb(hours_between(kMidnight - 27h, kMidnight + 2h), kMidnight + 1h), 1);
  EXPECT_EQ(tally_of(hours, EngagementType::impressions), 362u + 0u);
  EXPECT_EQ(tally_of(hours, EngagementType::favorites), 362u + 28u * 2u + 2u);
  // The same answer again, and an older one, add nothing.
  EXPECT_EQ(hours.absorb(hours_between(kMidnight - 27h, kMidnight + 2h), kMidnight + 1h), 0);
  EXPECT_EQ(hours.absorb(hours_between(kMidnight - 40h, kMidnight - 20h), kMidnight + 1h), 0);
  EXPECT_EQ(tally_of(hours, EngagementType::favorites), 362u + 28u * 2u + 2u);
  EXPECT_EQ(hours.last_added, kMidnight);
}

TEST(PostHours, TheWindowIsTheLastHourAndTheSumOfTheLast28) {
  PostHours hours;
  EXPECT_EQ(hours.window(), std::nullopt);
  hours.absorb(hours_between(kMidnight - 28h, kMidnight + 1h), kMidnight);
  hours.absorb(hours_between(kMidnight - 26h, kMidnight + 3h), kMidnight + 2h);
  const auto window = hours.window();
  ASSERT_TRUE(window);
  EXPECT_EQ(window->last_hour, kMidnight + 1h);
  EXPECT_EQ(window->last_hour_values[wire::index_of(EngagementType::impressions)], 1u);
  EXPECT_EQ(window->last_hour_values[wire::index_of(EngagementType::retweets)], 4u);
  // 22:00 (day before) .. 01:00: 22 + 23 + (0..23) + 0 + 1 = 322.
  EXPECT_EQ(window->sums[wire::index_of(EngagementType::impressions)], 322u);
  EXPECT_EQ(hours.recent.size(), 28u);
  EXPECT_EQ(hours.recent.begin()->first, kMidnight - 26h);
  EXPECT_TRUE(window->full);
}

TEST(PostHours, The28HourSumsAreFullOnlyWhenAll28HoursAreKnown) {
  PostHours hours;
  // Started at 00:02 with a 5-minute delay: X's /28hr answer begins at 20:00 two days before, but
  // 23:00 is not complete yet, so the 28 hours ending 22:00 would need 19:00 too.
  hours.absorb(hours_between(kMidnight - 28h, kMidnight + 1h), kMidnight - 1h);
  auto window = hours.window();
  ASSERT_TRUE(window);
  EXPECT_EQ(window->last_hour, kMidnight - 2h);
  EXPECT_FALSE(window->full);
  // Once 23:00 is complete the window ends there and holds 28 known hours.
  hours.absorb(hours_between(kMidnight - 28h, kMidnight + 1h), kMidnight);
  window = hours.window();
  ASSERT_TRUE(window);
  EXPECT_EQ(window->last_hour, kMidnight - 1h);
  EXPECT_TRUE(window->full);
}

TEST(PostHours, InactivityIsMeasuredFromTheLastHourWithAnyValue) {
  PostHours hours;
  const auto zeros = [](PostId, EngagementType, Hour) -> std::uint64_t { return 0; };
  hours.absorb(hours_between(kMidnight - 28h, kMidnight + 1h, zeros), kMidnight);
  EXPECT_EQ(hours.last_active, kMidnight - 28h);  // the first hour seen
  const auto one_reply_at_21 = [](PostId, EngagementType type, Hour hour) -> std::uint64_t {
    return type == EngagementType::replies && hour == kMidnight - 3h ? 1 : 0;
  };
  hours.absorb(hours_between(kMidnight - 27h, kMidnight + 2h, one_reply_at_21), kMidnight + 1h);
  EXPECT_EQ(hours.last_active, kMidnight - 3h);
  EXPECT_EQ(tally_of(hours, EngagementType::replies), 0u);  // 21:00 was already added as 0
}

TEST(CountsByPost, GroupsAnAnswerWhateverItsOrder) {
  const std::vector<HourlyCount> counts{{2, EngagementType::replies, kMidnight, 5},
                                        {1, EngagementType::replies, kMidnight, 7},
                                        {2, EngagementType::favorites, kMidnight, 9}};
  const auto grouped = counts_by_post(counts);
  ASSERT_EQ(grouped.size(), 2u);
  EXPECT_EQ(grouped.at(1).size(), 1u);
  EXPECT_EQ(grouped.at(2).size(), 2u);
  EXPECT_EQ(grouped.at(2)[1].value, 9u);
}

}  // namespace
}  // namespace xee::collectors

#include "collectors/hourly_schedule.h"

#include <gtest/gtest.h>

#include "common/time_format.h"

namespace xee::collectors {
namespace {

using namespace std::chrono_literals;

const Hour kMidnight = *common::parse_iso8601("2026-11-20T00:00:00Z");

PostHours known_until(Hour last_added, Hour last_active) {
  PostHours hours;
  hours.last_added = last_added;
  hours.last_active = last_active;
  hours.recent[last_added] = {};
  return hours;
}

TEST(HourlyNeed, ANewPostAsks28hr) {
  EXPECT_EQ(hourly_need(PostHours{}, kMidnight, HourlyCadence{}), HourlyNeed::last_28_hours);
}

TEST(HourlyNeed, DueOnceTheNextHourIsComplete) {
  const PostHours hours = known_until(kMidnight - 1h, kMidnight - 1h);
  EXPECT_EQ(hourly_need(hours, kMidnight, HourlyCadence{}), HourlyNeed::none);
  EXPECT_EQ(hourly_need(hours, kMidnight + 1h, HourlyCadence{}), HourlyNeed::last_28_hours);
}

TEST(HourlyNeed, AfterARestartTheWindowIsRefilledEvenWhenTheTallyIsCurrent) {
  PostHours hours = known_until(kMidnight - 1h, kMidnight - 1h);
  hours.recent.clear();
  EXPECT_EQ(hourly_need(hours, kMidnight, HourlyCadence{}), HourlyNeed::last_28_hours);
}

TEST(HourlyNeed, HoursBeforeThe28HourWindowNeedHistorical) {
  const PostHours hours = known_until(kMidnight - 1h, kMidnight - 1h);
  // The next hour (00:00) is exactly the first of /28hr's window at 04:00 next day.
  EXPECT_EQ(hourly_need(hours, kMidnight + 28h, HourlyCadence{}), HourlyNeed::last_28_hours);
  EXPECT_EQ(hourly_need(hours, kMidnight + 29h, HourlyCadence{}), HourlyNeed::historical);
}

TEST(HourlyNeed, InactivePostsWaitForTheSlowInterval) {
  const HourlyCadence cadence{.delay = 5min, .inactive_after = 48h, .slow_interval = 6h};
  // Last activity in the hour 22:00 two days before: inactive from 23:00 + 48 h on.
  const PostHours hours = known_until(kMidnight - 1h, kMidnight - 26h);
  EXPECT_FALSE(is_inactive(hours, kMidnight + 22h, cadence));
  EXPECT_TRUE(is_inactive(hours, kMidnight + 23h, cadence));
  const PostHours caught_up = known_until(kMidnight + 22h, kMidnight - 26h);
  EXPECT_EQ(hourly_need(caught_up, kMidnight + 28h, cadence), HourlyNeed::none);
  EXPECT_EQ(hourly_need(caught_up, kMidnight + 29h, cadence), HourlyNeed::last_28_hours);
}

TEST(MakeHourlyBatches, GroupsPerAccountAndNeedInBatchesOf25) {
  std::vector<HourlyPostRef> posts;
  for (PostId id = 1; id <= 30; ++id) posts.push_back({id, "acme", HourlyNeed::last_28_hours});
  posts.push_back({100, "globex", HourlyNeed::last_28_hours});
  posts.push_back({101, "acme", HourlyNeed::historical});
  posts.push_back({102, "acme", HourlyNeed::none});
  const auto batches = make_hourly_batches(posts);
  ASSERT_EQ(batches.size(), 4u);
  EXPECT_EQ(batches[0].account, "acme");
  EXPECT_EQ(batches[0].post_ids.size(), 25u);
  EXPECT_EQ(batches[0].post_ids.front(), 1u);
  EXPECT_EQ(batches[1].post_ids, (std::vector<PostId>{26, 27, 28, 29, 30}));
  EXPECT_EQ(batches[2].account, "globex");
  EXPECT_EQ(batches[2].post_ids, std::vector<PostId>{100});
  EXPECT_EQ(batches[3].need, HourlyNeed::historical);
  EXPECT_EQ(batches[3].post_ids, std::vector<PostId>{101});
}

TEST(HourlyBudget, CountsBatchesPerAccountAndTheSlowCadence) {
  const HourlyCadence cadence{.delay = 5min, .inactive_after = 48h, .slow_interval = 6h};
  // acme: 2 hourly batches + 12 slow batches / 6 h; globex: 1 + 0.
  const HourlyBudget budget =
      hourly_budget({{"acme", 26, 300}, {"globex", 3, 0}}, cadence, 0.5, 30);
  EXPECT_DOUBLE_EQ(budget.needed_per_hour, 2 + 12.0 / 6 + 1);
  EXPECT_DOUBLE_EQ(budget.available_per_hour, 15 * 60);
}

TEST(HourlyRequestsPerMinute, IsTheShareRoundedDownButAtLeastOne) {
  EXPECT_EQ(hourly_requests_per_minute(0.5, 30), 15);
  EXPECT_EQ(hourly_requests_per_minute(0.5, 31), 15);
  EXPECT_EQ(hourly_requests_per_minute(0.1, 5), 1);
  EXPECT_EQ(hourly_requests_per_minute(1.0, 60), 60);
}

}  // namespace
}  // namespace xee::collectors

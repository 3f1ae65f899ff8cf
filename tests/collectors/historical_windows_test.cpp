#include "collectors/historical_windows.h"

#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "common/time_format.h"

namespace xee::collectors {
namespace {

std::chrono::sys_seconds at(std::string_view iso) {
  return common::parse_iso8601(iso).value();
}

const std::chrono::sys_seconds kNow = at("2026-11-20T00:00:00Z");

HistoricalWindow window(std::string_view start, std::string_view end) {
  return {at(start), at(end)};
}

Result<std::vector<HistoricalWindow>> split_result(
    std::string_view from, std::string_view to, std::chrono::sys_seconds now,
    std::chrono::sys_seconds earliest = wire::kHistoricalEarliestStart) {
  return split_historical_period(at(from), at(to), now, earliest);
}

std::vector<HistoricalWindow> split(
    std::string_view from, std::string_view to, std::chrono::sys_seconds now = kNow,
    std::chrono::sys_seconds earliest = wire::kHistoricalEarliestStart) {
  auto windows = split_result(from, to, now, earliest);
  EXPECT_TRUE(windows) << windows.error().message;
  return windows.value_or(std::vector<HistoricalWindow>{});
}

std::string split_error(std::string_view from, std::string_view to,
                        std::chrono::sys_seconds now = kNow) {
  auto windows = split_result(from, to, now);
  return windows ? "split without error" : windows.error().message;
}

TEST(SplitHistoricalPeriod, ExactlyTwentyEightDaysIsOneWindow) {
  EXPECT_EQ(split("2026-10-01T00:00:00Z", "2026-10-29T00:00:00Z"),
            (std::vector{window("2026-10-01T00:00:00Z", "2026-10-29T00:00:00Z")}));
}

TEST(SplitHistoricalPeriod, OneHourMoreThanTwentyEightDaysNeedsASecondWindow) {
  EXPECT_EQ(split("2026-10-01T00:00:00Z", "2026-10-29T01:00:00Z"),
            (std::vector{window("2026-10-01T00:00:00Z", "2026-10-29T00:00:00Z"),
                         window("2026-10-29T00:00:00Z", "2026-10-29T01:00:00Z")}));
}

TEST(SplitHistoricalPeriod, WindowsCrossMonthAndYearEndsByElapsedTime) {
  EXPECT_EQ(split("2025-12-20T00:00:00Z", "2026-01-25T00:00:00Z"),
            (std::vector{window("2025-12-20T00:00:00Z", "2026-01-17T00:00:00Z"),
                         window("2026-01-17T00:00:00Z", "2026-01-25T00:00:00Z")}));
  // October has 31 days and November 30: windows never follow calendar months.
  EXPECT_EQ(split("2026-09-30T00:00:00Z", "2026-11-30T00:00:00Z", at("2026-12-01T00:00:00Z")),
            (std::vector{window("2026-09-30T00:00:00Z", "2026-10-28T00:00:00Z"),
                         window("2026-10-28T00:00:00Z", "2026-11-25T00:00:00Z"),
                         window("2026-11-25T00:00:00Z", "2026-11-30T00:00:00Z")}));
}

TEST(SplitHistoricalPeriod, LeapDayIsOneOfTheTwentyEightDays) {
  EXPECT_EQ(split("2024-02-15T00:00:00Z", "2024-03-20T00:00:00Z"),
            (std::vector{window("2024-02-15T00:00:00Z", "2024-03-14T00:00:00Z"),
                         window("2024-03-14T00:00:00Z", "2024-03-20T00:00:00Z")}));
}

TEST(SplitHistoricalPeriod, WidensToWholeHoursAsXDoes) {
  EXPECT_EQ(split("2026-11-10T12:24:00Z", "2026-11-11T08:37:00Z"),
            (std::vector{window("2026-11-10T12:00:00Z", "2026-11-11T09:00:00Z")}));
}

TEST(SplitHistoricalPeriod, NeverStartsBeforeTheDefaultLowerBound) {
  EXPECT_EQ(split("2014-08-01T00:00:00Z", "2014-09-10T00:00:00Z"),
            (std::vector{window("2014-09-01T00:00:00Z", "2014-09-10T00:00:00Z")}));
}

TEST(SplitHistoricalPeriod, NeverStartsBeforeAConfiguredLowerBoundRoundedUpToItsHour) {
  const auto last_year = historical_earliest_start(kNow, std::chrono::days{365});
  EXPECT_EQ(split("2025-11-01T00:00:00Z", "2025-11-25T00:00:00Z", kNow, last_year),
            (std::vector{window("2025-11-20T00:00:00Z", "2025-11-25T00:00:00Z")}));
  EXPECT_EQ(split("2025-11-01T00:00:00Z", "2025-11-25T00:00:00Z", kNow, at("2025-11-20T00:30:00Z")),
            (std::vector{window("2025-11-20T01:00:00Z", "2025-11-25T00:00:00Z")}));
}

TEST(SplitHistoricalPeriod, APeriodEntirelyBeforeTheLowerBoundIsAnError) {
  EXPECT_EQ(split_error("2014-08-01T00:00:00Z", "2014-08-31T00:00:00Z"),
            "historical period 2014-08-01T00:00:00Z to 2014-08-31T00:00:00Z ends before the "
            "earliest start X serves, 2014-09-01T00:00:00Z");
}

TEST(SplitHistoricalPeriod, AFutureEndIsClampedToTheLastCompleteHour) {
  const auto now = at("2026-11-20T10:37:00Z");
  EXPECT_EQ(split("2026-11-19T00:00:00Z", "2026-12-01T00:00:00Z", now),
            (std::vector{window("2026-11-19T00:00:00Z", "2026-11-20T10:00:00Z")}));
  EXPECT_EQ(split_error("2026-11-20T10:05:00Z", "2026-11-21T00:00:00Z", now),
            "historical period 2026-11-20T10:05:00Z to 2026-11-21T00:00:00Z has no complete hour "
            "yet: complete hours end at 2026-11-20T10:00:00Z");
}

TEST(SplitHistoricalPeriod, EmptyAndInvertedPeriodsAreErrors) {
  EXPECT_EQ(split_error("2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"),
            "historical period 2026-11-01T00:00:00Z to 2026-11-01T00:00:00Z is empty");
  EXPECT_EQ(split_error("2026-11-02T00:00:00Z", "2026-11-01T00:00:00Z"),
            "historical period 2026-11-02T00:00:00Z to 2026-11-01T00:00:00Z is inverted: from is "
            "after to");
}

TEST(HistoricalEarliestStart, IsTheLaterOfTheApiFloorAndTheLookback) {
  EXPECT_EQ(historical_earliest_start(kNow, std::chrono::days{365}), at("2025-11-20T00:00:00Z"));
  EXPECT_EQ(historical_earliest_start(at("2015-01-01T00:00:00Z"), std::chrono::days{365}),
            at("2014-09-01T00:00:00Z"));
  EXPECT_EQ(historical_earliest_start(kNow, std::chrono::days{0}), at("2014-09-01T00:00:00Z"));
}

TEST(SplitIntoBatches, KeepsOrderInBatchesOfAtMostTwentyFive) {
  std::vector<wire::PostId> ids(60);
  std::iota(ids.begin(), ids.end(), wire::PostId{1000});
  const auto batches = split_into_batches(ids);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0], std::vector<wire::PostId>(ids.begin(), ids.begin() + 25));
  EXPECT_EQ(batches[1], std::vector<wire::PostId>(ids.begin() + 25, ids.begin() + 50));
  EXPECT_EQ(batches[2], std::vector<wire::PostId>(ids.begin() + 50, ids.end()));

  EXPECT_EQ(split_into_batches(std::span(ids).first(25)).size(), 1u);
  EXPECT_EQ(split_into_batches(std::span(ids).first(26)).size(), 2u);
  EXPECT_TRUE(split_into_batches({}).empty());
  EXPECT_EQ(split_into_batches(std::span(ids).first(3), 0).size(), 3u);
}

}  // namespace
}  // namespace xee::collectors

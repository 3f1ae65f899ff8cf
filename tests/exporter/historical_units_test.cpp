#include "exporter/historical_units.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "historical_fixture.h"

namespace xee::exporter {
namespace {

using testing::at;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kAcme;
using testing::post_created;

const auto kNow = at("2026-11-20T00:30:00Z");

TEST(ParseRange, WidensToWholeHoursAsXDoes) {
  const auto range = parse_range("2026-11-19T12:24:00Z", "2026-11-19T20:37:00Z", kNow);
  ASSERT_TRUE(range) << range.error().message;
  EXPECT_EQ(range->start, at("2026-11-19T12:00:00Z"));
  EXPECT_EQ(range->end, at("2026-11-19T21:00:00Z"));
}

TEST(ParseRange, AcceptsDatesAndAnEndAtTheCurrentHour) {
  const auto range = parse_range("2026-10-01", "2026-11-20T00:00:00Z", kNow);
  ASSERT_TRUE(range) << range.error().message;
  EXPECT_EQ(range->start, at("2026-10-01T00:00:00Z"));
  EXPECT_EQ(range->end, at("2026-11-20T00:00:00Z"));
}

TEST(ParseRange, RefusesFromNotBeforeTo) {
  const auto same = parse_range("2026-11-01", "2026-11-01", kNow);
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().message, "--from (2026-11-01) must be earlier than --to (2026-11-01)");
  EXPECT_FALSE(parse_range("2026-11-02", "2026-11-01", kNow));
}

TEST(ParseRange, RefusesAnEndInTheIncompleteOrFutureHour) {
  // 00:10 widens to 01:00: the hour 00:00-01:00 is still running at 00:30.
  const auto partial = parse_range("2026-11-19", "2026-11-20T00:10:00Z", kNow);
  ASSERT_FALSE(partial);
  EXPECT_EQ(partial.error().message,
            "--to: 2026-11-20T00:10:00Z (widened to 2026-11-20T01:00:00Z) is after the last "
            "complete hour on X's clock; the latest allowed is 2026-11-20T00:00:00Z");
  EXPECT_FALSE(parse_range("2026-11-19", "2026-12-01", kNow));
}

TEST(ParseRange, RefusesAStartBeforeTheLowerBoundAndGarbage) {
  const auto early = parse_range("2014-08-31T23:00:00Z", "2014-09-02", kNow);
  ASSERT_FALSE(early);
  EXPECT_THAT(early.error().message, HasSubstr("before 2014-09-01T00:00:00Z"));
  EXPECT_TRUE(parse_range("2014-09-01", "2014-09-02", kNow));
  const auto garbage = parse_range("yesterday", "2026-11-01", kNow);
  ASSERT_FALSE(garbage);
  EXPECT_THAT(garbage.error().message, HasSubstr("--from: \"yesterday\""));
  EXPECT_FALSE(parse_range("2026-11-01", "2026-13-01", kNow));
}

TEST(PlanHistorical, WindowsOfAtMost28DaysAcrossMonthEnds) {
  const std::vector<collectors::TrackedPost> posts{
      {post_created(at("2025-12-01T00:00:00Z"), 1), "acme"}};
  // 2026-02 has 28 days; windows are 28 days whatever the month.
  const HistoricalPlan plan = plan_historical(
      posts, {{"acme", kAcme}}, {at("2026-01-31T05:00:00Z"), at("2026-03-01T00:00:00Z")});
  EXPECT_THAT(plan.windows,
              ElementsAre(HourWindow{at("2026-01-31T05:00:00Z"), at("2026-02-28T05:00:00Z")},
                          HourWindow{at("2026-02-28T05:00:00Z"), at("2026-03-01T00:00:00Z")}));
  ASSERT_EQ(plan.units.size(), 2u);
  EXPECT_EQ(plan.units[1].window, plan.windows[1]);
}

TEST(PlanHistorical, BatchesOf25PerAccountAndSkipsWindowsBeforeCreation) {
  std::vector<collectors::TrackedPost> posts;
  for (std::uint32_t i = 0; i < 26; ++i) {
    posts.push_back(
        {post_created(at("2026-11-01T00:00:00Z") + std::chrono::minutes{i}, i), "acme"});
  }
  const PostId unowned = post_created(at("2026-11-02T00:00:00Z"), 900);
  const PostId no_tokens = post_created(at("2026-11-02T00:00:00Z"), 901);
  posts.push_back({unowned, ""});
  posts.push_back({no_tokens, "globex"});
  const HistoricalPlan plan = plan_historical(
      posts, {{"acme", kAcme}}, {at("2026-10-01T00:00:00Z"), at("2026-11-20T00:00:00Z")});

  ASSERT_EQ(plan.windows.size(), 2u);
  // The first window ends 2026-10-29, before every Post was created.
  ASSERT_EQ(plan.units.size(), 2u);
  EXPECT_EQ(plan.units[0].post_ids.size(), 25u);
  EXPECT_EQ(plan.units[1].post_ids, std::vector<PostId>{posts[25].id});
  EXPECT_EQ(plan.units[0].window, plan.windows[1]);
  EXPECT_EQ(plan.owned_posts.size(), 26u);
  EXPECT_THAT(plan.unowned, ElementsAre(unowned));
  EXPECT_THAT(plan.without_tokens, ElementsAre(no_tokens));
}

TEST(PlanHistorical, FingerprintChangesWithTheRangeAndThePosts) {
  const std::vector<collectors::TrackedPost> posts{
      {post_created(at("2026-09-01T00:00:00Z"), 1), "acme"}};
  const auto a = plan_historical(posts, {{"acme", kAcme}},
                                 {at("2026-10-01T00:00:00Z"), at("2026-11-01T00:00:00Z")});
  const auto b = plan_historical(posts, {{"acme", kAcme}},
                                 {at("2026-10-01T00:00:00Z"), at("2026-11-02T00:00:00Z")});
  auto more = posts;
  more.push_back({post_created(at("2026-09-02T00:00:00Z"), 2), "acme"});
  const auto c = plan_historical(more, {{"acme", kAcme}},
                                 {at("2026-10-01T00:00:00Z"), at("2026-11-01T00:00:00Z")});
  EXPECT_EQ(a.fingerprint(),
            plan_historical(posts, {{"acme", kAcme}},
                            {at("2026-10-01T00:00:00Z"), at("2026-11-01T00:00:00Z")})
                .fingerprint());
  EXPECT_NE(a.fingerprint(), b.fingerprint());
  EXPECT_NE(a.fingerprint(), c.fingerprint());
  EXPECT_THAT(a.fingerprint(), HasSubstr("2026-10-01T00:00:00Z/2026-11-01T00:00:00Z units=2"));
}

}  // namespace
}  // namespace xee::exporter

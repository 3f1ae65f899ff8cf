#include "exporter/backfill.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "exporter/openmetrics_writer.h"
#include "historical_fixture.h"

namespace xee::exporter {
namespace {

using testing::at;
using ::testing::ElementsAre;
using testing::FakeHistoricalApi;
using ::testing::HasSubstr;
using testing::HistoricalHarness;
using testing::post_created;
using testing::RecordedHistorical;

const HourWindow kRange{at("2026-10-01T00:00:00Z"), at("2026-11-20T00:00:00Z")};
const HourWindow kFirstWindow{at("2026-10-01T00:00:00Z"), at("2026-10-29T00:00:00Z")};
const HourWindow kSecondWindow{at("2026-10-29T00:00:00Z"), at("2026-11-20T00:00:00Z")};
const PostId kFirst = post_created(at("2026-09-15T08:00:00Z"), 1);
const PostId kSecond = post_created(at("2026-09-16T08:00:00Z"), 2);
const PostId kUnowned = post_created(at("2026-09-16T09:00:00Z"), 3);

HistoricalPlan demo_plan(const HourWindow& range = kRange) {
  return plan_historical({{kFirst, "acme"}, {kSecond, "acme"}, {kUnowned, ""}},
                         {{"acme", testing::kAcme}}, range);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void fail_window_starting(FakeHistoricalApi& api, std::chrono::sys_seconds start) {
  api.set_failure_rule([start](const collectors::TimeSeriesRequest& request)
                           -> std::optional<collectors::ApiFailure> {
    if (*request.start != start) return std::nullopt;
    return collectors::ApiFailure{
        collectors::FailureKind::server, "historical: HTTP 503: internal server error", {}};
  });
}

std::size_t count_lines(const std::string& text, std::string_view prefix) {
  std::size_t count = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) count += line.starts_with(prefix);
  return count;
}

TEST(Backfill, WritesEveryHourOfEveryTypeOnceWithHourEndTimestamps) {
  const std::string dir = testing::fresh_dir("backfill-clean");
  HistoricalHarness harness;
  auto context = harness.context();
  ASSERT_EQ(run_backfill(demo_plan(), {dir + "/out.om", ""}, context), kExitOk)
      << harness.messages.str();
  EXPECT_THAT(
      harness.api.requests(),
      ElementsAre(RecordedHistorical{{kFirst, kSecond}, kFirstWindow.start, kFirstWindow.end},
                  RecordedHistorical{{kFirst, kSecond}, kSecondWindow.start, kSecondWindow.end}));
  const std::string text = read_file(dir + "/out.om");
  const std::size_t hours = 50 * 24;
  EXPECT_EQ(count_lines(text, "x_engagement_post_last_hour_impressions{"), 2 * hours);
  EXPECT_EQ(count_lines(text, "x_engagement_post_last_hour_engagements{"), 2 * hours);
  EXPECT_EQ(count_lines(text, "x_engagement_post_last_hour_interactions{"), 2 * 15 * hours);
  EXPECT_EQ(count_lines(text, "# TYPE "), 3u);
  EXPECT_TRUE(text.ends_with("\n# EOF\n"));
  // The hour 10:00-11:00 is stamped 11:00.
  const auto hour = at("2026-11-13T10:00:00Z");
  EXPECT_THAT(text,
              HasSubstr(sample_line(
                  {kSecond, wire::EngagementType::impressions, hour,
                   testing::hourly_value(kSecond, wire::EngagementType::impressions, hour)})));
  EXPECT_THAT(text, HasSubstr("x_engagement_post_last_hour_impressions{post_id=\"" +
                              wire::format_post_id(kSecond) + "\"} " +
                              std::to_string(testing::hourly_value(
                                  kSecond, wire::EngagementType::impressions, hour)) +
                              " 1794567600\n"));
  EXPECT_THAT(harness.messages.str(),
              HasSubstr("skipping 1 Posts without an account in the configuration: X serves "
                        "hourly data for owned Posts only: " +
                        wire::format_post_id(kUnowned)));
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.om.checkpoint"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.om.parts"));
}

TEST(Backfill, ResumesAfterAFailureWithoutRefetchingOrLosingAnything) {
  const std::string reference_dir = testing::fresh_dir("backfill-reference");
  {
    HistoricalHarness harness;
    auto context = harness.context();
    ASSERT_EQ(run_backfill(demo_plan(), {reference_dir + "/out.om", ""}, context), kExitOk);
  }
  const std::string dir = testing::fresh_dir("backfill-resume");
  const std::string output = dir + "/out.om";
  {
    HistoricalHarness harness;
    fail_window_starting(harness.api, kSecondWindow.start);
    auto context = harness.context();
    EXPECT_EQ(run_backfill(demo_plan(), {output, ""}, context), kExitFailed);
    // Two sends of the failing window: max_attempts 2.
    EXPECT_EQ(harness.api.requests().size(), 3u);
    EXPECT_THAT(harness.messages.str(),
                HasSubstr("1 of 2 requests failed; rerun the same command to fetch only these"));
    EXPECT_THAT(harness.messages.str(),
                HasSubstr("  acme: Posts " + wire::format_post_id(kFirst) + "," +
                          wire::format_post_id(kSecond) +
                          " window 2026-10-29T00:00:00Z/2026-11-20T00:00:00Z: historical: HTTP "
                          "503: internal server error\n"));
    EXPECT_FALSE(std::filesystem::exists(output));
    EXPECT_TRUE(std::filesystem::exists(output + ".checkpoint"));
  }
  {
    HistoricalHarness harness;
    auto context = harness.context();
    ASSERT_EQ(run_backfill(demo_plan(), {output, ""}, context), kExitOk) << harness.messages.str();
    EXPECT_THAT(
        harness.api.requests(),
        ElementsAre(RecordedHistorical{{kFirst, kSecond}, kSecondWindow.start, kSecondWindow.end}));
    EXPECT_THAT(harness.messages.str(), HasSubstr("1 of 2 requests already done"));
  }
  EXPECT_EQ(read_file(output), read_file(reference_dir + "/out.om"));
}

TEST(Backfill, IgnoresATornCheckpointLineAndFetchesThatUnitAgain) {
  const std::string dir = testing::fresh_dir("backfill-torn");
  const std::string output = dir + "/out.om";
  {
    HistoricalHarness harness;
    fail_window_starting(harness.api, kSecondWindow.start);
    auto context = harness.context();
    ASSERT_EQ(run_backfill(demo_plan(), {output, ""}, context), kExitFailed);
  }
  // A crash while appending the second unit's line.
  std::ofstream(output + ".checkpoint", std::ios::app) << "done 1 " << output << ".parts/unit-";
  HistoricalHarness harness;
  auto context = harness.context();
  ASSERT_EQ(run_backfill(demo_plan(), {output, ""}, context), kExitOk) << harness.messages.str();
  EXPECT_EQ(harness.api.requests().size(), 1u);
  EXPECT_EQ(count_lines(read_file(output), "x_engagement_post_last_hour_impressions{"),
            2u * 50 * 24);
}

TEST(Backfill, RefusesACheckpointOfOtherArguments) {
  const std::string dir = testing::fresh_dir("backfill-changed");
  const std::string output = dir + "/out.om";
  {
    HistoricalHarness harness;
    fail_window_starting(harness.api, kSecondWindow.start);
    auto context = harness.context();
    ASSERT_EQ(run_backfill(demo_plan(), {output, ""}, context), kExitFailed);
  }
  HistoricalHarness harness;
  auto context = harness.context();
  const HourWindow other{at("2026-10-02T00:00:00Z"), at("2026-11-20T00:00:00Z")};
  EXPECT_EQ(run_backfill(demo_plan(other), {output, ""}, context), kExitUsage);
  EXPECT_TRUE(harness.api.requests().empty());
  EXPECT_THAT(harness.messages.str(),
              HasSubstr(output + ".checkpoint:2: this checkpoint belongs to a backfill with other "
                                 "arguments (plan 2026-10-01T00:00:00Z/2026-11-20T00:00:00Z"));
}

TEST(Backfill, NamesRefusedPostsAndKeepsTheUnitForTheNextRun) {
  const std::string dir = testing::fresh_dir("backfill-forbidden");
  HistoricalHarness harness;
  harness.api.set_failure_rule(
      [](const collectors::TimeSeriesRequest&) -> std::optional<collectors::ApiFailure> {
        return collectors::ApiFailure{
            collectors::FailureKind::forbidden_posts,
            "historical: HTTP 403: Forbidden to access tweets: " + wire::format_post_id(kSecond),
            {kSecond}};
      });
  auto context = harness.context();
  EXPECT_EQ(run_backfill(demo_plan(), {dir + "/out.om", ""}, context), kExitFailed);
  // Not retried: X would refuse it the same way.
  EXPECT_EQ(harness.api.requests().size(), 2u);
  EXPECT_THAT(harness.messages.str(), HasSubstr("2 of 2 requests failed"));
  EXPECT_THAT(harness.messages.str(),
              HasSubstr("(refused Posts: " + wire::format_post_id(kSecond) + ")"));
}

}  // namespace
}  // namespace xee::exporter

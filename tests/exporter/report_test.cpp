#include "exporter/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "historical_fixture.h"

namespace xee::exporter {
namespace {

using testing::at;
using ::testing::HasSubstr;
using testing::HistoricalHarness;
using testing::post_created;
using ::testing::StartsWith;
using wire::EngagementType;

const PostId kPost = post_created(at("2026-09-15T08:00:00Z"), 1);

HistoricalPlan plan_for(const HourWindow& range) {
  return plan_historical({{kPost, "acme"}}, {{"acme", testing::kAcme}}, range);
}

TEST(Report, SumsTheHoursOfEveryWindowAcrossTheBoundary) {
  const HourWindow range{at("2026-10-01T00:00:00Z"), at("2026-11-20T00:00:00Z")};
  const HistoricalPlan plan = plan_for(range);
  HistoricalHarness harness;
  auto context = harness.context();
  std::ostringstream out;
  ASSERT_EQ(run_report(plan, range, ReportFormat::csv, out, context), kExitOk)
      << harness.messages.str();
  ASSERT_EQ(harness.api.requests().size(), 2u);
  // 50 days of hours; the fake's values repeat every 5 hours: 0+1+2+3+4 per 5 hours.
  const std::uint64_t hours = 50 * 24;
  const std::uint64_t impressions = hours * 1000 + (hours / 5) * 10;
  const std::uint64_t url_clicks = hours * 1090 + (hours / 5) * 10;
  EXPECT_THAT(out.str(), HasSubstr(wire::format_post_id(kPost) + ",acme,impressions," +
                                   std::to_string(impressions) + "\n"));
  EXPECT_THAT(out.str(), HasSubstr(wire::format_post_id(kPost) + ",acme,url_clicks," +
                                   std::to_string(url_clicks) + "\n"));
}

TEST(Report, CsvHasOneRowPerPostAndTypeInTypeOrder) {
  // 10:00 is hour 498490 since the epoch (≡ 0 mod 5), 11:00 ≡ 1.
  const HourWindow range{at("2026-11-13T10:00:00Z"), at("2026-11-13T12:00:00Z")};
  HistoricalHarness harness;
  auto context = harness.context();
  std::ostringstream out;
  ASSERT_EQ(run_report(plan_for(range), range, ReportFormat::csv, out, context), kExitOk);
  const std::string id = wire::format_post_id(kPost);
  EXPECT_THAT(out.str(), StartsWith("post_id,account,engagement_type,total\n" + id +
                                    ",acme,impressions,2001\n" + id + ",acme,engagements,2021\n" +
                                    id + ",acme,favorites,2041\n" + id + ",acme,retweets,2061\n" +
                                    id + ",acme,replies,2101\n"));
  const std::string csv = out.str();
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 18);
}

TEST(Report, JsonNamesTheRangeAndKeepsIdsAsStrings) {
  const HourWindow range{at("2026-11-13T10:00:00Z"), at("2026-11-13T12:00:00Z")};
  const std::vector<ReportRow> rows{{kPost, "acme", EngagementType::impressions, 2001}};
  EXPECT_EQ(format_json(rows, range),
            "{\"from\":\"2026-11-13T10:00:00Z\",\"to\":\"2026-11-13T12:00:00Z\",\"totals\":[{"
            "\"post_id\":\"" +
                wire::format_post_id(kPost) +
                "\",\"account\":\"acme\",\"engagement_type\":\"impressions\",\"total\":2001}]}\n");
}

TEST(Report, WritesNothingAndNamesTheWindowWhenAUnitFails) {
  const HourWindow range{at("2026-10-01T00:00:00Z"), at("2026-11-20T00:00:00Z")};
  HistoricalHarness harness;
  harness.api.set_failure_rule(
      [](const collectors::TimeSeriesRequest& request) -> std::optional<collectors::ApiFailure> {
        if (*request.start != at("2026-10-01T00:00:00Z")) return std::nullopt;
        return collectors::ApiFailure{
            collectors::FailureKind::bad_request, "historical: HTTP 400: start is too early", {}};
      });
  auto context = harness.context();
  std::ostringstream out;
  EXPECT_EQ(run_report(plan_for(range), range, ReportFormat::json, out, context), kExitFailed);
  EXPECT_EQ(out.str(), "");
  EXPECT_THAT(harness.messages.str(),
              HasSubstr("1 of 2 requests failed; no report written:\n  acme: Posts " +
                        wire::format_post_id(kPost) +
                        " window 2026-10-01T00:00:00Z/2026-10-29T00:00:00Z: historical: HTTP 400: "
                        "start is too early\n"));
}

}  // namespace
}  // namespace xee::exporter

// Every dashboard under grafana/dashboards/ follows the conventions (grafana/README.md), and the
// checker finds each broken one in small bad dashboards.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/grafana/dashboard.h"

namespace xee::grafana {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> lint_fixture(const std::string& name) {
  auto dashboard = parse_dashboard_file(XEE_TEST_DIR "/fixtures/" + name);
  if (!dashboard) {
    ADD_FAILURE() << dashboard.error().message;
    return {};
  }
  return lint_dashboard(name, *dashboard);
}

TEST(Dashboards, EveryFileFollowsTheConventions) {
  const std::vector<std::string> files = dashboard_files();
  ASSERT_EQ(files.size(), 4u) << "overview, post detail, hashtags and campaigns, exporter health";
  std::set<std::string> uids;
  for (const std::string& file : files) {
    auto dashboard = parse_dashboard_file(file);
    ASSERT_TRUE(dashboard) << dashboard.error().message;
    const std::string name = std::filesystem::path(file).filename().string();
    EXPECT_THAT(lint_dashboard(name, *dashboard), IsEmpty());
    EXPECT_TRUE(uids.insert((*dashboard)["uid"].GetString()).second)
        << name << ": uid " << (*dashboard)["uid"].GetString() << " is used twice";
    EXPECT_FALSE(panel_queries(*dashboard).empty()) << name;
  }
}

TEST(Dashboards, TheFourDashboardsKeepTheirUids) {
  std::set<std::string> uids;
  for (const std::string& file : dashboard_files()) {
    auto dashboard = parse_dashboard_file(file);
    ASSERT_TRUE(dashboard) << dashboard.error().message;
    uids.insert((*dashboard)["uid"].GetString());
  }
  EXPECT_EQ(uids, (std::set<std::string>{"xee-overview", "xee-post-detail",
                                         "xee-hashtags-campaigns", "xee-exporter-health"}));
}

TEST(DashboardLint, AFollowingDashboardHasNoFindings) {
  EXPECT_THAT(lint_fixture("good-minimal.json"), IsEmpty());
}

TEST(DashboardLint, NamesEveryBrokenDashboardSetting) {
  EXPECT_THAT(
      lint_fixture("bad-header.json"),
      ElementsAre(
          "bad-header.json: id must be null (Grafana assigns its own on import)",
          "bad-header.json: uid must be a fixed non-empty string (links and URLs depend on it)",
          "bad-header.json: schemaVersion must be 39 (the classic schema every dashboard pins)",
          "bad-header.json: editable must be false (the files are the source of truth)",
          "bad-header.json: tags must contain \"x-engagement\"",
          "bad-header.json: title must start with \"X Engagement / \"",
          "bad-header.json: links must hold a dashboards link by tag \"x-engagement\"",
          "bad-header.json: needs a variable \"datasource\" of type datasource with query "
          "prometheus",
          "bad-header.json: needs a query variable \"job\" with "
          "label_values(x_engagement_build_info..., job)",
          "bad-header.json: needs a query variable \"instance\" with "
          "label_values(x_engagement_build_info..., instance)",
          "bad-header.json: variable \"post_id\": datasource must be {\"type\": \"prometheus\", "
          "\"uid\": \"${datasource}\"}"));
}

TEST(DashboardLint, NamesThePanelAndTargetOfEveryBrokenPanel) {
  const std::string datasource =
      "datasource must be {\"type\": \"prometheus\", \"uid\": \"${datasource}\"}";
  EXPECT_THAT(
      lint_fixture("bad-panels.json"),
      ElementsAre(
          "bad-panels.json: panel \"No datasource, no unit\": " + datasource,
          "bad-panels.json: panel \"No datasource, no unit\": fieldConfig.defaults.unit must be "
          "set",
          "bad-panels.json: panel \"Counts with unit none\": unit \"none\": use \"short\" for "
          "counts",
          "bad-panels.json: panel \"Counts with unit none\": target A: x_engagement_post_info "
          "does not filter on instance=~\"$instance\"",
          "bad-panels.json: panel \"Fixed ranges\": target A: rate() over [5m]: use "
          "[$__rate_interval]",
          "bad-panels.json: panel \"Fixed ranges\": target A: irate() over [$__interval]: use "
          "[$__rate_interval]",
          "bad-panels.json: panel \"Inside the row\": needs an id unique in the dashboard",
          "bad-panels.json: panel \"Inside the row\": target B: " + datasource,
          "bad-panels.json: panel \"Inside the row\": target B: "
          "account:x_engagement_post_lifetime_impressions:sum does not filter on job=~\"$job\"",
          "bad-panels.json: panel \"Inside the row\": target B: "
          "account:x_engagement_post_lifetime_impressions:sum does not filter on "
          "instance=~\"$instance\"",
          "bad-panels.json: panel \"Empty\": has no targets"));
}

TEST(DashboardLint, NamesColoursThatMeanNothingAndVariablesWithoutACurrentValue) {
  EXPECT_THAT(
      lint_fixture("bad-colours.json"),
      ElementsAre(
          "bad-colours.json: variable \"datasource\": current must hold text and value, or be "
          "left out",
          "bad-colours.json: variable \"job\": current is All ($__all) but includeAll is not true",
          "bad-colours.json: panel \"No thresholds\": fieldConfig.defaults.color.mode must be set",
          "bad-colours.json: panel \"No thresholds\": fieldConfig.defaults.thresholds must be set "
          "(Grafana's default is red at 80)",
          "bad-colours.json: panel \"Grafana's default\": thresholds are Grafana's default (green, "
          "red at 80): set ones that mean something",
          "bad-colours.json: panel \"Down looks healthy\": the first threshold step needs value "
          "null",
          "bad-colours.json: panel \"Down looks healthy\": a health flag (bool_yes_no) must be red "
          "below 1 and green from 1",
          "bad-colours.json: panel \"Down looks healthy\": a health flag (bool_yes_no) needs a "
          "value mapping showing 0 in red"));
}

TEST(SelectorFindings, EachSelectorOfAJoinNeedsBothFilters) {
  EXPECT_THAT(selector_findings("x_engagement_a{job=~\"$job\",instance=~\"$instance\"} * on "
                                "(post_id) group_left (account) x_engagement_post_info"),
              ElementsAre("x_engagement_post_info does not filter on job=~\"$job\"",
                          "x_engagement_post_info does not filter on instance=~\"$instance\""));
}

TEST(SelectorFindings, NamesInsideStringsAndLookalikeFiltersDoNotCount) {
  EXPECT_THAT(selector_findings("up{reason=\"x_engagement_post_info\"}"), IsEmpty());
  EXPECT_THAT(selector_findings("x_engagement_a{myjob=~\"$job\", instance=~\"$instance\"}"),
              ElementsAre("x_engagement_a does not filter on job=~\"$job\""));
}

TEST(RateIntervalFindings, IncreaseWithoutARangeAndNestedCallsAreFound) {
  EXPECT_THAT(rate_interval_findings("increase(x)"), ElementsAre("increase() without a range"));
  EXPECT_THAT(rate_interval_findings("sum(rate(x[$__rate_interval])) / sum(rate(y[ 1h ]))"),
              ElementsAre("rate() over [ 1h ]: use [$__rate_interval]"));
  EXPECT_THAT(rate_interval_findings("last_over_time(x[1h]) + separate(x[1h])"), IsEmpty());
}

TEST(PanelQueries, IncludeThePanelsInsideCollapsedRows) {
  auto dashboard = parse_dashboard_file(XEE_TEST_DIR "/fixtures/good-minimal.json");
  ASSERT_TRUE(dashboard) << dashboard.error().message;
  const std::vector<DashboardQuery> queries = panel_queries(*dashboard);
  ASSERT_EQ(queries.size(), 2u);
  EXPECT_EQ(queries[1].source, "panel \"Rate\"");
  EXPECT_EQ(queries[1].panel_type, "stat");
  EXPECT_EQ(queries[1].expr,
            "post:x_engagement_engagement_rate:ratio{instance=~\"$instance\",job=~\"$job\"}");
  const std::vector<DashboardQuery> variables = variable_queries(*dashboard);
  ASSERT_EQ(variables.size(), 2u);
  EXPECT_EQ(variables[1].expr, "label_values(x_engagement_build_info{job=~\"$job\"}, instance)");
}

}  // namespace
}  // namespace xee::grafana

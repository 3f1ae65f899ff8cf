#pragma once
// The project's Grafana dashboards (grafana/dashboards/*.json) as the tests see them: parsed,
// their panels flattened out of rows, their PromQL listed, and checked against the conventions
// every dashboard follows (grafana/README.md).

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace xee::grafana {

// The classic (pre-scenes) schema every dashboard file pins: Grafana 10.4 and 11 save it, later
// versions migrate it on load.
inline constexpr int kSchemaVersion = 39;
inline constexpr std::string_view kTag = "x-engagement";
inline constexpr std::string_view kTitlePrefix = "X Engagement / ";

// grafana/dashboards/*.json of the source tree, sorted.
std::vector<std::string> dashboard_files();

Result<rapidjson::Document> parse_dashboard_file(const std::string& path);

// Every panel, including those kept inside collapsed rows; rows themselves are listed too.
std::vector<const rapidjson::Value*> all_panels(const rapidjson::Value& dashboard);

// One PromQL expression of a dashboard: a panel target's expr or a query variable's query.
struct DashboardQuery {
  std::string source;      // `panel "<title>"` or `variable "<name>"`
  std::string panel_type;  // "" for variables
  std::string expr;
};
std::vector<DashboardQuery> panel_queries(const rapidjson::Value& dashboard);
std::vector<DashboardQuery> variable_queries(const rapidjson::Value& dashboard);

// Every x_engagement_ selector of `expr` (recording rules included) that lacks
// job=~"$job" or instance=~"$instance", as findings.
std::vector<std::string> selector_findings(std::string_view expr);
// Every rate(), irate() or increase() of `expr` whose range is not [$__rate_interval].
std::vector<std::string> rate_interval_findings(std::string_view expr);

// Everything in `dashboard` that breaks a convention, each finding starting with `file_name`
// and naming the panel or variable; empty when the dashboard follows them all.
std::vector<std::string> lint_dashboard(std::string_view file_name,
                                        const rapidjson::Value& dashboard);

}  // namespace xee::grafana

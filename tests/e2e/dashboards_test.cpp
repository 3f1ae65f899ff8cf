// End to end: every PromQL expression of every dashboard under grafana/dashboards/ (panel targets,
// panels inside collapsed rows, query variables) evaluates without error and returns data on a
// real Prometheus that scrapes the exporter polling the simulator, with rules/ loaded.

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "common/time_format.h"
#include "tests/grafana/dashboard.h"
#include "tests/integration/stack.h"
#include "wire/oauth.h"

namespace xee::test_stack {
namespace {

using namespace std::chrono_literals;

// What Grafana would put in place of each variable. Multi-value variables get the regex form
// Grafana writes for several selected values.
std::map<std::string, std::string> variable_values(const std::string& instance) {
  return {
      {"job", "x-engagement"},
      {"instance", instance},
      // acme's Post pinned in the simulator's world, tracked with hourly values.
      {"post_id", "2123222773114340474"},
      {"hashtag", "(launchday|xapi)"},
      {"campaign", "(acme-launch|globex-launch)"},
      // At least 4 scrape intervals of 1 s, as Grafana's $__rate_interval would be.
      {"__rate_interval", "1m"},
      {"__interval", "5s"},
      {"__interval_ms", "5000"},
      {"__range", "5m"},
      {"__range_s", "300"},
      {"__range_ms", "300000"},
  };
}

// $name and ${name}; an unknown variable is reported, not left in the query.
Result<std::string> substituted(const std::string& expr,
                                const std::map<std::string, std::string>& values) {
  static const std::regex variable(R"(\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?)");
  std::string out;
  auto last = expr.cbegin();
  for (std::sregex_iterator it(expr.begin(), expr.end(), variable), end; it != end; ++it) {
    const auto found = values.find((*it)[1].str());
    if (found == values.end()) return fail("unknown variable " + it->str());
    out.append(last, (*it)[0].first);
    out += found->second;
    last = (*it)[0].second;
  }
  out.append(last, expr.cend());
  return out;
}

// "" when Prometheus answered with a non-empty result; otherwise why not.
std::string missing_data(const test_support::HttpResult& response) {
  if (!response.ok()) return response.transport_error;
  rapidjson::Document body;
  body.Parse(response.body);
  if (body.HasParseError() || !body.IsObject() || !body.HasMember("status") ||
      !body["status"].IsString()) {
    return "HTTP " + std::to_string(response.status) + ": " + response.body;
  }
  if (std::string(body["status"].GetString()) != "success") return response.body;
  const rapidjson::Value& data = body["data"];
  // /api/v1/query(_range): {"resultType":…,"result":[…]}; /api/v1/label/…/values: […].
  const rapidjson::Value& result =
      data.IsObject() && data.HasMember("result") ? data["result"] : data;
  if (result.IsArray() && result.Empty()) return "no data: " + response.body;
  return "";
}

// One question a dashboard asks Prometheus, with its variables already substituted.
struct DashboardCheck {
  enum class Kind { instant, range, label_values };
  std::string where;  // file, panel or variable
  Kind kind;
  std::string promql;  // the query, or label_values' series selector ("" for none)
  std::string label;   // label_values only
};

std::string describe(const DashboardCheck& check) {
  switch (check.kind) {
    case DashboardCheck::Kind::instant:
      return check.where + ": instant query " + check.promql;
    case DashboardCheck::Kind::range:
      return check.where + ": range query " + check.promql;
    case DashboardCheck::Kind::label_values:
      return check.where + ": values of label " + check.label + " for " + check.promql;
  }
  return check.where;
}

// Grafana's Prometheus variable queries: label_values([selector,] label) asks
// /api/v1/label/<label>/values, query_result(expr) an instant query.
Result<DashboardCheck> variable_check(const std::string& where, const std::string& query) {
  static const std::regex label_values(
      R"(^\s*label_values\(\s*(?:(.*\S)\s*,\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$)");
  static const std::regex query_result(R"(^\s*query_result\((.*)\)\s*$)");
  std::smatch match;
  if (std::regex_match(query, match, label_values)) {
    return DashboardCheck{where, DashboardCheck::Kind::label_values, match[1].str(),
                          match[2].str()};
  }
  if (std::regex_match(query, match, query_result)) {
    return DashboardCheck{where, DashboardCheck::Kind::instant, match[1].str(), ""};
  }
  return fail(where + ": variable query the test cannot translate: " + query);
}

// Every panel target (an instant query, and a range query for time series panels) and every
// query variable of every dashboard file.
Result<std::vector<DashboardCheck>> dashboard_checks(
    const std::map<std::string, std::string>& values) {
  std::vector<DashboardCheck> checks;
  for (const std::string& file : grafana::dashboard_files()) {
    auto dashboard = grafana::parse_dashboard_file(file);
    if (!dashboard) return tl::unexpected(dashboard.error());
    const std::string name = std::filesystem::path(file).filename().string();
    for (const grafana::DashboardQuery& query : grafana::panel_queries(*dashboard)) {
      const std::string where = name + ": " + query.source;
      auto promql = substituted(query.expr, values);
      if (!promql) return fail(where + ": " + promql.error().message);
      checks.push_back({where, DashboardCheck::Kind::instant, *promql, ""});
      if (query.panel_type == "timeseries") {
        checks.push_back({where, DashboardCheck::Kind::range, *promql, ""});
      }
    }
    for (const grafana::DashboardQuery& query : grafana::variable_queries(*dashboard)) {
      const std::string where = name + ": " + query.source;
      auto promql = substituted(query.expr, values);
      if (!promql) return fail(where + ": " + promql.error().message);
      auto check = variable_check(where, *promql);
      if (!check) return tl::unexpected(check.error());
      checks.push_back(std::move(*check));
    }
  }
  return checks;
}

// Queries of failed requests (errors, 429s, retries, decode errors), empty while X answers well.
bool needs_failed_requests(const DashboardCheck& check) {
  for (const char* failure_only :
       {"code!~\"2..\"", "code=\"429\"", "x_engagement_api_retries_total",
        "x_engagement_api_decode_errors_total"}) {
    if (check.promql.find(failure_only) != std::string::npos) return true;
  }
  return false;
}

// "" when Prometheus evaluates the check without error and returns data.
std::string problem(const Prometheus& prometheus, const DashboardCheck& check) {
  const std::string api = prometheus.url() + "/api/v1/";
  switch (check.kind) {
    case DashboardCheck::Kind::instant:
      return missing_data(
          test_support::http_get(api + "query?query=" + wire::oauth::percent_encode(check.promql)));
    case DashboardCheck::Kind::range: {
      const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
                           .time_since_epoch()
                           .count();
      return missing_data(test_support::http_get(
          api + "query_range?query=" + wire::oauth::percent_encode(check.promql) +
          "&start=" + std::to_string(now - 30) + "&end=" + std::to_string(now) + "&step=5"));
    }
    case DashboardCheck::Kind::label_values: {
      std::string url = api + "label/" + check.label + "/values";
      if (!check.promql.empty()) url += "?match[]=" + wire::oauth::percent_encode(check.promql);
      return missing_data(test_support::http_get(url));
    }
  }
  return "unknown check";
}

// Drops the checks that now have data from `pending`; true once none is left.
bool all_have_data(const Prometheus& prometheus, std::vector<const DashboardCheck*>& pending) {
  std::erase_if(pending,
                [&](const DashboardCheck* check) { return problem(prometheus, *check).empty(); });
  return pending.empty();
}

// Blocks holding what Prometheus would have scraped over the past hour: the exporter's current
// lifetime engagements, repeated minute by minute an hour back. Without them the 1-hour growth
// rule has no value for Posts older than an hour until the test has run for an hour.
Result<void> seed_the_past_hour(const std::string& dir, const std::string& metrics,
                                const std::string& instance) {
  const std::string family = "x_engagement_post_lifetime_engagements";
  std::vector<std::string> series;
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(family + "{", 0) == 0) {
      series.push_back(family + "{job=\"x-engagement\",instance=\"" + instance + "\"," +
                       line.substr(family.size() + 1));
    }
  }
  if (series.empty()) return fail("the exporter has no " + family + " yet");
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  std::ostringstream openmetrics;
  openmetrics << "# TYPE " << family << " gauge\n";
  for (const std::string& sample : series) {
    for (auto at = now - 70min; at <= now - 55min; at += 1min) {
      openmetrics << sample << " " << at.time_since_epoch().count() << "\n";
    }
  }
  openmetrics << "# EOF\n";
  const std::string file = dir + "/past-hour.om";
  std::ofstream(file) << openmetrics.str();
  return create_blocks(file, dir + "/prometheus-data");
}

TEST(DashboardQueries, EveryPanelAndVariableQueryReturnsDataFromPrometheus) {
  const std::string rules = XEE_TEST_DIR "/../../rules/x-engagement.rules.yml";
  const std::string alerts = XEE_TEST_DIR "/../../rules/x-engagement.alerts.yml";
  ASSERT_TRUE(std::filesystem::exists(rules)) << rules;
  ASSERT_TRUE(std::filesystem::exists(alerts)) << alerts;

  // X's clock starts an hour back and runs 60x: an hour completes every minute for the hourly
  // families, and discovery keeps finding new Posts while X's clock stays behind the wall clock
  // (Posts created "later" than Prometheus's now would fall out of the rules' age tests).
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const ClockOptions clock{common::format_iso8601(now - 1h), 60};
  const std::string dir = make_temp_dir("e2e-dashboards");
  auto simulator = Simulator::start_with_clock(dir, clock);
  ASSERT_TRUE(simulator) << simulator.error().message;
  auto exporter = Exporter::start_with_clock(dir, read_text_file(XEE_TEST_DIR "/dashboards.toml"),
                                             simulator->url(), clock);
  ASSERT_TRUE(exporter) << exporter.error().message;
  ASSERT_TRUE(exporter->wait_ready(60s)) << exporter->process().read_stderr();
  const std::string target = exporter->url().substr(std::string("http://").size());
  auto seeded = seed_the_past_hour(dir, exporter->metrics(), target);
  ASSERT_TRUE(seeded) << seeded.error().message;
  auto prometheus = Prometheus::start(dir, {target}, {rules, alerts});
  ASSERT_TRUE(prometheus) << prometheus.error().message;

  auto checks = dashboard_checks(variable_values(target));
  ASSERT_TRUE(checks) << checks.error().message;
  ASSERT_GT(checks->size(), 100u) << "the four dashboards hold more queries than that";

  // The panels of failed requests have data only once requests failed: the simulator injects
  // errors, 429s and malformed bodies after everything else is in, until they show.
  std::vector<const DashboardCheck*> healthy_data;
  std::vector<const DashboardCheck*> failure_data;
  for (const DashboardCheck& check : *checks) {
    (needs_failed_requests(check) ? failure_data : healthy_data).push_back(&check);
  }
  eventually([&] { return all_have_data(*prometheus, healthy_data); }, 75s);
  ASSERT_TRUE(
      simulator->set_faults(R"({"error_rate":0.3,"rate_limit_rate":0.3,"malformed_rate":0.2})"));
  eventually([&] { return all_have_data(*prometheus, failure_data); }, 30s);
  ASSERT_TRUE(simulator->set_faults(R"({"error_rate":0,"rate_limit_rate":0,"malformed_rate":0})"));

  // Everything once more, as it stands now.
  for (const DashboardCheck& check : *checks) {
    const std::string why = problem(*prometheus, check);
    EXPECT_EQ(why, "") << describe(check);
  }
}

}  // namespace
}  // namespace xee::test_stack

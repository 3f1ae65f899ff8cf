#include "tests/grafana/dashboard.h"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <utility>

namespace xee::grafana {
namespace {

const std::string kDatasourceRule =
    "datasource must be {\"type\": \"prometheus\", \"uid\": \"${datasource}\"}";

bool is_string(const rapidjson::Value& object, const char* key) {
  return object.IsObject() && object.HasMember(key) && object[key].IsString();
}

std::string string_member(const rapidjson::Value& object, const char* key) {
  return is_string(object, key) ? std::string(object[key].GetString()) : std::string();
}

// {"type": "prometheus", "uid": "${datasource}"}: the panel follows the datasource variable.
bool uses_datasource_variable(const rapidjson::Value& object) {
  if (!object.IsObject() || !object.HasMember("datasource")) return false;
  const rapidjson::Value& datasource = object["datasource"];
  return string_member(datasource, "type") == "prometheus" &&
         string_member(datasource, "uid") == "${datasource}";
}

bool is_identifier_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}
bool is_identifier_char(char c) {
  return is_identifier_start(c) || std::isdigit(static_cast<unsigned char>(c));
}

// The index just past the string literal starting at `at` (a quote character).
std::size_t skip_string(std::string_view text, std::size_t at) {
  const char quote = text[at];
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '\\' && quote != '`') {
      ++i;
    } else if (text[i] == quote) {
      return i + 1;
    }
  }
  return text.size();
}

bool is_quote(char c) {
  return c == '"' || c == '\'' || c == '`';
}

// The index of the bracket closing the one at `open`, skipping strings; npos when unbalanced.
std::size_t matching_close(std::string_view text, std::size_t open) {
  const char opening = text[open];
  const char closing = opening == '(' ? ')' : opening == '{' ? '}' : ']';
  int depth = 0;
  for (std::size_t i = open; i < text.size();) {
    if (is_quote(text[i])) {
      i = skip_string(text, i);
      continue;
    }
    if (text[i] == opening) ++depth;
    if (text[i] == closing && --depth == 0) return i;
    ++i;
  }
  return std::string_view::npos;
}

std::size_t skip_spaces(std::string_view text, std::size_t at) {
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  return at;
}

// Calls `visit(name, end)` for every identifier outside string literals.
template <typename Visit>
void for_each_identifier(std::string_view expr, Visit visit) {
  for (std::size_t i = 0; i < expr.size();) {
    if (is_quote(expr[i])) {
      i = skip_string(expr, i);
    } else if (is_identifier_start(expr[i]) && (i == 0 || !is_identifier_char(expr[i - 1]))) {
      std::size_t end = i;
      while (end < expr.size() && is_identifier_char(expr[end])) ++end;
      visit(expr.substr(i, end - i), end);
      i = end;
    } else {
      ++i;
    }
  }
}

std::string without_spaces(std::string_view text) {
  std::string kept;
  for (std::size_t i = 0; i < text.size();) {
    if (is_quote(text[i])) {
      const std::size_t end = skip_string(text, i);
      kept.append(text.substr(i, end - i));
      i = end;
    } else {
      if (!std::isspace(static_cast<unsigned char>(text[i]))) kept += text[i];
      ++i;
    }
  }
  return kept;
}

std::string panel_title(const rapidjson::Value& panel) {
  return is_string(panel, "title") ? panel["title"].GetString() : "(untitled)";
}

const rapidjson::Value* variable_named(const rapidjson::Value& dashboard, std::string_view name) {
  if (!dashboard.HasMember("templating") || !dashboard["templating"].IsObject()) return nullptr;
  const rapidjson::Value& templating = dashboard["templating"];
  if (!templating.HasMember("list") || !templating["list"].IsArray()) return nullptr;
  for (const rapidjson::Value& variable : templating["list"].GetArray()) {
    if (string_member(variable, "name") == name) return &variable;
  }
  return nullptr;
}

// A query variable's query: a string, or {"query": "..."} as newer Grafana writes it.
std::string variable_query(const rapidjson::Value& variable) {
  if (is_string(variable, "query")) return variable["query"].GetString();
  if (variable.HasMember("query") && variable["query"].IsObject()) {
    return string_member(variable["query"], "query");
  }
  return "";
}

class Findings {
 public:
  explicit Findings(std::string_view file_name) : file_name_(file_name) {}
  void add(const std::string& where, const std::string& what) {
    list_.push_back(file_name_ + ": " + (where.empty() ? "" : where + ": ") + what);
  }
  std::vector<std::string> take() { return std::move(list_); }

 private:
  std::string file_name_;
  std::vector<std::string> list_;
};

void lint_header(const rapidjson::Value& dashboard, Findings& findings) {
  if (!dashboard.HasMember("id") || !dashboard["id"].IsNull()) {
    findings.add("", "id must be null (Grafana assigns its own on import)");
  }
  if (string_member(dashboard, "uid").empty()) {
    findings.add("", "uid must be a fixed non-empty string (links and URLs depend on it)");
  }
  if (!dashboard.HasMember("schemaVersion") || !dashboard["schemaVersion"].IsInt() ||
      dashboard["schemaVersion"].GetInt() != kSchemaVersion) {
    findings.add("", "schemaVersion must be " + std::to_string(kSchemaVersion) +
                         " (the classic schema every dashboard pins)");
  }
  if (!dashboard.HasMember("editable") || !dashboard["editable"].IsFalse()) {
    findings.add("", "editable must be false (the files are the source of truth)");
  }
  bool tagged = false;
  if (dashboard.HasMember("tags") && dashboard["tags"].IsArray()) {
    for (const rapidjson::Value& tag : dashboard["tags"].GetArray()) {
      tagged = tagged || (tag.IsString() && tag.GetString() == kTag);
    }
  }
  if (!tagged) findings.add("", "tags must contain \"" + std::string(kTag) + "\"");
  if (string_member(dashboard, "title").rfind(kTitlePrefix, 0) != 0) {
    findings.add("", "title must start with \"" + std::string(kTitlePrefix) + "\"");
  }
  bool linked = false;
  if (dashboard.HasMember("links") && dashboard["links"].IsArray()) {
    for (const rapidjson::Value& link : dashboard["links"].GetArray()) {
      if (string_member(link, "type") != "dashboards" || !link.HasMember("tags") ||
          !link["tags"].IsArray()) {
        continue;
      }
      for (const rapidjson::Value& tag : link["tags"].GetArray()) {
        linked = linked || (tag.IsString() && tag.GetString() == kTag);
      }
    }
  }
  if (!linked) {
    findings.add("", "links must hold a dashboards link by tag \"" + std::string(kTag) + "\"");
  }
}

bool is_string_or_strings(const rapidjson::Value& object, const char* key) {
  if (!object.HasMember(key)) return false;
  const rapidjson::Value& value = object[key];
  if (value.IsString()) return true;
  if (!value.IsArray() || value.Empty()) return false;
  for (const rapidjson::Value& item : value.GetArray()) {
    if (!item.IsString()) return false;
  }
  return true;
}

bool holds_string(const rapidjson::Value& value, std::string_view wanted) {
  if (value.IsString()) return value.GetString() == wanted;
  if (!value.IsArray()) return false;
  for (const rapidjson::Value& item : value.GetArray()) {
    if (item.IsString() && item.GetString() == wanted) return true;
  }
  return false;
}

// `current` is what a dashboard opens with: {} makes Grafana guess, so it is filled or left out.
void lint_current(const rapidjson::Value& variable, Findings& findings) {
  if (!variable.HasMember("current")) return;
  const std::string where = "variable \"" + string_member(variable, "name") + "\"";
  const rapidjson::Value& current = variable["current"];
  if (!current.IsObject() || !is_string_or_strings(current, "text") ||
      !is_string_or_strings(current, "value")) {
    findings.add(where, "current must hold text and value, or be left out");
    return;
  }
  const bool include_all = variable.HasMember("includeAll") && variable["includeAll"].IsTrue();
  if (holds_string(current["value"], "$__all") && !include_all) {
    findings.add(where, "current is All ($__all) but includeAll is not true");
  }
}

// The threshold step at `index` as (color, value); value is NaN for the base step (null).
std::pair<std::string, double> threshold_step(const rapidjson::Value& steps,
                                              rapidjson::SizeType index) {
  if (index >= steps.Size() || !steps[index].IsObject()) return {"", 0};
  const rapidjson::Value& step = steps[index];
  const double value = step.HasMember("value") && step["value"].IsNumber()
                           ? step["value"].GetDouble()
                           : std::numeric_limits<double>::quiet_NaN();
  return {string_member(step, "color"), value};
}

bool maps_zero_to_red(const rapidjson::Value& defaults) {
  if (!defaults.HasMember("mappings") || !defaults["mappings"].IsArray()) return false;
  for (const rapidjson::Value& mapping : defaults["mappings"].GetArray()) {
    if (string_member(mapping, "type") != "value" || !mapping.HasMember("options") ||
        !mapping["options"].IsObject() || !mapping["options"].HasMember("0")) {
      continue;
    }
    if (string_member(mapping["options"]["0"], "color") == "red") return true;
  }
  return false;
}

// Stat and bar gauge panels colour their values: without explicit thresholds Grafana's default
// (green, red at 80) applies, which colours a down collector like a healthy one.
void lint_colours(const rapidjson::Value& defaults, const std::string& where, Findings& findings) {
  if (!defaults.HasMember("color") || string_member(defaults["color"], "mode").empty()) {
    findings.add(where, "fieldConfig.defaults.color.mode must be set");
  }
  const bool has_steps = defaults.HasMember("thresholds") && defaults["thresholds"].IsObject() &&
                         defaults["thresholds"].HasMember("steps") &&
                         defaults["thresholds"]["steps"].IsArray() &&
                         !defaults["thresholds"]["steps"].Empty();
  if (!has_steps || string_member(defaults["thresholds"], "mode").empty()) {
    findings.add(where,
                 "fieldConfig.defaults.thresholds must be set (Grafana's default is red at 80)");
    return;
  }
  const rapidjson::Value& steps = defaults["thresholds"]["steps"];
  const auto base = threshold_step(steps, 0);
  if (!std::isnan(base.second)) findings.add(where, "the first threshold step needs value null");
  const auto second = threshold_step(steps, 1);
  if (steps.Size() == 2 && base.first == "green" && second.first == "red" && second.second == 80) {
    findings.add(where,
                 "thresholds are Grafana's default (green, red at 80): set ones that "
                 "mean something");
  }
  if (string_member(defaults, "unit") != "bool_yes_no") return;
  if (steps.Size() != 2 || base.first != "red" || second.first != "green" || second.second != 1) {
    findings.add(where, "a health flag (bool_yes_no) must be red below 1 and green from 1");
  }
  if (!maps_zero_to_red(defaults)) {
    findings.add(where, "a health flag (bool_yes_no) needs a value mapping showing 0 in red");
  }
}

void lint_variables(const rapidjson::Value& dashboard, Findings& findings) {
  const rapidjson::Value* datasource = variable_named(dashboard, "datasource");
  if (!datasource || string_member(*datasource, "type") != "datasource" ||
      string_member(*datasource, "query") != "prometheus") {
    findings.add("", "needs a variable \"datasource\" of type datasource with query prometheus");
  }
  for (const char* label : {"job", "instance"}) {
    const rapidjson::Value* variable = variable_named(dashboard, label);
    const std::string query = variable ? without_spaces(variable_query(*variable)) : "";
    if (!variable || string_member(*variable, "type") != "query" ||
        query.rfind("label_values(x_engagement_build_info", 0) != 0 ||
        query.size() < std::string_view(label).size() + 2 ||
        query.compare(query.size() - std::string_view(label).size() - 2, std::string::npos,
                      "," + std::string(label) + ")") != 0) {
      findings.add("", std::string("needs a query variable \"") + label +
                           "\" with label_values(x_engagement_build_info..., " + label + ")");
    }
  }
  if (!dashboard.HasMember("templating") || !dashboard["templating"].IsObject() ||
      !dashboard["templating"].HasMember("list") || !dashboard["templating"]["list"].IsArray()) {
    return;
  }
  for (const rapidjson::Value& variable : dashboard["templating"]["list"].GetArray()) {
    if (string_member(variable, "type") == "query" && !uses_datasource_variable(variable)) {
      findings.add("variable \"" + string_member(variable, "name") + "\"", kDatasourceRule);
    }
    lint_current(variable, findings);
  }
}

void lint_panel(const rapidjson::Value& panel, Findings& findings) {
  const std::string where = "panel \"" + panel_title(panel) + "\"";
  if (!uses_datasource_variable(panel)) {
    findings.add(where, kDatasourceRule);
  }
  std::string unit;
  if (panel.HasMember("fieldConfig") && panel["fieldConfig"].IsObject() &&
      panel["fieldConfig"].HasMember("defaults")) {
    unit = string_member(panel["fieldConfig"]["defaults"], "unit");
  }
  const std::string type = string_member(panel, "type");
  if ((type == "stat" || type == "bargauge") && !unit.empty()) {
    lint_colours(panel["fieldConfig"]["defaults"], where, findings);
  }
  if (unit.empty()) {
    findings.add(where, "fieldConfig.defaults.unit must be set");
  } else if (unit == "none") {
    findings.add(where, "unit \"none\": use \"short\" for counts");
  }
  if (!panel.HasMember("targets") || !panel["targets"].IsArray() || panel["targets"].Empty()) {
    findings.add(where, "has no targets");
    return;
  }
  for (const rapidjson::Value& target : panel["targets"].GetArray()) {
    const std::string ref = "target " + string_member(target, "refId");
    if (!uses_datasource_variable(target)) {
      findings.add(where, ref + ": " + kDatasourceRule);
    }
    const std::string expr = string_member(target, "expr");
    if (expr.empty()) findings.add(where, ref + ": expr is empty");
    std::vector<std::string> expr_findings = selector_findings(expr);
    for (std::string& finding : rate_interval_findings(expr)) {
      expr_findings.push_back(std::move(finding));
    }
    for (const std::string& finding : expr_findings) findings.add(where, ref + ": " + finding);
  }
}

}  // namespace

std::vector<std::string> dashboard_files() {
  std::vector<std::string> files;
  const std::filesystem::path dir =
      std::filesystem::path(XEE_SOURCE_DIR) / "grafana" / "dashboards";
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<rapidjson::Document> parse_dashboard_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  rapidjson::Document document;
  document.Parse(text.str());
  if (document.HasParseError()) {
    return fail(path + ": offset " + std::to_string(document.GetErrorOffset()) + ": " +
                rapidjson::GetParseError_En(document.GetParseError()));
  }
  if (!document.IsObject()) return fail(path + ": not a JSON object");
  return document;
}

std::vector<const rapidjson::Value*> all_panels(const rapidjson::Value& dashboard) {
  std::vector<const rapidjson::Value*> panels;
  if (!dashboard.HasMember("panels") || !dashboard["panels"].IsArray()) return panels;
  for (const rapidjson::Value& panel : dashboard["panels"].GetArray()) {
    panels.push_back(&panel);
    if (panel.HasMember("panels") && panel["panels"].IsArray()) {
      for (const rapidjson::Value& inner : panel["panels"].GetArray()) panels.push_back(&inner);
    }
  }
  return panels;
}

std::vector<DashboardQuery> panel_queries(const rapidjson::Value& dashboard) {
  std::vector<DashboardQuery> queries;
  for (const rapidjson::Value* panel : all_panels(dashboard)) {
    if (!panel->HasMember("targets") || !(*panel)["targets"].IsArray()) continue;
    for (const rapidjson::Value& target : (*panel)["targets"].GetArray()) {
      queries.push_back({"panel \"" + panel_title(*panel) + "\"", string_member(*panel, "type"),
                         string_member(target, "expr")});
    }
  }
  return queries;
}

std::vector<DashboardQuery> variable_queries(const rapidjson::Value& dashboard) {
  std::vector<DashboardQuery> queries;
  if (!dashboard.HasMember("templating") || !dashboard["templating"].HasMember("list")) {
    return queries;
  }
  for (const rapidjson::Value& variable : dashboard["templating"]["list"].GetArray()) {
    if (string_member(variable, "type") != "query") continue;
    queries.push_back(
        {"variable \"" + string_member(variable, "name") + "\"", "", variable_query(variable)});
  }
  return queries;
}

std::vector<std::string> selector_findings(std::string_view expr) {
  std::vector<std::string> findings;
  for_each_identifier(expr, [&](std::string_view name, std::size_t end) {
    if (name.find("x_engagement_") == std::string_view::npos) return;
    const std::size_t brace = skip_spaces(expr, end);
    std::string matchers;
    if (brace < expr.size() && expr[brace] == '{') {
      const std::size_t close = matching_close(expr, brace);
      if (close != std::string_view::npos) {
        matchers = "," + without_spaces(expr.substr(brace + 1, close - brace - 1)) + ",";
      }
    }
    for (const char* filter : {"job=~\"$job\"", "instance=~\"$instance\""}) {
      if (matchers.find(std::string(",") + filter + ",") == std::string::npos) {
        findings.push_back(std::string(name) + " does not filter on " + filter);
      }
    }
  });
  return findings;
}

std::vector<std::string> rate_interval_findings(std::string_view expr) {
  std::vector<std::string> findings;
  for_each_identifier(expr, [&](std::string_view name, std::size_t end) {
    if (name != "rate" && name != "irate" && name != "increase") return;
    const std::size_t open = skip_spaces(expr, end);
    if (open >= expr.size() || expr[open] != '(') return;
    const std::size_t close = matching_close(expr, open);
    const std::string_view arguments =
        expr.substr(open, close == std::string_view::npos ? std::string_view::npos : close - open);
    std::size_t ranges = 0;
    for (std::size_t at = 0; at < arguments.size();) {
      if (is_quote(arguments[at])) {
        at = skip_string(arguments, at);
      } else if (arguments[at] == '[') {
        const std::size_t range_end = matching_close(arguments, at);
        const std::string_view range = arguments.substr(at + 1, range_end - at - 1);
        ++ranges;
        if (without_spaces(range) != "$__rate_interval") {
          findings.push_back(std::string(name) + "() over [" + std::string(range) +
                             "]: use [$__rate_interval]");
        }
        at = range_end == std::string_view::npos ? arguments.size() : range_end + 1;
      } else {
        ++at;
      }
    }
    if (ranges == 0) findings.push_back(std::string(name) + "() without a range");
  });
  return findings;
}

std::vector<std::string> lint_dashboard(std::string_view file_name,
                                        const rapidjson::Value& dashboard) {
  Findings findings(file_name);
  lint_header(dashboard, findings);
  lint_variables(dashboard, findings);
  std::set<int> panel_ids;
  for (const rapidjson::Value* panel : all_panels(dashboard)) {
    if (!panel->HasMember("id") || !(*panel)["id"].IsInt() ||
        !panel_ids.insert((*panel)["id"].GetInt()).second) {
      findings.add("panel \"" + panel_title(*panel) + "\"", "needs an id unique in the dashboard");
    }
    if (string_member(*panel, "type") != "row") lint_panel(*panel, findings);
  }
  return findings.take();
}

}  // namespace xee::grafana

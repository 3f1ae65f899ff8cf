#include "tests/integration/stack.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "common/gzip.h"
#include "tests/support/ports.h"
#include "tests/support/time_scale.h"
#include "wire/oauth.h"

namespace xee::test_stack {
namespace {

using namespace std::chrono_literals;
using test_support::ChildProcess;
using test_support::LaunchOptions;

const std::string kSimulatorBinary = std::string(XEE_BINARY_DIR) + "/simulator/x_api_simulator";
const std::string kExporterBinary = std::string(XEE_BINARY_DIR) + "/exporter/x_engagement_exporter";

// The demo world's documented credentials, as the demo script exports them.
const std::vector<std::pair<std::string, std::string>> kDemoCredentials{
    {"X_CONSUMER_KEY", "demo-consumer-key"},
    {"X_CONSUMER_SECRET", "demo-consumer-secret"},
    {"X_BEARER_TOKEN", "demo-bearer-token"},
    {"X_ACME_ACCESS_TOKEN", "1000001-acme-demo-token"},
    {"X_ACME_ACCESS_TOKEN_SECRET", "acme-demo-token-secret"},
    {"X_GLOBEX_ACCESS_TOKEN", "1000002-globex-demo-token"},
    {"X_GLOBEX_ACCESS_TOKEN_SECRET", "globex-demo-token-secret"},
    {"X_INITECH_ARCHIVE_ACCESS_TOKEN", "1000003-initech-demo-token"},
    {"X_INITECH_ARCHIVE_ACCESS_TOKEN_SECRET", "initech-demo-token-secret"},
};

Result<void> write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) return fail("cannot write " + path);
  return {};
}

std::string render_config(std::string text, const std::string& simulator_url) {
  const std::string placeholder = "@SIMULATOR_URL@";
  for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder)) {
    text.replace(at, placeholder.size(), simulator_url);
  }
  return text;
}

// Starts `options` on a fresh port (substituted for @PORT@ in the arguments) and waits until
// `probe_path` answers one of the `expected` statuses; one retry with another port covers the
// pick-then-bind race.
Result<std::pair<ChildProcess, int>> start_on_free_port(
    LaunchOptions options, const std::string& probe_path, const std::vector<long>& expected,
    const std::string& scheme = "http", const test_support::HttpTlsOptions& tls = {}) {
  std::string last_error;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto port = test_support::pick_free_port();
    if (!port) return tl::unexpected(port.error());
    LaunchOptions launch = options;
    for (std::string& arg : launch.args) {
      const auto at = arg.find("@PORT@");
      if (at != std::string::npos) arg.replace(at, 6, std::to_string(*port));
    }
    auto child = ChildProcess::start(launch);
    if (!child) return tl::unexpected(child.error());
    const std::string url = scheme + "://127.0.0.1:" + std::to_string(*port) + probe_path;
    auto answered = test_support::wait_until_answers(
        url, 30s, [&] { return child->running(); }, expected, tls);
    if (answered) return std::make_pair(std::move(*child), *port);
    last_error = answered.error().message + "; its stderr:\n" + child->read_stderr();
    child->kill_now();
  }
  return fail(options.program + " did not start: " + last_error);
}

}  // namespace

std::string make_temp_dir(std::string_view name) {
  std::string pattern = "/tmp/xee-" + std::string(name) + "-XXXXXX";
  if (!mkdtemp(pattern.data())) return "/tmp";
  return pattern;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + test_support::scaled(timeout);
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(100ms);
  }
}

std::vector<std::string> ClockOptions::args() const {
  std::ostringstream speed_text;
  speed_text << speed;
  return {"--clock.start=" + start, "--clock.speed=" + speed_text.str()};
}

Result<Simulator> Simulator::start(const std::string& dir, std::vector<std::string> extra_args) {
  return start_with_clock(dir, ClockOptions{}, std::move(extra_args));
}

Result<Simulator> Simulator::start_with_clock(const std::string& dir, const ClockOptions& clock,
                                              std::vector<std::string> extra_args) {
  LaunchOptions options;
  options.program = kSimulatorBinary;
  options.args = {"--web.listen-address=127.0.0.1:@PORT@", "--admin.enable"};
  const auto clock_args = clock.args();
  options.args.insert(options.args.end(), clock_args.begin(), clock_args.end());
  options.args.insert(options.args.end(), extra_args.begin(), extra_args.end());
  options.stderr_path = dir + "/simulator.log";
  auto started = start_on_free_port(std::move(options), "/-/healthy", {200});
  if (!started) return tl::unexpected(started.error());
  return Simulator(std::move(started->first), started->second);
}

Result<void> Simulator::set_faults(std::string_view json) {
  const auto response = test_support::http_request(
      "PUT", url() + "/admin/faults", json,
      {.headers = {{"Content-Type", "application/json"}}, .decode_gzip = false});
  if (!response.ok()) return fail("PUT /admin/faults: " + response.transport_error);
  if (response.status != 200) {
    return fail("PUT /admin/faults: HTTP " + std::to_string(response.status) + ": " +
                response.body);
  }
  return {};
}

Result<Exporter> Exporter::start(const std::string& dir, const std::string& config_template,
                                 const std::string& simulator_url,
                                 std::vector<std::string> extra_args) {
  return start_with_clock(dir, config_template, simulator_url, ClockOptions{},
                          std::move(extra_args));
}

Result<Exporter> Exporter::start_with_clock(const std::string& dir,
                                            const std::string& config_template,
                                            const std::string& simulator_url,
                                            const ClockOptions& clock,
                                            std::vector<std::string> extra_args) {
  return launch(dir, config_template, simulator_url, clock, std::move(extra_args), std::nullopt);
}

Result<Exporter> Exporter::launch(const std::string& dir, const std::string& config_template,
                                  const std::string& simulator_url, const ClockOptions& clock,
                                  std::vector<std::string> extra_args,
                                  const std::optional<test_support::HttpTlsOptions>& https) {
  const std::string config_path = dir + "/config.toml";
  if (auto written = write_text_file(config_path, render_config(config_template, simulator_url));
      !written) {
    return tl::unexpected(written.error());
  }
  LaunchOptions options;
  options.program = kExporterBinary;
  options.args = {"--config.file=" + config_path, "--web.listen-address=127.0.0.1:@PORT@",
                  "--log.level=debug"};
  const auto clock_args = clock.args();
  options.args.insert(options.args.end(), clock_args.begin(), clock_args.end());
  options.args.insert(options.args.end(), extra_args.begin(), extra_args.end());
  options.env = kDemoCredentials;
  options.stderr_path = dir + "/exporter.log";
  // 401: a config with [web.basic_auth_users] protects every route, /-/healthy included.
  auto started =
      start_on_free_port(std::move(options), "/-/healthy", {200, 401}, https ? "https" : "http",
                         https.value_or(test_support::HttpTlsOptions{}));
  if (!started) return tl::unexpected(started.error());
  Exporter exporter(std::move(started->first), started->second, config_path, simulator_url);
  if (https) {
    exporter.scheme_ = "https";
    exporter.tls_ = *https;
  }
  return exporter;
}

Result<Exporter> Exporter::start_https(const std::string& dir, const std::string& config_template,
                                       const std::string& simulator_url,
                                       const test_support::HttpTlsOptions& client) {
  return launch(dir, config_template, simulator_url, ClockOptions{}, {}, client);
}

std::string Exporter::metrics() const {
  test_support::HttpRequestOptions options{.headers = {}, .decode_gzip = true};
  options.tls = tls_;
  const auto response = test_support::http_get(url() + "/metrics", options);
  return response.ok() && response.status == 200 ? response.body : "";
}

bool Exporter::wait_ready(std::chrono::milliseconds timeout) const {
  test_support::HttpRequestOptions options;
  options.tls = tls_;
  return eventually(
      [&] { return test_support::http_get(url() + "/-/ready", options).status == 200; }, timeout);
}

Result<void> Exporter::reload_with(const std::string& config_template) {
  if (auto written = write_text_file(config_path_, render_config(config_template, simulator_url_));
      !written) {
    return written;
  }
  if (::kill(process_.pid(), SIGHUP) != 0) return fail("cannot send SIGHUP to the exporter");
  return {};
}

Result<Prometheus> Prometheus::start(const std::string& dir,
                                     const std::vector<std::string>& targets,
                                     const std::vector<std::string>& rule_files,
                                     const std::optional<ScrapeBasicAuth>& basic_auth,
                                     const std::optional<ScrapeTls>& tls) {
  return start_prometheus(dir, targets, rule_files, dir + "/prometheus-data", basic_auth, tls);
}

Result<Prometheus> Prometheus::start_on_storage(const std::string& dir,
                                                const std::vector<std::string>& targets,
                                                const std::string& storage_path) {
  return start_prometheus(dir, targets, {}, storage_path, std::nullopt, std::nullopt);
}

Result<Prometheus> Prometheus::start_prometheus(const std::string& dir,
                                                const std::vector<std::string>& targets,
                                                const std::vector<std::string>& rule_files,
                                                const std::string& storage_path,
                                                const std::optional<ScrapeBasicAuth>& basic_auth,
                                                const std::optional<ScrapeTls>& tls) {
  std::string yaml = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n";
  if (!rule_files.empty()) {
    yaml += "rule_files:\n";
    for (const std::string& file : rule_files) yaml += "  - '" + file + "'\n";
  }
  yaml += "scrape_configs:\n  - job_name: x-engagement\n    static_configs:\n      - targets: [";
  for (std::size_t i = 0; i < targets.size(); ++i) {
    yaml += (i ? ", '" : "'") + targets[i] + "'";
  }
  yaml += "]\n";
  if (basic_auth) {
    yaml += "    basic_auth:\n      username: '" + basic_auth->username + "'\n      password: '" +
            basic_auth->password + "'\n";
  }
  if (tls) {
    yaml += "    scheme: https\n    tls_config:\n      ca_file: '" + tls->ca_file + "'\n";
    if (!tls->cert_file.empty()) {
      yaml +=
          "      cert_file: '" + tls->cert_file + "'\n      key_file: '" + tls->key_file + "'\n";
    }
  }
  if (auto written = write_text_file(dir + "/prometheus.yml", yaml); !written) {
    return tl::unexpected(written.error());
  }
  std::filesystem::create_directories(storage_path);
  LaunchOptions options;
  options.program = "/usr/bin/prometheus";
  options.args = {"--config.file=" + dir + "/prometheus.yml", "--storage.tsdb.path=" + storage_path,
                  "--web.listen-address=127.0.0.1:@PORT@"};
  options.stderr_path = dir + "/prometheus.log";
  auto started = start_on_free_port(std::move(options), "/-/ready", {200});
  if (!started) return tl::unexpected(started.error());
  return Prometheus(std::move(started->first), started->second);
}

std::string Prometheus::query(const std::string& promql) const {
  const auto response =
      test_support::http_get(url() + "/api/v1/query?query=" + wire::oauth::percent_encode(promql));
  return response.body;
}

std::string Prometheus::query_at(const std::string& promql, std::chrono::sys_seconds time) const {
  const auto response =
      test_support::http_get(url() + "/api/v1/query?query=" + wire::oauth::percent_encode(promql) +
                             "&time=" + std::to_string(time.time_since_epoch().count()));
  return response.body;
}

std::optional<double> Prometheus::query_single_value_at(const std::string& promql,
                                                        std::chrono::sys_seconds time) const {
  return single_value(query_at(promql, time));
}

std::optional<double> Prometheus::query_single_value(const std::string& promql) const {
  return single_value(query(promql));
}

std::optional<double> Prometheus::single_value(const std::string& body) {
  // {"status":"success","data":{"resultType":"vector","result":[{"metric":{…},"value":[t,"v"]}]}}
  static const std::regex one_sample(
      R"re("result":\[\{"metric":\{[^}]*\},"value":\[[0-9.]+,"([^"]+)"\]\}\])re");
  std::smatch match;
  if (!std::regex_search(body, match, one_sample)) return std::nullopt;
  return std::stod(match[1].str());
}

std::optional<double> sample_value(const std::string& metrics, std::string_view series) {
  std::istringstream lines(metrics);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

std::string without_volatile_lines(const std::string& metrics) {
  static const std::vector<std::string> volatile_prefixes{
      "x_engagement_api_request_duration_seconds",
      "x_engagement_collector_last_success_timestamp_seconds{",
      "x_engagement_collector_poll_duration_seconds{",
      "x_engagement_api_rate_limit_remaining{",
      "x_engagement_api_rate_limit_reset_timestamp_seconds{",
      "x_engagement_config_last_reload_success_timestamp_seconds ",
      "x_engagement_state_file_last_success_timestamp_seconds{",
      "x_engagement_build_info{",
  };
  std::istringstream lines(metrics);
  std::ostringstream kept;
  std::string line;
  while (std::getline(lines, line)) {
    bool drop = false;
    for (const std::string& prefix : volatile_prefixes) {
      if (line.compare(0, prefix.size(), prefix) == 0) drop = true;
    }
    if (!drop) kept << line << "\n";
  }
  return kept.str();
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void expect_matches_golden(const std::string& actual, const std::string& golden_path) {
  const char* update = std::getenv("XEE_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    ASSERT_TRUE(write_text_file(golden_path, actual)) << golden_path;
    return;
  }
  EXPECT_EQ(actual, read_text_file(golden_path))
      << "the exposition differs from " << golden_path
      << "; if the change is intended, rerun with XEE_UPDATE_GOLDEN=1 and review the diff";
}

Result<test_support::ExitStatus> run_exporter_command(const std::string& dir,
                                                      std::vector<std::string> args,
                                                      const std::string& log_name,
                                                      std::chrono::milliseconds timeout) {
  LaunchOptions options;
  options.program = kExporterBinary;
  options.args = std::move(args);
  options.env = kDemoCredentials;
  options.stderr_path = dir + "/" + log_name;
  auto child = ChildProcess::start(options);
  if (!child) return tl::unexpected(child.error());
  const auto status = child->wait_for_exit(timeout);
  if (!status) {
    child->kill_now();
    return fail("x_engagement_exporter did not exit within the timeout; its stderr:\n" +
                child->read_stderr());
  }
  return *status;
}

Result<void> create_blocks(const std::string& openmetrics_file, const std::string& blocks_dir) {
  LaunchOptions options;
  options.program = "/usr/bin/promtool";
  options.args = {"tsdb", "create-blocks-from", "openmetrics", openmetrics_file, blocks_dir};
  options.stderr_path = blocks_dir + ".promtool.log";
  auto child = ChildProcess::start(options);
  if (!child) return tl::unexpected(child.error());
  const auto status = child->wait_for_exit(60s);
  if (!status || !status->exited || status->exit_code != 0) {
    child->kill_now();
    return fail("promtool tsdb create-blocks-from openmetrics failed: " + child->read_stderr());
  }
  return {};
}

}  // namespace xee::test_stack

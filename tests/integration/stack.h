#pragma once
// The product's real parts as child processes on free loopback ports, for integration and
// end-to-end tests: the X API simulator (frozen at the demo clock so values are exact), the
// exporter pointed at it with a config from a template, and a real Prometheus scraping it.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"

namespace xee::test_stack {

// The demo clock every test runs the simulator (and the exporter's Post-age clock) on.
inline constexpr std::string_view kDemoClockStart = "2026-11-20T00:00:00Z";

// A fresh folder under /tmp for one test's files and logs.
std::string make_temp_dir(std::string_view name);

// Polls `condition` every 100 ms until it holds or `timeout` (times XEE_TIME_SCALE) passes.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// X's clock for the simulator and the exporter: the demo start, frozen, unless a test needs it
// running (hourly data that must line up with Prometheus's wall-clock timestamps).
struct ClockOptions {
  std::string start = std::string(kDemoClockStart);
  double speed = 0;
  std::vector<std::string> args() const;
};

class Simulator {
 public:
  // Frozen at kDemoClockStart, admin endpoint on; `extra_args` are added (faults, …).
  static Result<Simulator> start(const std::string& dir, std::vector<std::string> extra_args = {});
  static Result<Simulator> start_with_clock(const std::string& dir, const ClockOptions& clock,
                                            std::vector<std::string> extra_args = {});
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // PUT /admin/faults with a JSON object such as {"error_rate":1}.
  Result<void> set_faults(std::string_view json);
  test_support::ChildProcess& process() { return process_; }

 private:
  Simulator(test_support::ChildProcess process, int port)
      : process_(std::move(process)), port_(port) {}
  test_support::ChildProcess process_;
  int port_;
};

class Exporter {
 public:
  // Writes `config_template` to <dir>/config.toml with @SIMULATOR_URL@ replaced, and starts the
  // exporter on it with the demo world's credentials in its environment and X's clock at
  // kDemoClockStart (frozen).
  static Result<Exporter> start(const std::string& dir, const std::string& config_template,
                                const std::string& simulator_url,
                                std::vector<std::string> extra_args = {});
  static Result<Exporter> start_with_clock(const std::string& dir,
                                           const std::string& config_template,
                                           const std::string& simulator_url,
                                           const ClockOptions& clock,
                                           std::vector<std::string> extra_args = {});
  // The same with [web.tls] in the template: the harness talks HTTPS to it, presenting `client`
  // (the CA to trust, and a client certificate when the config asks for one).
  static Result<Exporter> start_https(const std::string& dir, const std::string& config_template,
                                      const std::string& simulator_url,
                                      const test_support::HttpTlsOptions& client);
  int port() const { return port_; }
  const std::string& config_path() const { return config_path_; }
  std::string url() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_); }
  // GET /metrics, gunzipped if needed; "" when the exporter did not answer 200.
  std::string metrics() const;
  // Waits for /-/ready to answer 200.
  bool wait_ready(std::chrono::milliseconds timeout) const;
  // Rewrites the config file (same template rules) and sends SIGHUP.
  Result<void> reload_with(const std::string& config_template);
  test_support::ChildProcess& process() { return process_; }

 private:
  static Result<Exporter> launch(const std::string& dir, const std::string& config_template,
                                 const std::string& simulator_url, const ClockOptions& clock,
                                 std::vector<std::string> extra_args,
                                 const std::optional<test_support::HttpTlsOptions>& https);
  Exporter(test_support::ChildProcess process, int port, std::string config_path,
           std::string simulator_url)
      : process_(std::move(process)),
        port_(port),
        config_path_(std::move(config_path)),
        simulator_url_(std::move(simulator_url)) {}
  test_support::ChildProcess process_;
  int port_;
  std::string config_path_;
  std::string simulator_url_;
  std::string scheme_ = "http";
  test_support::HttpTlsOptions tls_;  // for https
};

// What Prometheus sends with every scrape: its scrape config's basic_auth.
struct ScrapeBasicAuth {
  std::string username;
  std::string password;
};

// Prometheus's scheme: https with this tls_config (paths; cert and key empty for none).
struct ScrapeTls {
  std::string ca_file{};
  std::string cert_file{};
  std::string key_file{};
};

// A real Prometheus (Debian's `prometheus`) scraping `targets` every second.
class Prometheus {
 public:
  static Result<Prometheus> start(const std::string& dir, const std::vector<std::string>& targets,
                                  const std::vector<std::string>& rule_files = {},
                                  const std::optional<ScrapeBasicAuth>& basic_auth = {},
                                  const std::optional<ScrapeTls>& tls = {});
  // On an existing TSDB folder, e.g. the parent of `promtool tsdb create-blocks-from` blocks.
  static Result<Prometheus> start_on_storage(const std::string& dir,
                                             const std::vector<std::string>& targets,
                                             const std::string& storage_path);
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // The value of an instant query that returns exactly one sample; nullopt otherwise.
  std::optional<double> query_single_value(const std::string& promql) const;
  // The raw JSON answer of /api/v1/query.
  std::string query(const std::string& promql) const;
  // The same, evaluated at `time` (/api/v1/query?time=…).
  std::optional<double> query_single_value_at(const std::string& promql,
                                              std::chrono::sys_seconds time) const;
  std::string query_at(const std::string& promql, std::chrono::sys_seconds time) const;

 private:
  static Result<Prometheus> start_prometheus(const std::string& dir,
                                             const std::vector<std::string>& targets,
                                             const std::vector<std::string>& rule_files,
                                             const std::string& storage_path,
                                             const std::optional<ScrapeBasicAuth>& basic_auth,
                                             const std::optional<ScrapeTls>& tls);
  static std::optional<double> single_value(const std::string& body);
  Prometheus(test_support::ChildProcess process, int port)
      : process_(std::move(process)), port_(port) {}
  test_support::ChildProcess process_;
  int port_;
};

// The value of the series written exactly as `series` (name{labels} as the exporter writes it),
// or nullopt when that line is absent.
std::optional<double> sample_value(const std::string& metrics, std::string_view series);

// Drops the lines whose values depend on timing (durations, timestamps, rate-limit windows that
// follow the wall clock, the build revision), so the rest can be compared with a golden file.
std::string without_volatile_lines(const std::string& metrics);

// Compares `actual` with the golden file; with XEE_UPDATE_GOLDEN=1 in the environment it writes
// the file instead (then review the diff and commit it).
void expect_matches_golden(const std::string& actual, const std::string& golden_path);

std::string read_text_file(const std::string& path);

// Runs the exporter binary with `args` (a subcommand such as backfill) and the demo world's
// credentials in its environment, until it exits; stderr goes to <dir>/<log_name>.
Result<test_support::ExitStatus> run_exporter_command(const std::string& dir,
                                                      std::vector<std::string> args,
                                                      const std::string& log_name,
                                                      std::chrono::milliseconds timeout);

// promtool tsdb create-blocks-from openmetrics <openmetrics_file> <blocks_dir>.
Result<void> create_blocks(const std::string& openmetrics_file, const std::string& blocks_dir);

}  // namespace xee::test_stack

// x_engagement_exporter: flags, logging, signals. Everything else is ExporterApp.

#include <malloc.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/log.h"
#include "common/time_format.h"
#include "config/config.h"
#include "exporter/exporter_app.h"
#include "exporter/historical_command.h"

namespace {

using namespace xee;

struct Flags {
  std::string config_file = "x-engagement-exporter.toml";
  std::string listen_address;
  bool config_check = false;
  std::string log_level = "info";
  std::string log_format = "logfmt";
  std::string clock_start;
  double clock_speed = 1.0;
  bool enable_lifecycle = false;
  std::string drain_timeout = "3s";
  bool version = false;
};

constexpr int kMmapThresholdBytes = 256 * 1024;
constexpr std::chrono::milliseconds kMaxDrainTimeout = std::chrono::minutes(10);

store::BuildInfo build_info() {
  return {XEE_VERSION, XEE_REVISION, XEE_COMPILER};
}

std::string version_text() {
  const store::BuildInfo build = build_info();
  return "x_engagement_exporter, version " + build.version + " (revision: " + build.revision +
         ")\n  compiler: " + build.compiler + "\n";
}

// Exit codes: 0 success, 1 a configuration or start-up error, 2 a usage error.
int check_config(const Flags& flags) {
  auto loaded = config::load_config(flags.config_file, config::SystemEnvironment{});
  if (!loaded) {
    std::cerr << loaded.error().message << "\n";
    return 1;
  }
  for (const std::string& warning : loaded->warnings) std::cerr << "warning: " << warning << "\n";
  std::cout << flags.config_file << ": configuration is valid (" << loaded->config.posts.size()
            << " Posts, " << loaded->config.accounts.size() << " accounts)\n";
  return 0;
}

int run(const Flags& flags) {
  const auto level = common::parse_log_level(flags.log_level);
  const auto format = common::parse_log_format(flags.log_format);
  if (!level || !format) {
    std::cerr << (level ? "--log.format must be logfmt or json, got \"" + flags.log_format + "\""
                        : "--log.level must be debug, info, warn or error, got \"" +
                              flags.log_level + "\"")
              << "\n";
    return 2;
  }

  // Block the signals before any thread starts, so every thread inherits the mask and only the
  // sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  common::SystemClock wall_clock;
  common::Logger logger(std::cerr, *level, *format, wall_clock);

  std::optional<common::AcceleratedClock> world_clock;
  if (!flags.clock_start.empty()) {
    const auto start = common::parse_iso8601(flags.clock_start);
    if (!start) {
      std::cerr << "--clock.start: \"" << flags.clock_start
                << "\" is not an ISO-8601 UTC time such as 2026-11-20T00:00:00Z\n";
      return 2;
    }
    world_clock.emplace(wall_clock, *start, flags.clock_speed);
  }

  const auto drain_timeout = common::parse_duration(flags.drain_timeout);
  if (!drain_timeout || *drain_timeout > kMaxDrainTimeout) {
    std::cerr << "--shutdown.drain-timeout: \"" << flags.drain_timeout
              << "\" is not a duration between 0s and 10m, such as 3s\n";
    return 2;
  }

  exporter::ExporterAppOptions options;
  options.config_file = flags.config_file;
  options.enable_lifecycle = flags.enable_lifecycle;
  options.drain_timeout = *drain_timeout;
  options.listen_address_override = flags.listen_address;
  options.build = build_info();
  options.post_age_clock = world_clock ? &*world_clock : nullptr;
  logger.info("starting x_engagement_exporter", {{"version", options.build.version},
                                                 {"revision", options.build.revision},
                                                 {"config", flags.config_file}});
  auto app = exporter::ExporterApp::start(options, wall_clock, logger);
  if (!app) {
    logger.error("cannot start", {{"error", app.error().message}});
    return 1;
  }

  while (true) {
    int signal_number = 0;
    if (sigwait(&signals, &signal_number) != 0) continue;
    if (signal_number == SIGHUP) {
      (void)(*app)->reload();  // logs and records its own outcome
      continue;
    }
    logger.info("shutting down", {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"}});
    break;
  }
  app->reset();
  logger.info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Fixed thresholds: after a large block is freed glibc would raise them and then keep tens of
  // MB at the top of each thread's arena, out of malloc_trim's reach (measured: +25 MB RSS per
  // failed reload of a million-line Post list). Blocks this big now go straight back.
  mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
  Flags flags;
  CLI::App cli{
      "Prometheus exporter for X's (Twitter's) Engagement API: polls /totals in the background "
      "and serves the Posts' impressions, engagements and per-type counts on /metrics.",
      "x_engagement_exporter"};
  cli.add_option("--config.file", flags.config_file, "Path to the TOML configuration file")
      ->capture_default_str();
  cli.add_option("--web.listen-address", flags.listen_address,
                 "Address to serve /metrics on, e.g. :10877 or 127.0.0.1:10877 (default: the "
                 "config's web.listen_address, else :10877)");
  cli.add_flag("--config.check", flags.config_check,
               "Validate the configuration (secrets included), print the result and exit 0 or 1");
  cli.add_option("--log.level", flags.log_level, "debug, info, warn or error")
      ->capture_default_str();
  cli.add_option("--log.format", flags.log_format, "logfmt or json")->capture_default_str();
  cli.add_option("--clock.start", flags.clock_start,
                 "For demos and tests against x_api_simulator: X's clock (Post ages, the 90- and "
                 "1800-day rules) starts at this ISO-8601 time instead of the wall clock; pass the "
                 "simulator's --clock.start");
  cli.add_option("--clock.speed", flags.clock_speed,
                 "With --clock.start: how fast X's clock runs (the simulator's --clock.speed)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cli.add_flag("--web.enable-lifecycle", flags.enable_lifecycle,
               "Enable reloading over HTTP (POST /-/reload); SIGHUP reloads either way");
  cli.add_option("--shutdown.drain-timeout", flags.drain_timeout,
                 "On SIGTERM, how long requests to X in flight may finish before they are "
                 "aborted; keep it well below Kubernetes' 30s grace period")
      ->capture_default_str();
  cli.add_flag("--version", flags.version, "Print the version and exit");

  exporter::HistoricalCommandFlags historical;
  historical.config_file = flags.config_file;
  const auto add_historical_flags = [&historical](CLI::App& command) {
    command
        .add_option("--config.file", historical.config_file, "Path to the TOML configuration file")
        ->capture_default_str();
    command
        .add_option("--from", historical.from,
                    "Start of the range: a date (2026-10-01) or ISO-8601 UTC time, widened down "
                    "to the hour")
        ->required();
    command
        .add_option("--to", historical.to,
                    "End of the range (exclusive), widened up to the hour; at most the start of "
                    "the current hour on X's clock")
        ->required();
    command.add_option("--clock.start", historical.clock_start,
                       "As for the exporter: X's clock starts at this ISO-8601 time (for "
                       "x_api_simulator)");
    command.add_option("--clock.speed", historical.clock_speed, "With --clock.start: its speed")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
  };
  std::string backfill_output;
  std::string backfill_checkpoint;
  CLI::App* backfill = cli.add_subcommand(
      "backfill",
      "Fetch /historical for every owned Post over a range and write OpenMetrics for promtool tsdb "
      "create-blocks-from openmetrics (see docs/backfill.md)");
  add_historical_flags(*backfill);
  backfill->add_option("--output", backfill_output, "The OpenMetrics file to write")->required();
  backfill->add_option("--checkpoint", backfill_checkpoint,
                       "Where progress is kept for resuming (default: <output>.checkpoint)");
  std::string report_format = "csv";
  std::string report_output;
  CLI::App* report = cli.add_subcommand(
      "report", "Totals per owned Post and engagement type over a range, from /historical");
  add_historical_flags(*report);
  report->add_option("--format", report_format, "csv or json")->capture_default_str();
  report->add_option("--output", report_output, "File to write (default: stdout)");
  cli.require_subcommand(0, 1);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return cli.exit(error) == 0 ? 0 : 2;
  }
  if (flags.version) {
    std::cout << version_text();
    return 0;
  }
  if (backfill->parsed()) {
    return exporter::run_backfill_command(historical, backfill_output, backfill_checkpoint);
  }
  if (report->parsed()) {
    return exporter::run_report_command(historical, report_format, report_output);
  }
  if (flags.config_check) return check_config(flags);
  return run(flags);
}

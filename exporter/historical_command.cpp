#include "exporter/historical_command.h"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "collectors/client/http_transport.h"
#include "collectors/client/x_api_client.h"
#include "collectors/sleeper.h"
#include "common/time_format.h"
#include "config/config.h"
#include "exporter/backfill.h"
#include "exporter/exporter_app.h"
#include "exporter/report.h"

namespace xee::exporter {
namespace {

// Everything a run needs, built from the flags; the members are referenced by the context.
struct Session {
  common::SystemClock wall_clock;
  std::optional<common::AcceleratedClock> world_clock;
  config::ExporterConfig config;
  HourWindow range;
  common::StopSignal stop;
  std::unique_ptr<store::Telemetry> telemetry;
  std::unique_ptr<collectors::client::CurlTransport> transport;
  std::unique_ptr<collectors::client::XApiClient> api;
  std::unique_ptr<collectors::RequestPacer> pacer;
  std::unique_ptr<ProgressReporter> progress;
  HistoricalPlan plan;
};

// Returns an exit code on failure, after saying why on stderr.
std::optional<int> open_session(const HistoricalCommandFlags& flags, Session& session) {
  const common::Clock* x_clock = &session.wall_clock;
  if (!flags.clock_start.empty()) {
    const auto start = common::parse_iso8601(flags.clock_start);
    if (!start) {
      std::cerr << "--clock.start: \"" << flags.clock_start
                << "\" is not an ISO-8601 UTC time such as 2026-11-20T00:00:00Z\n";
      return kExitUsage;
    }
    session.world_clock.emplace(session.wall_clock, *start, flags.clock_speed);
    x_clock = &*session.world_clock;
  }
  const auto x_now = std::chrono::floor<std::chrono::seconds>(x_clock->now());
  auto range = parse_range(flags.from, flags.to, x_now);
  if (!range) {
    std::cerr << range.error().message << "\n";
    return kExitUsage;
  }
  session.range = *range;
  auto loaded = config::load_config(flags.config_file, config::SystemEnvironment{});
  if (!loaded) {
    std::cerr << loaded.error().message << "\n";
    return kExitFailed;
  }
  for (const std::string& warning : loaded->warnings) std::cerr << "warning: " << warning << "\n";
  session.config = std::move(loaded->config);

  session.telemetry = std::make_unique<store::Telemetry>(store::BuildInfo{});
  session.transport =
      std::make_unique<collectors::client::CurlTransport>(transport_options(session.config.api));
  // OAuth timestamps are checked against the real time by X, so signing uses the wall clock.
  session.api = std::make_unique<collectors::client::XApiClient>(
      *session.transport, session.config.api.engagement_url, session.wall_clock);
  session.pacer = std::make_unique<collectors::RequestPacer>(
      session.wall_clock, collectors::interruptible_sleeper(session.stop), *session.telemetry,
      collectors::RequestPacerOptions{.budget_per_minute = session.config.api.requests_per_minute});
  session.progress =
      std::make_unique<ProgressReporter>(std::cerr, isatty(STDERR_FILENO) == 1, session.wall_clock);
  session.plan =
      plan_historical(tracked_posts(session.config), user_auth(session.config), session.range);
  return std::nullopt;
}

HistoricalContext context_of(Session& session) {
  RunnerOptions runner;
  runner.backoff.max_attempts = session.config.api.max_retries + 1;
  return HistoricalContext{
      *session.api,      *session.pacer, *session.telemetry,    user_auth(session.config),
      std::move(runner), std::cerr,      session.progress.get()};
}

}  // namespace

int run_backfill_command(const HistoricalCommandFlags& flags, const std::string& output,
                         const std::string& checkpoint) {
  Session session;
  if (const auto failed = open_session(flags, session)) return *failed;
  HistoricalContext context = context_of(session);
  return run_backfill(session.plan, BackfillOptions{output, checkpoint}, context);
}

int run_report_command(const HistoricalCommandFlags& flags, const std::string& format,
                       const std::string& output) {
  if (format != "csv" && format != "json") {
    std::cerr << "--format must be csv or json, got \"" << format << "\"\n";
    return kExitUsage;
  }
  Session session;
  if (const auto failed = open_session(flags, session)) return *failed;
  HistoricalContext context = context_of(session);
  const ReportFormat report_format = format == "csv" ? ReportFormat::csv : ReportFormat::json;
  if (output.empty()) {
    return run_report(session.plan, session.range, report_format, std::cout, context);
  }
  // Buffered, so a failed run leaves an earlier report file as it was.
  std::ostringstream text;
  const int exit_code = run_report(session.plan, session.range, report_format, text, context);
  if (exit_code != kExitOk) return exit_code;
  std::ofstream file(output, std::ios::binary | std::ios::trunc);
  file << text.str();
  if (!file.flush()) {
    std::cerr << "cannot write " << output << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace xee::exporter

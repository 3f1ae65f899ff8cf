#pragma once
// What backfill and report tests share: the demo app's acme account, Posts at known times, and a
// HistoricalContext over a FakeHistoricalApi whose pacer waits on a ManualClock.

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/request_pacer.h"
#include "common/clock.h"
#include "common/time_format.h"
#include "exporter/backfill.h"
#include "fake_historical_api.h"
#include "store/telemetry.h"

namespace xee::exporter::testing {

using namespace std::chrono_literals;

inline const common::TimePoint kXNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 20};

inline const collectors::UserAuth kAcme{"acme",
                                        {"demo-consumer-key", "demo-consumer-secret",
                                         "1000001-acme-demo-token", "acme-demo-token-secret"}};

inline std::chrono::sys_seconds at(const std::string& iso) {
  return common::parse_iso8601(iso).value();
}

// An acme Post created at `created`, told apart by `sequence`.
inline PostId post_created(std::chrono::sys_seconds created, std::uint32_t sequence) {
  return wire::make_snowflake(std::chrono::time_point_cast<std::chrono::milliseconds>(created), 1,
                              sequence);
}

inline std::string fresh_dir(const std::string& name) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("xee-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

struct HistoricalHarness {
  common::ManualClock clock{kXNow};
  store::Telemetry telemetry{store::BuildInfo{}};
  collectors::RequestPacer pacer{clock,
                                 [this](common::Millis d) {
                                   clock.advance(d);
                                   return false;
                                 },
                                 telemetry,
                                 collectors::RequestPacerOptions{.budget_per_minute = 60}};
  FakeHistoricalApi api;
  std::ostringstream messages;

  HistoricalContext context() {
    RunnerOptions runner;
    runner.backoff.max_attempts = 2;
    runner.jitter = collectors::seeded_random_source(7);
    return HistoricalContext{api, pacer, telemetry, {{"acme", kAcme}}, runner, messages, nullptr};
  }
};

}  // namespace xee::exporter::testing

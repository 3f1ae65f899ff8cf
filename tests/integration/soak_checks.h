#pragma once
// Exact-value checks for the fault soak (soak_test.cpp), scrape by scrape, against the simulator's
// world model on a running clock: a Post's /totals series must be the world's counts at one
// instant (the simulator answers all of a Post's types at once), and an owned Post's hourly
// series the world's hours, its tally every hour since tracking began counted once.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/clock.h"
#include "common/result.h"
#include "simulator/world/world.h"

namespace xee::test_stack::soak {

using Hour = std::chrono::sys_seconds;
// One scrape: each sample's value by its series text, name{labels} as the exporter writes it.
using Samples = std::unordered_map<std::string, double>;

Samples parse_samples(const std::string& metrics);

// The simulator's X clock as the test sees it: read once from its landing page (to the second),
// then advanced at the simulator's speed on the wall clock.
class SimulatorClock {
 public:
  static Result<SimulatorClock> read(const std::string& simulator_url, double speed);
  common::TimePoint now() const;

 private:
  SimulatorClock(common::TimePoint x_anchor, std::chrono::system_clock::time_point wall_anchor,
                 double speed)
      : x_anchor_(x_anchor), wall_anchor_(wall_anchor), speed_(speed) {}
  common::TimePoint x_anchor_;
  std::chrono::system_clock::time_point wall_anchor_;
  double speed_;
};

// x_engagement_post_lifetime_* of a /totals type.
std::string totals_series(wire::PostId id, wire::EngagementType type);
// x_engagement_post_<window>_* of an hourly type; window is "last_hour", "28h" or "tally".
std::string hourly_series(std::string_view window, wire::PostId id, wire::EngagementType type);
std::string last_hour_start_series(wire::PostId id);

// Nullopt when every /totals series of the Post present in `samples` equals
// World::cumulative at one instant in [from, to]; otherwise what differs.
std::optional<std::string> check_totals(const simulator::World& world, wire::PostId id,
                                        const Samples& samples, common::TimePoint from,
                                        common::TimePoint to);

// The hourly series of owned Posts against the world's hours. A Post's first published tally
// tells where its tracking began (the hours of its first /28hr answer); every later tally must
// be the sum of the world's hours from there to the published last hour, so an hour lost or
// counted twice shows at once, across restarts too.
class HourlyChecker {
 public:
  explicit HourlyChecker(const simulator::World& world) : world_(world) {}

  // Nullopt when the Post's hourly series in `samples` (if any) are exact at `x_now`, the
  // simulator's time (later than every hour the exporter may count as complete).
  std::optional<std::string> check(wire::PostId id, const Samples& samples,
                                   common::TimePoint x_now);
  // The first hour of the Post's tally, once learnt.
  std::optional<Hour> tracked_from(wire::PostId id) const;

 private:
  using HourValues = std::array<std::uint64_t, wire::kTimeSeriesTypes.size()>;
  // The world's values of the hour as seen at `x_now` (an hour not yet over is still filling).
  HourValues hour_values(const simulator::Post& post, Hour hour, common::TimePoint x_now);
  HourValues sum(const simulator::Post& post, Hour from, Hour last, common::TimePoint x_now);
  std::optional<Hour> learn_start(const simulator::Post& post, const Samples& samples, Hour last,
                                  common::TimePoint x_now);

  const simulator::World& world_;
  std::map<wire::PostId, Hour> tracked_from_;
  std::map<std::pair<wire::PostId, Hour>, HourValues> hours_;  // complete hours never change
};

}  // namespace xee::test_stack::soak

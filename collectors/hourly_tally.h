#pragma once
// What the hourly collector knows about one owned Post's hours, and the one rule that keeps its
// running tally exact: every complete hour is added once. An hour counts as added when it is at or
// before `last_added`; any answer (/28hr windows overlap by 27 hours from one refresh to the next,
// /historical fills gaps) contributes only the hours after it, oldest first.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "collectors/engagement_api.h"

namespace xee::collectors {

// The start of an hour on X's clock; the hour is [start, start + 1h).
using Hour = std::chrono::sys_seconds;
// Values indexed by wire::index_of(type); only the 17 time-series types are ever non-zero.
using HourValues = std::array<std::uint64_t, wire::kEngagementTypeCount>;

inline constexpr std::chrono::hours kOneHour{1};
// The /28hr window: its complete hours are the 28 before the current one.
inline constexpr std::chrono::hours kLast28HoursWindow{28};

struct PostHours {
  // The latest hour already added to `tally`; unset until the first answer.
  std::optional<Hour> last_added;
  // The latest hour with any non-zero value, or the first hour seen while there was none yet:
  // what "inactive for a while" is measured from.
  std::optional<Hour> last_active;
  HourValues tally{};
  // Complete hours of (at most) the last 28, for the last-hour and 28-hour figures. Not persisted:
  // after a restart the first /28hr answer refills it.
  std::map<Hour, HourValues> recent;

  // Takes one Post's counts (of one answer, any order) for the hours before `complete_until`:
  // adds those after last_added to the tally and keeps the last 28 in `recent`. Returns how many
  // hours were added.
  int absorb(std::span<const HourlyCount> counts, Hour complete_until);

  // The latest hour in `recent`, its values, and the sums over `recent`'s hours in the 28 hours
  // that end with it. Nullopt when `recent` is empty.
  struct Window {
    Hour last_hour;
    HourValues last_hour_values{};
    HourValues sums{};
    // Whether `recent` holds all 28 of those hours. Not right after a start within the delay of
    // an hour's end: X's /28hr window then begins an hour after the one the sums need.
    bool full = false;
  };
  std::optional<Window> window() const;
};

// The end of the latest hour that counts as complete at `x_now` (X's clock): an hour is complete
// once it has ended and `delay` has passed, so X has settled its counts.
Hour complete_until(std::chrono::sys_time<std::chrono::milliseconds> x_now,
                    std::chrono::milliseconds delay);

// The counts of an answer by Post, whatever their order.
std::unordered_map<PostId, std::vector<HourlyCount>> counts_by_post(
    const std::vector<HourlyCount>& counts);

}  // namespace xee::collectors

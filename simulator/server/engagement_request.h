#pragma once
// The body of an Engagement API request (spec §1.1, §3) parsed and validated, and the time
// window of /28hr and /historical (§1.2, §1.3). Everything here is pure: JSON and a time in,
// a request or the exact 400 answer out.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "common/clock.h"
#include "common/time_format.h"
#include "simulator/server/api_error.h"
#include "simulator/world/world.h"
#include "wire/api_limits.h"
#include "wire/engagement_types.h"
#include "wire/snowflake.h"

namespace xee::simulator::server {

enum class GroupLevel : std::uint8_t { tweet_id, engagement_type, day, hour };

struct Grouping {
  std::string name;
  std::vector<GroupLevel> levels;  // outermost first, as in `group_by`
  bool operator==(const Grouping&) const = default;
};

struct EngagementRequest {
  wire::Endpoint endpoint = wire::Endpoint::totals;
  std::vector<wire::PostId> post_ids;       // request order, repeats dropped
  std::vector<wire::EngagementType> types;  // request order, repeats dropped
  std::vector<Grouping> groupings;          // request order
  std::optional<common::Seconds> start;     // /historical only, as sent (not yet widened)
  std::optional<common::Seconds> end;
};

// Parses and validates a request body for `endpoint` (totals, hr28 or historical): JSON shape,
// ID count, engagement types allowed on the endpoint (`media_clicks` accepted as an alias of
// media_engagements), grouping count and shapes, start/end formats.
tl::expected<EngagementRequest, ApiError> parse_engagement_request(wire::Endpoint endpoint,
                                                                   std::string_view body);

// An hour-aligned window [start, end).
struct TimeWindow {
  common::Seconds start;
  common::Seconds end;
  bool operator==(const TimeWindow&) const = default;
};

// /28hr: the 28 hours before the current hour plus the current, still filling hour.
TimeWindow last_28_hours(common::TimePoint now);

// /historical: defaults (both missing: the 28 days up to the end of the current hour; one missing:
// the other pinned 28 days away, clamped to now and to the lower bound), then widening to whole
// hours and the rules: end not in the future, start not before max(2014-09-01, now - lookback),
// start before end, at most 28 days after widening.
tl::expected<TimeWindow, ApiError> historical_window(const EngagementRequest& request,
                                                     common::TimePoint now,
                                                     const LimitsConfig& limits);

// The earliest start /historical accepts at `now`.
common::Seconds historical_lower_bound(common::TimePoint now, const LimitsConfig& limits);

}  // namespace xee::simulator::server

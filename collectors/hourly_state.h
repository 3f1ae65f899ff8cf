#pragma once
// The hourly collector's section of the state file (state/state_file.h), section "hourly":
//   {"posts": [{"post_id": "1859…", "last_added": "2026-11-19T23:00:00Z",
//               "last_active": "2026-11-19T23:00:00Z", "tally": {"impressions": 1234, …}}]}
// Post IDs are strings (JSON readers lose 64-bit integers), hours ISO-8601, one key per type of
// the 17. The 28 recent hours are not kept: a /28hr request after a start brings them back.

#include <string>
#include <string_view>
#include <unordered_map>

#include "collectors/hourly_tally.h"
#include "common/result.h"

namespace xee::collectors {

inline constexpr std::string_view kHourlyStateSection = "hourly";

// Posts without an added hour are left out; Posts in ID order, so the file diffs well.
std::string encode_hourly_state(const std::unordered_map<PostId, PostHours>& posts);

// An error names the first problem and the Post it is in ("posts[3] (post 1859…): tally.favorites
// is not a non-negative integer").
Result<std::unordered_map<PostId, PostHours>> decode_hourly_state(std::string_view json);

}  // namespace xee::collectors

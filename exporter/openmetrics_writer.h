#pragma once
// The OpenMetrics text `backfill` writes for `promtool tsdb create-blocks-from openmetrics`: the
// live exporter's x_engagement_post_last_hour_* families, one sample per hour, timestamped at the
// END of the hour it covers (when the live exporter could first have published that value).
//
// OpenMetrics wants each family's samples contiguous, but answers arrive per (batch, window).
// Each answer is therefore written to one small file per family, and the final file is
// assembled by streaming those files family by family: memory stays bounded by one answer (25
// Posts × 17 types × 672 hours) however long the range and however many Posts.

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/engagement_api.h"
#include "common/result.h"

namespace xee::exporter {

enum class HourlyFamily { impressions, engagements, interactions };
inline constexpr std::array<HourlyFamily, 3> kHourlyFamilies{
    HourlyFamily::impressions, HourlyFamily::engagements, HourlyFamily::interactions};

// "x_engagement_post_last_hour_impressions", …_engagements, …_interactions.
std::string_view family_name(HourlyFamily family);
HourlyFamily family_of(wire::EngagementType type);

// `x_engagement_post_last_hour_interactions{post_id="…",engagement_type="favorites"} 3 1763604000`
// (the timestamp is count.hour + 1h, in seconds).
std::string sample_line(const collectors::HourlyCount& count);

// The file one family of one unit's samples goes to.
std::string family_file(const std::string& unit_prefix, HourlyFamily family);

// Writes `counts` to the three family files of `unit_prefix`, each through a temporary file
// renamed into place, so a file that exists is complete.
Result<void> write_unit_samples(const std::string& unit_prefix,
                                const std::vector<collectors::HourlyCount>& counts);

// Writes the whole OpenMetrics text to `output_path` (through a temporary file renamed into
// place): per family `# TYPE`/`# HELP`, then that family's samples of every unit in the given
// order, then `# EOF`. A missing unit file is an error naming it.
Result<void> assemble_openmetrics(const std::vector<std::string>& unit_prefixes,
                                  const std::string& output_path);

}  // namespace xee::exporter

#pragma once
// How a long period of /historical data is asked for: windows X accepts (at most 28 days, whole
// hours, not before its lower bound, not after now) and Post batches of at most 25. Pure
// functions, shared by the backfill command and the exporter's gap fill after downtime.

#include <chrono>
#include <cstddef>
#include <span>
#include <vector>

#include "common/result.h"
#include "wire/api_limits.h"
#include "wire/snowflake.h"

namespace xee::collectors {

// One /historical window [start, end), both on whole hours.
struct HistoricalWindow {
  std::chrono::sys_seconds start;
  std::chrono::sys_seconds end;
  bool operator==(const HistoricalWindow&) const = default;
};

// The earliest start X accepts when it keeps `lookback` of history. UNCONFIRMED (spec §1.3's
// conflict: the reference says 2014-09-01, the overview the last 365 days), so the bound is the
// caller's choice: max(2014-09-01, now - lookback), as the simulator computes it.
// A zero lookback means 2014-09-01 only, as the simulator's `historical_lookback = 0`.
std::chrono::sys_seconds historical_earliest_start(std::chrono::sys_seconds now,
                                                   std::chrono::days lookback);

// Splits [from, to) into consecutive windows of at most wire::kHistoricalMaxWindow that cover it
// exactly after clamping:
// - widened to whole hours as X does (from floored, to ceiled);
// - never starting before `earliest_start` (rounded up to its hour, so X's widening cannot reach
//   below it);
// - never ending after the start of now's hour: only complete hours, because the current hour is
//   still filling and a value read now would later be read again larger (double counting in a
//   tally, a wrong final sample in a backfill).
// Fails with a message naming the period when it is empty or inverted, or when nothing is left
// after clamping (entirely before `earliest_start`, or no complete hour yet).
Result<std::vector<HistoricalWindow>> split_historical_period(
    std::chrono::sys_seconds from, std::chrono::sys_seconds to, std::chrono::sys_seconds now,
    std::chrono::sys_seconds earliest_start = wire::kHistoricalEarliestStart);

// `post_ids` in order, in consecutive batches of at most `batch_size` (default: the /28hr and
// /historical limit); none for an empty list. A batch_size of 0 is treated as 1.
std::vector<std::vector<wire::PostId>> split_into_batches(
    std::span<const wire::PostId> post_ids, std::size_t batch_size = wire::kTimeSeriesMaxIds);

}  // namespace xee::collectors

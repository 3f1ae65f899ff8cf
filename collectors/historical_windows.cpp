#include "collectors/historical_windows.h"

#include <algorithm>
#include <string>

#include "common/time_format.h"

namespace xee::collectors {
namespace {

std::string describe_period(std::chrono::sys_seconds from, std::chrono::sys_seconds to) {
  return "historical period " + common::format_iso8601(from) + " to " + common::format_iso8601(to);
}

}  // namespace

std::chrono::sys_seconds historical_earliest_start(std::chrono::sys_seconds now,
                                                   std::chrono::days lookback) {
  if (lookback == std::chrono::days{0}) return wire::kHistoricalEarliestStart;
  return std::max(
      wire::kHistoricalEarliestStart,
      std::chrono::sys_seconds{now - std::chrono::duration_cast<std::chrono::seconds>(lookback)});
}

Result<std::vector<HistoricalWindow>> split_historical_period(
    std::chrono::sys_seconds from, std::chrono::sys_seconds to, std::chrono::sys_seconds now,
    std::chrono::sys_seconds earliest_start) {
  if (from == to) return fail(describe_period(from, to) + " is empty");
  if (from > to) return fail(describe_period(from, to) + " is inverted: from is after to");
  const auto lower_bound = common::ceil_hour(earliest_start);
  const auto last_complete_hour_end = common::floor_hour(now);
  const auto start = std::max(common::floor_hour(from), lower_bound);
  const auto end = std::min(common::ceil_hour(to), last_complete_hour_end);
  if (common::ceil_hour(to) <= lower_bound) {
    return fail(describe_period(from, to) + " ends before the earliest start X serves, " +
                common::format_iso8601(lower_bound));
  }
  if (start >= end) {
    return fail(describe_period(from, to) + " has no complete hour yet: complete hours end at " +
                common::format_iso8601(last_complete_hour_end));
  }
  std::vector<HistoricalWindow> windows;
  for (auto window_start = start; window_start < end;) {
    const auto window_end = std::min(end, window_start + wire::kHistoricalMaxWindow);
    windows.push_back({window_start, window_end});
    window_start = window_end;
  }
  return windows;
}

std::vector<std::vector<wire::PostId>> split_into_batches(std::span<const wire::PostId> post_ids,
                                                          std::size_t batch_size) {
  const std::size_t size = std::max<std::size_t>(batch_size, 1);
  std::vector<std::vector<wire::PostId>> batches;
  for (std::size_t first = 0; first < post_ids.size(); first += size) {
    const auto count = std::min(size, post_ids.size() - first);
    const auto begin = post_ids.begin() + static_cast<std::ptrdiff_t>(first);
    batches.emplace_back(begin, begin + static_cast<std::ptrdiff_t>(count));
  }
  return batches;
}

}  // namespace xee::collectors

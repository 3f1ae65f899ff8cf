#include "collectors/hourly_schedule.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace xee::collectors {
namespace {

std::int64_t batches_of(std::int64_t posts) {
  const auto size = static_cast<std::int64_t>(wire::kTimeSeriesMaxIds);
  return (posts + size - 1) / size;
}

}  // namespace

bool is_inactive(const PostHours& hours, Hour until, const HourlyCadence& cadence) {
  return hours.last_active && until - (*hours.last_active + kOneHour) >= cadence.inactive_after;
}

HourlyNeed hourly_need(const PostHours& hours, Hour until, const HourlyCadence& cadence) {
  if (!hours.last_added) return HourlyNeed::last_28_hours;
  const Hour next = *hours.last_added + kOneHour;
  // /28hr's complete hours start 28 h before the current hour, which is `until` or (within the
  // delay) the hour after it; asking /historical whenever `next` lies before until - 28 h is
  // therefore never too late, and the collector re-checks against the window X reports.
  if (next < until - kLast28HoursWindow) return HourlyNeed::historical;
  // After a restart the tally is current but the last-hour and 28-hour figures are unknown.
  if (hours.recent.empty()) return HourlyNeed::last_28_hours;
  if (next >= until) return HourlyNeed::none;
  if (is_inactive(hours, until, cadence) && until - next < cadence.slow_interval) {
    return HourlyNeed::none;
  }
  return HourlyNeed::last_28_hours;
}

std::vector<HourlyBatch> make_hourly_batches(const std::vector<HourlyPostRef>& posts) {
  std::vector<HourlyBatch> groups;
  std::map<std::pair<std::string, HourlyNeed>, std::size_t> group_index;
  for (const HourlyPostRef& post : posts) {
    if (post.need == HourlyNeed::none) continue;
    const auto [it, inserted] = group_index.try_emplace({post.account, post.need}, groups.size());
    if (inserted) groups.push_back({post.account, post.need, {}});
    groups[it->second].post_ids.push_back(post.id);
  }
  std::vector<HourlyBatch> batches;
  for (HourlyBatch& group : groups) {
    for (std::size_t i = 0; i < group.post_ids.size(); i += wire::kTimeSeriesMaxIds) {
      const auto end = std::min(group.post_ids.size(), i + wire::kTimeSeriesMaxIds);
      batches.push_back({group.account,
                         group.need,
                         {group.post_ids.begin() + static_cast<std::ptrdiff_t>(i),
                          group.post_ids.begin() + static_cast<std::ptrdiff_t>(end)}});
    }
  }
  return batches;
}

std::int64_t hourly_requests_per_minute(double budget_share, std::int64_t budget_per_minute) {
  const auto share =
      static_cast<std::int64_t>(std::floor(budget_share * static_cast<double>(budget_per_minute)));
  return std::max<std::int64_t>(1, share);
}

HourlyBudget hourly_budget(const std::vector<AccountPosts>& accounts, const HourlyCadence& cadence,
                           double budget_share, std::int64_t budget_per_minute) {
  const double slow_per_hour = std::chrono::duration<double>(kOneHour) /
                               std::chrono::duration<double>(cadence.slow_interval);
  HourlyBudget budget;
  for (const AccountPosts& account : accounts) {
    budget.needed_per_hour += static_cast<double>(batches_of(account.active)) +
                              static_cast<double>(batches_of(account.inactive)) * slow_per_hour;
  }
  budget.available_per_hour =
      static_cast<double>(hourly_requests_per_minute(budget_share, budget_per_minute) * 60);
  return budget;
}

}  // namespace xee::collectors

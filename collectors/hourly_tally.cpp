#include "collectors/hourly_tally.h"

#include <algorithm>

#include "common/time_format.h"

namespace xee::collectors {

int PostHours::absorb(std::span<const HourlyCount> counts, Hour complete_until) {
  std::map<Hour, HourValues> hours;
  for (const HourlyCount& count : counts) {
    // The current hour is still filling up, and a later one would be X's clock running ahead.
    if (count.hour + kOneHour > complete_until) continue;
    hours[count.hour][wire::index_of(count.type)] = count.value;
  }
  int added = 0;
  // Oldest first, so last_added only ever moves forward.
  for (const auto& [hour, values] : hours) {
    const bool active = std::any_of(values.begin(), values.end(), [](auto v) { return v != 0; });
    if (active || !last_active) last_active = std::max(last_active.value_or(hour), hour);
    recent[hour] = values;
    if (last_added && hour <= *last_added) continue;
    for (std::size_t i = 0; i < values.size(); ++i) tally[i] += values[i];
    last_added = hour;
    ++added;
  }
  std::erase_if(
      recent, [&](const auto& entry) { return entry.first + kLast28HoursWindow < complete_until; });
  return added;
}

std::optional<PostHours::Window> PostHours::window() const {
  if (recent.empty()) return std::nullopt;
  Window window;
  window.last_hour = recent.rbegin()->first;
  window.last_hour_values = recent.rbegin()->second;
  const Hour first = window.last_hour - kLast28HoursWindow + kOneHour;
  std::int64_t hours = 0;
  for (auto it = recent.lower_bound(first); it != recent.end(); ++it) {
    for (std::size_t i = 0; i < it->second.size(); ++i) window.sums[i] += it->second[i];
    ++hours;
  }
  window.full = hours == kLast28HoursWindow.count();
  return window;
}

Hour complete_until(std::chrono::sys_time<std::chrono::milliseconds> x_now,
                    std::chrono::milliseconds delay) {
  return common::floor_hour(std::chrono::floor<std::chrono::seconds>(x_now - delay));
}

std::unordered_map<PostId, std::vector<HourlyCount>> counts_by_post(
    const std::vector<HourlyCount>& counts) {
  std::unordered_map<PostId, std::vector<HourlyCount>> by_post;
  for (const HourlyCount& count : counts) by_post[count.post_id].push_back(count);
  return by_post;
}

}  // namespace xee::collectors

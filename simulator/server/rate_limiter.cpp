#include "simulator/server/rate_limiter.h"

#include <algorithm>

#include "wire/api_limits.h"

namespace xee::simulator::server {

RateLimiter::RateLimiter(std::vector<RateWindow> windows, const common::Clock& wall_clock)
    : wall_clock_(wall_clock) {
  for (auto& window : windows) {
    if (window.limit > 0) windows_.push_back(window);
  }
  counters_.resize(windows_.size());
}

RateDecision RateLimiter::acquire() {
  return decide(true);
}

RateDecision RateLimiter::peek() {
  return decide(false);
}

RateDecision RateLimiter::decide(bool consume) {
  const std::int64_t now_s =
      std::chrono::floor<std::chrono::seconds>(wall_clock_.now()).time_since_epoch().count();
  std::lock_guard lock(mutex_);
  RateDecision decision;
  for (std::size_t i = 0; i < windows_.size(); ++i) {
    const std::int64_t index = now_s / windows_[i].length.count();
    if (counters_[i].window_index != index) counters_[i] = Counter{index, 0};
    if (counters_[i].used >= windows_[i].limit && decision.allowed) {
      decision.allowed = false;
      decision.exceeded_window = windows_[i].name;
    }
  }
  for (std::size_t i = 0; i < windows_.size(); ++i) {
    const RateWindow& window = windows_[i];
    if (consume && decision.allowed) ++counters_[i].used;
    const int remaining = std::max(0, window.limit - counters_[i].used);
    const std::int64_t reset = (counters_[i].window_index + 1) * window.length.count();
    decision.headers.emplace_back(std::string(window.limit_header), std::to_string(window.limit));
    decision.headers.emplace_back(std::string(window.remaining_header), std::to_string(remaining));
    decision.headers.emplace_back(std::string(window.reset_header), std::to_string(reset));
  }
  return decision;
}

std::vector<RateWindow> engagement_rate_windows(const LimitsConfig& limits) {
  return {
      RateWindow{"minute", limits.per_minute, std::chrono::seconds(60), wire::kHeaderMinuteLimit,
                 wire::kHeaderMinuteRemaining, wire::kHeaderMinuteReset},
      RateWindow{"second", limits.per_second, std::chrono::seconds(1), wire::kHeaderSecondLimit,
                 wire::kHeaderSecondRemaining, wire::kHeaderSecondReset},
  };
}

std::vector<RateWindow> search_rate_windows(const LimitsConfig& limits) {
  return {RateWindow{"15min", limits.search_per_15min,
                     std::chrono::duration_cast<std::chrono::seconds>(wire::kSearchRateWindow),
                     wire::kHeaderRateLimit, wire::kHeaderRateRemaining, wire::kHeaderRateReset}};
}

}  // namespace xee::simulator::server

#pragma once
// Per-app request budgets in fixed windows aligned to the wall clock's epoch (a minute window
// starts at :00), with the headers X sends about them (spec §4.3, §8).

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "simulator/server/http_message.h"
#include "simulator/world/world.h"

namespace xee::simulator::server {

struct RateWindow {
  std::string_view name;  // "minute", "second", "15min": the metric label
  int limit = 0;
  std::chrono::seconds length{60};
  std::string_view limit_header;
  std::string_view remaining_header;
  std::string_view reset_header;  // epoch seconds when the window ends
};

struct RateDecision {
  bool allowed = true;
  std::string_view exceeded_window;  // name of the first window that refused; "" when allowed
  HeaderList headers;                // limit/remaining/reset of every window
};

class RateLimiter {
 public:
  // Windows with limit <= 0 are dropped (disabled).
  RateLimiter(std::vector<RateWindow> windows, const common::Clock& wall_clock);

  // Counts the request in every window when all allow it; a refused request counts nowhere.
  RateDecision acquire();
  // The current headers without counting (for answers that do not spend budget).
  RateDecision peek();

 private:
  struct Counter {
    std::int64_t window_index = -1;
    int used = 0;
  };
  RateDecision decide(bool consume);

  std::vector<RateWindow> windows_;
  const common::Clock& wall_clock_;
  std::mutex mutex_;
  std::vector<Counter> counters_;
};

// x-per-minute-* (and x-per-second-* when per_second > 0) for the Engagement API.
std::vector<RateWindow> engagement_rate_windows(const LimitsConfig& limits);
// x-rate-limit-* with search_per_15min per 15 minutes for v2 recent search.
std::vector<RateWindow> search_rate_windows(const LimitsConfig& limits);

}  // namespace xee::simulator::server

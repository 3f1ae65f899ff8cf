#pragma once
// The discovery collector's own allowance of recent-search requests: at most `per_window` in any
// 15 minutes (X allows 450 per App; the rest stays free for other tools on the same App), and
// none while X's x-rate-limit-* headers or a 429 say the window is spent. Separate from the
// Engagement API's RequestPacer: X counts the two APIs apart. It never sleeps: a request it
// refuses waits for the collector's next round.

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "collectors/engagement_api.h"
#include "common/clock.h"

namespace xee::collectors {

class SearchBudget {
 public:
  SearchBudget(const common::Clock& clock, int per_window);

  void set_per_window(int per_window);
  int per_window() const;

  // Takes one request from the budget; false when none is left now.
  bool try_acquire();
  // X's view: remaining 0 blocks requests until its reset time.
  void observe(const RateLimitHeaders& headers);
  // A 429: blocked until X's reset time, or a whole window when X did not say.
  void on_rate_limited(std::optional<std::int64_t> reset_unix);

 private:
  void block_until(std::int64_t reset_unix);

  const common::Clock& clock_;
  mutable std::mutex mutex_;
  int per_window_;
  std::deque<common::TimePoint> sent_;  // request times within the last window
  std::optional<common::TimePoint> blocked_until_;
};

}  // namespace xee::collectors

#pragma once
// One request budget for the whole Engagement API, shared by every collector that calls it
// (/totals now, /28hr later), so together they stay within both the configured budget and what X
// reports in its rate-limit headers.
//
// The configured budget is enforced as a sliding window over the send times of the last 60 s, not
// as fixed calendar minutes: X's per-minute window starts whenever X decides, and a fixed window
// of our own could put a full budget at the end of one of our minutes and another at the start of
// the next, i.e. twice the budget inside one of X's windows. A sliding window never holds more
// than the budget in any 60 s, wherever X's window boundaries fall.

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "collectors/engagement_api.h"
#include "collectors/sleeper.h"
#include "common/clock.h"
#include "store/telemetry.h"

namespace xee::collectors {

struct RequestPacerOptions {
  // Requests per minute the exporter allows itself; values below 1 are treated as 1.
  std::int64_t budget_per_minute = 60;
  // Added to X's reset times: X reports them in whole seconds and our clock may trail X's.
  common::Millis reset_margin{1000};
  // How long everyone waits after a 429 that carried no reset time.
  common::Millis rate_limited_default_wait{60000};
  // Once stop is requested acquire() refuses at once, even with room in the budget, so no new
  // request starts during shutdown. Optional; must outlive the pacer.
  const common::StopSignal* stop = nullptr;
};

class RequestPacer {
 public:
  // `sleeper` does every wait (interruptible_sleeper(stop) in the exporter). The effective budget
  // is published to `telemetry` whenever it changes.
  RequestPacer(const common::Clock& clock, Sleeper sleeper, store::Telemetry& telemetry,
               RequestPacerOptions options);

  // Blocks until one request may be sent and counts it as sent. Returns false, without counting,
  // when the sleeper or options.stop reports a stop request.
  bool acquire();
  // Records X's view of the windows after a response. A window whose remaining count is 0 blocks
  // every caller until its reset time plus the margin; X's per-minute limit lowers the budget.
  void observe(const RateLimitHeaders& headers);
  // After a 429: blocks every caller until `reset_unix` plus the margin, or for the default wait
  // when X gave no reset time.
  void on_rate_limited(std::optional<std::int64_t> reset_unix);
  // A wait on the pacer's clock and sleeper, for a caller's own backoff; true when stopped.
  bool sleep_for(common::Millis duration);

  // For a configuration reload.
  void set_budget(std::int64_t requests_per_minute);
  // min(configured budget, X's per-minute limit when X reported one).
  std::int64_t effective_budget() const;

 private:
  // Send times of the requests still inside one window length.
  class SendLog {
   public:
    explicit SendLog(common::Millis length) : length_(length) {}
    void forget_expired(common::TimePoint now);
    // How long until one more send keeps at most `capacity` sends in any window; 0 when
    // capacity is not positive (no limit known).
    common::Millis wait_for_room(common::TimePoint now, std::int64_t capacity) const;
    void record(common::TimePoint now) { sends_.push_back(now); }

   private:
    common::Millis length_;
    std::deque<common::TimePoint> sends_;
  };

  std::int64_t effective_budget_locked() const;
  common::Millis wait_needed_locked(common::TimePoint now);
  // Blocks until `reset_unix` (clamped to one `window` from now, so a clock that disagrees with
  // X's cannot stall us for longer than the window itself) plus the margin.
  void block_until_reset_locked(std::optional<std::int64_t> reset_unix, common::Millis window);
  void publish_budget_locked();

  const common::Clock& clock_;
  Sleeper sleeper_;
  store::Telemetry& telemetry_;
  RequestPacerOptions options_;

  mutable std::mutex mutex_;
  SendLog minute_sends_{common::Millis{60000}};
  SendLog second_sends_{common::Millis{1000}};
  std::optional<std::int64_t> x_minute_limit_;
  std::optional<std::int64_t> x_second_limit_;
  common::TimePoint blocked_until_{};
};

}  // namespace xee::collectors

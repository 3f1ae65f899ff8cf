#pragma once
// Brings the 17 hourly engagement types of owned Posts in from /28hr (and /historical for gaps),
// keeps a running tally per Post and type, and publishes store::HourlySection.
//
// Scheduling is by "due" checks, not one long sleep: tick() runs every few seconds on the wall
// clock and asks, on X's clock, which Posts lack the latest complete hour (an hour is complete
// `delay` after it ends). So it works at any simulator speed: at 60x an hour completes every real
// minute, and a frozen clock means nothing new is ever due.
//
// Sharing the budget with /totals: the hourly collector sends at most `budget_share` of the
// shared per-minute budget in any 60 s (its own sliding window, on top of the shared RequestPacer),
// so /totals always keeps the rest; a tick that reaches the share stops and the next one goes on.
// When the share cannot cover every Post on its cadence the numbers are exported and logged once
// per change, instead of the collector silently falling behind.

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "collectors/engagement_api.h"
#include "collectors/hourly_schedule.h"
#include "collectors/hourly_tally.h"
#include "collectors/request_pacer.h"
#include "collectors/totals_collector.h"
#include "common/clock.h"
#include "common/log.h"
#include "state/state_file.h"
#include "store/snapshot.h"
#include "store/telemetry.h"

namespace xee::collectors {

struct HourlyCollectorOptions {
  // Only Posts with an account are asked (the others have no hourly data); config order.
  std::vector<TrackedPost> posts;
  UserAuthByAccount user_auth;
  HourlyCadence cadence;
  // The most of the shared per-minute budget the hourly collector may use, 0 < share <= 1.
  double budget_share = 0.5;
  // A batch that failed (5xx, network, decode) is asked again no sooner than this.
  common::Millis retry_after_failure{60000};
  // Posts X reports unavailable or refuses (tokens do not own them) wait this long.
  common::Millis retry_after_refusal{std::chrono::hours{1}};
  // X's clock: which hour is complete. Null means the collector's clock.
  const common::Clock* x_clock = nullptr;
};

class HourlyCollector {
 public:
  // `state` may be null (no persistence, for tests of everything else).
  HourlyCollector(EngagementApi& api, RequestPacer& pacer, store::SnapshotStore& store,
                  store::Telemetry& telemetry, const common::Clock& clock, common::Logger& logger,
                  state::StateFile* state, HourlyCollectorOptions options);

  // Reads the tallies from the state file. A missing file is logged at info, a bad one (or a bad
  // "hourly" section) as a warning naming the file and the problem; both start fresh.
  void load_state();

  // Thread-safe; take effect at the next tick (a configuration reload).
  void set_posts(std::vector<TrackedPost> posts);
  void set_credentials(UserAuthByAccount user_auth);
  void set_schedule(HourlyCadence cadence, double budget_share);

  // One check: sends the requests now due (within the share), absorbs the answers, publishes and
  // saves the state when something changed. Returns false when a request failed.
  bool tick();

 private:
  struct PostMemory {
    PostHours hours;
    common::TimePoint retry_at{};  // wall clock; no request for the Post before it
  };
  struct Tick {
    common::TimePoint now;    // wall clock
    Hour x_until;             // complete_until on X's clock
    common::TimePoint x_now;  // X's clock
    std::vector<TrackedPost> posts;
    UserAuthByAccount user_auth;
    HourlyCadence cadence;
    double budget_share = 0.5;
    bool changed = false;
    bool ok = true;
    int requests = 0;
  };

  Tick begin_tick();
  void forget_untracked(const Tick& tick);
  std::vector<HourlyBatch> due_batches(const Tick& tick);
  void check_budget(const Tick& tick);
  // Whether the share allows one more request now.
  bool share_allows(const Tick& tick);
  // Sends one request through the pacer; nullopt when stopped or refused by the share.
  std::optional<ApiResult<TimeSeriesResponse>> send(Tick& tick, wire::Endpoint endpoint,
                                                    const TimeSeriesRequest& request);
  // False when the tick must end (stop, share used up, rate limited).
  bool run_28hr(Tick& tick, const HourlyBatch& batch, const UserAuth& auth);
  bool run_historical(Tick& tick, const HourlyBatch& batch, const UserAuth& auth);
  // Absorbs an answer's complete hours; the IDs whose hours would leave a gap are returned. Posts
  // the answer names as forbidden (X's 200 variant) absorb nothing and wait like a refusal.
  std::vector<PostId> absorb(Tick& tick, wire::Endpoint endpoint, const HourlyBatch& batch,
                             const TimeSeriesResponse& response, bool check_gap);
  // Posts X refused the account's tokens for: retried after retry_after_refusal_, counted, logged.
  void refuse_posts(Tick& tick, wire::Endpoint endpoint, const std::string& account,
                    const std::vector<PostId>& refused, long status);
  // False when the tick must end.
  bool handle_failure(Tick& tick, const HourlyBatch& batch, const ApiExchange& exchange,
                      const ApiFailure& failure);
  void publish(const Tick& tick);
  void save_state();

  EngagementApi& api_;
  RequestPacer& pacer_;
  store::SnapshotStore& store_;
  store::Telemetry& telemetry_;
  const common::Clock& clock_;
  const common::Clock& x_clock_;
  common::Logger& logger_;
  state::StateFile* state_;
  const common::Millis retry_after_failure_;
  const common::Millis retry_after_refusal_;

  mutable std::mutex config_mutex_;
  std::vector<TrackedPost> posts_;
  UserAuthByAccount user_auth_;
  HourlyCadence cadence_;
  double budget_share_;

  std::unordered_map<PostId, PostMemory> memory_;
  std::deque<common::TimePoint> recent_sends_;  // this collector's sends in the last 60 s
  std::optional<HourlyBudget> last_logged_budget_;
  std::set<std::string> unrequested_logged_;
};

}  // namespace xee::collectors

#pragma once
// What `backfill` and `report` share: turning --from/--to and the configured Posts into units of
// work (one owner, up to 25 of its Posts, one window of at most 28 days: one /historical request
// each), and running those units through the shared pacer with the collectors' retry rules.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "collectors/backoff.h"
#include "collectors/engagement_api.h"
#include "collectors/historical_windows.h"
#include "collectors/request_pacer.h"
#include "collectors/totals_collector.h"
#include "common/result.h"
#include "store/telemetry.h"

namespace xee::exporter {

using collectors::PostId;

// [start, end), both on whole hours.
using HourWindow = collectors::HistoricalWindow;

// Parses --from/--to and widens them to whole hours as X does. Refused (the message names the
// flag): unparsable text, from >= to, a from before 2014-09-01, and a to later than the start of
// the current hour on X's clock (`x_now`): that hour is not complete yet, and a partial value
// would be written as if it were final.
Result<HourWindow> parse_range(const std::string& from, const std::string& to,
                               std::chrono::sys_seconds x_now);

struct HistoricalUnit {
  std::string account;
  std::vector<PostId> post_ids;  // sorted, at most wire::kTimeSeriesMaxIds
  HourWindow window;
};

struct HistoricalPlan {
  std::vector<HistoricalUnit> units;  // by account, then batch, then window (oldest first)
  std::vector<PostId> owned_posts;    // the Posts the units cover, sorted
  std::vector<HourWindow> windows;    // the split of the whole range (28 days at most each)
  // Posts without hourly data to ask for: no account configured (X serves /historical for owned
  // Posts only), or an account without usable tokens.
  std::vector<PostId> unowned;
  std::vector<PostId> without_tokens;
  // A stable description of the units, to detect a rerun with different arguments.
  std::string fingerprint() const;
};

// Batches each account's Posts by ID (so by creation time) and skips windows that end before
// the batch's oldest Post was created: X has nothing there.
HistoricalPlan plan_historical(const std::vector<collectors::TrackedPost>& posts,
                               const collectors::UserAuthByAccount& user_auth,
                               const HourWindow& range);

struct UnitFailure {
  std::size_t unit_index = 0;
  std::string message;
};

struct RunnerOptions {
  collectors::BackoffOptions backoff;
  int max_rate_limited_retries = 3;
  collectors::RandomSource jitter;  // empty: unpredictable
};

struct RunnerCounters {
  std::size_t units_total = 0;
  std::size_t units_done = 0;  // answered or skipped as already done
  std::size_t requests_sent = 0;
  std::size_t posts_total = 0;
  std::size_t posts_done = 0;  // every unit of the Post answered
  std::size_t windows_total = 0;
  std::size_t windows_done = 0;  // every unit of the window answered
};

struct RunnerHooks {
  // True for units an earlier run finished; they are not fetched.
  std::function<bool(std::size_t unit_index)> already_done;
  // Called with each answer, the counts restricted to the unit's window and Posts. An error
  // counts the unit as failed (e.g. its samples could not be written).
  std::function<Result<void>(std::size_t unit_index, const collectors::TimeSeriesResponse&)>
      on_answer;
  std::function<void(const RunnerCounters&)> on_progress;
};

// Runs every unit in plan order; a unit that fails after its retries is recorded and the run
// goes on with the next. Returns the failures (empty: all done). Stops early, counting the rest
// as failed, when the pacer is stopped.
std::vector<UnitFailure> run_units(const HistoricalPlan& plan, collectors::EngagementApi& api,
                                   collectors::RequestPacer& pacer, store::Telemetry& telemetry,
                                   const collectors::UserAuthByAccount& user_auth,
                                   RunnerOptions options, const RunnerHooks& hooks);

// "acme: Posts 2123…,2123… window 2026-10-01T00:00:00Z/2026-10-29T00:00:00Z: <message>"
std::string describe_failure(const HistoricalPlan& plan, const UnitFailure& failure);

}  // namespace xee::exporter

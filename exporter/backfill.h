#pragma once
// `x_engagement_exporter backfill`: /historical for every owned Post over any range, written as
// OpenMetrics for promtool, resumable from a checkpoint. No HTTP here: the EngagementApi, pacer
// and progress are handed in, so tests drive it with fakes.
//
// Checkpoint (default <output>.checkpoint), append-only text:
//   x_engagement_exporter backfill checkpoint v1
//   plan <HistoricalPlan::fingerprint()>
//   done <unit index> <unit prefix>      (one line per unit whose sample files are complete)
// A line is appended only after the unit's files were renamed into place, so a crash at any
// point loses at most the unit in flight, which the next run fetches again (its files are
// overwritten, never appended to: nothing is counted twice). A torn last line is ignored.
// Samples live in <output>.parts/unit-<index>.{impressions,engagements,interactions}; after the
// final file is assembled, both the parts and the checkpoint are removed.

#include <ostream>
#include <string>

#include "collectors/engagement_api.h"
#include "collectors/request_pacer.h"
#include "exporter/historical_units.h"
#include "exporter/progress.h"
#include "store/telemetry.h"

namespace xee::exporter {

// Exit codes of both subcommands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // some units failed, or files could not be written
inline constexpr int kExitUsage = 2;   // bad arguments, or a checkpoint of other arguments

// What a run needs besides its plan; all references outlive the run.
struct HistoricalContext {
  collectors::EngagementApi& api;
  collectors::RequestPacer& pacer;
  store::Telemetry& telemetry;
  collectors::UserAuthByAccount user_auth;
  RunnerOptions runner;
  std::ostream& messages;  // what the user reads: skipped Posts, failures, the outcome
  ProgressReporter* progress = nullptr;
};

struct BackfillOptions {
  std::string output;
  std::string checkpoint;  // empty: <output>.checkpoint
};

// Says which Posts have no hourly data (unowned, no tokens), then runs every unit not done yet.
// Returns kExitOk after writing `output`, kExitFailed naming every failed unit (what succeeded
// stays in the checkpoint), kExitUsage when the checkpoint belongs to another plan.
int run_backfill(const HistoricalPlan& plan, const BackfillOptions& options,
                 HistoricalContext& context);

// The lines both subcommands print about Posts /historical cannot serve.
void report_skipped_posts(const HistoricalPlan& plan, std::ostream& messages);

// run_units with the context's API, pacer and progress; the failures, if any, are listed on
// context.messages under "<n> of <total> requests failed; <consequence>:".
std::vector<UnitFailure> run_plan(const HistoricalPlan& plan, HistoricalContext& context,
                                  RunnerHooks hooks, std::string_view consequence);

}  // namespace xee::exporter

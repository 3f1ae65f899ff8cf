#pragma once
// When each owned Post needs which hourly request, how those requests are batched, and whether
// the budget covers them: plain functions of X's clock and what is known, so every decision of
// the hourly collector can be tested at exact hour boundaries.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "collectors/hourly_tally.h"

namespace xee::collectors {

struct HourlyCadence {
  // How long after an hour ends it is fetched: X's counts of the hour may still settle.
  std::chrono::milliseconds delay = std::chrono::minutes{5};
  // A Post without activity in any of the 17 types for this long is refreshed only every
  // slow_interval (its hours are still all fetched, a few at a time).
  std::chrono::milliseconds inactive_after = std::chrono::hours{48};
  std::chrono::milliseconds slow_interval = std::chrono::hours{6};
};

enum class HourlyNeed {
  none,
  last_28_hours,  // /28hr covers every hour not added yet (or refills `recent` after a start)
  historical,     // hours not added yet lie before /28hr's window: /historical first
};

bool is_inactive(const PostHours& hours, Hour until, const HourlyCadence& cadence);

// What a Post needs when hours up to `until` (complete_until) are complete.
HourlyNeed hourly_need(const PostHours& hours, Hour until, const HourlyCadence& cadence);

struct HourlyPostRef {
  PostId id = 0;
  std::string account;
  HourlyNeed need = HourlyNeed::none;
};

struct HourlyBatch {
  std::string account;
  HourlyNeed need = HourlyNeed::none;
  std::vector<PostId> post_ids;  // at most wire::kTimeSeriesMaxIds
};

// Groups the Posts with a need by (account, need), in the order each group first appears, and
// splits each group into batches of at most 25 IDs.
std::vector<HourlyBatch> make_hourly_batches(const std::vector<HourlyPostRef>& posts);

struct HourlyBudget {
  double needed_per_hour = 0;
  double available_per_hour = 0;
  bool operator==(const HourlyBudget&) const = default;
};

// The hourly collector's requests per minute: its share of the shared budget, at least 1.
std::int64_t hourly_requests_per_minute(double budget_share, std::int64_t budget_per_minute);

struct AccountPosts {
  std::string account;
  std::int64_t active = 0;
  std::int64_t inactive = 0;
};

// Needed: per account, one request per 25 active Posts every hour plus one per 25 inactive Posts
// every slow_interval (gap fills come on top, once). Available: the share per minute times 60.
HourlyBudget hourly_budget(const std::vector<AccountPosts>& accounts, const HourlyCadence& cadence,
                           double budget_share, std::int64_t budget_per_minute);

}  // namespace xee::collectors

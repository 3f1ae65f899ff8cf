#include "exporter/historical_units.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "collectors/exchange_accounting.h"
#include "collectors/post_id_list.h"
#include "common/time_format.h"
#include "wire/api_limits.h"
#include "wire/snowflake.h"

namespace xee::exporter {
namespace {

using collectors::ApiFailure;
using collectors::FailureKind;
using collectors::TimeSeriesResponse;

constexpr std::string_view kEndpoint = "historical";

std::vector<wire::EngagementType> time_series_types() {
  return {wire::kTimeSeriesTypes.begin(), wire::kTimeSeriesTypes.end()};
}

// Keeps only what the unit asked for: a window's answer may carry hours X widened into.
TimeSeriesResponse restricted(const TimeSeriesResponse& response, const HistoricalUnit& unit) {
  TimeSeriesResponse kept = response;
  std::erase_if(kept.counts, [&](const collectors::HourlyCount& count) {
    return count.hour < unit.window.start || count.hour >= unit.window.end ||
           !std::binary_search(unit.post_ids.begin(), unit.post_ids.end(), count.post_id);
  });
  return kept;
}

struct Fetched {
  tl::expected<TimeSeriesResponse, std::string> response;
  bool stopped = false;
};

Fetched fetch_with_retries(collectors::EngagementApi& api, collectors::RequestPacer& pacer,
                           store::Telemetry& telemetry, collectors::Backoff& backoff,
                           int max_rate_limited_retries,
                           const collectors::TimeSeriesRequest& request,
                           std::size_t& requests_sent) {
  int failed_sends = 0;
  int rate_limited_retries = 0;
  while (true) {
    if (!pacer.acquire()) return {tl::unexpected(std::string("stopped")), true};
    ++requests_sent;
    const auto result = api.historical(request);
    collectors::account_for_exchange(result.exchange, pacer, telemetry);
    // X's partial-result variant refuses Posts inside a 200: the unit is not done either (below).
    if (result.value && !result.value->forbidden.empty()) {
      return {tl::unexpected(std::string(kEndpoint) + ": HTTP 200: Forbidden to access tweets " +
                             "(refused Posts: " +
                             collectors::comma_separated_post_ids(result.value->forbidden) + ")"),
              false};
    }
    if (result.value) return {*result.value, false};
    const ApiFailure& failure = result.value.error();
    switch (failure.kind) {
      case FailureKind::rate_limited:
        pacer.on_rate_limited(result.exchange.rate_limit.minute_reset_unix);
        if (rate_limited_retries >= max_rate_limited_retries) break;
        ++rate_limited_retries;
        telemetry.record_retry(kEndpoint, "rate_limited");
        continue;
      case FailureKind::server:
      case FailureKind::network:
        if (const auto delay = backoff.delay_after(++failed_sends)) {
          telemetry.record_retry(kEndpoint,
                                 failure.kind == FailureKind::server ? "server_error" : "network");
          if (pacer.sleep_for(*delay)) return {tl::unexpected(std::string("stopped")), true};
          continue;
        }
        break;
      case FailureKind::forbidden_posts:
        // Not stripped and resent: the unit would then count as done without these Posts, and a
        // rerun after fixing the configuration would skip them.
        return {
            tl::unexpected(failure.message + " (refused Posts: " +
                           collectors::comma_separated_post_ids(failure.forbidden_post_ids) + ")"),
            false};
      case FailureKind::decode:
        telemetry.record_decode_error(kEndpoint);
        break;
      case FailureKind::auth:
      case FailureKind::bad_request:
        break;
    }
    return {tl::unexpected(failure.message), false};
  }
}

// Which units each Post and each window needs, to count them done.
struct Completion {
  std::map<PostId, std::size_t> units_left_by_post;
  std::map<std::chrono::sys_seconds, std::size_t> units_left_by_window;

  explicit Completion(const HistoricalPlan& plan) {
    for (const PostId id : plan.owned_posts) units_left_by_post[id] = 0;
    for (const HourWindow& window : plan.windows) units_left_by_window[window.start] = 0;
    for (const HistoricalUnit& unit : plan.units) {
      for (const PostId id : unit.post_ids) ++units_left_by_post[id];
      ++units_left_by_window[unit.window.start];
    }
  }

  void finished(const HistoricalUnit& unit, RunnerCounters& counters) {
    ++counters.units_done;
    for (const PostId id : unit.post_ids) {
      if (--units_left_by_post[id] == 0) ++counters.posts_done;
    }
    if (--units_left_by_window[unit.window.start] == 0) ++counters.windows_done;
  }

  // Posts and windows no unit needs (all skipped as too old) count as done from the start.
  void count_empty(RunnerCounters& counters) const {
    for (const auto& [id, left] : units_left_by_post) counters.posts_done += left == 0;
    for (const auto& [start, left] : units_left_by_window) counters.windows_done += left == 0;
  }
};

}  // namespace

Result<HourWindow> parse_range(const std::string& from, const std::string& to,
                               std::chrono::sys_seconds x_now) {
  const auto start = common::parse_iso8601(from);
  if (!start) {
    return fail("--from: \"" + from + "\" is not a date (2026-10-01) or ISO-8601 UTC time");
  }
  const auto end = common::parse_iso8601(to);
  if (!end) return fail("--to: \"" + to + "\" is not a date (2026-10-01) or ISO-8601 UTC time");
  const HourWindow range{common::floor_hour(*start), common::ceil_hour(*end)};
  if (range.start >= range.end) {
    return fail("--from (" + from + ") must be earlier than --to (" + to + ")");
  }
  if (range.start < wire::kHistoricalEarliestStart) {
    return fail("--from: " + from + " is before " +
                common::format_iso8601(wire::kHistoricalEarliestStart) +
                ", the earliest time /historical serves");
  }
  const auto current_hour = common::floor_hour(x_now);
  if (range.end > current_hour) {
    return fail("--to: " + to + " (widened to " + common::format_iso8601(range.end) +
                ") is after the last complete hour on X's clock; the latest allowed is " +
                common::format_iso8601(current_hour));
  }
  return range;
}

HistoricalPlan plan_historical(const std::vector<collectors::TrackedPost>& posts,
                               const collectors::UserAuthByAccount& user_auth,
                               const HourWindow& range) {
  HistoricalPlan plan;
  // parse_range already refused what this would clamp, so the windows cover `range` exactly.
  plan.windows = collectors::split_historical_period(range.start, range.end, range.end)
                     .value_or(std::vector<HourWindow>{});
  std::map<std::string, std::set<PostId>> by_account;
  for (const collectors::TrackedPost& post : posts) {
    if (post.account.empty()) {
      plan.unowned.push_back(post.id);
    } else if (!user_auth.contains(post.account)) {
      plan.without_tokens.push_back(post.id);
    } else {
      by_account[post.account].insert(post.id);
    }
  }
  for (const auto& [account, ids] : by_account) {
    const std::vector<PostId> sorted(ids.begin(), ids.end());
    for (const std::vector<PostId>& batch : collectors::split_into_batches(sorted)) {
      const auto oldest_created = wire::snowflake_time(batch.front());
      for (const HourWindow& window : plan.windows) {
        if (window.end <= oldest_created) continue;
        plan.units.push_back({account, batch, window});
      }
      plan.owned_posts.insert(plan.owned_posts.end(), batch.begin(), batch.end());
    }
  }
  std::sort(plan.owned_posts.begin(), plan.owned_posts.end());
  return plan;
}

std::string HistoricalPlan::fingerprint() const {
  std::string text;
  for (const HistoricalUnit& unit : units) {
    text += unit.account + ":" + collectors::comma_separated_post_ids(unit.post_ids) + "@" +
            common::format_iso8601(unit.window.start) + "/" +
            common::format_iso8601(unit.window.end) + ";";
  }
  // FNV-1a: a short stable digest; the checkpoint also stores the range in clear text.
  std::uint64_t hash = 1469598103934665603ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  const std::string range = windows.empty() ? std::string("empty")
                                            : common::format_iso8601(windows.front().start) + "/" +
                                                  common::format_iso8601(windows.back().end);
  return range + " units=" + std::to_string(units.size()) + " digest=" + std::to_string(hash);
}

std::vector<UnitFailure> run_units(const HistoricalPlan& plan, collectors::EngagementApi& api,
                                   collectors::RequestPacer& pacer, store::Telemetry& telemetry,
                                   const collectors::UserAuthByAccount& user_auth,
                                   RunnerOptions options, const RunnerHooks& hooks) {
  collectors::Backoff backoff(options.backoff, options.jitter
                                                   ? std::move(options.jitter)
                                                   : collectors::unpredictable_random_source());
  RunnerCounters counters;
  counters.units_total = plan.units.size();
  counters.posts_total = plan.owned_posts.size();
  counters.windows_total = plan.windows.size();
  Completion completion(plan);
  completion.count_empty(counters);

  std::vector<UnitFailure> failures;
  bool stopped = false;
  for (std::size_t index = 0; index < plan.units.size(); ++index) {
    const HistoricalUnit& unit = plan.units[index];
    if (hooks.already_done && hooks.already_done(index)) {
      completion.finished(unit, counters);
      if (hooks.on_progress) hooks.on_progress(counters);
      continue;
    }
    if (stopped) {
      failures.push_back({index, "not attempted: the run was stopped"});
      continue;
    }
    collectors::TimeSeriesRequest request{unit.post_ids, time_series_types(),
                                          user_auth.find(unit.account)->second, unit.window.start,
                                          unit.window.end};
    Fetched fetched =
        fetch_with_retries(api, pacer, telemetry, backoff, options.max_rate_limited_retries,
                           request, counters.requests_sent);
    stopped = fetched.stopped;
    if (!fetched.response) {
      failures.push_back({index, fetched.response.error()});
    } else if (auto handled = hooks.on_answer(index, restricted(*fetched.response, unit));
               !handled) {
      failures.push_back({index, handled.error().message});
    } else {
      completion.finished(unit, counters);
    }
    if (hooks.on_progress) hooks.on_progress(counters);
  }
  return failures;
}

std::string describe_failure(const HistoricalPlan& plan, const UnitFailure& failure) {
  const HistoricalUnit& unit = plan.units.at(failure.unit_index);
  return unit.account + ": Posts " + collectors::comma_separated_post_ids(unit.post_ids) +
         " window " + common::format_iso8601(unit.window.start) + "/" +
         common::format_iso8601(unit.window.end) + ": " + failure.message;
}

}  // namespace xee::exporter

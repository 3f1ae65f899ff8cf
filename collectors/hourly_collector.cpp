#include "collectors/hourly_collector.h"

#include <algorithm>
#include <map>
#include <unordered_set>
#include <utility>

#include "collectors/exchange_accounting.h"
#include "collectors/historical_windows.h"
#include "collectors/hourly_state.h"
#include "collectors/post_id_list.h"
#include "common/time_format.h"

namespace xee::collectors {
namespace {

constexpr std::string_view kCollectorName = "28hr";
constexpr common::Millis kShareWindow{60000};
// /historical's lower bound is UNCONFIRMED (spec §1.3: 2014-09-01, or only the last 365 days).
// The collector takes the stricter one, so a gap fill is never refused for starting too early;
// hours before it are reported as lost.
constexpr std::chrono::days kHistoricalLookback{365};

std::string format_count(double value) {
  return std::to_string(static_cast<std::int64_t>(value));
}

const std::vector<EngagementType>& time_series_types() {
  static const std::vector<EngagementType> types(wire::kTimeSeriesTypes.begin(),
                                                 wire::kTimeSeriesTypes.end());
  return types;
}

std::string_view need_name(HourlyNeed need) {
  return need == HourlyNeed::historical ? "historical" : "28hr";
}

}  // namespace

HourlyCollector::HourlyCollector(EngagementApi& api, RequestPacer& pacer,
                                 store::SnapshotStore& store, store::Telemetry& telemetry,
                                 const common::Clock& clock, common::Logger& logger,
                                 state::StateFile* state, HourlyCollectorOptions options)
    : api_(api),
      pacer_(pacer),
      store_(store),
      telemetry_(telemetry),
      clock_(clock),
      x_clock_(options.x_clock != nullptr ? *options.x_clock : clock),
      logger_(logger),
      state_(state),
      retry_after_failure_(options.retry_after_failure),
      retry_after_refusal_(options.retry_after_refusal),
      posts_(std::move(options.posts)),
      user_auth_(std::move(options.user_auth)),
      cadence_(options.cadence),
      budget_share_(options.budget_share) {}

void HourlyCollector::load_state() {
  if (state_ == nullptr) return;
  const double now = common::unix_seconds(clock_.now());
  const state::LoadReport report = state_->load();
  if (report.status == state::LoadStatus::missing) {
    logger_.info("no state file yet; hourly tallies start now", {{"file", state_->path()}});
    telemetry_.record_state_file("load", true, now);
    return;
  }
  if (report.status == state::LoadStatus::rebuilt) {
    logger_.warn("state file unreadable; moved aside, hourly tallies start afresh",
                 {{"file", state_->path()},
                  {"problem", report.problem},
                  {"moved_to", report.moved_to.empty() ? "(could not move)" : report.moved_to}});
    telemetry_.record_state_file("load", false, now);
    return;
  }
  const auto section = state_->section(kHourlyStateSection);
  if (!section) {
    telemetry_.record_state_file("load", true, now);
    return;
  }
  auto decoded = decode_hourly_state(*section);
  if (!decoded) {
    logger_.warn("state file's hourly section unreadable; hourly tallies start afresh",
                 {{"file", state_->path()},
                  {"section", std::string(kHourlyStateSection)},
                  {"problem", decoded.error().message}});
    telemetry_.record_state_file("load", false, now);
    return;
  }
  memory_.clear();
  for (auto& [id, hours] : *decoded) memory_[id].hours = std::move(hours);
  logger_.info("loaded hourly tallies from the state file",
               {{"file", state_->path()}, {"posts", std::to_string(memory_.size())}});
  telemetry_.record_state_file("load", true, now);
}

void HourlyCollector::set_posts(std::vector<TrackedPost> posts) {
  std::lock_guard lock(config_mutex_);
  posts_ = std::move(posts);
}

void HourlyCollector::set_credentials(UserAuthByAccount user_auth) {
  std::lock_guard lock(config_mutex_);
  user_auth_ = std::move(user_auth);
}

void HourlyCollector::set_schedule(HourlyCadence cadence, double budget_share) {
  std::lock_guard lock(config_mutex_);
  cadence_ = cadence;
  budget_share_ = budget_share;
}

HourlyCollector::Tick HourlyCollector::begin_tick() {
  Tick tick;
  {
    std::lock_guard lock(config_mutex_);
    // Posts whose account has no tokens (yet) stay tracked, so their tallies survive a reload
    // that drops credentials for a while; they are only not asked (see due_batches).
    for (const TrackedPost& post : posts_) {
      if (!post.account.empty()) tick.posts.push_back(post);
    }
    tick.user_auth = user_auth_;
    tick.cadence = cadence_;
    tick.budget_share = budget_share_;
  }
  tick.now = clock_.now();
  tick.x_now = x_clock_.now();
  tick.x_until = complete_until(tick.x_now, tick.cadence.delay);
  return tick;
}

bool HourlyCollector::tick() {
  Tick tick = begin_tick();
  forget_untracked(tick);
  check_budget(tick);
  for (const HourlyBatch& batch : due_batches(tick)) {
    const UserAuth& auth = tick.user_auth.at(batch.account);
    const bool go_on = batch.need == HourlyNeed::historical ? run_historical(tick, batch, auth)
                                                            : run_28hr(tick, batch, auth);
    if (!go_on) break;
  }
  // Durable before visible: a kill between the two must not lose tallies already served.
  if (tick.changed) {
    save_state();
    publish(tick);
  }
  if (tick.requests > 0) {
    const common::TimePoint finished = clock_.now();
    const std::chrono::duration<double> took = finished - tick.now;
    telemetry_.record_poll(kCollectorName, tick.ok, took.count(), common::unix_seconds(finished));
  }
  return tick.ok;
}

void HourlyCollector::forget_untracked(const Tick& tick) {
  std::unordered_set<PostId> tracked;
  for (const TrackedPost& post : tick.posts) tracked.insert(post.id);
  const auto forgotten =
      std::erase_if(memory_, [&](const auto& entry) { return !tracked.contains(entry.first); });
  telemetry_.set_posts_tracked(kCollectorName, static_cast<std::int64_t>(tick.posts.size()));
  // A Post leaving the configuration leaves the published section and the state file.
  if (forgotten > 0 || !store_.snapshot().hourly) {
    save_state();
    publish(tick);
  }
}

std::vector<HourlyBatch> HourlyCollector::due_batches(const Tick& tick) {
  std::vector<HourlyPostRef> refs;
  refs.reserve(tick.posts.size());
  for (const TrackedPost& post : tick.posts) {
    if (!tick.user_auth.contains(post.account)) continue;
    const PostMemory& memory = memory_[post.id];
    if (memory.retry_at > tick.now) continue;
    refs.push_back({post.id, post.account, hourly_need(memory.hours, tick.x_until, tick.cadence)});
  }
  return make_hourly_batches(refs);
}

void HourlyCollector::check_budget(const Tick& tick) {
  std::vector<AccountPosts> accounts;
  std::map<std::string, std::size_t> index;
  for (const TrackedPost& post : tick.posts) {
    const auto [it, inserted] = index.try_emplace(post.account, accounts.size());
    if (inserted) accounts.push_back({post.account, 0, 0});
    const auto found = memory_.find(post.id);
    const bool inactive =
        found != memory_.end() && is_inactive(found->second.hours, tick.x_until, tick.cadence);
    ++(inactive ? accounts[it->second].inactive : accounts[it->second].active);
  }
  const HourlyBudget budget =
      hourly_budget(accounts, tick.cadence, tick.budget_share, pacer_.effective_budget());
  telemetry_.set_hourly_requests(budget.needed_per_hour, budget.available_per_hour);
  if (last_logged_budget_ == budget) return;
  const bool short_now = budget.needed_per_hour > budget.available_per_hour;
  const bool short_before = last_logged_budget_ && last_logged_budget_->needed_per_hour >
                                                       last_logged_budget_->available_per_hour;
  last_logged_budget_ = budget;
  if (short_now) {
    logger_.warn(
        "the hourly budget cannot refresh every owned Post on its cadence; hours will be fetched "
        "late (none is lost while within /28hr's window)",
        {{"requests_needed_per_hour", format_count(budget.needed_per_hour)},
         {"requests_available_per_hour", format_count(budget.available_per_hour)},
         {"posts", std::to_string(tick.posts.size())},
         {"budget_share", std::to_string(tick.budget_share)}});
  } else if (short_before) {
    logger_.info("the hourly budget covers every owned Post again",
                 {{"requests_needed_per_hour", format_count(budget.needed_per_hour)},
                  {"requests_available_per_hour", format_count(budget.available_per_hour)}});
  }
}

bool HourlyCollector::share_allows(const Tick& tick) {
  const common::TimePoint now = clock_.now();
  while (!recent_sends_.empty() && recent_sends_.front() + kShareWindow <= now) {
    recent_sends_.pop_front();
  }
  const std::int64_t allowed =
      hourly_requests_per_minute(tick.budget_share, pacer_.effective_budget());
  return static_cast<std::int64_t>(recent_sends_.size()) < allowed;
}

std::optional<ApiResult<TimeSeriesResponse>> HourlyCollector::send(
    Tick& tick, wire::Endpoint endpoint, const TimeSeriesRequest& request) {
  if (!share_allows(tick) || !pacer_.acquire()) return std::nullopt;
  recent_sends_.push_back(clock_.now());
  ++tick.requests;
  auto result = endpoint == wire::Endpoint::historical ? api_.historical(request)
                                                       : api_.last_28_hours(request);
  account_for_exchange(result.exchange, pacer_, telemetry_);
  log_unrequested_types(result.exchange, logger_, unrequested_logged_);
  if (!result.value && result.value.error().kind == FailureKind::decode) {
    telemetry_.record_decode_error(wire::endpoint_name(endpoint));
  }
  return result;
}

bool HourlyCollector::run_28hr(Tick& tick, const HourlyBatch& batch, const UserAuth& auth) {
  TimeSeriesRequest request{batch.post_ids, time_series_types(), auth, std::nullopt, std::nullopt};
  auto result = send(tick, wire::Endpoint::hr28, request);
  if (!result) return false;
  if (!result->value) return handle_failure(tick, batch, result->exchange, result->value.error());
  std::vector<PostId> gaps =
      absorb(tick, wire::Endpoint::hr28, batch, *result->value, /*check_gap=*/true);
  if (gaps.empty()) return true;
  return run_historical(tick, HourlyBatch{batch.account, HourlyNeed::historical, std::move(gaps)},
                        auth);
}

bool HourlyCollector::run_historical(Tick& tick, const HourlyBatch& batch, const UserAuth& auth) {
  std::optional<Hour> first_missing;
  for (const PostId id : batch.post_ids) {
    const auto& last_added = memory_[id].hours.last_added;
    if (!last_added) continue;
    first_missing =
        std::min(first_missing.value_or(*last_added + kOneHour), *last_added + kOneHour);
  }
  if (!first_missing || *first_missing >= tick.x_until) return true;
  const auto x_now = std::chrono::floor<std::chrono::seconds>(tick.x_now);
  const Hour lower_bound = historical_earliest_start(x_now, kHistoricalLookback);
  if (*first_missing < lower_bound) {
    logger_.warn(
        "hours before /historical's lower bound cannot be fetched; they are missing from "
        "the tallies",
        {{"post_ids", comma_separated_post_ids(batch.post_ids)},
         {"from", common::format_iso8601(*first_missing)},
         {"to", common::format_iso8601(lower_bound)}});
  }
  // Never past `x_until`: hours within the delay are not complete for the tally yet.
  auto windows = split_historical_period(*first_missing, tick.x_until, x_now, lower_bound);
  if (!windows) {
    logger_.warn("no /historical window can cover the missed hours",
                 {{"post_ids", comma_separated_post_ids(batch.post_ids)},
                  {"error", windows.error().message}});
    return true;
  }
  // Oldest window first: a tally only ever takes hours after the last one added.
  for (const HistoricalWindow& window : *windows) {
    TimeSeriesRequest request{batch.post_ids, time_series_types(), auth, window.start, window.end};
    auto result = send(tick, wire::Endpoint::historical, request);
    if (!result) return false;
    if (!result->value) {
      return handle_failure(tick, batch, result->exchange, result->value.error());
    }
    absorb(tick, wire::Endpoint::historical, batch, *result->value, /*check_gap=*/false);
    // X lists every hour of an answered window, zeros included; one it left out had nothing. A
    // Post it refused had nothing listed for another reason.
    for (const PostId id : batch.post_ids) {
      if (std::find(result->value->forbidden.begin(), result->value->forbidden.end(), id) !=
          result->value->forbidden.end()) {
        continue;
      }
      auto& last_added = memory_[id].hours.last_added;
      if (last_added && *last_added < window.end - kOneHour) last_added = window.end - kOneHour;
    }
    logger_.info("filled missed hours from /historical",
                 {{"account", batch.account},
                  {"post_ids", comma_separated_post_ids(batch.post_ids)},
                  {"from", common::format_iso8601(window.start)},
                  {"to", common::format_iso8601(window.end)}});
  }
  return true;
}

std::vector<PostId> HourlyCollector::absorb(Tick& tick, wire::Endpoint endpoint,
                                            const HourlyBatch& batch,
                                            const TimeSeriesResponse& response, bool check_gap) {
  const std::vector<PostId>& asked = batch.post_ids;
  if (!response.errors.empty()) {
    logger_.warn("X answered with errors",
                 {{"endpoint", std::string(wire::endpoint_name(endpoint))},
                  {"errors", response.errors.front()},
                  {"count", std::to_string(response.errors.size())}});
  }
  const std::unordered_set<PostId> unavailable(response.unavailable.begin(),
                                               response.unavailable.end());
  const std::unordered_set<PostId> forbidden(response.forbidden.begin(), response.forbidden.end());
  std::vector<PostId> refused;
  for (const PostId id : asked) {
    if (forbidden.contains(id)) refused.push_back(id);
  }
  if (!refused.empty()) refuse_posts(tick, endpoint, batch.account, refused, 200);
  auto by_post = counts_by_post(response.counts);
  std::vector<PostId> gaps;
  for (const PostId id : asked) {
    PostMemory& memory = memory_[id];
    if (forbidden.contains(id)) continue;
    if (unavailable.contains(id)) {
      memory.retry_at = tick.now + retry_after_refusal_;
      logger_.warn("X reports the Post unavailable (deleted, protected or suspended)",
                   {{"post_id", wire::format_post_id(id)}});
      continue;
    }
    const auto& last_added = memory.hours.last_added;
    if (check_gap && last_added && *last_added + kOneHour < response.start) {
      gaps.push_back(id);
      continue;
    }
    memory.hours.absorb(by_post[id], tick.x_until);
    tick.changed = true;
  }
  return gaps;
}

bool HourlyCollector::handle_failure(Tick& tick, const HourlyBatch& batch,
                                     const ApiExchange& exchange, const ApiFailure& failure) {
  tick.ok = false;
  if (failure.kind == FailureKind::rate_limited) {
    pacer_.on_rate_limited(exchange.rate_limit.minute_reset_unix);
  }
  std::vector<PostId> delayed = batch.post_ids;
  common::Millis delay = retry_after_failure_;
  if (failure.kind == FailureKind::forbidden_posts && !failure.forbidden_post_ids.empty()) {
    // Only the refused IDs wait long; the rest of the batch goes again at the next tick.
    refuse_posts(tick, exchange.endpoint, batch.account, failure.forbidden_post_ids,
                 exchange.http_status);
    delayed.clear();
  }
  for (const PostId id : delayed) memory_[id].retry_at = tick.now + delay;
  logger_.warn("hourly request failed",
               {{"endpoint", std::string(wire::endpoint_name(exchange.endpoint))},
                {"account", batch.account},
                {"post_ids", comma_separated_post_ids(batch.post_ids)},
                {"need", std::string(need_name(batch.need))},
                {"retry_in", common::format_duration(delay)},
                {"error", failure.message}});
  return failure.kind != FailureKind::rate_limited;
}

void HourlyCollector::refuse_posts(Tick& tick, wire::Endpoint endpoint, const std::string& account,
                                   const std::vector<PostId>& refused, long status) {
  for (const PostId id : refused) memory_[id].retry_at = tick.now + retry_after_refusal_;
  telemetry_.add_posts_stripped(wire::endpoint_name(endpoint), status,
                                static_cast<std::int64_t>(refused.size()));
  logger_.warn("X refused the account's tokens for these Posts (not owned by it)",
               {{"endpoint", std::string(wire::endpoint_name(endpoint))},
                {"account", account},
                {"code", std::to_string(status)},
                {"post_ids", comma_separated_post_ids(refused)},
                {"retry_in", common::format_duration(retry_after_refusal_)}});
}

void HourlyCollector::publish(const Tick& tick) {
  auto section = std::make_shared<store::HourlySection>();
  for (const TrackedPost& post : tick.posts) {
    const auto found = memory_.find(post.id);
    if (found == memory_.end() || !found->second.hours.last_added) continue;
    store::PostHourly hourly;
    hourly.post_id = post.id;
    hourly.tally = found->second.hours.tally;
    // After a restart the tally is served from the state file at once, even while X is down;
    // the last hour and 28-hour sum wait for the first answer to refill the window.
    const auto window = found->second.hours.window();
    hourly.has_last_hour = window.has_value();
    hourly.has_28h = window && window->full;
    if (window) {
      hourly.last_hour_start_unix = window->last_hour.time_since_epoch().count();
      hourly.last_hour = window->last_hour_values;
      hourly.window_28h = window->sums;
    }
    section->posts.push_back(hourly);
  }
  std::sort(section->posts.begin(), section->posts.end(),
            [](const auto& a, const auto& b) { return a.post_id < b.post_id; });
  store_.publish_hourly(std::move(section));
}

void HourlyCollector::save_state() {
  if (state_ == nullptr) return;
  std::unordered_map<PostId, PostHours> hours;
  for (const auto& [id, memory] : memory_) hours.emplace(id, memory.hours);
  state_->set_section(kHourlyStateSection, encode_hourly_state(hours));
  const auto saved = state_->save();
  telemetry_.record_state_file("save", saved.has_value(), common::unix_seconds(clock_.now()));
  if (!saved) {
    logger_.error(
        "cannot save the state file; tallies since the last save would be refetched "
        "after a restart only while within /28hr's window",
        {{"file", state_->path()}, {"error", saved.error().message}});
  }
}

}  // namespace xee::collectors

#include "collectors/totals_collector.h"

#include <algorithm>
#include <array>
#include <chrono>

#include "collectors/exchange_accounting.h"
#include "collectors/post_id_list.h"

namespace xee::collectors {
namespace {

using store::ExclusionReason;
using wire::EngagementType;

constexpr std::string_view kCollector = "totals";

std::string_view endpoint() {
  return wire::endpoint_name(wire::Endpoint::totals);
}

constexpr std::uint32_t bit(EngagementType type) {
  return 1u << wire::index_of(type);
}

template <std::size_t N>
constexpr std::uint32_t mask_of(const std::array<EngagementType, N>& types) {
  std::uint32_t mask = 0;
  for (const EngagementType type : types) mask |= bit(type);
  return mask;
}

constexpr std::uint32_t kAllTotalsTypes = mask_of(wire::kTotalsTypes);
constexpr std::uint32_t kPublicTypes = mask_of(wire::kPublicTypes);

std::uint32_t reason_bit(ExclusionReason reason) {
  return 1u << static_cast<unsigned>(reason);
}

std::vector<EngagementType> types_in(std::uint32_t mask) {
  std::vector<EngagementType> types;
  for (const EngagementType type : wire::kTotalsTypes) {
    if (mask & bit(type)) types.push_back(type);
  }
  return types;
}

std::string join_messages(const std::vector<std::string>& messages) {
  std::string joined;
  for (const std::string& message : messages) {
    if (!joined.empty()) joined += "; ";
    joined += message;
  }
  return joined;
}

// Sorted by ID, each Post once (its first entry wins), so rounds and sections are deterministic.
std::vector<TrackedPost> normalized(std::vector<TrackedPost> posts) {
  std::stable_sort(posts.begin(), posts.end(),
                   [](const TrackedPost& a, const TrackedPost& b) { return a.id < b.id; });
  const auto duplicates =
      std::unique(posts.begin(), posts.end(),
                  [](const TrackedPost& a, const TrackedPost& b) { return a.id == b.id; });
  posts.erase(duplicates, posts.end());
  return posts;
}

}  // namespace

TotalsCollector::TotalsCollector(EngagementApi& api, RequestPacer& pacer,
                                 store::SnapshotStore& store, store::Telemetry& telemetry,
                                 const common::Clock& clock, common::Logger& logger,
                                 TotalsCollectorOptions options)
    : api_(api),
      pacer_(pacer),
      store_(store),
      telemetry_(telemetry),
      clock_(clock),
      post_age_clock_(options.post_age_clock ? *options.post_age_clock : clock),
      logger_(logger),
      poll_interval_(options.poll_interval),
      max_rate_limited_retries_(options.max_rate_limited_retries),
      unavailable_retry_rounds_(std::max(1, options.unavailable_retry_rounds)),
      backoff_(options.backoff,
               options.jitter ? std::move(options.jitter) : unpredictable_random_source()),
      posts_answered_(std::move(options.posts_answered)),
      posts_(normalized(std::move(options.posts))),
      user_auth_(std::move(options.user_auth)),
      public_auth_(std::move(options.public_auth)) {}

void TotalsCollector::set_posts(std::vector<TrackedPost> posts) {
  auto sorted = normalized(std::move(posts));
  std::lock_guard lock(config_mutex_);
  posts_ = std::move(sorted);
}

void TotalsCollector::set_credentials(UserAuthByAccount user_auth, PublicAuth public_auth) {
  std::lock_guard lock(config_mutex_);
  user_auth_ = std::move(user_auth);
  public_auth_ = std::move(public_auth);
}

bool TotalsCollector::poll_once() {
  Round round;
  round.number = ++rounds_;
  round.now = clock_.now();
  round.age_now = post_age_clock_.now();
  {
    std::lock_guard lock(config_mutex_);
    round.posts = posts_;
    round.user_auth = user_auth_;
    round.public_auth = public_auth_;
  }
  forget_untracked(round);
  warn_accounts_without_tokens(round);
  // User-context batches first: the Posts X refuses there join this round's Bearer batches.
  ask(round, true);
  ask(round, false);
  // The round's counts first: a scrape that sees the new values must see how many Posts they
  // are for (a slow machine scraped between the two and read the previous round's count).
  report_exclusions(round);
  telemetry_.set_posts_tracked(kCollector, static_cast<std::int64_t>(round.posts.size()));
  publish(round);

  const common::TimePoint finished = clock_.now();
  const std::chrono::duration<double> duration = finished - round.now;
  telemetry_.record_poll(kCollector, round.all_answered, duration.count(),
                         common::unix_seconds(finished));
  return round.all_answered;
}

TotalsCollector::BatchKey TotalsCollector::batch_key(const Round& round, const TrackedPost& post,
                                                     const PostMemory& memory) const {
  const auto age = round.age_now - wire::snowflake_time(post.id);
  const bool user_context = owned(post, memory) && round.user_auth.contains(post.account);
  const bool impressions_served =
      age <= wire::kImpressionsMaxAge && !memory.unsupported_impressions;
  BatchKey key;
  if (user_context && impressions_served) {
    key.account = post.account;
    key.types = kAllTotalsTypes;
  } else {
    key.types = kPublicTypes;
  }
  if (age > wire::kVideoViewsMaxAge || memory.unsupported_video_views) {
    key.types &= ~bit(EngagementType::video_views);
  }
  return key;
}

bool TotalsCollector::owned(const TrackedPost& post, const PostMemory& memory) {
  return !post.account.empty() && memory.refused_account != post.account;
}

bool TotalsCollector::skipped_this_round(const Round& round, const PostMemory& memory) const {
  return memory.unavailable && round.number < memory.unavailable_retry_round;
}

void TotalsCollector::ask(Round& round, bool user_context) {
  std::map<BatchKey, std::vector<PostId>> groups;
  for (const TrackedPost& post : round.posts) {
    const PostMemory& memory = memory_[post.id];
    // A Post answered in user context already carries its public values.
    if (skipped_this_round(round, memory) || round.answers.contains(post.id)) continue;
    BatchKey key = batch_key(round, post, memory);
    if (key.account.empty() == user_context) continue;
    groups[std::move(key)].push_back(post.id);
  }
  for (const auto& [key, ids] : groups) {
    for (std::size_t begin = 0; begin < ids.size(); begin += wire::kTotalsMaxIds) {
      const std::size_t end = std::min(ids.size(), begin + wire::kTotalsMaxIds);
      std::vector<PostId> batch(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                ids.begin() + static_cast<std::ptrdiff_t>(end));
      if (!send_batch(round, key, std::move(batch))) round.all_answered = false;
    }
  }
}

bool TotalsCollector::send_batch(Round& round, const BatchKey& key, std::vector<PostId> ids) {
  const Auth auth = key.account.empty()
                        ? std::visit([](const auto& app) { return Auth{app}; }, round.public_auth)
                        : Auth{round.user_auth.find(key.account)->second};
  TotalsRequest request{std::move(ids), types_in(key.types), auth};
  int failed_sends = 0;
  int rate_limited_retries = 0;
  while (!request.post_ids.empty()) {
    if (!pacer_.acquire()) return false;
    const ApiResult<TotalsResponse> result = api_.totals(request);
    account_for_exchange(result.exchange, pacer_, telemetry_);
    log_unrequested_types(result.exchange, logger_, unrequested_logged_);
    if (result.value) {
      apply_answer(round, key, request, *result.value);
      if (posts_answered_) posts_answered_(request.post_ids);
      return true;
    }
    const ApiFailure& failure = result.value.error();
    switch (failure.kind) {
      case FailureKind::forbidden_posts:
        // Without a refused ID in the batch, resending would be refused the same way.
        if (!strip_refused(round, request, failure, key, result.exchange.http_status)) break;
        telemetry_.record_retry(endpoint(), "forbidden_ids");
        continue;
      case FailureKind::rate_limited:
        pacer_.on_rate_limited(result.exchange.rate_limit.minute_reset_unix);
        if (rate_limited_retries >= max_rate_limited_retries_) break;
        ++rate_limited_retries;
        telemetry_.record_retry(endpoint(), "rate_limited");
        continue;
      case FailureKind::server:
      case FailureKind::network:
        if (const auto delay = backoff_.delay_after(++failed_sends)) {
          telemetry_.record_retry(endpoint(),
                                  failure.kind == FailureKind::server ? "server_error" : "network");
          if (pacer_.sleep_for(*delay)) return false;
          continue;
        }
        break;
      case FailureKind::decode:
        telemetry_.record_decode_error(endpoint());
        break;
      case FailureKind::auth:
      case FailureKind::bad_request:
        break;
    }
    log_failure(round, key, request, failure,
                "keeping the last good values of these Posts this round");
    return false;
  }
  return true;  // X refused every ID; they are asked with app auth or treated as unavailable
}

bool TotalsCollector::strip_refused(Round& round, TotalsRequest& request, const ApiFailure& failure,
                                    const BatchKey& key, long status) {
  const std::unordered_set<PostId> refused(failure.forbidden_post_ids.begin(),
                                           failure.forbidden_post_ids.end());
  std::vector<PostId> stripped;
  std::erase_if(request.post_ids, [&](PostId id) {
    if (!refused.contains(id)) return false;
    stripped.push_back(id);
    return true;
  });
  if (stripped.empty()) return false;
  refuse_posts(round, key, stripped, status);
  return true;
}

void TotalsCollector::refuse_posts(Round& round, const BatchKey& key,
                                   const std::vector<PostId>& stripped, long status) {
  telemetry_.add_posts_stripped(endpoint(), status, static_cast<std::int64_t>(stripped.size()));
  const std::string code = std::to_string(status);
  if (key.account.empty()) {
    for (const PostId id : stripped) mark_unavailable(round, id);
    logger_.warn("X refused the app's credentials for these Posts; treating them as unavailable",
                 {{"endpoint", std::string(endpoint())},
                  {"auth", std::string(describe(round.public_auth))},
                  {"code", code},
                  {"post_ids", comma_separated_post_ids(stripped)}});
    return;
  }
  for (const PostId id : stripped) memory_[id].refused_account = key.account;
  logger_.warn(
      "X refused the account's tokens for these Posts (not owned by it); asking their public "
      "metrics with the app's credentials from now on",
      {{"endpoint", std::string(endpoint())},
       {"account", key.account},
       {"code", code},
       {"post_ids", comma_separated_post_ids(stripped)}});
}

void TotalsCollector::mark_unavailable(const Round& round, PostId id) {
  PostMemory& memory = memory_[id];
  memory.unavailable = true;
  memory.unavailable_retry_round =
      round.number + static_cast<std::uint64_t>(unavailable_retry_rounds_);
}

void TotalsCollector::apply_answer(Round& round, const BatchKey& key, const TotalsRequest& request,
                                   const TotalsResponse& response) {
  const std::unordered_set<PostId> asked(request.post_ids.begin(), request.post_ids.end());
  // X's partial-result variant: a 200 whose errors name the refused Posts; the others' values
  // below are good. Refused user-context Posts join this round's app-auth batches.
  std::vector<PostId> refused;
  for (const PostId id : response.forbidden) {
    if (asked.contains(id) && std::find(refused.begin(), refused.end(), id) == refused.end()) {
      refused.push_back(id);
    }
  }
  if (!refused.empty()) refuse_posts(round, key, refused, 200);
  for (const auto& [id, values] : response.posts) {
    if (!asked.contains(id)) continue;
    EngagementValues kept;
    for (const EngagementType type : request.types) {
      if (values.has(type)) kept.set(type, values.value(type));
    }
    round.answers[id] = kept;
    PostMemory& memory = memory_[id];
    if (memory.unavailable) {
      memory.unavailable = false;
      memory.logged_reasons &= ~reason_bit(ExclusionReason::unavailable);
      logger_.info("Post is available again", {{"post_id", wire::format_post_id(id)}});
    }
  }
  for (const PostId id : response.unavailable) {
    if (!asked.contains(id)) continue;
    round.answers.erase(id);
    mark_unavailable(round, id);
  }
  for (const PostId id : response.unsupported_impressions) {
    if (asked.contains(id)) memory_[id].unsupported_impressions = true;
  }
  for (const PostId id : response.unsupported_video_views) {
    if (asked.contains(id)) memory_[id].unsupported_video_views = true;
  }
  if (!response.errors.empty()) {
    logger_.debug("X answered with partial errors", {{"endpoint", std::string(endpoint())},
                                                     {"errors", join_messages(response.errors)}});
  }
}

void TotalsCollector::log_failure(const Round& round, const BatchKey& key,
                                  const TotalsRequest& request, const ApiFailure& failure,
                                  std::string_view outcome) {
  // Auth and request errors need a person (tokens, configuration); the rest is X's weather.
  const bool needs_operator = failure.kind == FailureKind::auth ||
                              failure.kind == FailureKind::bad_request ||
                              failure.kind == FailureKind::forbidden_posts;
  logger_.log(
      needs_operator ? common::LogLevel::error : common::LogLevel::warn, "/totals batch failed",
      {{"endpoint", std::string(endpoint())},
       {"account",
        key.account.empty() ? "(" + std::string(describe(round.public_auth)) + ")" : key.account},
       {"posts", std::to_string(request.post_ids.size())},
       {"first_post_id", wire::format_post_id(request.post_ids.front())},
       {"error", failure.message},
       {"outcome", std::string(outcome)}});
}

void TotalsCollector::forget_untracked(const Round& round) {
  std::unordered_set<PostId> tracked;
  for (const TrackedPost& post : round.posts) tracked.insert(post.id);
  std::erase_if(memory_, [&](const auto& entry) { return !tracked.contains(entry.first); });
}

void TotalsCollector::warn_accounts_without_tokens(const Round& round) {
  for (const TrackedPost& post : round.posts) {
    if (post.account.empty() || round.user_auth.contains(post.account)) continue;
    if (accounts_warned_without_tokens_.insert(post.account).second) {
      logger_.warn(
          "no tokens configured for the account; asking its Posts' public metrics with "
          "the app's Bearer token",
          {{"account", post.account}});
    }
  }
}

void TotalsCollector::publish(Round& round) {
  auto section = std::make_shared<store::TotalsSection>();
  for (const TrackedPost& post : round.posts) {
    if (!post.account.empty()) section->accounts.push_back(post.account);
  }
  std::sort(section->accounts.begin(), section->accounts.end());
  section->accounts.erase(std::unique(section->accounts.begin(), section->accounts.end()),
                          section->accounts.end());

  section->posts.reserve(round.posts.size());
  for (const TrackedPost& post : round.posts) {
    PostMemory& memory = memory_[post.id];
    store::PostTotals totals;
    totals.post_id = post.id;
    totals.created_unix = std::chrono::floor<std::chrono::seconds>(wire::snowflake_time(post.id))
                              .time_since_epoch()
                              .count();
    // A refused Post keeps its configured account, for its _info, but is no longer owned.
    totals.owned = owned(post, memory);
    totals.account_index =
        post.account.empty()
            ? store::kNoAccount
            : static_cast<std::uint32_t>(std::lower_bound(section->accounts.begin(),
                                                          section->accounts.end(), post.account) -
                                         section->accounts.begin());
    // An unavailable Post has no current values: stale ones would read as current.
    EngagementValues merged;
    if (!memory.unavailable) {
      const auto answer = round.answers.find(post.id);
      // Only the types the Post is asked for now: a Post past 90 days or found not owned loses
      // its impressions and engagements series instead of freezing them.
      for (const EngagementType type : types_in(batch_key(round, post, memory).types)) {
        if (answer != round.answers.end() && answer->second.has(type)) {
          merged.set(type, answer->second.value(type));
        } else if (memory.last_good.has(type)) {
          merged.set(type, memory.last_good.value(type));
        }
      }
    }
    memory.last_good = merged;
    totals.present = merged.present;
    totals.values = merged.values;
    section->posts.push_back(totals);
  }
  store_.publish_totals(std::move(section));
}

void TotalsCollector::report_exclusions(const Round& round) {
  std::map<ExclusionReason, std::int64_t> counts{{ExclusionReason::not_owned, 0},
                                                 {ExclusionReason::unavailable, 0},
                                                 {ExclusionReason::unsupported_impressions, 0},
                                                 {ExclusionReason::unsupported_video_views, 0}};
  for (const TrackedPost& post : round.posts) {
    PostMemory& memory = memory_[post.id];
    const auto age = round.age_now - wire::snowflake_time(post.id);
    const bool is_owned = owned(post, memory);
    if (!post.account.empty() && !is_owned) ++counts[ExclusionReason::not_owned];
    if (memory.unavailable) {
      ++counts[ExclusionReason::unavailable];
      log_once(post, memory, ExclusionReason::unavailable, common::LogLevel::warn,
               "Post is unavailable (deleted, protected or suspended); asking again every " +
                   std::to_string(unavailable_retry_rounds_) + " rounds");
    }
    // Age-based exclusions are expected (debug); X reporting one we did not predict is news.
    if (is_owned && (age > wire::kImpressionsMaxAge || memory.unsupported_impressions)) {
      ++counts[ExclusionReason::unsupported_impressions];
      log_once(post, memory, ExclusionReason::unsupported_impressions,
               memory.unsupported_impressions ? common::LogLevel::info : common::LogLevel::debug,
               "Post is older than 90 days: no impressions or engagements on /totals");
    }
    if (age > wire::kVideoViewsMaxAge || memory.unsupported_video_views) {
      ++counts[ExclusionReason::unsupported_video_views];
      log_once(post, memory, ExclusionReason::unsupported_video_views,
               memory.unsupported_video_views ? common::LogLevel::info : common::LogLevel::debug,
               "Post is older than 1800 days: no video_views on /totals");
    }
  }
  for (const auto& [reason, count] : counts) telemetry_.set_posts_excluded(reason, count);
}

void TotalsCollector::log_once(const TrackedPost& post, PostMemory& memory, ExclusionReason reason,
                               common::LogLevel level, std::string_view message) {
  if (memory.logged_reasons & reason_bit(reason)) return;
  memory.logged_reasons |= reason_bit(reason);
  logger_.log(level, message,
              {{"post_id", wire::format_post_id(post.id)},
               {"account", post.account},
               {"reason", std::string(store::to_string(reason))}});
}

}  // namespace xee::collectors

#include "collectors/discovery_collector.h"

#include <algorithm>

#include "collectors/discovery_state.h"
#include "collectors/exchange_accounting.h"
#include "wire/api_limits.h"

namespace xee::collectors {
namespace {

constexpr std::string_view kCollector = "search";

// X refuses a start_time older than its 7-day window; keep a minute of margin for clock skew.
std::chrono::sys_seconds lookback_start(common::TimePoint x_now, common::Millis lookback) {
  const common::Millis window = wire::kSearchWindow - std::chrono::minutes{1};
  return std::chrono::time_point_cast<std::chrono::seconds>(x_now - std::min(lookback, window));
}

}  // namespace

DiscoveryCollector::DiscoveryCollector(SearchApi& api, store::SnapshotStore& store,
                                       store::Telemetry& telemetry, const common::Clock& clock,
                                       common::Logger& logger, state::StateFile* state,
                                       DiscoverySettings settings, const common::Clock* x_clock,
                                       const common::StopSignal* stop)
    : api_(api),
      store_(store),
      telemetry_(telemetry),
      clock_(clock),
      x_clock_(x_clock != nullptr ? *x_clock : clock),
      stop_(stop),
      logger_(logger),
      state_(state),
      settings_(std::move(settings)),
      budget_(clock, settings_.requests_per_window) {
  registry_.set_rules(settings_.rules, settings_.configured);
  registry_.take_drops();  // nothing was tracked before the first rules
}

void DiscoveryCollector::restore_state() {
  std::lock_guard lock(mutex_);
  telemetry_.set_search_budget(settings_.requests_per_window);
  if (state_ != nullptr) {
    if (const auto section = state_->section(kDiscoveryStateSection)) {
      auto memory = decode_discovery_state(*section);
      if (memory) {
        registry_.restore(std::move(*memory), common::whole_unix_seconds(x_clock_.now()));
        logger_.info(
            "loaded discovered Posts from the state file",
            {{"file", state_->path()}, {"posts", std::to_string(registry_.posts().size())}});
      } else {
        logger_.warn("state file's discovery section unreadable; discovery starts afresh",
                     {{"file", state_->path()},
                      {"section", std::string(kDiscoveryStateSection)},
                      {"problem", memory.error().message}});
        telemetry_.record_state_file("load", false, common::unix_seconds(clock_.now()));
      }
    }
  }
  // Posts restored and then dropped (TTL passed while stopped, source gone) are still drops.
  for (const auto& [reason, count] : registry_.take_drops()) {
    telemetry_.add_discovery_dropped(reason, count);
  }
  publish_locked();
}

void DiscoveryCollector::set_settings(DiscoverySettings settings) {
  std::lock_guard lock(mutex_);
  registry_.set_rules(settings.rules, settings.configured);
  budget_.set_per_window(settings.requests_per_window);
  telemetry_.set_search_budget(settings.requests_per_window);
  settings_ = std::move(settings);
  next_source_ = 0;
}

void DiscoveryCollector::set_bearer(BearerAuth bearer) {
  std::lock_guard lock(mutex_);
  settings_.bearer = std::move(bearer);
}

std::vector<DiscoveredPost> DiscoveryCollector::tracked() const {
  std::lock_guard lock(mutex_);
  std::vector<DiscoveredPost> posts;
  posts.reserve(registry_.posts().size());
  for (const auto& [id, post] : registry_.posts()) posts.push_back(post);
  return posts;
}

bool DiscoveryCollector::poll_once() {
  const common::TimePoint started = clock_.now();
  std::vector<DiscoverySource> sources;
  BearerAuth bearer;
  int max_pages = 0;
  common::Millis lookback{0};
  std::size_t first = 0;
  {
    std::lock_guard lock(mutex_);
    registry_.expire(common::whole_unix_seconds(x_clock_.now()));
    sources = settings_.rules.sources;
    bearer = settings_.bearer;
    max_pages = settings_.max_pages_per_round;
    lookback = settings_.lookback;
    first = sources.empty() ? 0 : next_source_ % sources.size();
  }
  bool ok = true;
  if (!sources.empty() && bearer.token.empty()) {
    logger_.warn("no Bearer token yet; discovery waits for it");
    ok = false;
    sources.clear();
  }
  std::size_t visited = 0;
  for (; visited < sources.size(); ++visited) {
    const DiscoverySource& source = sources[(first + visited) % sources.size()];
    const WalkEnd end = walk(source, bearer, max_pages, lookback);
    if (end == WalkEnd::stopped) break;
    if (end == WalkEnd::failed) ok = false;
    if (end == WalkEnd::budget_spent) {
      logger_.info("search budget spent for now; the remaining sources continue next round",
                   {{"next_source", source.name}});
      break;
    }
  }
  {
    std::lock_guard lock(mutex_);
    next_source_ = sources.empty() ? 0 : (first + visited) % sources.size();
    for (const auto& [reason, count] : registry_.take_drops()) {
      telemetry_.add_discovery_dropped(reason, count);
    }
  }
  // Durable before visible: a kill between the two must not lose Posts already served.
  save_state();
  {
    std::lock_guard lock(mutex_);
    publish_locked();
  }
  const common::TimePoint finished = clock_.now();
  telemetry_.record_poll(kCollector, ok, std::chrono::duration<double>(finished - started).count(),
                         common::unix_seconds(finished));
  return ok;
}

DiscoveryCollector::WalkEnd DiscoveryCollector::walk(const DiscoverySource& source,
                                                     const BearerAuth& bearer, int max_pages,
                                                     common::Millis lookback) {
  const std::string key = source_key(source);
  for (int page = 0; page < max_pages; ++page) {
    if (stop_ != nullptr && stop_->stop_requested()) return WalkEnd::stopped;
    if (!budget_.try_acquire()) return WalkEnd::budget_spent;
    SearchRequest request;
    request.query = source.query;
    request.max_results = wire::kSearchMaxResults;
    request.auth = bearer;
    {
      std::lock_guard lock(mutex_);
      const SourceCursor& cursor = registry_.cursor(key);
      request.since_id = cursor.since_id;
      request.next_token = cursor.next_token;
    }
    // A walk's later pages repeat its first request plus the token; X's token carries the window.
    if (!request.since_id && !request.next_token) {
      request.start_time = lookback_start(x_clock_.now(), lookback);
    }
    const ApiResult<SearchPage> result = api_.search_recent(request);
    record_exchange(result.exchange, telemetry_);
    budget_.observe(result.exchange.rate_limit);
    if (!result.value) {
      const ApiFailure& failure = result.value.error();
      if (failure.kind == FailureKind::rate_limited) {
        budget_.on_rate_limited(result.exchange.rate_limit.window_reset_unix);
      }
      if (failure.kind == FailureKind::decode) telemetry_.record_decode_error(kCollector);
      std::lock_guard lock(mutex_);
      SourceCursor& cursor = registry_.cursor(key);
      if (failure.kind == FailureKind::bad_request && cursor.next_token) {
        // A token X no longer takes would fail forever: start the walk over from since_id.
        cursor.next_token.reset();
        cursor.walk_newest_id.reset();
      }
      logger_.error("search failed; the source's Posts and cursor are kept",
                    {{"source", key}, {"query", source.query}, {"error", failure.message}});
      return WalkEnd::failed;
    }
    const SearchPage& found = *result.value;
    for (const std::string& error : found.errors) {
      logger_.warn("search answered with a partial error", {{"source", key}, {"error", error}});
    }
    std::lock_guard lock(mutex_);
    SourceCursor& cursor = registry_.cursor(key);
    if (!cursor.next_token) cursor.walk_newest_id = found.newest_id;
    const std::int64_t now = common::whole_unix_seconds(x_clock_.now());
    for (const FoundPost& post : found.posts) registry_.offer(key, post, now);
    if (found.next_token) {
      cursor.next_token = found.next_token;
      continue;
    }
    if (cursor.walk_newest_id && (!cursor.since_id || *cursor.since_id < *cursor.walk_newest_id)) {
      cursor.since_id = cursor.walk_newest_id;
    }
    cursor.next_token.reset();
    cursor.walk_newest_id.reset();
    return WalkEnd::done;
  }
  return WalkEnd::more_pages;
}

void DiscoveryCollector::publish_locked() {
  // The count first, as the totals collector does: a scrape seeing the members sees their count.
  telemetry_.set_posts_tracked(kCollector, static_cast<std::int64_t>(registry_.posts().size()));
  store_.publish_discovery(std::make_shared<const store::DiscoverySection>(registry_.section()));
}

void DiscoveryCollector::save_state() {
  if (state_ == nullptr) return;
  std::string encoded;
  {
    std::lock_guard lock(mutex_);
    encoded = encode_discovery_state(registry_.memory());
  }
  if (state_->section(kDiscoveryStateSection) == encoded) return;
  state_->set_section(kDiscoveryStateSection, std::move(encoded));
  const auto saved = state_->save();
  telemetry_.record_state_file("save", saved.has_value(), common::unix_seconds(clock_.now()));
  if (!saved) {
    logger_.error(
        "cannot save the state file; discovered Posts and cursors since the last save "
        "would be searched again after a restart",
        {{"file", state_->path()}, {"error", saved.error().message}});
  }
}

}  // namespace xee::collectors

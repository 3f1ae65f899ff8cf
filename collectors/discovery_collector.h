#pragma once
// Turns hashtags and accounts into tracked Posts through X's v2 recent search: decides which
// source to search, with which cursor and page, and when; admits what it finds through the
// DiscoveryRegistry's caps and TTL; publishes store::DiscoverySection; keeps Posts, cursors and
// counters in the state file. No HTTP, no JSON: the SearchApi behind it does one GET per call.
//
// Each round visits every source once, in a rotation that starts where the last round's budget
// ran out, so no source starves. A source's walk: the first page asks since its cursor's since_id
// (a source never searched looks back `lookback` instead), then follows next_token for at most
// max_pages_per_round pages; the rest of the walk resumes next round from the saved token. Only
// when a walk reaches its last page does since_id move to the newest ID of its first page (X's
// pagination guide), so an interrupted walk never skips Posts.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "collectors/discovery_registry.h"
#include "collectors/search_api.h"
#include "collectors/search_budget.h"
#include "common/clock.h"
#include "common/log.h"
#include "state/state_file.h"
#include "store/snapshot.h"
#include "store/telemetry.h"

namespace xee::collectors {

struct DiscoverySettings {
  DiscoveryRules rules;
  std::vector<ConfiguredPost> configured;
  BearerAuth bearer;
  common::Millis lookback{std::chrono::hours{24}};
  int requests_per_window = 180;
  int max_pages_per_round = 5;
};

class DiscoveryCollector {
 public:
  // `x_clock` is X's notion of now (Post ages, TTLs, lookback): the wall clock in production, the
  // simulator's world clock in demos and tests; null means `clock`. `state` may be null.
  DiscoveryCollector(SearchApi& api, store::SnapshotStore& store, store::Telemetry& telemetry,
                     const common::Clock& clock, common::Logger& logger, state::StateFile* state,
                     DiscoverySettings settings, const common::Clock* x_clock = nullptr,
                     const common::StopSignal* stop = nullptr);

  // Starts the collector's telemetry and reads the "discovery" section of an already loaded state
  // file; a bad section is reported and discovery starts afresh. Publishes the restored Posts at
  // once. Call before the first poll_once().
  void restore_state();

  // Thread-safe; takes effect at the next round (reload).
  void set_settings(DiscoverySettings settings);
  void set_bearer(BearerAuth bearer);

  // One round. Returns false when a search failed (a round cut short by the budget is not a
  // failure: it resumes next round). Runs on one thread at a time.
  bool poll_once();

  // The discovered Posts tracked now, by ID; thread-safe.
  std::vector<DiscoveredPost> tracked() const;

 private:
  // `stopped`: shutdown began; the walk resumes from its cursor after the restart.
  enum class WalkEnd { done, more_pages, budget_spent, failed, stopped };
  WalkEnd walk(const DiscoverySource& source, const BearerAuth& bearer, int max_pages,
               common::Millis lookback);
  void publish_locked();
  void save_state();

  SearchApi& api_;
  store::SnapshotStore& store_;
  store::Telemetry& telemetry_;
  const common::Clock& clock_;
  const common::Clock& x_clock_;
  const common::StopSignal* stop_;  // may be null
  common::Logger& logger_;
  state::StateFile* state_;

  mutable std::mutex mutex_;  // guards everything below
  DiscoverySettings settings_;
  DiscoveryRegistry registry_;
  SearchBudget budget_;
  std::size_t next_source_ = 0;  // where the next round's rotation starts
};

}  // namespace xee::collectors

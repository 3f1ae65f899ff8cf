#pragma once
// The snapshot store sits between the collectors (which write) and the exposition (which reads).
// Each collector publishes an immutable section after every poll round; a scrape takes the
// current sections together as one Snapshot and never waits on a collector or on X.
//
// Sections hold plain values, not metric text: the exposition (exporter/) is the one place that
// decides names and writes the Prometheus text format.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "wire/engagement_types.h"
#include "wire/snowflake.h"

namespace xee::store {

using wire::PostId;

// One tracked Post and its last good /totals values.
struct PostTotals {
  PostId post_id = 0;
  // Index into TotalsSection::accounts of the owning account, or kNoAccount for unowned Posts.
  std::uint32_t account_index = 0;
  bool owned = false;
  // Creation time from the snowflake ID, unix seconds.
  std::int64_t created_unix = 0;
  // Bit index_of(type) is set when values[index_of(type)] holds a value for that type; types
  // never fetched (unowned Post's impressions, too old for the 90-day rule, a failed first poll)
  // stay unset and produce no series.
  std::uint32_t present = 0;
  std::array<std::uint64_t, wire::kEngagementTypeCount> values{};

  bool has(wire::EngagementType type) const { return (present >> wire::index_of(type)) & 1u; }
  std::uint64_t value(wire::EngagementType type) const { return values[wire::index_of(type)]; }
  void set(wire::EngagementType type, std::uint64_t v) {
    values[wire::index_of(type)] = v;
    present |= 1u << wire::index_of(type);
  }
};

inline constexpr std::uint32_t kNoAccount = UINT32_MAX;

// Everything the /totals collector knows, published whole after each round. Posts are sorted by
// post_id and each appears once; a Post no longer tracked is simply absent, so its series vanish.
struct TotalsSection {
  std::vector<std::string> accounts;  // handles, referenced by PostTotals::account_index
  std::vector<PostTotals> posts;
};

// One owned Post's hourly figures from /28hr (and /historical), indexed by wire::index_of(type);
// only the 17 time-series types (wire::kTimeSeriesTypes) are meaningful, quote_tweets stays 0.
struct PostHourly {
  PostId post_id = 0;
  // False right after a restart: the tally comes from the state file, but the hours of the last
  // hour and the 28-hour window do not until X answers, so only the tally is served.
  bool has_last_hour = true;
  // False while the 28 hours ending with the last hour are not all known (a start within the
  // hourly delay of an hour's end): the 28-hour sums are then not served rather than short.
  bool has_28h = true;
  // Start of the last complete hour (on X's clock) that `last_hour` holds, unix seconds.
  std::int64_t last_hour_start_unix = 0;
  // The values of that hour.
  std::array<std::uint64_t, wire::kEngagementTypeCount> last_hour{};
  // Sums over the complete hours of the 28-hour window that ends with that hour.
  std::array<std::uint64_t, wire::kEngagementTypeCount> window_28h{};
  // Sums over every complete hour seen since the exporter began tracking the Post.
  std::array<std::uint64_t, wire::kEngagementTypeCount> tally{};
};

// Everything the hourly collector knows, published whole after each change. Posts are sorted by
// post_id; a Post without a counted hour yet, or no longer configured, is absent.
struct HourlySection {
  std::vector<PostHourly> posts;
};

// Discovery: the groups tracked Posts belong to. A Post may be in several groups and kinds.
struct PostGroup {
  std::string name;           // the hashtag or handle as configured, or the campaign's name
  std::vector<PostId> posts;  // members currently tracked, sorted, each once
  // Posts that ever joined this group through search (a counter, kept across restarts).
  std::uint64_t discovered_total = 0;
};

// Published by the discovery collector after each round; groups in configuration order.
struct DiscoverySection {
  std::vector<PostGroup> hashtags;
  std::vector<PostGroup> accounts;  // [[discovery.accounts]] sources
  std::vector<PostGroup> campaigns;
};

// What a scrape reads: the sections current at one instant. Null for a section not yet published.
struct Snapshot {
  std::shared_ptr<const TotalsSection> totals;
  std::shared_ptr<const HourlySection> hourly = nullptr;  // default: brace-init with totals only
  std::shared_ptr<const DiscoverySection> discovery = nullptr;
};

class SnapshotStore {
 public:
  void publish_totals(std::shared_ptr<const TotalsSection> section);
  void publish_hourly(std::shared_ptr<const HourlySection> section);
  void publish_discovery(std::shared_ptr<const DiscoverySection> section);
  Snapshot snapshot() const;

  // Called after each publish_totals with the new section, on the publishing thread, so the
  // exposition can prepare its compressed form before a scrape asks. Set before collectors run.
  using TotalsListener = std::function<void(const std::shared_ptr<const TotalsSection>&)>;
  void set_totals_listener(TotalsListener listener);

 private:
  mutable std::mutex mutex_;
  Snapshot current_;
  TotalsListener totals_listener_;
};

}  // namespace xee::store

#pragma once
// The one place that writes the Prometheus text format (0.0.4): the Post series from a snapshot
// and the exporter's own telemetry families. Output goes out in chunks of at most kChunkBytes so a
// scrape of a million series never builds one giant string.

#include <prometheus/metric_family.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/chunk_writer.h"
#include "store/snapshot.h"
#include "wire/engagement_types.h"

namespace xee::exporter {

// Collects everything; for tests and small outputs.
class StringSink final : public ExpositionSink {
 public:
  bool write(std::string_view bytes) override {
    text_.append(bytes);
    return true;
  }
  const std::string& text() const { return text_; }
  std::string release() { return std::move(text_); }

 private:
  std::string text_;
};

struct ExpositionOptions {
  // How often the /totals collector refreshes; stated in the Post families' HELP text.
  std::chrono::milliseconds totals_refresh_interval = std::chrono::minutes(5);
  // The hourly collector's cadence, stated in the hourly families' HELP text.
  std::chrono::milliseconds hourly_delay = std::chrono::minutes(5);
  std::chrono::milliseconds hourly_slow_interval = std::chrono::hours(6);
};

// Metric names of the Post families, in the order they are written.
inline constexpr std::string_view kPostInfo = "x_engagement_post_info";
inline constexpr std::string_view kPostCreated = "x_engagement_post_created_timestamp_seconds";
inline constexpr std::string_view kPostImpressions = "x_engagement_post_lifetime_impressions";
inline constexpr std::string_view kPostEngagements = "x_engagement_post_lifetime_engagements";
inline constexpr std::string_view kPostInteractions = "x_engagement_post_lifetime_interactions";

// The engagement types that share kPostInteractions (label engagement_type), in the order written
// per Post. Impressions and engagements have families of their own: they are not counts of one
// action.
inline constexpr std::array<wire::EngagementType, 5> kInteractionTypes{
    wire::EngagementType::favorites, wire::EngagementType::retweets,
    wire::EngagementType::quote_tweets, wire::EngagementType::replies,
    wire::EngagementType::video_views};

// The hourly families (from /28hr): one set per window, the window in the name, never in a label.
inline constexpr std::string_view kPostLastHourStart =
    "x_engagement_post_last_hour_start_timestamp_seconds";
inline constexpr std::string_view kPostLastHourImpressions =
    "x_engagement_post_last_hour_impressions";
inline constexpr std::string_view kPostLastHourEngagements =
    "x_engagement_post_last_hour_engagements";
inline constexpr std::string_view kPostLastHourInteractions =
    "x_engagement_post_last_hour_interactions";
inline constexpr std::string_view kPost28hImpressions = "x_engagement_post_28h_impressions";
inline constexpr std::string_view kPost28hEngagements = "x_engagement_post_28h_engagements";
inline constexpr std::string_view kPost28hInteractions = "x_engagement_post_28h_interactions";
inline constexpr std::string_view kPostTallyImpressions = "x_engagement_post_tally_impressions";
inline constexpr std::string_view kPostTallyEngagements = "x_engagement_post_tally_engagements";
inline constexpr std::string_view kPostTallyInteractions = "x_engagement_post_tally_interactions";

// The 15 hourly types that share the …_interactions families (label engagement_type), in the
// order written per Post: every time-series type but impressions and engagements.
inline constexpr std::array<wire::EngagementType, 15> kHourlyInteractionTypes{
    wire::EngagementType::favorites,
    wire::EngagementType::retweets,
    wire::EngagementType::replies,
    wire::EngagementType::video_views,
    wire::EngagementType::media_views,
    wire::EngagementType::media_engagements,
    wire::EngagementType::url_clicks,
    wire::EngagementType::hashtag_clicks,
    wire::EngagementType::detail_expands,
    wire::EngagementType::permalink_clicks,
    wire::EngagementType::app_install_attempts,
    wire::EngagementType::app_opens,
    wire::EngagementType::email_tweet,
    wire::EngagementType::user_follows,
    wire::EngagementType::user_profile_clicks};

class Exposition {
 public:
  // Everything that does not depend on the data (headers, line prefixes) is built here, once.
  explicit Exposition(const ExpositionOptions& options);

  // Writes the Post families of `snapshot` (in the order of the k* names above, Posts by post_id)
  // and then `telemetry` in its given order, each family's series sorted by labels. Families
  // without samples are left out. Returns false when the sink refused a chunk; the output is then
  // incomplete.
  bool write(const store::Snapshot& snapshot,
             const std::vector<prometheus::MetricFamily>& telemetry, ExpositionSink& sink) const;

  // The same text as one gzip member at zlib `level`. The Post families of a published section
  // are compressed at its first gzip scrape and kept until another section is published (every
  // refresh interval); each scrape compresses only the telemetry behind them. Safe to call from
  // several threads; a scrape that finds the cache stale waits for the one rebuilding it.
  bool write_gzip(const store::Snapshot& snapshot,
                  const std::vector<prometheus::MetricFamily>& telemetry, ExpositionSink& sink,
                  int level) const;

  // How often write_gzip compressed Post families instead of reusing them; for tests.
  std::size_t gzip_post_compressions() const;

 private:
  // The Post families of one section as deflate blocks ending on a byte boundary, no final block.
  struct CompressedPosts {
    std::weak_ptr<const store::TotalsSection> section;  // identity only; never locked
    int level = 0;
    std::string deflated;
    std::uint32_t crc = 0;
    std::uint64_t length = 0;
  };
  // Null when zlib failed.
  std::shared_ptr<const CompressedPosts> compressed_posts(
      const std::shared_ptr<const store::TotalsSection>& section, int level) const;

  struct PostFamilyText {
    std::string header;       // "# HELP …\n# TYPE … gauge\n"
    std::string line_prefix;  // "<name>{post_id=\""
  };

  void write_posts(const store::TotalsSection& totals, ChunkWriter& out) const;
  void write_post_values(const std::vector<store::PostTotals>& posts, const PostFamilyText& family,
                         wire::EngagementType type, ChunkWriter& out) const;
  void write_post_interactions(const std::vector<store::PostTotals>& posts, ChunkWriter& out) const;
  void write_telemetry(const std::vector<prometheus::MetricFamily>& telemetry,
                       ChunkWriter& out) const;

  // One window's three families; `values` picks the window's array out of a store::PostHourly.
  struct HourlyWindowFamilies {
    PostFamilyText impressions;
    PostFamilyText engagements;
    PostFamilyText interactions;
    std::array<std::uint64_t, wire::kEngagementTypeCount> store::PostHourly::*values = nullptr;
  };
  // Not cached in write_gzip like the /totals families: the section changes every hour, and a
  // cache keyed on two sections would be rebuilt about as often as it is used.
  void write_hourly(const store::HourlySection& hourly, ChunkWriter& out) const;
  void write_hourly_window(const std::vector<store::PostHourly>& posts,
                           const HourlyWindowFamilies& window, ChunkWriter& out) const;

  PostFamilyText info_;
  PostFamilyText created_;
  PostFamilyText impressions_;
  PostFamilyText engagements_;
  PostFamilyText interactions_;
  // "\",engagement_type=\"favorites\"} " and so on, in the order of kInteractionTypes.
  std::array<std::string, kInteractionTypes.size()> interaction_line_suffixes_;
  PostFamilyText last_hour_start_;
  std::array<HourlyWindowFamilies, 3> hourly_windows_;  // last hour, 28 h, tally
  std::array<std::string, kHourlyInteractionTypes.size()> hourly_interaction_line_suffixes_;

  mutable std::mutex gzip_mutex_;
  mutable std::shared_ptr<const CompressedPosts> gzip_cache_;
  mutable std::size_t gzip_post_compressions_ = 0;
};

// A sample value as Prometheus spells it: integral values without exponent or fraction ("3",
// "1795046400"), "NaN", "+Inf", "-Inf", otherwise the shortest text that parses back to `value`.
std::string format_value(double value);

}  // namespace xee::exporter

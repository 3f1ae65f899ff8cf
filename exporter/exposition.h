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
  // How often the discovery collector searches ([discovery] interval), stated in the hashtag,
  // account and campaign families' HELP text.
  std::chrono::milliseconds discovery_refresh_interval = std::chrono::minutes(5);
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

// The discovery families (from store::DiscoverySection joined with the /totals values), written
// after the hourly families in this order.
inline constexpr std::string_view kHashtagPostsTracked = "x_engagement_hashtag_posts_tracked";
inline constexpr std::string_view kHashtagPostsDiscovered =
    "x_engagement_hashtag_posts_discovered_total";
inline constexpr std::string_view kHashtagImpressions = "x_engagement_hashtag_lifetime_impressions";
inline constexpr std::string_view kHashtagEngagements = "x_engagement_hashtag_lifetime_engagements";
inline constexpr std::string_view kHashtagInteractions =
    "x_engagement_hashtag_lifetime_interactions";
inline constexpr std::string_view kPostHashtagInfo = "x_engagement_post_hashtag_info";
inline constexpr std::string_view kAccountPostsTracked = "x_engagement_account_posts_tracked";
inline constexpr std::string_view kAccountPostsDiscovered =
    "x_engagement_account_posts_discovered_total";
inline constexpr std::string_view kCampaignPostsTracked = "x_engagement_campaign_posts_tracked";
inline constexpr std::string_view kCampaignPostsDiscovered =
    "x_engagement_campaign_posts_discovered_total";
inline constexpr std::string_view kCampaignImpressions =
    "x_engagement_campaign_lifetime_impressions";
inline constexpr std::string_view kCampaignEngagements =
    "x_engagement_campaign_lifetime_engagements";
inline constexpr std::string_view kCampaignInteractions =
    "x_engagement_campaign_lifetime_interactions";
inline constexpr std::string_view kPostCampaignInfo = "x_engagement_post_campaign_info";

// The /totals values of `post_id` in `totals` (Posts sorted by post_id), or null when it has none.
const store::PostTotals* find_post_totals(const store::TotalsSection& totals, wire::PostId post_id);

class Exposition {
 public:
  // Everything that does not depend on the data (headers, line prefixes) is built here, once.
  explicit Exposition(const ExpositionOptions& options);

  // Writes the Post families of `snapshot` (in the order of the k* names above, Posts by post_id),
  // the discovery families (groups by name) and then `telemetry` in its given order, each family's
  // series sorted by labels. Families without samples are left out. Returns false when the sink
  // refused a chunk; the output is then incomplete.
  bool write(const store::Snapshot& snapshot,
             const std::vector<prometheus::MetricFamily>& telemetry, ExpositionSink& sink) const;

  // The same text as one gzip member at zlib `level`. The Post families of a published section
  // are compressed at its first gzip scrape and kept until another section is published (every
  // refresh interval); each scrape compresses only the telemetry behind them. Safe to call from
  // several threads; a scrape that finds the cache stale waits for the one rebuilding it.
  bool write_gzip(const store::Snapshot& snapshot,
                  const std::vector<prometheus::MetricFamily>& telemetry, ExpositionSink& sink,
                  int level) const;

  // Compresses the Post families of `section` into the cache write_gzip reads, so the first gzip
  // scrape after a publish finds them ready. Called on the publishing thread (off the scrape
  // path); a scrape arriving meanwhile waits for it rather than compressing twice.
  void precompress(const std::shared_ptr<const store::TotalsSection>& section, int level) const;

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
    std::string line_prefix;  // "<name>{post_id=\"" (discovery families: their first label)
  };

  void write_posts(const store::TotalsSection& totals, ChunkWriter& out) const;
  void write_post_values(const std::vector<store::PostTotals>& posts, const PostFamilyText& family,
                         wire::EngagementType type, ChunkWriter& out) const;
  void write_post_interactions(const std::vector<store::PostTotals>& posts, ChunkWriter& out) const;
  void write_telemetry(const std::vector<prometheus::MetricFamily>& telemetry,
                       ChunkWriter& out) const;

  // One kind of discovery group (hashtags, accounts or campaigns). Accounts have only the two
  // count families: their Posts are the account's own, summed already by the Post families.
  struct GroupKindFamilies {
    PostFamilyText tracked;  // line_prefix "<name>{<label>=\""
    PostFamilyText discovered;
    bool has_sums_and_membership = false;
    PostFamilyText impressions;
    PostFamilyText engagements;
    std::string interactions_header;
    // Labels go out sorted by name: "campaign" before engagement_type, "hashtag" after it. A line
    // is head + escaped group name + tail, per type in the order of interaction_types_by_name_:
    // "<name>{campaign=\"" … "\",engagement_type=\"favorites\"} " or
    // "<name>{engagement_type=\"favorites\",hashtag=\"" … "\"} ".
    bool label_before_type = false;
    std::array<std::string, kInteractionTypes.size()> interaction_heads;
    std::array<std::string, kInteractionTypes.size()> interaction_tails;
    PostFamilyText membership;  // line_prefix "<name>{<label>=\""
  };
  void build_discovery_families(const ExpositionOptions& options);
  // Not cached in write_gzip either: it joins two sections that change independently. `totals`
  // may be null (no /totals round yet): the groups then have counts and members but no sums.
  void write_discovery(const store::DiscoverySection& discovery, const store::TotalsSection* totals,
                       ChunkWriter& out) const;
  void write_group_kind(const std::vector<store::PostGroup>& groups, const GroupKindFamilies& kind,
                        const store::TotalsSection* totals, ChunkWriter& out) const;

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
  // kInteractionTypes sorted by their label value, the order of the group interaction series.
  std::array<wire::EngagementType, kInteractionTypes.size()> interaction_types_by_name_{};
  GroupKindFamilies hashtag_families_;
  GroupKindFamilies account_families_;
  GroupKindFamilies campaign_families_;

  mutable std::mutex gzip_mutex_;
  mutable std::shared_ptr<const CompressedPosts> gzip_cache_;
  mutable std::size_t gzip_post_compressions_ = 0;
};

// A sample value as Prometheus spells it: integral values without exponent or fraction ("3",
// "1795046400"), "NaN", "+Inf", "-Inf", otherwise the shortest text that parses back to `value`.
std::string format_value(double value);

}  // namespace xee::exporter

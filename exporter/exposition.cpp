#include "exporter/exposition.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>

#include "common/time_format.h"
#include "exporter/deflate_sink.h"

namespace xee::exporter {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

template <typename Output>
void append_header(Output& out, std::string_view name, std::string_view help,
                   std::string_view type) {
  out.append("# HELP ");
  out.append(name);
  out.append(" ");
  append_escaped(out, help, false);
  out.append("\n# TYPE ");
  out.append(name);
  out.append(" ");
  out.append(type);
  out.append("\n");
}

std::string_view type_name(MetricType type) {
  switch (type) {
    case MetricType::Counter:
      return "counter";
    case MetricType::Gauge:
      return "gauge";
    case MetricType::Summary:
      return "summary";
    case MetricType::Histogram:
      return "histogram";
    case MetricType::Untyped:
      return "untyped";
  }
  return "untyped";
}

// The `le` of a histogram bucket or the `quantile` of a summary: a number, never needing escapes.
struct NumericLabel {
  std::string_view name;
  double value;
};

template <typename Value>
void write_sample(ChunkWriter& out, const MetricFamily& family, const ClientMetric& metric,
                  std::string_view suffix, std::optional<NumericLabel> numeric_label, Value value) {
  out.append(family.name);
  out.append(suffix);
  if (!metric.label.empty() || numeric_label) {
    std::string_view separator = "{";
    for (const auto& label : metric.label) {
      out.append(separator);
      out.append(label.name);
      out.append("=\"");
      append_escaped(out, label.value, true);
      out.append("\"");
      separator = ",";
    }
    if (numeric_label) {
      out.append(separator);
      out.append(numeric_label->name);
      out.append("=\"");
      out.append_number(numeric_label->value);
      out.append("\"");
    }
    out.append("}");
  }
  out.append(" ");
  out.append_number(value);
  if (metric.timestamp_ms != 0) {
    out.append(" ");
    out.append_number(static_cast<std::int64_t>(metric.timestamp_ms));
  }
  out.append("\n");
}

void write_histogram(ChunkWriter& out, const MetricFamily& family, const ClientMetric& metric) {
  const auto& histogram = metric.histogram;
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  for (const auto& bucket : histogram.bucket) {
    write_sample(out, family, metric, "_bucket", NumericLabel{"le", bucket.upper_bound},
                 bucket.cumulative_count);
  }
  // The format requires a +Inf bucket; prometheus-cpp always has one, a hand-built family may not.
  if (histogram.bucket.empty() || histogram.bucket.back().upper_bound != kInfinity) {
    write_sample(out, family, metric, "_bucket", NumericLabel{"le", kInfinity},
                 histogram.sample_count);
  }
  write_sample(out, family, metric, "_sum", std::nullopt, histogram.sample_sum);
  write_sample(out, family, metric, "_count", std::nullopt, histogram.sample_count);
}

void write_summary(ChunkWriter& out, const MetricFamily& family, const ClientMetric& metric) {
  const auto& summary = metric.summary;
  for (const auto& quantile : summary.quantile) {
    write_sample(out, family, metric, "", NumericLabel{"quantile", quantile.quantile},
                 quantile.value);
  }
  write_sample(out, family, metric, "_sum", std::nullopt, summary.sample_sum);
  write_sample(out, family, metric, "_count", std::nullopt, summary.sample_count);
}

void write_family(ChunkWriter& out, const MetricFamily& family) {
  if (family.metric.empty()) return;
  append_header(out, family.name, family.help, type_name(family.type));
  // prometheus-cpp hands series over in hash-map order; sorted by labels the output stays the same
  // from scrape to scrape and build to build.
  std::vector<const ClientMetric*> sorted;
  sorted.reserve(family.metric.size());
  for (const auto& metric : family.metric) sorted.push_back(&metric);
  std::stable_sort(sorted.begin(), sorted.end(), [](const ClientMetric* a, const ClientMetric* b) {
    return a->label < b->label;
  });
  for (const ClientMetric* series : sorted) {
    const ClientMetric& metric = *series;
    switch (family.type) {
      case MetricType::Counter:
        write_sample(out, family, metric, "", std::nullopt, metric.counter.value);
        break;
      case MetricType::Gauge:
        write_sample(out, family, metric, "", std::nullopt, metric.gauge.value);
        break;
      case MetricType::Untyped:
        write_sample(out, family, metric, "", std::nullopt, metric.untyped.value);
        break;
      case MetricType::Histogram:
        write_histogram(out, family, metric);
        break;
      case MetricType::Summary:
        write_summary(out, family, metric);
        break;
    }
  }
}

// Everything of an info line after the Post ID up to the owned value:
// "\",account=\"acme\",owned=\"", one per account, then one with account="" for unowned Posts.
// Built per scrape because the accounts belong to the snapshot; there are only a handful.
std::vector<std::string> owner_label_fragments(const std::vector<std::string>& accounts) {
  std::vector<std::string> fragments;
  fragments.reserve(accounts.size() + 1);
  for (const auto& handle : accounts) {
    std::string fragment = "\",account=\"";
    append_escaped(fragment, handle, true);
    fragment += "\",owned=\"";
    fragments.push_back(std::move(fragment));
  }
  fragments.emplace_back("\",account=\"\",owned=\"");
  return fragments;
}

// A group's /totals values summed over its members, with which types any member had.
struct GroupSums {
  std::uint32_t present = 0;
  std::array<std::uint64_t, wire::kEngagementTypeCount> values{};

  bool has(wire::EngagementType type) const { return (present >> wire::index_of(type)) & 1u; }
  std::uint64_t value(wire::EngagementType type) const { return values[wire::index_of(type)]; }
};

GroupSums sum_members(const store::PostGroup& group, const store::TotalsSection* totals) {
  GroupSums sums;
  if (totals == nullptr) return sums;
  for (const wire::PostId member : group.posts) {
    const store::PostTotals* post = find_post_totals(*totals, member);
    if (post == nullptr) continue;
    sums.present |= post->present;
    for (std::size_t i = 0; i < sums.values.size(); ++i) {
      if ((post->present >> i) & 1u) sums.values[i] += post->values[i];
    }
  }
  return sums;
}

}  // namespace

const store::PostTotals* find_post_totals(const store::TotalsSection& totals,
                                          wire::PostId post_id) {
  const auto found = std::lower_bound(
      totals.posts.begin(), totals.posts.end(), post_id,
      [](const store::PostTotals& post, wire::PostId id) { return post.post_id < id; });
  return found != totals.posts.end() && found->post_id == post_id ? &*found : nullptr;
}

std::string format_value(double value) {
  std::array<char, kMaxNumberChars> text{};
  return std::string(text.data(), write_number(text.data(), value));
}

Exposition::Exposition(const ExpositionOptions& options) {
  const std::string source = "from X's /totals endpoint (cached; refreshed every " +
                             common::format_duration(options.totals_refresh_interval) + ").";
  const auto family = [](std::string_view name, const std::string& help) {
    PostFamilyText text;
    append_header(text.header, name, help, "gauge");
    text.line_prefix = std::string(name) + "{post_id=\"";
    return text;
  };
  info_ = family(kPostInfo,
                 "A tracked Post; always 1. account is the configured account that owns it (empty "
                 "when unowned), owned whether it is read with the owner's tokens. Join on post_id "
                 "with group_left. Published with the values " +
                     source);
  created_ = family(kPostCreated,
                    "When the Post was created, unix seconds, decoded from its snowflake ID.");
  impressions_ = family(kPostImpressions, "Lifetime organic impressions of the Post, " + source +
                                              " Owned Posts up to 90 days old only.");
  engagements_ = family(kPostEngagements,
                        "Lifetime engagements with the Post (X's own total, not the sum of the "
                        "engagement_type counts), " +
                            source + " Owned Posts up to 90 days old only.");
  interactions_ =
      family(kPostInteractions,
             "Lifetime count of one kind of engagement with the Post (favorites, retweets, "
             "quote_tweets, replies, video_views), " +
                 source);
  for (std::size_t i = 0; i < kInteractionTypes.size(); ++i) {
    interaction_line_suffixes_[i] =
        "\",engagement_type=\"" + std::string(wire::to_string(kInteractionTypes[i])) + "\"} ";
  }

  const std::string cadence = " From X's /28hr endpoint, refreshed once per completed hour " +
                              common::format_duration(options.hourly_delay) +
                              " after it ends (Posts without activity for a while every " +
                              common::format_duration(options.hourly_slow_interval) +
                              "); owned Posts only.";
  last_hour_start_ = family(kPostLastHourStart,
                            "Start of the hour the last_hour families cover, unix seconds: the "
                            "last complete hour collected (on X's clock)." +
                                cadence);
  const auto window = [&](std::string_view impressions, std::string_view engagements,
                          std::string_view interactions, const std::string& scope, auto values) {
    HourlyWindowFamilies families;
    families.impressions =
        family(impressions, "Organic impressions of the Post " + scope + cadence);
    families.engagements =
        family(engagements, "Engagements with the Post (X's own total) " + scope + cadence);
    families.interactions =
        family(interactions,
               "Count of one kind of engagement with the Post (15 types: favorites, retweets, "
               "replies, video_views, media_views, media_engagements, url_clicks, hashtag_clicks, "
               "detail_expands, permalink_clicks, app_install_attempts, app_opens, email_tweet, "
               "user_follows, user_profile_clicks) " +
                   scope + cadence);
    families.values = values;
    return families;
  };
  hourly_windows_[0] =
      window(kPostLastHourImpressions, kPostLastHourEngagements, kPostLastHourInteractions,
             "in the last complete hour (the hour starting at "
             "x_engagement_post_last_hour_start_timestamp_seconds).",
             &store::PostHourly::last_hour);
  hourly_windows_[1] = window(kPost28hImpressions, kPost28hEngagements, kPost28hInteractions,
                              "summed over the 28 complete hours ending with the last complete "
                              "hour.",
                              &store::PostHourly::window_28h);
  hourly_windows_[2] = window(kPostTallyImpressions, kPostTallyEngagements, kPostTallyInteractions,
                              "summed over every complete hour since the exporter began tracking "
                              "the Post (a running tally kept across restarts).",
                              &store::PostHourly::tally);
  for (std::size_t i = 0; i < kHourlyInteractionTypes.size(); ++i) {
    hourly_interaction_line_suffixes_[i] =
        "\",engagement_type=\"" + std::string(wire::to_string(kHourlyInteractionTypes[i])) + "\"} ";
  }
  build_discovery_families(options);
}

void Exposition::build_discovery_families(const ExpositionOptions& options) {
  interaction_types_by_name_ = kInteractionTypes;
  std::sort(interaction_types_by_name_.begin(), interaction_types_by_name_.end(),
            [](wire::EngagementType a, wire::EngagementType b) {
              return wire::to_string(a) < wire::to_string(b);
            });
  const std::string membership_cadence =
      "(cached; membership refreshed every " +
      common::format_duration(options.discovery_refresh_interval) + " by the discovery collector)";
  const std::string totals_cadence = "from X's /totals endpoint (cached; refreshed every " +
                                     common::format_duration(options.totals_refresh_interval) + ")";
  const auto family = [](std::string_view name, std::string_view label, const std::string& help,
                         std::string_view type) {
    PostFamilyText text;
    append_header(text.header, name, help, type);
    text.line_prefix = std::string(name) + "{" + std::string(label) + "=\"";
    return text;
  };

  struct KindWording {
    std::string_view label;    // "hashtag"
    std::string_view members;  // who the members are, with the label explained
    std::string_view overlap;  // how a Post in several groups counts
    std::string_view example;  // a membership selector for the join example
  };
  const auto counts = [&](const KindWording& wording, std::string_view tracked,
                          std::string_view discovered) {
    GroupKindFamilies kind;
    kind.tracked = family(tracked, wording.label,
                          std::string(wording.members) + " currently tracked " +
                              membership_cadence + "." + std::string(wording.overlap),
                          "gauge");
    kind.discovered =
        family(discovered, wording.label,
               std::string(wording.members) +
                   " that ever joined through X's v2 recent search, kept across restarts " +
                   membership_cadence + "." + std::string(wording.overlap),
               "counter");
    return kind;
  };
  const auto with_sums = [&](GroupKindFamilies kind, const KindWording& wording,
                             std::string_view impressions, std::string_view engagements,
                             std::string_view interactions, std::string_view membership) {
    const std::string label(wording.label);
    const std::string over = " summed over the tracked Posts of the " + label + ", " +
                             totals_cadence + ", members " + membership_cadence + ".";
    const std::string join_query =
        "x_engagement_post_lifetime_interactions * on (post_id) group_left x_engagement_post_" +
        label + "_info{" + std::string(wording.example) + "}";
    const std::string join = " Per Post: " + join_query + ".";
    const std::string owned_only =
        " Only owned Posts up to 90 days old have it; other members add nothing, and the series is "
        "absent while no member has a value.";
    kind.has_sums_and_membership = true;
    kind.impressions = family(
        impressions, wording.label,
        "Lifetime organic impressions" + over + owned_only + std::string(wording.overlap) + join,
        "gauge");
    kind.engagements = family(engagements, wording.label,
                              "Lifetime engagements (X's own total)" + over + owned_only +
                                  std::string(wording.overlap) + join,
                              "gauge");
    append_header(kind.interactions_header, interactions,
                  "Lifetime count of one kind of engagement (favorites, retweets, quote_tweets, "
                  "replies, video_views)" +
                      over +
                      " A type is present when at least one member has a value for it (members "
                      "without it add nothing)." +
                      std::string(wording.overlap) + join,
                  "gauge");
    kind.label_before_type = label < "engagement_type";
    for (std::size_t i = 0; i < interaction_types_by_name_.size(); ++i) {
      const std::string type_label =
          "engagement_type=\"" + std::string(wire::to_string(interaction_types_by_name_[i])) + "\"";
      if (kind.label_before_type) {
        kind.interaction_heads[i] = std::string(interactions) + "{" + label + "=\"";
        kind.interaction_tails[i] = "\"," + type_label + "} ";
      } else {
        kind.interaction_heads[i] =
            std::string(interactions) + "{" + type_label + "," + label + "=\"";
        kind.interaction_tails[i] = "\"} ";
      }
    }
    kind.membership =
        family(membership, wording.label,
               "A tracked Post in the " + label + "; always 1 " + membership_cadence + "." +
                   std::string(wording.overlap) + " Join on post_id with group_left, one " + label +
                   " at a time (a Post may be in several): " + join_query + ".",
               "gauge");
    return kind;
  };

  const KindWording hashtag{
      "hashtag", "Posts carrying the hashtag (label hashtag: the tag as configured, without '#')",
      " A Post with several configured hashtags counts in each.", "hashtag=\"launchday\""};
  const KindWording account{"account",
                            "Posts of the [[discovery.accounts]] account (label account: the "
                            "handle as configured)",
                            "", ""};
  const KindWording campaign{
      "campaign",
      "Posts of the campaign (label campaign: its configured name): its listed Posts and those "
      "found through its hashtags and accounts,",
      " A Post in several campaigns counts in each.", "campaign=\"autumn_launch\""};
  hashtag_families_ =
      with_sums(counts(hashtag, kHashtagPostsTracked, kHashtagPostsDiscovered), hashtag,
                kHashtagImpressions, kHashtagEngagements, kHashtagInteractions, kPostHashtagInfo);
  account_families_ = counts(account, kAccountPostsTracked, kAccountPostsDiscovered);
  campaign_families_ = with_sums(counts(campaign, kCampaignPostsTracked, kCampaignPostsDiscovered),
                                 campaign, kCampaignImpressions, kCampaignEngagements,
                                 kCampaignInteractions, kPostCampaignInfo);
}

bool Exposition::write(const store::Snapshot& snapshot,
                       const std::vector<prometheus::MetricFamily>& telemetry,
                       ExpositionSink& sink) const {
  ChunkWriter out(sink);
  if (snapshot.totals) write_posts(*snapshot.totals, out);
  if (snapshot.hourly) write_hourly(*snapshot.hourly, out);
  if (snapshot.discovery) write_discovery(*snapshot.discovery, snapshot.totals.get(), out);
  write_telemetry(telemetry, out);
  return out.finish();
}

bool Exposition::write_gzip(const store::Snapshot& snapshot,
                            const std::vector<prometheus::MetricFamily>& telemetry,
                            ExpositionSink& sink, int level) const {
  const auto posts = compressed_posts(snapshot.totals, level);
  if (!posts || !sink.write(gzip_header())) return false;
  const std::string_view deflated = posts->deflated;
  for (std::size_t offset = 0; offset < deflated.size(); offset += kChunkBytes) {
    if (!sink.write(deflated.substr(offset, kChunkBytes))) return false;
  }
  // A fresh stream: its blocks never refer back into the cached ones, so the two join as one.
  DeflateSink tail(sink, level);
  ChunkWriter out(tail);
  if (snapshot.hourly) write_hourly(*snapshot.hourly, out);
  if (snapshot.discovery) write_discovery(*snapshot.discovery, snapshot.totals.get(), out);
  write_telemetry(telemetry, out);
  if (!out.finish() || !tail.finish(/*last=*/true)) return false;
  return sink.write(gzip_trailer(crc32_of_joined(posts->crc, tail.crc(), tail.length()),
                                 posts->length + tail.length()));
}

void Exposition::precompress(const std::shared_ptr<const store::TotalsSection>& section,
                             int level) const {
  compressed_posts(section, level);
}

std::size_t Exposition::gzip_post_compressions() const {
  std::lock_guard lock(gzip_mutex_);
  return gzip_post_compressions_;
}

std::shared_ptr<const Exposition::CompressedPosts> Exposition::compressed_posts(
    const std::shared_ptr<const store::TotalsSection>& section, int level) const {
  std::lock_guard lock(gzip_mutex_);
  // Same control block = same section; a weak_ptr keeps it from being reused by a new one.
  const auto same_section = [&section](const CompressedPosts& cached) {
    return !cached.section.owner_before(section) && !section.owner_before(cached.section);
  };
  if (gzip_cache_ && gzip_cache_->level == level && same_section(*gzip_cache_)) {
    return gzip_cache_;
  }
  auto compressed = std::make_shared<CompressedPosts>();
  compressed->section = section;
  compressed->level = level;
  StringSink deflated;
  DeflateSink deflate(deflated, level);
  ChunkWriter out(deflate);
  if (section) write_posts(*section, out);
  // Only zlib running out of memory fails here; nothing half-compressed is kept.
  if (!out.finish() || !deflate.finish(/*last=*/false)) return nullptr;
  compressed->deflated = deflated.release();
  compressed->crc = deflate.crc();
  compressed->length = deflate.length();
  ++gzip_post_compressions_;
  gzip_cache_ = std::move(compressed);
  return gzip_cache_;
}

void Exposition::write_telemetry(const std::vector<prometheus::MetricFamily>& telemetry,
                                 ChunkWriter& out) const {
  for (const auto& family : telemetry) {
    if (!out.ok()) return;
    write_family(out, family);
  }
}

void Exposition::write_posts(const store::TotalsSection& totals, ChunkWriter& out) const {
  const auto& posts = totals.posts;
  if (posts.empty()) return;

  const std::vector<std::string> owners = owner_label_fragments(totals.accounts);
  out.append(info_.header);
  for (const auto& post : posts) {
    if (!out.ok()) return;
    out.append(info_.line_prefix);
    out.append_number(post.post_id);
    // An index past the accounts (a collector bug) reads as unowned rather than crashing.
    out.append(owners[std::min<std::size_t>(post.account_index, totals.accounts.size())]);
    out.append(post.owned ? "true\"} 1\n" : "false\"} 1\n");
  }

  out.append(created_.header);
  for (const auto& post : posts) {
    if (!out.ok()) return;
    out.append(created_.line_prefix);
    out.append_number(post.post_id);
    out.append("\"} ");
    out.append_number(post.created_unix);
    out.append("\n");
  }

  write_post_values(posts, impressions_, wire::EngagementType::impressions, out);
  write_post_values(posts, engagements_, wire::EngagementType::engagements, out);
  write_post_interactions(posts, out);
}

void Exposition::write_post_values(const std::vector<store::PostTotals>& posts,
                                   const PostFamilyText& family, wire::EngagementType type,
                                   ChunkWriter& out) const {
  bool header_written = false;
  for (const auto& post : posts) {
    if (!post.has(type)) continue;
    if (!out.ok()) return;
    if (!header_written) out.append(family.header);
    header_written = true;
    out.append(family.line_prefix);
    out.append_number(post.post_id);
    out.append("\"} ");
    out.append_number(post.value(type));
    out.append("\n");
  }
}

void Exposition::write_post_interactions(const std::vector<store::PostTotals>& posts,
                                         ChunkWriter& out) const {
  bool header_written = false;
  for (const auto& post : posts) {
    if (!out.ok()) return;
    for (std::size_t i = 0; i < kInteractionTypes.size(); ++i) {
      if (!post.has(kInteractionTypes[i])) continue;
      if (!header_written) out.append(interactions_.header);
      header_written = true;
      out.append(interactions_.line_prefix);
      out.append_number(post.post_id);
      out.append(interaction_line_suffixes_[i]);
      out.append_number(post.value(kInteractionTypes[i]));
      out.append("\n");
    }
  }
}

void Exposition::write_hourly(const store::HourlySection& hourly, ChunkWriter& out) const {
  const auto& posts = hourly.posts;
  if (posts.empty()) return;
  out.append(last_hour_start_.header);
  for (const auto& post : posts) {
    if (!out.ok()) return;
    if (!post.has_last_hour) continue;
    out.append(last_hour_start_.line_prefix);
    out.append_number(post.post_id);
    out.append("\"} ");
    out.append_number(post.last_hour_start_unix);
    out.append("\n");
  }
  for (const HourlyWindowFamilies& window : hourly_windows_)
    write_hourly_window(posts, window, out);
}

void Exposition::write_hourly_window(const std::vector<store::PostHourly>& posts,
                                     const HourlyWindowFamilies& window, ChunkWriter& out) const {
  // Only the tally is known for a Post restored from the state file that X has not answered yet,
  // and the 28-hour sums only once all 28 hours are.
  const auto shown = [&window](const store::PostHourly& post) {
    if (window.values == &store::PostHourly::tally) return true;
    if (window.values == &store::PostHourly::window_28h && !post.has_28h) return false;
    return post.has_last_hour;
  };
  const auto write_one = [&](const PostFamilyText& family, wire::EngagementType type) {
    out.append(family.header);
    for (const auto& post : posts) {
      if (!out.ok()) return;
      if (!shown(post)) continue;
      out.append(family.line_prefix);
      out.append_number(post.post_id);
      out.append("\"} ");
      out.append_number((post.*window.values)[wire::index_of(type)]);
      out.append("\n");
    }
  };
  write_one(window.impressions, wire::EngagementType::impressions);
  write_one(window.engagements, wire::EngagementType::engagements);
  out.append(window.interactions.header);
  for (const auto& post : posts) {
    if (!out.ok()) return;
    if (!shown(post)) continue;
    const auto& values = post.*window.values;
    for (std::size_t i = 0; i < kHourlyInteractionTypes.size(); ++i) {
      out.append(window.interactions.line_prefix);
      out.append_number(post.post_id);
      out.append(hourly_interaction_line_suffixes_[i]);
      out.append_number(values[wire::index_of(kHourlyInteractionTypes[i])]);
      out.append("\n");
    }
  }
}

void Exposition::write_discovery(const store::DiscoverySection& discovery,
                                 const store::TotalsSection* totals, ChunkWriter& out) const {
  write_group_kind(discovery.hashtags, hashtag_families_, totals, out);
  write_group_kind(discovery.accounts, account_families_, totals, out);
  write_group_kind(discovery.campaigns, campaign_families_, totals, out);
}

void Exposition::write_group_kind(const std::vector<store::PostGroup>& groups,
                                  const GroupKindFamilies& kind, const store::TotalsSection* totals,
                                  ChunkWriter& out) const {
  if (groups.empty()) return;
  // Groups come in configuration order; series go out sorted by label value.
  std::vector<const store::PostGroup*> sorted;
  sorted.reserve(groups.size());
  for (const auto& group : groups) sorted.push_back(&group);
  std::sort(sorted.begin(), sorted.end(),
            [](const store::PostGroup* a, const store::PostGroup* b) { return a->name < b->name; });

  const auto write_line = [&out](std::string_view head, std::string_view name,
                                 std::string_view tail, std::uint64_t value) {
    out.append(head);
    append_escaped(out, name, true);
    out.append(tail);
    out.append_number(value);
    out.append("\n");
  };
  constexpr std::string_view kLabelEnd = "\"} ";
  out.append(kind.tracked.header);
  for (const store::PostGroup* group : sorted) {
    write_line(kind.tracked.line_prefix, group->name, kLabelEnd,
               std::uint64_t{group->posts.size()});
  }
  out.append(kind.discovered.header);
  for (const store::PostGroup* group : sorted) {
    write_line(kind.discovered.line_prefix, group->name, kLabelEnd, group->discovered_total);
  }
  if (!kind.has_sums_and_membership || !out.ok()) return;

  std::vector<GroupSums> sums;
  sums.reserve(sorted.size());
  for (const store::PostGroup* group : sorted) sums.push_back(sum_members(*group, totals));
  // Each family's header goes out before its first series; a family without any is left out.
  const auto write_sum = [&](const std::string& header, bool& header_written, std::string_view head,
                             std::size_t group, std::string_view tail, wire::EngagementType type) {
    if (!sums[group].has(type)) return;
    if (!header_written) out.append(header);
    header_written = true;
    write_line(head, sorted[group]->name, tail, sums[group].value(type));
  };
  bool impressions_written = false;
  for (std::size_t g = 0; g < sorted.size(); ++g) {
    write_sum(kind.impressions.header, impressions_written, kind.impressions.line_prefix, g,
              kLabelEnd, wire::EngagementType::impressions);
  }
  bool engagements_written = false;
  for (std::size_t g = 0; g < sorted.size(); ++g) {
    write_sum(kind.engagements.header, engagements_written, kind.engagements.line_prefix, g,
              kLabelEnd, wire::EngagementType::engagements);
  }
  // Series sorted by labels: the label that sorts first is the outer loop.
  bool interactions_written = false;
  const std::size_t types = interaction_types_by_name_.size();
  const std::size_t outer_count = kind.label_before_type ? sorted.size() : types;
  const std::size_t inner_count = kind.label_before_type ? types : sorted.size();
  for (std::size_t outer = 0; outer < outer_count; ++outer) {
    if (!out.ok()) return;
    for (std::size_t inner = 0; inner < inner_count; ++inner) {
      const std::size_t g = kind.label_before_type ? outer : inner;
      const std::size_t t = kind.label_before_type ? inner : outer;
      write_sum(kind.interactions_header, interactions_written, kind.interaction_heads[t], g,
                kind.interaction_tails[t], interaction_types_by_name_[t]);
    }
  }

  bool membership_header_written = false;
  for (const store::PostGroup* group : sorted) {
    for (const wire::PostId member : group->posts) {
      if (!out.ok()) return;
      if (!membership_header_written) out.append(kind.membership.header);
      membership_header_written = true;
      out.append(kind.membership.line_prefix);
      append_escaped(out, group->name, true);
      out.append("\",post_id=\"");
      out.append_number(std::uint64_t{member});
      out.append("\"} 1\n");
    }
  }
}

}  // namespace xee::exporter

#pragma once
// The engagement (metric) types of X's Engagement API, spelled exactly as they appear in JSON,
// and which endpoint and which authentication may ask for each (spec §2).

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace xee::wire {

enum class EngagementType : std::uint8_t {
  impressions,
  engagements,
  favorites,
  retweets,
  quote_tweets,
  replies,
  video_views,
  media_views,
  media_engagements,
  url_clicks,
  hashtag_clicks,
  detail_expands,
  permalink_clicks,
  app_install_attempts,
  app_opens,
  email_tweet,
  user_follows,
  user_profile_clicks,
};

inline constexpr std::size_t kEngagementTypeCount = 18;

// Every type, in enum order.
inline constexpr std::array<EngagementType, kEngagementTypeCount> kAllTypes{
    EngagementType::impressions,       EngagementType::engagements,
    EngagementType::favorites,         EngagementType::retweets,
    EngagementType::quote_tweets,      EngagementType::replies,
    EngagementType::video_views,       EngagementType::media_views,
    EngagementType::media_engagements, EngagementType::url_clicks,
    EngagementType::hashtag_clicks,    EngagementType::detail_expands,
    EngagementType::permalink_clicks,  EngagementType::app_install_attempts,
    EngagementType::app_opens,         EngagementType::email_tweet,
    EngagementType::user_follows,      EngagementType::user_profile_clicks,
};

// The 7 types /totals serves.
inline constexpr std::array<EngagementType, 7> kTotalsTypes{
    EngagementType::impressions, EngagementType::engagements, EngagementType::favorites,
    EngagementType::retweets,    EngagementType::quote_tweets, EngagementType::replies,
    EngagementType::video_views,
};

// The 5 types /totals serves for any public Post with an app-only Bearer token.
inline constexpr std::array<EngagementType, 5> kPublicTypes{
    EngagementType::favorites, EngagementType::retweets, EngagementType::quote_tweets,
    EngagementType::replies, EngagementType::video_views,
};

// The 17 types /28hr and /historical serve (every type but quote_tweets), owned Posts only.
inline constexpr std::array<EngagementType, 17> kTimeSeriesTypes{
    EngagementType::impressions,       EngagementType::engagements,
    EngagementType::favorites,         EngagementType::retweets,
    EngagementType::replies,           EngagementType::video_views,
    EngagementType::media_views,       EngagementType::media_engagements,
    EngagementType::url_clicks,        EngagementType::hashtag_clicks,
    EngagementType::detail_expands,    EngagementType::permalink_clicks,
    EngagementType::app_install_attempts, EngagementType::app_opens,
    EngagementType::email_tweet,       EngagementType::user_follows,
    EngagementType::user_profile_clicks,
};

std::string_view to_string(EngagementType type);
// Exact, case-sensitive names only. The legacy alias `media_clicks` is not accepted here; see
// parse_engagement_type_or_alias.
std::optional<EngagementType> parse_engagement_type(std::string_view name);
// Also maps the pre-2017 name `media_clicks` to media_engagements (the simulator's documented
// choice for spec §2's UNCONFIRMED legacy name).
std::optional<EngagementType> parse_engagement_type_or_alias(std::string_view name);

bool served_by_totals(EngagementType type);
bool served_by_time_series(EngagementType type);
bool is_public(EngagementType type);
// impressions and engagements: only for Posts at most 90 days old on /totals.
bool is_impressions_or_engagements(EngagementType type);

constexpr std::size_t index_of(EngagementType type) { return static_cast<std::size_t>(type); }

}  // namespace xee::wire

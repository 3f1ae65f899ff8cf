#include "wire/engagement_types.h"

#include <algorithm>

namespace xee::wire {
namespace {

constexpr std::array<std::string_view, kEngagementTypeCount> kNames{
    "impressions",      "engagements",       "favorites",        "retweets",
    "quote_tweets",     "replies",           "video_views",      "media_views",
    "media_engagements", "url_clicks",        "hashtag_clicks",   "detail_expands",
    "permalink_clicks", "app_install_attempts", "app_opens",      "email_tweet",
    "user_follows",     "user_profile_clicks",
};

template <std::size_t N>
bool contains(const std::array<EngagementType, N>& set, EngagementType type) {
  return std::find(set.begin(), set.end(), type) != set.end();
}

}  // namespace

std::string_view to_string(EngagementType type) { return kNames[index_of(type)]; }

std::optional<EngagementType> parse_engagement_type(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<EngagementType>(i);
  }
  return std::nullopt;
}

std::optional<EngagementType> parse_engagement_type_or_alias(std::string_view name) {
  if (name == "media_clicks") return EngagementType::media_engagements;
  return parse_engagement_type(name);
}

bool served_by_totals(EngagementType type) { return contains(kTotalsTypes, type); }
bool served_by_time_series(EngagementType type) { return contains(kTimeSeriesTypes, type); }
bool is_public(EngagementType type) { return contains(kPublicTypes, type); }
bool is_impressions_or_engagements(EngagementType type) {
  return type == EngagementType::impressions || type == EngagementType::engagements;
}

}  // namespace xee::wire

#pragma once
// Paths, limits and message texts of X's Engagement API, v2 recent search and OAuth 2 token
// endpoint (spec §1, §4, §8). Client and simulator both read them from here, so the wire format
// lives in one place. Texts the spec marks UNCONFIRMED are the simulator's documented choices.

#include <chrono>
#include <cstddef>
#include <string_view>

namespace xee::wire {

// Paths; the host differs (data-api.x.com / api.x.com, or the simulator's address).
inline constexpr std::string_view kTotalsPath = "/insights/engagement/totals";
inline constexpr std::string_view k28hrPath = "/insights/engagement/28hr";
inline constexpr std::string_view kHistoricalPath = "/insights/engagement/historical";
inline constexpr std::string_view kRecentSearchPath = "/2/tweets/search/recent";
inline constexpr std::string_view kOAuth2TokenPath = "/oauth2/token";

enum class Endpoint { totals, hr28, historical, recent_search, oauth2_token };
// The label value used in metrics and logs: "totals", "28hr", "historical", "search", "token".
std::string_view endpoint_name(Endpoint endpoint);

// Per-request limits.
inline constexpr std::size_t kTotalsMaxIds = 250;
inline constexpr std::size_t kTimeSeriesMaxIds = 25;  // /28hr and /historical
inline constexpr std::size_t kMaxGroupings = 3;
inline constexpr std::size_t kSearchMinResults = 10;
inline constexpr std::size_t kSearchMaxResults = 100;
inline constexpr std::size_t kSearchMaxQueryLength = 4096;  // enterprise; self-serve is 512

// Age rules on /totals, by the Post's creation time (from its snowflake ID).
inline constexpr std::chrono::days kImpressionsMaxAge{90};
inline constexpr std::chrono::days kVideoViewsMaxAge{1800};

// /historical window rules.
inline constexpr std::chrono::days kHistoricalMaxWindow{28};
// 2014-09-01T00:00:00Z as unix seconds: the earliest start the API reference allows.
inline constexpr std::chrono::sys_seconds kHistoricalEarliestStart{std::chrono::seconds{1409529600}};
// favorites, replies and retweets read zero before 2015-09-15T00:00:00Z.
inline constexpr std::chrono::sys_seconds kPublicMetricsHistoryStart{std::chrono::seconds{1442275200}};

// v2 recent search covers the last 7 days; end_time defaults to now - 30 s.
inline constexpr std::chrono::days kSearchWindow{7};
inline constexpr std::chrono::seconds kSearchDefaultEndLag{30};
// Search rate limit per app (Bearer) per 15-minute window.
inline constexpr int kSearchRequestsPerWindow = 450;
inline constexpr std::chrono::minutes kSearchRateWindow{15};

// Grouping keys.
inline constexpr std::string_view kGroupByTweetId = "tweet.id";
inline constexpr std::string_view kGroupByType = "engagement.type";
inline constexpr std::string_view kGroupByDay = "engagement.day";
inline constexpr std::string_view kGroupByHour = "engagement.hour";

// Top-level response fields.
inline constexpr std::string_view kFieldErrors = "errors";
inline constexpr std::string_view kFieldUnavailable = "unavailable_tweet_ids";
inline constexpr std::string_view kFieldUnsupportedImpressions =
    "unsupported_for_impressions_engagements_tweet_ids";
inline constexpr std::string_view kFieldUnsupportedVideoViews = "unsupported_for_video_views_tweet_ids";

// Error texts (spec §4.2). Prefixes are what clients match on.
inline constexpr std::string_view kForbiddenTweetsPrefix = "Forbidden to access tweets: ";
inline constexpr std::string_view kForbiddenMetricsPrefix = "Forbidden to access metrics: ";
inline constexpr std::string_view kGzipRequiredMessage =
    "This request requires gzip compression. Retry the request after setting 'Accept-Encoding' "
    "header in the request to 'gzip'.";
inline constexpr std::string_view kAccessTokenNotFound =
    "Your account could not be authenticated. Reason: Access token not found";
inline constexpr std::string_view kUnknownAuthorizationType =
    "Your account could not be authenticated. Reason: Unknown Authorization Type";
inline constexpr std::string_view kRateLimitExceeded = "Exceeded rate limit";
inline constexpr std::string_view kInternalServerError = "internal server error";

// Rate-limit response headers (lower case, as clients compare them).
inline constexpr std::string_view kHeaderMinuteLimit = "x-per-minute-limit";
inline constexpr std::string_view kHeaderMinuteRemaining = "x-per-minute-remaining";
inline constexpr std::string_view kHeaderMinuteReset = "x-per-minute-reset";
inline constexpr std::string_view kHeaderSecondLimit = "x-per-second-limit";
inline constexpr std::string_view kHeaderSecondRemaining = "x-per-second-remaining";
inline constexpr std::string_view kHeaderSecondReset = "x-per-second-reset";
inline constexpr std::string_view kHeaderRateLimit = "x-rate-limit-limit";
inline constexpr std::string_view kHeaderRateRemaining = "x-rate-limit-remaining";
inline constexpr std::string_view kHeaderRateReset = "x-rate-limit-reset";

}  // namespace xee::wire

#pragma once
// What a collector may ask X's Engagement API, as values: the seam between collectors (which
// decide what to ask and when, and handle pacing, retries and stripping) and the HTTP client
// (which makes exactly one signed HTTP exchange per call and decodes it).

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <variant>
#include <vector>

#include "wire/api_limits.h"
#include "wire/engagement_types.h"
#include "wire/oauth.h"
#include "wire/snowflake.h"

namespace xee::collectors {

using wire::EngagementType;
using wire::PostId;

// App-only auth: the five public /totals metrics of any public Post.
struct BearerAuth {
  std::string token;
};
// App-only OAuth 1.0a: signed with the App's consumer key and secret alone (no oauth_token), which
// X's API reference allows for the same public /totals metrics ("your consumer key and secret, or
// a bearer token"). credentials.token and token_secret stay empty.
struct AppOAuth {
  wire::oauth::Credentials credentials;
};
// User context: the owning account's tokens, for owned Posts' full metrics.
struct UserAuth {
  std::string account;  // handle, for logs and metrics only
  wire::oauth::Credentials credentials;
};
using Auth = std::variant<BearerAuth, UserAuth, AppOAuth>;
// How public metrics are asked: the Bearer token, or consumer-key-only OAuth 1.0a.
using PublicAuth = std::variant<BearerAuth, AppOAuth>;
// For logs: "app bearer token" or "app consumer key (OAuth 1.0a)".
std::string_view describe(const PublicAuth& auth);

// Engagement types X answered that were not asked for (X's own /totals example answers
// quote_tweets it was not asked), by the name X used, with the Posts that carried each. They are
// ignored, never turned into values; the exporter counts and logs them.
using UnrequestedTypes = std::map<std::string, std::vector<PostId>, std::less<>>;

// Rate-limit headers of one response; a field is empty when its header was absent or malformed.
struct RateLimitHeaders {
  std::optional<std::int64_t> minute_limit;
  std::optional<std::int64_t> minute_remaining;
  std::optional<std::int64_t> minute_reset_unix;
  std::optional<std::int64_t> second_limit;
  std::optional<std::int64_t> second_remaining;
  std::optional<std::int64_t> second_reset_unix;
  // v2 search's x-rate-limit-limit/-remaining/-reset (a 15-minute window per app).
  std::optional<std::int64_t> window_limit;
  std::optional<std::int64_t> window_remaining;
  std::optional<std::int64_t> window_reset_unix;
};

// Values of one Post, indexed by wire::index_of(type); `present` has bit index_of(type) set for
// every type the response carried.
struct EngagementValues {
  std::uint32_t present = 0;
  std::array<std::uint64_t, wire::kEngagementTypeCount> values{};

  bool has(EngagementType type) const { return (present >> wire::index_of(type)) & 1u; }
  std::uint64_t value(EngagementType type) const { return values[wire::index_of(type)]; }
  void set(EngagementType type, std::uint64_t v) {
    values[wire::index_of(type)] = v;
    present |= 1u << wire::index_of(type);
  }
  bool operator==(const EngagementValues&) const = default;
};

struct TotalsRequest {
  std::vector<PostId> post_ids;  // at most wire::kTotalsMaxIds
  std::vector<EngagementType> types;
  Auth auth;
};

struct TotalsResponse {
  std::vector<std::pair<PostId, EngagementValues>> posts;
  std::vector<PostId> unavailable;
  std::vector<PostId> unsupported_impressions;
  std::vector<PostId> unsupported_video_views;
  // Named by "Forbidden to access tweets" in a 200's errors (X's partial-result variant): X left
  // them out, and any values it gave them anyway are dropped.
  std::vector<PostId> forbidden;
  std::vector<std::string> errors;  // messages of a partial success
};

enum class FailureKind {
  network,          // no HTTP response: connect error, timeout, reset
  rate_limited,     // 429
  server,           // 5xx
  forbidden_posts,  // a 4xx (403, or 400 and others) naming "Forbidden to access tweets: …"
  auth,             // 401, other 403s
  bad_request,      // 400, 404, 406 and other 4xx
  decode,           // a 2xx whose body is malformed, truncated or of an unexpected shape
};

struct ApiFailure {
  FailureKind kind = FailureKind::network;
  // One line naming the endpoint and what was wrong, e.g.
  // "totals: HTTP 503: internal server error" or "totals: invalid JSON at offset 17: …".
  std::string message;
  std::vector<PostId> forbidden_post_ids;  // forbidden_posts only
};

// Everything about one HTTP exchange besides its payload, for telemetry and pacing.
struct ApiExchange {
  wire::Endpoint endpoint = wire::Endpoint::totals;
  long http_status = 0;  // 0 when no response arrived
  RateLimitHeaders rate_limit;
  std::chrono::milliseconds duration{0};
  UnrequestedTypes unrequested_types;  // of a decoded 2xx body
};

template <typename T>
struct ApiResult {
  ApiExchange exchange;
  tl::expected<T, ApiFailure> value;
};

// /28hr and /historical: owned Posts only, with their owner's tokens, grouped by tweet.id,
// engagement.type, engagement.day, engagement.hour.
struct TimeSeriesRequest {
  std::vector<PostId> post_ids;       // at most wire::kTimeSeriesMaxIds, all owned by auth.account
  std::vector<EngagementType> types;  // any of wire::kTimeSeriesTypes
  UserAuth auth;
  // /historical only: the window asked for (X widens it to whole hours). Both unset: X's default,
  // the 4 weeks before now. Ignored by /28hr.
  std::optional<std::chrono::sys_seconds> start;
  std::optional<std::chrono::sys_seconds> end;
};

// One Post's count of one type within one hour [hour, hour + 1h).
struct HourlyCount {
  PostId post_id = 0;
  EngagementType type = EngagementType::impressions;
  std::chrono::sys_seconds hour;
  std::uint64_t value = 0;
  bool operator==(const HourlyCount&) const = default;
};

struct TimeSeriesResponse {
  // The window X used (its `start`/`end` fields).
  std::chrono::sys_seconds start;
  std::chrono::sys_seconds end;
  // Sorted by post_id, then type (enum order), then hour; every hour X listed, zeros included.
  std::vector<HourlyCount> counts;
  std::vector<PostId> unavailable;
  std::vector<PostId> forbidden;    // as TotalsResponse::forbidden
  std::vector<std::string> errors;  // messages of a partial success
};

class EngagementApi {
 public:
  virtual ~EngagementApi() = default;
  // POST /insights/engagement/totals, grouped by tweet.id and engagement.type.
  virtual ApiResult<TotalsResponse> totals(const TotalsRequest& request) = 0;
  // POST /insights/engagement/28hr: the last 28 hours, hour by hour.
  virtual ApiResult<TimeSeriesResponse> last_28_hours(const TimeSeriesRequest& request);
  // POST /insights/engagement/historical: any window of at most 28 days since 2014-09-01.
  virtual ApiResult<TimeSeriesResponse> historical(const TimeSeriesRequest& request);
};

}  // namespace xee::collectors

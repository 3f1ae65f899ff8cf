#pragma once
// The Engagement API's bodies as bytes <-> values: pure functions, no I/O. Decoding is strict
// inside the data X returns (a wrong number must never reach Prometheus) and names the endpoint,
// Post ID and engagement type of whatever it rejects.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/engagement_api.h"
#include "common/result.h"

namespace xee::collectors::client {

// The name of the one grouping the client asks /totals for; X echoes it as a top-level key.
inline constexpr std::string_view kPerPostGrouping = "per_post";

// {"tweet_ids":["…"],"engagement_types":[…],"groupings":{"per_post":{"group_by":["tweet.id",
// "engagement.type"]}}}. IDs are strings, as the spec asks (JSON numbers lose precision in
// JavaScript-based servers above 2^53).
std::string encode_totals_request(std::span<const PostId> post_ids,
                                  std::span<const EngagementType> types);

// A /totals 200 body. Every Post in the grouping must be one of `requested_ids`; values must be
// non-negative integers. A type that is not one of `requested_types` (or not a type this client
// knows) is skipped and noted in `unrequested` when given, never a failure: X's own /totals
// example answers quote_tweets it was not asked. Top-level fields other than the grouping and the
// documented arrays (e.g. start/end, which one /totals example shows) are ignored so a new field
// from X does not stop collection. A missing grouping means no values: X leaves it out when every
// ID is unavailable. "Forbidden to access tweets" in `errors` (X's partial-result variant) fills
// `forbidden`, and values given for those Posts anyway are dropped.
Result<TotalsResponse> decode_totals_response(std::string_view body,
                                              std::span<const PostId> requested_ids,
                                              std::span<const EngagementType> requested_types,
                                              UnrequestedTypes* unrequested = nullptr);

// The name of the one grouping the client asks /28hr and /historical for.
inline constexpr std::string_view kHourlyGrouping = "hourly";

// The /28hr and /historical body: IDs as strings, `types`, one grouping kHourlyGrouping by
// tweet.id, engagement.type, engagement.day, engagement.hour, and `start`/`end` as
// YYYY-MM-DDTHH:MM:SSZ when given (only /historical reads them; /28hr callers pass neither).
std::string encode_time_series_request(std::span<const PostId> post_ids,
                                       std::span<const EngagementType> types,
                                       std::optional<std::chrono::sys_seconds> start = std::nullopt,
                                       std::optional<std::chrono::sys_seconds> end = std::nullopt);

// A /28hr or /historical 200 body, strictly: `start` and `end` are required ISO-8601 times with
// start < end; under the grouping every Post must be one of `requested_ids`, day keys
// "YYYY-MM-DD", hour keys "00"…"23", each hour starting inside [floor_hour(start), end) and
// listed once; values as for /totals. Types not in `requested_types` are skipped and noted, and
// forbidden Posts handled, as for /totals. Messages name the endpoint, Post, type, day and hour.
// The counts come back sorted as TimeSeriesResponse says. A missing grouping means no values
// (every ID unavailable); unknown top-level fields are ignored.
// UNCONFIRMED (spec §1.3): X's `end` may fall inside an hour when it defaulted to "now"; the hour
// it falls in is accepted, and `start`/`end` are kept as sent. Whether X lists hours before a
// Post's creation is not documented either; whatever hours it lists are returned.
Result<TimeSeriesResponse> decode_time_series_response(
    std::string_view body, wire::Endpoint endpoint, std::span<const PostId> requested_ids,
    std::span<const EngagementType> requested_types, UnrequestedTypes* unrequested = nullptr);

// The messages of an error body {"errors":["…", …]} (objects with a "message" field are accepted
// too). `endpoint` prefixes failure messages. Fails when the body is not of that shape.
Result<std::vector<std::string>> decode_error_messages(std::string_view body,
                                                       wire::Endpoint endpoint);

// The access token of a POST /oauth2/token 200 body {"token_type":"bearer","access_token":"…"}.
// Failure messages never contain the token.
Result<std::string> decode_bearer_token_response(std::string_view body);

// "Forbidden to access tweets: <id>, <id>" or the older
// "Forbidden to access tweets for author id <uid>: <id>, <id>".
bool is_forbidden_posts_message(std::string_view message);
// The Post IDs of one such message; fails when it is not one or an ID is malformed.
Result<std::vector<PostId>> parse_forbidden_post_ids(std::string_view message);
// The Post IDs of every forbidden message among `messages` (X sends one per author in the older
// form), in order; other messages are skipped. Fails when a forbidden message is malformed.
Result<std::vector<PostId>> forbidden_post_ids(std::span<const std::string> messages);

}  // namespace xee::collectors::client

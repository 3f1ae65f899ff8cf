#pragma once
// The Engagement API's bodies as bytes <-> values: pure functions, no I/O. Decoding is strict
// inside the data X returns (a wrong number must never reach Prometheus) and names the endpoint,
// Post ID and engagement type of whatever it rejects.

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

// A /totals 200 body. Every Post in the grouping must be one of `requested_ids` and every type
// one of `requested_types`; values must be non-negative integers. Top-level fields other than the
// grouping and the documented arrays (e.g. start/end, which one /totals example shows) are
// ignored so a new field from X does not stop collection. A missing grouping means no values:
// X leaves it out when every ID is unavailable.
Result<TotalsResponse> decode_totals_response(std::string_view body,
                                              std::span<const PostId> requested_ids,
                                              std::span<const EngagementType> requested_types);

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

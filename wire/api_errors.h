#pragma once
// Error texts of X's Engagement API, v2 recent search and OAuth 2 token endpoint that are built
// from parts (counts, IDs, dates) or that the spec leaves UNCONFIRMED (spec §4.2, §5, §8). The
// simulator answers with them and clients may match on them, so they live beside api_limits.h.
// Where X's wording is unknown the text follows the spec's suggestion; simulator/README.md lists
// each such choice.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "wire/api_limits.h"

namespace xee::wire {

// --- Engagement API: `{"errors":["…"]}` strings -------------------------------------------

// Authentication failures share X's documented prefix; the two documented reasons are in
// api_limits.h (kAccessTokenNotFound, kUnknownAuthorizationType).
inline constexpr std::string_view kAuthFailedPrefix =
    "Your account could not be authenticated. Reason: ";
inline constexpr std::string_view kReasonInvalidConsumerKey = "Invalid consumer key";
inline constexpr std::string_view kReasonInvalidSignature = "Invalid signature";
inline constexpr std::string_view kReasonTimestampOutOfBounds = "Timestamp out of bounds";
inline constexpr std::string_view kReasonNonceUsed = "Nonce already used";
inline constexpr std::string_view kReasonBodyHashMismatch = "Body hash does not match the body";
inline constexpr std::string_view kReasonMalformedHeader = "Malformed OAuth header";
// OAuth 1.0a with the consumer key and secret only (no oauth_token) where X needs a Post owner's
// tokens: /28hr, /historical (and search). X's text for this is not documented.
inline constexpr std::string_view kReasonUserContextRequired =
    "Application-only OAuth (no oauth_token) is not supported on this endpoint; sign with the "
    "Post owner's access token";

inline std::string auth_failed_message(std::string_view reason) {
  return std::string(kAuthFailedPrefix) + std::string(reason);
}

// "3 Tweet ID(s) are unavailable" (documented, 200 partial).
inline std::string unavailable_message(std::size_t count) {
  return std::to_string(count) + " Tweet ID(s) are unavailable";
}

// Documented as "… older than 90 days (<period>) are not supported"; the period shown here is
// the creation-time cutoff, e.g. "(created before 2026-08-22T00:00:00Z)".
inline std::string impressions_unsupported_message(std::string_view cutoff_iso8601) {
  return "Impressions & engagements for tweets older than 90 days (created before " +
         std::string(cutoff_iso8601) + ") are not supported";
}

// Documented for a time grouping on /totals; also used for any group_by value that is not one of
// the four (values are case-sensitive). `values` are joined with ", ".
inline std::string unsupported_group_by_message(const std::vector<std::string>& values) {
  std::string joined;
  for (const auto& value : values) joined += (joined.empty() ? "" : ", ") + value;
  return "One or more of the groupBys you have specified are not supported: (" + joined +
         "). Please adjust your request and try again.";
}

// Joins IDs or names with ", " after a documented prefix ("Forbidden to access tweets: 1, 2").
inline std::string join_after_prefix(std::string_view prefix,
                                     const std::vector<std::string>& items) {
  std::string text(prefix);
  for (std::size_t i = 0; i < items.size(); ++i) text += (i == 0 ? "" : ", ") + items[i];
  return text;
}

inline std::string too_many_tweet_ids_message(std::size_t max) {
  return "Request contains too many tweet IDs (max " + std::to_string(max) + ")";
}
inline std::string too_many_groupings_message(std::size_t max) {
  return "Request contains too many groupings (max " + std::to_string(max) + ")";
}
inline constexpr std::string_view kInvalidFourLevelOrder =
    "Invalid 4-level group_by order: only [tweet.id, engagement.type, engagement.day, "
    "engagement.hour] and [engagement.type, tweet.id, engagement.day, engagement.hour] are "
    "supported";
inline constexpr std::string_view kTooManyFourLevelGroupings =
    "Only one grouping with 4 group_by levels is allowed per request";
inline std::string unsupported_engagement_type_message(std::string_view name) {
  return "Unsupported engagement type: " + std::string(name);
}
inline std::string historical_window_too_long_message(std::string_view start,
                                                      std::string_view end) {
  return "The requested time window (" + std::string(start) + " to " + std::string(end) +
         ") is longer than 28 days";
}
inline std::string historical_start_too_early_message(std::string_view start,
                                                      std::string_view earliest) {
  return "start " + std::string(start) + " is before the earliest supported start " +
         std::string(earliest);
}
inline std::string historical_end_in_future_message(std::string_view end) {
  return "end " + std::string(end) + " is in the future";
}
inline std::string historical_start_after_end_message(std::string_view start,
                                                      std::string_view end) {
  return "start " + std::string(start) + " must be before end " + std::string(end);
}

// --- OAuth 2 token endpoint: X's v1.1 error objects ---------------------------------------
inline constexpr std::string_view kTokenBadCredentialsBody =
    R"({"errors":[{"code":99,"message":"Unable to verify your credentials","label":"authenticity_token_error"}]})";
inline constexpr std::string_view kTokenMissingGrantTypeBody =
    R"({"errors":[{"code":170,"message":"Missing required parameter: grant_type","label":"forbidden_missing_parameter"}]})";

// --- v2 recent search: RFC 7807 problem bodies (spec §8) -----------------------------------
inline constexpr std::string_view kProblemInvalidRequestTitle = "Invalid Request";
inline constexpr std::string_view kProblemInvalidRequestDetail =
    "One or more parameters to your request was invalid.";
inline constexpr std::string_view kProblemInvalidRequestType =
    "https://api.x.com/2/problems/invalid-request";
inline constexpr std::string_view kProblemUnauthorizedBody =
    R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})";
inline constexpr std::string_view kProblemTooManyRequestsBody =
    R"({"title":"Too Many Requests","type":"about:blank","status":429,"detail":"Too Many Requests"})";

// "The `max_results` query parameter value [5] is not between 10 and 100" (observed text).
inline std::string search_max_results_message(std::string_view value) {
  return "The `max_results` query parameter value [" + std::string(value) + "] is not between " +
         std::to_string(kSearchMinResults) + " and " + std::to_string(kSearchMaxResults);
}

}  // namespace xee::wire

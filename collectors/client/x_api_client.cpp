#include "collectors/client/x_api_client.h"

#include <charconv>
#include <chrono>
#include <span>
#include <type_traits>
#include <utility>

#include "collectors/client/engagement_codec.h"
#include "collectors/client/exchange.h"
#include "common/time_format.h"

namespace xee::collectors::client {
namespace {

// X's messages from an {"errors":[…]} body, or the raw body when it is not of that shape.
std::string error_text(std::string_view body, const Result<std::vector<std::string>>& messages) {
  if (messages && !messages->empty()) {
    std::string joined;
    for (const std::string& message : *messages) {
      if (!joined.empty()) joined += "; ";
      joined += message;
    }
    return one_line(joined);
  }
  if (body.empty()) return "(empty body)";
  return one_line(body);
}

// By status (failure_kind_for_status), except that a 4xx naming forbidden Posts lets the
// collector strip them: the spec documents 403, X's API reference lists no 403 at all, and X's
// Ruby sample client matches the `errors` text whatever the status, so the text decides. 429 and
// 5xx keep their own handling. Redirects are not followed (a moved API is a configuration
// problem).
ApiFailure failure_for_status(wire::Endpoint endpoint, long status, std::string_view body) {
  const auto messages = decode_error_messages(body, endpoint);
  const std::string message = std::string(wire::endpoint_name(endpoint)) + ": HTTP " +
                              std::to_string(status) + ": " + error_text(body, messages);
  if (status >= 400 && status < 500 && status != 429 && messages) {
    // A malformed forbidden message leaves nothing to strip, so it counts as a plain auth error.
    auto forbidden = forbidden_post_ids(*messages);
    if (forbidden && !forbidden->empty()) {
      return {FailureKind::forbidden_posts, message, std::move(*forbidden)};
    }
  }
  return {failure_kind_for_status(status), message, {}};
}

// What is wrong with a batch before it is sent, if anything: X would refuse it with a 400.
std::optional<std::string> batch_problem(std::span<const PostId> post_ids, std::size_t max_ids,
                                         std::span<const EngagementType> types,
                                         bool (*served)(EngagementType),
                                         std::string_view served_by) {
  if (post_ids.empty()) return "no Post IDs to ask for";
  if (post_ids.size() > max_ids) {
    return std::to_string(post_ids.size()) + " Post IDs exceed the limit of " +
           std::to_string(max_ids) + " per request";
  }
  if (types.empty()) return "no engagement types to ask for";
  for (const EngagementType type : types) {
    if (!served(type)) {
      return "engagement type " + std::string(wire::to_string(type)) + " is not served by " +
             std::string(served_by);
    }
  }
  return std::nullopt;
}

std::optional<std::string> totals_request_problem(const TotalsRequest& request) {
  return batch_problem(request.post_ids, wire::kTotalsMaxIds, request.types,
                       &wire::served_by_totals, "/totals");
}

std::optional<std::string> time_series_request_problem(
    const TimeSeriesRequest& request, std::optional<std::chrono::sys_seconds> start,
    std::optional<std::chrono::sys_seconds> end) {
  if (auto problem = batch_problem(request.post_ids, wire::kTimeSeriesMaxIds, request.types,
                                   &wire::served_by_time_series, "/28hr and /historical")) {
    return problem;
  }
  // Without the owner's token there is no user context, only the app's, which X refuses here.
  if (request.auth.credentials.token.empty() || request.auth.credentials.token_secret.empty()) {
    return "user-context access token and secret of account \"" + request.auth.account +
           "\" are required (app-only Bearer auth is not accepted)";
  }
  if (start && end && *start >= *end) {
    return "start " + common::format_iso8601(*start) + " is not before end " +
           common::format_iso8601(*end);
  }
  return std::nullopt;
}

std::optional<std::int64_t> header_count(const HttpHeaders& headers, std::string_view name) {
  const auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  const std::string& text = it->second;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

XApiClient::XApiClient(HttpTransport& transport, std::string base_url, const common::Clock& clock,
                       NonceSource make_nonce)
    : transport_(transport),
      base_url_(trim_trailing_slashes(std::move(base_url))),
      clock_(clock),
      make_nonce_(std::move(make_nonce)) {}

HttpRequest XApiClient::signed_post(std::string_view path, std::string body,
                                    const Auth& auth) const {
  HttpRequest request;
  request.method = "POST";
  request.url = base_url_ + std::string(path);
  std::string authorization;
  if (const auto* bearer = std::get_if<BearerAuth>(&auth)) {
    authorization = "Bearer " + bearer->token;
  } else {
    const wire::oauth::Credentials& credentials = std::holds_alternative<UserAuth>(auth)
                                                      ? std::get<UserAuth>(auth).credentials
                                                      : std::get<AppOAuth>(auth).credentials;
    const auto timestamp =
        std::chrono::floor<std::chrono::seconds>(clock_.now()).time_since_epoch().count();
    // The JSON body is deliberately not signed (spec §5.1: RFC 5849 signs only form bodies). App
    // OAuth's empty token leaves oauth_token out.
    authorization = wire::oauth::authorization_header(request.method, request.url, credentials,
                                                      make_nonce_(), timestamp);
  }
  request.headers = {{"Authorization", std::move(authorization)},
                     {"Content-Type", "application/json"},
                     {"Accept-Encoding", "gzip"}};
  request.body = std::move(body);
  return request;
}

ApiResult<TotalsResponse> XApiClient::totals(const TotalsRequest& request) {
  if (auto problem = totals_request_problem(request)) {
    return rejected_before_sending<TotalsResponse>(wire::Endpoint::totals, *problem);
  }
  const HttpRequest http = signed_post(
      wire::kTotalsPath, encode_totals_request(request.post_ids, request.types), request.auth);
  UnrequestedTypes unrequested;
  auto result = exchange(
      transport_, wire::Endpoint::totals, http, &failure_for_status, [&](std::string_view body) {
        return decode_totals_response(body, request.post_ids, request.types, &unrequested);
      });
  if (result.value) result.exchange.unrequested_types = std::move(unrequested);
  return result;
}

ApiResult<TimeSeriesResponse> XApiClient::last_28_hours(const TimeSeriesRequest& request) {
  // /28hr always covers the hours before the request; a window would only be ignored by X.
  return time_series(wire::Endpoint::hr28, wire::k28hrPath, request, std::nullopt, std::nullopt);
}

ApiResult<TimeSeriesResponse> XApiClient::historical(const TimeSeriesRequest& request) {
  return time_series(wire::Endpoint::historical, wire::kHistoricalPath, request, request.start,
                     request.end);
}

ApiResult<TimeSeriesResponse> XApiClient::time_series(wire::Endpoint endpoint,
                                                      std::string_view path,
                                                      const TimeSeriesRequest& request,
                                                      std::optional<std::chrono::sys_seconds> start,
                                                      std::optional<std::chrono::sys_seconds> end) {
  if (auto problem = time_series_request_problem(request, start, end)) {
    return rejected_before_sending<TimeSeriesResponse>(endpoint, *problem);
  }
  const HttpRequest http =
      signed_post(path, encode_time_series_request(request.post_ids, request.types, start, end),
                  Auth{request.auth});
  UnrequestedTypes unrequested;
  auto result =
      exchange(transport_, endpoint, http, &failure_for_status, [&](std::string_view body) {
        return decode_time_series_response(body, endpoint, request.post_ids, request.types,
                                           &unrequested);
      });
  if (result.value) result.exchange.unrequested_types = std::move(unrequested);
  return result;
}

RateLimitHeaders parse_rate_limit_headers(const HttpHeaders& headers) {
  return RateLimitHeaders{
      .minute_limit = header_count(headers, wire::kHeaderMinuteLimit),
      .minute_remaining = header_count(headers, wire::kHeaderMinuteRemaining),
      .minute_reset_unix = header_count(headers, wire::kHeaderMinuteReset),
      .second_limit = header_count(headers, wire::kHeaderSecondLimit),
      .second_remaining = header_count(headers, wire::kHeaderSecondRemaining),
      .second_reset_unix = header_count(headers, wire::kHeaderSecondReset),
      .window_limit = header_count(headers, wire::kHeaderRateLimit),
      .window_remaining = header_count(headers, wire::kHeaderRateRemaining),
      .window_reset_unix = header_count(headers, wire::kHeaderRateReset),
  };
}

Result<std::string> fetch_bearer_token(HttpTransport& transport, std::string_view token_url,
                                       std::string_view consumer_key,
                                       std::string_view consumer_secret) {
  using wire::oauth::percent_encode;
  HttpRequest request;
  request.method = "POST";
  request.url = std::string(token_url);
  request.headers = {
      {"Authorization", "Basic " + wire::oauth::base64_encode(percent_encode(consumer_key) + ":" +
                                                              percent_encode(consumer_secret))},
      {"Content-Type", "application/x-www-form-urlencoded;charset=UTF-8"},
      {"Accept-Encoding", "gzip"}};
  request.body = "grant_type=client_credentials";
  auto result = exchange(transport, wire::Endpoint::oauth2_token, request, &failure_for_status,
                         [](std::string_view body) { return decode_bearer_token_response(body); });
  if (!result.value) return fail(std::move(result.value.error().message));
  return std::move(*result.value);
}

}  // namespace xee::collectors::client

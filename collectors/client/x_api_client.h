#pragma once
// EngagementApi over real HTTP: builds and signs one request per call, sends it through an
// HttpTransport and maps the answer to an ApiResult. No retries, sleeping or pacing here; those
// are the collectors' policy, made from the FailureKind and rate-limit headers returned.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/client/http_transport.h"
#include "collectors/engagement_api.h"
#include "common/clock.h"
#include "common/result.h"

namespace xee::collectors::client {

// Produces the oauth_nonce of each signed request; tests inject a fixed one.
using NonceSource = std::function<std::string()>;

class XApiClient final : public EngagementApi {
 public:
  // `base_url` is scheme://host[:port] without a trailing path ("https://data-api.x.com", or the
  // simulator's "http://127.0.0.1:10880"). `clock` supplies oauth_timestamp, which X checks
  // against its own time, so production passes the wall clock. All references must outlive the
  // client.
  XApiClient(HttpTransport& transport, std::string base_url, const common::Clock& clock,
             NonceSource make_nonce = &wire::oauth::make_nonce);

  // A request with no IDs, more than wire::kTotalsMaxIds, no types or a type /totals does not
  // serve fails as bad_request without being sent (http_status 0).
  ApiResult<TotalsResponse> totals(const TotalsRequest& request) override;

  // /28hr and /historical with the owner's user-context tokens. A request with no IDs, more than
  // wire::kTimeSeriesMaxIds, no types, a type outside wire::kTimeSeriesTypes, an empty access
  // token or token secret (app-only auth, which X refuses here), or (historical) start not before
  // end fails as bad_request without being sent (http_status 0). last_28_hours ignores
  // start/end; historical sends those that are set.
  ApiResult<TimeSeriesResponse> last_28_hours(const TimeSeriesRequest& request) override;
  ApiResult<TimeSeriesResponse> historical(const TimeSeriesRequest& request) override;

 private:
  HttpRequest signed_post(std::string_view path, std::string body, const Auth& auth) const;
  ApiResult<TimeSeriesResponse> time_series(wire::Endpoint endpoint, std::string_view path,
                                            const TimeSeriesRequest& request,
                                            std::optional<std::chrono::sys_seconds> start,
                                            std::optional<std::chrono::sys_seconds> end);

  HttpTransport& transport_;
  std::string base_url_;
  const common::Clock& clock_;
  NonceSource make_nonce_;
};

// x-per-minute-*, x-per-second-* and x-rate-limit-* (search) headers; a field stays empty when its header is missing or
// not a non-negative integer. The *-reset values are read as unix seconds, as [C-BJ] does (the
// spec marks the reset and per-second names UNCONFIRMED).
RateLimitHeaders parse_rate_limit_headers(const HttpHeaders& headers);

// OAuth 2.0 app-only token (spec §5.2): POST `token_url` (e.g. "https://api.x.com/oauth2/token")
// with the consumer key and secret as Basic credentials. Returns the access token; messages name
// the endpoint, status and X's error text, never a key, secret or token.
Result<std::string> fetch_bearer_token(HttpTransport& transport, std::string_view token_url,
                                       std::string_view consumer_key,
                                       std::string_view consumer_secret);

}  // namespace xee::collectors::client

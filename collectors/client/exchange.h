#pragma once
// One HTTP exchange with X, as every endpoint client makes it: timed, its rate-limit headers read,
// its status mapped to a FailureKind the same way for every endpoint, and a 2xx body decoded by
// the endpoint's codec. Only the wording of a failed status differs per API family (the
// Engagement API's {"errors":[…]} vs v2's RFC 7807 problems), so that is passed in.

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "collectors/client/http_transport.h"
#include "collectors/engagement_api.h"
#include "wire/api_limits.h"

namespace xee::collectors::client {

// X's error text goes into one log line and one message; a proxy's HTML error page should not
// flood either. Control characters become spaces, and text beyond `max_length` is cut with "...".
inline constexpr std::size_t kMaxErrorTextLength = 300;
std::string one_line(std::string_view text, std::size_t max_length = kMaxErrorTextLength);

// By status alone: 429 rate_limited, 5xx server, 401/403 auth, anything else (other 4xx, and a 3xx
// since redirects are not followed) bad_request. forbidden_posts needs the body, so the Engagement
// API's mapping refines a 403 itself.
FailureKind failure_kind_for_status(long status);

// The failure for a non-2xx response of `endpoint`.
using StatusFailure = ApiFailure (*)(wire::Endpoint endpoint, long status, std::string_view body);

// Sends `request` and fills `exchange` (endpoint, status, rate-limit headers, duration). Returns
// the body of a 2xx response; no response is a network failure, any other status is
// `failure_for_status`'s.
tl::expected<std::string, ApiFailure> send_request(HttpTransport& transport,
                                                   wire::Endpoint endpoint,
                                                   const HttpRequest& request,
                                                   StatusFailure failure_for_status,
                                                   ApiExchange& exchange);

// send_request, then `decode` (std::string_view -> Result<Payload>) on a 2xx body; a body it
// refuses is a decode failure carrying its message.
template <typename Decode>
auto exchange(HttpTransport& transport, wire::Endpoint endpoint, const HttpRequest& request,
              StatusFailure failure_for_status, Decode decode) {
  using Payload = typename std::invoke_result_t<Decode, std::string_view>::value_type;
  ApiResult<Payload> result;
  auto body = send_request(transport, endpoint, request, failure_for_status, result.exchange);
  if (!body) {
    result.value = tl::unexpected(std::move(body.error()));
    return result;
  }
  auto payload = decode(std::string_view(*body));
  if (payload) {
    result.value = std::move(*payload);
  } else {
    result.value = tl::unexpected(ApiFailure{FailureKind::decode, payload.error().message, {}});
  }
  return result;
}

// A request X would refuse, answered without sending it: bad_request, http_status 0, and a
// message "<endpoint name>: <why>".
template <typename T>
ApiResult<T> rejected_before_sending(wire::Endpoint endpoint, std::string_view why) {
  ApiResult<T> result;
  result.exchange.endpoint = endpoint;
  result.value = tl::unexpected(
      ApiFailure{FailureKind::bad_request,
                 std::string(wire::endpoint_name(endpoint)) + ": " + std::string(why),
                 {}});
  return result;
}

// A configured base URL ("https://api.x.com/") ready for a path to be appended.
std::string trim_trailing_slashes(std::string url);

}  // namespace xee::collectors::client

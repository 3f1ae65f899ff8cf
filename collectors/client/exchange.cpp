#include "collectors/client/exchange.h"

#include <algorithm>
#include <chrono>

#include "collectors/client/x_api_client.h"
#include "common/text.h"

namespace xee::collectors::client {
namespace {

std::string network_message(wire::Endpoint endpoint, const TransportError& error) {
  return std::string(wire::endpoint_name(endpoint)) + ": no response (" +
         std::string(to_string(error.kind)) + "): " + one_line(error.message);
}

}  // namespace

std::string one_line(std::string_view text, std::size_t max_length) {
  std::string line;
  line.reserve(std::min(text.size(), max_length) + 3);
  for (const char c : common::utf8_prefix(text, max_length)) {
    line += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c;
  }
  if (text.size() > max_length) line += "...";
  return line;
}

// A 429 is the only rate-limit signal; [C-RUBY]'s matching of "rate limit" inside other errors
// is not copied, since X documents 429. The spec leaves the status of several auth texts
// UNCONFIRMED (401 or 403), and both mean "fix the credentials".
FailureKind failure_kind_for_status(long status) {
  if (status == 429) return FailureKind::rate_limited;
  if (status >= 500) return FailureKind::server;
  if (status == 401 || status == 403) return FailureKind::auth;
  return FailureKind::bad_request;
}

tl::expected<std::string, ApiFailure> send_request(HttpTransport& transport,
                                                   wire::Endpoint endpoint,
                                                   const HttpRequest& request,
                                                   StatusFailure failure_for_status,
                                                   ApiExchange& exchange) {
  exchange.endpoint = endpoint;
  const auto started = std::chrono::steady_clock::now();
  auto response = transport.send(request);
  exchange.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  if (!response) {
    return tl::unexpected(
        ApiFailure{FailureKind::network, network_message(endpoint, response.error()), {}});
  }
  exchange.http_status = response->status;
  exchange.rate_limit = parse_rate_limit_headers(response->headers);
  if (response->status < 200 || response->status > 299) {
    return tl::unexpected(failure_for_status(endpoint, response->status, response->body));
  }
  return std::move(response->body);
}

std::string trim_trailing_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace xee::collectors::client

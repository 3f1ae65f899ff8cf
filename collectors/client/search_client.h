#pragma once
// SearchApi over real HTTP: one GET /2/tweets/search/recent per call with the app's Bearer token,
// decoded by search_codec.h. Like XApiClient, no retries, sleeping or pacing here; the discovery
// collector decides those from the FailureKind and the x-rate-limit-* headers returned.

#include <string>

#include "collectors/client/http_transport.h"
#include "collectors/search_api.h"

namespace xee::collectors::client {

// The URL query string (no leading '?') for `request`, every value percent-encoded (RFC 3986),
// parameters in this fixed order so requests are reproducible and comparable in tests and logs:
//   query, max_results, since_id (when set) else start_time (when set, "YYYY-MM-DDTHH:MM:SSZ"),
//   next_token (when set), tweet.fields=created_at,author_id, expansions=author_id,
//   user.fields=username.
std::string search_url_query(const SearchRequest& request);

class SearchClient final : public SearchApi {
 public:
  // `base_url` is scheme://host[:port] without a path ("https://api.x.com", or the simulator's
  // "http://127.0.0.1:10880"); a trailing '/' is dropped. `transport` must outlive the client.
  SearchClient(HttpTransport& transport, std::string base_url);

  // A request with an empty query, max_results outside wire::kSearchMinResults..kSearchMaxResults
  // or an empty Bearer token fails as bad_request without being sent (http_status 0).
  ApiResult<SearchPage> search_recent(const SearchRequest& request) override;

 private:
  HttpTransport& transport_;
  std::string base_url_;
};

}  // namespace xee::collectors::client

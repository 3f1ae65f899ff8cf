#include "collectors/client/search_client.h"

#include <optional>
#include <string_view>
#include <utility>

#include "collectors/client/exchange.h"
#include "collectors/client/search_codec.h"
#include "common/time_format.h"
#include "wire/api_limits.h"
#include "wire/oauth.h"

namespace xee::collectors::client {
namespace {

// What discovery needs of each Post: when it was created and whose it is, with the handle.
constexpr std::string_view kTweetFields = "created_at,author_id";
constexpr std::string_view kExpansions = "author_id";
constexpr std::string_view kUserFields = "username";

void append_parameter(std::string& query, std::string_view name, std::string_view value) {
  if (!query.empty()) query += '&';
  query += name;
  query += '=';
  query += wire::oauth::percent_encode(value);
}

std::optional<std::string> search_request_problem(const SearchRequest& request) {
  if (request.query.empty()) return "the query is empty";
  if (request.max_results < wire::kSearchMinResults ||
      request.max_results > wire::kSearchMaxResults) {
    return "max_results " + std::to_string(request.max_results) + " is outside " +
           std::to_string(wire::kSearchMinResults) + ".." + std::to_string(wire::kSearchMaxResults);
  }
  if (request.auth.token.empty()) return "the Bearer token is empty";
  return std::nullopt;
}

ApiFailure search_failure(wire::Endpoint, long status, std::string_view body) {
  return {failure_kind_for_status(status), describe_search_problem(status, body), {}};
}

}  // namespace

std::string search_url_query(const SearchRequest& request) {
  std::string query;
  append_parameter(query, "query", request.query);
  append_parameter(query, "max_results", std::to_string(request.max_results));
  if (request.since_id) {
    append_parameter(query, "since_id", wire::format_post_id(*request.since_id));
  } else if (request.start_time) {
    append_parameter(query, "start_time", common::format_iso8601(*request.start_time));
  }
  if (request.next_token) append_parameter(query, "next_token", *request.next_token);
  append_parameter(query, "tweet.fields", kTweetFields);
  append_parameter(query, "expansions", kExpansions);
  append_parameter(query, "user.fields", kUserFields);
  return query;
}

SearchClient::SearchClient(HttpTransport& transport, std::string base_url)
    : transport_(transport), base_url_(trim_trailing_slashes(std::move(base_url))) {}

ApiResult<SearchPage> SearchClient::search_recent(const SearchRequest& request) {
  constexpr wire::Endpoint kEndpoint = wire::Endpoint::recent_search;
  if (auto problem = search_request_problem(request)) {
    return rejected_before_sending<SearchPage>(kEndpoint, *problem);
  }
  HttpRequest http;
  http.method = "GET";
  http.url = base_url_ + std::string(wire::kRecentSearchPath) + "?" + search_url_query(request);
  http.headers = {{"Authorization", "Bearer " + request.auth.token}, {"Accept-Encoding", "gzip"}};
  return exchange(transport_, kEndpoint, http, &search_failure, &decode_search_page);
}

}  // namespace xee::collectors::client

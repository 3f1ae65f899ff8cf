#pragma once
// What the discovery collector may ask X's v2 recent search (spec §8), as values: the seam between
// the collector (which decides which query, cursor and page to ask for, and when) and the HTTP
// client (collectors/client/search_client.h, one GET per call, decoded).

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "collectors/engagement_api.h"
#include "wire/snowflake.h"

namespace xee::collectors {

struct SearchRequest {
  // The whole query as X takes it ("#launchday -is:retweet lang:en"), not yet URL-encoded: the
  // client encodes it. Built by wire/search_query.h.
  std::string query;
  std::size_t max_results = 100;  // 10..100
  // Exclusive lower bound: only Posts newer than this ID. Not combined with start_time.
  std::optional<wire::PostId> since_id;
  // Only Posts created at or after this time (a new source's first look back). Ignored when
  // since_id is set, since X refuses the pair.
  std::optional<std::chrono::sys_seconds> start_time;
  // From the previous page's meta.next_token; the rest of the request must stay the same.
  std::optional<std::string> next_token;
  BearerAuth auth;
};

// One Post of a search page. The client always asks for tweet.fields=created_at,author_id and
// expansions=author_id, so author_id and author_handle are known whenever X sent them.
struct FoundPost {
  wire::PostId id = 0;
  std::optional<std::chrono::sys_seconds> created_at;
  std::optional<std::string> author_id;
  std::string author_handle;  // includes.users[].username of author_id; empty when unknown
  bool operator==(const FoundPost&) const = default;
};

struct SearchPage {
  std::vector<FoundPost> posts;  // as X listed them: newest first
  std::optional<wire::PostId> newest_id;
  std::optional<wire::PostId> oldest_id;
  std::size_t result_count = 0;
  std::optional<std::string> next_token;  // absent on the last page
  std::vector<std::string> errors;        // partial errors of a 200 (errors[].detail/message)
};

class SearchApi {
 public:
  virtual ~SearchApi() = default;
  // GET /2/tweets/search/recent. The exchange's endpoint is wire::Endpoint::recent_search and
  // its rate_limit carries the window_* (x-rate-limit-*) fields. A failure's message names the
  // endpoint, the HTTP status and the problem's title/detail ("search: HTTP 400: Invalid
  // Request: The `max_results` query parameter value [5] is not between 10 and 100").
  virtual ApiResult<SearchPage> search_recent(const SearchRequest& request) = 0;
};

}  // namespace xee::collectors

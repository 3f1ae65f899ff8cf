#pragma once
// A SearchApi over in-memory Post streams, one per query, with X's paging semantics: newest
// first, since_id and start_time lower bounds, next_token continuing below the last ID returned.
// Records every request; failures can be queued.

#include <algorithm>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "collectors/search_api.h"

namespace xee::collectors::testing {

class FakeSearchApi final : public SearchApi {
 public:
  // Posts matching `query`; any order.
  void add(const std::string& query, std::vector<FoundPost> posts) {
    auto& stream = streams_[query];
    stream.insert(stream.end(), posts.begin(), posts.end());
    std::sort(stream.begin(), stream.end(),
              [](const FoundPost& a, const FoundPost& b) { return a.id > b.id; });
  }
  void fail_next(FailureKind kind, long status, std::optional<std::int64_t> reset = {}) {
    failures_.push_back({kind, status, reset});
  }
  void set_window_remaining(std::int64_t remaining, std::int64_t reset_unix) {
    remaining_ = remaining;
    reset_unix_ = reset_unix;
  }

  ApiResult<SearchPage> search_recent(const SearchRequest& request) override {
    requests_.push_back(request);
    ApiResult<SearchPage> result;
    result.exchange.endpoint = wire::Endpoint::recent_search;
    result.exchange.http_status = 200;
    if (remaining_) {
      result.exchange.rate_limit.window_limit = 450;
      result.exchange.rate_limit.window_remaining = *remaining_;
      result.exchange.rate_limit.window_reset_unix = reset_unix_;
    }
    if (!failures_.empty()) {
      const Failure failure = failures_.front();
      failures_.pop_front();
      result.exchange.http_status = failure.status;
      result.exchange.rate_limit.window_reset_unix = failure.reset;
      result.value = tl::unexpected(
          ApiFailure{failure.kind, "search: HTTP " + std::to_string(failure.status), {}});
      return result;
    }
    std::vector<FoundPost> matching;
    for (const FoundPost& post : streams_[request.query]) {
      if (request.since_id && post.id <= *request.since_id) continue;
      if (!request.since_id && request.start_time &&
          std::chrono::floor<std::chrono::seconds>(wire::snowflake_time(post.id)) <
              *request.start_time) {
        continue;
      }
      if (request.next_token && post.id >= std::stoull(*request.next_token)) continue;
      matching.push_back(post);
    }
    SearchPage page;
    for (std::size_t i = 0; i < matching.size() && i < request.max_results; ++i) {
      page.posts.push_back(matching[i]);
    }
    page.result_count = page.posts.size();
    if (!page.posts.empty()) {
      page.newest_id = page.posts.front().id;
      page.oldest_id = page.posts.back().id;
    }
    if (matching.size() > request.max_results) {
      page.next_token = std::to_string(page.posts.back().id);
    }
    result.value = page;
    return result;
  }

  const std::vector<SearchRequest>& requests() const { return requests_; }

 private:
  struct Failure {
    FailureKind kind;
    long status;
    std::optional<std::int64_t> reset;
  };
  std::map<std::string, std::vector<FoundPost>> streams_;
  std::deque<Failure> failures_;
  std::vector<SearchRequest> requests_;
  std::optional<std::int64_t> remaining_;
  std::int64_t reset_unix_ = 0;
};

}  // namespace xee::collectors::testing

#pragma once
// A scripted EngagementApi: records every request and answers from a queue of scripted results;
// once the queue is empty it answers every asked type of every asked Post with value_for().

#include <deque>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "collectors/engagement_api.h"
#include "common/clock.h"

namespace xee::collectors::testing {

struct RecordedRequest {
  std::vector<PostId> post_ids;
  std::vector<EngagementType> types;
  std::string auth;  // "bearer", or the UserAuth's account
  std::string token;
  common::TimePoint sent_at;
};

// A value that names its Post and type, shifted by `offset` so rounds can be told apart.
inline std::uint64_t value_for(PostId id, EngagementType type, std::uint64_t offset = 0) {
  return wire::snowflake_sequence(id) * 100 + wire::index_of(type) + offset;
}

inline EngagementValues values_for(PostId id, const std::vector<EngagementType>& types,
                                   std::uint64_t offset = 0) {
  EngagementValues values;
  for (const EngagementType type : types) values.set(type, value_for(id, type, offset));
  return values;
}

inline ApiResult<TotalsResponse> answer_all(const TotalsRequest& request,
                                            std::uint64_t offset = 0) {
  TotalsResponse response;
  for (const PostId id : request.post_ids) {
    response.posts.emplace_back(id, values_for(id, request.types, offset));
  }
  return {ApiExchange{wire::Endpoint::totals, 200, {}, common::Millis{40}}, std::move(response)};
}

inline ApiResult<TotalsResponse> failure(FailureKind kind, long status, std::string message,
                                         std::vector<PostId> forbidden = {},
                                         RateLimitHeaders headers = {}) {
  return {ApiExchange{wire::Endpoint::totals, status, headers, common::Millis{40}},
          tl::unexpected(ApiFailure{kind, std::move(message), std::move(forbidden)})};
}

class FakeEngagementApi final : public EngagementApi {
 public:
  using Responder = std::function<ApiResult<TotalsResponse>(const TotalsRequest&)>;

  explicit FakeEngagementApi(const common::Clock& clock) : clock_(clock) {}

  void push(Responder responder) { script_.push_back(std::move(responder)); }
  void push(ApiResult<TotalsResponse> result) {
    script_.push_back([result](const TotalsRequest&) { return result; });
  }
  // Added to every value of the default answers, so a later round's values differ.
  void set_value_offset(std::uint64_t offset) { offset_ = offset; }

  ApiResult<TotalsResponse> totals(const TotalsRequest& request) override {
    RecordedRequest recorded{request.post_ids, request.types, "bearer", "", clock_.now()};
    if (const auto* user = std::get_if<UserAuth>(&request.auth)) {
      recorded.auth = user->account;
      recorded.token = user->credentials.token;
    } else {
      recorded.token = std::get<BearerAuth>(request.auth).token;
    }
    requests_.push_back(std::move(recorded));
    if (script_.empty()) return answer_all(request, offset_);
    Responder next = std::move(script_.front());
    script_.pop_front();
    return next(request);
  }

  const std::vector<RecordedRequest>& requests() const { return requests_; }
  std::size_t unused_scripted() const { return script_.size(); }

 private:
  const common::Clock& clock_;
  std::deque<Responder> script_;
  std::vector<RecordedRequest> requests_;
  std::uint64_t offset_ = 0;
};

}  // namespace xee::collectors::testing

#pragma once
// A scripted EngagementApi: records every request and answers from a queue of scripted results;
// once the queue is empty it answers every asked type of every asked Post with value_for().

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "collectors/engagement_api.h"
#include "common/clock.h"
#include "common/time_format.h"

namespace xee::collectors::testing {

struct RecordedRequest {
  std::vector<PostId> post_ids;
  std::vector<EngagementType> types;
  std::string auth;  // "bearer", "app_oauth" (token: the consumer key), or the UserAuth's account
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
  return {ApiExchange{wire::Endpoint::totals, 200, {}, common::Millis{40}, {}},
          std::move(response)};
}

inline ApiResult<TotalsResponse> failure(FailureKind kind, long status, std::string message,
                                         std::vector<PostId> forbidden = {},
                                         RateLimitHeaders headers = {}) {
  return {ApiExchange{wire::Endpoint::totals, status, headers, common::Millis{40}, {}},
          tl::unexpected(ApiFailure{kind, std::move(message), std::move(forbidden)})};
}

// A /28hr or /historical request as the fake saw it.
struct RecordedTimeSeriesRequest {
  wire::Endpoint endpoint = wire::Endpoint::hr28;
  std::vector<PostId> post_ids;
  std::size_t types = 0;
  std::string account;
  std::optional<std::chrono::sys_seconds> start;
  std::optional<std::chrono::sys_seconds> end;
};

// An hourly count that names its Post, type and hour (0..28), so sums over hours are easy to
// state exactly: sequence % 10 + type index + hour of day.
inline std::uint64_t hourly_value_for(PostId id, EngagementType type,
                                      std::chrono::sys_seconds hour) {
  const auto hour_of_day = (hour.time_since_epoch().count() / 3600) % 24;
  return wire::snowflake_sequence(id) % 10 + wire::index_of(type) +
         static_cast<std::uint64_t>(hour_of_day);
}

using HourlyValueSource =
    std::function<std::uint64_t(PostId, EngagementType, std::chrono::sys_seconds)>;

// Every asked type of every asked Post for each hour in [start, end), like X does.
inline TimeSeriesResponse hourly_answer(const TimeSeriesRequest& request,
                                        std::chrono::sys_seconds start,
                                        std::chrono::sys_seconds end,
                                        const HourlyValueSource& value) {
  TimeSeriesResponse response;
  response.start = start;
  response.end = end;
  for (const PostId id : request.post_ids) {
    for (const EngagementType type : request.types) {
      for (auto hour = start; hour < end; hour += std::chrono::hours{1}) {
        response.counts.push_back({id, type, hour, value(id, type, hour)});
      }
    }
  }
  return response;
}

inline ApiResult<TimeSeriesResponse> time_series_failure(wire::Endpoint endpoint, FailureKind kind,
                                                         long status, std::string message,
                                                         std::vector<PostId> forbidden = {}) {
  return {ApiExchange{endpoint, status, {}, common::Millis{40}, {}},
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
    } else if (const auto* app = std::get_if<AppOAuth>(&request.auth)) {
      recorded.auth = "app_oauth";
      recorded.token = app->credentials.consumer_key;
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

  // ----- /28hr and /historical -----
  using TimeSeriesResponder =
      std::function<ApiResult<TimeSeriesResponse>(const TimeSeriesRequest&)>;

  // X's clock for the default answers; the constructor's clock when never set.
  void set_x_clock(const common::Clock& x_clock) { x_clock_ = &x_clock; }
  void set_hourly_values(HourlyValueSource source) { hourly_values_ = std::move(source); }
  // Scripted answers, used in order before the default ones.
  void push_time_series(TimeSeriesResponder responder) {
    time_series_script_.push_back(std::move(responder));
  }

  // /28hr: the 28 hours before the current one and the current (partial) hour, like the simulator.
  ApiResult<TimeSeriesResponse> last_28_hours(const TimeSeriesRequest& request) override {
    record(wire::Endpoint::hr28, request);
    if (auto scripted = next_scripted(request)) return *scripted;
    const auto current = common::floor_hour(
        std::chrono::floor<std::chrono::seconds>((x_clock_ ? *x_clock_ : clock_).now()));
    return {ApiExchange{wire::Endpoint::hr28, 200, {}, common::Millis{40}, {}},
            hourly_answer(request, current - std::chrono::hours{28},
                          current + std::chrono::hours{1}, hourly_values_)};
  }

  // /historical: the asked window widened to whole hours.
  ApiResult<TimeSeriesResponse> historical(const TimeSeriesRequest& request) override {
    record(wire::Endpoint::historical, request);
    if (auto scripted = next_scripted(request)) return *scripted;
    return {ApiExchange{wire::Endpoint::historical, 200, {}, common::Millis{40}, {}},
            hourly_answer(request, common::floor_hour(request.start.value()),
                          common::ceil_hour(request.end.value()), hourly_values_)};
  }

  const std::vector<RecordedTimeSeriesRequest>& time_series_requests() const {
    return time_series_requests_;
  }

 private:
  void record(wire::Endpoint endpoint, const TimeSeriesRequest& request) {
    time_series_requests_.push_back({endpoint, request.post_ids, request.types.size(),
                                     request.auth.account, request.start, request.end});
  }
  std::optional<ApiResult<TimeSeriesResponse>> next_scripted(const TimeSeriesRequest& request) {
    if (time_series_script_.empty()) return std::nullopt;
    TimeSeriesResponder next = std::move(time_series_script_.front());
    time_series_script_.pop_front();
    return next(request);
  }

  const common::Clock* x_clock_ = nullptr;
  HourlyValueSource hourly_values_ = hourly_value_for;
  std::deque<TimeSeriesResponder> time_series_script_;
  std::vector<RecordedTimeSeriesRequest> time_series_requests_;

  const common::Clock& clock_;
  std::deque<Responder> script_;
  std::vector<RecordedRequest> requests_;
  std::uint64_t offset_ = 0;
};

}  // namespace xee::collectors::testing

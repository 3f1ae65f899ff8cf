#pragma once
// A scripted /historical: answers every asked Post, type and hour of the window with
// hourly_value(), unless a failure rule matches the request; records every request.

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "collectors/engagement_api.h"

namespace xee::exporter::testing {

using collectors::PostId;

// Differs by Post, type and hour, so a sample written for the wrong one shows.
inline std::uint64_t hourly_value(PostId id, wire::EngagementType type,
                                  std::chrono::sys_seconds hour) {
  const auto hours = hour.time_since_epoch().count() / 3600;
  return static_cast<std::uint64_t>(hours % 5) + wire::index_of(type) * 10 +
         wire::snowflake_sequence(id) * 1000;
}

struct RecordedHistorical {
  std::vector<PostId> post_ids;
  std::chrono::sys_seconds start;
  std::chrono::sys_seconds end;
  bool operator==(const RecordedHistorical&) const = default;
};

class FakeHistoricalApi final : public collectors::EngagementApi {
 public:
  // Returns the failure to answer with, or nullopt to answer normally.
  using FailureRule =
      std::function<std::optional<collectors::ApiFailure>(const collectors::TimeSeriesRequest&)>;

  void set_failure_rule(FailureRule rule) { failure_rule_ = std::move(rule); }

  collectors::ApiResult<collectors::TotalsResponse> totals(
      const collectors::TotalsRequest&) override {
    return {{},
            tl::unexpected(collectors::ApiFailure{
                collectors::FailureKind::bad_request, "totals: not used here", {}})};
  }

  collectors::ApiResult<collectors::TimeSeriesResponse> historical(
      const collectors::TimeSeriesRequest& request) override {
    requests_.push_back({request.post_ids, *request.start, *request.end});
    collectors::ApiExchange exchange{
        wire::Endpoint::historical, 200, {}, std::chrono::milliseconds{20}, {}};
    if (failure_rule_) {
      if (auto failure = failure_rule_(request)) {
        exchange.http_status = failure->kind == collectors::FailureKind::server ? 503 : 400;
        return {exchange, tl::unexpected(std::move(*failure))};
      }
    }
    collectors::TimeSeriesResponse response;
    response.start = *request.start;
    response.end = *request.end;
    for (const PostId id : request.post_ids) {
      for (const wire::EngagementType type : request.types) {
        for (auto hour = *request.start; hour < *request.end; hour += std::chrono::hours{1}) {
          response.counts.push_back({id, type, hour, hourly_value(id, type, hour)});
        }
      }
    }
    return {exchange, std::move(response)};
  }

  const std::vector<RecordedHistorical>& requests() const { return requests_; }

 private:
  FailureRule failure_rule_;
  std::vector<RecordedHistorical> requests_;
};

}  // namespace xee::exporter::testing

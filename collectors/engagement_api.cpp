#include "collectors/engagement_api.h"

namespace xee::collectors {
namespace {

// The default for implementations that serve /totals only (test fakes of the /totals collector):
// a clear failure instead of a silent empty answer.
ApiResult<TimeSeriesResponse> not_served(wire::Endpoint endpoint) {
  ApiResult<TimeSeriesResponse> result;
  result.exchange.endpoint = endpoint;
  result.value = tl::unexpected(
      ApiFailure{FailureKind::bad_request,
                 std::string(wire::endpoint_name(endpoint)) + ": not served by this EngagementApi",
                 {}});
  return result;
}

}  // namespace

std::string_view describe(const PublicAuth& auth) {
  return std::holds_alternative<BearerAuth>(auth) ? "app bearer token"
                                                  : "app consumer key (OAuth 1.0a)";
}

ApiResult<TimeSeriesResponse> EngagementApi::last_28_hours(const TimeSeriesRequest&) {
  return not_served(wire::Endpoint::hr28);
}

ApiResult<TimeSeriesResponse> EngagementApi::historical(const TimeSeriesRequest&) {
  return not_served(wire::Endpoint::historical);
}

}  // namespace xee::collectors

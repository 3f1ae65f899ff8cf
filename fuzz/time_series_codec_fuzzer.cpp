// Fuzzes the /28hr and /historical decoder (decode_time_series_response): each input is decoded
// as both endpoints, which share one decoder and must agree on everything but the endpoint named
// in an error. The requested IDs are the Post IDs found in the input, every time-series type is
// requested. On success the counts must keep the promises of engagement_codec.h: requested Posts
// and types, sorted, each hour once and inside [floor_hour(start), end).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>

#include "collectors/client/engagement_codec.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace xee::collectors;
using std::chrono::sys_seconds;

void check_counts(const TimeSeriesResponse& response, std::span<const PostId> ids) {
  XEE_FUZZ_REQUIRE(response.start < response.end);
  const sys_seconds first_hour = std::chrono::floor<std::chrono::hours>(response.start);
  for (std::size_t i = 0; i < response.counts.size(); ++i) {
    const HourlyCount& count = response.counts[i];
    bool requested = false;
    for (const PostId id : ids) requested = requested || id == count.post_id;
    XEE_FUZZ_REQUIRE(requested);
    XEE_FUZZ_REQUIRE(xee::wire::served_by_time_series(count.type));
    XEE_FUZZ_REQUIRE(count.hour >= first_hour && count.hour < response.end);
    XEE_FUZZ_REQUIRE(count.hour == std::chrono::floor<std::chrono::hours>(count.hour));
    if (i > 0) {
      const HourlyCount& before = response.counts[i - 1];
      XEE_FUZZ_REQUIRE(std::tie(before.post_id, before.type, before.hour) <
                       std::tie(count.post_id, count.type, count.hour));
    }
  }
}

// The error of one endpoint with its name swapped for the other's.
std::string renamed(std::string message, std::string_view from, std::string_view to) {
  for (std::size_t at = message.find(from); at != std::string::npos;
       at = message.find(from, at + to.size())) {
    message.replace(at, from.size(), to);
  }
  return message;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = xee::fuzz::as_text(data, size);
  const std::vector<PostId> ids = xee::fuzz::post_ids_in(body, xee::wire::kTimeSeriesMaxIds);
  const auto hr28 = client::decode_time_series_response(body, xee::wire::Endpoint::hr28, ids,
                                                        xee::wire::kTimeSeriesTypes);
  const auto historical = client::decode_time_series_response(body, xee::wire::Endpoint::historical,
                                                              ids, xee::wire::kTimeSeriesTypes);

  XEE_FUZZ_REQUIRE(hr28.has_value() == historical.has_value());
  if (hr28) {
    check_counts(*hr28, ids);
    XEE_FUZZ_REQUIRE(hr28->counts == historical->counts);
    XEE_FUZZ_REQUIRE(hr28->unavailable == historical->unavailable);
    XEE_FUZZ_REQUIRE(hr28->start == historical->start && hr28->end == historical->end);
  } else {
    const std::string& message = hr28.error().message;
    XEE_FUZZ_REQUIRE_ABOUT(xee::fuzz::is_log_line(message, xee::fuzz::is_valid_utf8(body)),
                           message);
    const std::string_view hr28_name = xee::wire::endpoint_name(xee::wire::Endpoint::hr28);
    const std::string_view historical_name =
        xee::wire::endpoint_name(xee::wire::Endpoint::historical);
    XEE_FUZZ_REQUIRE_ABOUT(message.starts_with(hr28_name), message);
    XEE_FUZZ_REQUIRE_ABOUT(
        renamed(message, hr28_name, historical_name) == historical.error().message ||
            body.find(hr28_name) != std::string_view::npos,
        message);
  }
  return 0;
}

#include "collectors/exchange_accounting.h"

#include <chrono>

namespace xee::collectors {
namespace {

// The gauges are set only from a complete triple: a missing header must not read as 0 remaining
// or as a reset at the unix epoch.
void export_window(store::Telemetry& telemetry, std::string_view endpoint, std::string_view window,
                   const std::optional<std::int64_t>& limit,
                   const std::optional<std::int64_t>& remaining,
                   const std::optional<std::int64_t>& reset_unix) {
  if (limit && remaining && reset_unix) {
    telemetry.set_rate_limit(endpoint, window, *limit, *remaining, *reset_unix);
  }
}

}  // namespace

void record_exchange(const ApiExchange& exchange, store::Telemetry& telemetry) {
  const std::string_view endpoint = wire::endpoint_name(exchange.endpoint);
  const std::chrono::duration<double> duration = exchange.duration;
  telemetry.record_api_request(endpoint, exchange.http_status, duration.count());
  const RateLimitHeaders& headers = exchange.rate_limit;
  export_window(telemetry, endpoint, "minute", headers.minute_limit, headers.minute_remaining,
                headers.minute_reset_unix);
  export_window(telemetry, endpoint, "second", headers.second_limit, headers.second_remaining,
                headers.second_reset_unix);
  export_window(telemetry, endpoint, "15m", headers.window_limit, headers.window_remaining,
                headers.window_reset_unix);
}

void account_for_exchange(const ApiExchange& exchange, RequestPacer& pacer,
                          store::Telemetry& telemetry) {
  record_exchange(exchange, telemetry);
  pacer.observe(exchange.rate_limit);
}

}  // namespace xee::collectors

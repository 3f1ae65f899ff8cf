#include "collectors/exchange_accounting.h"

#include <chrono>

#include "collectors/post_id_list.h"

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
  // Only documented names become label values, so a misbehaving answer cannot add series at will.
  for (const auto& [name, posts] : exchange.unrequested_types) {
    telemetry.add_unrequested_type(endpoint, wire::parse_engagement_type(name) ? name : "unknown",
                                   static_cast<std::int64_t>(posts.size()));
  }
}

void account_for_exchange(const ApiExchange& exchange, RequestPacer& pacer,
                          store::Telemetry& telemetry) {
  record_exchange(exchange, telemetry);
  pacer.observe(exchange.rate_limit);
}

void log_unrequested_types(const ApiExchange& exchange, common::Logger& logger,
                           std::set<std::string>& logged) {
  const std::string endpoint(wire::endpoint_name(exchange.endpoint));
  for (const auto& [name, posts] : exchange.unrequested_types) {
    const bool first = logged.insert(endpoint + "/" + name).second;
    logger.log(first ? common::LogLevel::warn : common::LogLevel::debug,
               "X answered an engagement type that was not asked for; ignored",
               {{"endpoint", endpoint},
                {"engagement_type", name},
                {"post_ids", comma_separated_post_ids(posts)}});
  }
}

}  // namespace xee::collectors

#include "store/telemetry.h"

namespace xee::store {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

std::string code_label(long code) {
  return code == 0 ? "error" : std::to_string(code);
}

}  // namespace

std::string_view to_string(ExclusionReason reason) {
  switch (reason) {
    case ExclusionReason::not_owned:
      return "not_owned";
    case ExclusionReason::unavailable:
      return "unavailable";
    case ExclusionReason::unsupported_impressions:
      return "unsupported_impressions";
    case ExclusionReason::unsupported_video_views:
      return "unsupported_video_views";
  }
  return "unknown";
}

Telemetry::Telemetry(const BuildInfo& build)
    : registry_(std::make_shared<prometheus::Registry>()),
      api_requests_(BuildCounter()
                        .Name("x_engagement_api_requests_total")
                        .Help("Requests sent to X's APIs, by endpoint and HTTP status code "
                              "(code=\"error\" when no response arrived).")
                        .Register(*registry_)),
      api_duration_(BuildHistogram()
                        .Name("x_engagement_api_request_duration_seconds")
                        .Help("Time from sending a request to X until its response was read.")
                        .Register(*registry_)),
      decode_errors_(BuildCounter()
                         .Name("x_engagement_api_decode_errors_total")
                         .Help("Responses from X whose body could not be decoded; the last good "
                               "values were kept.")
                         .Register(*registry_)),
      retries_(BuildCounter()
                   .Name("x_engagement_api_retries_total")
                   .Help("Requests sent again, by endpoint and reason.")
                   .Register(*registry_)),
      rate_limit_limit_(BuildGauge()
                            .Name("x_engagement_api_rate_limit_limit")
                            .Help("Requests allowed per rate-limit window, as X last reported it.")
                            .Register(*registry_)),
      rate_limit_remaining_(BuildGauge()
                                .Name("x_engagement_api_rate_limit_remaining")
                                .Help("Requests left in the current rate-limit window, as X last "
                                      "reported it.")
                                .Register(*registry_)),
      rate_limit_reset_(BuildGauge()
                            .Name("x_engagement_api_rate_limit_reset_timestamp_seconds")
                            .Help("When the current rate-limit window resets, unix seconds.")
                            .Register(*registry_)),
      collector_up_(BuildGauge()
                        .Name("x_engagement_collector_up")
                        .Help("1 when the collector's last poll round succeeded, else 0.")
                        .Register(*registry_)),
      collector_last_success_(BuildGauge()
                                  .Name("x_engagement_collector_last_success_timestamp_seconds")
                                  .Help("When the collector last finished a successful poll round, "
                                        "unix seconds.")
                                  .Register(*registry_)),
      collector_duration_(BuildGauge()
                              .Name("x_engagement_collector_poll_duration_seconds")
                              .Help("How long the collector's last poll round took.")
                              .Register(*registry_)),
      collector_polls_(BuildCounter()
                           .Name("x_engagement_collector_polls_total")
                           .Help("Poll rounds finished, by collector and result.")
                           .Register(*registry_)),
      posts_tracked_(BuildGauge()
                         .Name("x_engagement_posts_tracked")
                         .Help("Posts the collector currently polls.")
                         .Register(*registry_)),
      posts_excluded_(BuildGauge()
                          .Name("x_engagement_posts_excluded")
                          .Help("Tracked Posts currently missing some or all values, by reason.")
                          .Register(*registry_)),
      posts_stripped_(BuildCounter()
                          .Name("x_engagement_posts_stripped_total")
                          .Help("Post IDs X refused with \"Forbidden to access tweets\" (the "
                                "credentials do not own them), by endpoint and the HTTP status "
                                "of that answer; the rest of the batch was kept or sent again.")
                          .Register(*registry_)),
      unrequested_types_(BuildCounter()
                             .Name("x_engagement_api_unrequested_types_total")
                             .Help("Post entries of an engagement type X answered without being "
                                   "asked for, ignored (never a value), by endpoint and type.")
                             .Register(*registry_)),
      request_budget_(BuildGauge()
                          .Name("x_engagement_request_budget_per_minute")
                          .Help("Engagement API requests per minute the exporter allows itself "
                                "(configured budget, lowered to X's limit when that is smaller).")
                          .Register(*registry_)
                          .Add({})),
      config_reload_ok_(BuildGauge()
                            .Name("x_engagement_config_last_reload_successful")
                            .Help("1 when the last configuration load succeeded, else 0.")
                            .Register(*registry_)
                            .Add({})),
      config_reload_timestamp_(
          BuildGauge()
              .Name("x_engagement_config_last_reload_success_timestamp_seconds")
              .Help("When the configuration was last loaded successfully, unix "
                    "seconds.")
              .Register(*registry_)
              .Add({})),
      hourly_requests_needed_(BuildGauge()
                                  .Name("x_engagement_hourly_requests_needed_per_hour")
                                  .Help("/28hr and /historical requests per hour the hourly "
                                        "collector needs to refresh every owned Post on its "
                                        "cadence (active Posts hourly, inactive ones slower).")
                                  .Register(*registry_)),
      hourly_requests_available_(BuildGauge()
                                     .Name("x_engagement_hourly_requests_available_per_hour")
                                     .Help("Requests per hour the hourly collector may use: its "
                                           "share of the per-minute request budget, times 60.")
                                     .Register(*registry_)),
      state_file_ok_(BuildGauge()
                         .Name("x_engagement_state_file_ok")
                         .Help("1 when the last load or save of the state file succeeded, else "
                               "0 (a load that found no file counts as success).")
                         .Register(*registry_)),
      state_file_last_success_(BuildGauge()
                                   .Name("x_engagement_state_file_last_success_timestamp_seconds")
                                   .Help("When the state file was last loaded or saved "
                                         "successfully, unix seconds.")
                                   .Register(*registry_)),
      discovery_dropped_(BuildCounter()
                             .Name("x_engagement_discovery_posts_dropped_total")
                             .Help("Discovered Posts no longer tracked (reason=\"ttl\") or never "
                                   "admitted because a cap was full (reason=\"<kind>_cap\").")
                             .Register(*registry_)),
      search_budget_(BuildGauge()
                         .Name("x_engagement_search_request_budget")
                         .Help("Recent-search requests per 15-minute window the discovery "
                               "collector allows itself (X allows 450 per App).")
                         .Register(*registry_)),
      accounts_queried_(BuildGauge()
                            .Name("x_engagement_accounts_queried_this_month")
                            .Help("Unique accounts whose Posts were queried on the Engagement "
                                  "API this calendar month (UTC), which X bills by; persisted "
                                  "across restarts. A Post whose author is unknown counts as an "
                                  "account of its own, so this never undercounts.")
                            .Register(*registry_)),
      accounts_month_start_(BuildGauge()
                                .Name("x_engagement_accounts_queried_month_start_timestamp_seconds")
                                .Help("Start of the month x_engagement_accounts_queried_this_month "
                                      "counts, unix seconds.")
                                .Register(*registry_)),
      accounts_limit_(BuildGauge()
                          .Name("x_engagement_accounts_queried_monthly_limit")
                          .Help("The contracted number of unique accounts per month "
                                "([billing] monthly_accounts_limit).")
                          .Register(*registry_)) {
  BuildGauge()
      .Name("x_engagement_build_info")
      .Help("Version of the exporter; the value is always 1.")
      .Register(*registry_)
      .Add({{"version", build.version}, {"revision", build.revision}, {"compiler", build.compiler}})
      .Set(1);
  // The spec's status for the spec's endpoint, so "nothing stripped yet" reads 0, not absent.
  posts_stripped_.Add({{"endpoint", "totals"}, {"code", "403"}});
  for (const auto reason :
       {ExclusionReason::not_owned, ExclusionReason::unavailable,
        ExclusionReason::unsupported_impressions, ExclusionReason::unsupported_video_views}) {
    posts_excluded_.Add({{"reason", std::string(to_string(reason))}}).Set(0);
  }
}

void Telemetry::record_api_request(std::string_view endpoint, long code, double duration_seconds) {
  api_requests_.Add({{"endpoint", std::string(endpoint)}, {"code", code_label(code)}}).Increment();
  api_duration_
      .Add({{"endpoint", std::string(endpoint)}},
           prometheus::Histogram::BucketBoundaries{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
                                                   30})
      .Observe(duration_seconds);
}

void Telemetry::record_decode_error(std::string_view endpoint) {
  decode_errors_.Add({{"endpoint", std::string(endpoint)}}).Increment();
}

void Telemetry::record_retry(std::string_view endpoint, std::string_view reason) {
  retries_.Add({{"endpoint", std::string(endpoint)}, {"reason", std::string(reason)}}).Increment();
}

void Telemetry::set_rate_limit(std::string_view endpoint, std::string_view window,
                               std::int64_t limit, std::int64_t remaining,
                               std::int64_t reset_unix) {
  const prometheus::Labels labels{{"endpoint", std::string(endpoint)},
                                  {"window", std::string(window)}};
  rate_limit_limit_.Add(labels).Set(static_cast<double>(limit));
  rate_limit_remaining_.Add(labels).Set(static_cast<double>(remaining));
  rate_limit_reset_.Add(labels).Set(static_cast<double>(reset_unix));
}

void Telemetry::record_poll(std::string_view collector, bool success, double duration_seconds,
                            double finished_unix) {
  const prometheus::Labels labels{{"collector", std::string(collector)}};
  collector_up_.Add(labels).Set(success ? 1 : 0);
  collector_duration_.Add(labels).Set(duration_seconds);
  // Created at the first round so the series exists (0 = never succeeded) for alerting.
  auto& last_success = collector_last_success_.Add(labels);
  if (success) last_success.Set(finished_unix);
  collector_polls_
      .Add({{"collector", std::string(collector)}, {"result", success ? "success" : "failure"}})
      .Increment();
}

void Telemetry::set_posts_tracked(std::string_view collector, std::int64_t count) {
  posts_tracked_.Add({{"collector", std::string(collector)}}).Set(static_cast<double>(count));
}

void Telemetry::set_posts_excluded(ExclusionReason reason, std::int64_t count) {
  posts_excluded_.Add({{"reason", std::string(to_string(reason))}}).Set(static_cast<double>(count));
}

void Telemetry::add_posts_stripped(std::string_view endpoint, long code, std::int64_t count) {
  posts_stripped_.Add({{"endpoint", std::string(endpoint)}, {"code", code_label(code)}})
      .Increment(static_cast<double>(count));
}

void Telemetry::add_unrequested_type(std::string_view endpoint, std::string_view type,
                                     std::int64_t count) {
  unrequested_types_
      .Add({{"endpoint", std::string(endpoint)}, {"engagement_type", std::string(type)}})
      .Increment(static_cast<double>(count));
}

void Telemetry::set_request_budget(double requests_per_minute) {
  request_budget_.Set(requests_per_minute);
}

void Telemetry::record_config_reload(bool success, double now_unix) {
  config_reload_ok_.Set(success ? 1 : 0);
  if (success) config_reload_timestamp_.Set(now_unix);
}

void Telemetry::set_hourly_requests(double needed_per_hour, double available_per_hour) {
  hourly_requests_needed_.Add({}).Set(needed_per_hour);
  hourly_requests_available_.Add({}).Set(available_per_hour);
}

void Telemetry::record_state_file(std::string_view operation, bool success, double now_unix) {
  const prometheus::Labels labels{{"operation", std::string(operation)}};
  state_file_ok_.Add(labels).Set(success ? 1 : 0);
  auto& last_success = state_file_last_success_.Add(labels);
  if (success) last_success.Set(now_unix);
}

std::vector<prometheus::MetricFamily> Telemetry::collect() const {
  return registry_->Collect();
}

void Telemetry::add_discovery_dropped(std::string_view reason, std::int64_t count) {
  discovery_dropped_.Add({{"reason", std::string(reason)}}).Increment(static_cast<double>(count));
}

void Telemetry::set_search_budget(double requests_per_window) {
  search_budget_.Add({}).Set(requests_per_window);
}

void Telemetry::set_accounts_queried(std::int64_t count, std::int64_t month_start_unix) {
  accounts_queried_.Add({}).Set(static_cast<double>(count));
  accounts_month_start_.Add({}).Set(static_cast<double>(month_start_unix));
}

void Telemetry::set_accounts_limit(std::int64_t limit) {
  if (limit > 0) {
    accounts_limit_.Add({}).Set(static_cast<double>(limit));
  } else if (accounts_limit_.Has({})) {
    accounts_limit_.Remove(&accounts_limit_.Add({}));
  }
}

}  // namespace xee::store

#pragma once
// The exporter's own health metrics: what it asked X, how X answered, how fresh each collector
// is. Collectors write here; the exposition reads collect(). These are few and low-cardinality,
// so prometheus-cpp's core types hold them (no Exposer: /metrics is served by exporter/).

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace xee::store {

// Why a tracked Post currently lacks some or all values (label `reason` of
// x_engagement_posts_excluded).
enum class ExclusionReason {
  not_owned,                // stripped after "Forbidden to access tweets" (user context)
  unavailable,              // unavailable_tweet_ids: deleted, protected or suspended
  unsupported_impressions,  // older than 90 days: no impressions/engagements on /totals
  unsupported_video_views,  // older than 1800 days: no video_views
};
std::string_view to_string(ExclusionReason reason);

struct BuildInfo {
  std::string version;
  std::string revision;
  std::string compiler;
};

class Telemetry {
 public:
  explicit Telemetry(const BuildInfo& build);

  // One HTTP exchange with X. `code` is the HTTP status, or 0 when no response arrived (network
  // error, timeout), exported as code="error".
  void record_api_request(std::string_view endpoint, long code, double duration_seconds);
  // A 200 whose body could not be decoded.
  void record_decode_error(std::string_view endpoint);
  // A request sent again: reason is "rate_limited", "server_error", "network" or "forbidden_ids".
  void record_retry(std::string_view endpoint, std::string_view reason);
  // From x-per-minute-*/x-per-second-*/x-rate-limit-* headers; window is "minute", "second" or
  // "15m".
  void set_rate_limit(std::string_view endpoint, std::string_view window, std::int64_t limit,
                      std::int64_t remaining, std::int64_t reset_unix);

  // The end of one poll round of a collector ("totals", later "28hr", "search").
  void record_poll(std::string_view collector, bool success, double duration_seconds,
                   double finished_unix);

  void set_posts_tracked(std::string_view collector, std::int64_t count);
  void set_posts_excluded(ExclusionReason reason, std::int64_t count);
  // Post IDs X refused with "Forbidden to access tweets", by endpoint and the HTTP status of the
  // answer that named them (403, 400, 200 for a partial answer, …).
  void add_posts_stripped(std::string_view endpoint, long code, std::int64_t count);
  // Post entries of an engagement type X answered without being asked for, ignored. `type` is the
  // name X used when it is a type X documents, else "unknown" (the log names it).
  void add_unrequested_type(std::string_view endpoint, std::string_view type, std::int64_t count);

  void set_request_budget(double requests_per_minute);
  void record_config_reload(bool success, double now_unix);

  // The hourly collector's budget check: what refreshing every owned Post on its cadence needs
  // and what its share of the budget allows, both per hour.
  void set_hourly_requests(double needed_per_hour, double available_per_hour);
  // A load or save ("load", "save") of the state file.
  void record_state_file(std::string_view operation, bool success, double now_unix);

  // Discovery (search): discovered Posts dropped or refused, by reason ("ttl", "hashtag_cap",
  // "account_cap", "campaign_cap", "total_cap", "max_posts").
  void add_discovery_dropped(std::string_view reason, std::int64_t count);
  // The discovery collector's own search budget per 15-minute window.
  void set_search_budget(double requests_per_window);
  // Billing exposure: unique accounts whose Posts were queried on the Engagement API this
  // calendar month (UTC, on X's clock), and when that month began.
  void set_accounts_queried(std::int64_t count, std::int64_t month_start_unix);
  // The contracted monthly number of unique accounts ([billing]); 0 removes the series.
  void set_accounts_limit(std::int64_t limit);

  std::vector<prometheus::MetricFamily> collect() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& api_requests_;
  prometheus::Family<prometheus::Histogram>& api_duration_;
  prometheus::Family<prometheus::Counter>& decode_errors_;
  prometheus::Family<prometheus::Counter>& retries_;
  prometheus::Family<prometheus::Gauge>& rate_limit_limit_;
  prometheus::Family<prometheus::Gauge>& rate_limit_remaining_;
  prometheus::Family<prometheus::Gauge>& rate_limit_reset_;
  prometheus::Family<prometheus::Gauge>& collector_up_;
  prometheus::Family<prometheus::Gauge>& collector_last_success_;
  prometheus::Family<prometheus::Gauge>& collector_duration_;
  prometheus::Family<prometheus::Counter>& collector_polls_;
  prometheus::Family<prometheus::Gauge>& posts_tracked_;
  prometheus::Family<prometheus::Gauge>& posts_excluded_;
  prometheus::Family<prometheus::Counter>& posts_stripped_;
  prometheus::Family<prometheus::Counter>& unrequested_types_;
  prometheus::Gauge& request_budget_;
  prometheus::Gauge& config_reload_ok_;
  prometheus::Gauge& config_reload_timestamp_;
  // Created at first use, so exporters without the hourly collector do not show them.
  prometheus::Family<prometheus::Gauge>& hourly_requests_needed_;
  prometheus::Family<prometheus::Gauge>& hourly_requests_available_;
  prometheus::Family<prometheus::Gauge>& state_file_ok_;
  prometheus::Family<prometheus::Gauge>& state_file_last_success_;
  prometheus::Family<prometheus::Counter>& discovery_dropped_;
  prometheus::Family<prometheus::Gauge>& search_budget_;
  prometheus::Family<prometheus::Gauge>& accounts_queried_;
  prometheus::Family<prometheus::Gauge>& accounts_month_start_;
  prometheus::Family<prometheus::Gauge>& accounts_limit_;
};

}  // namespace xee::store

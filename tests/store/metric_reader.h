#pragma once
// Reads one sample out of Telemetry::collect(), the way the exposition sees it.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "store/telemetry.h"

namespace xee::store::testing {

using Labels = std::map<std::string, std::string>;

// The value of the series of `family` whose labels are exactly `labels` (a histogram's sample
// count), or nullopt when there is no such series.
inline std::optional<double> metric_value(const Telemetry& telemetry, std::string_view family,
                                          const Labels& labels = {}) {
  for (const prometheus::MetricFamily& candidate : telemetry.collect()) {
    if (candidate.name != family) continue;
    for (const prometheus::ClientMetric& metric : candidate.metric) {
      Labels found;
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        found[label.name] = label.value;
      }
      if (found != labels) continue;
      switch (candidate.type) {
        case prometheus::MetricType::Counter:
          return metric.counter.value;
        case prometheus::MetricType::Gauge:
          return metric.gauge.value;
        case prometheus::MetricType::Histogram:
          return static_cast<double>(metric.histogram.sample_count);
        default:
          return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

}  // namespace xee::store::testing

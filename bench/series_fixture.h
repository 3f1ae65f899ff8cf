#pragma once
// The same Post series held two ways for the scrape benchmarks: as the exporter's compact
// TotalsSection, and as prometheus-cpp gauges in a Registry (what an exporter built on
// prometheus-cpp's Exposer would hold).

#include <prometheus/registry.h>

#include <cstddef>
#include <memory>

#include "store/snapshot.h"

namespace xee::bench {

// Each Post yields info, created, impressions, engagements and four lifetime counts.
inline constexpr std::size_t kSeriesPerPost = 8;

// ceil(series / kSeriesPerPost) owned Posts of three accounts, created over the 90 days before
// 2026-11-20, with deterministic realistic values.
store::TotalsSection make_totals(std::size_t series);

// Exactly the series and values the exposition writes for `totals`, as prometheus-cpp gauges.
std::shared_ptr<prometheus::Registry> make_registry(const store::TotalsSection& totals);

std::size_t series_of(const store::TotalsSection& totals);

}  // namespace xee::bench

#pragma once
// A small, hand-checkable world for the exporter tests: five Posts covering every shape a Post
// takes in the exposition, and telemetry with one of each kind of family.

#include <string>
#include <string_view>

#include "store/snapshot.h"
#include "store/telemetry.h"

namespace xee::exporter::testing {

// Accounts "acme", "globex" and a handle full of characters the text format must escape.
// Posts (by post_id): an old Post of the odd handle (no impressions, no video_views), a globex
// Post older than 90 days (no impressions), an unowned Post (public metrics, zeros included),
// an acme Post with all seven values, and an acme Post whose first poll failed (no values).
store::TotalsSection small_totals();

// Two owned Posts of the hourly collector: one with distinct values in every window (last hour:
// type index + 1, 28 h: ten times that, tally: a hundred times), one all zeros but its tally.
store::HourlySection small_hourly();

// Discovery groups over the Posts of small_totals() (index = position by post_id; kMissing is a
// member without /totals values yet):
//   hashtags (configuration order) launchday {2, 3, kMissing}, xapi {1, 3}, acmecloud {} (empty);
//   accounts globex {1}, acme {3, 4};
//   campaigns autumn_launch {3}, and one whose name needs escaping {0, 4}.
inline constexpr wire::PostId kMissingFromTotals = 2123600000000000000;
inline constexpr std::string_view kOddCampaign = "odd\"campaign\\with\nnewline";
store::DiscoverySection small_discovery();

store::BuildInfo test_build_info();

// Requests, a histogram, rate limits, a poll round, exclusions, a reload: fixed values only.
void record_small_telemetry(store::Telemetry& telemetry);

// A file beside the tests, e.g. "golden/small.prom"; "" when missing.
std::string read_test_file(const std::string& relative_path);

}  // namespace xee::exporter::testing

#pragma once
// `x_engagement_exporter report`: totals per owned Post and engagement type over any range, the
// sum of the hourly values of every window (longer than 28 days too), like the combine_results
// of X's Python sample client.

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "exporter/backfill.h"

namespace xee::exporter {

enum class ReportFormat { csv, json };

struct ReportRow {
  PostId post_id = 0;
  std::string account;
  wire::EngagementType type = wire::EngagementType::impressions;
  std::uint64_t total = 0;
  bool operator==(const ReportRow&) const = default;
};

// Sums the hourly counts of every unit's answer. Every owned Post of the plan gets all 17 types,
// zeros included, sorted by Post ID then type.
class ReportTotals {
 public:
  explicit ReportTotals(const HistoricalPlan& plan);
  void add(const collectors::TimeSeriesResponse& response);
  std::vector<ReportRow> rows() const;

 private:
  const HistoricalPlan& plan_;
  // (Post, index_of(type)) -> total; std::map keeps rows() sorted.
  std::map<std::pair<PostId, std::size_t>, std::uint64_t> totals_;
};

// Header `post_id,account,engagement_type,total`, then one line per row.
std::string format_csv(const std::vector<ReportRow>& rows);
// {"from":"…","to":"…","totals":[{"post_id":"…","account":"…","engagement_type":"…",
// "total":N},…]}; IDs as strings, as X writes them (they exceed a double's exact range).
std::string format_json(const std::vector<ReportRow>& rows, const HourWindow& range);

// Runs the plan and writes the report to `out` only when every unit was answered; otherwise
// names the failed Posts and windows and returns kExitFailed.
int run_report(const HistoricalPlan& plan, const HourWindow& range, ReportFormat format,
               std::ostream& out, HistoricalContext& context);

}  // namespace xee::exporter

#include "exporter/report.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/time_format.h"

namespace xee::exporter {

ReportTotals::ReportTotals(const HistoricalPlan& plan) : plan_(plan) {
  for (const HistoricalUnit& unit : plan.units) {
    for (const PostId id : unit.post_ids) {
      for (const wire::EngagementType type : wire::kTimeSeriesTypes) {
        totals_[{id, wire::index_of(type)}] = 0;
      }
    }
  }
}

void ReportTotals::add(const collectors::TimeSeriesResponse& response) {
  for (const collectors::HourlyCount& count : response.counts) {
    totals_[{count.post_id, wire::index_of(count.type)}] += count.value;
  }
}

std::vector<ReportRow> ReportTotals::rows() const {
  std::map<PostId, std::string> account_of;
  for (const HistoricalUnit& unit : plan_.units) {
    for (const PostId id : unit.post_ids) account_of[id] = unit.account;
  }
  std::vector<ReportRow> rows;
  rows.reserve(totals_.size());
  for (const auto& [key, total] : totals_) {
    rows.push_back({key.first, account_of[key.first], wire::kAllTypes[key.second], total});
  }
  return rows;
}

std::string format_csv(const std::vector<ReportRow>& rows) {
  std::string text = "post_id,account,engagement_type,total\n";
  for (const ReportRow& row : rows) {
    // Handles are [A-Za-z0-9_] on X, so no field needs quoting.
    text += wire::format_post_id(row.post_id) + "," + row.account + "," +
            std::string(wire::to_string(row.type)) + "," + std::to_string(row.total) + "\n";
  }
  return text;
}

std::string format_json(const std::vector<ReportRow>& rows, const HourWindow& range) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("from");
  writer.String(common::format_iso8601(range.start));
  writer.Key("to");
  writer.String(common::format_iso8601(range.end));
  writer.Key("totals");
  writer.StartArray();
  for (const ReportRow& row : rows) {
    writer.StartObject();
    writer.Key("post_id");
    writer.String(wire::format_post_id(row.post_id));
    writer.Key("account");
    writer.String(row.account);
    writer.Key("engagement_type");
    writer.String(std::string(wire::to_string(row.type)));
    writer.Key("total");
    writer.Uint64(row.total);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

int run_report(const HistoricalPlan& plan, const HourWindow& range, ReportFormat format,
               std::ostream& out, HistoricalContext& context) {
  report_skipped_posts(plan, context.messages);
  ReportTotals totals(plan);
  RunnerHooks hooks;
  hooks.on_answer = [&](std::size_t, const collectors::TimeSeriesResponse& response) {
    totals.add(response);
    return Result<void>{};
  };
  // A partial sum would read as a complete total, so nothing is written.
  if (!run_plan(plan, context, std::move(hooks), "no report written").empty()) return kExitFailed;
  const auto rows = totals.rows();
  out << (format == ReportFormat::csv ? format_csv(rows) : format_json(rows, range));
  out.flush();
  if (!out) {
    context.messages << "cannot write the report\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace xee::exporter

#include "tests/exporter/exposition_fixtures.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "common/time_format.h"
#include "wire/snowflake.h"

namespace xee::exporter::testing {
namespace {

using wire::EngagementType;

store::PostTotals post_at(std::string_view created, std::uint32_t account_index, bool owned) {
  const auto time = common::parse_iso8601(created).value();
  store::PostTotals post;
  post.post_id = wire::make_snowflake(time, 1, 0);
  post.account_index = account_index;
  post.owned = owned;
  post.created_unix = time.time_since_epoch().count();
  return post;
}

}  // namespace

store::HourlySection small_hourly() {
  store::HourlySection hourly;
  store::PostHourly busy;
  busy.post_id = wire::make_snowflake(common::parse_iso8601("2026-11-19T09:30:00Z").value(), 1, 0);
  busy.last_hour_start_unix =
      common::parse_iso8601("2026-11-19T23:00:00Z")->time_since_epoch().count();
  for (const EngagementType type : wire::kTimeSeriesTypes) {
    const auto base = wire::index_of(type) + 1;
    busy.last_hour[wire::index_of(type)] = base;
    busy.window_28h[wire::index_of(type)] = base * 10;
    busy.tally[wire::index_of(type)] = base * 100;
  }
  store::PostHourly quiet;
  quiet.post_id = wire::make_snowflake(common::parse_iso8601("2026-11-19T10:00:00Z").value(), 1, 0);
  quiet.last_hour_start_unix = busy.last_hour_start_unix;
  quiet.tally[wire::index_of(EngagementType::impressions)] = 5;
  hourly.posts = {busy, quiet};
  return hourly;
}

store::TotalsSection small_totals() {
  store::TotalsSection totals;
  totals.accounts = {"acme", "globex", "odd\"handle\\with\nnewline"};

  auto full = post_at("2026-11-19T09:30:00Z", 0, true);
  full.set(EngagementType::impressions, 48213);
  full.set(EngagementType::engagements, 1307);
  full.set(EngagementType::favorites, 912);
  full.set(EngagementType::retweets, 143);
  full.set(EngagementType::quote_tweets, 21);
  full.set(EngagementType::replies, 77);
  full.set(EngagementType::video_views, 15320);

  auto older_than_90_days = post_at("2026-06-02T14:00:00Z", 1, true);
  older_than_90_days.set(EngagementType::favorites, 4021);
  older_than_90_days.set(EngagementType::retweets, 611);
  older_than_90_days.set(EngagementType::quote_tweets, 58);
  older_than_90_days.set(EngagementType::replies, 240);
  older_than_90_days.set(EngagementType::video_views, 0);

  auto unowned = post_at("2026-11-18T20:15:00Z", store::kNoAccount, false);
  unowned.set(EngagementType::favorites, 5);
  unowned.set(EngagementType::retweets, 0);
  unowned.set(EngagementType::quote_tweets, 0);
  unowned.set(EngagementType::replies, 1);
  unowned.set(EngagementType::video_views, 0);

  const auto first_poll_failed = post_at("2026-11-20T00:00:00Z", 0, true);

  auto older_than_1800_days = post_at("2020-03-01T08:00:00Z", 2, true);
  older_than_1800_days.set(EngagementType::favorites, 3);
  older_than_1800_days.set(EngagementType::retweets, 1);
  older_than_1800_days.set(EngagementType::quote_tweets, 0);
  older_than_1800_days.set(EngagementType::replies, 2);

  totals.posts = {full, older_than_90_days, unowned, first_poll_failed, older_than_1800_days};
  std::sort(totals.posts.begin(), totals.posts.end(),
            [](const auto& a, const auto& b) { return a.post_id < b.post_id; });
  return totals;
}

store::DiscoverySection small_discovery() {
  const auto posts = small_totals().posts;
  const auto id = [&posts](std::size_t index) { return posts.at(index).post_id; };
  store::DiscoverySection discovery;
  discovery.hashtags = {{"launchday", {id(2), id(3), kMissingFromTotals}, 7},
                        {"xapi", {id(1), id(3)}, 2},
                        {"acmecloud", {}, 4}};
  discovery.accounts = {{"globex", {id(1)}, 1}, {"acme", {id(3), id(4)}, 2}};
  discovery.campaigns = {{"autumn_launch", {id(3)}, 1},
                         {std::string(kOddCampaign), {id(0), id(4)}, 0}};
  return discovery;
}

store::BuildInfo test_build_info() {
  return {"0.1.0", "0123456789ab", "gcc 12.2.0"};
}

void record_small_telemetry(store::Telemetry& telemetry) {
  telemetry.record_api_request("totals", 200, 0.2);
  telemetry.record_api_request("totals", 200, 0.75);
  telemetry.record_api_request("totals", 429, 0.05);
  telemetry.record_api_request("totals", 0, 30);
  telemetry.record_retry("totals", "rate_limited");
  telemetry.record_decode_error("totals");
  telemetry.set_rate_limit("totals", "minute", 60, 57, 1795046460);
  telemetry.record_poll("totals", true, 1.25, 1795046400);
  telemetry.set_posts_tracked("totals", 5);
  telemetry.set_posts_excluded(store::ExclusionReason::unsupported_impressions, 2);
  telemetry.set_posts_excluded(store::ExclusionReason::unsupported_video_views, 1);
  telemetry.add_posts_stripped("totals", 403, 2);
  telemetry.add_unrequested_type("totals", "quote_tweets", 4);
  telemetry.set_request_budget(55.5);
  telemetry.record_config_reload(true, 1795046399.5);
}

std::string read_test_file(const std::string& relative_path) {
  std::ifstream in(std::string(XEE_TEST_DIR) + "/" + relative_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace xee::exporter::testing

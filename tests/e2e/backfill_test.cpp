// End to end: `x_engagement_exporter backfill` against the simulator running on the real clock,
// promtool turning its output into blocks, and a real Prometheus on those blocks: the documented
// PromQL returns the simulator's hourly impressions for an hour a week ago.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "common/time_format.h"
#include "simulator/world/world.h"
#include "tests/integration/stack.h"

namespace xee::test_stack {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_seconds;

// docs/backfill.md: evaluated with a 1h step at :30, each point shows the hour that ended at the
// last full hour.
std::string continuous_graph_query(wire::PostId id) {
  return "last_over_time(x_engagement_post_last_hour_impressions{post_id=\"" +
         wire::format_post_id(id) + "\"}[1h])";
}

std::string config_for(wire::PostId id) {
  return R"(
[api]
engagement_url = "@SIMULATOR_URL@"
search_url = "@SIMULATOR_URL@"
timeout = "5s"
connect_timeout = "2s"
requests_per_minute = 50
max_retries = 2

[app]
consumer_key = { env = "X_CONSUMER_KEY" }
consumer_secret = { env = "X_CONSUMER_SECRET" }
bearer_token = { env = "X_BEARER_TOKEN" }

[[accounts]]
handle = "acme"
access_token = { env = "X_ACME_ACCESS_TOKEN" }
access_token_secret = { env = "X_ACME_ACCESS_TOKEN_SECRET" }

[[posts]]
id = ")" +
         wire::format_post_id(id) +
         R"("
account = "acme"
)";
}

std::string rendered(std::string text, const std::string& simulator_url) {
  const std::string placeholder = "@SIMULATOR_URL@";
  for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder)) {
    text.replace(at, placeholder.size(), simulator_url);
  }
  return text;
}

TEST(BackfillIntoPrometheus, DocumentedPromQLReturnsTheSimulatorsHourAWeekAgo) {
  const std::string dir = make_temp_dir("e2e-backfill");
  // X's clock runs in real time from the last full hour, so the exporter's hours line up with
  // Prometheus's wall-clock timestamps.
  const sys_seconds clock_start = common::floor_hour(
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  const ClockOptions clock{common::format_iso8601(clock_start), 1};

  const simulator::World world(simulator::demo_world());
  std::optional<simulator::Post> post;
  for (const simulator::Post& candidate :
       world.posts_between(clock_start - 9 * 24h, clock_start - 8 * 24h)) {
    if (candidate.author_handle == "acme") {
      post = candidate;
      break;
    }
  }
  ASSERT_TRUE(post) << "the demo world has no acme Post created about 8 days before "
                    << clock.start;

  auto simulator = Simulator::start_with_clock(dir, clock);
  ASSERT_TRUE(simulator) << simulator.error().message;
  const std::string config_path = dir + "/config.toml";
  {
    std::ofstream config(config_path);
    config << rendered(config_for(post->id), simulator->url());
  }
  const sys_seconds from = clock_start - 7 * 24h;
  const std::string output = dir + "/backfill.om";
  auto backfill = run_exporter_command(
      dir,
      {"backfill", "--config.file=" + config_path, "--from=" + common::format_iso8601(from),
       "--to=" + clock.start, "--output=" + output, "--clock.start=" + clock.start,
       "--clock.speed=1"},
      "backfill.log", 60s);
  ASSERT_TRUE(backfill) << backfill.error().message;
  ASSERT_EQ(backfill->exit_code, 0) << read_text_file(dir + "/backfill.log");

  const std::string blocks = dir + "/prometheus-data";
  auto created = create_blocks(output, blocks);
  ASSERT_TRUE(created) << created.error().message;
  auto prometheus = Prometheus::start_on_storage(dir, {}, blocks);
  ASSERT_TRUE(prometheus) << prometheus.error().message;

  // An hour a week ago, and the first and last hours of the backfill.
  const sys_seconds now_on_x = clock_start;
  // Prometheus answers 503 until it has opened every block.
  ASSERT_TRUE(eventually(
      [&] {
        return prometheus->query_single_value_at(continuous_graph_query(post->id), from + 1h)
            .has_value();
      },
      60s))
      << prometheus->query_at(continuous_graph_query(post->id), from + 1h);
  for (const sys_seconds hour : {from + 5h, from, clock_start - 1h}) {
    const sys_seconds evaluated_at = hour + 1h + 30min;
    const std::uint64_t expected =
        world.hourly(*post, wire::EngagementType::impressions, hour,
                     std::chrono::time_point_cast<std::chrono::milliseconds>(now_on_x));
    EXPECT_EQ(prometheus->query_single_value_at(continuous_graph_query(post->id), evaluated_at),
              static_cast<double>(expected))
        << "hour " << common::format_iso8601(hour) << ": "
        << prometheus->query_at(continuous_graph_query(post->id), evaluated_at);
  }
  // The 15 other types land in the interactions family with their engagement_type label.
  const sys_seconds hour = from + 5h;
  const std::uint64_t url_clicks =
      world.hourly(*post, wire::EngagementType::url_clicks, hour,
                   std::chrono::time_point_cast<std::chrono::milliseconds>(now_on_x));
  EXPECT_EQ(prometheus->query_single_value_at(
                "x_engagement_post_last_hour_interactions{post_id=\"" +
                    wire::format_post_id(post->id) + "\",engagement_type=\"url_clicks\"}",
                hour + 1h),
            static_cast<double>(url_clicks));
}

}  // namespace
}  // namespace xee::test_stack

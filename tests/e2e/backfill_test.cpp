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
// last full hour. `max by (post_id)` joins the backfilled series (no job or instance label) and the
// scraped one into one line; where both hold a sample they hold the same hour's value.
std::string continuous_graph_query(wire::PostId id) {
  return "max by (post_id) (last_over_time(x_engagement_post_last_hour_impressions{post_id=\"" +
         wire::format_post_id(id) + "\"}[1h]))";
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

// A simulator whose clock runs in real time from the last full hour (so X's hours line up with
// Prometheus's wall-clock timestamps), an acme Post created about 8 days before that, the week
// before the clock's start backfilled and turned into blocks.
class BackfilledWeek : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("e2e-backfill");
    clock_start_ = common::floor_hour(
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    clock_ = ClockOptions{common::format_iso8601(clock_start_), 1};
    from_ = clock_start_ - 7 * 24h;
    for (const simulator::Post& candidate :
         world_.posts_between(clock_start_ - 9 * 24h, clock_start_ - 8 * 24h)) {
      if (candidate.author_handle == "acme") {
        post_ = candidate;
        break;
      }
    }
    ASSERT_TRUE(post_) << "the demo world has no acme Post created about 8 days before "
                       << clock_.start;

    auto simulator = Simulator::start_with_clock(dir_, clock_);
    ASSERT_TRUE(simulator) << simulator.error().message;
    simulator_.emplace(std::move(*simulator));
    config_path_ = dir_ + "/config.toml";
    std::ofstream(config_path_) << rendered(config_for(post_->id), simulator_->url());

    const std::string output = dir_ + "/backfill.om";
    auto backfill = run_exporter_command(
        dir_,
        {"backfill", "--config.file=" + config_path_, "--from=" + common::format_iso8601(from_),
         "--to=" + clock_.start, "--output=" + output, "--clock.start=" + clock_.start,
         "--clock.speed=1"},
        "backfill.log", 60s);
    ASSERT_TRUE(backfill) << backfill.error().message;
    ASSERT_EQ(backfill->exit_code, 0) << read_text_file(dir_ + "/backfill.log");
    blocks_ = dir_ + "/prometheus-data";
    auto created = create_blocks(output, blocks_);
    ASSERT_TRUE(created) << created.error().message;
  }

  // The simulator's count of `type` in the hour starting at `hour`; hours before the clock's
  // start are complete, so they no longer change.
  double hourly(wire::EngagementType type, sys_seconds hour) const {
    return static_cast<double>(world_.hourly(
        *post_, type, hour, std::chrono::time_point_cast<std::chrono::milliseconds>(clock_start_)));
  }

  // Prometheus answers 503 until it has opened every block.
  static bool blocks_loaded(const Prometheus& prometheus, const std::string& promql,
                            sys_seconds at) {
    return eventually([&] { return prometheus.query_single_value_at(promql, at).has_value(); },
                      60s);
  }

  std::string dir_;
  sys_seconds clock_start_;
  ClockOptions clock_;
  sys_seconds from_;
  simulator::World world_{simulator::demo_world()};
  std::optional<simulator::Post> post_;
  std::optional<Simulator> simulator_;
  std::string config_path_;
  std::string blocks_;
};

TEST_F(BackfilledWeek, DocumentedPromQLReturnsTheSimulatorsHourAWeekAgo) {
  auto prometheus = Prometheus::start_on_storage(dir_, {}, blocks_);
  ASSERT_TRUE(prometheus) << prometheus.error().message;
  const std::string query = continuous_graph_query(post_->id);
  ASSERT_TRUE(blocks_loaded(*prometheus, query, from_ + 1h)) << prometheus->query_at(query, from_);

  // An hour a week ago, and the first and last hours of the backfill, each evaluated at :30.
  for (const sys_seconds hour : {from_ + 5h, from_, clock_start_ - 1h}) {
    const sys_seconds evaluated_at = hour + 1h + 30min;
    EXPECT_EQ(prometheus->query_single_value_at(query, evaluated_at),
              hourly(wire::EngagementType::impressions, hour))
        << "hour " << common::format_iso8601(hour) << ": "
        << prometheus->query_at(query, evaluated_at);
  }
  // The 15 other types land in the interactions family with their engagement_type label.
  const sys_seconds hour = from_ + 5h;
  EXPECT_EQ(prometheus->query_single_value_at(
                "x_engagement_post_last_hour_interactions{post_id=\"" +
                    wire::format_post_id(post_->id) + "\",engagement_type=\"url_clicks\"}",
                hour + 1h),
            hourly(wire::EngagementType::url_clicks, hour));
}

// The live half: the exporter's /28hr collector publishes the last complete hour, Prometheus
// scrapes it next to the backfilled blocks, and the same query reads both.
TEST_F(BackfilledWeek, DocumentedPromQLJoinsTheLiveExportersLastHour) {
  // No delay: on a clock that started on the hour, the hour before is complete at once.
  const std::string config = config_for(post_->id) + "\n[collectors.hourly]\ndelay = \"0s\"\n";
  auto exporter = Exporter::start_with_clock(dir_, config, simulator_->url(), clock_);
  ASSERT_TRUE(exporter) << exporter.error().message;
  ASSERT_TRUE(exporter->wait_ready(60s)) << exporter->process().read_stderr();
  const std::string target = exporter->url().substr(std::string("http://").size());
  auto prometheus = Prometheus::start_on_storage(dir_, {target}, blocks_);
  ASSERT_TRUE(prometheus) << prometheus.error().message;
  const std::string query = continuous_graph_query(post_->id);
  ASSERT_TRUE(blocks_loaded(*prometheus, query, from_ + 1h)) << prometheus->query_at(query, from_);

  const double last_hour = hourly(wire::EngagementType::impressions, clock_start_ - 1h);
  const std::string scraped = "x_engagement_post_last_hour_impressions{post_id=\"" +
                              wire::format_post_id(post_->id) + "\",job=\"x-engagement\"}";
  ASSERT_TRUE(eventually([&] { return prometheus->query_single_value(scraped) == last_hour; }, 60s))
      << prometheus->query(scraped) << "\n"
      << exporter->metrics();
  EXPECT_EQ(prometheus->query_single_value(query), last_hour) << prometheus->query(query);
  // The backfilled week is still there in the same graph.
  EXPECT_EQ(prometheus->query_single_value_at(query, from_ + 6h + 30min),
            hourly(wire::EngagementType::impressions, from_ + 5h));
}

}  // namespace
}  // namespace xee::test_stack

// The exporter against the simulator over real HTTP: the whole /totals path from config to
// /metrics, compared with the simulator's own numbers and a golden file, and kept intact through
// the simulator's faults.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "common/time_format.h"
#include "simulator/world/world.h"
#include "tests/integration/stack.h"

namespace xee::test_stack {
namespace {

using namespace std::chrono_literals;
using wire::EngagementType;

const std::string kConfigTemplate = read_text_file(XEE_TEST_DIR "/configs/totals.toml");
constexpr auto kStartTimeout = 60s;

// The simulator's value for a Post at the frozen demo clock, straight from its model.
std::uint64_t world_value(wire::PostId id, EngagementType type) {
  static const simulator::World world(simulator::demo_world());
  const auto now = common::parse_iso8601(kDemoClockStart).value();
  const auto post = world.find_post(id, now);
  return post ? world.cumulative(*post, type, now) : 0;
}

std::string post_series(std::string_view family, std::string_view post_id) {
  return std::string(family) + "{post_id=\"" + std::string(post_id) + "\"}";
}

std::string count_series(std::string_view post_id, std::string_view type) {
  return "x_engagement_post_lifetime_interactions{post_id=\"" + std::string(post_id) +
         "\",engagement_type=\"" + std::string(type) + "\"}";
}

class ExporterAgainstSimulator : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = make_temp_dir("integration"); }

  void start(std::vector<std::string> simulator_args = {}) {
    auto simulator = Simulator::start(dir_, std::move(simulator_args));
    ASSERT_TRUE(simulator) << simulator.error().message;
    simulator_.emplace(std::move(*simulator));
    auto exporter = Exporter::start(dir_, kConfigTemplate, simulator_->url());
    ASSERT_TRUE(exporter) << exporter.error().message;
    exporter_.emplace(std::move(*exporter));
    ASSERT_TRUE(exporter_->wait_ready(kStartTimeout)) << "exporter never became ready; its log:\n"
                                                      << exporter_->process().read_stderr();
  }

  std::optional<double> value(const std::string& series) const {
    return sample_value(exporter_->metrics(), series);
  }

  bool becomes(const std::string& series, double expected, std::chrono::milliseconds timeout) {
    return eventually([&] { return value(series) == expected; }, timeout);
  }

  std::string dir_;
  std::optional<Simulator> simulator_;
  std::optional<Exporter> exporter_;
};

TEST_F(ExporterAgainstSimulator, ServesTheSimulatorsExactTotals) {
  start();
  const std::string metrics = exporter_->metrics();

  // Owned, young: every type, equal to the simulator's model.
  const std::string owned = "2123222773114340474";
  EXPECT_EQ(sample_value(metrics, post_series("x_engagement_post_lifetime_impressions", owned)),
            9186);
  EXPECT_EQ(sample_value(metrics, post_series("x_engagement_post_lifetime_impressions", owned)),
            world_value(2123222773114340474ULL, EngagementType::impressions));
  EXPECT_EQ(sample_value(metrics, post_series("x_engagement_post_lifetime_engagements", owned)),
            world_value(2123222773114340474ULL, EngagementType::engagements));
  for (const auto type :
       {EngagementType::favorites, EngagementType::retweets, EngagementType::quote_tweets,
        EngagementType::replies, EngagementType::video_views}) {
    EXPECT_EQ(sample_value(metrics, count_series(owned, wire::to_string(type))),
              world_value(2123222773114340474ULL, type))
        << wire::to_string(type);
  }
  EXPECT_EQ(sample_value(metrics, "x_engagement_post_info{post_id=\"" + owned +
                                      "\",account=\"acme\",owned=\"true\"}"),
            1);

  // Older than 90 days: no impressions; public types still there.
  const std::string old_post = "2087272001008830085";
  EXPECT_FALSE(
      sample_value(metrics, post_series("x_engagement_post_lifetime_impressions", old_post)));
  EXPECT_EQ(sample_value(metrics, count_series(old_post, "favorites")),
            world_value(2087272001008830085ULL, EngagementType::favorites));

  // Older than 1800 days: no video_views.
  EXPECT_FALSE(sample_value(metrics, count_series("1232397864911514337", "video_views")));
  EXPECT_EQ(sample_value(metrics, count_series("1232397864911514337", "replies")),
            world_value(1232397864911514337ULL, EngagementType::replies));

  // The globex Post configured as acme's was stripped and fetched with Bearer.
  const std::string stripped = "2123362625092853046";
  EXPECT_FALSE(
      sample_value(metrics, post_series("x_engagement_post_lifetime_impressions", stripped)));
  EXPECT_EQ(sample_value(metrics, count_series(stripped, "retweets")),
            world_value(2123362625092853046ULL, EngagementType::retweets));
  EXPECT_EQ(
      sample_value(metrics, "x_engagement_posts_stripped_total{code=\"403\",endpoint=\"totals\"}"),
      1);
  EXPECT_EQ(sample_value(metrics, "x_engagement_posts_excluded{reason=\"not_owned\"}"), 1);

  // Public Posts: public types only, through Bearer.
  EXPECT_EQ(sample_value(metrics, count_series("2123555863147842837", "video_views")),
            world_value(2123555863147842837ULL, EngagementType::video_views));
  EXPECT_FALSE(sample_value(
      metrics, post_series("x_engagement_post_lifetime_impressions", "2123565960884390364")));

  // The Post that does not exist.
  EXPECT_EQ(sample_value(metrics, "x_engagement_posts_excluded{reason=\"unavailable\"}"), 1);
  EXPECT_EQ(sample_value(metrics, "x_engagement_collector_up{collector=\"totals\"}"), 1);
  EXPECT_EQ(sample_value(metrics, "x_engagement_posts_tracked{collector=\"totals\"}"), 9);

  expect_matches_golden(without_volatile_lines(metrics), XEE_TEST_DIR "/golden/totals.prom");
}

TEST_F(ExporterAgainstSimulator, PromtoolFindsNoProblemInTheLiveExposition) {
  start();
  const std::string path = dir_ + "/metrics.prom";
  {
    FILE* file = std::fopen(path.c_str(), "w");
    ASSERT_NE(file, nullptr);
    const std::string metrics = exporter_->metrics();
    std::fwrite(metrics.data(), 1, metrics.size(), file);
    std::fclose(file);
  }
  const std::string command = "/usr/bin/promtool check metrics < " + path + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << output;
  EXPECT_EQ(output, "");
}

TEST_F(ExporterAgainstSimulator, KeepsTheLastGoodValuesThroughServerErrorsAndRecovers) {
  start();
  const std::string impressions =
      post_series("x_engagement_post_lifetime_impressions", "2123222773114340474");
  ASSERT_EQ(value(impressions), 9186);

  ASSERT_TRUE(simulator_->set_faults(R"({"error_rate":1})"));
  ASSERT_TRUE(becomes("x_engagement_collector_up{collector=\"totals\"}", 0, 60s))
      << exporter_->process().read_stderr();
  const std::string metrics = exporter_->metrics();
  EXPECT_EQ(sample_value(metrics, impressions), 9186);
  double server_errors = 0;
  for (const char* code : {"500", "502", "503"}) {
    server_errors += sample_value(metrics, std::string("x_engagement_api_requests_total{code=\"") +
                                               code + "\",endpoint=\"totals\"}")
                         .value_or(0);
  }
  EXPECT_GT(server_errors, 0);
  EXPECT_GT(
      sample_value(metrics,
                   "x_engagement_api_retries_total{endpoint=\"totals\",reason=\"server_error\"}")
          .value_or(0),
      0);

  ASSERT_TRUE(simulator_->set_faults(R"({"error_rate":0})"));
  EXPECT_TRUE(becomes("x_engagement_collector_up{collector=\"totals\"}", 1, 60s));
  EXPECT_EQ(value(impressions), 9186);
}

TEST_F(ExporterAgainstSimulator, CountsMalformedBodiesAsDecodeErrorsAndKeepsValues) {
  start();
  const std::string favorites = count_series("2123521096312426148", "favorites");
  const auto before = value(favorites);
  ASSERT_TRUE(before);

  ASSERT_TRUE(simulator_->set_faults(R"({"malformed_rate":1})"));
  ASSERT_TRUE(eventually(
      [&] {
        return value("x_engagement_api_decode_errors_total{endpoint=\"totals\"}").value_or(0) > 0;
      },
      60s))
      << exporter_->process().read_stderr();
  EXPECT_TRUE(becomes("x_engagement_collector_up{collector=\"totals\"}", 0, 30s));
  EXPECT_EQ(value(favorites), before);
}

TEST_F(ExporterAgainstSimulator, WaitsOutA429StormAndRecovers) {
  start();
  const std::string successes =
      "x_engagement_collector_polls_total{collector=\"totals\",result=\"success\"}";
  const double rounds_before = value(successes).value_or(0);
  ASSERT_TRUE(simulator_->set_faults(R"({"rate_limit_rate":1})"));
  ASSERT_TRUE(eventually(
      [&] {
        return value("x_engagement_api_requests_total{code=\"429\",endpoint=\"totals\"}")
                   .value_or(0) > 0;
      },
      60s))
      << exporter_->process().read_stderr();
  EXPECT_EQ(value(post_series("x_engagement_post_lifetime_impressions", "2123222773114340474")),
            9186);
  ASSERT_TRUE(simulator_->set_faults(R"({"rate_limit_rate":0})"));
  // The batch is retried after X's reset (at most a minute away) and the round then succeeds.
  EXPECT_TRUE(eventually([&] { return value(successes).value_or(0) > rounds_before; }, 120s))
      << exporter_->process().read_stderr();
}

TEST_F(ExporterAgainstSimulator, ReloadDropsARemovedPostsSeriesAndSurvivesABadConfig) {
  start();
  const std::string removed =
      post_series("x_engagement_post_created_timestamp_seconds", "2123521096312426148");
  ASSERT_TRUE(value(removed));

  std::string smaller = kConfigTemplate;
  const std::string entry = "[[posts]]\nid = \"2123521096312426148\"\naccount = \"acme\"\n";
  const auto at = smaller.find(entry);
  ASSERT_NE(at, std::string::npos);
  smaller.erase(at, entry.size());
  ASSERT_TRUE(exporter_->reload_with(smaller));
  EXPECT_TRUE(eventually([&] { return !value(removed).has_value(); }, 60s))
      << exporter_->process().read_stderr();
  EXPECT_EQ(value("x_engagement_config_last_reload_successful"), 1);
  EXPECT_EQ(value("x_engagement_posts_tracked{collector=\"totals\"}"), 8);

  ASSERT_TRUE(exporter_->reload_with(smaller + "\n[collectors.totals]\nintervall = \"1m\"\n"));
  EXPECT_TRUE(becomes("x_engagement_config_last_reload_successful", 0, 10s));
  EXPECT_EQ(value(post_series("x_engagement_post_lifetime_impressions", "2123222773114340474")),
            9186);
  EXPECT_NE(exporter_->process().read_stderr().find("configuration reload failed"),
            std::string::npos);
}

TEST_F(ExporterAgainstSimulator, ShutsDownCleanlyOnSigterm) {
  start();
  auto status = exporter_->process().stop(10s);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_TRUE(status->exited);
  EXPECT_EQ(status->exit_code, 0);
  EXPECT_NE(exporter_->process().read_stderr().find("msg=stopped"), std::string::npos);
}

}  // namespace
}  // namespace xee::test_stack

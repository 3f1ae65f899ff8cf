// End to end: a real Prometheus scrapes the exporter, which polls the simulator; PromQL returns
// the simulator's exact numbers for a Post.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "common/time_format.h"
#include "simulator/server/search.h"
#include "simulator/world/world.h"
#include "tests/integration/stack.h"

namespace xee::test_stack {
namespace {

using namespace std::chrono_literals;
using wire::EngagementType;

std::uint64_t world_value(wire::PostId id, EngagementType type) {
  static const simulator::World world(simulator::demo_world());
  const auto now = common::parse_iso8601(kDemoClockStart).value();
  return world.cumulative(world.find_post(id, now).value(), type, now);
}

// config/example.toml as users run it, pointed at this test's simulator; its Post lists stay
// where they are (the harness writes the config into the test's own folder).
std::string example_config_template() {
  const std::string config_dir = XEE_TEST_DIR "/../../config/";
  std::string text = read_text_file(config_dir + "example.toml");
  const auto replace_all = [&text](const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  };
  replace_all("\"http://127.0.0.1:10880\"", "\"@SIMULATOR_URL@\"");
  replace_all("file = \"example-posts/", "file = \"" + config_dir + "example-posts/");
  return text;
}

TEST(PrometheusScrapesTheExporter, PromQLReturnsTheSimulatorsExactValues) {
  const std::string dir = make_temp_dir("e2e");
  auto simulator = Simulator::start(dir);
  ASSERT_TRUE(simulator) << simulator.error().message;
  auto exporter = Exporter::start(dir, example_config_template(), simulator->url());
  ASSERT_TRUE(exporter) << exporter.error().message;
  ASSERT_TRUE(exporter->wait_ready(60s)) << exporter->process().read_stderr();
  const std::string target = exporter->url().substr(std::string("http://").size());
  auto prometheus = Prometheus::start(dir, {target});
  ASSERT_TRUE(prometheus) << prometheus.error().message;

  // The example config's first acme Post: impressions come with the owner's tokens.
  const std::string impressions =
      "x_engagement_post_lifetime_impressions{post_id=\"2123521096312426148\"}";
  // Prometheus's first scrape lands a few seconds after it starts.
  ASSERT_TRUE(
      eventually([&] { return prometheus->query_single_value(impressions).has_value(); }, 60s))
      << prometheus->query(impressions);
  EXPECT_EQ(prometheus->query_single_value(impressions),
            world_value(2123521096312426148ULL, EngagementType::impressions));

  // A join a dashboard would make: favorites of acme's Posts, summed.
  const std::string acme_favorites =
      "sum(x_engagement_post_lifetime_interactions{engagement_type=\"favorites\"} * on(post_id) "
      "group_left(account) x_engagement_post_info{account=\"acme\",owned=\"true\"})";
  std::uint64_t expected = 0;
  for (const wire::PostId id :
       {2123521096312426148ULL, 2123468533676378570ULL, 2123413152350603743ULL,
        2123354537900114334ULL, 2123274344590213983ULL, 2123222773114340474ULL,
        2123164300896895641ULL, 2123109616874161415ULL, 2087272001008830085ULL,
        2087208115178048168ULL}) {
    expected += world_value(id, EngagementType::favorites);
  }
  EXPECT_EQ(prometheus->query_single_value(acme_favorites), static_cast<double>(expected));
  EXPECT_EQ(prometheus->query_single_value("up{job=\"x-engagement\"}"), 1);
}

// The World's summed favorites of the Posts the simulator's search finds for #launchday in the
// discovery config's first look back (a day, up to X's default end 30 s before now).
std::uint64_t world_launchday_favorites() {
  static const simulator::World world(simulator::demo_world());
  const auto now = common::parse_iso8601(kDemoClockStart).value();
  const auto query = simulator::server::parse_search_query("#launchday -is:retweet").value();
  std::uint64_t sum = 0;
  for (const auto& post : world.posts_between(now - 24h, now - 30s)) {
    if (simulator::server::matches(query, post)) {
      sum += world.cumulative(post, EngagementType::favorites, now);
    }
  }
  return sum;
}

TEST(PrometheusScrapesTheExporter, AHashtagsSummedFavoritesAreTheSimulatorsFigure) {
  const std::string dir = make_temp_dir("e2e-discovery");
  auto simulator = Simulator::start(dir);
  ASSERT_TRUE(simulator) << simulator.error().message;
  auto exporter = Exporter::start(
      dir, read_text_file(XEE_TEST_DIR "/../integration/configs/discovery.toml"), simulator->url());
  ASSERT_TRUE(exporter) << exporter.error().message;
  ASSERT_TRUE(exporter->wait_ready(60s)) << exporter->process().read_stderr();
  const std::string target = exporter->url().substr(std::string("http://").size());
  auto prometheus = Prometheus::start(dir, {target});
  ASSERT_TRUE(prometheus) << prometheus.error().message;

  const double expected = static_cast<double>(world_launchday_favorites());
  ASSERT_GT(expected, 0);
  // The exporter's own per-hashtag sum, and the join over per-Post series a dashboard makes: both
  // reach the World's figure once a /totals round has covered every discovered Post.
  const std::string summed =
      "x_engagement_hashtag_lifetime_interactions{engagement_type=\"favorites\","
      "hashtag=\"launchday\"}";
  const std::string joined =
      "sum(x_engagement_post_lifetime_interactions{engagement_type=\"favorites\"} * on(post_id) "
      "group_left x_engagement_post_hashtag_info{hashtag=\"launchday\"})";
  EXPECT_TRUE(eventually([&] { return prometheus->query_single_value(summed) == expected; }, 90s))
      << prometheus->query(summed) << "\nexpected " << expected;
  EXPECT_TRUE(eventually([&] { return prometheus->query_single_value(joined) == expected; }, 30s))
      << prometheus->query(joined) << "\nexpected " << expected;
}

}  // namespace
}  // namespace xee::test_stack

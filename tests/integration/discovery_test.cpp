// Discovery against the simulator's search over real HTTP: the Posts the exporter finds for each
// hashtag, account and campaign are exactly those the simulator's World holds for the query and
// window, their sums are the World's values, caps refuse and count, the billed-accounts count is
// the number of distinct authors, and everything survives a restart through the state file.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/time_format.h"
#include "simulator/server/search.h"
#include "simulator/world/world.h"
#include "tests/integration/stack.h"

namespace xee::test_stack {
namespace {

using namespace std::chrono_literals;
using wire::EngagementType;

const std::string kConfigTemplate = read_text_file(XEE_TEST_DIR "/configs/discovery.toml");
constexpr auto kTimeout = 90s;
constexpr wire::PostId kPinnedAcmePost = 2123222773114340474ULL;

const simulator::World& world() {
  static const simulator::World demo(simulator::demo_world());
  return demo;
}

common::TimePoint demo_now() { return common::parse_iso8601(kDemoClockStart).value(); }

// The config's lookback: a day holds Posts of every source, owned ones among #launchday's.
constexpr auto kLookback = 24h;

// What the simulator's search returns for `query` on the exporter's first look back up to X's
// default end, now - 30 s.
std::vector<simulator::Post> world_search(const std::string& query) {
  const auto parsed = simulator::server::parse_search_query(query);
  EXPECT_TRUE(parsed) << query;
  std::vector<simulator::Post> found;
  for (simulator::Post& post : world().posts_between(demo_now() - kLookback, demo_now() - 30s)) {
    if (simulator::server::matches(*parsed, post)) found.push_back(std::move(post));
  }
  return found;
}

std::uint64_t world_sum(const std::vector<simulator::Post>& posts, EngagementType type) {
  std::uint64_t sum = 0;
  for (const auto& post : posts) sum += world().cumulative(post, type, demo_now());
  return sum;
}

std::string id_text(wire::PostId id) { return wire::format_post_id(id); }

class DiscoveryAgainstSimulator : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("discovery");
    auto simulator = Simulator::start(dir_);
    ASSERT_TRUE(simulator) << simulator.error().message;
    simulator_.emplace(std::move(*simulator));
    launchday_ = world_search("#launchday -is:retweet");
    xapi_ = world_search("#xapi lang:es");
    globex_ = world_search("from:globex");
    acme_ = world_search("from:acme");
  }

  void start_exporter() {
    auto exporter = Exporter::start(dir_, kConfigTemplate, simulator_->url());
    ASSERT_TRUE(exporter) << exporter.error().message;
    exporter_.emplace(std::move(*exporter));
    ASSERT_TRUE(exporter_->wait_ready(kTimeout)) << exporter_->process().read_stderr();
  }

  // Waits until a /totals round has answered for every discovered Post: the hashtag's summed
  // favorites reach the World's figure.
  std::string settled_metrics() {
    const std::string series =
        "x_engagement_hashtag_lifetime_interactions{engagement_type=\"favorites\","
        "hashtag=\"launchday\"}";
    const double expected = static_cast<double>(world_sum(launchday_, EngagementType::favorites));
    std::string metrics;
    const bool settled = eventually(
        [&] {
          metrics = exporter_->metrics();
          return sample_value(metrics, series) == expected;
        },
        kTimeout);
    EXPECT_TRUE(settled) << "summed favorites never reached " << expected << "; metrics:\n"
                         << metrics << "\nexporter log:\n"
                         << exporter_->process().read_stderr();
    return metrics;
  }

  std::string dir_;
  std::optional<Simulator> simulator_;
  std::optional<Exporter> exporter_;
  std::vector<simulator::Post> launchday_, xapi_, globex_, acme_;
};

TEST_F(DiscoveryAgainstSimulator, FindsExactlyTheWorldsPostsAndSumsTheirValues) {
  ASSERT_GT(launchday_.size(), 50u);  // the demo world's 12 an hour, and acme's and globex's
  ASSERT_GT(xapi_.size(), 5u);        // more than the cap
  ASSERT_FALSE(globex_.empty());
  start_exporter();
  const std::string metrics = settled_metrics();

  // Every #launchday Post, and nothing else, is a member; sums are the World's.
  EXPECT_EQ(sample_value(metrics, "x_engagement_hashtag_posts_tracked{hashtag=\"launchday\"}"),
            launchday_.size());
  EXPECT_EQ(
      sample_value(metrics, "x_engagement_hashtag_posts_discovered_total{hashtag=\"launchday\"}"),
      launchday_.size());
  for (const auto& post : launchday_) {
    EXPECT_EQ(sample_value(metrics, "x_engagement_post_hashtag_info{hashtag=\"launchday\",post_id=\"" +
                                        id_text(post.id) + "\"}"),
              1)
        << id_text(post.id);
  }
  for (const auto type : {EngagementType::retweets, EngagementType::replies,
                          EngagementType::quote_tweets, EngagementType::video_views}) {
    EXPECT_EQ(sample_value(metrics, "x_engagement_hashtag_lifetime_interactions{engagement_type=\"" +
                                        std::string(wire::to_string(type)) +
                                        "\",hashtag=\"launchday\"}"),
              world_sum(launchday_, type))
        << wire::to_string(type);
  }
  // Impressions only from the owned members (acme's and globex's, read with their tokens).
  std::vector<simulator::Post> owned;
  for (const auto& post : launchday_) {
    if (post.by_configured_account) owned.push_back(post);
  }
  ASSERT_FALSE(owned.empty());
  EXPECT_EQ(sample_value(metrics, "x_engagement_hashtag_lifetime_impressions{hashtag=\"launchday\"}"),
            world_sum(owned, EngagementType::impressions));

  // The capped hashtag: 5 tracked, the rest refused once each (since_id never returns them again).
  EXPECT_EQ(sample_value(metrics, "x_engagement_hashtag_posts_tracked{hashtag=\"xapi\"}"), 5);
  EXPECT_EQ(sample_value(metrics,
                         "x_engagement_discovery_posts_dropped_total{reason=\"hashtag_cap\"}"),
            xapi_.size() - 5);

  // The account source and the campaigns.
  EXPECT_EQ(sample_value(metrics, "x_engagement_account_posts_tracked{account=\"globex\"}"),
            globex_.size());
  EXPECT_EQ(sample_value(metrics, "x_engagement_campaign_posts_tracked{campaign=\"globex-launch\"}"),
            globex_.size());
  std::set<wire::PostId> acme_launch{kPinnedAcmePost};  // configured under acme
  for (const auto& post : launchday_) acme_launch.insert(post.id);
  EXPECT_EQ(sample_value(metrics, "x_engagement_campaign_posts_tracked{campaign=\"acme-launch\"}"),
            acme_launch.size());
  EXPECT_EQ(sample_value(metrics, "x_engagement_post_campaign_info{campaign=\"acme-launch\",post_id=\"" +
                                      id_text(kPinnedAcmePost) + "\"}"),
            1);

  // Discovered acme and globex Posts are owned: read with their owners' tokens.
  const auto& globex_post = globex_.front();
  EXPECT_EQ(sample_value(metrics, "x_engagement_post_info{post_id=\"" + id_text(globex_post.id) +
                                      "\",account=\"globex\",owned=\"true\"}"),
            1);
  EXPECT_EQ(sample_value(metrics, "x_engagement_post_lifetime_impressions{post_id=\"" +
                                      id_text(globex_post.id) + "\"}"),
            world().cumulative(globex_post, EngagementType::impressions, demo_now()));

  // A Post found by two sources (a globex #launchday Post) is asked once per round: the tracked
  // count is the union.
  std::set<wire::PostId> all{kPinnedAcmePost};
  for (const auto* group : {&launchday_, &globex_}) {
    for (const auto& post : *group) all.insert(post.id);
  }
  for (std::size_t i = 0; i < 5; ++i) all.insert(xapi_[i].id);
  EXPECT_EQ(sample_value(metrics, "x_engagement_posts_tracked{collector=\"totals\"}"), all.size());
  EXPECT_EQ(sample_value(metrics, "x_engagement_posts_tracked{collector=\"search\"}"),
            all.size() - 1);

  // Billing: distinct authors of every Post asked on /totals this month.
  std::set<std::string> authors{"acme"};
  for (const auto& post : world().posts_between(demo_now() - kLookback, demo_now() - 30s)) {
    if (all.contains(post.id)) authors.insert(post.author_handle);
  }
  EXPECT_EQ(sample_value(metrics, "x_engagement_accounts_queried_this_month"), authors.size());
  EXPECT_EQ(sample_value(metrics, "x_engagement_accounts_queried_monthly_limit"), 100);
  EXPECT_EQ(sample_value(metrics, "x_engagement_accounts_queried_month_start_timestamp_seconds"),
            1793491200);  // 2026-11-01T00:00:00Z
  EXPECT_EQ(sample_value(metrics, "x_engagement_collector_up{collector=\"search\"}"), 1);
  EXPECT_EQ(sample_value(metrics, "x_engagement_api_rate_limit_limit{endpoint=\"search\",window=\"15m\"}"),
            450);
}

TEST_F(DiscoveryAgainstSimulator, TopPageRanksTheHashtagsPostsByTheWorldsValues) {
  start_exporter();
  settled_metrics();
  std::vector<std::pair<std::uint64_t, wire::PostId>> ranked;
  for (const auto& post : launchday_) {
    ranked.push_back({world().cumulative(post, EngagementType::favorites, demo_now()), post.id});
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  const auto page = test_support::http_get(exporter_->url() + "/top?group=launchday&n=3&format=json");
  ASSERT_EQ(page.status, 200) << page.body;
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NE(page.body.find("\"" + id_text(ranked[i].second) + "\""), std::string::npos)
        << "rank " << i + 1 << " " << id_text(ranked[i].second) << " missing from\n" << page.body;
  }
  const auto html = test_support::http_get(exporter_->url() + "/top?n=0");
  EXPECT_EQ(html.status, 400);
}

TEST_F(DiscoveryAgainstSimulator, DiscoveredPostsAndTheBillingCountSurviveARestart) {
  start_exporter();
  const std::string before = settled_metrics();
  const auto tracked = sample_value(before, "x_engagement_posts_tracked{collector=\"search\"}");
  const auto accounts = sample_value(before, "x_engagement_accounts_queried_this_month");
  ASSERT_TRUE(tracked && accounts);
  exporter_.reset();  // SIGTERM; the state file stays in dir_

  // The restarted exporter knows its discovered Posts from the state file before searching: a
  // search at the frozen clock with the saved since_id finds nothing new.
  start_exporter();
  const std::string after = settled_metrics();
  EXPECT_EQ(sample_value(after, "x_engagement_posts_tracked{collector=\"search\"}"), tracked);
  EXPECT_EQ(sample_value(after, "x_engagement_accounts_queried_this_month"), accounts);
  EXPECT_EQ(sample_value(after, "x_engagement_hashtag_posts_discovered_total{hashtag=\"launchday\"}"),
            launchday_.size());
  EXPECT_EQ(sample_value(after, "x_engagement_discovery_posts_dropped_total{reason=\"hashtag_cap\"}"),
            std::nullopt);  // nothing refused again: the cursor was kept
}

}  // namespace
}  // namespace xee::test_stack

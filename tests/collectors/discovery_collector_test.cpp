#include "collectors/discovery_collector.h"

#include <gtest/gtest.h>

#include <sstream>

#include "collectors/discovery_state.h"
#include "common/time_format.h"
#include "fake_search_api.h"
#include "metric_reader.h"
#include "tests/state/temp_folder.h"

namespace xee::collectors {
namespace {

using namespace std::chrono_literals;
using testing::FakeSearchApi;
using testing::metric_value;

const common::TimePoint kNow = *common::parse_iso8601("2026-11-20T00:00:00Z");

PostId post_at(common::Millis age, std::uint32_t sequence = 0) {
  return wire::make_snowflake(kNow - age, 1, sequence);
}

// `count` Posts, one per minute going back from 1 minute before kNow.
std::vector<FoundPost> stream(std::uint32_t count, std::uint32_t sequence, std::string author) {
  std::vector<FoundPost> posts;
  for (std::uint32_t i = 1; i <= count; ++i) {
    posts.push_back(
        {post_at(std::chrono::minutes{i}, sequence), std::nullopt, std::nullopt, author});
  }
  return posts;
}

DiscoverySettings settings() {
  DiscoverySettings settings;
  settings.rules.sources = {{SourceKind::hashtag, "launchday", "#launchday", 500, ""},
                            {SourceKind::account, "globex", "from:globex", 500, ""}};
  settings.rules.campaigns = {{"launch", {}, {"hashtag:launchday", "account:globex"}, {}, 1000}};
  settings.rules.max_posts = 2000;
  settings.bearer = {"demo-bearer-token"};
  settings.lookback = 24h;
  settings.requests_per_window = 100;
  settings.max_pages_per_round = 2;
  return settings;
}

class DiscoveryCollectorTest : public ::testing::Test {
 protected:
  std::unique_ptr<DiscoveryCollector> make(DiscoverySettings s, state::StateFile* state = nullptr) {
    auto collector = std::make_unique<DiscoveryCollector>(api_, store_, telemetry_, clock_, logger_,
                                                          state, std::move(s));
    collector->restore_state();
    return collector;
  }
  std::vector<PostId> group(const std::vector<store::PostGroup> store::DiscoverySection::*kind,
                            std::size_t index) const {
    const auto section = store_.snapshot().discovery;
    return section ? ((*section).*kind)[index].posts : std::vector<PostId>{};
  }
  double metric(std::string_view family, const testing::Labels& labels = {}) const {
    return metric_value(telemetry_, family, labels).value_or(-1);
  }

  FakeSearchApi api_;
  common::ManualClock clock_{kNow};
  store::Telemetry telemetry_{store::BuildInfo{"test", "test", "test"}};
  store::SnapshotStore store_;
  std::ostringstream log_;
  common::Logger logger_{log_, common::LogLevel::debug, common::LogFormat::logfmt, clock_};
};

TEST_F(DiscoveryCollectorTest, FirstSearchLooksBackThenPagesThenPollsSinceTheNewest) {
  api_.add("#launchday", stream(250, 1, "user_1"));
  auto collector = make(settings());

  ASSERT_TRUE(collector->poll_once());
  // #launchday: pages 1 and 2 of 3 this round (max 2 pages); from:globex: one empty page.
  ASSERT_EQ(api_.requests().size(), 3u);
  const SearchRequest& first = api_.requests()[0];
  EXPECT_EQ(first.query, "#launchday");
  EXPECT_EQ(first.max_results, 100u);
  EXPECT_EQ(first.start_time, std::chrono::floor<std::chrono::seconds>(kNow - 24h));
  EXPECT_FALSE(first.since_id);
  EXPECT_EQ(first.auth.token, "demo-bearer-token");
  EXPECT_TRUE(api_.requests()[1].next_token);
  EXPECT_FALSE(api_.requests()[1].start_time);
  EXPECT_EQ(group(&store::DiscoverySection::hashtags, 0).size(), 200u);

  ASSERT_TRUE(collector->poll_once());  // the rotation starts where it stopped: #launchday
  EXPECT_EQ(api_.requests()[3].query, "#launchday");
  EXPECT_TRUE(api_.requests()[3].next_token);  // page 3 resumes the interrupted walk
  EXPECT_EQ(group(&store::DiscoverySection::hashtags, 0).size(), 250u);

  // The walk is complete: since_id is the newest ID of its first page.
  api_.add("#launchday", {{post_at(-1min, 1), std::nullopt, std::nullopt, "user_1"}});
  clock_.advance(5min);
  ASSERT_TRUE(collector->poll_once());
  const SearchRequest& next = api_.requests()[api_.requests().size() - 2];
  EXPECT_EQ(next.query, "#launchday");
  EXPECT_EQ(next.since_id, post_at(1min, 1));
  EXPECT_FALSE(next.start_time);
  EXPECT_EQ(group(&store::DiscoverySection::hashtags, 0).size(), 251u);
  EXPECT_EQ(metric("x_engagement_posts_tracked", {{"collector", "search"}}), 251);
  EXPECT_EQ(metric("x_engagement_collector_up", {{"collector", "search"}}), 1);
}

TEST_F(DiscoveryCollectorTest, APostFoundByTwoSourcesIsTrackedOnce) {
  const auto shared = stream(3, 7, "globex");
  api_.add("#launchday", shared);
  api_.add("from:globex", shared);
  auto collector = make(settings());
  ASSERT_TRUE(collector->poll_once());
  EXPECT_EQ(collector->tracked().size(), 3u);
  EXPECT_EQ(group(&store::DiscoverySection::campaigns, 0).size(), 3u);
  EXPECT_EQ(store_.snapshot().discovery->campaigns[0].discovered_total, 3u);
  EXPECT_EQ(store_.snapshot().discovery->hashtags[0].discovered_total, 3u);
  EXPECT_EQ(store_.snapshot().discovery->accounts[0].discovered_total, 3u);
}

TEST_F(DiscoveryCollectorTest, NoSearchStartsOnceShutdownBegan) {
  api_.add("#launchday", stream(3, 1, "a"));
  common::StopSignal stop;
  stop.request_stop();
  DiscoveryCollector collector(api_, store_, telemetry_, clock_, logger_, nullptr, settings(),
                               nullptr, &stop);
  collector.restore_state();
  collector.poll_once();
  EXPECT_TRUE(api_.requests().empty());
  EXPECT_TRUE(collector.tracked().empty());
}

TEST_F(DiscoveryCollectorTest, OwnBudgetStopsTheRoundAndTheNextRoundResumes) {
  api_.add("#launchday", stream(5, 1, "a"));
  api_.add("from:globex", stream(5, 2, "globex"));
  DiscoverySettings s = settings();
  s.requests_per_window = 1;
  auto collector = make(s);
  EXPECT_TRUE(collector->poll_once());  // a deferral is not a failure
  EXPECT_EQ(api_.requests().size(), 1u);
  EXPECT_EQ(collector->tracked().size(), 5u);
  clock_.advance(15min);
  EXPECT_TRUE(collector->poll_once());
  ASSERT_EQ(api_.requests().size(), 2u);
  EXPECT_EQ(api_.requests()[1].query, "from:globex");
  EXPECT_EQ(collector->tracked().size(), 10u);
  EXPECT_EQ(metric("x_engagement_search_request_budget"), 1);
}

TEST_F(DiscoveryCollectorTest, XsHeadersAnd429sHoldRequestsUntilTheReset) {
  api_.add("#launchday", stream(5, 1, "a"));
  const std::int64_t reset = 1795132800 + 600;
  api_.set_window_remaining(0, reset);
  auto collector = make(settings());
  EXPECT_TRUE(collector->poll_once());
  EXPECT_EQ(api_.requests().size(), 1u);  // remaining 0: nothing more until the reset
  EXPECT_EQ(
      metric("x_engagement_api_rate_limit_remaining", {{"endpoint", "search"}, {"window", "15m"}}),
      0);
  clock_.advance(9min);
  collector->poll_once();
  EXPECT_EQ(api_.requests().size(), 1u);
  clock_.advance(1min);
  api_.set_window_remaining(400, reset + 900);
  api_.fail_next(FailureKind::rate_limited, 429, reset + 900);
  EXPECT_FALSE(collector->poll_once());
  EXPECT_EQ(api_.requests().size(), 2u);
  EXPECT_EQ(metric("x_engagement_api_requests_total", {{"code", "429"}, {"endpoint", "search"}}),
            1);
  EXPECT_EQ(metric("x_engagement_collector_up", {{"collector", "search"}}), 0);
}

TEST_F(DiscoveryCollectorTest, AFailedPageKeepsTheCursorAndTheTrackedPosts) {
  api_.add("#launchday", stream(150, 1, "a"));
  DiscoverySettings s = settings();
  s.rules.sources.resize(1);
  auto collector = make(s);
  api_.fail_next(FailureKind::server, 503);
  EXPECT_FALSE(collector->poll_once());
  EXPECT_TRUE(collector->tracked().empty());
  EXPECT_TRUE(collector->poll_once());
  EXPECT_EQ(collector->tracked().size(), 150u);
  EXPECT_NE(log_.str().find("search failed"), std::string::npos);
}

TEST_F(DiscoveryCollectorTest, DiscoveredPostsAndCursorsSurviveARestart) {
  state::testing::TempFolder folder;
  api_.add("#launchday", stream(120, 1, "a"));
  DiscoverySettings s = settings();
  s.rules.sources.resize(1);
  s.max_pages_per_round = 1;
  {
    state::StateFile file(folder.file("state.json"), clock_);
    file.load();
    auto collector = make(s, &file);
    ASSERT_TRUE(collector->poll_once());  // page 1 of 2: the token is saved
    EXPECT_EQ(collector->tracked().size(), 100u);
  }
  state::StateFile file(folder.file("state.json"), clock_);
  ASSERT_EQ(file.load().status, state::LoadStatus::loaded);
  auto restarted = make(s, &file);
  EXPECT_EQ(restarted->tracked().size(), 100u);
  EXPECT_EQ(group(&store::DiscoverySection::hashtags, 0).size(), 100u);  // published at once
  ASSERT_TRUE(restarted->poll_once());
  EXPECT_TRUE(api_.requests().back().next_token);
  EXPECT_EQ(restarted->tracked().size(), 120u);
  EXPECT_EQ(store_.snapshot().discovery->hashtags[0].discovered_total, 120u);
}

TEST_F(DiscoveryCollectorTest, ACorruptDiscoverySectionIsReportedAndRebuilt) {
  state::testing::TempFolder folder;
  state::StateFile file(folder.file("state.json"), clock_);
  file.set_section(kDiscoveryStateSection, R"({"posts":[{"post_id":"x"}],"cursors":{}})");
  api_.add("#launchday", stream(3, 1, "a"));
  auto collector = make(settings(), &file);
  EXPECT_NE(log_.str().find("discovery section unreadable"), std::string::npos);
  EXPECT_NE(log_.str().find("posts[0]: \\\"post_id\\\" is not a Post ID: \\\"x\\\""),
            std::string::npos)
      << log_.str();
  EXPECT_EQ(metric("x_engagement_state_file_ok", {{"operation", "load"}}), 0);
  ASSERT_TRUE(collector->poll_once());
  EXPECT_EQ(collector->tracked().size(), 3u);
  EXPECT_EQ(metric("x_engagement_state_file_ok", {{"operation", "save"}}), 1);
  EXPECT_TRUE(decode_discovery_state(*file.section(kDiscoveryStateSection)).has_value());
}

TEST_F(DiscoveryCollectorTest, ExpiredAndRefusedPostsAreCounted) {
  DiscoverySettings s = settings();
  s.rules.sources.resize(1);
  s.rules.sources[0].max_posts = 2;
  s.rules.ttl = 2h;
  api_.add("#launchday", stream(3, 1, "a"));
  api_.add("#launchday", {{post_at(3h, 1), std::nullopt, std::nullopt, "a"}});
  auto collector = make(s);
  collector->poll_once();
  EXPECT_EQ(collector->tracked().size(), 2u);
  EXPECT_EQ(metric("x_engagement_discovery_posts_dropped_total", {{"reason", "hashtag_cap"}}), 1);
  clock_.advance(2h);  // the two tracked Posts (1 and 2 minutes old) pass their TTL
  collector->poll_once();
  EXPECT_EQ(collector->tracked().size(), 0u);
  EXPECT_EQ(metric("x_engagement_discovery_posts_dropped_total", {{"reason", "ttl"}}), 3);
}

}  // namespace
}  // namespace xee::collectors

#include "exporter/top_posts.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace xee::exporter {
namespace {

using wire::EngagementType;

store::PostTotals post(wire::PostId id,
                       std::vector<std::pair<EngagementType, std::uint64_t>> values) {
  store::PostTotals totals;
  totals.post_id = id;
  for (const auto& [type, value] : values) totals.set(type, value);
  return totals;
}

// Six members of LaunchDay: ties on engagements (101, 102) and favorites (101, 102, 104), an
// unowned Post without impressions (103), one without values (105) and one not in /totals (999).
store::Snapshot snapshot() {
  store::TotalsSection totals;
  totals.posts = {
      post(101, {{EngagementType::impressions, 500},
                 {EngagementType::engagements, 50},
                 {EngagementType::favorites, 10},
                 {EngagementType::retweets, 5},
                 {EngagementType::quote_tweets, 1},
                 {EngagementType::replies, 2},
                 {EngagementType::video_views, 100}}),
      post(102, {{EngagementType::impressions, 900},
                 {EngagementType::engagements, 50},
                 {EngagementType::favorites, 10},
                 {EngagementType::retweets, 7},
                 {EngagementType::quote_tweets, 0},
                 {EngagementType::replies, 2},
                 {EngagementType::video_views, 0}}),
      post(103, {{EngagementType::favorites, 30},
                 {EngagementType::retweets, 0},
                 {EngagementType::quote_tweets, 0},
                 {EngagementType::replies, 9},
                 {EngagementType::video_views, 5}}),
      post(104, {{EngagementType::favorites, 10},
                 {EngagementType::retweets, 5},
                 {EngagementType::quote_tweets, 0},
                 {EngagementType::replies, 3}}),
      post(105, {}),
  };
  store::DiscoverySection discovery;
  discovery.hashtags = {{"LaunchDay", {101, 102, 103, 104, 105, 999}, 9}, {"xapi", {103}, 1}};
  discovery.accounts = {{"acme", {101, 102}, 2}};
  discovery.campaigns = {{"q4<launch>", {102, 104}, 0}};
  return {std::make_shared<const store::TotalsSection>(std::move(totals)), nullptr,
          std::make_shared<const store::DiscoverySection>(std::move(discovery))};
}

// "post_id=value" per ranked Post, in rank order; ranks checked to count from 1.
std::vector<std::string> ranked(const MetricRanking& ranking) {
  std::vector<std::string> posts;
  for (std::size_t i = 0; i < ranking.posts.size(); ++i) {
    EXPECT_EQ(ranking.posts[i].rank, i + 1);
    posts.push_back(std::to_string(ranking.posts[i].post_id) + "=" +
                    std::to_string(ranking.posts[i].value));
  }
  return posts;
}

using Ranks = std::vector<std::string>;

TEST(TopPosts, RanksEachMetricHighestFirstTiesByPostId) {
  const store::Snapshot world = snapshot();
  const auto groups = rank_top_posts(*world.discovery, world.totals.get(), {});
  ASSERT_EQ(groups.size(), 3u);  // hashtags, then campaigns; accounts are not ranked
  EXPECT_EQ(groups[0].name, "LaunchDay");
  EXPECT_EQ(groups[0].kind, GroupRanking::Kind::hashtag);
  EXPECT_EQ(groups[0].tracked, 6u);
  EXPECT_EQ(groups[1].name, "xapi");
  EXPECT_EQ(groups[2].name, "q4<launch>");
  EXPECT_EQ(groups[2].kind, GroupRanking::Kind::campaign);

  const auto& launchday = groups[0].rankings;
  ASSERT_EQ(launchday.size(), 7u);
  EXPECT_EQ(launchday[0].metric, EngagementType::impressions);
  EXPECT_EQ(ranked(launchday[0]), (Ranks{"102=900", "101=500"}));
  EXPECT_EQ(ranked(launchday[1]), (Ranks{"101=50", "102=50"}));
  EXPECT_EQ(launchday[2].metric, EngagementType::favorites);
  EXPECT_EQ(ranked(launchday[2]), (Ranks{"103=30", "101=10", "102=10", "104=10"}));
  EXPECT_EQ(ranked(launchday[3]), (Ranks{"102=7", "101=5", "104=5", "103=0"}));
  EXPECT_EQ(ranked(launchday[4]), (Ranks{"101=1", "102=0", "103=0", "104=0"}));
  EXPECT_EQ(ranked(launchday[5]), (Ranks{"103=9", "104=3", "101=2", "102=2"}));
  EXPECT_EQ(launchday[6].metric, EngagementType::video_views);
  EXPECT_EQ(ranked(launchday[6]), (Ranks{"101=100", "103=5", "102=0"}));

  EXPECT_EQ(ranked(groups[1].rankings[0]), Ranks{});
  EXPECT_EQ(ranked(groups[1].rankings[2]), (Ranks{"103=30"}));
  EXPECT_EQ(ranked(groups[2].rankings[2]), (Ranks{"102=10", "104=10"}));
}

TEST(TopPosts, KeepsTheTopNAndFiltersOneGroup) {
  const store::Snapshot world = snapshot();
  const auto two = rank_top_posts(*world.discovery, world.totals.get(),
                                  {.n = 2, .group = "launchday", .json = false});
  ASSERT_EQ(two.size(), 1u);  // a hashtag matches regardless of case
  EXPECT_EQ(ranked(two[0].rankings[2]), (Ranks{"103=30", "101=10"}));
  EXPECT_EQ(ranked(two[0].rankings[3]), (Ranks{"102=7", "101=5"}));

  const auto campaign = rank_top_posts(*world.discovery, world.totals.get(),
                                       {.n = 1, .group = "q4<launch>", .json = false});
  ASSERT_EQ(campaign.size(), 1u);
  EXPECT_EQ(ranked(campaign[0].rankings[0]), (Ranks{"102=900"}));
  // Campaign names match exactly.
  EXPECT_TRUE(rank_top_posts(*world.discovery, world.totals.get(),
                             {.n = 1, .group = "Q4<LAUNCH>", .json = false})
                  .empty());
  // Without /totals values the members are counted but nothing is ranked.
  const auto no_totals = rank_top_posts(*world.discovery, nullptr, {});
  EXPECT_EQ(no_totals[0].tracked, 6u);
  EXPECT_EQ(ranked(no_totals[0].rankings[2]), Ranks{});
}

TEST(TopPosts, ParsesTheQueryString) {
  const auto defaults = parse_top_posts_query("");
  ASSERT_TRUE(defaults) << defaults.error().message;
  EXPECT_EQ(defaults->n, 10u);
  EXPECT_FALSE(defaults->group);
  EXPECT_FALSE(defaults->json);

  const auto given = parse_top_posts_query("n=100&group=q4%3Claunch%3E&format=json&");
  ASSERT_TRUE(given) << given.error().message;
  EXPECT_EQ(given->n, 100u);
  EXPECT_EQ(given->group, "q4<launch>");
  EXPECT_TRUE(given->json);
  EXPECT_FALSE(parse_top_posts_query("format=html")->json);
  EXPECT_EQ(parse_top_posts_query("n=1")->n, 1u);
}

TEST(TopPosts, BadQueryNamesTheParameterAndValue) {
  const auto error = [](std::string_view query) {
    const auto parsed = parse_top_posts_query(query);
    return parsed ? std::string("<parsed>") : parsed.error().message;
  };
  EXPECT_EQ(error("n=abc"), "n: \"abc\" is not a whole number between 1 and 100");
  for (const std::string_view bad : {"n=0", "n=101", "n=-1", "n=%2B5", "n=1e2", "n=", "n"}) {
    EXPECT_NE(error(bad).find(" is not a whole number between 1 and 100"), std::string::npos)
        << bad;
  }
  EXPECT_EQ(error("n=2.5"), "n: \"2.5\" is not a whole number between 1 and 100");
  EXPECT_EQ(error("format=xml"), "format: \"xml\" is neither html nor json");
  EXPECT_EQ(error("group="), "group: \"\" is empty; name a hashtag or campaign");
  EXPECT_EQ(error("n=1&n=2"), "n: given more than once");
  EXPECT_EQ(error("top=5"), "unknown parameter \"top\" (known: n, group, format)");
  EXPECT_EQ(error("group=%zz"), "query string: malformed percent-escape at offset 0");
}

TEST(TopPosts, JsonGivesTheSameRanking) {
  const auto page = render_top_posts(snapshot(), {.n = 2, .group = "xapi", .json = true});
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "application/json");
  EXPECT_EQ(page.body, R"({"n":2,"discovery_ready":true,"groups":[{"kind":"hashtag","name":"xapi",)"
                       R"("tracked":1,"metrics":{"impressions":[],"engagements":[],)"
                       R"("favorites":[{"rank":1,"post_id":"103","value":30}],)"
                       R"("retweets":[{"rank":1,"post_id":"103","value":0}],)"
                       R"("quote_tweets":[{"rank":1,"post_id":"103","value":0}],)"
                       R"("replies":[{"rank":1,"post_id":"103","value":9}],)"
                       R"("video_views":[{"rank":1,"post_id":"103","value":5}]}}]})"
                       "\n");
}

TEST(TopPosts, HtmlListsRanksWithLinksAndEscapesNames) {
  const auto page = render_top_posts(snapshot(), {.n = 10, .group = "q4<launch>", .json = false});
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<h1>Top Posts</h1>\n<p>The top 10 tracked Posts"), std::string::npos);
  EXPECT_NE(page.body.find("<h2>Campaign q4&lt;launch&gt;</h2>\n<p>2 Posts tracked.</p>\n"),
            std::string::npos);
  EXPECT_NE(page.body.find("<h3>favorites</h3>\n<table>\n"
                           "<tr><th>Rank</th><th>Post</th><th>favorites</th></tr>\n"
                           "<tr><td>1</td><td><a href=\"https://x.com/i/web/status/102\">102</a>"
                           "</td><td>10</td></tr>\n"
                           "<tr><td>2</td><td><a href=\"https://x.com/i/web/status/104\">104</a>"
                           "</td><td>10</td></tr>\n</table>\n"),
            std::string::npos);
  EXPECT_NE(page.body.find("<h3>video_views</h3>\n<table>\n"), std::string::npos);
  EXPECT_EQ(page.body.find("<launch>"), std::string::npos);
  EXPECT_EQ(page.body.find("LaunchDay"), std::string::npos);

  const auto all = render_top_posts(snapshot(), {});
  EXPECT_LT(all.body.find("<h2>#LaunchDay</h2>\n<p>6 Posts tracked.</p>"),
            all.body.find("<h2>#xapi</h2>\n<p>1 Post tracked.</p>\n<h3>impressions</h3>\n"
                          "<p>No values.</p>\n"));
  EXPECT_LT(all.body.find("<h2>#xapi</h2>"), all.body.find("<h2>Campaign q4&lt;launch&gt;</h2>"));
}

TEST(TopPosts, UnknownGroupIs404NamingIt) {
  const auto page = render_top_posts(snapshot(), {.n = 10, .group = "nope", .json = false});
  EXPECT_EQ(page.status, 404);
  EXPECT_EQ(page.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(page.body,
            "group \"nope\": no such hashtag or campaign (hashtags: LaunchDay, xapi; campaigns: "
            "q4<launch>)\n");
}

TEST(TopPosts, BeforeTheFirstDiscoveryRoundSaysThereIsNoData) {
  store::Snapshot before = snapshot();
  before.discovery = nullptr;
  const auto page = render_top_posts(before, {.n = 10, .group = "LaunchDay", .json = false});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(
      page.body.find("<p>No discovery data yet: the first discovery round has not finished.</p>"),
      std::string::npos);
  EXPECT_EQ(page.body.find("<h2>"), std::string::npos);
  EXPECT_EQ(render_top_posts(before, {.n = 3, .group = std::nullopt, .json = true}).body,
            "{\"n\":3,\"discovery_ready\":false,\"groups\":[]}\n");

  store::Snapshot nothing_configured = snapshot();
  nothing_configured.discovery = std::make_shared<const store::DiscoverySection>();
  EXPECT_NE(render_top_posts(nothing_configured, {})
                .body.find("<p>No hashtag or campaign is configured.</p>"),
            std::string::npos);
}

}  // namespace
}  // namespace xee::exporter

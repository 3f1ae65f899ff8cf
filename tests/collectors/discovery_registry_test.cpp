#include "collectors/discovery_registry.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/time_format.h"

namespace xee::collectors {
namespace {

using namespace std::chrono_literals;

const common::TimePoint kNow = *common::parse_iso8601("2026-11-20T00:00:00Z");
const std::int64_t kNowUnix = 1795132800;  // 2026-11-20T00:00:00Z

PostId post_at(common::Millis age, std::uint32_t sequence = 0) {
  return wire::make_snowflake(kNow - age, 1, sequence);
}

FoundPost found(PostId id, std::string author = "", std::string author_id = "") {
  return FoundPost{id, std::nullopt, author_id.empty() ? std::nullopt : std::optional(author_id),
                   std::move(author)};
}

DiscoveryRules rules() {
  DiscoveryRules rules;
  rules.sources = {{SourceKind::hashtag, "LaunchDay", "#LaunchDay -is:retweet", 3, ""},
                   {SourceKind::hashtag, "xapi", "#xapi", 10, ""},
                   {SourceKind::account, "acme", "from:acme", 10, "acme"},
                   {SourceKind::account, "globex", "from:globex", 10, ""}};
  rules.campaigns = {
      {"acme-launch", {}, {"hashtag:launchday", "account:acme"}, {"acme"}, 1000},
      {"small", {}, {"hashtag:xapi"}, {}, 2},
  };
  rules.max_posts = 5;
  rules.ttl = std::chrono::days{7};
  rules.owned_accounts = {"acme", "Globex_Owned"};
  return rules;
}

TEST(SourceKeyTest, NamesCompareCaseInsensitively) {
  EXPECT_EQ(source_key(SourceKind::hashtag, "LaunchDay"), "hashtag:launchday");
  EXPECT_EQ(source_key(SourceKind::account, "ACME"), "account:acme");
}

class DiscoveryRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override { registry_.set_rules(rules(), {}); }
  DiscoveryRegistry registry_;
};

TEST_F(DiscoveryRegistryTest, AdmitsOnceAndDeduplicatesAcrossSources) {
  const PostId id = post_at(1h);
  EXPECT_EQ(registry_.offer("hashtag:launchday", found(id, "acme"), kNowUnix),
            Admission::admitted);
  EXPECT_EQ(registry_.offer("hashtag:launchday", found(id, "acme"), kNowUnix),
            Admission::already_member);
  EXPECT_EQ(registry_.offer("account:acme", found(id, "acme"), kNowUnix), Admission::admitted);
  ASSERT_EQ(registry_.posts().size(), 1u);
  const DiscoveredPost& post = registry_.posts().at(id);
  EXPECT_EQ(post.sources, (std::set<std::string>{"account:acme", "hashtag:launchday"}));
  EXPECT_EQ(post.owner, "acme");  // the author is an [[accounts]] handle
  EXPECT_EQ(post.first_seen_unix, kNowUnix);
  // One Post, one campaign membership, though two of its sources found it.
  EXPECT_EQ(registry_.campaign_discovered_total("acme-launch"), 1u);
  EXPECT_EQ(registry_.cursors().at("hashtag:launchday").discovered_total, 1u);
  EXPECT_EQ(registry_.cursors().at("account:acme").discovered_total, 1u);
  EXPECT_TRUE(registry_.take_drops().empty());
}

TEST_F(DiscoveryRegistryTest, OwnerComesFromTheAccountSourceOrTheAuthorsHandle) {
  const PostId by_source = post_at(1h, 1);
  const PostId by_author = post_at(1h, 2);
  const PostId publicly = post_at(1h, 3);
  registry_.offer("account:acme", found(by_source), kNowUnix);  // author unknown
  registry_.offer("hashtag:xapi", found(by_author, "globex_owned"), kNowUnix);
  registry_.offer("account:globex", found(publicly, "globex", "1000002"), kNowUnix);
  EXPECT_EQ(registry_.posts().at(by_source).owner, "acme");
  EXPECT_EQ(registry_.posts().at(by_author).owner, "Globex_Owned");  // the configured spelling
  EXPECT_EQ(registry_.posts().at(publicly).owner, "");
  EXPECT_EQ(registry_.posts().at(publicly).author_id, "1000002");
}

TEST_F(DiscoveryRegistryTest, RefusesBeyondTheSourceCapAndCountsEachRefusal) {
  for (std::uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(registry_.offer("hashtag:launchday", found(post_at(1h, i)), kNowUnix),
              Admission::admitted);
  }
  EXPECT_EQ(registry_.offer("hashtag:launchday", found(post_at(1h, 9)), kNowUnix),
            Admission::refused);
  EXPECT_EQ(registry_.offer("hashtag:launchday", found(post_at(1h, 9)), kNowUnix),
            Admission::refused);
  EXPECT_EQ(registry_.take_drops(), (DiscoveryRegistry::DropCounts{{"hashtag_cap", 2}}));
  EXPECT_TRUE(registry_.take_drops().empty());  // taken
}

TEST_F(DiscoveryRegistryTest, RefusesWhenACampaignOfTheSourceIsFull) {
  EXPECT_EQ(registry_.offer("hashtag:xapi", found(post_at(1h, 1)), kNowUnix), Admission::admitted);
  EXPECT_EQ(registry_.offer("hashtag:xapi", found(post_at(1h, 2)), kNowUnix), Admission::admitted);
  EXPECT_EQ(registry_.offer("hashtag:xapi", found(post_at(1h, 3)), kNowUnix), Admission::refused);
  EXPECT_EQ(registry_.take_drops(), (DiscoveryRegistry::DropCounts{{"campaign_cap", 1}}));
  EXPECT_EQ(registry_.campaign_discovered_total("small"), 2u);
}

TEST_F(DiscoveryRegistryTest, RefusesNewPostsBeyondTheOverallCapButAddsSourcesToTrackedOnes) {
  for (std::uint32_t i = 0; i < 5; ++i) {
    ASSERT_EQ(registry_.offer("account:globex", found(post_at(1h, i)), kNowUnix),
              Admission::admitted);
  }
  EXPECT_EQ(registry_.offer("account:globex", found(post_at(1h, 7)), kNowUnix),
            Admission::refused);
  // Already tracked: another source may still claim it.
  EXPECT_EQ(registry_.offer("hashtag:xapi", found(post_at(1h, 0)), kNowUnix), Admission::admitted);
  EXPECT_EQ(registry_.take_drops(), (DiscoveryRegistry::DropCounts{{"total_cap", 1}}));
}

TEST_F(DiscoveryRegistryTest, RefusesPostsOlderThanTheTtlAndExpiresTrackedOnes) {
  EXPECT_EQ(registry_.offer("account:globex", found(post_at(7 * 24h + 1s)), kNowUnix),
            Admission::refused);
  const PostId young = post_at(1h);
  const PostId older = post_at(6 * 24h);
  registry_.offer("account:globex", found(young), kNowUnix);
  registry_.offer("account:globex", found(older), kNowUnix);
  EXPECT_EQ(registry_.expire(kNowUnix + 24 * 3600 - 1), 0u);
  EXPECT_EQ(registry_.expire(kNowUnix + 24 * 3600), 1u);  // older reaches 7 days
  EXPECT_EQ(registry_.posts().count(older), 0u);
  EXPECT_EQ(registry_.posts().count(young), 1u);
  EXPECT_EQ(registry_.take_drops(), (DiscoveryRegistry::DropCounts{{"ttl", 2}}));
}

TEST_F(DiscoveryRegistryTest, ReloadDropsPostsOfRemovedSourcesAndCursorsOfChangedQueries) {
  const PostId only_xapi = post_at(1h, 1);
  const PostId both = post_at(1h, 2);
  registry_.offer("hashtag:xapi", found(only_xapi), kNowUnix);
  registry_.offer("hashtag:xapi", found(both), kNowUnix);
  registry_.offer("account:globex", found(both), kNowUnix);
  registry_.cursor("hashtag:launchday").since_id = 42;
  registry_.cursor("account:globex").since_id = 43;

  DiscoveryRules next = rules();
  next.sources.erase(next.sources.begin() + 1);  // xapi gone
  next.sources[0].query = "#LaunchDay lang:en";  // a new query searches from scratch
  registry_.set_rules(next, {});

  EXPECT_EQ(registry_.posts().count(only_xapi), 0u);
  EXPECT_EQ(registry_.posts().at(both).sources, std::set<std::string>{"account:globex"});
  EXPECT_EQ(registry_.cursors().count("hashtag:launchday"), 0u);
  EXPECT_EQ(registry_.cursors().at("account:globex").since_id, 43u);
  EXPECT_EQ(registry_.take_drops(), (DiscoveryRegistry::DropCounts{{"source_removed", 1}}));
}

TEST_F(DiscoveryRegistryTest, SectionGroupsMembersIncludingConfiguredCampaignPosts) {
  DiscoveryRules with_posts = rules();
  with_posts.campaigns[0].posts = {111};
  registry_.set_rules(with_posts, {{222, "acme"}, {333, "globex"}});
  const PostId a = post_at(1h, 1);
  const PostId b = post_at(1h, 2);
  registry_.offer("hashtag:launchday", found(a), kNowUnix);
  registry_.offer("account:globex", found(b), kNowUnix);

  const store::DiscoverySection section = registry_.section();
  ASSERT_EQ(section.hashtags.size(), 2u);
  EXPECT_EQ(section.hashtags[0].name, "LaunchDay");
  EXPECT_EQ(section.hashtags[0].posts, std::vector<PostId>{a});
  EXPECT_EQ(section.hashtags[0].discovered_total, 1u);
  EXPECT_TRUE(section.hashtags[1].posts.empty());
  ASSERT_EQ(section.accounts.size(), 2u);
  EXPECT_EQ(section.accounts[1].posts, std::vector<PostId>{b});
  ASSERT_EQ(section.campaigns.size(), 2u);
  EXPECT_EQ(section.campaigns[0].name, "acme-launch");
  // The listed Post, the configured acme Post and the Post found under #launchday.
  EXPECT_EQ(section.campaigns[0].posts, (std::vector<PostId>{111, 222, a}));
  EXPECT_EQ(section.campaigns[0].discovered_total, 1u);
}

TEST_F(DiscoveryRegistryTest, RestoreKeepsWhatStillAppliesAndExpiresTheRest) {
  const PostId kept = post_at(1h, 1);
  const PostId aged = post_at(6 * 24h + 23h, 2);
  registry_.offer("hashtag:launchday", found(kept), kNowUnix);
  registry_.offer("hashtag:launchday", found(aged), kNowUnix);
  registry_.cursor("hashtag:launchday").since_id = 99;
  const DiscoveryRegistry::Memory memory = registry_.memory();
  registry_.take_drops();

  DiscoveryRegistry restarted;
  restarted.set_rules(rules(), {});
  restarted.restore(memory, kNowUnix + 2 * 3600);  // stopped for two hours
  EXPECT_EQ(restarted.posts().count(kept), 1u);
  EXPECT_EQ(restarted.posts().count(aged), 0u);
  EXPECT_EQ(restarted.cursors().at("hashtag:launchday").since_id, 99u);
  EXPECT_EQ(restarted.cursors().at("hashtag:launchday").discovered_total, 2u);
  EXPECT_EQ(restarted.take_drops(), (DiscoveryRegistry::DropCounts{{"ttl", 1}}));
}

}  // namespace
}  // namespace xee::collectors

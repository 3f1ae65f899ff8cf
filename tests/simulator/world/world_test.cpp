#include "simulator/world/world.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/time_format.h"
#include "tests/simulator/world/demo_clock.h"

namespace xee::simulator {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;

using testing_support::at;
using testing_support::kClockStart;

std::vector<Post> posts_of(const std::vector<Post>& posts, std::string_view author_or_tag) {
  std::vector<Post> selected;
  for (const Post& post : posts) {
    const bool matches = post.by_configured_account ? post.author_handle == author_or_tag
                                                    : post.hashtags.front() == author_or_tag;
    if (matches) selected.push_back(post);
  }
  return selected;
}

TEST(WorldDeterminism, SameConfigGivesSamePostsAndNumbers) {
  const World first(demo_world());
  const World second(demo_world());
  const auto posts = first.posts_between(kClockStart - days{7}, kClockStart);
  ASSERT_EQ(posts.size(), 2584u);
  EXPECT_EQ(second.posts_between(kClockStart - days{7}, kClockStart), posts);
  for (std::size_t i = 0; i < posts.size(); i += 17) {
    for (const auto type : wire::kAllTypes) {
      EXPECT_EQ(first.cumulative(posts[i], type, kClockStart),
                second.cumulative(posts[i], type, kClockStart));
    }
  }
}

TEST(WorldDeterminism, DifferentSeedGivesDifferentPostsAndNumbers) {
  WorldConfig reseeded = demo_world();
  reseeded.seed = 43;
  const World original(demo_world());
  const World other(reseeded);
  const auto original_posts = original.posts_between(kClockStart - days{7}, kClockStart);
  const auto other_posts = other.posts_between(kClockStart - days{7}, kClockStart);
  std::set<PostId> original_ids;
  for (const Post& post : original_posts) original_ids.insert(post.id);
  for (const Post& post : other_posts) EXPECT_EQ(original_ids.count(post.id), 0u) << post.id;

  // The same Post (same ID) also collects different engagement under another seed.
  const Post& post = original_posts[100];
  EXPECT_NE(original.lifetime_count(post, EngagementType::impressions),
            other.lifetime_count(post, EngagementType::impressions));
}

TEST(WorldPosts, PinnedDemoPostsNeverChange) {
  const World world(demo_world());
  const auto acme = posts_of(world.posts_between(at("2026-11-19T00:00:00Z"), kClockStart), "acme");
  ASSERT_EQ(acme.size(), 6u);
  const Post& oldest = acme.back();
  EXPECT_EQ(oldest.id, 2123222773114340474u);
  EXPECT_EQ(common::format_iso8601_millis(oldest.created), "2026-11-19T01:12:11.339Z");
  EXPECT_EQ(oldest.text, "acme recap 1026 #acmecloud");
  EXPECT_EQ(oldest.hashtags, std::vector<std::string>{"acmecloud"});
  EXPECT_FALSE(oldest.has_video);
  EXPECT_EQ(world.cumulative(oldest, EngagementType::impressions, kClockStart), 9186u);
  EXPECT_EQ(world.cumulative(oldest, EngagementType::engagements, kClockStart), 518u);
  EXPECT_EQ(world.cumulative(oldest, EngagementType::favorites, kClockStart), 104u);

  const auto newest = world.posts_between(kClockStart - hours{1}, kClockStart).front();
  EXPECT_EQ(newest.id, 2123565960884390364u);
  EXPECT_EQ(newest.text, "user_2232 news 5471 #launchday");
  EXPECT_EQ(newest.author_id, 9000002232u);
}

TEST(WorldPosts, NewestFirstAndInsideTheWindow) {
  const World world(demo_world());
  const TimePoint from = kClockStart - days{3};
  const auto posts = world.posts_between(from, kClockStart);
  ASSERT_FALSE(posts.empty());
  for (std::size_t i = 0; i < posts.size(); ++i) {
    EXPECT_GE(posts[i].created, from);
    EXPECT_LT(posts[i].created, kClockStart);
    if (i > 0) {
      EXPECT_GE(posts[i - 1].created, posts[i].created);
      EXPECT_GT(posts[i - 1].id, posts[i].id);
    }
  }
  // Adjacent windows split the Posts between them without loss or overlap.
  const auto older = world.posts_between(from, kClockStart - days{1});
  const auto newer = world.posts_between(kClockStart - days{1}, kClockStart);
  EXPECT_EQ(older.size() + newer.size(), posts.size());
  EXPECT_EQ(newer.back().id, posts[newer.size() - 1].id);
  EXPECT_EQ(older.front().id, posts[newer.size()].id);
  EXPECT_TRUE(world.posts_between(kClockStart, kClockStart).empty());
  EXPECT_TRUE(world.posts_between(kClockStart, from).empty());
}

TEST(WorldPosts, AccountPostsBelongToTheirAccount) {
  const World world(demo_world());
  const auto posts = world.posts_between(at("2026-06-01T00:00:00Z"), kClockStart);
  for (const AccountConfig& account : world.config().accounts) {
    const auto own = posts_of(posts, account.handle);
    ASSERT_FALSE(own.empty()) << account.handle;
    for (const Post& post : own) {
      EXPECT_TRUE(post.by_configured_account);
      EXPECT_EQ(post.author_id, account.user_id);
      EXPECT_EQ(post.lang, "en");
      EXPECT_THAT(post.text, testing::StartsWith(account.handle + " "));
      ASSERT_LE(post.hashtags.size(), 1u);
      for (const std::string& tag : post.hashtags) {
        EXPECT_THAT(account.hashtags, testing::Contains(tag));
        EXPECT_THAT(post.text, testing::EndsWith(" #" + tag));
      }
      if (post.hashtags.empty()) {
        EXPECT_THAT(post.text, testing::Not(testing::HasSubstr("#")));
      }
    }
  }
}

TEST(WorldPosts, HashtagPostsComeFromSyntheticPublicAuthors) {
  const World world(demo_world());
  const auto posts = world.posts_between(at("2026-11-01T00:00:00Z"), kClockStart);
  std::set<std::uint64_t> authors;
  for (const HashtagConfig& hashtag : world.config().hashtags) {
    for (const Post& post : posts_of(posts, hashtag.tag)) {
      EXPECT_FALSE(post.by_configured_account);
      ASSERT_GE(post.author_id, kPublicAuthorIdBase);
      ASSERT_LT(post.author_id, kPublicAuthorIdBase + kPublicAuthorCount);
      EXPECT_EQ(post.author_handle, "user_" + std::to_string(post.author_id - kPublicAuthorIdBase));
      EXPECT_EQ(world.account_by_handle(post.author_handle), nullptr);
      EXPECT_EQ(post.hashtags, std::vector<std::string>{hashtag.tag});
      EXPECT_EQ(post.lang, hashtag.lang);
      EXPECT_THAT(post.text, testing::HasSubstr("#" + hashtag.tag));
      authors.insert(post.author_id);
    }
  }
  // 6840 draws from a pool of 5000 reach ~3800 distinct authors when the draw is uniform.
  EXPECT_GT(authors.size(), 3600u);
}

TEST(WorldPosts, StreamsUseTheirSnowflakeWorkers) {
  const World world(demo_world());
  const auto posts = world.posts_between(at("2026-06-01T00:00:00Z"), kClockStart);
  const std::map<std::string, std::uint32_t> expected_worker{
      {"acme", 0}, {"globex", 1}, {"initech_archive", 2}, {"launchday", 512}, {"xapi", 513}};
  for (const auto& [name, worker] : expected_worker) {
    for (const Post& post : posts_of(posts, name)) {
      EXPECT_EQ(wire::snowflake_worker(post.id), worker);
      EXPECT_EQ(wire::snowflake_time(post.id), post.created);
    }
  }
}

// Post k lies in [since + k·I, since + k·I + I/2), so neighbours are more than I/2 and less than
// 3I/2 apart, and Post 0 lies in the first half interval.
TEST(WorldPosts, PostsAreJitteredWithinTheirSlots) {
  const World world(demo_world());
  const milliseconds interval{4 * 3'600'000};  // acme: 6 a day
  const auto acme = posts_of(world.posts_between(at("2026-06-01T00:00:00Z"), kClockStart), "acme");
  ASSERT_EQ(acme.size(), 172u * 6);
  EXPECT_LT(acme.back().created, at("2026-06-01T00:00:00Z") + interval / 2);
  std::set<milliseconds> distinct_offsets;
  for (std::size_t i = 1; i < acme.size(); ++i) {
    const auto gap = acme[i - 1].created - acme[i].created;
    EXPECT_GT(gap, interval / 2);
    EXPECT_LT(gap, interval * 3 / 2);
    distinct_offsets.insert(gap);
  }
  EXPECT_GT(distinct_offsets.size(), acme.size() / 2);
}

TEST(WorldFindPost, FindsEveryPostOfAWindowWithIdenticalFields) {
  const World world(demo_world());
  const auto posts = world.posts_between(at("2026-05-01T00:00:00Z"), kClockStart);
  ASSERT_GT(posts.size(), 8000u);
  for (const Post& post : posts) {
    const auto found = world.find_post(post.id, kClockStart);
    ASSERT_TRUE(found.has_value()) << post.id;
    EXPECT_EQ(*found, post);
  }
  // An initech_archive Post from 2020 too.
  const auto archive =
      posts_of(world.posts_between(at("2020-01-01T00:00:00Z"), at("2020-02-01T00:00:00Z")),
               "initech_archive");
  ASSERT_EQ(archive.size(), 7u);  // one every 5 days
  EXPECT_EQ(world.find_post(archive.front().id, kClockStart), archive.front());
}

TEST(WorldFindPost, RejectsIdsThatNeverExisted) {
  const World world(demo_world());
  const Post post = world.posts_between(kClockStart - days{1}, kClockStart).front();
  const auto sequence = wire::snowflake_sequence(post.id);
  const auto worker = wire::snowflake_worker(post.id);

  EXPECT_FALSE(world.find_post(post.id ^ 1, kClockStart));  // wrong sequence
  EXPECT_FALSE(
      world.find_post(wire::make_snowflake(post.created, worker == 512 ? 513 : 512, sequence),
                      kClockStart));  // another stream's worker
  EXPECT_FALSE(world.find_post(wire::make_snowflake(post.created, 7, sequence),
                               kClockStart));  // a worker no stream uses
  EXPECT_FALSE(
      world.find_post(wire::make_snowflake(post.created + milliseconds{1}, worker, sequence),
                      kClockStart));  // a millisecond off
  EXPECT_FALSE(world.find_post(wire::make_snowflake(at("2026-10-31T23:00:00Z"), 512, 0),
                               kClockStart));  // before the stream began
  EXPECT_FALSE(world.find_post(0, kClockStart));
  EXPECT_FALSE(world.find_post(1790000000000000000u, kClockStart));
  EXPECT_FALSE(world.find_post(~PostId{0}, kClockStart));
}

TEST(WorldFindPost, PostsDoNotExistBeforeTheyAreCreated) {
  const World world(demo_world());
  const Post post = world.posts_between(kClockStart, kClockStart + days{1}).back();
  EXPECT_FALSE(world.find_post(post.id, kClockStart));
  EXPECT_FALSE(world.find_post(post.id, post.created - milliseconds{1}));
  EXPECT_EQ(world.find_post(post.id, post.created), post);
}

TEST(WorldRates, PostCountsFollowTheConfiguredRates) {
  const World world(demo_world());
  const TimePoint end = at("2027-02-01T00:00:00Z");
  const auto posts = world.posts_between(at("2020-01-01T00:00:00Z"), end);
  const auto hours_since = [&](const TimePoint& since) {
    return std::chrono::duration<double, std::ratio<3600>>(end - since).count();
  };
  for (const AccountConfig& account : world.config().accounts) {
    const double expected = hours_since(account.posting_since) / 24 * account.posts_per_day;
    EXPECT_NEAR(static_cast<double>(posts_of(posts, account.handle).size()), expected, 1.0)
        << account.handle;
  }
  for (const HashtagConfig& hashtag : world.config().hashtags) {
    const double expected = hours_since(hashtag.posting_since) * hashtag.posts_per_hour;
    EXPECT_NEAR(static_cast<double>(posts_of(posts, hashtag.tag).size()), expected, 1.0)
        << hashtag.tag;
  }
}

// Shares are draws, so they are compared within 4 standard errors of the configured fraction.
void expect_share(std::size_t hits, std::size_t total, double fraction, std::string_view what) {
  ASSERT_GT(total, 0u);
  const double share = static_cast<double>(hits) / static_cast<double>(total);
  const double standard_error = std::sqrt(fraction * (1 - fraction) / static_cast<double>(total));
  EXPECT_NEAR(share, fraction, 4 * standard_error) << what << ": " << hits << "/" << total;
}

TEST(WorldRates, VideoAndHashtagSharesFollowTheirFractions) {
  const World world(demo_world());
  const auto posts = world.posts_between(at("2020-01-01T00:00:00Z"), at("2027-02-01T00:00:00Z"));
  for (const AccountConfig& account : world.config().accounts) {
    const auto own = posts_of(posts, account.handle);
    const auto with_video =
        std::count_if(own.begin(), own.end(), [](const Post& p) { return p.has_video; });
    const auto with_tag =
        std::count_if(own.begin(), own.end(), [](const Post& p) { return !p.hashtags.empty(); });
    expect_share(static_cast<std::size_t>(with_video), own.size(), account.video_fraction,
                 account.handle + " video");
    const double tag_fraction = account.hashtags.empty() ? 0.0 : account.hashtag_fraction;
    expect_share(static_cast<std::size_t>(with_tag), own.size(), tag_fraction,
                 account.handle + " hashtags");
  }
  for (const HashtagConfig& hashtag : world.config().hashtags) {
    const auto own = posts_of(posts, hashtag.tag);
    const auto with_video =
        std::count_if(own.begin(), own.end(), [](const Post& p) { return p.has_video; });
    expect_share(static_cast<std::size_t>(with_video), own.size(), hashtag.video_fraction,
                 hashtag.tag + " video");
  }
  // acme picks evenly between its two tags.
  const auto acme = posts_of(posts, "acme");
  std::size_t tagged = 0, launchday = 0;
  for (const Post& post : acme) {
    tagged += post.hashtags.size();
    launchday += std::count(post.hashtags.begin(), post.hashtags.end(), "launchday");
  }
  expect_share(launchday, tagged, 0.5, "acme #launchday among tagged");
}

TEST(WorldAccounts, FindsAccountsByTokenAndCaseInsensitiveHandle) {
  const World world(demo_world());
  const AccountConfig* globex = world.account_by_access_token("1000002-globex-demo-token");
  ASSERT_NE(globex, nullptr);
  EXPECT_EQ(globex->handle, "globex");
  EXPECT_EQ(world.account_by_access_token("1000002-GLOBEX-demo-token"), nullptr);
  EXPECT_EQ(world.account_by_access_token("demo-bearer-token"), nullptr);
  EXPECT_EQ(world.account_by_access_token(""), nullptr);
  EXPECT_EQ(world.account_by_handle("Initech_Archive"), &world.config().accounts[2]);
  EXPECT_EQ(world.account_by_handle("initech"), nullptr);
}

TEST(WorldRobustness, OutOfRangeConfigYieldsSilentStreamsInsteadOfCrashing) {
  WorldConfig config = demo_world();
  config.accounts[0].posts_per_day = 0;
  config.accounts[1].posts_per_day = -3;
  config.hashtags[0].posts_per_hour = std::nan("");
  config.hashtags[1].reach = -1;
  const World world(config);
  const auto posts = world.posts_between(kClockStart - days{7}, kClockStart);
  EXPECT_TRUE(posts_of(posts, "acme").empty());
  EXPECT_TRUE(posts_of(posts, "globex").empty());
  EXPECT_TRUE(posts_of(posts, "launchday").empty());
  const auto xapi = posts_of(posts, "xapi");
  ASSERT_FALSE(xapi.empty());
  EXPECT_EQ(world.cumulative(xapi.front(), EngagementType::impressions, kClockStart + days{9}), 0u);
}

}  // namespace
}  // namespace xee::simulator

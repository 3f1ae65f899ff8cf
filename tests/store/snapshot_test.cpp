#include "store/snapshot.h"

#include <gtest/gtest.h>

#include <thread>

namespace xee::store {
namespace {

std::shared_ptr<const TotalsSection> section_with(std::initializer_list<PostId> ids) {
  auto section = std::make_shared<TotalsSection>();
  for (const PostId id : ids) section->posts.push_back(PostTotals{.post_id = id});
  return section;
}

TEST(SnapshotStore, IsEmptyUntilAPublish) {
  SnapshotStore store;
  EXPECT_EQ(store.snapshot().totals, nullptr);
}

TEST(SnapshotStore, AScrapeKeepsTheSectionItTookWhileANewOneIsPublished) {
  SnapshotStore store;
  store.publish_totals(section_with({1, 2}));
  const Snapshot taken = store.snapshot();
  store.publish_totals(section_with({3}));
  ASSERT_EQ(taken.totals->posts.size(), 2u);
  EXPECT_EQ(taken.totals->posts[1].post_id, 2u);
  EXPECT_EQ(store.snapshot().totals->posts.front().post_id, 3u);
}

TEST(SnapshotStore, ReadersAlwaysSeeAWholeSection) {
  SnapshotStore store;
  std::thread writer([&] {
    for (PostId i = 1; i <= 2000; ++i) store.publish_totals(section_with({i, i, i}));
  });
  for (int i = 0; i < 2000; ++i) {
    const auto totals = store.snapshot().totals;
    if (!totals) continue;
    ASSERT_EQ(totals->posts.size(), 3u);
    EXPECT_EQ(totals->posts[0].post_id, totals->posts[2].post_id);
  }
  writer.join();
}

TEST(PostTotals, TracksWhichTypesArePresent) {
  PostTotals post;
  EXPECT_FALSE(post.has(wire::EngagementType::impressions));
  post.set(wire::EngagementType::impressions, 9186);
  post.set(wire::EngagementType::user_profile_clicks, 3);
  EXPECT_TRUE(post.has(wire::EngagementType::impressions));
  EXPECT_TRUE(post.has(wire::EngagementType::user_profile_clicks));
  EXPECT_FALSE(post.has(wire::EngagementType::engagements));
  EXPECT_EQ(post.value(wire::EngagementType::impressions), 9186u);
}

}  // namespace
}  // namespace xee::store

namespace xee::store {
namespace {

TEST(SnapshotStore, TellsTheTotalsListenerAboutEachPublishedSection) {
  SnapshotStore store;
  std::vector<std::shared_ptr<const TotalsSection>> heard;
  store.set_totals_listener([&](const std::shared_ptr<const TotalsSection>& section) {
    heard.push_back(section);
    // The store is readable from the listener: scrapes are not blocked while it works.
    EXPECT_EQ(store.snapshot().totals, section);
  });
  const auto first = section_with({1});
  const auto second = section_with({2});
  store.publish_totals(first);
  store.publish_hourly(std::make_shared<HourlySection>());  // not a /totals section
  store.publish_totals(second);
  EXPECT_EQ(heard, (std::vector<std::shared_ptr<const TotalsSection>>{first, second}));
}

}  // namespace
}  // namespace xee::store

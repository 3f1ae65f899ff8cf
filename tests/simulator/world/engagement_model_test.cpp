#include "simulator/world/engagement_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "common/time_format.h"
#include "simulator/world/world.h"
#include "tests/simulator/world/demo_clock.h"

namespace xee::simulator {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

using testing_support::at;
using testing_support::kClockStart;

std::vector<Post> month_of_demo_posts(const World& world) {
  return world.posts_between(kClockStart - days{30}, kClockStart);
}

// Every 97th Post of the month plus every third viral one: all streams, with and without video.
std::vector<Post> sample(const World& world, const std::vector<Post>& posts) {
  std::vector<Post> picked;
  std::size_t viral_seen = 0;
  for (std::size_t i = 0; i < posts.size(); ++i) {
    const bool viral = world.engagement_profile(posts[i]).viral;
    if (i % 97 == 0 || (viral && viral_seen++ % 3 == 0)) picked.push_back(posts[i]);
  }
  return picked;
}

// Closely spaced through the burst, then sparser along the tail, up to 40 days.
std::vector<TimePoint> life_times(const Post& post) {
  std::vector<TimePoint> times;
  for (TimePoint t = post.created; t < post.created + hours{12}; t += minutes{7}) {
    times.push_back(t);
  }
  for (TimePoint t = post.created + hours{12}; t < post.created + days{40}; t += minutes{53}) {
    times.push_back(t);
  }
  return times;
}

TEST(EngagementGrowth, CumulativeCountsNeverDecrease) {
  const World world(demo_world());
  const auto posts = sample(world, month_of_demo_posts(world));
  ASSERT_GT(posts.size(), 100u);
  for (const Post& post : posts) {
    const auto times = life_times(post);
    for (const auto type : wire::kAllTypes) {
      EXPECT_EQ(world.cumulative(post, type, post.created - hours{1}), 0u);
      EXPECT_EQ(world.cumulative(post, type, post.created), 0u);
      std::uint64_t previous = 0;
      for (const TimePoint t : times) {
        const std::uint64_t count = world.cumulative(post, type, t);
        ASSERT_GE(count, previous) << post.id << " " << wire::to_string(type);
        previous = count;
      }
      EXPECT_LE(static_cast<double>(previous), world.lifetime_count(post, type));
    }
  }
}

// The hours of a Post's life, from the hour it was created to the hour `now` is in, add up to its
// total at `now`; the last hour is the partial one.
TEST(EngagementGrowth, HoursAddUpToTheTotalIncludingThePartialCurrentHour) {
  const World world(demo_world());
  const TimePoint now = kClockStart + minutes{37} + seconds{12} + std::chrono::milliseconds{345};
  const auto current_hour = common::floor_hour(std::chrono::floor<seconds>(now));
  const auto posts = sample(world, world.posts_between(now - days{28}, now));
  ASSERT_GT(posts.size(), 100u);
  for (const Post& post : posts) {
    for (const auto type : wire::kTimeSeriesTypes) {
      std::uint64_t sum = 0;
      for (auto hour = common::floor_hour(std::chrono::floor<seconds>(post.created));
           hour <= current_hour; hour += hours{1}) {
        sum += world.hourly(post, type, hour, now);
      }
      EXPECT_EQ(sum, world.cumulative(post, type, now)) << post.id << " " << wire::to_string(type);
      EXPECT_EQ(world.hourly(post, type, current_hour + hours{1}, now), 0u);
      EXPECT_EQ(world.hourly(post, type, current_hour + days{3}, now), 0u);
      EXPECT_EQ(world.hourly(
                    post, type,
                    common::floor_hour(std::chrono::floor<seconds>(post.created)) - hours{1}, now),
                0u);
    }
  }
}

TEST(EngagementGrowth, TheCurrentHourIsStillFilling) {
  const World world(demo_world());
  const TimePoint now = kClockStart + minutes{20};
  const Post post = world.posts_between(kClockStart - hours{3}, kClockStart).back();
  const auto hour = common::floor_hour(std::chrono::floor<seconds>(now));
  const auto so_far = world.hourly(post, EngagementType::impressions, hour, now);
  EXPECT_EQ(so_far, world.cumulative(post, EngagementType::impressions, now) -
                        world.cumulative(post, EngagementType::impressions, hour));
  const auto full = world.hourly(post, EngagementType::impressions, hour, now + hours{2});
  EXPECT_GT(so_far, 0u);
  EXPECT_GT(full, so_far);
  EXPECT_EQ(full, world.hourly(post, EngagementType::impressions, hour, hour + hours{1}));
}

TEST(EngagementGrowth, BurstInTheFirstHoursThenALongTail) {
  const World world(demo_world());
  for (const Post& post : month_of_demo_posts(world)) {
    const EngagementProfile profile = world.engagement_profile(post);
    ASSERT_GE(profile.burst_hours, 2.0);
    ASSERT_LT(profile.burst_hours, 6.0);
    ASSERT_GE(profile.tail_hours, 72.0);
    ASSERT_LT(profile.tail_hours, 240.0);
    ASSERT_GE(profile.burst_weight, 0.65);
    ASSERT_LT(profile.burst_weight, 0.75);
    // Bounds that follow from those ranges.
    EXPECT_GT(growth_fraction(profile, 1), 0.0);
    EXPECT_LT(growth_fraction(profile, 1), 0.31);
    EXPECT_GT(growth_fraction(profile, 24), 0.64);
    EXPECT_GT(growth_fraction(profile, 240), 0.87);
    EXPECT_LT(growth_fraction(profile, 240), 1.0);
  }
}

TEST(EngagementGrowth, GrowthCurveFormula) {
  EngagementProfile profile;
  profile.burst_hours = 4;
  profile.tail_hours = 100;
  profile.burst_weight = 0.7;
  EXPECT_EQ(growth_fraction(profile, 0), 0.0);
  EXPECT_EQ(growth_fraction(profile, -5), 0.0);
  EXPECT_DOUBLE_EQ(growth_fraction(profile, 10),
                   0.7 * (1 - std::exp(-10.0 / 4)) + 0.3 * (1 - std::exp(-10.0 / 100)));
  EXPECT_DOUBLE_EQ(growth_fraction(profile, 1e6), 1.0);
}

TEST(EngagementPlausibility, EngagementsCoverTheInteractionsAndVideoNeedsAVideo) {
  const World world(demo_world());
  const auto posts = month_of_demo_posts(world);
  for (const Post& post : posts) {
    for (const TimePoint t : {post.created + minutes{30}, post.created + hours{5}, kClockStart}) {
      const auto count = [&](EngagementType type) { return world.cumulative(post, type, t); };
      EXPECT_GE(count(EngagementType::engagements), count(EngagementType::favorites) +
                                                        count(EngagementType::retweets) +
                                                        count(EngagementType::replies))
          << post.id;
      if (!post.has_video) {
        EXPECT_EQ(count(EngagementType::video_views), 0u) << post.id;
      }
      if (post.hashtags.empty()) {
        EXPECT_EQ(count(EngagementType::hashtag_clicks), 0u) << post.id;
      }
    }
  }
}

// Every type that is an interaction rather than a view (media views left engagements in 2017).
bool is_interaction(EngagementType type) {
  return type != EngagementType::impressions && type != EngagementType::engagements &&
         type != EngagementType::video_views && type != EngagementType::media_views;
}

// engagements = 1.1 × the interactions, so at every moment it is at least their sum.
TEST(EngagementPlausibility, EngagementsExceedTheSumOfTheInteractions) {
  const World world(demo_world());
  for (const Post& post : month_of_demo_posts(world)) {
    double lifetime_interactions = 0;
    std::uint64_t interactions_now = 0;
    for (const auto type : wire::kAllTypes) {
      if (!is_interaction(type)) continue;
      lifetime_interactions += world.lifetime_count(post, type);
      interactions_now += world.cumulative(post, type, kClockStart);
    }
    EXPECT_NEAR(world.lifetime_count(post, EngagementType::engagements),
                1.1 * lifetime_interactions, 1e-9 * lifetime_interactions);
    EXPECT_GE(world.cumulative(post, EngagementType::engagements, kClockStart), interactions_now)
        << post.id;
  }
}

// final(type) = 5000 × share(type) × reach × popularity × noise, noise in [0.7, 1.3].
TEST(EngagementPlausibility, LifetimeCountsFollowTheModel) {
  const World world(demo_world());
  const auto posts = month_of_demo_posts(world);
  for (const Post& post : posts) {
    const EngagementProfile profile = world.engagement_profile(post);
    const double expected_impressions = 5000 * profile.reach * profile.popularity;
    const double impressions = world.lifetime_count(post, EngagementType::impressions);
    ASSERT_GE(impressions, 0.7 * expected_impressions) << post.id;
    ASSERT_LE(impressions, 1.3 * expected_impressions) << post.id;
    const double favorites = world.lifetime_count(post, EngagementType::favorites);
    EXPECT_GE(favorites, 0.012 * 0.7 * expected_impressions);
    EXPECT_LE(favorites, 0.012 * 1.3 * expected_impressions);
    const double media_views = world.lifetime_count(post, EngagementType::media_views);
    const double media_share = post.has_video ? 0.40 : 0.08;
    EXPECT_GE(media_views, media_share * 0.7 * expected_impressions);
    EXPECT_LE(media_views, media_share * 1.3 * expected_impressions);
  }
}

TEST(EngagementPlausibility, AboutTwoPercentOfPostsGoViral) {
  const World world(demo_world());
  const auto posts = month_of_demo_posts(world);
  std::vector<double> ordinary_popularity;
  std::size_t viral = 0;
  for (const Post& post : posts) {
    const EngagementProfile profile = world.engagement_profile(post);
    if (profile.viral) {
      ++viral;
    } else {
      ordinary_popularity.push_back(profile.popularity);
    }
  }
  ASSERT_EQ(posts.size(), 7116u);
  EXPECT_EQ(viral, 126u);  // 1.77%: 2% less 1.4 standard errors
  std::nth_element(ordinary_popularity.begin(),
                   ordinary_popularity.begin() + ordinary_popularity.size() / 2,
                   ordinary_popularity.end());
  EXPECT_NEAR(ordinary_popularity[ordinary_popularity.size() / 2], 1.0, 0.05);
}

TEST(EngagementModel, CountsAreFlooredAndZeroUntilCreation) {
  const EngagementProfile profile =
      make_engagement_profile(42, 2123222773114340474u, 1.0, false, true);
  EXPECT_EQ(count_at_age(profile, EngagementType::impressions, 0), 0u);
  EXPECT_EQ(count_at_age(profile, EngagementType::impressions, -1), 0u);
  const double exact =
      lifetime_count(profile, EngagementType::impressions) * growth_fraction(profile, 7.5);
  EXPECT_EQ(count_at_age(profile, EngagementType::impressions, 7.5),
            static_cast<std::uint64_t>(std::floor(exact)));
  EXPECT_EQ(lifetime_count(profile, EngagementType::video_views), 0.0);

  const EngagementProfile unreachable = make_engagement_profile(42, 1, std::nan(""), true, true);
  EXPECT_EQ(count_at_age(unreachable, EngagementType::impressions, 100), 0u);
}

}  // namespace
}  // namespace xee::simulator

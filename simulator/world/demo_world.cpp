#include "simulator/world/world.h"

namespace xee::simulator {
namespace {

TimePoint midnight(int year, unsigned month, unsigned day) {
  return TimePoint{std::chrono::sys_days{std::chrono::year{year} / static_cast<int>(month) /
                                         static_cast<int>(day)}};
}

}  // namespace

// Kept equal to simulator/world/demo-world.toml (a test loads that file and compares).
WorldConfig demo_world() {
  WorldConfig world;
  world.seed = 42;
  world.app = AppConfig{
      .consumer_key = "demo-consumer-key",
      .consumer_secret = "demo-consumer-secret",
      .bearer_token = "demo-bearer-token",
  };
  world.accounts = {
      AccountConfig{
          .handle = "acme",
          .user_id = 1000001,
          .access_token = "1000001-acme-demo-token",
          .access_token_secret = "acme-demo-token-secret",
          .posting_since = midnight(2026, 6, 1),
          .posts_per_day = 6,
          .video_fraction = 0.3,
          .hashtags = {"launchday", "acmecloud"},
          .hashtag_fraction = 0.5,
          .reach = 1.0,
      },
      AccountConfig{
          .handle = "globex",
          .user_id = 1000002,
          .access_token = "1000002-globex-demo-token",
          .access_token_secret = "globex-demo-token-secret",
          .posting_since = midnight(2026, 6, 1),
          .posts_per_day = 3,
          .video_fraction = 0.2,
          .hashtags = {"launchday"},
          .hashtag_fraction = 0.4,
          .reach = 0.6,
      },
      // Posting since 2020, so its old Posts exercise the 90-day (impressions/engagements) and
      // 1800-day (video_views) rules of /totals.
      AccountConfig{
          .handle = "initech_archive",
          .user_id = 1000003,
          .access_token = "1000003-initech-demo-token",
          .access_token_secret = "initech-demo-token-secret",
          .posting_since = midnight(2020, 1, 1),
          .posts_per_day = 0.2,
          .video_fraction = 0.5,
          .hashtags = {},
          .hashtag_fraction = 0,
          .reach = 0.5,
      },
  };
  world.hashtags = {
      HashtagConfig{
          .tag = "launchday",
          .posting_since = midnight(2026, 11, 1),
          .posts_per_hour = 12,
          .video_fraction = 0.1,
          .reach = 0.3,
          .lang = "en",
      },
      HashtagConfig{
          .tag = "xapi",
          .posting_since = midnight(2026, 11, 1),
          .posts_per_hour = 3,
          .video_fraction = 0.1,
          .reach = 0.2,
          .lang = "es",
      },
  };
  world.limits = LimitsConfig{
      .per_minute = 60,
      .per_second = 0,
      .search_per_15min = 450,
      .rate_limit_message = "Exceeded rate limit",
      .historical_lookback = std::chrono::days{365},
      .timestamp_skew = std::chrono::seconds{300},
  };
  return world;
}

}  // namespace xee::simulator

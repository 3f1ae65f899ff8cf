#pragma once
// The world the simulator simulates: an app, accounts and hashtags (from a TOML file or the
// built-in demo world), the Posts they publish over time, and how each Post's engagement grows.
// Everything is a pure function of the config (its seed included) and the time asked about, so
// the same seed and clock always give the same Posts and numbers.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "wire/engagement_types.h"
#include "wire/snowflake.h"

namespace xee::simulator {

using common::TimePoint;
using wire::EngagementType;
using wire::PostId;

struct AppConfig {
  std::string consumer_key;
  std::string consumer_secret;
  std::string bearer_token;
};

// An account whose tokens the simulator accepts; its Posts are "owned" by these tokens.
struct AccountConfig {
  std::string handle;
  std::uint64_t user_id = 0;
  std::string access_token;
  std::string access_token_secret;
  TimePoint posting_since;          // first Post of the stream
  double posts_per_day = 4;         // mean rate; Post times are jittered deterministically
  double video_fraction = 0.3;      // share of Posts with a video
  std::vector<std::string> hashtags;  // tags (without '#') the account's Posts may carry
  double hashtag_fraction = 0.5;      // share of its Posts that carry one of them
  double reach = 1.0;                 // scales every engagement of its Posts (big vs small accounts)
};

// A hashtag stream: Posts by the public (accounts not configured, so unowned), all carrying it.
struct HashtagConfig {
  std::string tag;  // without '#'
  TimePoint posting_since;
  double posts_per_hour = 10;
  double video_fraction = 0.1;
  double reach = 0.3;
  std::string lang = "en";  // the lang: of its Posts; account streams are "en"
};

struct LimitsConfig {
  int per_minute = 60;            // Engagement API requests per app per minute (by contract)
  int per_second = 0;             // 0 = no per-second limit
  int search_per_15min = 450;     // v2 recent search, per app (Bearer)
  std::string rate_limit_message = "Exceeded rate limit";
  // Earliest /historical start: max(2014-09-01, now - historical_lookback); 0 = 2014-09-01 only.
  std::chrono::days historical_lookback{365};
  std::chrono::seconds timestamp_skew{300};  // OAuth oauth_timestamp tolerance
};

struct WorldConfig {
  std::uint64_t seed = 42;
  AppConfig app;
  std::vector<AccountConfig> accounts;  // at most 512 (stream index = snowflake worker)
  std::vector<HashtagConfig> hashtags;  // at most 512
  LimitsConfig limits;
};

// Loads a world TOML file; errors name file:line:column and the offending key.
Result<WorldConfig> load_world_config(const std::string& path);
// The built-in demo world, documented in the README, matching config/example.toml.
WorldConfig demo_world();

struct Post {
  PostId id = 0;
  std::uint64_t author_id = 0;
  std::string author_handle;  // configured handle, or a synthetic public handle
  bool by_configured_account = false;
  TimePoint created;
  bool has_video = false;
  std::vector<std::string> hashtags;  // without '#'
  std::string lang = "en";
  std::string text;                   // contains "#tag" for each hashtag
};

class World {
 public:
  explicit World(WorldConfig config);

  const WorldConfig& config() const { return config_; }

  // The Post with this ID if it exists at `now` (created at or before now); O(1).
  std::optional<Post> find_post(PostId id, TimePoint now) const;
  // Every Post created in [from, to), newest first (ties by ID, descending).
  std::vector<Post> posts_between(TimePoint from, TimePoint to) const;

  const AccountConfig* account_by_access_token(std::string_view token) const;
  const AccountConfig* account_by_handle(std::string_view handle) const;

  // The Post's lifetime count of `type` at time `at`: 0 before creation, never decreasing,
  // integer. The hourly series is defined from it, so hours add up to totals exactly.
  std::uint64_t cumulative(const Post& post, EngagementType type, TimePoint at) const;
  // The count within [hour_start, hour_start + 1h) as seen at `now`: the current hour is still
  // filling, future hours are 0. Equals cumulative(min(end, now)) - cumulative(min(start, now)).
  std::uint64_t hourly(const Post& post, EngagementType type, std::chrono::sys_seconds hour_start,
                       TimePoint now) const;

 private:
  WorldConfig config_;
};

}  // namespace xee::simulator

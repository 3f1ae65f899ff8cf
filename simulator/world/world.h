#pragma once
// The world the simulator simulates: an app, accounts and hashtags (from a TOML file or the
// built-in demo world), the Posts they publish over time, and how each Post's engagement grows.
// Everything is a pure function of the config (its seed included) and the time asked about, so
// the same seed and clock always give the same Posts and numbers.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "simulator/world/engagement_model.h"
#include "wire/engagement_types.h"
#include "wire/snowflake.h"

namespace xee::simulator {

using common::TimePoint;
using wire::EngagementType;
using wire::PostId;

// Account i posts as snowflake worker i, hashtag stream j as worker 512 + j.
inline constexpr std::size_t kMaxAccounts = 512;
inline constexpr std::size_t kMaxHashtags = 512;
inline constexpr std::uint32_t kFirstHashtagWorker = 512;
// Hashtag-stream Posts come from synthetic public authors: user_id 9000000000 + n, handle
// "user_<n>", n < 5000. Configured accounts may not use these IDs or handles.
inline constexpr std::uint64_t kPublicAuthorIdBase = 9'000'000'000;
inline constexpr std::uint64_t kPublicAuthorCount = 5000;

struct AppConfig {
  std::string consumer_key;
  std::string consumer_secret;
  std::string bearer_token;

  bool operator==(const AppConfig&) const = default;
};

// An account whose tokens the simulator accepts; its Posts are "owned" by these tokens.
struct AccountConfig {
  std::string handle;
  std::uint64_t user_id = 0;
  std::string access_token;
  std::string access_token_secret;
  TimePoint posting_since;            // first Post of the stream
  double posts_per_day = 4;           // mean rate; Post times are jittered deterministically
  double video_fraction = 0.3;        // share of Posts with a video
  std::vector<std::string> hashtags;  // tags (without '#') the account's Posts may carry
  double hashtag_fraction = 0.5;      // share of its Posts that carry one of them
  double reach = 1.0;  // scales every engagement of its Posts (big vs small accounts)

  bool operator==(const AccountConfig&) const = default;
};

// A hashtag stream: Posts by the public (accounts not configured, so unowned), all carrying it.
struct HashtagConfig {
  std::string tag;  // without '#'
  TimePoint posting_since;
  double posts_per_hour = 10;
  double video_fraction = 0.1;
  double reach = 0.3;
  std::string lang = "en";  // the lang: of its Posts; account streams are "en"

  bool operator==(const HashtagConfig&) const = default;
};

struct LimitsConfig {
  int per_minute = 60;         // Engagement API requests per app per minute (by contract)
  int per_second = 0;          // 0 = no per-second limit
  int search_per_15min = 450;  // v2 recent search, per app (Bearer)
  std::string rate_limit_message = "Exceeded rate limit";
  // Earliest /historical start: max(2014-09-01, now - historical_lookback); 0 = 2014-09-01 only.
  std::chrono::days historical_lookback{365};
  std::chrono::seconds timestamp_skew{300};  // OAuth oauth_timestamp tolerance

  bool operator==(const LimitsConfig&) const = default;
};

// The statuses X's "Forbidden to access tweets" may come with: 403 (the spec's), 400, and 200 with
// the allowed Posts' values (X's API reference lists no 403 and says partial results come in a
// 200; its Ruby sample client reads the `errors` text whatever the status).
inline constexpr std::array<int, 3> kForbiddenTweetsStatuses{403, 400, 200};

// Which of X's documented answer variants the simulated API gives ([variants] in the world file).
struct VariantsConfig {
  int forbidden_tweets_status = 403;  // one of kForbiddenTweetsStatuses

  bool operator==(const VariantsConfig&) const = default;
};

struct WorldConfig {
  std::uint64_t seed = 42;
  AppConfig app;
  std::vector<AccountConfig> accounts;  // at most 512 (stream index = snowflake worker)
  std::vector<HashtagConfig> hashtags;  // at most 512
  LimitsConfig limits;
  VariantsConfig variants;

  bool operator==(const WorldConfig&) const = default;
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
  std::string text;  // contains "#tag" for each hashtag

  bool operator==(const Post&) const = default;
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

  // The draws behind the Post's engagement (popularity, virality, growth curve), for callers that
  // want to explain or check the numbers.
  EngagementProfile engagement_profile(const Post& post) const;
  // The count `cumulative` approaches as the Post ages.
  double lifetime_count(const Post& post, EngagementType type) const;

 private:
  struct Stream {
    bool is_account = true;
    std::size_t config_index = 0;  // into config_.accounts or config_.hashtags
    std::uint32_t worker = 0;
    std::int64_t since_ms = 0;     // unix milliseconds of Post 0's slot
    std::int64_t interval_ms = 0;  // mean gap between Posts; 0 = the stream never posts
    double reach = 0;
  };
  // Heterogeneous lookup, so a request's token (a string_view) is found without a copy.
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  using IndexByName = std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>>;

  void add_stream(bool is_account, std::size_t config_index, std::uint32_t worker,
                  TimePoint posting_since, double interval_ms, double reach);
  const Stream* stream_of(PostId id) const;
  std::int64_t created_ms(const Stream& stream, std::int64_t k) const;
  PostId post_id(const Stream& stream, std::int64_t k) const;
  Post make_post(const Stream& stream, std::int64_t k) const;

  WorldConfig config_;
  std::vector<Stream> streams_;
  std::array<std::int16_t, 1024> stream_by_worker_{};  // -1 = no stream uses the worker
  IndexByName account_by_token_;
  IndexByName account_by_lowercase_handle_;
};

}  // namespace xee::simulator

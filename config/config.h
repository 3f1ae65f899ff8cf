#pragma once
// The exporter's configuration file: one strict TOML file (see config/example.toml). Loading
// either yields plain data for the exporter's main to map onto the collectors, or every error
// found, each as "<file>:<line>:<column>: <what is wrong>", so a config is fixed in one pass.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/environment.h"
#include "config/secret.h"
#include "wire/oauth.h"
#include "wire/snowflake.h"

namespace xee::config {

struct WebConfig {
  // Checked with parse_listen_address (config/addresses.h); --web.listen-address overrides it.
  std::string listen_address = ":10877";
};

struct ApiConfig {
  // Normalized base URLs (scheme://host[:port]), without a trailing slash.
  std::string engagement_url = "https://data-api.x.com";
  // Also the host of /oauth2/token, where a missing bearer token is fetched.
  std::string search_url = "https://api.x.com";
  std::chrono::milliseconds timeout = std::chrono::seconds{30};  // a whole request
  std::chrono::milliseconds connect_timeout = std::chrono::seconds{10};
  // The exporter's own Engagement API budget. X's per-minute limit is set by contract and
  // published nowhere (spec §4.3, UNCONFIRMED), so the default stays well below the demo
  // simulator's 60, and X's x-per-minute-* headers still apply on top.
  int requests_per_minute = 30;
  int max_retries = 3;                 // on 5xx and network errors
  std::optional<std::string> ca_file;  // resolved against the config file's folder
};

// Absent secrets were not configured. When bearer_token is absent, consumer_key and
// consumer_secret are both present (the loader insists), and the token is fetched with them.
struct AppConfig {
  std::optional<Secret> consumer_key;
  std::optional<Secret> consumer_secret;
  std::optional<Secret> bearer_token;
};

struct AccountConfig {
  std::string handle;
  Secret access_token;
  Secret access_token_secret;
};

struct PostConfig {
  wire::PostId id = 0;
  std::optional<std::string> account;  // the owner's handle, one of ExporterConfig::accounts
  bool operator==(const PostConfig&) const = default;
};

struct TotalsCollectorConfig {
  std::chrono::milliseconds interval = std::chrono::minutes{5};
};

// [collectors.hourly]: /28hr for owned Posts (see collectors/hourly_collector.h).
struct HourlyCollectorConfig {
  bool enabled = true;
  // How long after an hour ends it is fetched (X may still be settling its counts).
  std::chrono::milliseconds delay = std::chrono::minutes{5};
  // No activity in any of the 17 types for this long moves a Post to slow_interval.
  std::chrono::milliseconds inactive_after = std::chrono::hours{48};
  std::chrono::milliseconds slow_interval = std::chrono::hours{6};
  // The most of api.requests_per_minute the hourly collector may use; /totals keeps the rest.
  double budget_share = 0.5;
};

struct CollectorsConfig {
  TotalsCollectorConfig totals;
  HourlyCollectorConfig hourly;
};

// [state]: what the exporter keeps across restarts (hourly tallies, later discovery state).
inline constexpr std::string_view kDefaultStateFile = "x-engagement-exporter.state.json";
struct StateConfig {
  // Resolved against the config file's folder, like every path in it; left out, the default name
  // beside the config file, so the state stays with the configuration it belongs to.
  std::string file = std::string(kDefaultStateFile);
};

struct LimitsConfig {
  std::size_t max_posts = 10000;
};

struct ExporterConfig {
  std::string file;  // the path it was loaded from, as given
  WebConfig web;
  ApiConfig api;
  AppConfig app;
  std::vector<AccountConfig> accounts;  // in file order, handles unique
  std::vector<PostConfig> posts;  // in file order (Post list files expanded in place), IDs unique
  CollectorsConfig collectors;
  LimitsConfig limits;
  StateConfig state;

  const AccountConfig* find_account(std::string_view handle) const;
};

// OAuth 1.0a user-context credentials for one account's Posts. Needs app.consumer_key and
// app.consumer_secret, which a loaded config has whenever it has accounts.
wire::oauth::Credentials user_credentials(const AppConfig& app, const AccountConfig& account);

struct LoadedConfig {
  ExporterConfig config;
  // "<file>:<line>:<column>: …" lines for things that work but deserve attention (inline
  // secrets, plain http to a remote host, empty Post lists), sorted by position.
  std::vector<std::string> warnings;
};

// Ranges the loader enforces, for flags and documentation that must agree with it.
inline constexpr int kMinRequestsPerMinute = 1;
inline constexpr int kMaxRequestsPerMinute = 100000;
inline constexpr int kMaxRetries = 10;
inline constexpr std::chrono::milliseconds kMinTotalsInterval = std::chrono::seconds{15};
inline constexpr std::chrono::milliseconds kMaxTotalsInterval = std::chrono::hours{24};
inline constexpr std::chrono::milliseconds kMaxTimeout = std::chrono::minutes{10};
inline constexpr std::size_t kMaxMaxPosts = 1'000'000;
// The delay must leave the hour it waits for before the next one ends.
inline constexpr std::chrono::milliseconds kMaxHourlyDelay = std::chrono::minutes{59};
inline constexpr std::chrono::milliseconds kMinInactiveAfter = std::chrono::hours{1};
inline constexpr std::chrono::milliseconds kMaxInactiveAfter = std::chrono::days{90};
// At most a day, so a slow Post's missing hours still lie inside /28hr's 28-hour window.
inline constexpr std::chrono::milliseconds kMinSlowInterval = std::chrono::hours{1};
inline constexpr std::chrono::milliseconds kMaxSlowInterval = std::chrono::hours{24};
inline constexpr double kMinBudgetShare = 0.05;
inline constexpr double kMaxBudgetShare = 1.0;
// Beyond this many errors only a count is reported: a Post list of garbage stays readable.
inline constexpr std::size_t kMaxReportedErrors = 100;

// On failure the Error's message holds every error, one per line, sorted by position.
Result<LoadedConfig> load_config(const std::string& path, const Environment& env);

}  // namespace xee::config

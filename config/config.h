#pragma once
// The exporter's configuration file: one strict TOML file (see config/example.toml). Loading
// either yields plain data for the exporter's main to map onto the collectors, or every error
// found, each as "<file>:<line>:<column>: <what is wrong>", so a config is fixed in one pass.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/listener_limits.h"
#include "common/result.h"
#include "common/tls_settings.h"
#include "config/environment.h"
#include "config/secret.h"
#include "wire/oauth.h"
#include "wire/snowflake.h"

namespace xee::config {

struct WebConfig {
  // Checked with parse_listen_address (config/addresses.h); --web.listen-address overrides it.
  std::string listen_address = ":10877";
  // [web.basic_auth_users]: user name → bcrypt hash ($2a$/$2b$/$2y$, cost 04..31), with
  // exporter-toolkit's meaning: when not empty, every route needs one of these users.
  std::map<std::string, std::string> basic_auth_users;
  // max_connections, request_timeout, idle_timeout: how many clients are served at once and how
  // long an incomplete request or an idle connection may hold one of them (README "Listener").
  common::ListenerLimits limits;
  // [web.tls]: serve HTTPS (config/web_tls_config.h); paths resolved against the config's folder.
  // Absent: plain HTTP.
  std::optional<common::TlsServerSettings> tls;
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

// How /totals public metrics (Posts not read with an owner's tokens) are asked ([app] public_auth).
// X's API reference: app-only auth is "your consumer key and secret, or a bearer token".
enum class PublicAuthMode {
  // The Bearer token, configured or fetched; while none could be fetched, OAuth 1.0a with the
  // consumer key and secret alone. The default.
  automatic,
  bearer,      // the Bearer token only (configured or fetched), never the fallback
  oauth1_app,  // always OAuth 1.0a with the consumer key and secret alone (no oauth_token)
};

// Absent secrets were not configured. When bearer_token is absent, consumer_key and
// consumer_secret are both present (the loader insists), and the token is fetched with them.
// public_auth = oauth1_app needs consumer_key and consumer_secret too.
struct AppConfig {
  std::optional<Secret> consumer_key;
  std::optional<Secret> consumer_secret;
  std::optional<Secret> bearer_token;
  PublicAuthMode public_auth = PublicAuthMode::automatic;
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

// [discovery] and its [[discovery.hashtags]] / [[discovery.accounts]]: Posts found through X's v2
// recent search with the App's Bearer token (collectors/discovery_collector.h).
struct HashtagSourceConfig {
  std::string tag;  // without '#': 1..100 letters, digits or underscores; unique regardless of case
  // Extra search operators ANDed to the tag, e.g. "-is:retweet lang:en"; may be empty.
  std::string operators;
  std::size_t max_posts = 500;  // the most Posts tracked for this hashtag at once
  bool operator==(const HashtagSourceConfig&) const = default;
};

// An account whose new Posts are tracked automatically (from:handle). When the handle is also an
// [[accounts]] entry (with tokens), its Posts are owned: full metrics and /28hr.
struct AccountSourceConfig {
  std::string handle;  // as [[accounts]] handles; unique regardless of case
  std::string operators;
  std::size_t max_posts = 500;
  bool operator==(const AccountSourceConfig&) const = default;
};

struct DiscoveryConfig {
  // How often every source is searched for new Posts.
  std::chrono::milliseconds interval = std::chrono::minutes{5};
  // The exporter's own search budget per 15-minute window, out of X's 450 per App (spec §8);
  // separate from api.requests_per_minute. X's x-rate-limit-* headers apply on top.
  int requests_per_window = 180;
  // A source's first search looks back this far (at most X's 7 days); later ones use since_id.
  std::chrono::milliseconds lookback = std::chrono::hours{24};
  // A discovered Post is tracked until this long after it was created, then dropped.
  std::chrono::milliseconds ttl = std::chrono::days{7};
  // The most discovered Posts tracked at once, over all sources (configured Posts not counted).
  std::size_t max_posts = 2000;
  // Pages of 100 one source may read in one round; the rest continues next round.
  int max_pages_per_round = 5;
  std::vector<HashtagSourceConfig> hashtags;  // in file order
  std::vector<AccountSourceConfig> accounts;  // in file order
  bool operator==(const DiscoveryConfig&) const = default;
};

// [[campaigns]]: a named group of Posts for side-by-side comparison (own vs competitor).
// Members: the listed Post IDs (tracked even when not under [[posts]], then with public metrics
// unless a [[posts]] entry names the owner), the Posts discovered through the named hashtags and
// accounts, and configured Posts whose account is one of `accounts`.
struct CampaignConfig {
  std::string name;  // 1..64 letters, digits, '_', '-' or '.'; unique
  std::vector<wire::PostId> posts;
  std::vector<std::string> hashtags;  // tags of [[discovery.hashtags]], as configured there
  std::vector<std::string> accounts;  // handles of [[discovery.accounts]] or [[accounts]]
  std::size_t max_posts = 1000;       // the most members; discovered Posts beyond it are refused
  bool operator==(const CampaignConfig&) const = default;
};

// [billing]: X bills the Engagement API by the unique accounts whose Posts are queried per month.
struct BillingConfig {
  // The contracted monthly number of unique accounts, exported for alerts; 0 when not set.
  std::int64_t monthly_accounts_limit = 0;
  bool operator==(const BillingConfig&) const = default;
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
  DiscoveryConfig discovery;
  std::vector<CampaignConfig> campaigns;  // in file order, names unique
  BillingConfig billing;

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
// [web]: civetweb runs a thread per connection, so thousands would be memory, not capacity.
inline constexpr int kMinConnections = 1;
inline constexpr int kMaxConnections = 4096;
inline constexpr std::chrono::milliseconds kMinListenerTimeout = std::chrono::milliseconds{100};
inline constexpr std::chrono::milliseconds kMaxListenerTimeout = std::chrono::minutes{5};
// The delay must leave the hour it waits for before the next one ends.
inline constexpr std::chrono::milliseconds kMaxHourlyDelay = std::chrono::minutes{59};
inline constexpr std::chrono::milliseconds kMinInactiveAfter = std::chrono::hours{1};
inline constexpr std::chrono::milliseconds kMaxInactiveAfter = std::chrono::days{90};
// At most a day, so a slow Post's missing hours still lie inside /28hr's 28-hour window.
inline constexpr std::chrono::milliseconds kMinSlowInterval = std::chrono::hours{1};
inline constexpr std::chrono::milliseconds kMaxSlowInterval = std::chrono::hours{24};
inline constexpr double kMinBudgetShare = 0.05;
inline constexpr double kMaxBudgetShare = 1.0;
// [discovery] ranges.
inline constexpr std::chrono::milliseconds kMinDiscoveryInterval = std::chrono::seconds{15};
inline constexpr std::chrono::milliseconds kMaxDiscoveryInterval = std::chrono::hours{24};
inline constexpr int kMaxSearchRequestsPerWindow = 450;  // X's per-App limit (spec §8)
inline constexpr std::chrono::milliseconds kMinLookback = std::chrono::minutes{1};
inline constexpr std::chrono::milliseconds kMaxLookback = std::chrono::days{7};
inline constexpr std::chrono::milliseconds kMinDiscoveryTtl = std::chrono::hours{1};
inline constexpr std::chrono::milliseconds kMaxDiscoveryTtl = std::chrono::days{90};
inline constexpr std::size_t kMaxSourcePosts = 100'000;
inline constexpr int kMaxPagesPerRound = 100;
// [[campaigns]] names: 1..kMaxCampaignNameLength ASCII letters, digits or kCampaignNamePunctuation,
// so a name reads the same as a Prometheus label value, in a URL and in a file name.
inline constexpr std::size_t kMaxCampaignNameLength = 64;
inline constexpr std::string_view kCampaignNamePunctuation = "_-.";
// [billing] monthly_accounts_limit: 0 (not set) up to a billion.
inline constexpr std::int64_t kMaxMonthlyAccountsLimit = 1'000'000'000;
// web.basic_auth_users: the bcrypt costs accepted, as Go's bcrypt package (exporter-toolkit).
inline constexpr int kMinBcryptCost = 4;
inline constexpr int kMaxBcryptCost = 31;
// Beyond this many errors only a count is reported: a Post list of garbage stays readable.
inline constexpr std::size_t kMaxReportedErrors = 100;

// On failure the Error's message holds every error, one per line, sorted by position.
Result<LoadedConfig> load_config(const std::string& path, const Environment& env);

}  // namespace xee::config

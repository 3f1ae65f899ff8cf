#include "exporter/exporter_app.h"

#include <malloc.h>

#include <algorithm>
#include <condition_variable>
#include <thread>
#include <unordered_set>
#include <utility>

#include "collectors/sleeper.h"
#include "common/large_stack.h"
#include "common/text.h"
#include "common/time_format.h"
#include "wire/api_limits.h"
#include "wire/search_query.h"

namespace xee::exporter {
namespace {

constexpr std::string_view kTotalsCollector = "totals";
// How often the hourly collector checks what is due. Short, so a demo at 60x (an hour every real
// minute) stays within a few simulated minutes of the delay; a check that finds nothing due costs
// no request.
constexpr common::Millis kHourlyCheckInterval{5000};

collectors::BackoffOptions backoff_options(const config::ApiConfig& api) {
  collectors::BackoffOptions options;
  options.max_attempts = api.max_retries + 1;
  return options;
}

collectors::BearerAuth configured_bearer(const config::ExporterConfig& config) {
  if (!config.app.bearer_token) return {};
  return {config.app.bearer_token->reveal()};
}

collectors::TotalsCollectorOptions totals_options(
    const config::ExporterConfig& config, const common::Clock* post_age_clock,
    std::function<void(const std::vector<collectors::PostId>&)> posts_answered) {
  collectors::TotalsCollectorOptions options;
  options.posts_answered = std::move(posts_answered);
  options.posts = tracked_posts(config);
  options.user_auth = user_auth(config);
  options.public_auth = public_auth_for(config.app, std::nullopt);
  options.poll_interval = config.collectors.totals.interval;
  options.backoff = backoff_options(config.api);
  options.post_age_clock = post_age_clock;
  return options;
}

collectors::HourlyCadence hourly_cadence(const config::HourlyCollectorConfig& hourly) {
  return {.delay = hourly.delay,
          .inactive_after = hourly.inactive_after,
          .slow_interval = hourly.slow_interval};
}

collectors::HourlyCollectorOptions hourly_options(const config::ExporterConfig& config,
                                                  const common::Clock* x_clock) {
  collectors::HourlyCollectorOptions options;
  options.posts = tracked_posts(config);
  options.user_auth = user_auth(config);
  options.cadence = hourly_cadence(config.collectors.hourly);
  options.budget_share = config.collectors.hourly.budget_share;
  options.x_clock = x_clock;
  return options;
}

ExpositionOptions exposition_options(const config::ExporterConfig& config) {
  ExpositionOptions options;
  options.totals_refresh_interval = config.collectors.totals.interval;
  options.hourly_delay = config.collectors.hourly.delay;
  options.hourly_slow_interval = config.collectors.hourly.slow_interval;
  options.discovery_refresh_interval = config.discovery.interval;
  return options;
}

void log_warnings(common::Logger& logger, const std::vector<std::string>& warnings) {
  for (const std::string& warning : warnings) logger.warn("configuration", {{"warning", warning}});
}

}  // namespace

collectors::client::CurlTransportOptions transport_options(const config::ApiConfig& api) {
  collectors::client::CurlTransportOptions options;
  options.connect_timeout = api.connect_timeout;
  options.total_timeout = api.timeout;
  if (api.ca_file) options.ca_bundle_path = *api.ca_file;
  return options;
}

std::vector<collectors::TrackedPost> tracked_posts(const config::ExporterConfig& config) {
  std::vector<collectors::TrackedPost> posts;
  posts.reserve(config.posts.size());
  std::unordered_set<collectors::PostId> listed;
  for (const config::PostConfig& post : config.posts) {
    posts.push_back({post.id, post.account.value_or("")});
    listed.insert(post.id);
  }
  for (const config::CampaignConfig& campaign : config.campaigns) {
    for (const wire::PostId id : campaign.posts) {
      if (listed.insert(id).second) posts.push_back({id, ""});
    }
  }
  return posts;
}

std::vector<collectors::TrackedPost> merge_tracked(
    std::vector<collectors::TrackedPost> configured,
    const std::vector<collectors::DiscoveredPost>& discovered) {
  std::unordered_set<collectors::PostId> listed;
  for (const auto& post : configured) listed.insert(post.id);
  for (const auto& post : discovered) {
    if (listed.insert(post.id).second) configured.push_back({post.id, post.owner});
  }
  return configured;
}

collectors::DiscoverySettings discovery_settings(const config::ExporterConfig& config,
                                                 collectors::BearerAuth bearer) {
  using collectors::SourceKind;
  collectors::DiscoverySettings settings;
  collectors::DiscoveryRules& rules = settings.rules;
  // The loader validated every query with these same functions, so value_or never applies.
  for (const config::HashtagSourceConfig& hashtag : config.discovery.hashtags) {
    rules.sources.push_back({SourceKind::hashtag, hashtag.tag,
                             wire::hashtag_query(hashtag.tag, hashtag.operators).value_or(""),
                             hashtag.max_posts, ""});
  }
  for (const config::AccountSourceConfig& account : config.discovery.accounts) {
    const config::AccountConfig* owner = config.find_account(account.handle);
    rules.sources.push_back({SourceKind::account, account.handle,
                             wire::account_query(account.handle, account.operators).value_or(""),
                             account.max_posts, owner != nullptr ? owner->handle : ""});
  }
  for (const config::CampaignConfig& campaign : config.campaigns) {
    collectors::CampaignRule rule;
    rule.name = campaign.name;
    rule.posts = campaign.posts;
    rule.max_posts = campaign.max_posts;
    for (const std::string& tag : campaign.hashtags) {
      rule.source_keys.push_back(collectors::source_key(SourceKind::hashtag, tag));
    }
    for (const std::string& handle : campaign.accounts) {
      const std::string key = collectors::source_key(SourceKind::account, handle);
      const bool searched = std::any_of(
          rules.sources.begin(), rules.sources.end(),
          [&key](const collectors::DiscoverySource& source) { return source_key(source) == key; });
      if (searched) rule.source_keys.push_back(key);
      rule.accounts.push_back(common::ascii_lower(handle));
    }
    rules.campaigns.push_back(std::move(rule));
  }
  const std::size_t configured = tracked_posts(config).size();
  const std::size_t room =
      config.limits.max_posts > configured ? config.limits.max_posts - configured : 0;
  rules.max_posts = std::min(config.discovery.max_posts, room);
  rules.ttl = std::chrono::duration_cast<std::chrono::seconds>(config.discovery.ttl);
  for (const config::AccountConfig& account : config.accounts) {
    rules.owned_accounts.push_back(account.handle);
  }
  for (const config::PostConfig& post : config.posts) {
    settings.configured.push_back({post.id, post.account.value_or("")});
  }
  settings.bearer = std::move(bearer);
  settings.lookback = config.discovery.lookback;
  settings.requests_per_window = config.discovery.requests_per_window;
  settings.max_pages_per_round = config.discovery.max_pages_per_round;
  return settings;
}

collectors::UserAuthByAccount user_auth(const config::ExporterConfig& config) {
  collectors::UserAuthByAccount auth;
  // Without the App's consumer key and secret no user-context request can be signed; the
  // collector then asks every Post with Bearer (and warns once per account).
  if (!config.app.consumer_key || !config.app.consumer_secret) return auth;
  for (const config::AccountConfig& account : config.accounts) {
    auth.emplace(account.handle, collectors::UserAuth{account.handle, config::user_credentials(
                                                                          config.app, account)});
  }
  return auth;
}

collectors::PublicAuth public_auth_for(const config::AppConfig& app,
                                       const std::optional<collectors::BearerAuth>& fetched) {
  const bool has_key = app.consumer_key && app.consumer_secret;
  const auto app_oauth = [&] {
    // No token and no token secret: signed with "consumer_secret&", no oauth_token sent.
    return collectors::AppOAuth{
        {app.consumer_key->reveal(), app.consumer_secret->reveal(), "", ""}};
  };
  if (app.public_auth == config::PublicAuthMode::oauth1_app && has_key) return app_oauth();
  if (app.bearer_token) return collectors::BearerAuth{app.bearer_token->reveal()};
  if (fetched) return *fetched;
  if (app.public_auth == config::PublicAuthMode::automatic && has_key) return app_oauth();
  return collectors::BearerAuth{};
}

Result<std::unique_ptr<ExporterApp>> ExporterApp::start(ExporterAppOptions options,
                                                        const common::Clock& wall_clock,
                                                        common::Logger& logger) {
  auto loaded = config::load_config(options.config_file, config::SystemEnvironment{});
  if (!loaded) return tl::unexpected(loaded.error());
  log_warnings(logger, loaded->warnings);
  std::unique_ptr<ExporterApp> app(
      new ExporterApp(std::move(options), wall_clock, logger, std::move(*loaded)));
  if (auto served = app->start_serving(); !served) return tl::unexpected(served.error());
  return app;
}

ExporterApp::ExporterApp(ExporterAppOptions options, const common::Clock& wall_clock,
                         common::Logger& logger, config::LoadedConfig loaded)
    : options_(std::move(options)),
      wall_clock_(wall_clock),
      logger_(logger),
      config_(std::move(loaded.config)),
      telemetry_(options_.build),
      transport_(transport_options(config_.api)),
      // OAuth timestamps are checked against the real time by X, so signing uses the wall clock.
      api_(transport_, config_.api.engagement_url, wall_clock_),
      pacer_(wall_clock_, collectors::interruptible_sleeper(stop_), telemetry_,
             collectors::RequestPacerOptions{.budget_per_minute = config_.api.requests_per_minute,
                                             .stop = &stop_}),
      totals_(api_, pacer_, store_, telemetry_, wall_clock_, logger_,
              totals_options(
                  config_, options_.post_age_clock,
                  [this](const std::vector<collectors::PostId>& ids) { record_queried(ids); })),
      state_file_(config_.state.file, wall_clock_),
      hourly_(api_, pacer_, store_, telemetry_, wall_clock_, logger_, &state_file_,
              hourly_options(config_, options_.post_age_clock)),
      search_api_(transport_, config_.api.search_url),
      discovery_(search_api_, store_, telemetry_, wall_clock_, logger_, &state_file_,
                 discovery_settings(config_, configured_bearer(config_)), options_.post_age_clock,
                 &stop_) {
  bearer_needed_ = !config_.app.bearer_token;
  telemetry_.record_config_reload(true, common::unix_seconds(wall_clock_.now()));
  telemetry_.set_accounts_limit(config_.billing.monthly_accounts_limit);
}

ExporterApp::~ExporterApp() {
  shut_down();
}

void ExporterApp::shut_down() {
  if (server_) server_->stop();
  // No new request starts after this (rounds check it between requests); waits in the pacer and
  // backoff end at once.
  stop_.request_stop();
  // Requests in flight get the drain time to finish, so what they fetch is published and saved;
  // then they are aborted, so a hanging X cannot hold the exit (Kubernetes kills after 30 s).
  std::mutex drained_mutex;
  std::condition_variable drained_cv;
  bool drained = false;
  std::thread canceller([&] {
    std::unique_lock lock(drained_mutex);
    if (!drained_cv.wait_for(lock, options_.drain_timeout, [&] { return drained; })) {
      logger_.warn("requests to X still running at the drain timeout; aborting them",
                   {{"drain_timeout", common::format_duration(options_.drain_timeout)}});
      transport_.cancel();
    }
  });
  // Discovery first: its rounds wake the /totals loop.
  discovery_loop_.reset();
  totals_loop_.reset();
  hourly_loop_.reset();
  {
    std::lock_guard lock(drained_mutex);
    drained = true;
  }
  drained_cv.notify_one();
  canceller.join();
  // Every collector saved what it published; one more save keeps any section whose last save
  // failed a chance to reach the disk.
  if (const auto saved = state_file_.save(); !saved) {
    logger_.error("cannot save the state file at shutdown",
                  {{"file", state_file_.path()}, {"error", saved.error().message}});
  }
}

Result<void> ExporterApp::start_serving() {
  HttpServerOptions server_options;
  server_options.listen_address = options_.listen_address_override.empty()
                                      ? config_.web.listen_address
                                      : options_.listen_address_override;
  server_options.landing_page.version = options_.build.version;
  server_options.exposition = exposition_options(config_);
  server_options.logger = &logger_;
  server_options.basic_auth_users = config_.web.basic_auth_users;
  server_options.limits = config_.web.limits;
  server_options.enable_lifecycle = options_.enable_lifecycle;
  server_options.tls = config_.web.tls;
  HttpCallbacks callbacks;
  callbacks.ready = [this] {
    std::lock_guard lock(status_mutex_);
    return totals_loop_ && totals_loop_->ready();
  };
  callbacks.reload = [this] { return reload(); };
  callbacks.collector_status = [this] { return collector_status(); };
  // A reload that arrives while the collectors are still being set up waits for them.
  std::lock_guard reload_lock(reload_mutex_);
  auto server = HttpServer::start(server_options, store_, telemetry_, std::move(callbacks));
  if (!server) return tl::unexpected(server.error());
  server_ = std::move(*server);
  // Compress each new /totals section for gzip scrapes on the collector's thread, so no scrape
  // pays for it (at a million series, half a second).
  store_.set_totals_listener(
      [server = server_.get()](const std::shared_ptr<const store::TotalsSection>& section) {
        server->precompress(section);
      });
  logger_.info("listening",
               {{"address", server_options.listen_address},
                {"port", std::to_string(server_->port())},
                {"basic_auth_users", std::to_string(config_.web.basic_auth_users.size())},
                {"tls", config_.web.tls ? "true" : "false"},
                {"posts", std::to_string(config_.posts.size())},
                {"accounts", std::to_string(config_.accounts.size())}});
  if (config_.web.tls) {
    logger_.info("serving HTTPS", {{"certificate", server_->tls_certificate()}});
  }
  load_state();
  // Restored discovered Posts join the very first /totals round.
  if (discovery_configured(config_)) discovery_.restore_state();
  update_tracked(tracked_posts(config_));
  auto totals_loop = std::make_unique<collectors::PollLoop>(
      [this] { return totals_round(); }, config_.collectors.totals.interval, wall_clock_, stop_);
  {
    std::lock_guard lock(status_mutex_);  // /-/ready reads it
    totals_loop_ = std::move(totals_loop);
  }
  start_hourly();
  start_discovery(config_);
  return {};
}

bool ExporterApp::discovery_configured(const config::ExporterConfig& config) {
  return !config.discovery.hashtags.empty() || !config.discovery.accounts.empty() ||
         !config.campaigns.empty();
}

void ExporterApp::start_discovery(const config::ExporterConfig& config) {
  // Without sources or campaigns there is nothing to search or group: no loop, no search
  // telemetry. A reload that adds some starts it.
  if (discovery_loop_ || !discovery_configured(config)) return;
  discovery_loop_ = std::make_unique<collectors::PollLoop>(
      [this] { return discovery_round(); }, config.discovery.interval, wall_clock_, stop_);
  std::lock_guard lock(status_mutex_);
  discovery_running_ = true;
}

void ExporterApp::load_state() {
  if (config_.collectors.hourly.enabled) {
    hourly_.load_state();  // loads the file and reports its health
  } else {
    const state::LoadReport report = state_file_.load();
    telemetry_.record_state_file("load", report.status != state::LoadStatus::rebuilt,
                                 common::unix_seconds(wall_clock_.now()));
    if (report.status == state::LoadStatus::rebuilt) {
      logger_.warn("state file unreadable; moved aside and rebuilt",
                   {{"file", state_file_.path()}, {"problem", report.problem}});
    }
  }
  if (const auto billing = state_file_.section(collectors::kBillingStateSection)) {
    if (auto decoded = ledger_.decode(*billing); !decoded) {
      logger_.warn("state file's billing section unreadable; counting accounts afresh",
                   {{"file", state_file_.path()}, {"problem", decoded.error().message}});
      telemetry_.record_state_file("load", false, common::unix_seconds(wall_clock_.now()));
    }
  }
  telemetry_.set_accounts_queried(static_cast<std::int64_t>(ledger_.count()),
                                  ledger_.month_start().time_since_epoch().count());
}

void ExporterApp::start_hourly() {
  if (!config_.collectors.hourly.enabled) {
    logger_.info("hourly collector disabled ([collectors.hourly] enabled = false)");
    return;
  }
  hourly_loop_ = std::make_unique<collectors::PollLoop>([this] { return hourly_round(); },
                                                        kHourlyCheckInterval, wall_clock_, stop_);
  std::lock_guard lock(status_mutex_);
  hourly_running_ = true;
}

bool ExporterApp::update_tracked(std::vector<collectors::TrackedPost> configured) {
  std::unordered_map<collectors::PostId, std::string> keys;
  const std::vector<collectors::DiscoveredPost> discovered = discovery_.tracked();
  for (const auto& post : configured) {
    keys[post.id] = collectors::billing_account_key(post.account, "", post.id);
  }
  for (const auto& post : discovered) {
    const std::string handle = !post.owner.empty() ? post.owner : post.author_handle;
    keys.emplace(post.id, collectors::billing_account_key(handle, post.author_id, post.id));
  }
  std::vector<collectors::TrackedPost> posts = merge_tracked(std::move(configured), discovered);
  bool added = false;
  {
    // billing_keys_ has an entry for exactly the Posts tracked until now.
    std::lock_guard lock(billing_mutex_);
    for (const auto& post : posts) added = added || !billing_keys_.contains(post.id);
    billing_keys_ = std::move(keys);
  }
  hourly_.set_posts(posts);
  totals_.set_posts(std::move(posts));
  return added;
}

void ExporterApp::record_queried(const std::vector<collectors::PostId>& ids) {
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  {
    std::lock_guard lock(billing_mutex_);
    for (const collectors::PostId id : ids) {
      const auto found = billing_keys_.find(id);
      keys.push_back(found != billing_keys_.end() ? found->second
                                                  : collectors::billing_account_key("", "", id));
    }
  }
  const common::Clock& x_clock =
      options_.post_age_clock != nullptr ? *options_.post_age_clock : wall_clock_;
  const bool changed =
      ledger_.record(keys, std::chrono::time_point_cast<std::chrono::seconds>(x_clock.now()));
  // Saved before it is published, so a count once scraped survives a kill.
  if (changed) save_billing();
  telemetry_.set_accounts_queried(static_cast<std::int64_t>(ledger_.count()),
                                  ledger_.month_start().time_since_epoch().count());
}

void ExporterApp::save_billing() {
  state_file_.set_section(collectors::kBillingStateSection, ledger_.encode());
  const auto saved = state_file_.save();
  telemetry_.record_state_file("save", saved.has_value(), common::unix_seconds(wall_clock_.now()));
  if (!saved) {
    logger_.error(
        "cannot save the state file; this month's accounts would be counted afresh "
        "after a restart",
        {{"file", state_file_.path()}, {"error", saved.error().message}});
  }
}

collectors::BearerAuth ExporterApp::current_bearer() {
  {
    std::lock_guard lock(reload_mutex_);
    if (config_.app.bearer_token) return configured_bearer(config_);
  }
  std::lock_guard lock(status_mutex_);
  return fetched_bearer_.value_or(collectors::BearerAuth{});
}

bool ExporterApp::discovery_round() {
  bool need_token = false;
  {
    std::lock_guard lock(status_mutex_);
    need_token = bearer_needed_ && !fetched_bearer_;
  }
  if (need_token) fetch_bearer_token();
  discovery_.set_bearer(current_bearer());
  const bool ok = discovery_.poll_once();
  std::vector<collectors::TrackedPost> configured;
  {
    std::lock_guard lock(reload_mutex_);
    configured = tracked_posts(config_);
  }
  // New Posts get their values now rather than a whole /totals interval later.
  if (update_tracked(std::move(configured)) && totals_loop_) totals_loop_->wake();
  std::lock_guard lock(status_mutex_);
  discovery_ok_ = ok;
  if (ok) discovery_success_ = wall_clock_.now();
  return ok;
}

int ExporterApp::port() const {
  return server_ ? server_->port() : 0;
}

bool ExporterApp::totals_round() {
  bool need_token = false;
  {
    std::lock_guard lock(reload_mutex_);
    need_token = config_.app.public_auth != config::PublicAuthMode::oauth1_app;
  }
  {
    std::lock_guard lock(status_mutex_);
    need_token = need_token && bearer_needed_ && !fetched_bearer_;
  }
  if (need_token) fetch_bearer_token();
  const bool ok = totals_.poll_once();
  std::lock_guard lock(status_mutex_);
  last_round_ok_ = ok;
  if (ok) last_success_ = wall_clock_.now();
  return ok;
}

void ExporterApp::fetch_bearer_token() {
  std::string token_url;
  std::string consumer_key;
  std::string consumer_secret;
  collectors::UserAuthByAccount accounts;
  config::AppConfig app;
  {
    std::lock_guard lock(reload_mutex_);
    if (!config_.app.consumer_key || !config_.app.consumer_secret) return;
    token_url = config_.api.search_url + std::string(wire::kOAuth2TokenPath);
    consumer_key = config_.app.consumer_key->reveal();
    consumer_secret = config_.app.consumer_secret->reveal();
    accounts = user_auth(config_);
    app = config_.app;
  }
  auto token =
      collectors::client::fetch_bearer_token(transport_, token_url, consumer_key, consumer_secret);
  if (!token) {
    // Owned Posts' user-context batches still run; public metrics go with the consumer key and
    // secret alone under public_auth "auto", or wait for the token under "bearer".
    const bool fallback = app.public_auth == config::PublicAuthMode::automatic;
    logger_.log(fallback ? common::LogLevel::warn : common::LogLevel::error,
                fallback ? "cannot fetch the App's bearer token; public /totals metrics are "
                           "signed with the consumer key and secret alone (OAuth 1.0a) meanwhile"
                         : "cannot fetch the App's bearer token",
                {{"url", token_url}, {"error", token.error().message}});
    return;
  }
  std::lock_guard lock(status_mutex_);
  fetched_bearer_ = collectors::BearerAuth{std::move(*token)};
  totals_.set_credentials(std::move(accounts), public_auth_for(app, fetched_bearer_));
  logger_.info("fetched the App's bearer token", {{"url", token_url}});
}

bool ExporterApp::hourly_round() {
  const bool ok = hourly_.tick();
  std::lock_guard lock(status_mutex_);
  hourly_ok_ = ok;
  if (ok) hourly_success_ = wall_clock_.now();
  return ok;
}

std::vector<CollectorStatus> ExporterApp::collector_status() const {
  std::lock_guard lock(status_mutex_);
  std::vector<CollectorStatus> status{
      CollectorStatus{std::string(kTotalsCollector), last_round_ok_, last_success_}};
  if (hourly_running_) status.push_back({"28hr", hourly_ok_, hourly_success_});
  if (discovery_running_) status.push_back({"search", discovery_ok_, discovery_success_});
  return status;
}

Result<config::LoadedConfig> ExporterApp::load_for_reload() const {
  Result<config::LoadedConfig> loaded = fail("not loaded");
  // POST /-/reload runs on a civetweb worker with a small stack; toml++ recursing through a
  // deeply nested file would overflow it before reaching its own depth limit.
  const bool ran = common::run_on_large_stack(common::kParserStackBytes, [&] {
    loaded = config::load_config(options_.config_file, config::SystemEnvironment{});
  });
  if (!ran) loaded = fail(options_.config_file + ": cannot start a thread to parse the file");
  return loaded;
}

Result<void> ExporterApp::reload() {
  Result<void> result = reload_config();
  // What the parse allocated and freed (a million-line Post list takes over 100 MB) goes back to
  // the system now; glibc would otherwise keep the pages in the parser thread's arena.
  malloc_trim(0);
  return result;
}

Result<void> ExporterApp::reload_config() {
  std::lock_guard reload_lock(reload_mutex_);
  auto loaded = load_for_reload();
  if (!loaded) {
    telemetry_.record_config_reload(false, common::unix_seconds(wall_clock_.now()));
    logger_.error("configuration reload failed; keeping the running configuration",
                  {{"error", loaded.error().message}});
    return tl::unexpected(loaded.error());
  }
  log_warnings(logger_, loaded->warnings);
  const config::ExporterConfig& next = loaded->config;
  if (next.web.listen_address != config_.web.listen_address ||
      next.web.limits != config_.web.limits ||
      next.api.engagement_url != config_.api.engagement_url ||
      next.api.search_url != config_.api.search_url || next.api.timeout != config_.api.timeout ||
      next.api.connect_timeout != config_.api.connect_timeout ||
      next.api.ca_file != config_.api.ca_file) {
    logger_.warn(
        "web listener and api connection settings change only at restart; the rest was reloaded");
  }
  if (auto tls = reload_tls(next); !tls) {
    telemetry_.record_config_reload(false, common::unix_seconds(wall_clock_.now()));
    logger_.error("configuration reload failed; keeping the running configuration",
                  {{"error", tls.error().message}});
    return tl::unexpected(tls.error());
  }
  if (next.state.file != config_.state.file ||
      next.collectors.hourly.enabled != config_.collectors.hourly.enabled) {
    logger_.warn(
        "state.file and collectors.hourly.enabled change only at restart; the rest was reloaded");
  }
  apply(next);
  telemetry_.record_config_reload(true, common::unix_seconds(wall_clock_.now()));
  logger_.info("configuration reloaded", {{"posts", std::to_string(next.posts.size())},
                                          {"accounts", std::to_string(next.accounts.size())}});
  return {};
}

// The certificate files are read again even when their paths did not change: that is how a
// renewed certificate gets served. Switching TLS on or off changes the scheme, so it waits for a
// restart like the listen address.
Result<void> ExporterApp::reload_tls(const config::ExporterConfig& next) {
  if (next.web.tls.has_value() != config_.web.tls.has_value()) {
    logger_.warn("web.tls is switched on or off only at restart; the listener keeps its scheme");
    return {};
  }
  if (!next.web.tls) return {};
  if (auto reloaded = server_->reload_tls(*next.web.tls); !reloaded) {
    return fail("web.tls: " + reloaded.error().message);
  }
  logger_.info("TLS certificate reloaded", {{"certificate", server_->tls_certificate()}});
  return {};
}

void ExporterApp::apply(const config::ExporterConfig& next) {
  collectors::BearerAuth bearer = configured_bearer(next);
  {
    std::lock_guard lock(status_mutex_);
    bearer_needed_ = !next.app.bearer_token;
    if (bearer_needed_ && fetched_bearer_) bearer = *fetched_bearer_;
  }
  discovery_.set_settings(discovery_settings(next, bearer));
  std::optional<collectors::BearerAuth> fetched;
  {
    std::lock_guard lock(status_mutex_);
    fetched = fetched_bearer_;
  }
  totals_.set_credentials(user_auth(next), public_auth_for(next.app, fetched));
  hourly_.set_credentials(user_auth(next));
  update_tracked(tracked_posts(next));
  hourly_.set_schedule(hourly_cadence(next.collectors.hourly), next.collectors.hourly.budget_share);
  pacer_.set_budget(next.api.requests_per_minute);
  totals_loop_->set_interval(next.collectors.totals.interval);
  if (discovery_loop_) {
    discovery_loop_->set_interval(next.discovery.interval);
  } else if (discovery_configured(next)) {
    discovery_.restore_state();
    start_discovery(next);
  }
  telemetry_.set_accounts_limit(next.billing.monthly_accounts_limit);
  server_->set_exposition_options(exposition_options(next));
  // Cheap to swap, and a leaked password must be revocable without dropping a scrape.
  server_->set_basic_auth_users(next.web.basic_auth_users);
  // Connection settings stay as started (see reload()).
  config::ApiConfig api = config_.api;
  const std::string listen_address = config_.web.listen_address;
  const common::ListenerLimits listener_limits = config_.web.limits;
  const auto tls = config_.web.tls;
  const std::string state_file = config_.state.file;
  const bool hourly_enabled = config_.collectors.hourly.enabled;
  config_ = next;
  config_.api.engagement_url = api.engagement_url;
  config_.api.search_url = api.search_url;
  config_.web.listen_address = listen_address;
  config_.web.limits = listener_limits;
  if (config_.web.tls.has_value() != tls.has_value()) config_.web.tls = tls;
  config_.state.file = state_file;
  config_.collectors.hourly.enabled = hourly_enabled;
}

}  // namespace xee::exporter

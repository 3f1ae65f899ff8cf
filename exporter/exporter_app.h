#pragma once
// Wires one running exporter together, in data-path order: configuration → API client and
// collectors → snapshot store and telemetry → HTTP server. main() only parses flags, handles
// signals and calls reload()/stop(); everything that lives while the exporter runs lives here.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "collectors/billing_ledger.h"
#include "collectors/client/http_transport.h"
#include "collectors/client/search_client.h"
#include "collectors/client/x_api_client.h"
#include "collectors/discovery_collector.h"
#include "collectors/hourly_collector.h"
#include "collectors/poll_loop.h"
#include "collectors/request_pacer.h"
#include "collectors/totals_collector.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/result.h"
#include "config/config.h"
#include "exporter/http_server.h"
#include "state/state_file.h"
#include "store/snapshot.h"
#include "store/telemetry.h"

namespace xee::exporter {

struct ExporterAppOptions {
  std::string config_file;
  // --web.listen-address; empty: the config's web.listen_address.
  std::string listen_address_override;
  store::BuildInfo build;
  // X's clock, for Post ages: the wall clock in production, the simulator's world clock in demos
  // and tests (--clock.start/--clock.speed). Must outlive the app.
  const common::Clock* post_age_clock = nullptr;
  // --web.enable-lifecycle: POST /-/reload is refused (403) without it.
  bool enable_lifecycle = false;
  // --shutdown.drain-timeout: how long requests to X already in flight at shutdown may finish
  // before they are aborted. No new request starts once shutdown begins.
  std::chrono::milliseconds drain_timeout = std::chrono::seconds(3);
};

class ExporterApp {
 public:
  // Loads the configuration, starts the collectors and the HTTP server. An error names what
  // failed (every config error with file:line:column, or the listen address).
  static Result<std::unique_ptr<ExporterApp>> start(ExporterAppOptions options,
                                                    const common::Clock& wall_clock,
                                                    common::Logger& logger);
  ~ExporterApp();

  // Re-reads the configuration file. On success the tracked Posts, credentials, intervals and
  // budget change at the next poll round; on failure everything keeps running as it was.
  // Listen address and API URLs need a restart (a warning says so).
  Result<void> reload();

  int port() const;

 private:
  ExporterApp(ExporterAppOptions options, const common::Clock& wall_clock, common::Logger& logger,
              config::LoadedConfig loaded);
  Result<void> start_serving();
  // Parses the config file on a thread with a large stack (common/large_stack.h).
  Result<config::LoadedConfig> load_for_reload() const;
  Result<void> reload_config();
  void apply(const config::ExporterConfig& config);
  // Applies next.web.tls to the listener (reload()); an error leaves the old certificate serving.
  Result<void> reload_tls(const config::ExporterConfig& next);
  bool totals_round();
  bool discovery_round();
  // Reads the state file once: hourly tallies, discovered Posts and cursors, the billing ledger.
  void load_state();
  void start_hourly();
  static bool discovery_configured(const config::ExporterConfig& config);
  // Starts the discovery loop once the configuration has sources or campaigns.
  void start_discovery(const config::ExporterConfig& config);
  // Hands the configured and discovered Posts, merged, to the /totals and hourly collectors.
  // Returns whether a Post was added.
  bool update_tracked(std::vector<collectors::TrackedPost> configured);
  // The accounts of Posts X answered on /totals join this month's billing ledger.
  void record_queried(const std::vector<collectors::PostId>& ids);
  void save_billing();
  // The Bearer token in force: configured, or fetched; empty until fetched.
  collectors::BearerAuth current_bearer();
  void fetch_bearer_token();
  std::vector<CollectorStatus> collector_status() const;
  bool hourly_round();
  // Stops the loops within options_.drain_timeout (plus the time to finish a round's bookkeeping)
  // whatever X does, and saves the state file.
  void shut_down();

  ExporterAppOptions options_;
  const common::Clock& wall_clock_;
  common::Logger& logger_;
  // Guarded by reload_mutex_: reload() replaces it while the poll thread reads credentials.
  config::ExporterConfig config_;
  std::mutex reload_mutex_;

  common::StopSignal stop_;
  store::SnapshotStore store_;
  store::Telemetry telemetry_;
  collectors::client::CurlTransport transport_;
  collectors::client::XApiClient api_;
  collectors::RequestPacer pacer_;
  collectors::TotalsCollector totals_;
  // The state file's path and the hourly collector's `enabled` take effect at a restart.
  state::StateFile state_file_;
  collectors::HourlyCollector hourly_;
  collectors::client::SearchClient search_api_;
  collectors::DiscoveryCollector discovery_;
  collectors::BillingLedger ledger_;
  // The billing account of every tracked Post (collectors/billing_ledger.h), rebuilt by
  // update_tracked().
  std::mutex billing_mutex_;
  std::unordered_map<collectors::PostId, std::string> billing_keys_;

  // Bearer token fetched from /oauth2/token when the config gives only consumer key and secret.
  mutable std::mutex status_mutex_;
  bool bearer_needed_ = false;
  std::optional<collectors::BearerAuth> fetched_bearer_;
  bool last_round_ok_ = false;
  std::optional<common::TimePoint> last_success_;
  bool discovery_running_ = false;  // the loop exists (read by the HTTP thread)
  bool discovery_ok_ = false;
  std::optional<common::TimePoint> discovery_success_;
  bool hourly_running_ = false;
  bool hourly_ok_ = false;
  std::optional<common::TimePoint> hourly_success_;

  // Assigned under status_mutex_ while the HTTP server runs (/-/ready reads it).
  std::unique_ptr<collectors::PollLoop> totals_loop_;
  // Null while [collectors.hourly] is disabled.
  std::unique_ptr<collectors::PollLoop> hourly_loop_;
  std::unique_ptr<collectors::PollLoop> discovery_loop_;
  std::unique_ptr<HttpServer> server_;
};

// The transport settings of the [api] section, shared by the running exporter and the
// backfill/report commands.
collectors::client::CurlTransportOptions transport_options(const config::ApiConfig& api);

// The collectors' view of a loaded configuration: [[posts]] entries, then campaign Posts not
// listed there (public metrics).
std::vector<collectors::TrackedPost> tracked_posts(const config::ExporterConfig& config);
// The discovery collector's view: sources with their queries, campaigns, caps (the overall cap
// lowered so configured and discovered Posts stay within limits.max_posts), TTL.
collectors::DiscoverySettings discovery_settings(const config::ExporterConfig& config,
                                                 collectors::BearerAuth bearer);
// Configured Posts first (their configured owner wins), then discovered ones not configured.
std::vector<collectors::TrackedPost> merge_tracked(
    std::vector<collectors::TrackedPost> configured,
    const std::vector<collectors::DiscoveredPost>& discovered);
collectors::UserAuthByAccount user_auth(const config::ExporterConfig& config);

// How the /totals collector asks public metrics under [app] public_auth: OAuth 1.0a with the
// consumer key and secret alone for "oauth1_app"; otherwise the configured Bearer token, else
// `fetched`, else (for "auto", while no token could be fetched) the consumer-key-only OAuth 1.0a,
// else an empty Bearer token ("bearer" waiting for its token).
collectors::PublicAuth public_auth_for(const config::AppConfig& app,
                                       const std::optional<collectors::BearerAuth>& fetched);

}  // namespace xee::exporter

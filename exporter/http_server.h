#pragma once
// The exporter's web surface on civetweb: /metrics streamed from the current snapshot and the
// telemetry, the landing page, /top (top Posts per hashtag and campaign), /-/healthy, /-/ready and
// /-/reload, all behind basic authentication when users are configured (exporter/basic_auth.h).
// prometheus-cpp's Exposer is not used (docs: exporter-conventions §3): it cannot host these
// routes and buffers whole scrapes.
//
// The server knows nothing of collectors or configuration: readiness, reload and the collectors'
// status come in as callbacks.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/listener_limits.h"
#include "common/log.h"
#include "common/result.h"
#include "common/tls_settings.h"
#include "exporter/basic_auth.h"
#include "exporter/deflate_sink.h"
#include "exporter/exposition.h"
#include "exporter/landing_page.h"
#include "store/snapshot.h"
#include "store/telemetry.h"

namespace xee::exporter {

struct HttpServerOptions {
  std::string listen_address = ":10877";  // see listen_address.h
  LandingPageInfo landing_page;
  ExpositionOptions exposition;
  // Workers and deadlines that keep idle or trickling clients from starving scrapes.
  common::ListenerLimits limits;
  // --web.enable-lifecycle: POST /-/reload answers 403 without it, as in Prometheus.
  bool enable_lifecycle = false;
  int gzip_level = kScrapeGzipLevel;
  // Non-empty: every route answers 401 without one of these users and its password.
  BasicAuthUsers basic_auth_users;
  // Set: the listener speaks HTTPS only (exporter/civetweb_tls.h), with these files and policy.
  std::optional<common::TlsServerSettings> tls;
  // civetweb's own warnings after start-up (start-up errors come back from start()); may be null.
  common::Logger* logger = nullptr;
};

struct HttpCallbacks {
  // /-/ready answers 200 once this returns true, 503 before. Empty: always ready.
  std::function<bool()> ready;
  // POST /-/reload: 200 on success, 500 with the error text otherwise. Calls never overlap.
  // Empty: 500 "reload is not supported".
  std::function<Result<void>()> reload;
  // The landing page's table. Empty: no collectors listed.
  std::function<std::vector<CollectorStatus>()> collector_status;
};

class HttpServer {
 public:
  // Binds and starts serving. `store` and `telemetry` must outlive the server. Errors name the
  // listen address and civetweb's reason ("Address already in use").
  static Result<std::unique_ptr<HttpServer>> start(const HttpServerOptions& options,
                                                   const store::SnapshotStore& store,
                                                   const store::Telemetry& telemetry,
                                                   HttpCallbacks callbacks);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound TCP port; the real one when the address asked for port 0.
  int port() const;

  // New HELP texts after a reload changed the refresh interval; scrapes in flight finish with the
  // old ones.
  void set_exposition_options(const ExpositionOptions& options);

  // Compresses a newly published /totals section for gzip scrapes now (see
  // Exposition::precompress), on the caller's thread.
  void precompress(const std::shared_ptr<const store::TotalsSection>& section);

  // New basic auth users after a reload, for the next request; empty opens the listener.
  void set_basic_auth_users(BasicAuthUsers users);

  // Re-reads the certificate, key and client CA files and applies the policy and versions of
  // `tls` to new handshakes. Fails, leaving the current ones serving, when a file does not load
  // or the server was started without TLS (switching TLS on or off needs a restart).
  Result<void> reload_tls(const common::TlsServerSettings& tls);
  // The served certificate's subject, expiry and serial; "" without TLS.
  std::string tls_certificate() const;

  // Stops accepting, waits for requests in flight, joins the threads. Idempotent.
  void stop();

  // Public only so civetweb's C callbacks in http_server.cpp can reach it.
  struct State;

 private:
  explicit HttpServer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace xee::exporter

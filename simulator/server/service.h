#pragma once
// The simulator's request pipeline, independent of sockets: routing, faults, gzip, auth, rate
// limits, validation and the answers, with metrics and logs. The civetweb layer (http_server.h)
// only moves bytes in and out of Service::handle.
//
// Order for the Engagement API and search: drawn faults that replace the answer (reset, 5xx),
// then gzip (Engagement only, 406), credentials (401/403), a 429 storm, the rate-limit budget
// (429), the request itself (400), access (403), the answer (200), and last the faults that spoil
// a 200 (malformed, truncated). Latency is added to every such request.

#include <string>

#include "common/clock.h"
#include "common/log.h"
#include "simulator/server/auth.h"
#include "simulator/server/faults.h"
#include "simulator/server/http_message.h"
#include "simulator/server/rate_limiter.h"
#include "simulator/server/sim_metrics.h"
#include "simulator/world/world.h"
#include "wire/api_limits.h"

namespace xee::simulator::server {

struct ServiceOptions {
  bool admin_enabled = false;  // GET/PUT /admin/faults; 404 otherwise
  std::string version = "0.0.0";
  std::string revision = "unknown";
  common::TimePoint clock_start;  // for the landing page
  double clock_speed = 1;
};

class Service {
 public:
  // `world_clock` is the simulated time the World is asked at; `wall_clock` drives rate-limit
  // windows and OAuth timestamp checks. All references must outlive the Service.
  Service(const World& world, const common::Clock& world_clock, const common::Clock& wall_clock,
          FaultConfig faults, ServiceOptions options, common::Logger& logger);

  // Thread-safe: civetweb calls it from its worker threads.
  HttpResponse handle(const HttpRequest& request);

  SimulatorMetrics& metrics() { return metrics_; }
  FaultInjector& faults() { return faults_; }

 private:
  HttpResponse route(const HttpRequest& request, std::string_view& endpoint_label);
  HttpResponse handle_engagement(const HttpRequest& request, wire::Endpoint endpoint);
  HttpResponse answer_engagement(const HttpRequest& request, wire::Endpoint endpoint,
                                 const FaultPlan& plan);
  HttpResponse handle_search(const HttpRequest& request);
  HttpResponse answer_search(const HttpRequest& request, const FaultPlan& plan);
  HttpResponse handle_token(const HttpRequest& request);
  HttpResponse handle_admin(const HttpRequest& request);
  HttpResponse landing() const;

  // Reset or 5xx from the plan, or nullopt to go on.
  std::optional<HttpResponse> replacing_fault(const FaultPlan& plan, wire::Endpoint endpoint);
  // Malformed/truncated spoil a 200; latency is added to everything.
  void apply_late_faults(const FaultPlan& plan, const HttpRequest& request, HttpResponse& response);
  tl::expected<Caller, AuthFailure> authenticate(const HttpRequest& request,
                                                 wire::Endpoint endpoint);

  const World& world_;
  const common::Clock& world_clock_;
  ServiceOptions options_;
  common::Logger& logger_;
  Authenticator authenticator_;
  RateLimiter engagement_limiter_;
  RateLimiter search_limiter_;
  FaultInjector faults_;
  SimulatorMetrics metrics_;
};

}  // namespace xee::simulator::server

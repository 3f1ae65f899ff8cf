#pragma once
// The simulator's own metrics (GET /metrics): what it was asked, which faults it injected, why it
// refused credentials and how often it rate-limited, so an SRE rehearsing a failure can see the
// simulator's side of it. prometheus-cpp core types; text exposition via TextSerializer.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <string_view>

#include "simulator/server/auth.h"
#include "simulator/server/faults.h"

namespace xee::simulator::server {

class SimulatorMetrics {
 public:
  SimulatorMetrics(std::string_view version, std::string_view revision);

  // `code` is the HTTP status, or "none" when the connection was dropped without an answer.
  void count_request(std::string_view endpoint, std::string_view code);
  void count_fault(FaultKind kind);
  void count_auth_failure(AuthFailureReason reason);
  void count_rate_limited(std::string_view endpoint, std::string_view window);

  // The Prometheus text exposition format (version 0.0.4).
  std::string serialize() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Counter>& faults_;
  prometheus::Family<prometheus::Counter>& auth_failures_;
  prometheus::Family<prometheus::Counter>& rate_limited_;
};

}  // namespace xee::simulator::server

#include "simulator/server/sim_metrics.h"

#include <prometheus/text_serializer.h>

namespace xee::simulator::server {

SimulatorMetrics::SimulatorMetrics(std::string_view version, std::string_view revision)
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("x_api_simulator_requests_total")
                    .Help("HTTP requests answered, by endpoint and status code.")
                    .Register(*registry_)),
      faults_(prometheus::BuildCounter()
                  .Name("x_api_simulator_faults_injected_total")
                  .Help("Faults injected into answers on purpose (--fault.* flags, /admin/faults).")
                  .Register(*registry_)),
      auth_failures_(
          prometheus::BuildCounter()
              .Name("x_api_simulator_auth_failures_total")
              .Help("Requests refused because their credentials did not verify, by reason.")
              .Register(*registry_)),
      rate_limited_(prometheus::BuildCounter()
                        .Name("x_api_simulator_rate_limited_requests_total")
                        .Help("Requests answered 429 because a rate-limit window was spent, by "
                              "endpoint and window (storms from --fault.rate-limit-rate are "
                              "counted as faults instead).")
                        .Register(*registry_)) {
  prometheus::BuildGauge()
      .Name("x_api_simulator_build_info")
      .Help("Always 1; labels carry the simulator's version and git revision.")
      .Register(*registry_)
      .Add({{"version", std::string(version)}, {"revision", std::string(revision)}})
      .Set(1);
  // Series that exist from the start read 0 instead of being absent, so rate() and alerts work
  // from the first scrape.
  for (const FaultKind kind : kAllFaultKinds)
    faults_.Add({{"fault", std::string(fault_label(kind))}});
  for (std::size_t i = 0; i < kAuthFailureReasonCount; ++i) {
    auth_failures_.Add({{"reason", std::string(reason_label(static_cast<AuthFailureReason>(i)))}});
  }
}

void SimulatorMetrics::count_request(std::string_view endpoint, std::string_view code) {
  requests_.Add({{"endpoint", std::string(endpoint)}, {"code", std::string(code)}}).Increment();
}

void SimulatorMetrics::count_fault(FaultKind kind) {
  faults_.Add({{"fault", std::string(fault_label(kind))}}).Increment();
}

void SimulatorMetrics::count_auth_failure(AuthFailureReason reason) {
  auth_failures_.Add({{"reason", std::string(reason_label(reason))}}).Increment();
}

void SimulatorMetrics::count_rate_limited(std::string_view endpoint, std::string_view window) {
  rate_limited_.Add({{"endpoint", std::string(endpoint)}, {"window", std::string(window)}})
      .Increment();
}

std::string SimulatorMetrics::serialize() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace xee::simulator::server

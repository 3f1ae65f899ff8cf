#pragma once
// What every collector does with an exchange's metadata, whatever its outcome: count it, export
// X's rate-limit headers, and let the shared pacer learn X's view of the windows.

#include "collectors/engagement_api.h"
#include "collectors/request_pacer.h"
#include "store/telemetry.h"

namespace xee::collectors {

// Counts the exchange and exports its rate-limit headers (minute, second and search's 15m window).
void record_exchange(const ApiExchange& exchange, store::Telemetry& telemetry);

// record_exchange, then lets the shared Engagement API pacer learn X's view of the windows.
void account_for_exchange(const ApiExchange& exchange, RequestPacer& pacer,
                          store::Telemetry& telemetry);

}  // namespace xee::collectors

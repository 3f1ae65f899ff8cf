#pragma once
// What every collector does with an exchange's metadata, whatever its outcome: count it, export
// X's rate-limit headers, count the engagement types X answered unasked, and let the shared pacer
// learn X's view of the windows.

#include <set>
#include <string>

#include "collectors/engagement_api.h"
#include "collectors/request_pacer.h"
#include "common/log.h"
#include "store/telemetry.h"

namespace xee::collectors {

// Counts the exchange, exports its rate-limit headers (minute, second and search's 15m window) and
// counts its unrequested engagement types.
void record_exchange(const ApiExchange& exchange, store::Telemetry& telemetry);

// record_exchange, then lets the shared Engagement API pacer learn X's view of the windows.
void account_for_exchange(const ApiExchange& exchange, RequestPacer& pacer,
                          store::Telemetry& telemetry);

// Logs the engagement types X answered unasked, naming endpoint, type and Posts: a warning the
// first time per endpoint and type (remembered in `logged`), debug after, since X may keep doing
// it every round.
void log_unrequested_types(const ApiExchange& exchange, common::Logger& logger,
                           std::set<std::string>& logged);

}  // namespace xee::collectors

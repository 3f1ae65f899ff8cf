#pragma once
// Every wait in the collectors goes through a Sleeper, so production waits are cut short by the
// shared stop signal and tests can replace waiting with advancing a ManualClock.

#include <functional>

#include "common/clock.h"

namespace xee::collectors {

// Waits for `duration`; returns true when stop was requested (before or during the wait).
using Sleeper = std::function<bool(common::Millis duration)>;

inline Sleeper interruptible_sleeper(common::StopSignal& stop) {
  return [&stop](common::Millis duration) { return stop.wait_for(duration); };
}

}  // namespace xee::collectors

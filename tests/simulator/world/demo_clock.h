#pragma once
// The times the world tests speak in: ISO-8601 literals and the demo's --clock.start.

#include <string_view>

#include "common/time_format.h"
#include "simulator/world/world.h"

namespace xee::simulator::testing_support {

inline TimePoint at(std::string_view iso) {
  return *common::parse_iso8601(iso);
}

// The demo's and the tests' --clock.start.
inline const TimePoint kClockStart = at("2026-11-20T00:00:00Z");

}  // namespace xee::simulator::testing_support

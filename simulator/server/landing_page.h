#pragma once
// The HTML page at `/`: what this server is, its version, the world it simulates and links.

#include <string>

#include "common/clock.h"
#include "simulator/world/world.h"

namespace xee::simulator::server {

struct LandingInfo {
  std::string version;
  std::string revision;
  common::TimePoint clock_start;
  double clock_speed = 1;
  common::TimePoint world_now;
  bool admin_enabled = false;
};

std::string landing_page(const WorldConfig& world, const LandingInfo& info);

}  // namespace xee::simulator::server

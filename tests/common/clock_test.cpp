#include "common/clock.h"

#include <gtest/gtest.h>

#include <thread>

namespace xee::common {
namespace {

using namespace std::chrono;

TEST(AcceleratedClock, RunsSpeedTimesFasterFromItsStart) {
  ManualClock base{TimePoint{milliseconds{1'000'000}}};
  const TimePoint start{sys_days{2026y / 1 / 1}};
  AcceleratedClock clock(base, start, 60.0);
  EXPECT_EQ(clock.now(), start);
  base.advance(seconds{10});
  EXPECT_EQ(clock.now(), start + minutes{10});
}

TEST(StopSignal, WakesAWaiterAtOnce) {
  StopSignal stop;
  EXPECT_FALSE(stop.wait_for(milliseconds{1}));
  std::thread stopper([&] { stop.request_stop(); });
  EXPECT_TRUE(stop.wait_for(hours{1}));
  stopper.join();
  EXPECT_TRUE(stop.stop_requested());
}

}  // namespace
}  // namespace xee::common

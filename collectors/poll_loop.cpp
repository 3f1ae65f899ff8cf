#include "collectors/poll_loop.h"

#include <algorithm>

namespace xee::collectors {

PollLoop::PollLoop(std::function<bool()> round, common::Millis interval, const common::Clock& clock,
                   common::StopSignal& stop, Sleeper sleeper)
    : round_(std::move(round)),
      clock_(clock),
      stop_(stop),
      sleeper_(sleeper ? std::move(sleeper) : interruptible_sleeper(stop)),
      interval_ms_(interval.count()),
      thread_([this] { run(); }) {}

PollLoop::~PollLoop() {
  stop_.request_stop();
  thread_.join();
}

void PollLoop::run() {
  while (!stop_.stop_requested()) {
    const common::TimePoint started = clock_.now();
    if (round_()) ready_.store(true);
    const common::TimePoint next = started + common::Millis{interval_ms_.load()};
    if (sleeper_(std::max(common::Millis{0}, next - clock_.now()))) return;
  }
}

}  // namespace xee::collectors

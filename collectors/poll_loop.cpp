#include "collectors/poll_loop.h"

#include <algorithm>
#include <utility>

namespace xee::collectors {

PollLoop::PollLoop(std::function<bool()> round, common::Millis interval, const common::Clock& clock,
                   common::StopSignal& stop, Sleeper sleeper)
    : round_(std::move(round)),
      clock_(clock),
      stop_(stop),
      sleeper_(std::move(sleeper)),
      interval_ms_(interval.count()),
      default_sleeper_(!sleeper_),
      thread_([this] { run(); }) {}

PollLoop::~PollLoop() {
  stop_.request_stop();
  {
    // The default wait listens on wake_cv_, not on the stop signal's own condition.
    std::lock_guard lock(wake_mutex_);
  }
  wake_cv_.notify_all();
  thread_.join();
}

void PollLoop::wake() {
  {
    std::lock_guard lock(wake_mutex_);
    woken_ = true;
  }
  wake_cv_.notify_all();
}

bool PollLoop::wait(common::Millis duration) {
  if (!default_sleeper_) {
    {
      std::lock_guard lock(wake_mutex_);
      if (std::exchange(woken_, false)) return stop_.stop_requested();
    }
    return sleeper_(duration);
  }
  std::unique_lock lock(wake_mutex_);
  wake_cv_.wait_for(lock, duration, [this] { return woken_ || stop_.stop_requested(); });
  woken_ = false;
  return stop_.stop_requested();
}

void PollLoop::run() {
  while (!stop_.stop_requested()) {
    const common::TimePoint started = clock_.now();
    if (round_()) ready_.store(true);
    const common::TimePoint next = started + common::Millis{interval_ms_.load()};
    if (wait(std::max(common::Millis{0}, next - clock_.now()))) return;
  }
}

}  // namespace xee::collectors

#include "common/clock.h"

#include <cmath>

namespace xee::common {

TimePoint SystemClock::now() const {
  return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
}

TimePoint ManualClock::now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

void ManualClock::set(TimePoint t) {
  std::lock_guard lock(mutex_);
  now_ = t;
}

void ManualClock::advance(Millis d) {
  std::lock_guard lock(mutex_);
  now_ += d;
}

AcceleratedClock::AcceleratedClock(const Clock& base, TimePoint start, double speed)
    : base_(base), base_start_(base.now()), start_(start), speed_(speed) {}

TimePoint AcceleratedClock::now() const {
  const auto elapsed = base_.now() - base_start_;
  const auto scaled = static_cast<Millis::rep>(std::llround(static_cast<double>(elapsed.count()) * speed_));
  return start_ + Millis(scaled);
}

bool StopSignal::wait_for(Millis duration) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, duration, [this] { return stop_; });
}

void StopSignal::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
}

bool StopSignal::stop_requested() const {
  std::lock_guard lock(mutex_);
  return stop_;
}

}  // namespace xee::common

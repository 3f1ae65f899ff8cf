#pragma once
// Time is injected everywhere: the simulator's world, the collectors' schedules and rate limits
// and the exporter's timestamps all read a Clock, so tests and demos can fix or speed up time.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace xee::common {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<Millis>;

// `t` as unix seconds: fractional for exported timestamps, whole for bookkeeping.
inline double unix_seconds(TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}
inline std::int64_t whole_unix_seconds(TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
};

// A clock that only moves when told to; thread-safe. For tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint now() const override;
  void set(TimePoint t);
  void advance(Millis d);

 private:
  mutable std::mutex mutex_;
  TimePoint now_;
};

// Simulated time: starts at `start` when constructed and runs `speed` times faster than `base`.
// The simulator uses it for --clock.start and --clock.speed, so a demo shows hours in minutes.
class AcceleratedClock final : public Clock {
 public:
  AcceleratedClock(const Clock& base, TimePoint start, double speed);
  TimePoint now() const override;
  double speed() const { return speed_; }

 private:
  const Clock& base_;
  TimePoint base_start_;
  TimePoint start_;
  double speed_;
};

// Waits that a stop request can cut short; shared by every background loop so shutdown is prompt.
class StopSignal {
 public:
  // Returns true when stop was requested (before or during the wait).
  bool wait_for(Millis duration);
  void request_stop();
  bool stop_requested() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace xee::common

#pragma once
// Runs a collector's rounds on a background thread: the first at once, then one per interval
// (measured from round start to round start; a round longer than the interval is followed
// immediately, without catching up on the missed ones). Scrapes never wait for it.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "collectors/sleeper.h"
#include "common/clock.h"

namespace xee::collectors {

class PollLoop {
 public:
  // `round` returns whether it succeeded. The loop waits through `sleeper`, by default
  // interruptible_sleeper(stop); `clock` measures how much of the interval a round used.
  PollLoop(std::function<bool()> round, common::Millis interval, const common::Clock& clock,
           common::StopSignal& stop, Sleeper sleeper = {});
  // Requests stop on the shared signal (the loop cannot end otherwise) and joins the thread,
  // after at most the round in progress.
  ~PollLoop();
  PollLoop(const PollLoop&) = delete;
  PollLoop& operator=(const PollLoop&) = delete;

  // True once a round has succeeded, for /-/ready.
  bool ready() const { return ready_.load(); }
  // For a configuration reload; applies from the next wait on.
  void set_interval(common::Millis interval) { interval_ms_.store(interval.count()); }

  // Cuts the current wait short: the next round starts now (or right after the one in progress),
  // e.g. when discovery found Posts that should not wait a whole interval for their values. With
  // an injected sleeper the wait is not interrupted; the round after it runs without waiting.
  void wake();

 private:
  void run();
  // Waits `duration`, or until wake() or stop; returns true on stop.
  bool wait(common::Millis duration);

  std::function<bool()> round_;
  const common::Clock& clock_;
  common::StopSignal& stop_;
  Sleeper sleeper_;
  std::atomic<common::Millis::rep> interval_ms_;
  std::atomic<bool> ready_{false};
  std::mutex wake_mutex_;
  std::condition_variable wake_cv_;
  bool woken_ = false;  // guarded by wake_mutex_
  const bool default_sleeper_;
  std::thread thread_;  // last: starts after every member it reads is initialized
};

}  // namespace xee::collectors

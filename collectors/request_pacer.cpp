#include "collectors/request_pacer.h"

#include <algorithm>

namespace xee::collectors {
namespace {

using common::Millis;
using common::TimePoint;

constexpr Millis kMinute{60000};
constexpr Millis kSecond{1000};

std::int64_t at_least_one(std::int64_t budget) {
  return std::max<std::int64_t>(budget, 1);
}

}  // namespace

void RequestPacer::SendLog::forget_expired(TimePoint now) {
  while (!sends_.empty() && sends_.front() <= now - length_) sends_.pop_front();
}

Millis RequestPacer::SendLog::wait_for_room(TimePoint now, std::int64_t capacity) const {
  const auto sent = static_cast<std::int64_t>(sends_.size());
  if (capacity <= 0 || sent < capacity) return Millis{0};
  // The window has room once the oldest sends beyond capacity - 1 have left it.
  const TimePoint frees_room = sends_[static_cast<std::size_t>(sent - capacity)] + length_;
  return std::max(Millis{0}, frees_room - now);
}

RequestPacer::RequestPacer(const common::Clock& clock, Sleeper sleeper, store::Telemetry& telemetry,
                           RequestPacerOptions options)
    : clock_(clock), sleeper_(std::move(sleeper)), telemetry_(telemetry), options_(options) {
  std::lock_guard lock(mutex_);
  publish_budget_locked();
}

bool RequestPacer::acquire() {
  while (true) {
    if (options_.stop != nullptr && options_.stop->stop_requested()) return false;
    Millis wait{0};
    {
      std::lock_guard lock(mutex_);
      const TimePoint now = clock_.now();
      wait = wait_needed_locked(now);
      if (wait == Millis{0}) {
        minute_sends_.record(now);
        second_sends_.record(now);
        return true;
      }
    }
    // Checked again after the wait: another caller may have taken the room, or X may have
    // reported an exhausted window meanwhile.
    if (sleeper_(wait)) return false;
  }
}

Millis RequestPacer::wait_needed_locked(TimePoint now) {
  minute_sends_.forget_expired(now);
  second_sends_.forget_expired(now);
  const Millis blocked = std::max(Millis{0}, blocked_until_ - now);
  const Millis minute = minute_sends_.wait_for_room(now, effective_budget_locked());
  const Millis second = second_sends_.wait_for_room(now, x_second_limit_.value_or(0));
  return std::max({blocked, minute, second});
}

void RequestPacer::observe(const RateLimitHeaders& headers) {
  std::lock_guard lock(mutex_);
  // A limit of 0 means the window is not enforced (the simulator's per_second = 0).
  if (headers.minute_limit && *headers.minute_limit > 0) {
    x_minute_limit_ = headers.minute_limit;
    publish_budget_locked();
  }
  if (headers.second_limit && *headers.second_limit > 0) x_second_limit_ = headers.second_limit;
  if (headers.minute_remaining == 0 && headers.minute_limit != 0) {
    block_until_reset_locked(headers.minute_reset_unix, kMinute);
  }
  if (headers.second_remaining == 0 && headers.second_limit != 0) {
    block_until_reset_locked(headers.second_reset_unix, kSecond);
  }
}

void RequestPacer::on_rate_limited(std::optional<std::int64_t> reset_unix) {
  std::lock_guard lock(mutex_);
  if (reset_unix) {
    block_until_reset_locked(reset_unix, options_.rate_limited_default_wait);
  } else {
    blocked_until_ = std::max(blocked_until_, clock_.now() + options_.rate_limited_default_wait);
  }
}

void RequestPacer::block_until_reset_locked(std::optional<std::int64_t> reset_unix, Millis window) {
  const TimePoint now = clock_.now();
  TimePoint reset = now + window;
  if (reset_unix) {
    const TimePoint reported{std::chrono::seconds{*reset_unix}};
    reset = std::clamp(reported, now, now + window);
  }
  blocked_until_ = std::max(blocked_until_, reset + options_.reset_margin);
}

bool RequestPacer::sleep_for(Millis duration) {
  return sleeper_(duration);
}

void RequestPacer::set_budget(std::int64_t requests_per_minute) {
  std::lock_guard lock(mutex_);
  options_.budget_per_minute = requests_per_minute;
  publish_budget_locked();
}

std::int64_t RequestPacer::effective_budget() const {
  std::lock_guard lock(mutex_);
  return effective_budget_locked();
}

std::int64_t RequestPacer::effective_budget_locked() const {
  const std::int64_t configured = at_least_one(options_.budget_per_minute);
  return x_minute_limit_ ? std::min(configured, *x_minute_limit_) : configured;
}

void RequestPacer::publish_budget_locked() {
  telemetry_.set_request_budget(static_cast<double>(effective_budget_locked()));
}

}  // namespace xee::collectors

#include "collectors/search_budget.h"

#include "wire/api_limits.h"

namespace xee::collectors {

SearchBudget::SearchBudget(const common::Clock& clock, int per_window)
    : clock_(clock), per_window_(per_window) {}

void SearchBudget::set_per_window(int per_window) {
  std::lock_guard lock(mutex_);
  per_window_ = per_window;
}

int SearchBudget::per_window() const {
  std::lock_guard lock(mutex_);
  return per_window_;
}

bool SearchBudget::try_acquire() {
  std::lock_guard lock(mutex_);
  const common::TimePoint now = clock_.now();
  if (blocked_until_ && now < *blocked_until_) return false;
  blocked_until_.reset();
  while (!sent_.empty() && sent_.front() + wire::kSearchRateWindow <= now) sent_.pop_front();
  if (sent_.size() >= static_cast<std::size_t>(per_window_)) return false;
  sent_.push_back(now);
  return true;
}

void SearchBudget::block_until(std::int64_t reset_unix) {
  const common::TimePoint reset{std::chrono::seconds{reset_unix}};
  if (!blocked_until_ || *blocked_until_ < reset) blocked_until_ = reset;
}

void SearchBudget::observe(const RateLimitHeaders& headers) {
  if (!headers.window_remaining || *headers.window_remaining > 0 || !headers.window_reset_unix) {
    return;
  }
  std::lock_guard lock(mutex_);
  block_until(*headers.window_reset_unix);
}

void SearchBudget::on_rate_limited(std::optional<std::int64_t> reset_unix) {
  std::lock_guard lock(mutex_);
  if (reset_unix) {
    block_until(*reset_unix);
    return;
  }
  blocked_until_ = clock_.now() + wire::kSearchRateWindow;
}

}  // namespace xee::collectors

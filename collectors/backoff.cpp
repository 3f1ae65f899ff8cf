#include "collectors/backoff.h"

#include <algorithm>
#include <random>

namespace xee::collectors {

RandomSource seeded_random_source(std::uint64_t seed) {
  return [engine = std::mt19937_64(seed)]() mutable { return engine(); };
}

RandomSource unpredictable_random_source() {
  std::random_device device;
  const std::uint64_t seed = (static_cast<std::uint64_t>(device()) << 32) | device();
  return seeded_random_source(seed);
}

Backoff::Backoff(BackoffOptions options, RandomSource random)
    : options_(options), random_(std::move(random)) {}

std::optional<common::Millis> Backoff::delay_after(int attempts_made) {
  if (attempts_made < 1 || attempts_made >= options_.max_attempts) return std::nullopt;
  const auto ceiling_ms = static_cast<std::uint64_t>(ceiling(attempts_made).count());
  // The modulo bias is below 2^-40 for any ceiling under a day of milliseconds.
  return common::Millis{static_cast<common::Millis::rep>(random_() % (ceiling_ms + 1))};
}

common::Millis Backoff::ceiling(int retry) const {
  const common::Millis base = std::max(options_.base, common::Millis{0});
  const common::Millis cap = std::max(options_.cap, common::Millis{0});
  common::Millis ceiling = base;
  // Doubling stops at the cap, so large retry numbers cannot overflow.
  for (int i = 1; i < retry && ceiling < cap; ++i) ceiling *= 2;
  return std::min(ceiling, cap);
}

}  // namespace xee::collectors

#pragma once
// Exponential backoff with full jitter for server errors and network failures: the wait before
// retry n is uniform in [0, min(cap, base * 2^(n-1))]. Full jitter spreads the retries of
// clients that failed together, so they do not return to X in lockstep.

#include <cstdint>
#include <functional>
#include <optional>

#include "common/clock.h"

namespace xee::collectors {

struct BackoffOptions {
  common::Millis base{1000};
  common::Millis cap{30000};
  // Sends of one request in all, the first included; 1 means never retry.
  int max_attempts = 4;
};

// Uniformly distributed 64-bit values.
using RandomSource = std::function<std::uint64_t()>;
// std::mt19937_64 seeded with `seed`: its output is fixed by the C++ standard, so a seeded source
// gives the same delays with every standard library.
RandomSource seeded_random_source(std::uint64_t seed);
// Seeded from std::random_device, for production.
RandomSource unpredictable_random_source();

class Backoff {
 public:
  Backoff(BackoffOptions options, RandomSource random);

  // The wait before sending again after `attempts_made` failed sends, or nullopt when
  // max_attempts is used up. Not thread-safe: one Backoff per polling thread.
  std::optional<common::Millis> delay_after(int attempts_made);

  const BackoffOptions& options() const { return options_; }

 private:
  common::Millis ceiling(int retry) const;

  BackoffOptions options_;
  RandomSource random_;
};

}  // namespace xee::collectors

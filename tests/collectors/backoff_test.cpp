#include "collectors/backoff.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <limits>
#include <optional>

namespace xee::collectors {
namespace {

using namespace std::chrono_literals;
using common::Millis;

RandomSource scripted(std::deque<std::uint64_t> values) {
  return [values]() mutable {
    const std::uint64_t next = values.front();
    values.pop_front();
    return next;
  };
}

TEST(Backoff, DrawsEachDelayUniformlyUpToADoublingCeilingCappedAtTheCap) {
  // Delay = random % (ceiling + 1) for ceilings 1000, 2000, 4000, then the 4000 ms cap.
  // 2^64 - 1 = 4001 * 4610533385081117 + 2498.
  Backoff backoff({.base = 1s, .cap = 4s, .max_attempts = 5},
                  scripted({0, 5000, 1999, std::numeric_limits<std::uint64_t>::max()}));
  EXPECT_EQ(backoff.delay_after(1), Millis{0});
  EXPECT_EQ(backoff.delay_after(2), Millis{998});
  EXPECT_EQ(backoff.delay_after(3), Millis{1999});
  EXPECT_EQ(backoff.delay_after(4), Millis{2498});
}

TEST(Backoff, StopsAfterMaxAttempts) {
  Backoff backoff({.base = 1s, .cap = 4s, .max_attempts = 3}, scripted({7, 7}));
  EXPECT_EQ(backoff.delay_after(1), Millis{7});
  EXPECT_EQ(backoff.delay_after(2), Millis{7});
  EXPECT_EQ(backoff.delay_after(3), std::nullopt);
  EXPECT_EQ(backoff.delay_after(0), std::nullopt);
}

TEST(Backoff, ASingleAttemptNeverRetries) {
  Backoff backoff({.base = 1s, .cap = 4s, .max_attempts = 1}, scripted({}));
  EXPECT_EQ(backoff.delay_after(1), std::nullopt);
}

TEST(Backoff, LateRetriesStayAtTheCapWithoutOverflow) {
  Backoff backoff({.base = 1s, .cap = 30s, .max_attempts = 1000},
                  scripted({std::numeric_limits<std::uint64_t>::max()}));
  // 2^64 - 1 = 30001 * 614870973424537 + 17078.
  EXPECT_EQ(backoff.delay_after(900), Millis{17078});
}

TEST(Backoff, SeededSourceRepeatsTheStandardMersenneTwisterSequence) {
  // std::mt19937_64's output is fixed by the standard: seed 42 starts with these values.
  RandomSource random = seeded_random_source(42);
  EXPECT_EQ(random(), 13930160852258120406ULL);
  EXPECT_EQ(random(), 11788048577503494824ULL);
  EXPECT_EQ(random(), 13874630024467741450ULL);

  Backoff backoff({.base = 1s, .cap = 30s, .max_attempts = 4}, seeded_random_source(42));
  EXPECT_EQ(backoff.delay_after(1), Millis{937});   // 13930160852258120406 % 1001
  EXPECT_EQ(backoff.delay_after(2), Millis{1766});  // 11788048577503494824 % 2001
  EXPECT_EQ(backoff.delay_after(3), Millis{134});   // 13874630024467741450 % 4001
}

}  // namespace
}  // namespace xee::collectors

#pragma once
// Timing limits in tests, stretched when the code under test runs slower on purpose: the
// sanitizer builds (scripts/sanitize.sh) set XEE_TIME_SCALE, since ASan code runs about 2x and
// TSan code 5-15x slower than a normal build. Unset (the normal suite), every limit is exactly as
// written, so no assertion is weakened there.

#include <chrono>
#include <cstdlib>

namespace xee::test_support {

// XEE_TIME_SCALE from the environment, at least 1.
inline double time_scale() {
  static const double scale = [] {
    const char* text = std::getenv("XEE_TIME_SCALE");
    const double value = text ? std::atof(text) : 1.0;
    return value > 1.0 ? value : 1.0;
  }();
  return scale;
}

// `limit` times XEE_TIME_SCALE.
template <class Rep, class Period>
std::chrono::milliseconds scaled(std::chrono::duration<Rep, Period> limit) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(limit * time_scale());
}

}  // namespace xee::test_support

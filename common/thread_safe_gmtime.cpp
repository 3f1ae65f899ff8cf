#include "common/thread_safe_gmtime.h"

#include <time.h>

extern "C" struct tm* gmtime(const time_t* timer) noexcept {
  thread_local struct tm result;
  return gmtime_r(timer, &result);
}

namespace xee::common {

void use_thread_safe_gmtime() {}

}  // namespace xee::common

#pragma once
// Loopback ports for tests that start servers: the kernel picks a port nobody holds, so parallel
// test runs (and teammates' servers) never collide on a fixed number.

#include "common/result.h"

namespace xee::test_support {

// A TCP port on 127.0.0.1 that was free a moment ago. Bind-then-close leaves a small race with
// other processes; callers that start a server on it should retry once with a new port if the
// server reports the address as taken.
Result<int> pick_free_port();

}  // namespace xee::test_support

#pragma once
// The collectors' tests read telemetry the way the store's tests do.

#include "tests/store/metric_reader.h"

namespace xee::collectors::testing {

using store::testing::Labels;
using store::testing::metric_value;

}  // namespace xee::collectors::testing

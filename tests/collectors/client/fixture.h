#pragma once
// Recorded bodies live in fixtures/ beside the tests that read them.

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace xee::collectors::client::testing {

// The bytes of fixtures/<name>; empty when the file is missing, which the exact-value assertions
// that follow then report.
inline std::string read_fixture(std::string_view name) {
  std::ifstream in(std::string(XEE_TEST_DIR) + "/fixtures/" + std::string(name), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace xee::collectors::client::testing

// The sanitizer-report scan ChildProcess runs on a child's stderr before it lets the child go.

#include "tests/support/child_process.h"

#include <gtest/gtest.h>

namespace xee::test_support {
namespace {

TEST(FindSanitizerReport, FindsEachSanitizersFirstLine) {
  const std::string log = "level=info msg=listening\n";
  EXPECT_EQ(find_sanitizer_report(log), "");
  EXPECT_EQ(find_sanitizer_report(log + "==12==ERROR: AddressSanitizer: heap-use-after-free\n#0"),
            "==12==ERROR: AddressSanitizer: heap-use-after-free\n#0");
  EXPECT_EQ(find_sanitizer_report(log + "==12==ERROR: LeakSanitizer: detected memory leaks\n"),
            "==12==ERROR: LeakSanitizer: detected memory leaks\n");
  EXPECT_EQ(
      find_sanitizer_report(log + "==================\nWARNING: ThreadSanitizer: data race\n"),
      "WARNING: ThreadSanitizer: data race\n");
  EXPECT_EQ(find_sanitizer_report(log + "store/a.cpp:7:3: runtime error: signed integer overflow"),
            "store/a.cpp:7:3: runtime error: signed integer overflow");
}

TEST(FindSanitizerReport, StartsAtTheEarliestReport) {
  EXPECT_EQ(find_sanitizer_report("x.cpp:1:1: runtime error: a\n==1==ERROR: AddressSanitizer: b"),
            "x.cpp:1:1: runtime error: a\n==1==ERROR: AddressSanitizer: b");
}

}  // namespace
}  // namespace xee::test_support

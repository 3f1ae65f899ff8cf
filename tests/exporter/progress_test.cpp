#include "exporter/progress.h"

#include <gtest/gtest.h>

#include <sstream>

#include "historical_fixture.h"

namespace xee::exporter {
namespace {

RunnerCounters counters(std::size_t units_done, std::size_t requests_sent) {
  RunnerCounters c;
  c.units_total = 10;
  c.units_done = units_done;
  c.requests_sent = requests_sent;
  c.posts_total = 30;
  c.posts_done = units_done * 3;
  c.windows_total = 2;
  c.windows_done = units_done / 5;
  return c;
}

TEST(ProgressReporter, RedrawsOneLineOnATerminalWithEta) {
  common::ManualClock clock(testing::kXNow);
  std::ostringstream out;
  ProgressReporter progress(out, true, clock);
  progress.update(counters(0, 0));
  clock.advance(std::chrono::seconds{4});
  progress.update(counters(2, 2));  // 2 s per request, 8 left
  progress.finish();
  EXPECT_EQ(out.str(),
            "\rPosts 0/30  windows 0/2  requests 0/10  ETA ?\033[K"
            "\rPosts 6/30  windows 0/2  requests 2/10  ETA 16s\033[K\n");
}

TEST(ProgressReporter, PrintsPlainLinesAtMostEveryIntervalAndTheLast) {
  common::ManualClock clock(testing::kXNow);
  std::ostringstream out;
  ProgressReporter progress(out, false, clock, std::chrono::seconds{5});
  progress.update(counters(1, 1));
  clock.advance(std::chrono::seconds{1});
  progress.update(counters(2, 2));  // too soon: not printed
  clock.advance(std::chrono::seconds{5});
  progress.update(counters(3, 3));
  clock.advance(std::chrono::seconds{2});
  progress.update(counters(4, 4));
  progress.finish();  // prints the unprinted last state
  EXPECT_EQ(out.str(),
            "progress: Posts 3/30  windows 0/2  requests 1/10  ETA 0s\n"
            "progress: Posts 9/30  windows 0/2  requests 3/10  ETA 14s\n"
            "progress: Posts 12/30  windows 0/2  requests 4/10  ETA 12s\n");
}

}  // namespace
}  // namespace xee::exporter

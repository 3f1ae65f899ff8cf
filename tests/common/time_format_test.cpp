#include "common/time_format.h"

#include <gtest/gtest.h>

namespace xee::common {
namespace {

using namespace std::chrono;

TEST(TimeFormat, FormatsIso8601) {
  const Seconds t = sys_days{2024y / 6 / 1} + 9h + 5min + 7s;
  EXPECT_EQ(format_iso8601(t), "2024-06-01T09:05:07Z");
  EXPECT_EQ(format_date(t), "2024-06-01");
  EXPECT_EQ(format_hour(t), "09");
  EXPECT_EQ(format_iso8601_millis(time_point_cast<milliseconds>(t) + 42ms),
            "2024-06-01T09:05:07.042Z");
}

TEST(TimeFormat, ParsesEveryFormXUses) {
  const Seconds midnight = sys_days{2015y / 8 / 1};
  EXPECT_EQ(parse_iso8601("2015-08-01"), midnight);
  EXPECT_EQ(parse_iso8601("2015-08-01T00:00:00Z"), midnight);
  EXPECT_EQ(parse_iso8601("2015-08-01T12:24Z"), midnight + 12h + 24min);
  EXPECT_EQ(parse_iso8601("2015-08-01T12:24:10.500Z"), midnight + 12h + 24min + 10s);
  EXPECT_EQ(parse_iso8601("2015-08-01T12:24:10+00:00"), midnight + 12h + 24min + 10s);
}

TEST(TimeFormat, RejectsMalformedTimestamps) {
  for (const char* bad : {"", "2015-8-01", "2015-02-30", "2015-08-01T25:00:00Z",
                          "2015-08-01T12:00:00", "2015-08-01T12:00:00+02:00", "yesterday",
                          "2015-08-01T12:00:00.Z"}) {
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
  }
}

TEST(TimeFormat, HourRounding) {
  const Seconds t = sys_days{2016y / 2 / 10} + 12h + 24min;
  EXPECT_EQ(format_iso8601(floor_hour(t)), "2016-02-10T12:00:00Z");
  EXPECT_EQ(format_iso8601(ceil_hour(t)), "2016-02-10T13:00:00Z");
  EXPECT_EQ(ceil_hour(floor_hour(t)), floor_hour(t));
}

TEST(Durations, ParseAndFormat) {
  EXPECT_EQ(parse_duration("90s"), milliseconds{90'000});
  EXPECT_EQ(parse_duration("1h30m"), milliseconds{5'400'000});
  EXPECT_EQ(parse_duration("250ms"), milliseconds{250});
  EXPECT_EQ(parse_duration("2d"), milliseconds{172'800'000});
  EXPECT_EQ(parse_duration("1w"), milliseconds{604'800'000});
  for (const char* bad : {"", "5", "m", "5x", "1h30", "-5s", "5 m"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
  EXPECT_EQ(format_duration(milliseconds{90'000}), "1m30s");
  EXPECT_EQ(format_duration(milliseconds{0}), "0s");
  EXPECT_EQ(format_duration(milliseconds{86'400'250}), "1d250ms");
}

}  // namespace
}  // namespace xee::common

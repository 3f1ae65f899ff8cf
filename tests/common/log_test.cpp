#include "common/log.h"

#include <gtest/gtest.h>

#include <sstream>

namespace xee::common {
namespace {

using namespace std::chrono;

const ManualClock kClock{TimePoint{sys_days{2026y / 11 / 26}} + 1h + 2ms};

TEST(Logger, WritesLogfmtWithQuotingOnlyWhereNeeded) {
  std::ostringstream out;
  Logger logger(out, LogLevel::info, LogFormat::logfmt, kClock);
  logger.info("poll finished", {{"collector", "totals"}, {"error", "said \"no\"\n"}});
  EXPECT_EQ(out.str(),
            "ts=2026-11-26T01:00:00.002Z level=info msg=\"poll finished\" collector=totals "
            "error=\"said \\\"no\\\"\\n\"\n");
}

TEST(Logger, WritesJsonLines) {
  std::ostringstream out;
  Logger logger(out, LogLevel::debug, LogFormat::json, kClock);
  logger.warn("x", {{"k", "a\tb"}});
  EXPECT_EQ(out.str(),
            "{\"ts\":\"2026-11-26T01:00:00.002Z\",\"level\":\"warn\",\"msg\":\"x\",\"k\":\"a\\tb\"}\n");
}

TEST(Logger, FiltersBelowItsLevel) {
  std::ostringstream out;
  Logger logger(out, LogLevel::warn, LogFormat::logfmt, kClock);
  logger.info("hidden");
  logger.debug("hidden");
  EXPECT_EQ(out.str(), "");
  logger.error("shown");
  EXPECT_NE(out.str().find("msg=shown"), std::string::npos);
}

TEST(Logger, ParsesLevelAndFormatFlags) {
  EXPECT_EQ(parse_log_level("debug"), LogLevel::debug);
  EXPECT_FALSE(parse_log_level("verbose"));
  EXPECT_EQ(parse_log_format("json"), LogFormat::json);
  EXPECT_FALSE(parse_log_format("text"));
}

}  // namespace
}  // namespace xee::common

#include "wire/snowflake.h"

#include <gtest/gtest.h>

#include "common/time_format.h"

namespace xee::wire {
namespace {

using namespace std::chrono;

TEST(Snowflake, DecodesCreationTimeOfARealPost) {
  // Post 1790000000000000000 was created 2024-05-13T12:43:51.248Z.
  EXPECT_EQ(common::format_iso8601_millis(snowflake_time(1790000000000000000ULL)),
            "2024-05-13T12:43:51.248Z");
}

TEST(Snowflake, RoundTripsTimeWorkerAndSequence) {
  const sys_time<milliseconds> t{milliseconds{1'700'000'000'123}};
  const PostId id = make_snowflake(t, 513, 4095);
  EXPECT_EQ(snowflake_time(id), t);
  EXPECT_EQ(snowflake_worker(id), 513u);
  EXPECT_EQ(snowflake_sequence(id), 4095u);
}

TEST(Snowflake, ParsesOnlyWellFormedIds) {
  EXPECT_EQ(parse_post_id("1790000000000000001"), 1790000000000000001ULL);
  EXPECT_EQ(parse_post_id("20"), 20ULL);
  EXPECT_FALSE(parse_post_id(""));
  EXPECT_FALSE(parse_post_id("0123"));
  EXPECT_FALSE(parse_post_id("-5"));
  EXPECT_FALSE(parse_post_id("12a"));
  EXPECT_FALSE(parse_post_id("17900000000000000012"));  // 20 digits
  EXPECT_FALSE(parse_post_id("9999999999999999999"));   // above 2^63 - 1
  EXPECT_EQ(format_post_id(1790000000000000001ULL), "1790000000000000001");
}

}  // namespace
}  // namespace xee::wire

#include "wire/engagement_types.h"

#include <gtest/gtest.h>

namespace xee::wire {
namespace {

TEST(EngagementTypes, NamesRoundTrip) {
  for (const EngagementType type : kAllTypes) {
    EXPECT_EQ(parse_engagement_type(to_string(type)), type) << to_string(type);
  }
  EXPECT_FALSE(parse_engagement_type("Impressions"));
  EXPECT_FALSE(parse_engagement_type("media_clicks"));
  EXPECT_EQ(parse_engagement_type_or_alias("media_clicks"), EngagementType::media_engagements);
}

TEST(EngagementTypes, EndpointSetsMatchTheSpec) {
  EXPECT_EQ(kTimeSeriesTypes.size(), 17u);
  EXPECT_FALSE(served_by_time_series(EngagementType::quote_tweets));
  EXPECT_TRUE(served_by_totals(EngagementType::quote_tweets));
  EXPECT_FALSE(served_by_totals(EngagementType::url_clicks));
  EXPECT_TRUE(is_public(EngagementType::video_views));
  EXPECT_FALSE(is_public(EngagementType::impressions));
  EXPECT_TRUE(is_impressions_or_engagements(EngagementType::engagements));
}

}  // namespace
}  // namespace xee::wire

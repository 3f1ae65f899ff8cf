#include "config/suggest.h"

#include <gtest/gtest.h>

namespace xee::config {
namespace {

const std::vector<std::string_view> kApiKeys = {
    "engagement_url",      "search_url",  "timeout", "connect_timeout",
    "requests_per_minute", "max_retries", "ca_file"};

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutionsIgnoringCase) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("listen_adress", "listen_address"), 1u);
  EXPECT_EQ(edit_distance("Handle", "handle"), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
}

TEST(ClosestMatch, SuggestsKeysWithinTwoEdits) {
  EXPECT_EQ(closest_match("timout", kApiKeys), "timeout");
  EXPECT_EQ(closest_match("ca_fil", kApiKeys), "ca_file");
  EXPECT_EQ(closest_match("Search_URL", kApiKeys), "search_url");
  EXPECT_EQ(closest_match("max_retires", kApiKeys), "max_retries");
}

TEST(ClosestMatch, SuggestsTheKeySharingTheLongestPrefix) {
  EXPECT_EQ(closest_match("timeout_seconds", kApiKeys), "timeout");
  EXPECT_EQ(closest_match("requests_per_second", kApiKeys), "requests_per_minute");
  EXPECT_EQ(closest_match("connect", kApiKeys), "connect_timeout");
}

TEST(ClosestMatch, PrefersTheNearestAndThenTheEarlierCandidate) {
  EXPECT_EQ(closest_match("acme", {"acne", "acme_corp", "acme"}), "acme");
  EXPECT_EQ(closest_match("ab", {"ax", "ay"}), "ax");
}

TEST(ClosestMatch, SuggestsNothingWhenNoKeyIsClose) {
  EXPECT_EQ(closest_match("port", kApiKeys), std::nullopt);
  EXPECT_EQ(closest_match("x", {"id"}), std::nullopt);
  EXPECT_EQ(closest_match("anything", {}), std::nullopt);
}

}  // namespace
}  // namespace xee::config

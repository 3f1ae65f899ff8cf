#include "collectors/discovery_state.h"

#include <gtest/gtest.h>

namespace xee::collectors {
namespace {

DiscoveryRegistry::Memory sample() {
  DiscoveryRegistry::Memory memory;
  memory.posts[2123222773114340474] = {2123222773114340474, "1000001", "acme", "acme",
                                       1795132800, {"account:acme", "hashtag:launchday"}};
  memory.posts[9] = {9, "", "", "", 1795132860, {"hashtag:xapi"}};
  memory.cursors["hashtag:launchday"] = {2123222773114340474, "tok en\"1", 2123222773114340475,
                                         42};
  memory.cursors["hashtag:xapi"] = {std::nullopt, std::nullopt, std::nullopt, 0};
  memory.source_queries = {{"hashtag:launchday", "#launchday -is:retweet"},
                           {"hashtag:xapi", "#xapi lang:es"}};
  memory.campaign_discovered = {{"acme-launch", 17}};
  return memory;
}

TEST(DiscoveryStateTest, RoundTripsEveryField) {
  const std::string json = encode_discovery_state(sample());
  EXPECT_TRUE(json.starts_with(
      R"({"posts":[{"post_id":"9","first_seen":"2026-11-20T00:01:00Z","sources":["hashtag:xapi"]},{"post_id":"2123222773114340474","author_id":"1000001","author":"acme","owner":"acme",)"))
      << json;
  const auto decoded = decode_discovery_state(json);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, sample());
}

TEST(DiscoveryStateTest, CursorsOfUnconfiguredSourcesAreNotWritten) {
  DiscoveryRegistry::Memory memory = sample();
  memory.source_queries.erase("hashtag:xapi");
  const auto decoded = decode_discovery_state(encode_discovery_state(memory));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->cursors.count("hashtag:xapi"), 0u);
}

TEST(DiscoveryStateTest, NamesTheFirstProblem) {
  const std::pair<const char*, const char*> cases[] = {
      {"{", "invalid JSON at offset 1: Missing a name for object member."},
      {"[]", "expected an object"},
      {R"({"cursors":{},"campaigns":{}})", "missing or non-array \"posts\""},
      {R"({"posts":[{"post_id":"12","first_seen":"2026-11-20T00:00:00Z","sources":[]}],)"
       R"("cursors":{},"campaigns":{}})",
       "posts[0] (post 12): \"sources\" is missing, not an array or empty"},
      {R"({"posts":[{"post_id":"12","first_seen":"yesterday","sources":["hashtag:a"]}],)"
       R"("cursors":{},"campaigns":{}})",
       "posts[0] (post 12): missing or invalid \"first_seen\" (ISO-8601)"},
      {R"({"posts":[],"cursors":{"hashtag:a":{"since_id":"1"}},"campaigns":{}})",
       "cursors.hashtag:a: missing \"query\""},
      {R"({"posts":[],"cursors":{"hashtag:a":{"query":"#a","since_id":"-1"}},"campaigns":{}})",
       "cursors.hashtag:a: \"since_id\" is not a Post ID: \"-1\""},
      {R"({"posts":[],"cursors":{},"campaigns":{"c":{"discovered_total":-3}}})",
       "campaigns.c: \"discovered_total\" is not a non-negative integer"},
  };
  for (const auto& [json, message] : cases) {
    const auto decoded = decode_discovery_state(json);
    ASSERT_FALSE(decoded) << json;
    EXPECT_EQ(decoded.error().message, message) << json;
  }
}

}  // namespace
}  // namespace xee::collectors

#include "collectors/hourly_state.h"

#include <gtest/gtest.h>

#include "common/time_format.h"

namespace xee::collectors {
namespace {

using namespace std::chrono_literals;
using wire::EngagementType;

const Hour kMidnight = *common::parse_iso8601("2026-11-20T00:00:00Z");

TEST(HourlyState, RoundTripsTalliesAndHoursButNotTheRecentWindow) {
  std::unordered_map<PostId, PostHours> posts;
  PostHours& hours = posts[1859000000000000001];
  hours.last_added = kMidnight - 1h;
  hours.last_active = kMidnight - 5h;
  hours.tally[wire::index_of(EngagementType::impressions)] = 18446744073709551615u;
  hours.tally[wire::index_of(EngagementType::user_follows)] = 3;
  hours.recent[kMidnight - 1h] = {};
  posts[7];  // never answered: not written

  const std::string json = encode_hourly_state(posts);
  EXPECT_TRUE(json.starts_with(
      R"({"posts":[{"post_id":"1859000000000000001","last_added":"2026-11-19T23:00:00Z",)"
      R"("last_active":"2026-11-19T19:00:00Z","tally":{"impressions":18446744073709551615,)"
      R"("engagements":0,"favorites":0,)"))
      << json;
  EXPECT_TRUE(json.ends_with(R"("user_follows":3,"user_profile_clicks":0}}]})")) << json;
  const auto decoded = decode_hourly_state(json);
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->size(), 1u);
  const PostHours& back = decoded->at(1859000000000000001);
  EXPECT_EQ(back.last_added, hours.last_added);
  EXPECT_EQ(back.last_active, hours.last_active);
  EXPECT_EQ(back.tally, hours.tally);
  EXPECT_TRUE(back.recent.empty());
}

// The state file refuses deep nesting before a section reaches its decoder; the decoder does not
// rely on it: RapidJSON's recursive parser overflowed the stack on this.
TEST(HourlyState, DeepNestingIsAnErrorNotACrash) {
  const std::size_t depth = 1'000'000;
  const auto decoded =
      decode_hourly_state(R"({"posts":)" + std::string(depth, '[') + std::string(depth, ']') + "}");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().message, "posts[0]: expected an object");
}

TEST(HourlyState, ErrorsNameThePostAndTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[]", "expected an object"},
      {"{", "invalid JSON at offset 1: Missing a name for object member."},
      {R"({"posts":{}})", "missing or non-array \"posts\""},
      {R"({"posts":[{"post_id":"x"}]})",
       "posts[0]: missing or invalid \"post_id\" (a Post ID as a string)"},
      {R"({"posts":[{"post_id":"5"}]})", "posts[0] (post 5): missing or non-string \"last_added\""},
      {R"({"posts":[{"post_id":"5","last_added":"2026-11-19T23:30:00Z"}]})",
       "posts[0] (post 5): \"last_added\" is not a whole hour in ISO-8601: "
       "\"2026-11-19T23:30:00Z\""},
      {R"({"posts":[{"post_id":"5","last_added":"2026-11-19T23:00:00Z",)"
       R"("last_active":"2026-11-19T23:00:00Z","tally":{"quote_tweets":1}}]})",
       "posts[0] (post 5): tally.quote_tweets is not one of the 17 hourly types"},
      {R"({"posts":[{"post_id":"5","last_added":"2026-11-19T23:00:00Z",)"
       R"("last_active":"2026-11-19T23:00:00Z","tally":{"favorites":-1}}]})",
       "posts[0] (post 5): tally.favorites is not a non-negative integer"},
      {R"({"posts":[{"post_id":"5","last_added":"2026-11-19T23:00:00Z",)"
       R"("last_active":"2026-11-19T23:00:00Z","tally":{}},)"
       R"({"post_id":"5","last_added":"2026-11-19T23:00:00Z",)"
       R"("last_active":"2026-11-19T23:00:00Z","tally":{}}]})",
       "posts[1]: post 5 is listed twice"},
  };
  for (const auto& [json, message] : cases) {
    const auto decoded = decode_hourly_state(json);
    ASSERT_FALSE(decoded) << json;
    EXPECT_EQ(decoded.error().message, message) << json;
  }
}

}  // namespace
}  // namespace xee::collectors

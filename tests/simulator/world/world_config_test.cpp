#include <gtest/gtest.h>

#include <fstream>

#include "common/time_format.h"
#include "simulator/world/world.h"

namespace xee::simulator {
namespace {

std::string testdata(std::string_view name) {
  return std::string(XEE_TEST_DIR) + "/testdata/" + std::string(name);
}

TEST(WorldConfigFile, DemoWorldTomlIsTheBuiltInDemoWorld) {
  const auto loaded =
      load_world_config(std::string(XEE_SOURCE_DIR) + "/simulator/world/demo-world.toml");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ(*loaded, demo_world());
}

TEST(WorldConfigFile, OptionalKeysTakeTheDefaultsOfWorldH) {
  const auto loaded = load_world_config(testdata("minimal.toml"));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  const WorldConfig& world = *loaded;
  EXPECT_EQ(world.seed, 42u);
  EXPECT_EQ(world.app.bearer_token, "bearer");
  ASSERT_EQ(world.accounts.size(), 1u);
  const AccountConfig& account = world.accounts[0];
  EXPECT_EQ(account.handle, "acme");
  EXPECT_EQ(account.user_id, 1000001u);
  EXPECT_EQ(account.posting_since, *common::parse_iso8601("2026-06-01T00:00:00Z"));
  EXPECT_EQ(account.posts_per_day, 4);
  EXPECT_EQ(account.video_fraction, 0.3);
  EXPECT_TRUE(account.hashtags.empty());
  EXPECT_EQ(account.hashtag_fraction, 0.5);
  EXPECT_EQ(account.reach, 1.0);
  ASSERT_EQ(world.hashtags.size(), 1u);
  const HashtagConfig& hashtag = world.hashtags[0];
  EXPECT_EQ(hashtag.tag, "launchday");
  EXPECT_EQ(hashtag.posts_per_hour, 10);
  EXPECT_EQ(hashtag.video_fraction, 0.1);
  EXPECT_EQ(hashtag.reach, 0.3);
  EXPECT_EQ(hashtag.lang, "en");
  EXPECT_EQ(world.limits, LimitsConfig{});
  EXPECT_EQ(world.variants.forbidden_tweets_status, 403);
}

TEST(WorldConfigFile, AMissingFileIsNamed) {
  const std::string path = testdata("no-such-world.toml");
  const auto loaded = load_world_config(path);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().message,
            path + ": cannot read world file: File could not be opened for reading");
}

struct InvalidConfig {
  std::string file;
  std::string expected;  // the message after "<path>:"
};

void PrintTo(const InvalidConfig& config, std::ostream* out) {
  *out << config.file;
}

class InvalidWorldConfig : public testing::TestWithParam<InvalidConfig> {};

TEST_P(InvalidWorldConfig, IsRejectedWithItsPositionAndReason) {
  const std::string path = testdata(GetParam().file);
  ASSERT_TRUE(std::ifstream(path).good()) << path;
  const auto loaded = load_world_config(path);
  ASSERT_FALSE(loaded.has_value()) << GetParam().file << " was accepted";
  EXPECT_EQ(loaded.error().message, path + ":" + GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Testdata, InvalidWorldConfig,
    testing::Values(
        InvalidConfig{"invalid-syntax.toml",
                      "4:18: Error while parsing key-value pair: expected value, saw '\\n'"},
        InvalidConfig{"invalid-unknown-key.toml",
                      "20:1: accounts[1]: unknown key \"posts_per_week\""},
        InvalidConfig{"invalid-unknown-top-level-key.toml", "2:1: unknown key \"sed\""},
        InvalidConfig{"invalid-unknown-limits-key.toml", "9:1: limits: unknown key \"per_hour\""},
        InvalidConfig{"invalid-missing-app.toml", "1:1: missing required table [app]"},
        InvalidConfig{"invalid-missing-consumer-secret.toml",
                      "2:1: app: missing required key \"consumer_secret\""},
        InvalidConfig{"invalid-missing-access-token.toml",
                      "14:1: accounts[1]: missing required key \"access_token\""},
        InvalidConfig{"invalid-missing-handle.toml",
                      "7:1: accounts[0]: missing required key \"handle\""},
        InvalidConfig{"invalid-missing-user-id.toml",
                      "7:1: accounts[0]: missing required key \"user_id\""},
        InvalidConfig{"invalid-missing-posting-since.toml",
                      "7:1: accounts[0]: missing required key \"posting_since\""},
        InvalidConfig{"invalid-missing-hashtag-tag.toml",
                      "7:1: hashtags[0]: missing required key \"tag\""},
        InvalidConfig{"invalid-empty-bearer-token.toml",
                      "5:16: app.bearer_token: must not be empty"},
        InvalidConfig{"invalid-rate-as-string.toml",
                      "13:17: accounts[0].posts_per_day: must be a number, not a string"},
        InvalidConfig{"invalid-user-id-as-string.toml",
                      "9:11: accounts[0].user_id: must be an integer, not a string"},
        InvalidConfig{"invalid-account-hashtags-not-strings.toml",
                      "13:26: accounts[0].hashtags: must be an array of strings, not an integer"},
        InvalidConfig{"invalid-accounts-not-tables.toml",
                      "2:13: accounts: must be an array of tables ([[accounts]]), not a string"},
        InvalidConfig{"invalid-native-datetime.toml",
                      "12:17: accounts[0].posting_since: must be an ISO-8601 string like "
                      "\"2026-06-01T00:00:00Z\", not a TOML date-time"},
        InvalidConfig{"invalid-zero-rate.toml",
                      "13:17: accounts[0].posts_per_day: must be greater than 0 and at most "
                      "86400, got 0"},
        InvalidConfig{"invalid-rate-too-high.toml",
                      "10:18: hashtags[0].posts_per_hour: must be greater than 0 and at most "
                      "3600, got 7200"},
        InvalidConfig{"invalid-fraction-above-one.toml",
                      "13:18: accounts[0].video_fraction: must be between 0 and 1, got 1.5"},
        InvalidConfig{"invalid-negative-reach.toml",
                      "10:9: hashtags[0].reach: must be between 0 and 1000, got -0.5"},
        InvalidConfig{"invalid-negative-seed.toml",
                      "2:8: seed: must be between 0 and 9223372036854775807, got -1"},
        InvalidConfig{"invalid-zero-per-minute.toml",
                      "8:14: limits.per_minute: must be between 1 and 1000000, got 0"},
        InvalidConfig{"invalid-bad-timestamp.toml",
                      "12:17: accounts[0].posting_since: \"2026-06-31T00:00:00Z\" is not an "
                      "ISO-8601 UTC timestamp like \"2026-06-01T00:00:00Z\""},
        InvalidConfig{"invalid-timestamp-before-snowflakes.toml",
                      "9:17: hashtags[0].posting_since: must be between 2010-11-05T00:00:00Z and "
                      "2070-01-01T00:00:00Z, got \"2009-01-01T00:00:00Z\""},
        InvalidConfig{"invalid-bad-duration.toml",
                      "8:23: limits.historical_lookback: \"1y\" is not a duration like \"365d\""},
        InvalidConfig{"invalid-forbidden-status.toml",
                      "8:27: variants.forbidden_tweets_status: must be one of 403, 400, 200, got "
                      "401"},
        InvalidConfig{"invalid-lookback-not-whole-days.toml",
                      "8:23: limits.historical_lookback: \"36h\" must be a whole number of days"},
        InvalidConfig{"invalid-bad-handle.toml",
                      "8:10: accounts[0].handle: \"acme_corporation_global\" is not an X handle "
                      "(1-15 letters, digits or _)"},
        InvalidConfig{"invalid-reserved-handle.toml",
                      "8:10: accounts[0].handle: \"User_42\" is reserved for the simulator's "
                      "public authors"},
        InvalidConfig{"invalid-reserved-user-id.toml",
                      "9:11: accounts[0].user_id: 9000000042 is reserved for the simulator's "
                      "public authors (9000000000-9000004999)"},
        InvalidConfig{"invalid-tag-with-hash.toml",
                      "8:7: hashtags[0].tag: \"#launchday\" must be written without the leading "
                      "'#'"},
        InvalidConfig{"invalid-bad-lang.toml",
                      "10:8: hashtags[0].lang: \"en us\" is not a language code like \"en\" or "
                      "\"pt-BR\""},
        InvalidConfig{"invalid-duplicate-handle.toml",
                      "15:10: accounts[1].handle: \"ACME\" is already used by accounts[0]"},
        InvalidConfig{"invalid-duplicate-user-id.toml",
                      "16:11: accounts[1].user_id: 1000001 is already used by accounts[0]"},
        InvalidConfig{"invalid-duplicate-access-token.toml",
                      "17:16: accounts[1].access_token: \"shared-token\" is already used by "
                      "accounts[0]"},
        InvalidConfig{"invalid-duplicate-hashtag.toml",
                      "12:7: hashtags[1].tag: \"LaunchDay\" is already used by hashtags[0]"},
        InvalidConfig{"invalid-too-many-accounts.toml",
                      "3079:1: at most 512 [[accounts]] are allowed (one snowflake worker each)"},
        InvalidConfig{"invalid-too-many-hashtags.toml",
                      "1543:1: at most 512 [[hashtags]] are allowed (one snowflake worker each)"}),
    [](const testing::TestParamInfo<InvalidConfig>& param_info) {
      const std::string& file = param_info.param.file;
      std::string name = file.substr(0, file.size() - std::string_view(".toml").size());
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace xee::simulator

#include "exporter/openmetrics_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "historical_fixture.h"

namespace xee::exporter {
namespace {

using testing::at;
using wire::EngagementType;

constexpr PostId kPost = 2123521096312426148ULL;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<collectors::HourlyCount> one_hour(std::chrono::sys_seconds hour, std::uint64_t base) {
  return {{kPost, EngagementType::impressions, hour, base},
          {kPost, EngagementType::engagements, hour, base + 1},
          {kPost, EngagementType::favorites, hour, base + 2},
          {kPost, EngagementType::url_clicks, hour, base + 3}};
}

TEST(SampleLine, TimestampIsTheEndOfTheHourInSeconds) {
  EXPECT_EQ(sample_line({kPost, EngagementType::impressions, at("2026-11-13T10:00:00Z"), 42}),
            "x_engagement_post_last_hour_impressions{post_id=\"2123521096312426148\"} 42 "
            "1794567600\n");
  EXPECT_EQ(
      sample_line({kPost, EngagementType::user_profile_clicks, at("2026-11-13T10:00:00Z"), 0}),
      "x_engagement_post_last_hour_interactions{post_id=\"2123521096312426148\","
      "engagement_type=\"user_profile_clicks\"} 0 1794567600\n");
}

TEST(AssembleOpenMetrics, GroupsEachFamilyAcrossWindowsAndEndsWithEof) {
  const std::string dir = testing::fresh_dir("openmetrics");
  const std::string first = dir + "/unit-0";
  const std::string second = dir + "/unit-1";
  ASSERT_TRUE(write_unit_samples(first, one_hour(at("2026-11-13T10:00:00Z"), 10)));
  ASSERT_TRUE(write_unit_samples(second, one_hour(at("2026-11-13T11:00:00Z"), 20)));
  const std::string output = dir + "/backfill.om";
  const auto assembled = assemble_openmetrics({first, second}, output);
  ASSERT_TRUE(assembled) << assembled.error().message;
  EXPECT_EQ(read_file(output), read_file(XEE_TEST_DIR "/fixtures/backfill/two_windows.om"));
  EXPECT_FALSE(std::filesystem::exists(output + ".tmp"));
}

TEST(AssembleOpenMetrics, NamesAMissingUnitFile) {
  const std::string dir = testing::fresh_dir("openmetrics-missing");
  const auto assembled = assemble_openmetrics({dir + "/unit-7"}, dir + "/out.om");
  ASSERT_FALSE(assembled);
  EXPECT_EQ(assembled.error().message.rfind("cannot read " + dir + "/unit-7.impressions", 0), 0u)
      << assembled.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.om"));
}

}  // namespace
}  // namespace xee::exporter

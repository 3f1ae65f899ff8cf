#include "config/posts_file.h"

#include <gtest/gtest.h>

namespace xee::config {
namespace {

constexpr std::string_view kExpected =
    ": expected 1 to 19 digits without sign or leading zero, at most 9223372036854775807";

TEST(ParseConfiguredPostId, AcceptsWhatXWritesAndExplainsTheRest) {
  EXPECT_EQ(parse_configured_post_id("1855555555555555555").value(), 1855555555555555555ULL);
  EXPECT_EQ(parse_configured_post_id("9223372036854775807").value(), 9223372036854775807ULL);
  EXPECT_EQ(parse_configured_post_id("9223372036854775808").error().message,
            "invalid Post ID \"9223372036854775808\"" + std::string(kExpected));
  EXPECT_EQ(parse_configured_post_id("").error().message,
            "invalid Post ID \"\"" + std::string(kExpected));
}

TEST(ParseConfiguredPostId, ShortensLongTextInTheMessage) {
  EXPECT_EQ(
      parse_configured_post_id("https://x.com/acme/status/1855555555555555555?s=20")
          .error()
          .message,
      "invalid Post ID \"https://x.com/acme/status/18555555555555…\"" + std::string(kExpected));
}

TEST(ParsePostsFile, SkipsCommentsAndBlankLinesAndKeepsLineNumbers) {
  const PostsFile file = parse_posts_file(
      "\xEF\xBB\xBF# header\n"
      "\n"
      "1855555555555555555\n"
      "   1855555555555555556   # trailing comment\r\n"
      "\t\n"
      "# 1855555555555555557\n"
      "1855555555555555555");
  ASSERT_EQ(file.ids.size(), 3u);
  EXPECT_EQ(file.ids[0].line, 3u);
  EXPECT_EQ(file.ids[0].id, 1855555555555555555ULL);
  EXPECT_EQ(file.ids[1].line, 4u);
  EXPECT_EQ(file.ids[1].id, 1855555555555555556ULL);
  EXPECT_EQ(file.ids[2].line, 7u);
  EXPECT_EQ(file.ids[2].id, 1855555555555555555ULL);
  EXPECT_TRUE(file.problems.empty());
}

TEST(ParsePostsFile, ReportsEachBadLineAndKeepsTheGoodOnes) {
  const PostsFile file = parse_posts_file("20\n0x14\n21 22\n23\n");
  ASSERT_EQ(file.ids.size(), 2u);
  EXPECT_EQ(file.ids[0].id, 20u);
  EXPECT_EQ(file.ids[1].id, 23u);
  EXPECT_EQ(file.ids[1].line, 4u);
  ASSERT_EQ(file.problems.size(), 2u);
  EXPECT_EQ(file.problems[0].line, 2u);
  EXPECT_EQ(file.problems[0].message, "invalid Post ID \"0x14\"" + std::string(kExpected));
  EXPECT_EQ(file.problems[1].line, 3u);
  EXPECT_EQ(file.problems[1].message, "invalid Post ID \"21 22\"" + std::string(kExpected));
}

TEST(ParsePostsFile, KeepsTheFirstProblemsOfAJunkFileAndCountsTheRest) {
  std::string content = "1855555555555555555\n";
  for (int i = 0; i < 1000; ++i) content += "junk-" + std::to_string(i) + "\n";
  const PostsFile posts = parse_posts_file(content);
  ASSERT_EQ(posts.ids.size(), 1u);
  EXPECT_EQ(posts.problem_count, 1000u);
  ASSERT_EQ(posts.problems.size(), kMaxPostsFileProblems);
  EXPECT_EQ(posts.problems.front().line, 2u);
  EXPECT_EQ(posts.problems.back().line, kMaxPostsFileProblems + 1);
  EXPECT_EQ(posts.problems.back().message,
            "invalid Post ID \"junk-99\": expected 1 to 19 digits without sign or leading zero, "
            "at most 9223372036854775807");
}

TEST(ParsePostsFile, ReadsNothingFromAnEmptyFile) {
  const PostsFile file = parse_posts_file("");
  EXPECT_TRUE(file.ids.empty());
  EXPECT_TRUE(file.problems.empty());
}

}  // namespace
}  // namespace xee::config

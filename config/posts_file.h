#pragma once
// Post IDs as the configuration lists them: inline (`id = "…"`) or in a Post list file with one
// ID per line, '#' starting a comment (whole-line or trailing) and blank lines ignored.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "wire/snowflake.h"

namespace xee::config {

// wire::parse_post_id with an error that quotes the text (shortened when long) and says what a
// Post ID looks like.
Result<wire::PostId> parse_configured_post_id(std::string_view text);

struct PostsFileLine {
  std::size_t line = 0;  // 1-based
  wire::PostId id = 0;
};
struct PostsFileProblem {
  std::size_t line = 0;  // 1-based
  std::string message;
};
// The first problems only: a list of a million junk lines must not hold a million messages.
inline constexpr std::size_t kMaxPostsFileProblems = 100;
struct PostsFile {
  std::vector<PostsFileLine> ids;          // in file order, duplicates kept
  std::vector<PostsFileProblem> problems;  // the first kMaxPostsFileProblems, in file order
  std::size_t problem_count = 0;           // all of them
};

PostsFile parse_posts_file(std::string_view content);

}  // namespace xee::config

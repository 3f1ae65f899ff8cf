#include "config/posts_file.h"

#include <cstdint>

#include "config/text.h"

namespace xee::config {

Result<wire::PostId> parse_configured_post_id(std::string_view text) {
  if (const auto id = wire::parse_post_id(text)) return *id;
  return fail("invalid Post ID " + quote_shortened(text) +
              ": expected 1 to 19 digits without sign or leading zero, at most " +
              std::to_string(INT64_MAX));
}

PostsFile parse_posts_file(std::string_view content) {
  constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
  if (content.starts_with(kUtf8Bom)) content.remove_prefix(kUtf8Bom.size());
  PostsFile out;
  std::size_t line_number = 0;
  while (!content.empty()) {
    const std::size_t newline = content.find('\n');
    std::string_view line = content.substr(0, newline);
    content = newline == std::string_view::npos ? std::string_view{} : content.substr(newline + 1);
    ++line_number;
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    if (const auto id = wire::parse_post_id(line)) {
      out.ids.push_back({line_number, *id});
    } else if (++out.problem_count <= kMaxPostsFileProblems) {
      // Only kept problems get a message: formatting a million would be the parse's main cost.
      out.problems.push_back({line_number, parse_configured_post_id(line).error().message});
    }
  }
  return out;
}

}  // namespace xee::config

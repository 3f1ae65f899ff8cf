// Fuzzes the Post list reader (config::parse_posts_file), the text of a `[[posts]] file = …`.
// Checks what posts_file.h promises: lines numbered from 1 in file order, every ID a valid Post ID
// that reads back the same, every other non-blank line a problem, and messages kept on one line
// of well-formed UTF-8 when the file is well-formed UTF-8 (they end up in logfmt and JSON logs).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/posts_file.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = xee::fuzz::as_text(data, size);
  const xee::config::PostsFile parsed = xee::config::parse_posts_file(text);

  std::size_t lines = 1;
  for (const char c : text) lines += c == '\n' ? 1 : 0;
  std::size_t previous = 0;
  for (const auto& entry : parsed.ids) {
    XEE_FUZZ_REQUIRE(entry.line > previous && entry.line <= lines);
    previous = entry.line;
    XEE_FUZZ_REQUIRE(xee::wire::parse_post_id(xee::wire::format_post_id(entry.id)) == entry.id);
  }
  const bool utf8 = xee::fuzz::is_valid_utf8(text);
  previous = 0;
  for (const auto& problem : parsed.problems) {
    XEE_FUZZ_REQUIRE(problem.line > previous && problem.line <= lines);
    previous = problem.line;
    XEE_FUZZ_REQUIRE(problem.message.find('\n') == std::string::npos);
    if (utf8) XEE_FUZZ_REQUIRE(xee::fuzz::is_valid_utf8(problem.message));
  }
  XEE_FUZZ_REQUIRE(parsed.ids.size() + parsed.problems.size() <= lines);
  return 0;
}

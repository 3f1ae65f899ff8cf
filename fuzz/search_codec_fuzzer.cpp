// Fuzzes v2 recent search's decoding: decode_search_page for a 200 body and
// describe_search_problem for an error (the status taken from the input's length). Checks what
// search_codec.h promises: Post and author IDs of 1..19 digits, no empty next_token, and a problem
// described on one line.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/client/search_codec.h"
#include "fuzz/fuzz_support.h"

namespace {

bool is_digits_id(std::string_view id) {
  if (id.empty() || id.size() > 19) return false;
  for (const char c : id) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = xee::fuzz::as_text(data, size);
  const bool utf8 = xee::fuzz::is_valid_utf8(body);
  if (const auto page = xee::collectors::client::decode_search_page(body)) {
    for (const auto& post : page->posts) {
      XEE_FUZZ_REQUIRE(post.id != 0);
      if (post.author_id) XEE_FUZZ_REQUIRE(is_digits_id(*post.author_id));
    }
    if (page->next_token) XEE_FUZZ_REQUIRE(!page->next_token->empty());
  } else {
    XEE_FUZZ_REQUIRE_ABOUT(xee::fuzz::is_log_line(page.error().message, utf8),
                           page.error().message);
  }
  const long status = 400 + static_cast<long>(size % 200);
  const std::string problem = xee::collectors::client::describe_search_problem(status, body);
  XEE_FUZZ_REQUIRE(problem.starts_with("search: HTTP " + std::to_string(status) + ": "));
  XEE_FUZZ_REQUIRE_ABOUT(xee::fuzz::is_log_line(problem, utf8), problem);
  return 0;
}

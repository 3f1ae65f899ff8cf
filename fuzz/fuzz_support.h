#pragma once
// Shared by the fuzz targets: checking a property beyond "does not crash" (a failed check prints
// which one and aborts, so libFuzzer keeps the input as a crash like a sanitizer report), and
// small helpers to derive a target's other arguments from the input itself.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/text.h"
#include "wire/snowflake.h"

#define XEE_FUZZ_REQUIRE(condition)                                                         \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                         \
    }                                                                                       \
  } while (false)

// The same, also printing `about` (a message or value the property is about) when it fails.
#define XEE_FUZZ_REQUIRE_ABOUT(condition, about)                                \
  do {                                                                          \
    if (!(condition)) {                                                         \
      std::fprintf(stderr, "property about: %s\n", std::string(about).c_str()); \
      XEE_FUZZ_REQUIRE(condition);                                              \
    }                                                                           \
  } while (false)

namespace xee::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

using common::is_valid_utf8;

// A message for a log line: no line breaks, and well-formed UTF-8 when what it quotes was.
inline bool is_log_line(std::string_view message, bool input_is_utf8) {
  return message.find_first_of("\r\n") == std::string_view::npos &&
         (!input_is_utf8 || is_valid_utf8(message));
}

// Every run of digits in `text` that is a valid Post ID, in order, duplicates dropped: the IDs a
// codec target "requested", so decoding gets past the check that a Post was asked for.
inline std::vector<wire::PostId> post_ids_in(std::string_view text, std::size_t limit = 300) {
  std::vector<wire::PostId> ids;
  std::size_t i = 0;
  while (i < text.size() && ids.size() < limit) {
    if (text[i] < '0' || text[i] > '9') {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (const auto id = wire::parse_post_id(text.substr(i, end - i))) {
      bool seen = false;
      for (const wire::PostId known : ids) seen = seen || known == *id;
      if (!seen) ids.push_back(*id);
    }
    i = end;
  }
  return ids;
}

}  // namespace xee::fuzz

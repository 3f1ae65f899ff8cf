#pragma once
// Shared by the fuzz targets: checking a property beyond "does not crash" (a failed check prints
// which one and aborts, so libFuzzer keeps the input as a crash like a sanitizer report), and
// small helpers to derive a target's other arguments from the input itself.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "wire/snowflake.h"

#define XEE_FUZZ_REQUIRE(condition)                                                         \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                         \
    }                                                                                       \
  } while (false)

namespace xee::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Well-formed UTF-8 (RFC 3629: shortest form, no surrogates, at most U+10FFFF).
inline bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code = byte & 0x1Fu;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code = byte & 0x0Fu;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code = byte & 0x07u;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3Fu);
    }
    constexpr std::uint32_t kShortest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kShortest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

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

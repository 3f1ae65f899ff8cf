#pragma once
// ASCII text helpers for wire formats (HTTP header names, X's error messages), where locale-aware
// conversions would be wrong.

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace xee::common {

// `text` without leading and trailing ASCII whitespace.
inline std::string_view trim_ascii(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

// `text` with A-Z mapped to a-z.
inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A C0 control character or DEL: never part of a token, a handle or a query.
inline bool is_ascii_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

// "0x1F": a byte as messages name it.
inline std::string hex_byte(char c) {
  constexpr std::string_view kDigits = "0123456789ABCDEF";
  const auto byte = static_cast<unsigned char>(c);
  return {'0', 'x', kDigits[byte >> 4], kDigits[byte & 0x0F]};
}

}  // namespace xee::common

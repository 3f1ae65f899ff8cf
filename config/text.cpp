#include "config/text.h"

#include <algorithm>
#include <cctype>

#include "common/text.h"

namespace xee::config {
namespace {

constexpr std::string_view kSpace = " \t\r\n\v\f";
constexpr std::size_t kMaxQuotedLength = 40;

}  // namespace

std::string_view trim(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return trim_end(text.substr(begin));
}

std::string_view trim_end(std::string_view text) {
  const std::size_t last = text.find_last_not_of(kSpace);
  if (last == std::string_view::npos) return {};
  return text.substr(0, last + 1);
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string escape_control_characters(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      constexpr std::string_view kHex = "0123456789ABCDEF";
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

std::string quote_shortened(std::string_view text) {
  if (text.size() <= kMaxQuotedLength) return "\"" + std::string(text) + "\"";
  return "\"" + std::string(common::utf8_prefix(text, kMaxQuotedLength)) + "…\"";
}

}  // namespace xee::config

#include "config/suggest.h"

#include <algorithm>
#include <cctype>

namespace xee::config {
namespace {

constexpr std::size_t kMaxEdits = 2;
constexpr std::size_t kMinSharedPrefix = 4;

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::size_t shared_prefix_length(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && lower(a[n]) == lower(b[n])) ++n;
  return n;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution =
          previous[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> closest_match(std::string_view typed,
                                         const std::vector<std::string_view>& candidates) {
  std::optional<std::string_view> nearest;
  std::size_t nearest_distance = kMaxEdits + 1;
  std::optional<std::string_view> longest_prefix;
  std::size_t longest_prefix_length = kMinSharedPrefix - 1;
  for (const std::string_view candidate : candidates) {
    const std::size_t distance = edit_distance(typed, candidate);
    if (distance < nearest_distance && distance < typed.size()) {
      nearest = candidate;
      nearest_distance = distance;
    }
    const std::size_t prefix = shared_prefix_length(typed, candidate);
    if (prefix > longest_prefix_length) {
      longest_prefix = candidate;
      longest_prefix_length = prefix;
    }
  }
  if (nearest) return std::string(*nearest);
  if (longest_prefix) return std::string(*longest_prefix);
  return std::nullopt;
}

}  // namespace xee::config

#pragma once
// "Did you mean …?" hints for misspelt keys and account handles.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xee::config {

// Levenshtein distance, case-insensitive (ASCII): "Listen_Adress" is one edit from
// "listen_address".
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate the user most likely meant by `typed`: the nearest one within 2 edits (and
// fewer edits than `typed` has characters, so "x" does not suggest "id"); failing that, the one
// sharing the longest prefix of at least 4 characters ("timeout_seconds" -> "timeout",
// "max_retry" -> "max_retries"). Ties go to the earlier candidate. Nullopt when none is close.
std::optional<std::string> closest_match(std::string_view typed,
                                         const std::vector<std::string_view>& candidates);

}  // namespace xee::config

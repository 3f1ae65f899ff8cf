#pragma once
// The v2 recent-search queries the exporter sends for a discovery source (spec §8): the source
// term ("#launchday" or "from:acme") ANDed with the configured operators. The config loader checks
// [[discovery.hashtags]] and [[discovery.accounts]] with these functions and the discovery
// collector builds its queries with them, so what validates is exactly what is sent.
//
// `operators` is a space-separated list of search operators ("-is:retweet lang:en") that must
// narrow the search, never widen it: a top-level OR, an unbalanced parenthesis or quote and a
// control character are refused, as is a whole query longer than kSearchMaxQueryLength
// characters (UTF-8 code points). Leading and trailing spaces are dropped. Errors name the value
// and what is wrong with it. Queries are returned unencoded; the search client percent-encodes
// them for the URL.

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace xee::wire {

inline constexpr std::size_t kHashtagMaxLength = 100;
inline constexpr std::size_t kHandleMaxLength = 15;

// "#<tag> <operators>", or "#<tag>" when `operators` is blank. `tag` is given bare (no '#'):
// 1..kHashtagMaxLength ASCII letters, digits and underscores. Non-ASCII hashtags, which X does
// match, are refused here rather than guessing how X normalizes them.
Result<std::string> hashtag_query(std::string_view tag, std::string_view operators);

// "from:<handle> <operators>", or "from:<handle>" when `operators` is blank. `handle` is given
// bare (no '@'): 1..kHandleMaxLength of [A-Za-z0-9_], X's rule for usernames.
Result<std::string> account_query(std::string_view handle, std::string_view operators);

}  // namespace xee::wire

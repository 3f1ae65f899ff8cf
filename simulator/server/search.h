#pragma once
// X API v2 recent search (spec §8) over the World's Posts: the query language subset the simulator
// understands, the request parameters and their 400 problems, opaque pagination tokens, and the
// response body.
//
// Query: terms separated by spaces and ANDed: `#tag`, `from:handle`, `lang:xx`, `is:retweet`
// (no simulated Post is a retweet, so `-is:retweet` keeps all), each negatable with a leading `-`.
// At least one term must be positive. OR, parentheses, quotes, bare keywords and other operators
// are refused with a 400 naming the part.

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "simulator/world/world.h"
#include "wire/oauth.h"
#include "wire/snowflake.h"

namespace xee::simulator::server {

struct SearchTerm {
  enum class Kind { hashtag, from, lang, is_retweet };
  Kind kind = Kind::hashtag;
  std::string value;  // tag without '#', handle, or language code
  bool negated = false;
  bool operator==(const SearchTerm&) const = default;
};

struct SearchQuery {
  std::vector<SearchTerm> terms;
};

// A 400 problem: which parameters with which values, and why.
struct SearchProblem {
  std::vector<std::pair<std::string, std::string>> parameters;
  std::string message;
};

// The RFC 7807 "Invalid Request" body of spec §8 for `problem`.
std::string invalid_request_body(const SearchProblem& problem);

tl::expected<SearchQuery, SearchProblem> parse_search_query(std::string_view query);
// Hashtags and handles compare case-insensitively, as on X.
bool matches(const SearchQuery& query, const Post& post);

// What a next_token carries: the window of the first page and the last ID already returned, so
// later pages continue below it within the same window however the clock moves.
struct PageToken {
  common::TimePoint lower;
  common::TimePoint upper;
  wire::PostId last_id = 0;
  bool operator==(const PageToken&) const = default;
};
std::string encode_page_token(const PageToken& token);
std::optional<PageToken> decode_page_token(std::string_view text);

struct SearchParams {
  SearchQuery query;
  std::size_t max_results = 10;
  std::optional<wire::PostId> since_id;  // exclusive
  std::optional<wire::PostId> until_id;  // exclusive
  common::TimePoint lower;               // created_at >= lower
  common::TimePoint upper;               // created_at < upper
  std::optional<wire::PostId> below_id;  // from a page token: id < below_id
  bool with_created_at = false;
  bool with_author_id = false;
  bool with_lang = false;
  bool expand_author = false;
};

// Validates the decoded query parameters at `now` (the world's time).
tl::expected<SearchParams, SearchProblem> parse_search_params(const wire::oauth::Params& params,
                                                              common::TimePoint now);

// The 200 body: newest first, at most max_results, `meta.next_token` while more match. Posts in
// `deleted` (an injected fault) are not found.
std::string search_recent(const World& world, const SearchParams& params,
                          const std::set<wire::PostId>& deleted);

}  // namespace xee::simulator::server

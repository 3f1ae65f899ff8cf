#pragma once
// v2 recent search's bodies as values (spec §8): pure functions, no I/O. Strict about the IDs a
// discovered Post is tracked by, lenient about fields the exporter does not read, so a field X
// adds does not stop discovery.

#include <string>
#include <string_view>

#include "collectors/search_api.h"
#include "common/result.h"

namespace xee::collectors::client {

// A 200 body. `data` absent means no Post matched (spec §9.9); `meta` gives newest_id, oldest_id,
// result_count and next_token (absent on the last page); `includes.users[]` maps each Post's
// author_id to its username; `errors[]` (a partial success) keeps each entry's `detail`, else its
// `message`. IDs (Post, author, newest/oldest) must be strings of 1..19 digits; created_at is
// RFC 3339 "YYYY-MM-DDTHH:MM:SSZ" with optional milliseconds, kept to the second. Messages name
// the field ("search: data[3].id") and the offending value.
Result<SearchPage> decode_search_page(std::string_view body);

// One line for a non-2xx answer. An RFC 7807 problem body gives
// "search: HTTP 400: Invalid Request: <errors[0].message, else detail>" (the detail is left out
// when it only repeats the title, as in X's 429 "Too Many Requests"); an {"errors":[{"message"}]}
// body without a title gives "search: HTTP 429: <message>"; any other body
// "search: HTTP 503: <its first 200 characters, control characters as spaces>".
std::string describe_search_problem(long status, std::string_view body);

}  // namespace xee::collectors::client

#pragma once
// Strict readers for the JSON values X sends, shared by every endpoint's decoder (/totals now,
// /28hr, /historical and search later). Each takes a `context` naming where the value sits
// ("totals: post 1790000000000000001: favorites") and fails with "<context>: <what is wrong>",
// so a decode error points at the exact value without the caller formatting anything.

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "wire/snowflake.h"

namespace xee::collectors::client::json {

// The whole body as one JSON value. Trailing bytes after it, invalid UTF-8 and truncation are
// errors naming the byte offset; nesting depth cannot exhaust the stack (iterative parser).
Result<rapidjson::Document> parse(std::string_view body, std::string_view context);

// "an object", "an array", "a string", "a number", "a boolean" or "null", for messages.
std::string_view describe_type(const rapidjson::Value& value);

// A scalar as it appeared in the JSON text ("12x" quoted, 12.5 bare), cut to a readable length.
std::string render_scalar(const rapidjson::Value& value);

// "<context>: expected <expected>, got <describe_type(value)>".
Error type_mismatch(std::string_view context, std::string_view expected,
                    const rapidjson::Value& value);

// Decimal digits only (no sign, no blanks), within uint64. nullopt otherwise.
std::optional<std::uint64_t> parse_count_text(std::string_view text);

// A metric value: X sends strings of digits ("551"); a non-negative JSON integer is accepted
// too because one docs example shows a bare number. Negative, fractional, non-numeric and
// overflowing values fail.
Result<std::uint64_t> read_count(const rapidjson::Value& value, std::string_view context);

// A Post ID: a string per the spec, or a JSON integer as some X examples send.
Result<wire::PostId> read_post_id(const rapidjson::Value& value, std::string_view context);

// An array of Post IDs ("unavailable_tweet_ids" and friends).
Result<std::vector<wire::PostId>> read_post_id_array(const rapidjson::Value& value,
                                                     std::string_view context);

// An "errors" array: plain strings as X documents, or objects with a string "message" field as
// v1.1-style endpoints (oauth2/token) send.
Result<std::vector<std::string>> read_messages(const rapidjson::Value& value,
                                               std::string_view context);

}  // namespace xee::collectors::client::json

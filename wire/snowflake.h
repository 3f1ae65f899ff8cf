#pragma once
// Post IDs are snowflakes: the top 41 bits after the sign bit are milliseconds since X's epoch,
// then 10 bits of worker ID and 12 bits of sequence. A Post's age comes from its ID alone.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xee::wire {

using PostId = std::uint64_t;

// 2010-11-04T01:42:54.657Z in unix milliseconds.
inline constexpr std::int64_t kSnowflakeEpochMs = 1288834974657;

std::chrono::sys_time<std::chrono::milliseconds> snowflake_time(PostId id);
PostId make_snowflake(std::chrono::sys_time<std::chrono::milliseconds> t, std::uint32_t worker,
                      std::uint32_t sequence);
std::uint32_t snowflake_worker(PostId id);
std::uint32_t snowflake_sequence(PostId id);

// A Post ID as X writes it: 1 to 19 decimal digits, no sign, no leading zero, fits in 63 bits.
std::optional<PostId> parse_post_id(std::string_view text);
std::string format_post_id(PostId id);

}  // namespace xee::wire

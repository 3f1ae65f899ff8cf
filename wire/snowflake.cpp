#include "wire/snowflake.h"

#include <charconv>

namespace xee::wire {

std::chrono::sys_time<std::chrono::milliseconds> snowflake_time(PostId id) {
  const auto ms = static_cast<std::int64_t>(id >> 22) + kSnowflakeEpochMs;
  return std::chrono::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{ms}};
}

PostId make_snowflake(std::chrono::sys_time<std::chrono::milliseconds> t, std::uint32_t worker,
                      std::uint32_t sequence) {
  const auto ms = static_cast<std::uint64_t>(t.time_since_epoch().count() - kSnowflakeEpochMs);
  return (ms << 22) | (static_cast<std::uint64_t>(worker & 0x3ff) << 12) | (sequence & 0xfff);
}

std::uint32_t snowflake_worker(PostId id) { return static_cast<std::uint32_t>((id >> 12) & 0x3ff); }

std::uint32_t snowflake_sequence(PostId id) { return static_cast<std::uint32_t>(id & 0xfff); }

std::optional<PostId> parse_post_id(std::string_view text) {
  if (text.empty() || text.size() > 19 || text.front() == '0') return std::nullopt;
  PostId id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  if (id > static_cast<PostId>(INT64_MAX)) return std::nullopt;
  return id;
}

std::string format_post_id(PostId id) { return std::to_string(id); }

}  // namespace xee::wire

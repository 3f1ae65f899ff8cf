#pragma once
// ISO-8601 UTC timestamps as X's APIs write and accept them, and Prometheus-style durations.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace xee::common {

using Seconds = std::chrono::sys_seconds;

// "2024-06-01T09:00:00Z".
std::string format_iso8601(Seconds t);
// "2024-06-01T09:00:00.000Z": the millisecond form X's v2 APIs use.
std::string format_iso8601_millis(std::chrono::sys_time<std::chrono::milliseconds> t);
// "2024-06-01".
std::string format_date(Seconds t);
// "09".
std::string format_hour(Seconds t);

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MMZ", "YYYY-MM-DDTHH:MM:SSZ" and "…:SS.fffZ" (fraction
// dropped); the "Z" may also be "+00:00". Returns nullopt for anything else or an invalid date.
std::optional<Seconds> parse_iso8601(std::string_view text);

// Prometheus-style durations: "90s", "5m", "1h30m", "2d", "1w", "250ms". Nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
// The inverse, shortest form: 90000ms -> "1m30s".
std::string format_duration(std::chrono::milliseconds d);

Seconds floor_hour(Seconds t);
Seconds ceil_hour(Seconds t);

}  // namespace xee::common

#include "common/time_format.h"

#include <array>
#include <cstdio>

namespace xee::common {
namespace {

using namespace std::chrono;

bool read_digits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

}  // namespace

std::string format_iso8601(Seconds t) {
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()));
  return buffer.data();
}

std::string format_iso8601_millis(sys_time<milliseconds> t) {
  const auto whole = floor<seconds>(t);
  std::string text = format_iso8601(whole);
  std::array<char, 8> fraction{};
  std::snprintf(fraction.data(), fraction.size(), ".%03d", int((t - whole).count()));
  text.insert(text.size() - 1, fraction.data());
  return text;
}

std::string format_date(Seconds t) { return format_iso8601(t).substr(0, 10); }

std::string format_hour(Seconds t) { return format_iso8601(t).substr(11, 2); }

std::optional<Seconds> parse_iso8601(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!read_digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' ||
      !read_digits(text, 5, 2, mo) || text[7] != '-' || !read_digits(text, 8, 2, d)) {
    return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok()) return std::nullopt;
  size_t pos = 10;
  if (pos < text.size()) {
    if (text[pos] != 'T' || !read_digits(text, pos + 1, 2, h) || pos + 3 >= text.size() ||
        text[pos + 3] != ':' || !read_digits(text, pos + 4, 2, mi)) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < text.size() && text[pos] == ':') {
      if (!read_digits(text, pos + 1, 2, s)) return std::nullopt;
      pos += 3;
      if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const size_t digits_start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
        if (pos == digits_start) return std::nullopt;
      }
    }
    const std::string_view zone = text.substr(pos);
    if (zone != "Z" && zone != "+00:00") return std::nullopt;
    if (h > 23 || mi > 59 || s > 60) return std::nullopt;
  }
  return Seconds{sys_days{ymd}} + hours{h} + minutes{mi} + seconds{s};
}

std::optional<milliseconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  milliseconds total{0};
  size_t pos = 0;
  while (pos < text.size()) {
    long long value = 0;
    const size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (value > 1'000'000'000LL) return std::nullopt;
      value = value * 10 + (text[pos] - '0');
      ++pos;
    }
    if (pos == start || pos == text.size()) return std::nullopt;
    std::string_view unit;
    if (text.compare(pos, 2, "ms") == 0) {
      unit = "ms";
    } else {
      unit = text.substr(pos, 1);
    }
    pos += unit.size();
    if (unit == "ms") total += milliseconds{value};
    else if (unit == "s") total += seconds{value};
    else if (unit == "m") total += minutes{value};
    else if (unit == "h") total += hours{value};
    else if (unit == "d") total += days{value};
    else if (unit == "w") total += weeks{value};
    else return std::nullopt;
  }
  return total;
}

std::string format_duration(milliseconds d) {
  if (d.count() == 0) return "0s";
  std::string out;
  auto take = [&](auto unit, const char* suffix) {
    const auto count = d / unit;
    if (count > 0) {
      out += std::to_string(count) + suffix;
      d -= count * unit;
    }
  };
  take(days{1}, "d");
  take(hours{1}, "h");
  take(minutes{1}, "m");
  take(seconds{1}, "s");
  take(milliseconds{1}, "ms");
  return out;
}

Seconds floor_hour(Seconds t) { return floor<hours>(t); }

Seconds ceil_hour(Seconds t) { return ceil<hours>(t); }

}  // namespace xee::common

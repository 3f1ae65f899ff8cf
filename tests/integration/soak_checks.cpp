#include "tests/integration/soak_checks.h"

#include <algorithm>
#include <cmath>
#include <regex>
#include <sstream>

#include "common/time_format.h"
#include "tests/support/http_client.h"

namespace xee::test_stack::soak {
namespace {

using namespace std::chrono_literals;
using wire::EngagementType;

std::string post_label(wire::PostId id) {
  return "post_id=\"" + wire::format_post_id(id) + "\"";
}

bool has_own_family(EngagementType type) {
  return type == EngagementType::impressions || type == EngagementType::engagements;
}

std::string iso(common::TimePoint t) {
  return common::format_iso8601_millis(t);
}

std::optional<std::uint64_t> sample(const Samples& samples, const std::string& series) {
  const auto found = samples.find(series);
  if (found == samples.end()) return std::nullopt;
  return static_cast<std::uint64_t>(std::llround(found->second));
}

}  // namespace

Samples parse_samples(const std::string& metrics) {
  Samples samples;
  std::istringstream lines(metrics);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return samples;
}

Result<SimulatorClock> SimulatorClock::read(const std::string& simulator_url, double speed) {
  const auto wall = std::chrono::system_clock::now();
  const auto page = test_support::http_get(simulator_url + "/");
  static const std::regex world_time("World time ([0-9T:Z-]+)");
  std::smatch match;
  if (page.status != 200 || !std::regex_search(page.body, match, world_time)) {
    return fail("the simulator's landing page names no world time");
  }
  const auto x_now = common::parse_iso8601(match[1].str());
  if (!x_now) return fail("the simulator's world time is not ISO-8601: " + match[1].str());
  return SimulatorClock(common::TimePoint(*x_now), wall, speed);
}

common::TimePoint SimulatorClock::now() const {
  const std::chrono::duration<double, std::milli> wall =
      std::chrono::system_clock::now() - wall_anchor_;
  return x_anchor_ + common::Millis(static_cast<std::int64_t>(wall.count() * speed_));
}

std::string totals_series(wire::PostId id, EngagementType type) {
  if (has_own_family(type)) {
    return "x_engagement_post_lifetime_" + std::string(wire::to_string(type)) + "{" +
           post_label(id) + "}";
  }
  return "x_engagement_post_lifetime_interactions{" + post_label(id) + ",engagement_type=\"" +
         std::string(wire::to_string(type)) + "\"}";
}

std::string hourly_series(std::string_view window, wire::PostId id, EngagementType type) {
  const std::string kind =
      has_own_family(type) ? std::string(wire::to_string(type)) : std::string("interactions");
  std::string text = "x_engagement_post_" + std::string(window) + "_" + kind + "{" + post_label(id);
  if (!has_own_family(type)) {
    text += ",engagement_type=\"" + std::string(wire::to_string(type)) + "\"";
  }
  return text + "}";
}

std::string last_hour_start_series(wire::PostId id) {
  return "x_engagement_post_last_hour_start_timestamp_seconds{" + post_label(id) + "}";
}

std::optional<std::string> check_totals(const simulator::World& world, wire::PostId id,
                                        const Samples& samples, common::TimePoint from,
                                        common::TimePoint to) {
  const auto post = world.find_post(id, to);
  if (!post) return "Post " + wire::format_post_id(id) + " is not in the world";
  // The instants [lo, hi) in milliseconds at which every type seen so far has its value.
  std::int64_t lo = from.time_since_epoch().count();
  std::int64_t hi = to.time_since_epoch().count() + 1;
  std::string values;
  bool consistent = true;
  for (const EngagementType type : wire::kTotalsTypes) {
    const auto value = sample(samples, totals_series(id, type));
    if (!value) continue;
    const auto count_at = [&](std::int64_t ms) {
      return world.cumulative(*post, type, common::TimePoint(common::Millis(ms)));
    };
    // The first instant in [from, to] at which the count reaches `target` (to + 1: never).
    const auto first_reaching = [&](std::uint64_t target) {
      std::int64_t a = from.time_since_epoch().count();
      std::int64_t b = to.time_since_epoch().count() + 1;
      while (a < b) {
        const std::int64_t mid = a + (b - a) / 2;
        if (count_at(mid) >= target) {
          b = mid;
        } else {
          a = mid + 1;
        }
      }
      return a;
    };
    lo = std::max(lo, first_reaching(*value));
    hi = std::min(hi, first_reaching(*value + 1));
    if (lo >= hi) consistent = false;
    values += " " + std::string(wire::to_string(type)) + "=" + std::to_string(*value) + " (world " +
              std::to_string(count_at(from.time_since_epoch().count())) + ".." +
              std::to_string(count_at(to.time_since_epoch().count())) + ")";
  }
  if (consistent) return std::nullopt;
  return "Post " + wire::format_post_id(id) + ": no instant in [" + iso(from) + ", " + iso(to) +
         "] has the world's counts equal to the served" + values;
}

HourlyChecker::HourValues HourlyChecker::hour_values(const simulator::Post& post, Hour hour,
                                                     common::TimePoint x_now) {
  const bool complete = common::TimePoint(hour + 1h) <= x_now;
  if (complete) {
    const auto cached = hours_.find({post.id, hour});
    if (cached != hours_.end()) return cached->second;
  }
  HourValues values{};
  for (std::size_t i = 0; i < wire::kTimeSeriesTypes.size(); ++i) {
    values[i] = world_.hourly(post, wire::kTimeSeriesTypes[i], hour, x_now);
  }
  if (complete) hours_.emplace(std::make_pair(post.id, hour), values);
  return values;
}

HourlyChecker::HourValues HourlyChecker::sum(const simulator::Post& post, Hour from, Hour last,
                                             common::TimePoint x_now) {
  HourValues total{};
  for (Hour hour = from; hour <= last; hour += 1h) {
    const HourValues values = hour_values(post, hour, x_now);
    for (std::size_t i = 0; i < total.size(); ++i) total[i] += values[i];
  }
  return total;
}

std::optional<Hour> HourlyChecker::learn_start(const simulator::Post& post, const Samples& samples,
                                               Hour last, common::TimePoint x_now) {
  HourValues served{};
  for (std::size_t i = 0; i < served.size(); ++i) {
    const auto value = sample(samples, hourly_series("tally", post.id, wire::kTimeSeriesTypes[i]));
    if (!value) return std::nullopt;
    served[i] = *value;
  }
  // The first tally holds the complete hours of one /28hr answer: at most 28, ending at `last`.
  HourValues total{};
  for (Hour from = last; from > last - 28h; from -= 1h) {
    const HourValues values = hour_values(post, from, x_now);
    for (std::size_t i = 0; i < total.size(); ++i) total[i] += values[i];
    if (total == served) return from;
  }
  return std::nullopt;
}

std::optional<Hour> HourlyChecker::tracked_from(wire::PostId id) const {
  const auto found = tracked_from_.find(id);
  if (found == tracked_from_.end()) return std::nullopt;
  return found->second;
}

std::optional<std::string> HourlyChecker::check(wire::PostId id, const Samples& samples,
                                                common::TimePoint x_now) {
  const auto start = sample(samples, last_hour_start_series(id));
  if (!start) return std::nullopt;
  const Hour last{std::chrono::seconds(*start)};
  const std::string name = "Post " + wire::format_post_id(id) + " hour " +
                           common::format_iso8601(last) + " (simulator at " + iso(x_now) + ")";
  if (common::TimePoint(last + 1h) > x_now) {
    return name + ": published as complete before it ended on the simulator's clock";
  }
  const auto post = world_.find_post(id, x_now);
  if (!post) return name + ": not in the world";
  if (!tracked_from_.contains(id)) {
    const auto from = learn_start(*post, samples, last, x_now);
    if (!from) return name + ": the first tally is not the sum of any of the 28 hours before";
    tracked_from_[id] = *from;
  }
  const Hour from = tracked_from_.at(id);
  const HourValues last_hour = hour_values(*post, last, x_now);
  const HourValues window = sum(*post, std::max(from, last - 27h), last, x_now);
  const HourValues tally = sum(*post, from, last, x_now);
  std::string problems;
  for (std::size_t i = 0; i < wire::kTimeSeriesTypes.size(); ++i) {
    const EngagementType type = wire::kTimeSeriesTypes[i];
    const std::pair<std::string_view, std::uint64_t> expected[] = {
        {"last_hour", last_hour[i]}, {"28h", window[i]}, {"tally", tally[i]}};
    for (const auto& [window_name, value] : expected) {
      const auto served = sample(samples, hourly_series(window_name, id, type));
      // The 28-hour sums wait until all 28 hours are known (after a start within the delay).
      if (served == value || (!served && window_name == "28h")) continue;
      problems += " " + std::string(window_name) + " " + std::string(wire::to_string(type)) + "=" +
                  (served ? std::to_string(*served) : std::string("absent")) + " (world " +
                  std::to_string(value) + ")";
    }
  }
  if (problems.empty()) return std::nullopt;
  return name + ", tracked from " + common::format_iso8601(from) + ":" + problems;
}

}  // namespace xee::test_stack::soak

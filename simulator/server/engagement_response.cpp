#include "simulator/server/engagement_response.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "common/time_format.h"
#include "simulator/server/json_output.h"
#include "wire/api_errors.h"

namespace xee::simulator::server {
namespace {

using common::Seconds;
using namespace std::chrono_literals;

// One value before grouping: a Post, a type and (for time series) an hour.
struct Cell {
  std::size_t post = 0;   // index into ResolvedPosts::available
  std::size_t type = 0;   // index into EngagementRequest::types
  std::int64_t day = 0;   // days since the epoch
  std::int64_t hour = 0;  // hour of day, 0..23
  std::uint64_t value = 0;
};

// A grouping's key for a cell, level by level; numbers so that map order is the output order:
// Posts and types in request order, days and hours chronologically.
using CellKey = std::array<std::int64_t, 4>;

std::int64_t key_part(const Cell& cell, GroupLevel level) {
  switch (level) {
    case GroupLevel::tweet_id:
      return static_cast<std::int64_t>(cell.post);
    case GroupLevel::engagement_type:
      return static_cast<std::int64_t>(cell.type);
    case GroupLevel::day:
      return cell.day;
    case GroupLevel::hour:
      return cell.hour;
  }
  return 0;
}

std::string key_text(GroupLevel level, std::int64_t part, const ResolvedPosts& posts,
                     const EngagementRequest& request) {
  switch (level) {
    case GroupLevel::tweet_id:
      return wire::format_post_id(posts.available[static_cast<std::size_t>(part)].id);
    case GroupLevel::engagement_type:
      return std::string(wire::to_string(request.types[static_cast<std::size_t>(part)]));
    case GroupLevel::day:
      return common::format_date(Seconds{std::chrono::sys_days{std::chrono::days{part}}});
    case GroupLevel::hour: {
      std::array<char, 4> text{};
      std::snprintf(text.data(), text.size(), "%02d", static_cast<int>(part));
      return text.data();
    }
  }
  return "";
}

// Sums the cells by the grouping's key and writes the nested object. Levels the grouping leaves
// out are summed over: ["engagement.type"] gives grand totals, ["tweet.id"] the sum of the asked
// types per Post, and an hour without a day the 24 hour-of-day buckets over the whole window.
void write_grouping(JsonWriter& writer, const Grouping& grouping, const std::vector<Cell>& cells,
                    const ResolvedPosts& posts, const EngagementRequest& request) {
  const std::size_t depth = grouping.levels.size();
  // A sorted vector rather than a map: a 4-level /historical answer has ~285k distinct keys, and
  // cells arrive already sorted for the Post-first orders.
  std::vector<std::pair<CellKey, std::uint64_t>> sums;
  sums.reserve(cells.size());
  for (const Cell& cell : cells) {
    CellKey key{};
    for (std::size_t i = 0; i < depth; ++i) key[i] = key_part(cell, grouping.levels[i]);
    sums.emplace_back(key, cell.value);
  }
  const auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!std::is_sorted(sums.begin(), sums.end(), by_key)) {
    std::stable_sort(sums.begin(), sums.end(), by_key);
  }
  std::size_t merged = 0;
  for (std::size_t i = 0; i < sums.size(); ++i) {
    if (merged > 0 && sums[merged - 1].first == sums[i].first) {
      sums[merged - 1].second += sums[i].second;
    } else {
      sums[merged++] = sums[i];
    }
  }
  sums.resize(merged);

  write_key(writer, grouping.name);
  writer.StartObject();
  const CellKey* previous = nullptr;
  std::size_t open = 0;  // nested objects currently open inside the grouping's object
  for (const auto& [key, value] : sums) {
    std::size_t shared = 0;
    if (previous != nullptr) {
      while (shared < depth - 1 && key[shared] == (*previous)[shared]) ++shared;
    }
    for (; open > shared; --open) writer.EndObject();
    for (; open < depth - 1; ++open) {
      write_key(writer, key_text(grouping.levels[open], key[open], posts, request));
      writer.StartObject();
    }
    write_key(writer, key_text(grouping.levels[depth - 1], key[depth - 1], posts, request));
    write_string(writer, std::to_string(value));
    previous = &key;
  }
  for (; open > 0; --open) writer.EndObject();
  writer.EndObject();
}

std::vector<std::string> id_strings(const std::vector<wire::PostId>& ids) {
  std::vector<std::string> texts;
  texts.reserve(ids.size());
  for (const auto id : ids) texts.push_back(wire::format_post_id(id));
  return texts;
}

struct TotalsCells {
  std::vector<Cell> cells;
  std::vector<wire::PostId> unsupported_impressions;
  std::vector<wire::PostId> unsupported_video_views;
};

// Lifetime values at `now`. impressions/engagements of Posts older than 90 days are left out
// (the Post is listed instead); video_views of Posts older than 1800 days read "0", as in X's
// documented example.
TotalsCells totals_cells(const World& world, const EngagementRequest& request,
                         const ResolvedPosts& posts, common::TimePoint now) {
  TotalsCells out;
  const auto impressions_cutoff = now - wire::kImpressionsMaxAge;
  const auto video_cutoff = now - wire::kVideoViewsMaxAge;
  for (std::size_t p = 0; p < posts.available.size(); ++p) {
    const Post& post = posts.available[p];
    bool impressions_unsupported = false;
    bool video_unsupported = false;
    for (std::size_t t = 0; t < request.types.size(); ++t) {
      const wire::EngagementType type = request.types[t];
      if (wire::is_impressions_or_engagements(type) && post.created < impressions_cutoff) {
        impressions_unsupported = true;
        continue;
      }
      std::uint64_t value = 0;
      if (type == wire::EngagementType::video_views && post.created < video_cutoff) {
        video_unsupported = true;
      } else {
        value = world.cumulative(post, type, now);
      }
      out.cells.push_back(Cell{p, t, 0, 0, value});
    }
    if (impressions_unsupported) out.unsupported_impressions.push_back(post.id);
    if (video_unsupported) out.unsupported_video_views.push_back(post.id);
  }
  return out;
}

// Every hour of the window for every Post and type, zeros included. World::hourly is defined as
// cumulative(min(hour end, now)) - cumulative(min(hour start, now)); differencing the cumulative
// counts at successive boundaries gives the same values with half the calls.
std::vector<Cell> hourly_cells(const World& world, const EngagementRequest& request,
                               const ResolvedPosts& posts, const TimeWindow& window,
                               common::TimePoint now) {
  std::vector<Cell> cells;
  const auto hours = (window.end - window.start) / 1h;
  cells.reserve(posts.available.size() * request.types.size() * static_cast<std::size_t>(hours));
  const auto clamp = [&](Seconds t) { return std::min(common::TimePoint(t), now); };
  for (std::size_t p = 0; p < posts.available.size(); ++p) {
    const Post& post = posts.available[p];
    for (std::size_t t = 0; t < request.types.size(); ++t) {
      std::uint64_t before = world.cumulative(post, request.types[t], clamp(window.start));
      for (Seconds hour = window.start; hour < window.end; hour += 1h) {
        const std::uint64_t after = world.cumulative(post, request.types[t], clamp(hour + 1h));
        const auto day = std::chrono::floor<std::chrono::days>(hour);
        cells.push_back(
            Cell{p, t, day.time_since_epoch().count(), (hour - day) / 1h, after - before});
        before = after;
      }
    }
  }
  return cells;
}

}  // namespace

ResolvedPosts resolve_posts(const World& world, const std::vector<wire::PostId>& ids,
                            common::TimePoint now, const std::set<wire::PostId>& deleted) {
  ResolvedPosts resolved;
  for (const wire::PostId id : ids) {
    auto post = deleted.contains(id) ? std::nullopt : world.find_post(id, now);
    if (post) {
      resolved.available.push_back(std::move(*post));
    } else {
      resolved.unavailable.push_back(id);
    }
  }
  return resolved;
}

namespace {

std::vector<std::string> unowned_post_ids(const ResolvedPosts& posts, const Caller& caller) {
  std::vector<std::string> unowned;
  if (caller.app_only()) return unowned;
  for (const Post& post : posts.available) {
    if (post.author_id != caller.account->user_id) unowned.push_back(wire::format_post_id(post.id));
  }
  return unowned;
}

}  // namespace

std::optional<ApiError> check_access(const EngagementRequest& request, const ResolvedPosts& posts,
                                     const Caller& caller, int forbidden_status) {
  if (caller.app_only()) {
    std::vector<std::string> refused;
    for (const auto type : request.types) {
      if (!wire::is_public(type)) refused.emplace_back(wire::to_string(type));
    }
    if (refused.empty()) return std::nullopt;
    return ApiError{403, {wire::join_after_prefix(wire::kForbiddenMetricsPrefix, refused)}};
  }
  const std::vector<std::string> unowned = unowned_post_ids(posts, caller);
  if (unowned.empty() || forbidden_status == 200) return std::nullopt;
  return ApiError{forbidden_status,
                  {wire::join_after_prefix(wire::kForbiddenTweetsPrefix, unowned)}};
}

std::vector<std::string> drop_forbidden_posts(ResolvedPosts& posts, const Caller& caller) {
  const std::vector<std::string> unowned = unowned_post_ids(posts, caller);
  if (unowned.empty()) return {};
  std::erase_if(posts.available,
                [&](const Post& post) { return post.author_id != caller.account->user_id; });
  return {wire::join_after_prefix(wire::kForbiddenTweetsPrefix, unowned)};
}

std::string build_engagement_response(const World& world, const EngagementRequest& request,
                                      const ResolvedPosts& posts,
                                      const std::optional<TimeWindow>& window,
                                      common::TimePoint now,
                                      const std::vector<std::string>& leading_errors) {
  TotalsCells totals;
  std::vector<Cell> cells;
  if (window) {
    cells = hourly_cells(world, request, posts, *window, now);
  } else {
    totals = totals_cells(world, request, posts, now);
    cells = std::move(totals.cells);
  }

  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  if (window) {
    write_key(writer, "start");
    write_string(writer, common::format_iso8601(window->start));
    write_key(writer, "end");
    write_string(writer, common::format_iso8601(window->end));
  }
  for (const Grouping& grouping : request.groupings) {
    write_grouping(writer, grouping, cells, posts, request);
  }
  std::vector<std::string> errors = leading_errors;
  if (!posts.unavailable.empty()) {
    write_string_array(writer, wire::kFieldUnavailable, id_strings(posts.unavailable));
    errors.push_back(wire::unavailable_message(posts.unavailable.size()));
  }
  if (!totals.unsupported_impressions.empty()) {
    write_string_array(writer, wire::kFieldUnsupportedImpressions,
                       id_strings(totals.unsupported_impressions));
    const auto cutoff = std::chrono::floor<std::chrono::seconds>(now - wire::kImpressionsMaxAge);
    errors.push_back(wire::impressions_unsupported_message(common::format_iso8601(cutoff)));
  }
  if (!totals.unsupported_video_views.empty()) {
    write_string_array(writer, wire::kFieldUnsupportedVideoViews,
                       id_strings(totals.unsupported_video_views));
  }
  if (!errors.empty()) write_string_array(writer, wire::kFieldErrors, errors);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace xee::simulator::server

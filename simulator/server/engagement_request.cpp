#include "simulator/server/engagement_request.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <array>

#include "wire/api_errors.h"

namespace xee::simulator::server {
namespace {

using common::Seconds;
using namespace std::chrono_literals;

constexpr std::array<std::string_view, 4> kGroupLevelNames{
    wire::kGroupByTweetId, wire::kGroupByType, wire::kGroupByDay, wire::kGroupByHour};

constexpr std::array<GroupLevel, 4> kFourLevelPostFirst{
    GroupLevel::tweet_id, GroupLevel::engagement_type, GroupLevel::day, GroupLevel::hour};
constexpr std::array<GroupLevel, 4> kFourLevelTypeFirst{
    GroupLevel::engagement_type, GroupLevel::tweet_id, GroupLevel::day, GroupLevel::hour};

// Grouping names come back as top-level keys; these would collide with X's own fields.
constexpr std::array<std::string_view, 6> kReservedNames{"start",
                                                         "end",
                                                         wire::kFieldErrors,
                                                         wire::kFieldUnavailable,
                                                         wire::kFieldUnsupportedImpressions,
                                                         wire::kFieldUnsupportedVideoViews};

std::optional<GroupLevel> parse_group_level(std::string_view name) {
  for (std::size_t i = 0; i < kGroupLevelNames.size(); ++i) {
    if (kGroupLevelNames[i] == name) return static_cast<GroupLevel>(i);
  }
  return std::nullopt;
}

bool is_time_level(GroupLevel level) {
  return level == GroupLevel::day || level == GroupLevel::hour;
}

std::size_t max_ids(wire::Endpoint endpoint) {
  return endpoint == wire::Endpoint::totals ? wire::kTotalsMaxIds : wire::kTimeSeriesMaxIds;
}

bool served_by(wire::Endpoint endpoint, wire::EngagementType type) {
  return endpoint == wire::Endpoint::totals ? wire::served_by_totals(type)
                                            : wire::served_by_time_series(type);
}

std::string_view as_view(const rapidjson::Value& value) {
  return {value.GetString(), value.GetStringLength()};
}

template <typename T>
void push_unique(std::vector<T>& items, T item) {
  if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
}

tl::expected<std::vector<wire::PostId>, ApiError> parse_tweet_ids(const rapidjson::Value& body,
                                                                  wire::Endpoint endpoint) {
  const auto member = body.FindMember("tweet_ids");
  if (member == body.MemberEnd())
    return tl::unexpected(bad_request("Missing required field: tweet_ids"));
  const rapidjson::Value& ids = member->value;
  if (!ids.IsArray() || ids.Empty()) {
    return tl::unexpected(bad_request("tweet_ids must be a non-empty array of Post ID strings"));
  }
  if (ids.Size() > max_ids(endpoint)) {
    return tl::unexpected(bad_request(wire::too_many_tweet_ids_message(max_ids(endpoint))));
  }
  std::vector<wire::PostId> parsed;
  for (rapidjson::SizeType i = 0; i < ids.Size(); ++i) {
    const rapidjson::Value& item = ids[i];
    std::optional<wire::PostId> id;
    // Strings per the docs; JSON integers too, because the docs' own examples send them.
    if (item.IsString()) {
      id = wire::parse_post_id(as_view(item));
    } else if (item.IsUint64()) {
      id = wire::parse_post_id(std::to_string(item.GetUint64()));
    }
    if (!id) {
      const std::string shown =
          item.IsString() ? "\"" + std::string(as_view(item)) + "\"" : "a non-ID value";
      return tl::unexpected(
          bad_request("Invalid Post ID at tweet_ids[" + std::to_string(i) + "]: " + shown));
    }
    push_unique(parsed, *id);
  }
  return parsed;
}

tl::expected<std::vector<wire::EngagementType>, ApiError> parse_types(const rapidjson::Value& body,
                                                                      wire::Endpoint endpoint) {
  const auto member = body.FindMember("engagement_types");
  if (member == body.MemberEnd()) {
    return tl::unexpected(bad_request("Missing required field: engagement_types"));
  }
  const rapidjson::Value& names = member->value;
  if (!names.IsArray() || names.Empty()) {
    return tl::unexpected(bad_request("engagement_types must be a non-empty array of strings"));
  }
  std::vector<wire::EngagementType> types;
  for (rapidjson::SizeType i = 0; i < names.Size(); ++i) {
    if (!names[i].IsString()) {
      return tl::unexpected(
          bad_request("engagement_types[" + std::to_string(i) + "] is not a string"));
    }
    const std::string_view name = as_view(names[i]);
    const auto type = wire::parse_engagement_type_or_alias(name);
    if (!type || !served_by(endpoint, *type)) {
      return tl::unexpected(bad_request(wire::unsupported_engagement_type_message(name)));
    }
    push_unique(types, *type);
  }
  return types;
}

tl::expected<Grouping, ApiError> parse_grouping(std::string_view name, const rapidjson::Value& spec,
                                                wire::Endpoint endpoint) {
  const std::string where = "Grouping '" + std::string(name) + "'";
  if (!spec.IsObject() || !spec.HasMember("group_by") || !spec["group_by"].IsArray()) {
    return tl::unexpected(bad_request(where + " must be an object with a group_by array"));
  }
  const rapidjson::Value& values = spec["group_by"];
  if (values.Empty() || values.Size() > kGroupLevelNames.size()) {
    return tl::unexpected(bad_request(where + ": group_by must have 1 to 4 values"));
  }
  Grouping grouping{std::string(name), {}};
  std::vector<std::string> unsupported;
  for (const auto& value : values.GetArray()) {
    if (!value.IsString())
      return tl::unexpected(bad_request(where + ": group_by values must be strings"));
    const std::string_view text = as_view(value);
    const auto level = parse_group_level(text);
    if (!level || (endpoint == wire::Endpoint::totals && is_time_level(*level))) {
      unsupported.emplace_back(text);
      continue;
    }
    if (std::find(grouping.levels.begin(), grouping.levels.end(), *level) !=
        grouping.levels.end()) {
      return tl::unexpected(bad_request(where + ": group_by repeats " + std::string(text)));
    }
    grouping.levels.push_back(*level);
  }
  if (!unsupported.empty()) {
    return tl::unexpected(bad_request(wire::unsupported_group_by_message(unsupported)));
  }
  if (grouping.levels.size() == 4 &&
      !std::equal(grouping.levels.begin(), grouping.levels.end(), kFourLevelPostFirst.begin()) &&
      !std::equal(grouping.levels.begin(), grouping.levels.end(), kFourLevelTypeFirst.begin())) {
    return tl::unexpected(bad_request(std::string(wire::kInvalidFourLevelOrder)));
  }
  return grouping;
}

tl::expected<std::vector<Grouping>, ApiError> parse_groupings(const rapidjson::Value& body,
                                                              wire::Endpoint endpoint) {
  const auto member = body.FindMember("groupings");
  if (member == body.MemberEnd())
    return tl::unexpected(bad_request("Missing required field: groupings"));
  const rapidjson::Value& specs = member->value;
  if (!specs.IsObject() || specs.MemberCount() == 0) {
    return tl::unexpected(bad_request("groupings must be a non-empty object of named groupings"));
  }
  if (specs.MemberCount() > wire::kMaxGroupings) {
    return tl::unexpected(bad_request(wire::too_many_groupings_message(wire::kMaxGroupings)));
  }
  std::vector<Grouping> groupings;
  std::size_t four_level = 0;
  for (const auto& entry : specs.GetObject()) {
    const std::string_view name = as_view(entry.name);
    if (std::find(kReservedNames.begin(), kReservedNames.end(), name) != kReservedNames.end()) {
      return tl::unexpected(bad_request("Grouping name '" + std::string(name) +
                                        "' is reserved for a response field"));
    }
    for (const auto& existing : groupings) {
      if (existing.name == name) {
        return tl::unexpected(bad_request("Grouping name '" + std::string(name) + "' is repeated"));
      }
    }
    auto grouping = parse_grouping(name, entry.value, endpoint);
    if (!grouping) return tl::unexpected(grouping.error());
    if (grouping->levels.size() == 4 && ++four_level > 1) {
      return tl::unexpected(bad_request(std::string(wire::kTooManyFourLevelGroupings)));
    }
    groupings.push_back(std::move(*grouping));
  }
  return groupings;
}

tl::expected<std::optional<Seconds>, ApiError> parse_time_field(const rapidjson::Value& body,
                                                                const char* field) {
  const auto member = body.FindMember(field);
  if (member == body.MemberEnd() || member->value.IsNull()) return std::optional<Seconds>{};
  std::optional<Seconds> parsed;
  if (member->value.IsString()) parsed = common::parse_iso8601(as_view(member->value));
  if (!parsed) {
    const std::string shown = member->value.IsString()
                                  ? "'" + std::string(as_view(member->value)) + "'"
                                  : "a non-string value";
    return tl::unexpected(bad_request(std::string("Invalid ") + field + ": " + shown +
                                      " is not an ISO-8601 UTC timestamp or a date (YYYY-MM-DD)"));
  }
  return parsed;
}

}  // namespace

tl::expected<EngagementRequest, ApiError> parse_engagement_request(wire::Endpoint endpoint,
                                                                   std::string_view body) {
  rapidjson::Document document;
  document.Parse(body.data(), body.size());
  if (document.HasParseError()) {
    return tl::unexpected(bad_request("Invalid JSON in request body at offset " +
                                      std::to_string(document.GetErrorOffset()) + ": " +
                                      rapidjson::GetParseError_En(document.GetParseError())));
  }
  if (!document.IsObject())
    return tl::unexpected(bad_request("Request body must be a JSON object"));

  EngagementRequest request;
  request.endpoint = endpoint;
  auto ids = parse_tweet_ids(document, endpoint);
  if (!ids) return tl::unexpected(ids.error());
  request.post_ids = std::move(*ids);
  auto types = parse_types(document, endpoint);
  if (!types) return tl::unexpected(types.error());
  request.types = std::move(*types);
  auto groupings = parse_groupings(document, endpoint);
  if (!groupings) return tl::unexpected(groupings.error());
  request.groupings = std::move(*groupings);
  // start/end are read only by /historical; other endpoints ignore them, as X's clients expect.
  if (endpoint == wire::Endpoint::historical) {
    auto start = parse_time_field(document, "start");
    if (!start) return tl::unexpected(start.error());
    auto end = parse_time_field(document, "end");
    if (!end) return tl::unexpected(end.error());
    request.start = *start;
    request.end = *end;
  }
  return request;
}

TimeWindow last_28_hours(common::TimePoint now) {
  const Seconds current_hour = common::floor_hour(std::chrono::floor<std::chrono::seconds>(now));
  return {current_hour - 28h, current_hour + 1h};
}

Seconds historical_lower_bound(common::TimePoint now, const LimitsConfig& limits) {
  Seconds bound = wire::kHistoricalEarliestStart;
  if (limits.historical_lookback.count() > 0) {
    bound = std::max(
        bound, std::chrono::floor<std::chrono::seconds>(now) -
                   std::chrono::duration_cast<std::chrono::seconds>(limits.historical_lookback));
  }
  return bound;
}

tl::expected<TimeWindow, ApiError> historical_window(const EngagementRequest& request,
                                                     common::TimePoint now,
                                                     const LimitsConfig& limits) {
  using common::format_iso8601;
  const Seconds now_s = std::chrono::floor<std::chrono::seconds>(now);
  const Seconds lower = historical_lower_bound(now, limits);
  const Seconds current_hour_end = common::ceil_hour(now_s);
  const auto max_window =
      std::chrono::duration_cast<std::chrono::seconds>(wire::kHistoricalMaxWindow);

  if (request.end && *request.end > now_s) {
    return tl::unexpected(
        bad_request(wire::historical_end_in_future_message(format_iso8601(*request.end))));
  }
  if (request.start && *request.start < lower) {
    return tl::unexpected(bad_request(wire::historical_start_too_early_message(
        format_iso8601(*request.start), format_iso8601(lower))));
  }
  // Defaults are whole hours from the start, so they always pass the 28-day rule; a derived bound
  // is clamped to what is allowed instead of being rejected (the client did not choose it).
  Seconds start;
  Seconds end;
  if (request.start && request.end) {
    start = *request.start;
    end = *request.end;
  } else if (request.start) {
    start = *request.start;
    end = std::min(common::floor_hour(start) + max_window, current_hour_end);
  } else if (request.end) {
    end = *request.end;
    start = std::max(common::ceil_hour(end) - max_window, common::ceil_hour(lower));
  } else {
    end = current_hour_end;
    start = std::max(end - max_window, common::ceil_hour(lower));
  }
  if (start >= end) {
    return tl::unexpected(bad_request(
        wire::historical_start_after_end_message(format_iso8601(start), format_iso8601(end))));
  }
  const TimeWindow window{common::floor_hour(start), common::ceil_hour(end)};
  if (window.end - window.start > max_window) {
    return tl::unexpected(bad_request(wire::historical_window_too_long_message(
        format_iso8601(window.start), format_iso8601(window.end))));
  }
  return window;
}

}  // namespace xee::simulator::server

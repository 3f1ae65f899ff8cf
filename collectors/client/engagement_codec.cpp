#include "collectors/client/engagement_codec.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

#include "collectors/client/json_read.h"
#include "common/text.h"
#include "common/time_format.h"

namespace xee::collectors::client {
namespace {

constexpr std::string_view kTotalsContext = "totals";
constexpr std::string_view kFieldStart = "start";
constexpr std::string_view kFieldEnd = "end";
// The older, per-author form of kForbiddenTweetsPrefix (spec §4.2, [C-RUBY]).
constexpr std::string_view kForbiddenAuthorPrefix = "Forbidden to access tweets for author id ";

std::string post_context(std::string_view endpoint, PostId id) {
  return std::string(endpoint) + ": post " + wire::format_post_id(id);
}

std::string post_context(PostId id) {
  return post_context(kTotalsContext, id);
}

// The whole body as a JSON object; `what` names the value for the shape message.
Result<rapidjson::Document> parse_object(std::string_view body, std::string_view endpoint,
                                         std::string_view what) {
  auto document = json::parse(body, endpoint);
  if (!document) return tl::unexpected(document.error());
  if (!document->IsObject()) {
    return tl::unexpected(json::type_mismatch(std::string(endpoint) + ": " + std::string(what),
                                              "an object", *document));
  }
  return document;
}

// The Posts and types a response may carry, with what it has carried so far, so that an
// unrequested or repeated entry is caught instead of silently producing a value.
class RequestedPosts {
 public:
  RequestedPosts(std::span<const PostId> ids, std::span<const EngagementType> types,
                 UnrequestedTypes* unrequested, std::string_view endpoint = kTotalsContext)
      : endpoint_(endpoint), ids_(ids.begin(), ids.end()), unrequested_(unrequested) {
    std::sort(ids_.begin(), ids_.end());
    ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
    seen_.assign(ids_.size(), false);
    for (const EngagementType type : types) requested_type_bits_ |= 1u << wire::index_of(type);
  }

  Result<void> claim_post(PostId id) {
    const auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
    if (it == ids_.end() || *it != id) {
      return fail(post_context(endpoint_, id) + " was not requested");
    }
    const auto index = static_cast<std::size_t>(it - ids_.begin());
    if (seen_[index]) return fail(post_context(endpoint_, id) + " appears twice");
    seen_[index] = true;
    return {};
  }

  // The type of a Post's entry named `name`, or nullopt when the entry is to be skipped: a type
  // that was not asked for, or one this client does not know (a metric X added), is noted as
  // unrequested rather than failing the batch (X's own /totals example carries an unasked
  // quote_tweets).
  std::optional<EngagementType> requested_type(PostId id, std::string_view name) {
    const auto type = wire::parse_engagement_type(name);
    if (type && ((requested_type_bits_ >> wire::index_of(*type)) & 1u)) return type;
    if (unrequested_ != nullptr) {
      auto& posts = (*unrequested_)[std::string(name)];
      if (posts.empty() || posts.back() != id) posts.push_back(id);
    }
    return std::nullopt;
  }

 private:
  std::string_view endpoint_;
  std::vector<PostId> ids_;
  UnrequestedTypes* unrequested_;
  std::vector<bool> seen_;
  std::uint32_t requested_type_bits_ = 0;  // bit index_of(type), as EngagementValues::present
};

Result<EngagementValues> decode_post_values(PostId id, const rapidjson::Value& by_type,
                                            RequestedPosts& requested) {
  const std::string context = post_context(id);
  if (!by_type.IsObject()) {
    return tl::unexpected(json::type_mismatch(context, "an object", by_type));
  }
  EngagementValues values;
  for (const auto& member : by_type.GetObject()) {
    const std::string_view name(member.name.GetString(), member.name.GetStringLength());
    const auto type = requested.requested_type(id, name);
    if (!type) continue;
    if (values.has(*type)) return fail(context + ": " + std::string(name) + " appears twice");
    auto count = json::read_count(member.value, context + ": " + std::string(name));
    if (!count) return tl::unexpected(count.error());
    values.set(*type, *count);
  }
  return values;
}

Result<std::vector<std::pair<PostId, EngagementValues>>> decode_per_post(
    const rapidjson::Value& grouping, RequestedPosts& requested) {
  const std::string context = std::string(kTotalsContext) + ": " + std::string(kPerPostGrouping);
  if (!grouping.IsObject()) {
    return tl::unexpected(json::type_mismatch(context, "an object", grouping));
  }
  std::vector<std::pair<PostId, EngagementValues>> posts;
  posts.reserve(grouping.MemberCount());
  for (const auto& member : grouping.GetObject()) {
    const auto id = wire::parse_post_id(
        std::string_view(member.name.GetString(), member.name.GetStringLength()));
    if (!id)
      return fail(context + ": key " + json::render_scalar(member.name) + " is not a Post ID");
    if (auto claimed = requested.claim_post(*id); !claimed) return tl::unexpected(claimed.error());
    auto values = decode_post_values(*id, member.value, requested);
    if (!values) return tl::unexpected(values.error());
    posts.emplace_back(*id, *values);
  }
  return posts;
}

// Reads one optional top-level field into `out` with `reader`, naming the field on failure.
template <typename T, typename Reader>
Result<void> read_field(const rapidjson::Value& value, std::string_view field, Reader reader,
                        T& out, std::string_view endpoint = kTotalsContext) {
  auto read = reader(value, std::string(endpoint) + ": " + std::string(field));
  if (!read) return tl::unexpected(read.error());
  out = std::move(*read);
  return {};
}

// The body every Engagement API endpoint takes (spec §1.1): one grouping, and the window only when
// one is given (/historical).
std::string encode_request(std::span<const PostId> post_ids, std::span<const EngagementType> types,
                           std::string_view grouping, std::span<const std::string_view> group_by,
                           std::optional<common::Seconds> start,
                           std::optional<common::Seconds> end) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  const auto key = [&writer](std::string_view name) {
    writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  };
  const auto string = [&writer](std::string_view text) {
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  };
  writer.StartObject();
  key("tweet_ids");
  writer.StartArray();
  for (const PostId id : post_ids) string(wire::format_post_id(id));
  writer.EndArray();
  key("engagement_types");
  writer.StartArray();
  for (const EngagementType type : types) string(wire::to_string(type));
  writer.EndArray();
  key("groupings");
  writer.StartObject();
  key(grouping);
  writer.StartObject();
  key("group_by");
  writer.StartArray();
  for (const std::string_view level : group_by) string(level);
  writer.EndArray();
  writer.EndObject();
  writer.EndObject();
  if (start) {
    key(kFieldStart);
    string(common::format_iso8601(*start));
  }
  if (end) {
    key(kFieldEnd);
    string(common::format_iso8601(*end));
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The hour keys X writes: "00" … "23".
std::optional<std::chrono::hours> parse_hour_key(std::string_view key) {
  if (key.size() != 2 || key[0] < '0' || key[0] > '9' || key[1] < '0' || key[1] > '9') {
    return std::nullopt;
  }
  const int hour = (key[0] - '0') * 10 + (key[1] - '0');
  if (hour > 23) return std::nullopt;
  return std::chrono::hours{hour};
}

// A day key "YYYY-MM-DD" (UTC midnight); the longer forms parse_iso8601 also accepts are not keys.
std::optional<common::Seconds> parse_day_key(std::string_view key) {
  if (key.size() != 10) return std::nullopt;
  return common::parse_iso8601(key);
}

std::string_view name_of(const rapidjson::Value& member_name) {
  return {member_name.GetString(), member_name.GetStringLength()};
}

// One decode of a time-series body: the window it declares, and the Posts and types requested.
class TimeSeriesDecoder {
 public:
  TimeSeriesDecoder(wire::Endpoint endpoint, common::Seconds start, common::Seconds end,
                    std::span<const PostId> ids, std::span<const EngagementType> types,
                    UnrequestedTypes* unrequested)
      : endpoint_(wire::endpoint_name(endpoint)),
        window_start_(common::floor_hour(start)),
        window_end_(end),
        requested_(ids, types, unrequested, endpoint_) {}

  Result<void> decode_grouping(const rapidjson::Value& grouping, std::vector<HourlyCount>& out) {
    const std::string context = std::string(endpoint_) + ": " + std::string(kHourlyGrouping);
    if (!grouping.IsObject()) {
      return tl::unexpected(json::type_mismatch(context, "an object", grouping));
    }
    for (const auto& member : grouping.GetObject()) {
      const auto id = wire::parse_post_id(name_of(member.name));
      if (!id) {
        return fail(context + ": key " + json::render_scalar(member.name) + " is not a Post ID");
      }
      if (auto claimed = requested_.claim_post(*id); !claimed) {
        return tl::unexpected(claimed.error());
      }
      if (auto post = decode_post(*id, member.value, out); !post) return post;
    }
    return {};
  }

 private:
  Result<void> decode_post(PostId id, const rapidjson::Value& by_type,
                           std::vector<HourlyCount>& out) {
    const std::string context = post_context(endpoint_, id);
    if (!by_type.IsObject()) {
      return tl::unexpected(json::type_mismatch(context, "an object", by_type));
    }
    std::uint32_t seen_types = 0;
    for (const auto& member : by_type.GetObject()) {
      const std::string_view name = name_of(member.name);
      const auto type = requested_.requested_type(id, name);
      if (!type) continue;
      const std::uint32_t bit = 1u << wire::index_of(*type);
      if (seen_types & bit) return fail(context + ": " + std::string(name) + " appears twice");
      seen_types |= bit;
      const std::size_t first = out.size();
      auto days = decode_days(HourlyCount{id, *type, {}, 0}, member.value,
                              context + ": " + std::string(name), out);
      if (!days) return days;
      if (auto unique = check_unique_hours(out, first, context + ": " + std::string(name));
          !unique) {
        return unique;
      }
    }
    return {};
  }

  Result<void> decode_days(const HourlyCount& prototype, const rapidjson::Value& by_day,
                           const std::string& context, std::vector<HourlyCount>& out) const {
    if (!by_day.IsObject())
      return tl::unexpected(json::type_mismatch(context, "an object", by_day));
    for (const auto& day_member : by_day.GetObject()) {
      const auto day = parse_day_key(name_of(day_member.name));
      if (!day) {
        return fail(context + ": day key " + json::render_scalar(day_member.name) +
                    " is not a date YYYY-MM-DD");
      }
      const std::string day_context = context + ": " + std::string(name_of(day_member.name));
      if (!day_member.value.IsObject()) {
        return tl::unexpected(json::type_mismatch(day_context, "an object", day_member.value));
      }
      for (const auto& hour_member : day_member.value.GetObject()) {
        const auto hour = parse_hour_key(name_of(hour_member.name));
        if (!hour) {
          return fail(day_context + ": hour key " + json::render_scalar(hour_member.name) +
                      " is not \"00\"…\"23\"");
        }
        auto count = decode_hour(prototype, *day + *hour, hour_member.value, day_context);
        if (!count) return tl::unexpected(count.error());
        out.push_back(*count);
      }
    }
    return {};
  }

  Result<HourlyCount> decode_hour(HourlyCount count, common::Seconds hour,
                                  const rapidjson::Value& value,
                                  const std::string& day_context) const {
    const std::string context = day_context + " hour " + common::format_hour(hour);
    // X widens a window to whole hours, so an hour belongs to it when it starts inside it; an
    // `end` that is not on the hour (spec §1.3) still includes the hour it falls in.
    if (hour < window_start_ || hour >= window_end_) {
      return fail(context + " is outside the window " + common::format_iso8601(window_start_) +
                  " to " + common::format_iso8601(window_end_));
    }
    auto value_read = json::read_count(value, context);
    if (!value_read) return tl::unexpected(value_read.error());
    count.hour = hour;
    count.value = *value_read;
    return count;
  }

  // Distinct day keys cannot name the same hour, but a repeated day or hour key (which the JSON
  // parser keeps) can.
  static Result<void> check_unique_hours(std::vector<HourlyCount>& out, std::size_t first,
                                         const std::string& context) {
    const auto begin = out.begin() + static_cast<std::ptrdiff_t>(first);
    std::sort(begin, out.end(),
              [](const HourlyCount& a, const HourlyCount& b) { return a.hour < b.hour; });
    const auto repeated = std::adjacent_find(
        begin, out.end(),
        [](const HourlyCount& a, const HourlyCount& b) { return a.hour == b.hour; });
    if (repeated == out.end()) return {};
    return fail(context + ": " + common::format_date(repeated->hour) + " hour " +
                common::format_hour(repeated->hour) + " appears twice");
  }

  std::string_view endpoint_;
  common::Seconds window_start_;
  common::Seconds window_end_;
  RequestedPosts requested_;
};

// The Posts a 200's "Forbidden to access tweets" messages name. A malformed one names nothing
// that can be trusted; it stays in `errors` for the log and costs no value of the others.
std::vector<PostId> forbidden_in_partial_answer(std::span<const std::string> errors) {
  std::vector<PostId> ids;
  for (const std::string& message : errors) {
    if (!is_forbidden_posts_message(message)) continue;
    if (auto parsed = parse_forbidden_post_ids(message)) {
      ids.insert(ids.end(), parsed->begin(), parsed->end());
    }
  }
  return ids;
}

Result<common::Seconds> read_window_bound(const rapidjson::Value& document, std::string_view field,
                                          std::string_view endpoint) {
  const std::string context = std::string(endpoint) + ": " + std::string(field);
  const auto member = document.FindMember(std::string(field));
  if (member == document.MemberEnd()) return fail(context + " is missing");
  if (!member->value.IsString()) {
    return tl::unexpected(json::type_mismatch(context, "a string", member->value));
  }
  const auto time = common::parse_iso8601(name_of(member->value));
  if (!time) {
    return fail(context + ": " + json::render_scalar(member->value) +
                " is not an ISO-8601 UTC time");
  }
  return *time;
}

}  // namespace

std::string encode_totals_request(std::span<const PostId> post_ids,
                                  std::span<const EngagementType> types) {
  return encode_request(post_ids, types, kPerPostGrouping,
                        std::array{wire::kGroupByTweetId, wire::kGroupByType}, std::nullopt,
                        std::nullopt);
}

Result<TotalsResponse> decode_totals_response(std::string_view body,
                                              std::span<const PostId> requested_ids,
                                              std::span<const EngagementType> requested_types,
                                              UnrequestedTypes* unrequested) {
  auto document = parse_object(body, kTotalsContext, "response");
  if (!document) return tl::unexpected(document.error());
  RequestedPosts requested(requested_ids, requested_types, unrequested);
  TotalsResponse response;
  for (const auto& member : std::as_const(*document).GetObject()) {
    const std::string_view name(member.name.GetString(), member.name.GetStringLength());
    Result<void> read;
    if (name == kPerPostGrouping) {
      auto posts = decode_per_post(member.value, requested);
      if (!posts) return tl::unexpected(posts.error());
      response.posts = std::move(*posts);
    } else if (name == wire::kFieldUnavailable) {
      read = read_field(member.value, name, json::read_post_id_array, response.unavailable);
    } else if (name == wire::kFieldUnsupportedImpressions) {
      read = read_field(member.value, name, json::read_post_id_array,
                        response.unsupported_impressions);
    } else if (name == wire::kFieldUnsupportedVideoViews) {
      read = read_field(member.value, name, json::read_post_id_array,
                        response.unsupported_video_views);
    } else if (name == wire::kFieldErrors) {
      read = read_field(member.value, name, json::read_messages, response.errors);
    }
    if (!read) return tl::unexpected(read.error());
  }
  response.forbidden = forbidden_in_partial_answer(response.errors);
  std::erase_if(response.posts, [&](const auto& post) {
    return std::find(response.forbidden.begin(), response.forbidden.end(), post.first) !=
           response.forbidden.end();
  });
  return response;
}

Result<std::vector<std::string>> decode_error_messages(std::string_view body,
                                                       wire::Endpoint endpoint) {
  const std::string_view context = wire::endpoint_name(endpoint);
  auto document = parse_object(body, context, "error body");
  if (!document) return tl::unexpected(document.error());
  const rapidjson::Value& root = *document;
  const auto errors = root.FindMember(std::string(wire::kFieldErrors));
  if (errors == root.MemberEnd()) {
    return fail(std::string(context) + ": error body has no \"errors\" field");
  }
  return json::read_messages(errors->value, std::string(context) + ": errors");
}

Result<std::string> decode_bearer_token_response(std::string_view body) {
  const std::string_view context = wire::endpoint_name(wire::Endpoint::oauth2_token);
  auto document = parse_object(body, context, "response");
  if (!document) return tl::unexpected(document.error());
  // Only the shape of a field is ever reported, so the token cannot leak into a message.
  auto string_field = [&](std::string_view name) -> Result<std::string_view> {
    const std::string field_context = std::string(context) + ": " + std::string(name);
    const rapidjson::Value& root = *document;
    const auto field = root.FindMember(std::string(name));
    if (field == root.MemberEnd()) return fail(field_context + " is missing");
    if (!field->value.IsString()) {
      return tl::unexpected(json::type_mismatch(field_context, "a string", field->value));
    }
    return std::string_view(field->value.GetString(), field->value.GetStringLength());
  };
  auto token_type = string_field("token_type");
  if (!token_type) return tl::unexpected(token_type.error());
  if (common::ascii_lower(*token_type) != "bearer") {
    return fail(std::string(context) + ": token_type is not \"bearer\"");
  }
  auto token = string_field("access_token");
  if (!token) return tl::unexpected(token.error());
  if (token->empty()) return fail(std::string(context) + ": access_token is empty");
  return std::string(*token);
}

bool is_forbidden_posts_message(std::string_view message) {
  return message.starts_with(wire::kForbiddenTweetsPrefix) ||
         message.starts_with(kForbiddenAuthorPrefix);
}

Result<std::vector<PostId>> parse_forbidden_post_ids(std::string_view message) {
  const std::string quoted = "\"" + std::string(message) + "\"";
  std::string_view list;
  if (message.starts_with(wire::kForbiddenTweetsPrefix)) {
    list = message.substr(wire::kForbiddenTweetsPrefix.size());
  } else if (message.starts_with(kForbiddenAuthorPrefix)) {
    const std::string_view rest = message.substr(kForbiddenAuthorPrefix.size());
    const std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos ||
        !wire::parse_post_id(common::trim_ascii(rest.substr(0, colon)))) {
      return fail(quoted + " has no author id followed by ':'");
    }
    list = rest.substr(colon + 1);
  } else {
    return fail(quoted + " is not a \"Forbidden to access tweets\" message");
  }
  std::vector<PostId> ids;
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view token = common::trim_ascii(list.substr(0, comma));
    const auto id = wire::parse_post_id(token);
    if (!id) return fail(quoted + ": \"" + std::string(token) + "\" is not a Post ID");
    ids.push_back(*id);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return ids;
}

Result<std::vector<PostId>> forbidden_post_ids(std::span<const std::string> messages) {
  std::vector<PostId> ids;
  for (const std::string& message : messages) {
    if (!is_forbidden_posts_message(message)) continue;
    auto parsed = parse_forbidden_post_ids(message);
    if (!parsed) return tl::unexpected(parsed.error());
    ids.insert(ids.end(), parsed->begin(), parsed->end());
  }
  return ids;
}

std::string encode_time_series_request(std::span<const PostId> post_ids,
                                       std::span<const EngagementType> types,
                                       std::optional<common::Seconds> start,
                                       std::optional<common::Seconds> end) {
  return encode_request(
      post_ids, types, kHourlyGrouping,
      std::array{wire::kGroupByTweetId, wire::kGroupByType, wire::kGroupByDay, wire::kGroupByHour},
      start, end);
}

Result<TimeSeriesResponse> decode_time_series_response(
    std::string_view body, wire::Endpoint endpoint, std::span<const PostId> requested_ids,
    std::span<const EngagementType> requested_types, UnrequestedTypes* unrequested) {
  const std::string_view endpoint_context = wire::endpoint_name(endpoint);
  auto document = parse_object(body, endpoint_context, "response");
  if (!document) return tl::unexpected(document.error());
  TimeSeriesResponse response;
  auto start = read_window_bound(*document, kFieldStart, endpoint_context);
  if (!start) return tl::unexpected(start.error());
  auto end = read_window_bound(*document, kFieldEnd, endpoint_context);
  if (!end) return tl::unexpected(end.error());
  if (*start >= *end) {
    return fail(std::string(endpoint_context) + ": start " + common::format_iso8601(*start) +
                " is not before end " + common::format_iso8601(*end));
  }
  response.start = *start;
  response.end = *end;
  TimeSeriesDecoder decoder(endpoint, *start, *end, requested_ids, requested_types, unrequested);
  for (const auto& member : std::as_const(*document).GetObject()) {
    const std::string_view name = name_of(member.name);
    Result<void> read;
    if (name == kHourlyGrouping) {
      read = decoder.decode_grouping(member.value, response.counts);
    } else if (name == wire::kFieldUnavailable) {
      read = read_field(member.value, name, json::read_post_id_array, response.unavailable,
                        endpoint_context);
    } else if (name == wire::kFieldErrors) {
      read = read_field(member.value, name, json::read_messages, response.errors, endpoint_context);
    }
    if (!read) return tl::unexpected(read.error());
  }
  response.forbidden = forbidden_in_partial_answer(response.errors);
  std::erase_if(response.counts, [&](const HourlyCount& count) {
    return std::find(response.forbidden.begin(), response.forbidden.end(), count.post_id) !=
           response.forbidden.end();
  });
  std::sort(response.counts.begin(), response.counts.end(),
            [](const HourlyCount& a, const HourlyCount& b) {
              return std::tie(a.post_id, a.type, a.hour) < std::tie(b.post_id, b.type, b.hour);
            });
  return response;
}

}  // namespace xee::collectors::client

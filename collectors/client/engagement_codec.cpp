#include "collectors/client/engagement_codec.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "collectors/client/json_read.h"
#include "common/text.h"

namespace xee::collectors::client {
namespace {

constexpr std::string_view kTotalsContext = "totals";
// The older, per-author form of kForbiddenTweetsPrefix (spec §4.2, [C-RUBY]).
constexpr std::string_view kForbiddenAuthorPrefix = "Forbidden to access tweets for author id ";

std::string post_context(PostId id) {
  return std::string(kTotalsContext) + ": post " + wire::format_post_id(id);
}

// The Posts and types a response may carry, with what it has carried so far, so that an
// unrequested or repeated entry is caught instead of silently producing a value.
class RequestedPosts {
 public:
  RequestedPosts(std::span<const PostId> ids, std::span<const EngagementType> types)
      : ids_(ids.begin(), ids.end()) {
    std::sort(ids_.begin(), ids_.end());
    ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
    seen_.assign(ids_.size(), false);
    for (const EngagementType type : types) requested_type_bits_ |= 1u << wire::index_of(type);
  }

  Result<void> claim_post(PostId id) {
    const auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
    if (it == ids_.end() || *it != id) return fail(post_context(id) + " was not requested");
    const auto index = static_cast<std::size_t>(it - ids_.begin());
    if (seen_[index]) return fail(post_context(id) + " appears twice");
    seen_[index] = true;
    return {};
  }

  bool type_requested(EngagementType type) const {
    return (requested_type_bits_ >> wire::index_of(type)) & 1u;
  }

 private:
  std::vector<PostId> ids_;
  std::vector<bool> seen_;
  std::uint32_t requested_type_bits_ = 0;  // bit index_of(type), as EngagementValues::present
};

Result<EngagementValues> decode_post_values(PostId id, const rapidjson::Value& by_type,
                                            const RequestedPosts& requested) {
  const std::string context = post_context(id);
  if (!by_type.IsObject()) {
    return tl::unexpected(json::type_mismatch(context, "an object", by_type));
  }
  EngagementValues values;
  for (const auto& member : by_type.GetObject()) {
    const std::string_view name(member.name.GetString(), member.name.GetStringLength());
    const auto type = wire::parse_engagement_type(name);
    if (!type) {
      return fail(context + ": unknown engagement type " + json::render_scalar(member.name));
    }
    if (!requested.type_requested(*type)) {
      return fail(context + ": engagement type " + std::string(name) + " was not requested");
    }
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
                        T& out) {
  auto read = reader(value, std::string(kTotalsContext) + ": " + std::string(field));
  if (!read) return tl::unexpected(read.error());
  out = std::move(*read);
  return {};
}

}  // namespace

std::string encode_totals_request(std::span<const PostId> post_ids,
                                  std::span<const EngagementType> types) {
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
  key(kPerPostGrouping);
  writer.StartObject();
  key("group_by");
  writer.StartArray();
  string(wire::kGroupByTweetId);
  string(wire::kGroupByType);
  writer.EndArray();
  writer.EndObject();
  writer.EndObject();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<TotalsResponse> decode_totals_response(std::string_view body,
                                              std::span<const PostId> requested_ids,
                                              std::span<const EngagementType> requested_types) {
  auto document = json::parse(body, kTotalsContext);
  if (!document) return tl::unexpected(document.error());
  const std::string context = std::string(kTotalsContext) + ": response";
  if (!document->IsObject()) {
    return tl::unexpected(json::type_mismatch(context, "an object", *document));
  }
  RequestedPosts requested(requested_ids, requested_types);
  TotalsResponse response;
  for (const auto& member : document->GetObject()) {
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
  return response;
}

Result<std::vector<std::string>> decode_error_messages(std::string_view body,
                                                       wire::Endpoint endpoint) {
  const std::string_view context = wire::endpoint_name(endpoint);
  auto document = json::parse(body, context);
  if (!document) return tl::unexpected(document.error());
  if (!document->IsObject()) {
    return tl::unexpected(
        json::type_mismatch(std::string(context) + ": error body", "an object", *document));
  }
  const auto errors = document->FindMember(std::string(wire::kFieldErrors));
  if (errors == document->MemberEnd()) {
    return fail(std::string(context) + ": error body has no \"errors\" field");
  }
  return json::read_messages(errors->value, std::string(context) + ": errors");
}

Result<std::string> decode_bearer_token_response(std::string_view body) {
  const std::string_view context = wire::endpoint_name(wire::Endpoint::oauth2_token);
  auto document = json::parse(body, context);
  if (!document) return tl::unexpected(document.error());
  if (!document->IsObject()) {
    return tl::unexpected(
        json::type_mismatch(std::string(context) + ": response", "an object", *document));
  }
  // Only the shape of a field is ever reported, so the token cannot leak into a message.
  auto string_field = [&](std::string_view name) -> Result<std::string_view> {
    const std::string field_context = std::string(context) + ": " + std::string(name);
    const auto field = document->FindMember(std::string(name));
    if (field == document->MemberEnd()) return fail(field_context + " is missing");
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

}  // namespace xee::collectors::client

#include "collectors/hourly_state.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <vector>

#include "collectors/state_json.h"
#include "common/time_format.h"

namespace xee::collectors {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

Result<Hour> read_hour(const rapidjson::Value& post, const char* key, const std::string& where) {
  const auto found = post.FindMember(key);
  if (found == post.MemberEnd() || !found->value.IsString()) {
    return fail(where + ": missing or non-string \"" + key + "\"");
  }
  const auto hour = common::parse_iso8601(found->value.GetString());
  if (!hour || common::floor_hour(*hour) != *hour) {
    return fail(where + ": \"" + key + "\" is not a whole hour in ISO-8601: \"" +
                found->value.GetString() + "\"");
  }
  return *hour;
}

Result<std::pair<PostId, PostHours>> read_post(const rapidjson::Value& post,
                                               const std::string& index) {
  if (!post.IsObject()) return fail(index + ": expected an object");
  const auto id_member = post.FindMember("post_id");
  const auto id = id_member != post.MemberEnd() && id_member->value.IsString()
                      ? wire::parse_post_id(id_member->value.GetString())
                      : std::nullopt;
  if (!id) return fail(index + ": missing or invalid \"post_id\" (a Post ID as a string)");
  const std::string where = index + " (post " + wire::format_post_id(*id) + ")";
  PostHours hours;
  auto last_added = read_hour(post, "last_added", where);
  if (!last_added) return tl::unexpected(last_added.error());
  auto last_active = read_hour(post, "last_active", where);
  if (!last_active) return tl::unexpected(last_active.error());
  hours.last_added = *last_added;
  hours.last_active = *last_active;
  const auto tally = post.FindMember("tally");
  if (tally == post.MemberEnd() || !tally->value.IsObject()) {
    return fail(where + ": missing or non-object \"tally\"");
  }
  for (const auto& member : tally->value.GetObject()) {
    const std::string name(member.name.GetString(), member.name.GetStringLength());
    const auto type = wire::parse_engagement_type(name);
    if (!type || !wire::served_by_time_series(*type)) {
      return fail(where + ": tally." + name + " is not one of the 17 hourly types");
    }
    if (!member.value.IsUint64()) {
      return fail(where + ": tally." + name + " is not a non-negative integer");
    }
    hours.tally[wire::index_of(*type)] = member.value.GetUint64();
  }
  return std::pair{*id, std::move(hours)};
}

}  // namespace

std::string encode_hourly_state(const std::unordered_map<PostId, PostHours>& posts) {
  std::vector<PostId> ids;
  for (const auto& [id, hours] : posts) {
    if (hours.last_added) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("posts");
  writer.StartArray();
  for (const PostId id : ids) {
    const PostHours& hours = posts.at(id);
    writer.StartObject();
    writer.Key("post_id");
    write_string(writer, wire::format_post_id(id));
    writer.Key("last_added");
    write_string(writer, common::format_iso8601(*hours.last_added));
    writer.Key("last_active");
    write_string(writer, common::format_iso8601(hours.last_active.value_or(*hours.last_added)));
    writer.Key("tally");
    writer.StartObject();
    for (const auto type : wire::kTimeSeriesTypes) {
      write_string(writer, wire::to_string(type));
      writer.Uint64(hours.tally[wire::index_of(type)]);
    }
    writer.EndObject();
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

Result<std::unordered_map<PostId, PostHours>> decode_hourly_state(std::string_view json) {
  rapidjson::Document document;
  if (auto parsed = parse_json_object(json, document); !parsed) {
    return tl::unexpected(parsed.error());
  }
  const rapidjson::Value& root = document;
  const auto posts = root.FindMember("posts");
  if (posts == root.MemberEnd() || !posts->value.IsArray()) {
    return fail("missing or non-array \"posts\"");
  }
  std::unordered_map<PostId, PostHours> decoded;
  const auto& array = posts->value.GetArray();
  for (rapidjson::SizeType i = 0; i < array.Size(); ++i) {
    auto post = read_post(array[i], "posts[" + std::to_string(i) + "]");
    if (!post) return tl::unexpected(post.error());
    if (!decoded.emplace(post->first, std::move(post->second)).second) {
      return fail("posts[" + std::to_string(i) + "]: post " + wire::format_post_id(post->first) +
                  " is listed twice");
    }
  }
  return decoded;
}

}  // namespace xee::collectors

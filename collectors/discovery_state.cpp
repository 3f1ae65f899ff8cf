#include "collectors/discovery_state.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "collectors/state_json.h"
#include "common/time_format.h"

namespace xee::collectors {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_member(Writer& writer, std::string_view key, std::string_view value) {
  write_string(writer, key);
  write_string(writer, value);
}

void write_id(Writer& writer, std::string_view key, const std::optional<PostId>& id) {
  if (id) write_member(writer, key, wire::format_post_id(*id));
}

std::string unix_to_iso(std::int64_t unix_seconds) {
  return common::format_iso8601(common::Seconds{std::chrono::seconds{unix_seconds}});
}

// Optional string member: absent is fine, any other type is not.
Result<std::optional<std::string>> read_string(const rapidjson::Value& object, const char* key,
                                               const std::string& where) {
  const auto found = object.FindMember(key);
  if (found == object.MemberEnd()) return std::optional<std::string>{};
  if (!found->value.IsString()) return fail(where + ": \"" + key + "\" is not a string");
  return std::optional<std::string>{
      std::string(found->value.GetString(), found->value.GetStringLength())};
}

Result<std::optional<PostId>> read_id(const rapidjson::Value& object, const char* key,
                                      const std::string& where) {
  auto text = read_string(object, key, where);
  if (!text) return tl::unexpected(text.error());
  if (!*text) return std::optional<PostId>{};
  const auto id = wire::parse_post_id(**text);
  if (!id) return fail(where + ": \"" + key + "\" is not a Post ID: \"" + **text + "\"");
  return std::optional<PostId>{*id};
}

Result<std::uint64_t> read_count(const rapidjson::Value& object, const std::string& where) {
  const auto found = object.FindMember("discovered_total");
  if (found == object.MemberEnd()) return std::uint64_t{0};
  if (!found->value.IsUint64()) {
    return fail(where + ": \"discovered_total\" is not a non-negative integer");
  }
  return found->value.GetUint64();
}

Result<DiscoveredPost> read_post(const rapidjson::Value& value, const std::string& index) {
  if (!value.IsObject()) return fail(index + ": expected an object");
  auto id = read_id(value, "post_id", index);
  if (!id) return tl::unexpected(id.error());
  if (!*id) return fail(index + ": missing \"post_id\"");
  DiscoveredPost post;
  post.id = **id;
  const std::string where = index + " (post " + wire::format_post_id(post.id) + ")";
  for (auto [key, field] : {std::pair{"author_id", &post.author_id},
                            std::pair{"author", &post.author_handle},
                            std::pair{"owner", &post.owner}}) {
    auto text = read_string(value, key, where);
    if (!text) return tl::unexpected(text.error());
    *field = text->value_or("");
  }
  auto first_seen = read_string(value, "first_seen", where);
  if (!first_seen) return tl::unexpected(first_seen.error());
  const auto seen = *first_seen ? common::parse_iso8601(**first_seen) : std::nullopt;
  if (!seen) return fail(where + ": missing or invalid \"first_seen\" (ISO-8601)");
  post.first_seen_unix = seen->time_since_epoch().count();
  const auto sources = value.FindMember("sources");
  if (sources == value.MemberEnd() || !sources->value.IsArray() ||
      sources->value.GetArray().Empty()) {
    return fail(where + ": \"sources\" is missing, not an array or empty");
  }
  for (const auto& source : sources->value.GetArray()) {
    if (!source.IsString()) return fail(where + ": \"sources\" holds a non-string");
    post.sources.insert(std::string(source.GetString(), source.GetStringLength()));
  }
  return post;
}

Result<SourceCursor> read_cursor(const rapidjson::Value& value, const std::string& where,
                                 std::string& query) {
  if (!value.IsObject()) return fail(where + ": expected an object");
  SourceCursor cursor;
  auto text = read_string(value, "query", where);
  if (!text) return tl::unexpected(text.error());
  if (!*text) return fail(where + ": missing \"query\"");
  query = **text;
  auto since = read_id(value, "since_id", where);
  if (!since) return tl::unexpected(since.error());
  cursor.since_id = *since;
  auto newest = read_id(value, "walk_newest_id", where);
  if (!newest) return tl::unexpected(newest.error());
  cursor.walk_newest_id = *newest;
  auto token = read_string(value, "next_token", where);
  if (!token) return tl::unexpected(token.error());
  cursor.next_token = *token;
  auto total = read_count(value, where);
  if (!total) return tl::unexpected(total.error());
  cursor.discovered_total = *total;
  return cursor;
}

}  // namespace

std::string encode_discovery_state(const DiscoveryRegistry::Memory& memory) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("posts");
  writer.StartArray();
  for (const auto& [id, post] : memory.posts) {
    writer.StartObject();
    write_member(writer, "post_id", wire::format_post_id(id));
    if (!post.author_id.empty()) write_member(writer, "author_id", post.author_id);
    if (!post.author_handle.empty()) write_member(writer, "author", post.author_handle);
    if (!post.owner.empty()) write_member(writer, "owner", post.owner);
    write_member(writer, "first_seen", unix_to_iso(post.first_seen_unix));
    writer.Key("sources");
    writer.StartArray();
    for (const std::string& source : post.sources) write_string(writer, source);
    writer.EndArray();
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("cursors");
  writer.StartObject();
  for (const auto& [key, cursor] : memory.cursors) {
    const auto query = memory.source_queries.find(key);
    if (query == memory.source_queries.end()) continue;  // not configured: nothing to resume
    write_string(writer, key);
    writer.StartObject();
    write_member(writer, "query", query->second);
    write_id(writer, "since_id", cursor.since_id);
    if (cursor.next_token) write_member(writer, "next_token", *cursor.next_token);
    write_id(writer, "walk_newest_id", cursor.walk_newest_id);
    writer.Key("discovered_total");
    writer.Uint64(cursor.discovered_total);
    writer.EndObject();
  }
  writer.EndObject();
  writer.Key("campaigns");
  writer.StartObject();
  for (const auto& [name, total] : memory.campaign_discovered) {
    write_string(writer, name);
    writer.StartObject();
    writer.Key("discovered_total");
    writer.Uint64(total);
    writer.EndObject();
  }
  writer.EndObject();
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

Result<DiscoveryRegistry::Memory> decode_discovery_state(std::string_view json) {
  rapidjson::Document document;
  if (auto parsed = parse_json_object(json, document); !parsed) {
    return tl::unexpected(parsed.error());
  }
  DiscoveryRegistry::Memory memory;
  const rapidjson::Value& root = document;
  const auto posts = root.FindMember("posts");
  if (posts == root.MemberEnd() || !posts->value.IsArray()) {
    return fail("missing or non-array \"posts\"");
  }
  const auto& array = posts->value.GetArray();
  for (rapidjson::SizeType i = 0; i < array.Size(); ++i) {
    auto post = read_post(array[i], "posts[" + std::to_string(i) + "]");
    if (!post) return tl::unexpected(post.error());
    const PostId id = post->id;
    if (!memory.posts.emplace(id, std::move(*post)).second) {
      return fail("posts[" + std::to_string(i) + "]: post " + wire::format_post_id(id) +
                  " is listed twice");
    }
  }
  const auto cursors = root.FindMember("cursors");
  if (cursors == root.MemberEnd() || !cursors->value.IsObject()) {
    return fail("missing or non-object \"cursors\"");
  }
  for (const auto& member : cursors->value.GetObject()) {
    const std::string key(member.name.GetString(), member.name.GetStringLength());
    std::string query;
    auto cursor = read_cursor(member.value, "cursors." + key, query);
    if (!cursor) return tl::unexpected(cursor.error());
    memory.cursors.emplace(key, std::move(*cursor));
    memory.source_queries.emplace(key, std::move(query));
  }
  const auto campaigns = root.FindMember("campaigns");
  if (campaigns == root.MemberEnd() || !campaigns->value.IsObject()) {
    return fail("missing or non-object \"campaigns\"");
  }
  for (const auto& member : campaigns->value.GetObject()) {
    const std::string name(member.name.GetString(), member.name.GetStringLength());
    if (!member.value.IsObject()) return fail("campaigns." + name + ": expected an object");
    auto total = read_count(member.value, "campaigns." + name);
    if (!total) return tl::unexpected(total.error());
    memory.campaign_discovered.emplace(name, *total);
  }
  return memory;
}

}  // namespace xee::collectors

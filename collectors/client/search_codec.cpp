#include "collectors/client/search_codec.h"

#include <unordered_map>
#include <utility>

#include "collectors/client/exchange.h"
#include "collectors/client/json_read.h"
#include "common/time_format.h"
#include "wire/api_limits.h"

namespace xee::collectors::client {
namespace {

// A body that is not a problem is shown only this far: enough to recognize a proxy's error page.
constexpr std::size_t kMaxRawBodyLength = 200;
// The ID pattern X documents for since_id/until_id, and what every ID in a page must match.
constexpr std::size_t kMaxIdDigits = 19;
constexpr std::string_view kIdRule = "a string of 1 to 19 digits";

std::string search_context() {
  return std::string(wire::endpoint_name(wire::Endpoint::recent_search));
}

std::string field_context(std::string_view parent, std::string_view field) {
  return std::string(parent) + "." + std::string(field);
}

std::string index_context(std::string_view parent, rapidjson::SizeType index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

const rapidjson::Value* find_member(const rapidjson::Value& object, std::string_view name) {
  const auto it = object.FindMember(rapidjson::Value(
      rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string_view> string_member(const rapidjson::Value& object,
                                              std::string_view name) {
  const rapidjson::Value* value = find_member(object, name);
  if (value == nullptr || !value->IsString()) return std::nullopt;
  return std::string_view(value->GetString(), value->GetStringLength());
}

Result<std::string_view> read_string(const rapidjson::Value& value, const std::string& context) {
  if (!value.IsString()) return tl::unexpected(json::type_mismatch(context, "a string", value));
  return std::string_view(value.GetString(), value.GetStringLength());
}

// An author's user ID: kept as text, since only its equality with includes.users[].id matters.
Result<std::string> read_id_text(const rapidjson::Value& value, const std::string& context) {
  if (!value.IsString()) return tl::unexpected(json::type_mismatch(context, kIdRule, value));
  const std::string_view text(value.GetString(), value.GetStringLength());
  if (text.empty() || text.size() > kMaxIdDigits ||
      text.find_first_not_of("0123456789") != std::string_view::npos) {
    return fail(context + ": " + json::render_scalar(value) + " is not an ID (" +
                std::string(kIdRule) + ")");
  }
  return std::string(text);
}

Result<wire::PostId> read_post_id(const rapidjson::Value& value, const std::string& context) {
  auto text = read_id_text(value, context);
  if (!text) return tl::unexpected(text.error());
  const auto id = wire::parse_post_id(*text);
  // Leading zeros or a value beyond 63 bits: X never writes such an ID.
  if (!id) return fail(context + ": " + json::render_scalar(value) + " is not a Post ID");
  return *id;
}

Result<std::chrono::sys_seconds> read_created_at(const rapidjson::Value& value,
                                                 const std::string& context) {
  auto text = read_string(value, context);
  if (!text) return tl::unexpected(text.error());
  // parse_iso8601 also takes a bare date, which is not a creation time.
  const auto parsed = text->size() > 10 ? common::parse_iso8601(*text) : std::nullopt;
  if (!parsed) {
    return fail(context + ": " + json::render_scalar(value) +
                " is not an RFC 3339 time (YYYY-MM-DDTHH:MM:SS[.mmm]Z)");
  }
  return *parsed;
}

using HandlesById = std::unordered_map<std::string, std::string>;

// Fills `handles` through a reference: GCC 12 at -O2 reports a false -Wfree-nonheap-object on
// moving a map out of a returned Result<HandlesById>.
Result<void> decode_users(const rapidjson::Value& includes, const std::string& context,
                          HandlesById& handles) {
  if (!includes.IsObject())
    return tl::unexpected(json::type_mismatch(context, "an object", includes));
  const rapidjson::Value* users = find_member(includes, "users");
  if (users == nullptr) return {};
  const std::string users_context = field_context(context, "users");
  if (!users->IsArray())
    return tl::unexpected(json::type_mismatch(users_context, "an array", *users));
  for (rapidjson::SizeType i = 0; i < users->Size(); ++i) {
    const rapidjson::Value& user = (*users)[i];
    const std::string user_context = index_context(users_context, i);
    if (!user.IsObject())
      return tl::unexpected(json::type_mismatch(user_context, "an object", user));
    const rapidjson::Value* id = find_member(user, "id");
    const rapidjson::Value* username = find_member(user, "username");
    // A user without a username cannot name an author; X always sends both.
    if (id == nullptr || username == nullptr) continue;
    auto id_text = read_id_text(*id, field_context(user_context, "id"));
    if (!id_text) return tl::unexpected(id_text.error());
    auto handle = read_string(*username, field_context(user_context, "username"));
    if (!handle) return tl::unexpected(handle.error());
    handles.emplace(std::move(*id_text), std::string(*handle));
  }
  return {};
}

Result<FoundPost> decode_post(const rapidjson::Value& item, const std::string& context,
                              const HandlesById& handles) {
  if (!item.IsObject()) return tl::unexpected(json::type_mismatch(context, "an object", item));
  FoundPost post;
  const rapidjson::Value* id = find_member(item, "id");
  if (id == nullptr) return fail(context + ": has no \"id\"");
  auto post_id = read_post_id(*id, field_context(context, "id"));
  if (!post_id) return tl::unexpected(post_id.error());
  post.id = *post_id;
  const std::string post_context = search_context() + ": post " + wire::format_post_id(post.id);
  if (const rapidjson::Value* created = find_member(item, "created_at")) {
    auto created_at = read_created_at(*created, post_context + ": created_at");
    if (!created_at) return tl::unexpected(created_at.error());
    post.created_at = *created_at;
  }
  if (const rapidjson::Value* author = find_member(item, "author_id")) {
    auto author_id = read_id_text(*author, post_context + ": author_id");
    if (!author_id) return tl::unexpected(author_id.error());
    if (const auto it = handles.find(*author_id); it != handles.end()) {
      post.author_handle = it->second;
    }
    post.author_id = std::move(*author_id);
  }
  return post;
}

Result<void> decode_meta(const rapidjson::Value& meta, const std::string& context,
                         SearchPage& page) {
  if (!meta.IsObject()) return tl::unexpected(json::type_mismatch(context, "an object", meta));
  for (const auto& [field, out] :
       {std::pair{"newest_id", &page.newest_id}, std::pair{"oldest_id", &page.oldest_id}}) {
    if (const rapidjson::Value* value = find_member(meta, field)) {
      auto id = read_post_id(*value, field_context(context, field));
      if (!id) return tl::unexpected(id.error());
      *out = *id;
    }
  }
  if (const rapidjson::Value* value = find_member(meta, "result_count")) {
    auto count = json::read_count(*value, field_context(context, "result_count"));
    if (!count) return tl::unexpected(count.error());
    page.result_count = static_cast<std::size_t>(*count);
  }
  if (const rapidjson::Value* value = find_member(meta, "next_token")) {
    const std::string token_context = field_context(context, "next_token");
    auto token = read_string(*value, token_context);
    if (!token) return tl::unexpected(token.error());
    // An empty token would send the same first page again, forever.
    if (token->empty()) return fail(token_context + ": is empty");
    page.next_token = std::string(*token);
  }
  return {};
}

Result<std::vector<std::string>> decode_partial_errors(const rapidjson::Value& errors,
                                                       const std::string& context) {
  if (!errors.IsArray()) return tl::unexpected(json::type_mismatch(context, "an array", errors));
  std::vector<std::string> messages;
  for (rapidjson::SizeType i = 0; i < errors.Size(); ++i) {
    const rapidjson::Value& error = errors[i];
    std::optional<std::string_view> text;
    if (error.IsString()) {
      text = std::string_view(error.GetString(), error.GetStringLength());
    } else if (error.IsObject()) {
      text = string_member(error, "detail");
      if (!text) text = string_member(error, "message");
    }
    if (!text) {
      return tl::unexpected(json::type_mismatch(
          index_context(context, i), "an object with a string \"detail\" or \"message\"", error));
    }
    messages.emplace_back(*text);
  }
  return messages;
}

}  // namespace

Result<SearchPage> decode_search_page(std::string_view body) {
  const std::string context = search_context();
  auto document = json::parse(body, context);
  if (!document) return tl::unexpected(document.error());
  if (!document->IsObject()) {
    return tl::unexpected(json::type_mismatch(context + ": body", "an object", *document));
  }
  SearchPage page;
  HandlesById handles;
  if (const rapidjson::Value* includes = find_member(*document, "includes")) {
    if (auto users = decode_users(*includes, context + ": includes", handles); !users) {
      return tl::unexpected(users.error());
    }
  }
  if (const rapidjson::Value* data = find_member(*document, "data")) {
    const std::string data_context = context + ": data";
    if (!data->IsArray())
      return tl::unexpected(json::type_mismatch(data_context, "an array", *data));
    page.posts.reserve(data->Size());
    for (rapidjson::SizeType i = 0; i < data->Size(); ++i) {
      auto post = decode_post((*data)[i], index_context(data_context, i), handles);
      if (!post) return tl::unexpected(post.error());
      page.posts.push_back(std::move(*post));
    }
  }
  if (const rapidjson::Value* meta = find_member(*document, "meta")) {
    if (auto decoded = decode_meta(*meta, context + ": meta", page); !decoded) {
      return tl::unexpected(decoded.error());
    }
  }
  if (const rapidjson::Value* errors = find_member(*document, "errors")) {
    auto messages = decode_partial_errors(*errors, context + ": errors");
    if (!messages) return tl::unexpected(messages.error());
    page.errors = std::move(*messages);
  }
  return page;
}

std::string describe_search_problem(long status, std::string_view body) {
  const std::string prefix = search_context() + ": HTTP " + std::to_string(status) + ": ";
  if (const auto document = json::parse(body, search_context()); document && document->IsObject()) {
    const auto title = string_member(*document, "title");
    std::optional<std::string_view> explanation;
    if (const rapidjson::Value* errors = find_member(*document, "errors");
        errors != nullptr && errors->IsArray() && !errors->Empty() && (*errors)[0].IsObject()) {
      explanation = string_member((*errors)[0], "message");
    }
    if (!explanation) explanation = string_member(*document, "detail");
    if (title || explanation) {
      std::string text(title.value_or(""));
      if (explanation && explanation != title) {
        text += (text.empty() ? "" : ": ") + std::string(*explanation);
      }
      return prefix + one_line(text);
    }
  }
  if (body.empty()) return prefix + "(empty body)";
  return prefix + one_line(body, kMaxRawBodyLength);
}

}  // namespace xee::collectors::client

#include "simulator/server/search.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "common/time_format.h"
#include "simulator/server/json_output.h"
#include "wire/api_errors.h"
#include "wire/api_limits.h"

namespace xee::simulator::server {
namespace {

using namespace std::chrono_literals;

constexpr std::array<std::string_view, 15> kKnownParameters{
    "query",        "start_time",  "end_time",         "since_id",     "until_id",
    "max_results",  "next_token",  "pagination_token", "sort_order",   "expansions",
    "tweet.fields", "user.fields", "media.fields",     "place.fields", "poll.fields"};

// X's documented values; the simulator renders id, text, edit_history_tweet_ids, created_at,
// author_id and lang, and accepts the others without adding anything.
constexpr std::array<std::string_view, 22> kTweetFields{"attachments",
                                                        "author_id",
                                                        "context_annotations",
                                                        "conversation_id",
                                                        "created_at",
                                                        "edit_controls",
                                                        "edit_history_tweet_ids",
                                                        "entities",
                                                        "geo",
                                                        "id",
                                                        "in_reply_to_user_id",
                                                        "lang",
                                                        "non_public_metrics",
                                                        "note_tweet",
                                                        "organic_metrics",
                                                        "possibly_sensitive",
                                                        "promoted_metrics",
                                                        "public_metrics",
                                                        "referenced_tweets",
                                                        "reply_settings",
                                                        "text",
                                                        "withheld"};
constexpr std::array<std::string_view, 9> kExpansions{
    "attachments.media_keys", "attachments.poll_ids",       "author_id",
    "edit_history_tweet_ids", "entities.mentions.username", "geo.place_id",
    "in_reply_to_user_id",    "referenced_tweets.id",       "referenced_tweets.id.author_id"};

template <std::size_t N>
std::string join_list(const std::array<std::string_view, N>& items) {
  std::string text;
  for (const auto item : items) text += (text.empty() ? "" : ",") + std::string(item);
  return text;
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

bool is_word(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

SearchProblem problem(std::string parameter, std::string value, std::string message) {
  return SearchProblem{{{std::move(parameter), std::move(value)}}, std::move(message)};
}

SearchProblem unsupported_query_part(std::string_view query, std::string_view part) {
  return problem("query", std::string(query),
                 "Unsupported query syntax '" + std::string(part) +
                     "': the simulator supports #hashtag, from:handle, lang:xx, is:retweet, a "
                     "leading - to negate them, and spaces for AND");
}

// "2026-11-13T00:00Z": the minute precision X's messages show.
std::string minute_text(common::TimePoint t) {
  std::string text = common::format_iso8601(std::chrono::floor<std::chrono::seconds>(t));
  return text.substr(0, 16) + "Z";
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<wire::PostId> parse_id_bound(std::string_view text) {
  if (text.empty() || text.size() > 19 ||
      !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  return parse_unsigned(text);
}

std::vector<std::string_view> split_commas(std::string_view text) {
  std::vector<std::string_view> items;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find(',', pos), text.size());
    items.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return items;
}

template <std::size_t N>
std::optional<SearchProblem> check_list(std::string_view name, std::string_view value,
                                        const std::array<std::string_view, N>& allowed) {
  for (const auto item : split_commas(value)) {
    if (!contains(allowed, item)) {
      return problem(std::string(name), std::string(item),
                     "The `" + std::string(name) + "` query parameter value [" + std::string(item) +
                         "] is not one of [" + join_list(allowed) + "]");
    }
  }
  return std::nullopt;
}

struct RawParams {
  std::optional<std::string> get(std::string_view name) const {
    std::optional<std::string> found;
    for (const auto& [key, value] : params) {
      if (key == name) found = value;
    }
    return found;
  }
  const wire::oauth::Params& params;
};

std::optional<SearchProblem> read_time(const RawParams& raw, std::string_view name,
                                       std::optional<common::TimePoint>& out) {
  const auto text = raw.get(name);
  if (!text) return std::nullopt;
  const auto parsed = common::parse_iso8601(*text);
  if (!parsed || text->size() <= 10) {
    return problem(std::string(name), *text,
                   "The `" + std::string(name) + "` query parameter value [" + *text +
                       "] is not a valid RFC 3339 date-time (YYYY-MM-DDTHH:mm:ssZ)");
  }
  out = common::TimePoint(*parsed);
  return std::nullopt;
}

std::optional<SearchProblem> read_id(const RawParams& raw, std::string_view name,
                                     std::optional<wire::PostId>& out) {
  const auto text = raw.get(name);
  if (!text) return std::nullopt;
  out = parse_id_bound(*text);
  if (!out) {
    return problem(std::string(name), *text,
                   "The `" + std::string(name) + "` query parameter value [" + *text +
                       "] does not match ^[0-9]{1,19}$");
  }
  return std::nullopt;
}

void write_post(JsonWriter& writer, const Post& post, const SearchParams& params) {
  const std::string id = wire::format_post_id(post.id);
  writer.StartObject();
  write_key(writer, "id");
  write_string(writer, id);
  write_key(writer, "text");
  write_string(writer, post.text);
  write_string_array(writer, "edit_history_tweet_ids", {id});
  if (params.with_created_at) {
    write_key(writer, "created_at");
    write_string(writer, common::format_iso8601_millis(post.created));
  }
  if (params.with_author_id) {
    write_key(writer, "author_id");
    write_string(writer, std::to_string(post.author_id));
  }
  if (params.with_lang) {
    write_key(writer, "lang");
    write_string(writer, post.lang);
  }
  writer.EndObject();
}

// Users of the page, once each, in order of first appearance. The simulator knows handles only,
// so `name` repeats the handle.
void write_author_includes(JsonWriter& writer, const std::vector<Post>& page) {
  std::vector<std::uint64_t> seen;
  write_key(writer, "includes");
  writer.StartObject();
  write_key(writer, "users");
  writer.StartArray();
  for (const Post& post : page) {
    if (std::find(seen.begin(), seen.end(), post.author_id) != seen.end()) continue;
    seen.push_back(post.author_id);
    writer.StartObject();
    write_key(writer, "id");
    write_string(writer, std::to_string(post.author_id));
    write_key(writer, "name");
    write_string(writer, post.author_handle);
    write_key(writer, "username");
    write_string(writer, post.author_handle);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
}

}  // namespace

std::string invalid_request_body(const SearchProblem& problem) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  write_key(writer, "errors");
  writer.StartArray();
  writer.StartObject();
  write_key(writer, "parameters");
  writer.StartObject();
  for (const auto& [name, value] : problem.parameters) write_string_array(writer, name, {value});
  writer.EndObject();
  write_key(writer, "message");
  write_string(writer, problem.message);
  writer.EndObject();
  writer.EndArray();
  write_key(writer, "title");
  write_string(writer, wire::kProblemInvalidRequestTitle);
  write_key(writer, "detail");
  write_string(writer, wire::kProblemInvalidRequestDetail);
  write_key(writer, "type");
  write_string(writer, wire::kProblemInvalidRequestType);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

tl::expected<SearchQuery, SearchProblem> parse_search_query(std::string_view query) {
  SearchQuery parsed;
  bool any_positive = false;
  std::size_t pos = 0;
  while (pos < query.size()) {
    if (query[pos] == ' ') {
      ++pos;
      continue;
    }
    const std::size_t end = std::min(query.find(' ', pos), query.size());
    const std::string_view token = query.substr(pos, end - pos);
    pos = end;
    SearchTerm term;
    std::string_view body = token;
    if (body.starts_with('-')) {
      term.negated = true;
      body.remove_prefix(1);
    }
    if (body.starts_with('#') && is_word(body.substr(1))) {
      term.kind = SearchTerm::Kind::hashtag;
      term.value = std::string(body.substr(1));
    } else if (body.starts_with("from:") && is_word(body.substr(5))) {
      term.kind = SearchTerm::Kind::from;
      term.value = std::string(body.substr(5));
    } else if (body.starts_with("lang:") && is_word(body.substr(5))) {
      term.kind = SearchTerm::Kind::lang;
      term.value = std::string(body.substr(5));
    } else if (body == "is:retweet") {
      term.kind = SearchTerm::Kind::is_retweet;
    } else {
      return tl::unexpected(unsupported_query_part(query, token));
    }
    any_positive = any_positive || !term.negated;
    parsed.terms.push_back(std::move(term));
  }
  if (!any_positive) {
    return tl::unexpected(problem("query", std::string(query),
                                  "The query must contain at least one term that is not negated"));
  }
  return parsed;
}

bool matches(const SearchQuery& query, const Post& post) {
  for (const SearchTerm& term : query.terms) {
    bool hit = false;
    switch (term.kind) {
      case SearchTerm::Kind::hashtag:
        hit = std::any_of(post.hashtags.begin(), post.hashtags.end(),
                          [&](const std::string& tag) { return iequal(tag, term.value); });
        break;
      case SearchTerm::Kind::from:
        hit = iequal(post.author_handle, term.value);
        break;
      case SearchTerm::Kind::lang:
        hit = iequal(post.lang, term.value);
        break;
      case SearchTerm::Kind::is_retweet:
        hit = false;
        break;
    }
    if (hit == term.negated) return false;
  }
  return true;
}

std::string encode_page_token(const PageToken& token) {
  std::array<char, 49> text{};
  std::snprintf(text.data(), text.size(), "%016llx%016llx%016llx",
                static_cast<unsigned long long>(token.lower.time_since_epoch().count()),
                static_cast<unsigned long long>(token.upper.time_since_epoch().count()),
                static_cast<unsigned long long>(token.last_id));
  return text.data();
}

std::optional<PageToken> decode_page_token(std::string_view text) {
  if (text.size() != 48) return std::nullopt;
  std::array<std::uint64_t, 3> parts{};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string_view hex = text.substr(i * 16, 16);
    if (!std::all_of(hex.begin(), hex.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
      return std::nullopt;
    }
    std::from_chars(hex.data(), hex.data() + hex.size(), parts[i], 16);
  }
  return PageToken{common::TimePoint(common::Millis(static_cast<std::int64_t>(parts[0]))),
                   common::TimePoint(common::Millis(static_cast<std::int64_t>(parts[1]))),
                   parts[2]};
}

tl::expected<SearchParams, SearchProblem> parse_search_params(const wire::oauth::Params& params,
                                                              common::TimePoint now) {
  const RawParams raw{params};
  for (const auto& [name, value] : params) {
    if (!contains(kKnownParameters, name)) {
      return tl::unexpected(problem(name, value,
                                    "The query parameter [" + name + "] is not one of [" +
                                        join_list(kKnownParameters) + "]"));
    }
  }
  SearchParams out;
  const auto query = raw.get("query");
  if (!query || query->empty()) {
    return tl::unexpected(
        problem("query", query.value_or(""), "The `query` query parameter can not be empty"));
  }
  if (query->size() > wire::kSearchMaxQueryLength) {
    return tl::unexpected(problem("query", *query,
                                  "The `query` query parameter value is longer than " +
                                      std::to_string(wire::kSearchMaxQueryLength) + " characters"));
  }
  auto parsed_query = parse_search_query(*query);
  if (!parsed_query) return tl::unexpected(parsed_query.error());
  out.query = std::move(*parsed_query);

  if (const auto text = raw.get("max_results")) {
    const auto value = parse_unsigned(*text);
    if (!value || *value < wire::kSearchMinResults || *value > wire::kSearchMaxResults) {
      return tl::unexpected(problem("max_results", *text, wire::search_max_results_message(*text)));
    }
    out.max_results = static_cast<std::size_t>(*value);
  }
  if (const auto order = raw.get("sort_order");
      order && *order != "recency" && *order != "relevancy") {
    return tl::unexpected(problem("sort_order", *order,
                                  "The `sort_order` query parameter value [" + *order +
                                      "] is not one of [recency,relevancy]"));
  }
  if (const auto fields = raw.get("tweet.fields")) {
    if (auto bad = check_list("tweet.fields", *fields, kTweetFields)) return tl::unexpected(*bad);
    for (const auto field : split_commas(*fields)) {
      out.with_created_at = out.with_created_at || field == "created_at";
      out.with_author_id = out.with_author_id || field == "author_id";
      out.with_lang = out.with_lang || field == "lang";
    }
  }
  if (const auto expansions = raw.get("expansions")) {
    if (auto bad = check_list("expansions", *expansions, kExpansions)) return tl::unexpected(*bad);
    for (const auto expansion : split_commas(*expansions)) {
      out.expand_author = out.expand_author || expansion == "author_id";
    }
  }

  std::optional<common::TimePoint> start_time;
  std::optional<common::TimePoint> end_time;
  if (auto bad = read_time(raw, "start_time", start_time)) return tl::unexpected(*bad);
  if (auto bad = read_time(raw, "end_time", end_time)) return tl::unexpected(*bad);
  if (auto bad = read_id(raw, "since_id", out.since_id)) return tl::unexpected(*bad);
  if (auto bad = read_id(raw, "until_id", out.until_id)) return tl::unexpected(*bad);
  if (out.since_id && start_time) {
    return tl::unexpected(
        SearchProblem{{{"since_id", *raw.get("since_id")}, {"start_time", *raw.get("start_time")}},
                      "The `since_id` and `start_time` query parameters can not "
                      "be used together"});
  }
  if (out.until_id && end_time) {
    return tl::unexpected(
        SearchProblem{{{"until_id", *raw.get("until_id")}, {"end_time", *raw.get("end_time")}},
                      "The `until_id` and `end_time` query parameters can not "
                      "be used together"});
  }
  const common::TimePoint earliest = now - wire::kSearchWindow;
  if (start_time && *start_time < earliest) {
    return tl::unexpected(problem("start_time", *raw.get("start_time"),
                                  "Invalid 'start_time':'" + *raw.get("start_time") +
                                      "'. 'start_time' must be on or after " +
                                      minute_text(earliest)));
  }
  if (end_time && *end_time > now - 10s) {
    return tl::unexpected(problem("end_time", *raw.get("end_time"),
                                  "Invalid 'end_time':'" + *raw.get("end_time") +
                                      "'. 'end_time' must be a minimum of 10 seconds prior to the "
                                      "request time."));
  }
  out.lower = start_time.value_or(earliest);
  out.upper = end_time.value_or(now - wire::kSearchDefaultEndLag);
  if (out.lower >= out.upper) {
    return tl::unexpected(SearchProblem{
        {{"start_time", minute_text(out.lower)}, {"end_time", minute_text(out.upper)}},
        "Invalid 'start_time':'" + minute_text(out.lower) +
            "'. 'start_time' must be before 'end_time':'" + minute_text(out.upper) + "'"});
  }

  const auto next_token = raw.get("next_token");
  const auto pagination_token = raw.get("pagination_token");
  if (next_token && pagination_token) {
    return tl::unexpected(
        SearchProblem{{{"next_token", *next_token}, {"pagination_token", *pagination_token}},
                      "Only one of `next_token` and `pagination_token` may be "
                      "given"});
  }
  if (const auto token_text = next_token ? next_token : pagination_token) {
    const auto token = decode_page_token(*token_text);
    const std::string name = next_token ? "next_token" : "pagination_token";
    if (!token) {
      return tl::unexpected(problem(name, *token_text,
                                    "The `" + name + "` query parameter value [" + *token_text +
                                        "] is not a valid pagination token"));
    }
    out.lower = token->lower;
    out.upper = token->upper;
    out.below_id = token->last_id;
  }
  return out;
}

std::string search_recent(const World& world, const SearchParams& params,
                          const std::set<wire::PostId>& deleted) {
  std::vector<Post> page;
  bool more = false;
  for (Post& post : world.posts_between(params.lower, params.upper)) {
    if (deleted.contains(post.id) || !matches(params.query, post)) continue;
    if (params.since_id && post.id <= *params.since_id) continue;
    if (params.until_id && post.id >= *params.until_id) continue;
    if (params.below_id && post.id >= *params.below_id) continue;
    if (page.size() == params.max_results) {
      more = true;
      break;
    }
    page.push_back(std::move(post));
  }

  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  if (!page.empty()) {
    write_key(writer, "data");
    writer.StartArray();
    for (const Post& post : page) write_post(writer, post, params);
    writer.EndArray();
    if (params.expand_author) write_author_includes(writer, page);
  }
  write_key(writer, "meta");
  writer.StartObject();
  if (!page.empty()) {
    write_key(writer, "newest_id");
    write_string(writer, wire::format_post_id(page.front().id));
    write_key(writer, "oldest_id");
    write_string(writer, wire::format_post_id(page.back().id));
  }
  write_key(writer, "result_count");
  writer.Uint64(page.size());
  if (more) {
    write_key(writer, "next_token");
    write_string(writer, encode_page_token({params.lower, params.upper, page.back().id}));
  }
  writer.EndObject();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace xee::simulator::server

#include "simulator/server/search.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "tests/simulator/server/demo_world_fixture.h"

namespace xee::simulator::server {
namespace {

using namespace std::chrono_literals;
using testing::at;
using testing::demo;
using testing::kClockStart;
using testing::parse_json;
using Kind = SearchTerm::Kind;

std::string problem_message(const tl::expected<SearchParams, SearchProblem>& result) {
  EXPECT_FALSE(result);
  return result ? "" : result.error().message;
}

tl::expected<SearchParams, SearchProblem> params(wire::oauth::Params query,
                                                 common::TimePoint now = kClockStart) {
  return parse_search_params(query, now);
}

std::vector<Post> expected_matches(std::string_view query, common::TimePoint lower,
                                   common::TimePoint upper) {
  const SearchQuery parsed = parse_search_query(query).value();
  std::vector<Post> out;
  for (Post& post : demo().posts_between(lower, upper)) {
    if (matches(parsed, post)) out.push_back(std::move(post));
  }
  return out;
}

TEST(SearchQueryParser, ReadsTheSupportedOperatorsAndNegation) {
  const auto query =
      parse_search_query("#launchday  -is:retweet from:acme -#acmecloud lang:en -from:globex");
  ASSERT_TRUE(query);
  EXPECT_EQ(query->terms, (std::vector<SearchTerm>{{Kind::hashtag, "launchday", false},
                                                   {Kind::is_retweet, "", true},
                                                   {Kind::from, "acme", false},
                                                   {Kind::hashtag, "acmecloud", true},
                                                   {Kind::lang, "en", false},
                                                   {Kind::from, "globex", true}}));
}

TEST(SearchQueryParser, NamesTheUnsupportedPart) {
  const std::string suffix =
      "': the simulator supports #hashtag, from:handle, lang:xx, is:retweet, a leading - to "
      "negate them, and spaces for AND";
  EXPECT_EQ(parse_search_query("#a OR #b").error().message,
            "Unsupported query syntax 'OR" + suffix);
  EXPECT_EQ(parse_search_query("(#a #b)").error().message,
            "Unsupported query syntax '(#a" + suffix);
  EXPECT_EQ(parse_search_query("#a hello").error().message,
            "Unsupported query syntax 'hello" + suffix);
  EXPECT_EQ(parse_search_query("#a has:media").error().message,
            "Unsupported query syntax 'has:media" + suffix);
  EXPECT_EQ(parse_search_query("#a \"exact phrase\"").error().message,
            "Unsupported query syntax '\"exact" + suffix);
  EXPECT_EQ(parse_search_query("-is:retweet -#a").error().message,
            "The query must contain at least one term that is not negated");
  EXPECT_EQ(parse_search_query("#a OR #b").error().parameters,
            (std::vector<std::pair<std::string, std::string>>{{"query", "#a OR #b"}}));
}

TEST(SearchQueryMatcher, MatchesHashtagsAndHandlesCaseInsensitivelyAndNoRetweets) {
  Post post;
  post.author_handle = "acme";
  post.hashtags = {"LaunchDay"};
  post.lang = "en";
  EXPECT_TRUE(matches(parse_search_query("#launchday").value(), post));
  EXPECT_TRUE(matches(parse_search_query("from:ACME -is:retweet lang:en").value(), post));
  EXPECT_FALSE(matches(parse_search_query("#launchday -from:acme").value(), post));
  EXPECT_FALSE(matches(parse_search_query("#launch").value(), post));
  EXPECT_FALSE(matches(parse_search_query("is:retweet").value(), post));
  EXPECT_FALSE(matches(parse_search_query("#launchday lang:es").value(), post));
}

TEST(SearchParams, RefusesMaxResultsOutsideTenToHundredWithXsExactBody) {
  const auto result = params({{"query", "#xapi"}, {"max_results", "5"}});
  ASSERT_FALSE(result);
  EXPECT_EQ(
      invalid_request_body(result.error()),
      R"({"errors":[{"parameters":{"max_results":["5"]},"message":"The `max_results` query )"
      R"(parameter value [5] is not between 10 and 100"}],"title":"Invalid Request","detail":)"
      R"("One or more parameters to your request was invalid.","type":)"
      R"("https://api.x.com/2/problems/invalid-request"})");
  EXPECT_EQ(problem_message(params({{"query", "#xapi"}, {"max_results", "101"}})),
            "The `max_results` query parameter value [101] is not between 10 and 100");
  EXPECT_EQ(params({{"query", "#xapi"}}).value().max_results, 10u);
  EXPECT_EQ(params({{"query", "#xapi"}, {"max_results", "100"}}).value().max_results, 100u);
}

TEST(SearchParams, DefaultsToTheLastSevenDaysEndingThirtySecondsAgo) {
  const auto parsed = params({{"query", "#xapi"}});
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->lower, kClockStart - std::chrono::days(7));
  EXPECT_EQ(parsed->upper, kClockStart - 30s);
}

TEST(SearchParams, RefusesWhatXRefuses) {
  EXPECT_EQ(problem_message(params({})), "The `query` query parameter can not be empty");
  EXPECT_EQ(problem_message(params({{"query", std::string(4097, 'a')}})),
            "The `query` query parameter value is longer than 4096 characters");
  EXPECT_EQ(problem_message(params(
                {{"query", "#a"}, {"since_id", "1"}, {"start_time", "2026-11-19T00:00:00Z"}})),
            "The `since_id` and `start_time` query parameters can not be used together");
  EXPECT_EQ(problem_message(
                params({{"query", "#a"}, {"until_id", "1"}, {"end_time", "2026-11-19T00:00:00Z"}})),
            "The `until_id` and `end_time` query parameters can not be used together");
  EXPECT_EQ(problem_message(params({{"query", "#a"}, {"start_time", "2026-11-12T23:59:59Z"}})),
            "Invalid 'start_time':'2026-11-12T23:59:59Z'. 'start_time' must be on or after "
            "2026-11-13T00:00Z");
  EXPECT_EQ(problem_message(params({{"query", "#a"}, {"end_time", "2026-11-19T23:59:55Z"}})),
            "Invalid 'end_time':'2026-11-19T23:59:55Z'. 'end_time' must be a minimum of 10 seconds "
            "prior to the request time.");
  EXPECT_EQ(problem_message(params({{"query", "#a"}, {"since_id", "12a"}})),
            "The `since_id` query parameter value [12a] does not match ^[0-9]{1,19}$");
  EXPECT_EQ(problem_message(
                params({{"query", "#a"}, {"next_token", "abc"}, {"pagination_token", "abc"}})),
            "Only one of `next_token` and `pagination_token` may be given");
  EXPECT_EQ(problem_message(params({{"query", "#a"}, {"next_token", "abc"}})),
            "The `next_token` query parameter value [abc] is not a valid pagination token");
  EXPECT_EQ(
      problem_message(params({{"query", "#a"}, {"tweet.fields", "created_at,mood"}})),
      "The `tweet.fields` query parameter value [mood] is not one of [attachments,author_id,"
      "context_annotations,conversation_id,created_at,edit_controls,edit_history_tweet_ids,"
      "entities,geo,id,in_reply_to_user_id,lang,non_public_metrics,note_tweet,organic_metrics,"
      "possibly_sensitive,promoted_metrics,public_metrics,referenced_tweets,reply_settings,"
      "text,withheld]");
  EXPECT_EQ(problem_message(params({{"query", "#a"}, {"colour", "red"}})).substr(0, 40),
            "The query parameter [colour] is not one ");
}

TEST(PageToken, RoundTripsAndRejectsAnythingElse) {
  const PageToken token{at("2026-11-13T00:00:00Z"), at("2026-11-19T23:59:30Z"),
                        2123565960884390364u};
  const std::string text = encode_page_token(token);
  EXPECT_EQ(text.size(), 48u);
  EXPECT_EQ(decode_page_token(text), token);
  EXPECT_EQ(decode_page_token(text.substr(1)), std::nullopt);
  EXPECT_EQ(decode_page_token(std::string(48, 'z')), std::nullopt);
}

TEST(SearchRecent, ReturnsNewestFirstWithMetaAndAskedFields) {
  const auto parsed = params({{"query", "from:acme"},
                              {"tweet.fields", "created_at,author_id,lang"},
                              {"expansions", "author_id"}});
  const auto json = parse_json(search_recent(demo(), parsed.value(), {}));
  const auto all =
      expected_matches("from:acme", kClockStart - std::chrono::days(7), kClockStart - 30s);
  ASSERT_GT(all.size(), 10u);
  ASSERT_EQ(json["data"].Size(), 10u);
  for (rapidjson::SizeType i = 0; i < 10; ++i) {
    const auto& item = json["data"][i];
    EXPECT_EQ(std::string(item["id"].GetString()), wire::format_post_id(all[i].id));
    EXPECT_EQ(std::string(item["text"].GetString()), all[i].text);
    EXPECT_EQ(std::string(item["edit_history_tweet_ids"][0].GetString()),
              wire::format_post_id(all[i].id));
    EXPECT_EQ(std::string(item["created_at"].GetString()),
              common::format_iso8601_millis(all[i].created));
    EXPECT_STREQ(item["author_id"].GetString(), "1000001");
    EXPECT_STREQ(item["lang"].GetString(), "en");
  }
  ASSERT_EQ(json["includes"]["users"].Size(), 1u);
  EXPECT_STREQ(json["includes"]["users"][0]["id"].GetString(), "1000001");
  EXPECT_STREQ(json["includes"]["users"][0]["username"].GetString(), "acme");
  EXPECT_EQ(std::string(json["meta"]["newest_id"].GetString()), wire::format_post_id(all[0].id));
  EXPECT_EQ(std::string(json["meta"]["oldest_id"].GetString()), wire::format_post_id(all[9].id));
  EXPECT_EQ(json["meta"]["result_count"].GetUint(), 10u);
  EXPECT_TRUE(json["meta"].HasMember("next_token"));
}

TEST(SearchRecent, DefaultFieldsOnlyAndAnEmptyResultHasOnlyMeta) {
  const auto json = parse_json(search_recent(demo(), params({{"query", "#xapi"}}).value(), {}));
  EXPECT_EQ(testing::keys_of(json["data"][0]),
            (std::vector<std::string>{"id", "text", "edit_history_tweet_ids"}));
  EXPECT_EQ(search_recent(demo(), params({{"query", "#nosuchtag"}}).value(), {}),
            R"({"meta":{"result_count":0}})");
}

TEST(SearchRecent, SinceAndUntilIdsAreExclusiveAndDeletedPostsAreGone) {
  const auto all = expected_matches("#xapi", kClockStart - std::chrono::days(7), kClockStart - 30s);
  ASSERT_GT(all.size(), 30u);
  const auto between = params({{"query", "#xapi"},
                               {"since_id", wire::format_post_id(all[20].id)},
                               {"until_id", wire::format_post_id(all[10].id)},
                               {"max_results", "100"}});
  const auto json = parse_json(search_recent(demo(), between.value(), {all[12].id}));
  std::vector<std::string> ids;
  for (const auto& item : json["data"].GetArray()) ids.emplace_back(item["id"].GetString());
  std::vector<std::string> expected;
  for (int i = 11; i < 20; ++i) {
    if (i != 12) expected.push_back(wire::format_post_id(all[i].id));
  }
  EXPECT_EQ(ids, expected);
  EXPECT_FALSE(json["meta"].HasMember("next_token"));
}

TEST(SearchRecent, PaginationCoversEachMatchingPostOnceWhileTheClockMovesOn) {
  common::TimePoint now = kClockStart;
  const auto expected = expected_matches("#xapi", now - std::chrono::days(7), now - 30s);
  ASSERT_GT(expected.size(), 300u);
  std::vector<wire::PostId> seen;
  std::optional<std::string> token;
  int pages = 0;
  do {
    wire::oauth::Params query{{"query", "#xapi"}, {"max_results", "100"}};
    if (token) query.emplace_back("next_token", *token);
    const auto json = parse_json(search_recent(demo(), params(query, now).value(), {}));
    for (const auto& item : json["data"].GetArray())
      seen.push_back(std::stoull(item["id"].GetString()));
    token.reset();
    if (json["meta"].HasMember("next_token")) token = json["meta"]["next_token"].GetString();
    now += std::chrono::minutes(45);  // new #xapi Posts appear between pages
    ++pages;
  } while (token && pages < 100);
  std::vector<wire::PostId> expected_ids;
  for (const Post& post : expected) expected_ids.push_back(post.id);
  EXPECT_EQ(seen, expected_ids);
  EXPECT_EQ(pages, static_cast<int>((expected.size() + 99) / 100));
}

}  // namespace
}  // namespace xee::simulator::server

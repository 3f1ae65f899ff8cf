// Recent-search bodies recorded from x_api_simulator (demo world, clock frozen at
// 2026-11-20T00:00:00Z) and hand-written malformed ones under fixtures/search/.

#include "collectors/client/search_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/time_format.h"
#include "tests/collectors/client/fixture.h"

namespace xee::collectors::client {
namespace {

using testing::read_fixture;

std::chrono::sys_seconds at(std::string_view iso) {
  return common::parse_iso8601(iso).value();
}

std::string search_fixture(std::string_view name) {
  return read_fixture("search/" + std::string(name));
}

std::string error_of(const Result<SearchPage>& page) {
  return page ? "(decoded " + std::to_string(page->posts.size()) + " posts)" : page.error().message;
}

TEST(DecodeSearchPage, FirstPageOfManyWithAuthorsAndNextToken) {
  // GET …?query=%23launchday%20-is%3Aretweet&max_results=10&tweet.fields=created_at,author_id&
  // expansions=author_id&user.fields=username
  const auto page = decode_search_page(search_fixture("page_with_next_token.json"));
  ASSERT_TRUE(page) << page.error().message;
  const std::vector<FoundPost> expected{
      {2123565960884390364u, at("2026-11-19T23:55:53Z"), "9000002232", "user_2232"},
      {2123564812693668864u, at("2026-11-19T23:51:19Z"), "9000002970", "user_2970"},
      {2123563693934380727u, at("2026-11-19T23:46:53Z"), "9000000142", "user_142"},
      {2123562507109927531u, at("2026-11-19T23:42:10Z"), "9000004507", "user_4507"},
      {2123561146892946260u, at("2026-11-19T23:36:45Z"), "9000003729", "user_3729"},
      {2123559953965779885u, at("2026-11-19T23:32:01Z"), "9000001980", "user_1980"},
      {2123558371261943647u, at("2026-11-19T23:25:44Z"), "9000004151", "user_4151"},
      {2123557554555454916u, at("2026-11-19T23:22:29Z"), "9000001453", "user_1453"},
      {2123555863147842837u, at("2026-11-19T23:15:46Z"), "9000003244", "user_3244"},
      {2123554636464918412u, at("2026-11-19T23:10:53Z"), "9000004816", "user_4816"},
  };
  EXPECT_EQ(page->posts, expected);
  EXPECT_EQ(page->newest_id, 2123565960884390364u);
  EXPECT_EQ(page->oldest_id, 2123554636464918412u);
  EXPECT_EQ(page->result_count, 10u);
  EXPECT_EQ(page->next_token, "000001a1d2343800000001a1f64046d01d7861b0d7a00f8c");
  EXPECT_TRUE(page->errors.empty());
}

TEST(DecodeSearchPage, LastPageHasNoNextToken) {
  // The third page of from:globex at max_results=10 (21 Posts).
  const auto page = decode_search_page(search_fixture("last_page.json"));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->posts, (std::vector<FoundPost>{{2121083617210799041u, at("2026-11-13T03:31:56Z"),
                                                  "1000002", "globex"}}));
  EXPECT_EQ(page->newest_id, 2121083617210799041u);
  EXPECT_EQ(page->oldest_id, 2121083617210799041u);
  EXPECT_EQ(page->result_count, 1u);
  EXPECT_EQ(page->next_token, std::nullopt);
}

TEST(DecodeSearchPage, NoDataMeansNoPosts) {
  const auto page = decode_search_page(search_fixture("empty.json"));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_TRUE(page->posts.empty());
  EXPECT_EQ(page->result_count, 0u);
  EXPECT_EQ(page->newest_id, std::nullopt);
  EXPECT_EQ(page->oldest_id, std::nullopt);
  EXPECT_EQ(page->next_token, std::nullopt);
}

TEST(DecodeSearchPage, PartialErrorsKeepDetailElseMessage) {
  const auto page = decode_search_page(search_fixture("partial_errors.json"));
  ASSERT_TRUE(page) << page.error().message;
  // The author's user object is missing, so the handle is unknown but the Post is kept.
  EXPECT_EQ(page->posts,
            (std::vector<FoundPost>{{2123565960884390364u, std::nullopt, "9000002232", ""}}));
  EXPECT_EQ(page->errors, (std::vector<std::string>{"Could not find user with id: [9000002232].",
                                                    "Some requested fields were withheld"}));
}

TEST(DecodeSearchPage, WithoutExpansionsPostsHaveOnlyIds) {
  const auto page = decode_search_page(R"({"data":[{"id":"20","text":"#launchday"}]})");
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->posts, (std::vector<FoundPost>{{20u, std::nullopt, std::nullopt, ""}}));
  EXPECT_EQ(page->result_count, 0u);
}

TEST(DecodeSearchPage, MalformedFixturesNameTheFieldAndValue) {
  EXPECT_EQ(error_of(decode_search_page(search_fixture("bad_id.json"))),
            "search: data[1].id: \"21235648126936688x4\" is not an ID (a string of 1 to 19 "
            "digits)");
  EXPECT_EQ(error_of(decode_search_page(search_fixture("truncated.json"))),
            "search: JSON body ends early at offset 1300: Missing a colon after a name of object "
            "member.");
  EXPECT_EQ(error_of(decode_search_page(search_fixture("data_not_array.json"))),
            "search: data: expected an array, got an object");
}

TEST(DecodeSearchPage, RefusesIdsThatAreNotDigitStrings) {
  EXPECT_EQ(error_of(decode_search_page(R"({"data":[{"id":2123565960884390364}]})")),
            "search: data[0].id: expected a string of 1 to 19 digits, got a number");
  EXPECT_EQ(error_of(decode_search_page(R"({"data":[{"id":"21235659608843903641"}]})")),
            "search: data[0].id: \"21235659608843903641\" is not an ID (a string of 1 to 19 "
            "digits)");
  EXPECT_EQ(error_of(decode_search_page(R"({"data":[{"id":"0123"}]})")),
            "search: data[0].id: \"0123\" is not a Post ID");
  EXPECT_EQ(error_of(decode_search_page(R"({"data":[{"text":"#launchday"}]})")),
            "search: data[0]: has no \"id\"");
  EXPECT_EQ(error_of(decode_search_page(R"({"data":[{"id":"20","author_id":"-7"}]})")),
            "search: post 20: author_id: \"-7\" is not an ID (a string of 1 to 19 digits)");
  EXPECT_EQ(error_of(decode_search_page(R"({"meta":{"newest_id":"x","result_count":0}})")),
            "search: meta.newest_id: \"x\" is not an ID (a string of 1 to 19 digits)");
  EXPECT_EQ(error_of(decode_search_page(R"({"includes":{"users":[{"id":"1e3","username":"a"}]}})")),
            "search: includes.users[0].id: \"1e3\" is not an ID (a string of 1 to 19 digits)");
}

TEST(DecodeSearchPage, RefusesOtherMalformedFields) {
  EXPECT_EQ(error_of(decode_search_page(R"({"data":[{"id":"20","created_at":"2026-11-19"}]})")),
            "search: post 20: created_at: \"2026-11-19\" is not an RFC 3339 time "
            "(YYYY-MM-DDTHH:MM:SS[.mmm]Z)");
  EXPECT_EQ(error_of(decode_search_page(R"({"meta":{"result_count":-1}})")),
            "search: meta.result_count: value -1 is not a non-negative integer");
  EXPECT_EQ(error_of(decode_search_page(R"({"meta":{"next_token":""}})")),
            "search: meta.next_token: is empty");
  EXPECT_EQ(error_of(decode_search_page(R"({"errors":[{"code":1}]})")),
            "search: errors[0]: expected an object with a string \"detail\" or \"message\", got "
            "an object");
  EXPECT_EQ(error_of(decode_search_page("[]")), "search: body: expected an object, got an array");
}

TEST(DescribeSearchProblem, InvalidRequestNamesTheParameterProblem) {
  EXPECT_EQ(describe_search_problem(400, search_fixture("problem_400.json")),
            "search: HTTP 400: Invalid Request: The `max_results` query parameter value [5] is not "
            "between 10 and 100");
}

TEST(DescribeSearchProblem, DetailRepeatingTheTitleIsShownOnce) {
  EXPECT_EQ(describe_search_problem(429, search_fixture("problem_429.json")),
            "search: HTTP 429: Too Many Requests");
  EXPECT_EQ(describe_search_problem(
                403, R"({"title":"Forbidden","detail":"Your client app is not configured."})"),
            "search: HTTP 403: Forbidden: Your client app is not configured.");
  EXPECT_EQ(
      describe_search_problem(429, R"({"errors":[{"code":88,"message":"Rate limit exceeded"}]})"),
      "search: HTTP 429: Rate limit exceeded");
}

TEST(DescribeSearchProblem, OtherBodiesAreShownCutAndOnOneLine) {
  const std::string page = "<html>\n<body>" + std::string(300, 'x') + "</body></html>";
  EXPECT_EQ(describe_search_problem(503, page),
            "search: HTTP 503: <html> <body>" + std::string(187, 'x') + "...");
  EXPECT_EQ(describe_search_problem(502, ""), "search: HTTP 502: (empty body)");
  EXPECT_EQ(describe_search_problem(500, "[1,2]"), "search: HTTP 500: [1,2]");
}

}  // namespace
}  // namespace xee::collectors::client

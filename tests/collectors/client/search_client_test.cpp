// The search client's request bytes and its mapping of answers to ApiResults, over a fake
// transport. search_client_simulator_test.cpp runs it against the real simulator.

#include "collectors/client/search_client.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/time_format.h"
#include "tests/collectors/client/fake_transport.h"
#include "tests/collectors/client/fixture.h"

namespace xee::collectors::client {
namespace {

using testing::FakeTransport;
using testing::read_fixture;

constexpr std::string_view kFieldsQuery =
    "tweet.fields=created_at%2Cauthor_id&expansions=author_id&user.fields=username";

SearchRequest launchday_request() {
  SearchRequest request;
  request.query = "#launchday -is:retweet";
  request.max_results = 100;
  request.auth.token = "demo-bearer-token";
  return request;
}

TEST(SearchUrlQuery, EncodesEveryValueInTheDocumentedOrder) {
  EXPECT_EQ(search_url_query(launchday_request()),
            "query=%23launchday%20-is%3Aretweet&max_results=100&" + std::string(kFieldsQuery));
}

TEST(SearchUrlQuery, EncodesQuotesParenthesesAndUtf8) {
  SearchRequest request = launchday_request();
  request.query = "#xapi (lang:es OR lang:en) \"caf\xC3\xA9\" from:acme_1";
  EXPECT_EQ(search_url_query(request),
            "query=%23xapi%20%28lang%3Aes%20OR%20lang%3Aen%29%20%22caf%C3%A9%22%20from%3Aacme_1&"
            "max_results=100&" +
                std::string(kFieldsQuery));
}

TEST(SearchUrlQuery, SinceIdWinsOverStartTime) {
  SearchRequest request = launchday_request();
  request.max_results = 10;
  request.start_time = common::parse_iso8601("2026-11-13T00:00:00Z").value();
  EXPECT_EQ(
      search_url_query(request),
      "query=%23launchday%20-is%3Aretweet&max_results=10&start_time=2026-11-13T00%3A00%3A00Z&" +
          std::string(kFieldsQuery));
  request.since_id = 2123554636464918412u;
  EXPECT_EQ(search_url_query(request),
            "query=%23launchday%20-is%3Aretweet&max_results=10&since_id=2123554636464918412&" +
                std::string(kFieldsQuery));
}

TEST(SearchUrlQuery, NextTokenFollowsTheBounds) {
  SearchRequest request = launchday_request();
  request.since_id = 20;
  request.next_token = "b26v89c19zqg8o3fo7gesq314yb9l2l4ptqy";
  EXPECT_EQ(search_url_query(request),
            "query=%23launchday%20-is%3Aretweet&max_results=100&since_id=20&"
            "next_token=b26v89c19zqg8o3fo7gesq314yb9l2l4ptqy&" +
                std::string(kFieldsQuery));
}

class SearchClientTest : public ::testing::Test {
 protected:
  FakeTransport transport;
  SearchClient client{transport, "http://127.0.0.1:10880/"};
};

TEST_F(SearchClientTest, SendsOneBearerGet) {
  transport.reply(200, read_fixture("search/empty.json"));
  client.search_recent(launchday_request());
  ASSERT_EQ(transport.requests.size(), 1u);
  const HttpRequest& sent = transport.requests[0];
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.url,
            "http://127.0.0.1:10880/2/tweets/search/recent?query=%23launchday%20-is%3Aretweet&"
            "max_results=100&" +
                std::string(kFieldsQuery));
  EXPECT_EQ(sent.headers,
            (std::vector<std::pair<std::string, std::string>>{
                {"Authorization", "Bearer demo-bearer-token"}, {"Accept-Encoding", "gzip"}}));
  EXPECT_EQ(sent.body, "");
}

TEST_F(SearchClientTest, DecodesThePageAndReadsTheWindowHeaders) {
  transport.reply(200, read_fixture("search/last_page.json"),
                  {{"x-rate-limit-limit", "450"},
                   {"x-rate-limit-remaining", "449"},
                   {"x-rate-limit-reset", "1795133700"}});
  const auto result = client.search_recent(launchday_request());
  ASSERT_TRUE(result.value) << result.value.error().message;
  EXPECT_EQ(result.value->posts,
            (std::vector<FoundPost>{{2121083617210799041u,
                                     common::parse_iso8601("2026-11-13T03:31:56Z").value(),
                                     "1000002", "globex"}}));
  EXPECT_EQ(result.exchange.endpoint, wire::Endpoint::recent_search);
  EXPECT_EQ(result.exchange.http_status, 200);
  EXPECT_EQ(result.exchange.rate_limit.window_limit, 450);
  EXPECT_EQ(result.exchange.rate_limit.window_remaining, 449);
  EXPECT_EQ(result.exchange.rate_limit.window_reset_unix, 1795133700);
  EXPECT_EQ(result.exchange.rate_limit.minute_limit, std::nullopt);
}

struct StatusCase {
  long status;
  std::string body;
  FailureKind kind;
  std::string message;
};

TEST_F(SearchClientTest, MapsStatusesLikeTheEngagementClient) {
  const std::vector<StatusCase> cases{
      {429, read_fixture("search/problem_429.json"), FailureKind::rate_limited,
       "search: HTTP 429: Too Many Requests"},
      {500, "", FailureKind::server, "search: HTTP 500: (empty body)"},
      {503, "upstream down", FailureKind::server, "search: HTTP 503: upstream down"},
      {401, R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})",
       FailureKind::auth, "search: HTTP 401: Unauthorized"},
      {403, R"({"title":"Forbidden","detail":"Forbidden to access tweets: 20"})", FailureKind::auth,
       "search: HTTP 403: Forbidden: Forbidden to access tweets: 20"},
      {400, read_fixture("search/problem_400.json"), FailureKind::bad_request,
       "search: HTTP 400: Invalid Request: The `max_results` query parameter value [5] is not "
       "between 10 and 100"},
      {404, "", FailureKind::bad_request, "search: HTTP 404: (empty body)"},
      {200, read_fixture("search/data_not_array.json"), FailureKind::decode,
       "search: data: expected an array, got an object"},
  };
  for (const StatusCase& c : cases) {
    transport.reply(c.status, c.body);
    const auto result = client.search_recent(launchday_request());
    ASSERT_FALSE(result.value) << c.status;
    EXPECT_EQ(result.value.error().kind, c.kind) << c.status;
    EXPECT_EQ(result.value.error().message, c.message);
    EXPECT_TRUE(result.value.error().forbidden_post_ids.empty()) << c.status;
    EXPECT_EQ(result.exchange.http_status, c.status);
  }
}

TEST_F(SearchClientTest, NoResponseIsANetworkFailure) {
  const auto result = client.search_recent(launchday_request());
  ASSERT_FALSE(result.value);
  EXPECT_EQ(result.value.error().kind, FailureKind::network);
  EXPECT_EQ(result.value.error().message, "search: no response (other): no reply");
  EXPECT_EQ(result.exchange.http_status, 0);
  EXPECT_EQ(result.exchange.endpoint, wire::Endpoint::recent_search);
}

TEST_F(SearchClientTest, RefusesRequestsXWouldRefuseWithoutSending) {
  const auto refused = [this](SearchRequest request) {
    const auto result = client.search_recent(request);
    EXPECT_EQ(result.exchange.http_status, 0);
    EXPECT_EQ(result.exchange.endpoint, wire::Endpoint::recent_search);
    if (result.value) return std::string("(sent)");
    EXPECT_EQ(result.value.error().kind, FailureKind::bad_request);
    return result.value.error().message;
  };
  SearchRequest request = launchday_request();
  request.query.clear();
  EXPECT_EQ(refused(request), "search: the query is empty");
  request = launchday_request();
  request.max_results = 9;
  EXPECT_EQ(refused(request), "search: max_results 9 is outside 10..100");
  request.max_results = 101;
  EXPECT_EQ(refused(request), "search: max_results 101 is outside 10..100");
  request = launchday_request();
  request.auth.token.clear();
  EXPECT_EQ(refused(request), "search: the Bearer token is empty");
  EXPECT_TRUE(transport.requests.empty());
}

}  // namespace
}  // namespace xee::collectors::client

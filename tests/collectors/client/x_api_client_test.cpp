#include "collectors/client/x_api_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "collectors/client/engagement_codec.h"
#include "common/time_format.h"
#include "tests/collectors/client/fake_transport.h"
#include "tests/collectors/client/fixture.h"

namespace xee::collectors::client {
namespace {

using testing::FakeTransport;
using testing::header;
using testing::read_fixture;
using enum wire::EngagementType;

// The demo world's app and its `acme` account.
constexpr std::string_view kConsumerKey = "demo-consumer-key";
constexpr std::string_view kConsumerSecret = "demo-consumer-secret";
constexpr std::string_view kBearerToken = "demo-bearer-token";
constexpr std::string_view kAcmeToken = "1000001-acme-demo-token";
constexpr std::string_view kAcmeTokenSecret = "acme-demo-token-secret";
constexpr std::string_view kNonce = "0123456789abcdefghijABCDEFGHIJkl";
constexpr std::string_view kBaseUrl = "http://127.0.0.1:10880";
constexpr std::string_view kTotalsUrl = "http://127.0.0.1:10880/insights/engagement/totals";
// 2026-11-20T00:00:00Z, the demo's --clock.start.
constexpr std::int64_t kStartUnix = 1795132800;
// HMAC-SHA1 of the request's base string, computed outside this codebase (Python's hmac) from
// the values above: an independent check on both the signer and what the client feeds it.
constexpr std::string_view kAcmeTotalsSignature = "Ch2Ufx1x0lOTbHif/RUP6XRZgME=";
// The same without oauth_token, keyed "demo-consumer-secret&" (consumer-key-only OAuth 1.0a).
constexpr std::string_view kAppTotalsSignature = "HOS5DeOsn/jDXM5HMVxZujd6CY8=";

constexpr PostId kFirst = 1800000000000000011u;
constexpr PostId kSecond = 1800000000000000022u;

UserAuth acme() {
  return UserAuth{"acme",
                  {std::string(kConsumerKey), std::string(kConsumerSecret), std::string(kAcmeToken),
                   std::string(kAcmeTokenSecret)}};
}

class XApiClientTest : public ::testing::Test {
 protected:
  common::ManualClock clock{common::TimePoint{std::chrono::seconds{kStartUnix}}};
  FakeTransport transport;
  XApiClient client{transport, std::string(kBaseUrl) + "/", clock,
                    [] { return std::string(kNonce); }};

  TotalsRequest public_request() const {
    return TotalsRequest{{kFirst, kSecond},
                         {wire::kPublicTypes.begin(), wire::kPublicTypes.end()},
                         BearerAuth{std::string(kBearerToken)}};
  }
  TotalsRequest owned_request() const {
    return TotalsRequest{{kFirst, kSecond}, {impressions, engagements, favorites}, acme()};
  }
};

TEST_F(XApiClientTest, BearerRequestBytes) {
  transport.reply(200, read_fixture("totals_public_two_posts.json"));
  client.totals(public_request());
  ASSERT_EQ(transport.requests.size(), 1u);
  const HttpRequest& sent = transport.requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, kTotalsUrl);
  EXPECT_EQ(sent.headers, (std::vector<std::pair<std::string, std::string>>{
                              {"Authorization", "Bearer demo-bearer-token"},
                              {"Content-Type", "application/json"},
                              {"Accept-Encoding", "gzip"}}));
  EXPECT_EQ(sent.body,
            R"({"tweet_ids":["1800000000000000011","1800000000000000022"],)"
            R"("engagement_types":["favorites","retweets","quote_tweets","replies","video_views"],)"
            R"("groupings":{"per_post":{"group_by":["tweet.id","engagement.type"]}}})");
}

TEST_F(XApiClientTest, UserRequestIsSignedWithoutTheBody) {
  transport.reply(200, "{}");
  client.totals(owned_request());
  ASSERT_EQ(transport.requests.size(), 1u);
  const HttpRequest& sent = transport.requests[0];
  EXPECT_EQ(header(sent, "Content-Type"), "application/json");
  EXPECT_EQ(header(sent, "Accept-Encoding"), "gzip");
  auto params = wire::oauth::parse_authorization_header(header(sent, "Authorization"));
  ASSERT_TRUE(params) << params.error().message;
  const wire::oauth::Params expected_unsigned{
      {"oauth_consumer_key", "demo-consumer-key"}, {"oauth_nonce", std::string(kNonce)},
      {"oauth_signature_method", "HMAC-SHA1"},     {"oauth_timestamp", "1795132800"},
      {"oauth_token", "1000001-acme-demo-token"},  {"oauth_version", "1.0"}};
  const std::string expected_signature =
      wire::oauth::sign("POST", kTotalsUrl, expected_unsigned, kConsumerSecret, kAcmeTokenSecret);
  EXPECT_EQ(expected_signature, kAcmeTotalsSignature);
  wire::oauth::Params expected = expected_unsigned;
  expected.emplace_back("oauth_signature", expected_signature);
  std::sort(expected.begin(), expected.end());
  // Exactly these parameters: no oauth_body_hash, nothing taken from the JSON body.
  EXPECT_EQ(*params, expected);
}

TEST_F(XApiClientTest, SignatureDoesNotDependOnTheBody) {
  transport.reply(200, "{}");
  transport.reply(200, "{}");
  client.totals(owned_request());
  TotalsRequest other = owned_request();
  other.post_ids = {kSecond};
  other.types = {favorites};
  client.totals(other);
  ASSERT_EQ(transport.requests.size(), 2u);
  EXPECT_NE(transport.requests[0].body, transport.requests[1].body);
  EXPECT_EQ(header(transport.requests[0], "Authorization"),
            header(transport.requests[1], "Authorization"));
}

TEST_F(XApiClientTest, TimestampFollowsTheInjectedClock) {
  transport.reply(200, "{}");
  clock.advance(std::chrono::milliseconds{90'999});
  client.totals(owned_request());
  auto params =
      wire::oauth::parse_authorization_header(header(transport.requests[0], "Authorization"));
  ASSERT_TRUE(params) << params.error().message;
  EXPECT_NE(std::find(params->begin(), params->end(),
                      std::pair<std::string, std::string>{"oauth_timestamp", "1795132890"}),
            params->end());
}

TEST_F(XApiClientTest, SuccessCarriesPayloadStatusAndRateLimits) {
  transport.reply(200, read_fixture("totals_public_two_posts.json"),
                  {{"x-per-minute-limit", "60"},
                   {"x-per-minute-remaining", "59"},
                   {"x-per-minute-reset", "1795132860"},
                   {"x-per-second-limit", "5"},
                   {"x-per-second-remaining", "4"},
                   {"x-per-second-reset", "1795132801"}});
  const auto result = client.totals(public_request());
  ASSERT_TRUE(result.value) << result.value.error().message;
  EXPECT_EQ(result.exchange.endpoint, wire::Endpoint::totals);
  EXPECT_EQ(result.exchange.http_status, 200);
  EXPECT_EQ(result.exchange.rate_limit.minute_limit, 60);
  EXPECT_EQ(result.exchange.rate_limit.minute_remaining, 59);
  EXPECT_EQ(result.exchange.rate_limit.minute_reset_unix, 1795132860);
  EXPECT_EQ(result.exchange.rate_limit.second_limit, 5);
  EXPECT_EQ(result.exchange.rate_limit.second_remaining, 4);
  EXPECT_EQ(result.exchange.rate_limit.second_reset_unix, 1795132801);
  ASSERT_EQ(result.value->posts.size(), 2u);
  EXPECT_EQ(result.value->posts[1].second.value(video_views), 250113u);
}

TEST(ParseRateLimitHeaders, MissingOrMalformedHeadersStayEmpty) {
  const RateLimitHeaders parsed =
      parse_rate_limit_headers({{"x-per-minute-limit", "sixty"},
                                {"x-per-minute-remaining", ""},
                                {"x-per-minute-reset", "-1"},
                                {"x-per-second-limit", "5s"},
                                {"x-per-second-remaining", "99999999999999999999"},
                                {"x-rate-limit-limit", "450"}});
  EXPECT_EQ(parsed.minute_limit, std::nullopt);
  EXPECT_EQ(parsed.minute_remaining, std::nullopt);
  EXPECT_EQ(parsed.minute_reset_unix, std::nullopt);
  EXPECT_EQ(parsed.second_limit, std::nullopt);
  EXPECT_EQ(parsed.second_remaining, std::nullopt);
  EXPECT_EQ(parsed.second_reset_unix, std::nullopt);
  EXPECT_EQ(parse_rate_limit_headers({}).minute_limit, std::nullopt);
}

struct StatusCase {
  long status;
  std::string_view fixture;  // a file in fixtures/, or the body itself when not a file name
  FailureKind kind;
  std::string_view message;
  std::vector<PostId> forbidden;
};

class StatusMapping : public XApiClientTest, public ::testing::WithParamInterface<StatusCase> {};

TEST_P(StatusMapping, MapsToKindAndOneLineMessage) {
  const StatusCase& param = GetParam();
  const bool is_file = param.fixture.ends_with(".json") || param.fixture.ends_with(".html");
  transport.reply(param.status, is_file ? read_fixture(param.fixture) : std::string(param.fixture),
                  {{"x-per-minute-remaining", "0"}});
  const auto result = client.totals(owned_request());
  EXPECT_EQ(result.exchange.http_status, param.status);
  EXPECT_EQ(result.exchange.rate_limit.minute_remaining, 0);
  ASSERT_FALSE(result.value);
  EXPECT_EQ(result.value.error().kind, param.kind);
  EXPECT_EQ(result.value.error().message, param.message);
  EXPECT_EQ(result.value.error().forbidden_post_ids, param.forbidden);
}

INSTANTIATE_TEST_SUITE_P(
    XErrors, StatusMapping,
    ::testing::Values(
        StatusCase{429,
                   "error_rate_limited.json",
                   FailureKind::rate_limited,
                   "totals: HTTP 429: Exceeded rate limit",
                   {}},
        StatusCase{500,
                   R"({"errors":["internal server error"]})",
                   FailureKind::server,
                   "totals: HTTP 500: internal server error",
                   {}},
        StatusCase{502,
                   "error_proxy_502.html",
                   FailureKind::server,
                   "totals: HTTP 502: <html><body><h1>502 Bad Gateway</h1> </body></html> ",
                   {}},
        StatusCase{503, "", FailureKind::server, "totals: HTTP 503: (empty body)", {}},
        StatusCase{403,
                   "error_forbidden_tweets.json",
                   FailureKind::forbidden_posts,
                   "totals: HTTP 403: Forbidden to access tweets: 1800000000000000011, "
                   "1800000000000000022",
                   {kFirst, kSecond}},
        StatusCase{403,
                   "error_forbidden_by_author.json",
                   FailureKind::forbidden_posts,
                   "totals: HTTP 403: Forbidden to access tweets for author id 1000002: "
                   "1800000000000000011, 1800000000000000022; Forbidden to access tweets for "
                   "author id 1000003: 1800000000000000044",
                   {kFirst, kSecond, 1800000000000000044u}},
        // X's API reference lists no 403: the text decides, whatever the 4xx.
        StatusCase{400,
                   "error_forbidden_tweets.json",
                   FailureKind::forbidden_posts,
                   "totals: HTTP 400: Forbidden to access tweets: 1800000000000000011, "
                   "1800000000000000022",
                   {kFirst, kSecond}},
        StatusCase{401,
                   "error_forbidden_by_author.json",
                   FailureKind::forbidden_posts,
                   "totals: HTTP 401: Forbidden to access tweets for author id 1000002: "
                   "1800000000000000011, 1800000000000000022; Forbidden to access tweets for "
                   "author id 1000003: 1800000000000000044",
                   {kFirst, kSecond, 1800000000000000044u}},
        // A 5xx or 429 keeps its own handling whatever its text says.
        StatusCase{503,
                   "error_forbidden_tweets.json",
                   FailureKind::server,
                   "totals: HTTP 503: Forbidden to access tweets: 1800000000000000011, "
                   "1800000000000000022",
                   {}},
        StatusCase{403,
                   R"({"errors":["Forbidden to access metrics: impressions"]})",
                   FailureKind::auth,
                   "totals: HTTP 403: Forbidden to access metrics: impressions",
                   {}},
        StatusCase{403,
                   R"({"errors":["Forbidden to access tweets: 18, abc"]})",
                   FailureKind::auth,
                   "totals: HTTP 403: Forbidden to access tweets: 18, abc",
                   {}},
        StatusCase{401,
                   "error_access_token_not_found.json",
                   FailureKind::auth,
                   "totals: HTTP 401: Your account could not be authenticated. Reason: Access "
                   "token not found",
                   {}},
        StatusCase{400,
                   "error_groupby_not_supported.json",
                   FailureKind::bad_request,
                   "totals: HTTP 400: One or more of the groupBys you have specified are not "
                   "supported: (engagement.hour). Please adjust your request and try again.",
                   {}},
        StatusCase{
            404, "Not Found\r\n", FailureKind::bad_request, "totals: HTTP 404: Not Found  ", {}},
        StatusCase{406,
                   "error_gzip_required.json",
                   FailureKind::bad_request,
                   "totals: HTTP 406: This request requires gzip compression. Retry the request "
                   "after setting 'Accept-Encoding' header in the request to 'gzip'.",
                   {}},
        StatusCase{301, "", FailureKind::bad_request, "totals: HTTP 301: (empty body)", {}},
        StatusCase{
            200,
            R"({"per_post":{"1800000000000000011":{"favorites":"12x"}}})",
            FailureKind::decode,
            R"(totals: post 1800000000000000011: favorites: value "12x" is not a non-negative integer)",
            {}},
        StatusCase{200,
                   R"({"per_post":{"1800000000000000011":{"favo)",
                   FailureKind::decode,
                   "totals: JSON body ends early at offset 41: Missing a closing quotation mark "
                   "in string.",
                   {}}));

// X's partial-result variant: a 200 naming the refused Posts, with the others' values.
TEST_F(XApiClientTest, ForbiddenPostsInsideA200AreASuccessNamingThem) {
  transport.reply(200, R"({"per_post":{"1800000000000000011":{"impressions":"5"}},)"
                       R"("errors":["Forbidden to access tweets: 1800000000000000022"]})");
  const auto result = client.totals(owned_request());
  ASSERT_TRUE(result.value) << result.value.error().message;
  EXPECT_EQ(result.exchange.http_status, 200);
  ASSERT_EQ(result.value->posts.size(), 1u);
  EXPECT_EQ(result.value->posts[0].second.value(impressions), 5u);
  EXPECT_EQ(result.value->forbidden, std::vector<PostId>{kSecond});
}

TEST_F(XApiClientTest, UnrequestedTypesReachTheExchangeOfASuccessOnly) {
  transport.reply(200, read_fixture("totals_docs_unrequested_quote_tweets.json"));
  const auto result = client.totals(owned_request());
  ASSERT_TRUE(result.value) << result.value.error().message;
  EXPECT_EQ(result.exchange.unrequested_types.at("quote_tweets"),
            (std::vector<PostId>{kFirst, kSecond}));
  EXPECT_EQ(result.exchange.unrequested_types.at("retweets"),
            (std::vector<PostId>{kFirst, kSecond}));
  transport.reply(200, R"({"per_post":{"1800000000000000011":{"likes":"1","favorites":"x"}}})");
  const auto failed = client.totals(owned_request());
  ASSERT_FALSE(failed.value);
  EXPECT_TRUE(failed.exchange.unrequested_types.empty());
}

// Consumer key and secret alone (Gnip-Insights-Interface's way): no oauth_token, signed with
// "secret&"; the signature was computed apart from this code (Python's hmac).
TEST_F(XApiClientTest, AppOAuthSignsWithTheConsumerKeyAlone) {
  transport.reply(200, "{}");
  TotalsRequest request = public_request();
  request.auth = AppOAuth{{std::string(kConsumerKey), std::string(kConsumerSecret), "", ""}};
  client.totals(request);
  ASSERT_EQ(transport.requests.size(), 1u);
  auto params =
      wire::oauth::parse_authorization_header(header(transport.requests[0], "Authorization"));
  ASSERT_TRUE(params) << params.error().message;
  EXPECT_EQ(*params, (wire::oauth::Params{{"oauth_consumer_key", "demo-consumer-key"},
                                          {"oauth_nonce", std::string(kNonce)},
                                          {"oauth_signature", std::string(kAppTotalsSignature)},
                                          {"oauth_signature_method", "HMAC-SHA1"},
                                          {"oauth_timestamp", "1795132800"},
                                          {"oauth_version", "1.0"}}));
}

TEST_F(XApiClientTest, LongErrorBodiesAreCut) {
  transport.reply(500, std::string(1000, 'e'));
  const auto result = client.totals(owned_request());
  ASSERT_FALSE(result.value);
  EXPECT_EQ(result.value.error().message, "totals: HTTP 500: " + std::string(300, 'e') + "...");
}

TEST_F(XApiClientTest, NoResponseIsANetworkFailure) {
  transport.replies.emplace_back(tl::unexpected(TransportError{
      TransportErrorKind::timeout,
      "POST http://127.0.0.1:10880/insights/engagement/totals: Operation timed out"}));
  const auto result = client.totals(owned_request());
  EXPECT_EQ(result.exchange.http_status, 0);
  EXPECT_EQ(result.exchange.rate_limit.minute_remaining, std::nullopt);
  ASSERT_FALSE(result.value);
  EXPECT_EQ(result.value.error().kind, FailureKind::network);
  EXPECT_EQ(result.value.error().message,
            "totals: no response (timeout): POST "
            "http://127.0.0.1:10880/insights/engagement/totals: Operation timed out");
}

TEST_F(XApiClientTest, RequestsBreakingTheLimitsAreNotSent) {
  TotalsRequest too_many = public_request();
  too_many.post_ids.assign(wire::kTotalsMaxIds + 1, kFirst);
  TotalsRequest no_ids = public_request();
  no_ids.post_ids.clear();
  TotalsRequest no_types = public_request();
  no_types.types.clear();
  TotalsRequest time_series_type = public_request();
  time_series_type.types.push_back(media_views);
  const std::vector<std::pair<TotalsRequest, std::string_view>> cases{
      {too_many, "totals: 251 Post IDs exceed the limit of 250 per request"},
      {no_ids, "totals: no Post IDs to ask for"},
      {no_types, "totals: no engagement types to ask for"},
      {time_series_type, "totals: engagement type media_views is not served by /totals"}};
  for (const auto& [request, message] : cases) {
    const auto result = client.totals(request);
    EXPECT_EQ(result.exchange.http_status, 0);
    ASSERT_FALSE(result.value);
    EXPECT_EQ(result.value.error().kind, FailureKind::bad_request);
    EXPECT_EQ(result.value.error().message, message);
  }
  EXPECT_TRUE(transport.requests.empty());
}

TEST_F(XApiClientTest, NoSecretInAnyFailureMessage) {
  const std::vector<std::string> secrets{
      std::string(kConsumerSecret),      std::string(kAcmeToken),
      std::string(kAcmeTokenSecret),     std::string(kBearerToken),
      std::string(kAcmeTotalsSignature), wire::oauth::percent_encode(kAcmeTotalsSignature)};
  // Servers that echo the request back are out of our hands; everything else is ours.
  transport.reply(401, read_fixture("error_access_token_not_found.json"));
  transport.reply(403, read_fixture("error_forbidden_tweets.json"));
  transport.reply(429, "");
  transport.reply(500, "<html>oops</html>");
  transport.reply(200, "{\"per_post\":[]}");
  transport.replies.emplace_back(
      tl::unexpected(TransportError{TransportErrorKind::reset, "POST x: Connection reset"}));
  std::vector<std::string> messages;
  for (int i = 0; i < 6; ++i) {
    const auto result = client.totals(i % 2 == 0 ? owned_request() : public_request());
    ASSERT_FALSE(result.value);
    messages.push_back(result.value.error().message);
  }
  for (const std::string& message : messages) {
    for (const std::string& secret : secrets) {
      EXPECT_EQ(message.find(secret), std::string::npos) << message;
    }
  }
}

TEST(FetchBearerToken, SendsBasicCredentialsAndReturnsTheToken) {
  FakeTransport transport;
  transport.reply(200, read_fixture("token_ok.json"));
  auto token = fetch_bearer_token(transport, "http://127.0.0.1:10880/oauth2/token", kConsumerKey,
                                  kConsumerSecret);
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(*token, "AAAAAAAAAAAAAAAAAAAAAdemo%2Fbearer%3Dtoken");
  ASSERT_EQ(transport.requests.size(), 1u);
  const HttpRequest& sent = transport.requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "http://127.0.0.1:10880/oauth2/token");
  EXPECT_EQ(header(sent, "Authorization"),
            "Basic ZGVtby1jb25zdW1lci1rZXk6ZGVtby1jb25zdW1lci1zZWNyZXQ=");
  EXPECT_EQ(header(sent, "Content-Type"), "application/x-www-form-urlencoded;charset=UTF-8");
  EXPECT_EQ(sent.body, "grant_type=client_credentials");
}

TEST(FetchBearerToken, FailuresNameTheEndpointAndStatusOnly) {
  FakeTransport transport;
  transport.reply(403, read_fixture("error_token_objects.json"));
  transport.reply(200, R"({"token_type":"mac","access_token":"SECRET-TOKEN"})");
  transport.replies.emplace_back(tl::unexpected(TransportError{
      TransportErrorKind::connect, "POST http://127.0.0.1:1/oauth2/token: refused"}));
  const std::vector<std::string_view> expected{
      "token: HTTP 403: Unable to verify your credentials", R"(token: token_type is not "bearer")",
      "token: no response (connect): POST http://127.0.0.1:1/oauth2/token: refused"};
  for (const std::string_view message : expected) {
    auto token = fetch_bearer_token(transport, "http://127.0.0.1:10880/oauth2/token", kConsumerKey,
                                    kConsumerSecret);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().message, message);
  }
}

TimeSeriesRequest owned_time_series() {
  return TimeSeriesRequest{
      {kFirst}, {impressions, engagements}, acme(), std::nullopt, std::nullopt};
}

TEST_F(XApiClientTest, Last28HoursPostsTheHourlyGroupingSignedToItsPath) {
  transport.reply(200, read_fixture("hr28_spec_example.json"));
  const auto result = client.last_28_hours(owned_time_series());
  ASSERT_TRUE(result.value) << result.value.error().message;
  EXPECT_EQ(result.exchange.endpoint, wire::Endpoint::hr28);
  EXPECT_EQ(result.exchange.http_status, 200);
  EXPECT_EQ(result.value->counts.size(), 58u);
  ASSERT_EQ(transport.requests.size(), 1u);
  const HttpRequest& sent = transport.requests[0];
  EXPECT_EQ(sent.url, "http://127.0.0.1:10880/insights/engagement/28hr");
  EXPECT_EQ(sent.body, encode_time_series_request(std::vector<PostId>{kFirst},
                                                  std::vector{impressions, engagements}));
  auto params = wire::oauth::parse_authorization_header(header(sent, "Authorization"));
  ASSERT_TRUE(params) << params.error().message;
  EXPECT_NE(std::find(params->begin(), params->end(),
                      std::pair<std::string, std::string>{"oauth_token", std::string(kAcmeToken)}),
            params->end());
}

TEST_F(XApiClientTest, Last28HoursNeverSendsAWindow) {
  transport.reply(200, read_fixture("hr28_spec_example.json"));
  TimeSeriesRequest request = owned_time_series();
  request.start = common::parse_iso8601("2024-06-01T00:00:00Z");
  client.last_28_hours(request);
  ASSERT_EQ(transport.requests.size(), 1u);
  EXPECT_EQ(transport.requests[0].body.find("start"), std::string::npos);
}

TEST_F(XApiClientTest, HistoricalSendsTheWindowItIsGiven) {
  transport.reply(200, read_fixture("historical_partial.json"));
  TimeSeriesRequest request{{kSecond, kFirst},
                            {favorites, retweets},
                            acme(),
                            common::parse_iso8601("2015-11-19T00:00:00Z"),
                            common::parse_iso8601("2015-11-19T03:00:00Z")};
  const auto result = client.historical(request);
  ASSERT_TRUE(result.value) << result.value.error().message;
  EXPECT_EQ(result.exchange.endpoint, wire::Endpoint::historical);
  EXPECT_EQ(result.value->counts.size(), 9u);
  ASSERT_EQ(transport.requests.size(), 1u);
  EXPECT_EQ(transport.requests[0].url, "http://127.0.0.1:10880/insights/engagement/historical");
  EXPECT_EQ(transport.requests[0].body,
            R"({"tweet_ids":["1800000000000000022","1800000000000000011"],)"
            R"("engagement_types":["favorites","retweets"],)"
            R"("groupings":{"hourly":{"group_by":["tweet.id","engagement.type","engagement.day",)"
            R"("engagement.hour"]}},"start":"2015-11-19T00:00:00Z","end":"2015-11-19T03:00:00Z"})");
}

TEST_F(XApiClientTest, TimeSeriesFailuresAreMappedLikeTotals) {
  transport.reply(403, read_fixture("error_forbidden_tweets.json"));
  transport.reply(200, R"({"start":"2024-06-01T09:00:00Z"})");
  const auto forbidden = client.last_28_hours(owned_time_series());
  ASSERT_FALSE(forbidden.value);
  EXPECT_EQ(forbidden.value.error().kind, FailureKind::forbidden_posts);
  EXPECT_EQ(forbidden.value.error().message,
            "28hr: HTTP 403: Forbidden to access tweets: 1800000000000000011, "
            "1800000000000000022");
  EXPECT_EQ(forbidden.value.error().forbidden_post_ids, (std::vector<PostId>{kFirst, kSecond}));
  const auto broken = client.historical(owned_time_series());
  ASSERT_FALSE(broken.value);
  EXPECT_EQ(broken.value.error().kind, FailureKind::decode);
  EXPECT_EQ(broken.value.error().message, "historical: end is missing");
}

TEST_F(XApiClientTest, TimeSeriesRequestsBreakingTheRulesAreNotSent) {
  const auto rejected = [this](TimeSeriesRequest request, bool historical = false) {
    const auto result = historical ? client.historical(request) : client.last_28_hours(request);
    EXPECT_EQ(result.exchange.http_status, 0);
    EXPECT_FALSE(result.value);
    return result.value ? std::string("accepted")
                        : (result.value.error().kind == FailureKind::bad_request
                               ? result.value.error().message
                               : "wrong kind: " + result.value.error().message);
  };
  TimeSeriesRequest request = owned_time_series();
  request.post_ids.clear();
  EXPECT_EQ(rejected(request), "28hr: no Post IDs to ask for");
  request.post_ids.assign(26, kFirst);
  EXPECT_EQ(rejected(request, true), "historical: 26 Post IDs exceed the limit of 25 per request");
  request = owned_time_series();
  request.types.clear();
  EXPECT_EQ(rejected(request), "28hr: no engagement types to ask for");
  request.types = {impressions, quote_tweets};
  EXPECT_EQ(rejected(request),
            "28hr: engagement type quote_tweets is not served by /28hr and /historical");
  request = owned_time_series();
  request.auth.credentials.token.clear();
  EXPECT_EQ(rejected(request),
            R"(28hr: user-context access token and secret of account "acme" are required )"
            "(app-only Bearer auth is not accepted)");
  request = owned_time_series();
  request.start = common::parse_iso8601("2024-06-02T00:00:00Z");
  request.end = common::parse_iso8601("2024-06-02T00:00:00Z");
  EXPECT_EQ(rejected(request, true),
            "historical: start 2024-06-02T00:00:00Z is not before end 2024-06-02T00:00:00Z");
  EXPECT_TRUE(transport.requests.empty());
}

}  // namespace
}  // namespace xee::collectors::client

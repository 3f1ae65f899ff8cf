#include "simulator/server/service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/gzip.h"
#include "tests/simulator/server/demo_world_fixture.h"
#include "wire/oauth.h"

namespace xee::simulator::server {
namespace {

using namespace std::chrono_literals;
using testing::at;
using testing::demo;
using ::testing::HasSubstr;
using testing::id_text;
using testing::kClockStart;
using testing::parse_json;
using testing::posts_by;

constexpr std::string_view kHost = "127.0.0.1:10880";

wire::oauth::Credentials credentials_of(std::string_view handle) {
  const AccountConfig& account = *demo().account_by_handle(handle);
  return {"demo-consumer-key", "demo-consumer-secret", account.access_token,
          account.access_token_secret};
}

class ServiceTest : public ::testing::Test {
 protected:
  ServiceTest() { rebuild({}); }

  void rebuild(FaultConfig faults, bool admin = false) {
    ServiceOptions options;
    options.admin_enabled = admin;
    options.version = "9.9.9";
    options.revision = "abc";
    options.clock_start = kClockStart;
    options.clock_speed = 0;
    service_.reset();
    service_ = std::make_unique<Service>(demo(), world_clock_, wall_, std::move(faults), options,
                                         common::null_logger());
  }

  HttpRequest engagement(std::string_view path, std::string body,
                         std::optional<std::string> handle = "acme") {
    HttpRequest request{"POST",
                        std::string(path),
                        "",
                        {{"Host", std::string(kHost)}, {"Accept-Encoding", "gzip"}},
                        std::move(body)};
    if (handle) {
      const std::string url = "http://" + std::string(kHost) + std::string(path);
      request.headers.emplace_back(
          "Authorization",
          wire::oauth::authorization_header(
              "POST", url, credentials_of(*handle), "nonce-" + std::to_string(++nonce_),
              std::chrono::floor<std::chrono::seconds>(wall_.now()).time_since_epoch().count()));
    }
    return request;
  }
  HttpRequest bearer(HttpRequest request, std::string token = "demo-bearer-token") {
    request.headers.emplace_back("Authorization", "Bearer " + token);
    return request;
  }
  HttpRequest get(std::string path, std::string query = "") {
    return HttpRequest{
        "GET", std::move(path), std::move(query), {{"Host", std::string(kHost)}}, ""};
  }
  HttpRequest search(std::string query, std::string authorization) {
    HttpRequest request = get(std::string(wire::kRecentSearchPath), std::move(query));
    request.headers.emplace_back("Authorization", std::move(authorization));
    return request;
  }
  // The body as the client reads it: gunzipped when the response says gzip.
  static std::string body_of(const HttpResponse& response) {
    if (response.header("Content-Encoding") == "gzip")
      return common::gzip_decompress(response.body).value();
    return response.body;
  }
  static std::string totals_body(const std::vector<std::string>& ids, std::string_view types) {
    std::string list;
    for (const auto& id : ids) list += (list.empty() ? "\"" : ",\"") + id + "\"";
    return R"({"tweet_ids":[)" + list + R"(],"engagement_types":)" + std::string(types) +
           R"(,"groupings":{"g":{"group_by":["tweet.id","engagement.type"]}}})";
  }
  std::string metrics_text() { return service_->handle(get("/metrics")).body; }

  common::ManualClock world_clock_{kClockStart};
  common::ManualClock wall_{at("2026-11-20T00:00:05Z")};
  std::unique_ptr<Service> service_;
  int nonce_ = 0;
  const std::vector<Post> acme_ = posts_by("acme", at("2026-11-19T00:00:00Z"), kClockStart);
  const std::vector<Post> globex_ = posts_by("globex", at("2026-11-18T00:00:00Z"), kClockStart);
};

TEST_F(ServiceTest, SignedTotalsRequestReturnsTheWorldsValuesGzippedWithRateLimitHeaders) {
  const HttpResponse response = service_->handle(engagement(
      wire::kTotalsPath, totals_body({id_text(acme_.back())}, R"(["impressions","favorites"])")));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("Content-Encoding"), "gzip");
  EXPECT_EQ(response.header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(response.header("x-per-minute-limit"), "60");
  EXPECT_EQ(response.header("x-per-minute-remaining"), "59");
  EXPECT_EQ(response.header("x-per-minute-reset"), "1795132860");
  EXPECT_EQ(body_of(response), R"({"g":{")" + id_text(acme_.back()) +
                                   R"(":{"impressions":"9186","favorites":"104"}}})");
}

TEST_F(ServiceTest, RequiresGzipWith406AndXsBody) {
  HttpRequest request =
      engagement(wire::kTotalsPath, totals_body({id_text(acme_[0])}, R"(["favorites"])"));
  request.headers[1].second = "identity";
  const HttpResponse response = service_->handle(request);
  EXPECT_EQ(response.status, 406);
  EXPECT_EQ(
      response.body,
      R"({"errors":["This request requires gzip compression. Retry the request after setting )"
      R"('Accept-Encoding' header in the request to 'gzip'."]})");
  EXPECT_EQ(response.header("x-per-minute-remaining"), "60");
}

TEST_F(ServiceTest, MissingAuthorizationIs401UnknownAuthorizationType) {
  const HttpResponse response = service_->handle(engagement(
      wire::kTotalsPath, totals_body({id_text(acme_[0])}, R"(["favorites"])"), std::nullopt));
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(
      body_of(response),
      R"({"errors":["Your account could not be authenticated. Reason: Unknown Authorization Type"]})");
  EXPECT_THAT(metrics_text(),
              HasSubstr("x_api_simulator_auth_failures_total{reason=\"missing\"} 1"));
}

TEST_F(ServiceTest, BearerOnTimeSeriesEndpointsIs401UnknownAuthorizationType) {
  for (const auto path : {wire::k28hrPath, wire::kHistoricalPath}) {
    const HttpResponse response = service_->handle(bearer(
        engagement(path, totals_body({id_text(acme_[0])}, R"(["favorites"])"), std::nullopt)));
    EXPECT_EQ(response.status, 401);
    EXPECT_EQ(
        body_of(response),
        R"({"errors":["Your account could not be authenticated. Reason: Unknown Authorization Type"]})");
  }
}

TEST_F(ServiceTest, UnknownTokenIs401AccessTokenNotFound) {
  const HttpResponse response = service_->handle(
      bearer(engagement(wire::kTotalsPath, totals_body({id_text(acme_[0])}, R"(["favorites"])"),
                        std::nullopt),
             "not-the-token"));
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(
      body_of(response),
      R"({"errors":["Your account could not be authenticated. Reason: Access token not found"]})");
}

TEST_F(ServiceTest, BearerAskingForImpressionsIs403ForbiddenMetrics) {
  const HttpResponse response = service_->handle(bearer(
      engagement(wire::kTotalsPath,
                 totals_body({id_text(globex_[0])}, R"(["favorites","impressions","engagements"])"),
                 std::nullopt)));
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(body_of(response),
            R"({"errors":["Forbidden to access metrics: impressions, engagements"]})");
}

TEST_F(ServiceTest, BearerGetsPublicMetricsOfAnyPost) {
  const HttpResponse response = service_->handle(bearer(engagement(
      wire::kTotalsPath, totals_body({id_text(globex_[0])}, R"(["favorites","video_views"])"),
      std::nullopt)));
  EXPECT_EQ(response.status, 200);
  const auto json = parse_json(body_of(response));
  EXPECT_EQ(testing::leaf(json["g"][id_text(globex_[0]).c_str()]["favorites"]),
            demo().cumulative(globex_[0], wire::EngagementType::favorites, kClockStart));
}

TEST_F(ServiceTest, UserTokensOnAnotherAccountsPostsAre403ForbiddenTweets) {
  const HttpResponse response = service_->handle(engagement(
      wire::k28hrPath, totals_body({id_text(acme_[0]), id_text(globex_[1]), id_text(globex_[0])},
                                   R"(["favorites"])")));
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(body_of(response), R"({"errors":["Forbidden to access tweets: )" + id_text(globex_[1]) +
                                   ", " + id_text(globex_[0]) + R"("]})");
}

TEST_F(ServiceTest, ForbiddenTweetsComeWithTheStatusTheFaultsOrTheWorldChoose) {
  const std::string body = totals_body({id_text(acme_[0]), id_text(globex_[1]), id_text(acme_[1])},
                                       R"(["favorites","retweets"])");
  const std::string forbidden =
      R"({"errors":["Forbidden to access tweets: )" + id_text(globex_[1]) + R"("]})";
  FaultConfig faults;
  faults.forbidden_tweets_status = 400;
  rebuild(faults);
  const HttpResponse bad_request = service_->handle(engagement(wire::kTotalsPath, body));
  EXPECT_EQ(bad_request.status, 400);
  EXPECT_EQ(body_of(bad_request), forbidden);

  // 200: the owned Posts' values as usual, the others named in `errors` and nowhere else.
  faults.forbidden_tweets_status = 200;
  rebuild(faults);
  const HttpResponse partial = service_->handle(engagement(wire::kTotalsPath, body));
  ASSERT_EQ(partial.status, 200);
  const auto json = parse_json(body_of(partial));
  ASSERT_EQ(json["g"].MemberCount(), 2u);
  for (const Post& post : {acme_[0], acme_[1]}) {
    const auto& values = json["g"][id_text(post).c_str()];
    EXPECT_EQ(testing::leaf(values["favorites"]),
              demo().cumulative(post, wire::EngagementType::favorites, kClockStart));
    EXPECT_EQ(testing::leaf(values["retweets"]),
              demo().cumulative(post, wire::EngagementType::retweets, kClockStart));
  }
  ASSERT_EQ(json["errors"].Size(), 1u);
  EXPECT_EQ(json["errors"][0].GetString(), "Forbidden to access tweets: " + id_text(globex_[1]));
  EXPECT_FALSE(json.HasMember("unavailable_tweet_ids"));
}

TEST_F(ServiceTest, TheWorldsForbiddenStatusAppliesUntilTheAdminOverridesIt) {
  WorldConfig config = demo_world();
  config.variants.forbidden_tweets_status = 200;
  const World world(config);
  ServiceOptions options;
  options.admin_enabled = true;
  Service service(world, world_clock_, wall_, {}, options, common::null_logger());
  const std::string body =
      totals_body({id_text(globex_[0]), id_text(acme_[0])}, R"(["impressions"])");
  const HttpResponse partial = service.handle(engagement(wire::k28hrPath, body));
  ASSERT_EQ(partial.status, 200);
  const auto json = parse_json(body_of(partial));
  EXPECT_EQ(json["g"].MemberCount(), 1u);
  EXPECT_TRUE(json["g"].HasMember(id_text(acme_[0]).c_str()));
  EXPECT_EQ(json["errors"][0].GetString(), "Forbidden to access tweets: " + id_text(globex_[0]));

  HttpRequest put = get("/admin/faults");
  put.method = "PUT";
  put.body = R"({"forbidden_tweets_status":403})";
  EXPECT_THAT(service.handle(put).body, HasSubstr(R"("forbidden_tweets_status":403)"));
  EXPECT_EQ(service.handle(engagement(wire::k28hrPath, body)).status, 403);
  put.body = R"({"forbidden_tweets_status":null})";
  EXPECT_THAT(service.handle(put).body, HasSubstr(R"("forbidden_tweets_status":null)"));
  EXPECT_EQ(service.handle(engagement(wire::k28hrPath, body)).status, 200);
  put.body = R"({"forbidden_tweets_status":401})";
  EXPECT_EQ(service.handle(put).body,
            R"({"errors":["/admin/faults: forbidden_tweets_status must be 403, 400, 200 or null )"
            R"((the world's), got 401"]})");
}

TEST_F(ServiceTest, ConsumerKeyOnlyOAuthGetsPublicTotalsAndNothingElse) {
  const wire::oauth::Credentials app_only{"demo-consumer-key", "demo-consumer-secret", "", ""};
  const auto signed_app_only = [&](std::string_view path, std::string body) {
    HttpRequest request = engagement(path, std::move(body), std::nullopt);
    request.headers.emplace_back(
        "Authorization",
        wire::oauth::authorization_header(
            "POST", "http://" + std::string(kHost) + std::string(path), app_only,
            "app-nonce-" + std::to_string(++nonce_),
            std::chrono::floor<std::chrono::seconds>(wall_.now()).time_since_epoch().count()));
    return request;
  };
  const HttpResponse ok = service_->handle(signed_app_only(
      wire::kTotalsPath, totals_body({id_text(globex_[0])}, R"(["favorites","quote_tweets"])")));
  ASSERT_EQ(ok.status, 200) << body_of(ok);
  const auto json = parse_json(body_of(ok));
  EXPECT_EQ(testing::leaf(json["g"][id_text(globex_[0]).c_str()]["favorites"]),
            demo().cumulative(globex_[0], wire::EngagementType::favorites, kClockStart));

  const HttpResponse impressions = service_->handle(signed_app_only(
      wire::kTotalsPath, totals_body({id_text(acme_[0])}, R"(["favorites","impressions"])")));
  EXPECT_EQ(impressions.status, 403);
  EXPECT_EQ(body_of(impressions), R"({"errors":["Forbidden to access metrics: impressions"]})");

  const std::string user_context_required =
      R"({"errors":["Your account could not be authenticated. Reason: Application-only OAuth )"
      R"((no oauth_token) is not supported on this endpoint; sign with the Post owner's access )"
      R"(token"]})";
  for (const auto path : {wire::k28hrPath, wire::kHistoricalPath}) {
    const HttpResponse refused = service_->handle(
        signed_app_only(path, totals_body({id_text(acme_[0])}, R"(["favorites"])")));
    EXPECT_EQ(refused.status, 401) << path;
    EXPECT_EQ(body_of(refused), user_context_required) << path;
  }
  EXPECT_THAT(metrics_text(),
              HasSubstr("x_api_simulator_auth_failures_total{reason=\"app_oauth_not_allowed\"} 2"));
}

TEST_F(ServiceTest, TimeGroupingOnTotalsIs400WithXsMessage) {
  const HttpResponse response = service_->handle(engagement(
      wire::kTotalsPath,
      R"({"tweet_ids":[")" + id_text(acme_[0]) +
          R"("],"engagement_types":["favorites"],"groupings":{"g":{"group_by":["tweet.id","engagement.hour"]}}})"));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(body_of(response),
            R"({"errors":["One or more of the groupBys you have specified are not supported: )"
            R"((engagement.hour). Please adjust your request and try again."]})");
}

TEST_F(ServiceTest, UnavailablePostsAre200Partial) {
  const HttpResponse response = service_->handle(
      engagement(wire::kTotalsPath,
                 totals_body({"1800000000000000001", id_text(acme_[0])}, R"(["favorites"])")));
  EXPECT_EQ(response.status, 200);
  const auto json = parse_json(body_of(response));
  EXPECT_STREQ(json["unavailable_tweet_ids"][0].GetString(), "1800000000000000001");
  EXPECT_STREQ(json["errors"][0].GetString(), "1 Tweet ID(s) are unavailable");
}

TEST_F(ServiceTest, TwentyEightHourAnswerCarriesStartAndEnd) {
  const HttpResponse response = service_->handle(
      engagement(wire::k28hrPath, totals_body({id_text(acme_[0])}, R"(["impressions"])")));
  ASSERT_EQ(response.status, 200);
  const auto json = parse_json(body_of(response));
  EXPECT_STREQ(json["start"].GetString(), "2026-11-18T20:00:00Z");
  EXPECT_STREQ(json["end"].GetString(), "2026-11-20T01:00:00Z");
}

TEST_F(ServiceTest, HistoricalWindowErrorsAre400) {
  const std::string body =
      R"({"tweet_ids":[")" + id_text(acme_[0]) +
      R"("],"engagement_types":["favorites"],"groupings":{"g":{"group_by":["tweet.id"]}},)"
      R"("start":"2026-10-01T00:00:00Z","end":"2026-11-15T00:00:00Z"})";
  const HttpResponse response = service_->handle(engagement(wire::kHistoricalPath, body));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(
      body_of(response),
      R"({"errors":["The requested time window (2026-10-01T00:00:00Z to 2026-11-15T00:00:00Z) is longer than 28 days"]})");
}

TEST_F(ServiceTest, ThePerMinuteBudgetEndsIn429WithHeadersAndCountsIt) {
  const std::string body = totals_body({id_text(acme_[0])}, R"(["favorites"])");
  for (int i = 0; i < 60; ++i) {
    ASSERT_EQ(service_->handle(engagement(wire::kTotalsPath, body)).status, 200) << i;
  }
  const HttpResponse refused = service_->handle(engagement(wire::kTotalsPath, body));
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(body_of(refused), R"({"errors":["Exceeded rate limit"]})");
  EXPECT_EQ(refused.header("x-per-minute-remaining"), "0");
  EXPECT_EQ(refused.header("x-per-minute-reset"), "1795132860");
  EXPECT_THAT(
      metrics_text(),
      HasSubstr(
          "x_api_simulator_rate_limited_requests_total{endpoint=\"totals\",window=\"minute\"} 1"));
  wall_.set(at("2026-11-20T00:01:00Z"));
  EXPECT_EQ(service_->handle(engagement(wire::kTotalsPath, body)).status, 200);
}

TEST_F(ServiceTest, WrongMethodIs405AndUnknownPathIs404) {
  const HttpResponse wrong = service_->handle(get(std::string(wire::kTotalsPath)));
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.header("Allow"), "POST");
  const HttpResponse missing = service_->handle(get("/1.1/statuses/show.json"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, R"({"errors":["No such endpoint: /1.1/statuses/show.json"]})");
}

TEST_F(ServiceTest, TokenEndpointHandsOutTheBearerForTheAppsBasicCredentials) {
  HttpRequest request{"POST",
                      std::string(wire::kOAuth2TokenPath),
                      "",
                      {{"Authorization", "Basic " + wire::oauth::base64_encode(
                                                        "demo-consumer-key:demo-consumer-secret")},
                       {"Content-Type", "application/x-www-form-urlencoded;charset=UTF-8"}},
                      "grant_type=client_credentials"};
  const HttpResponse ok = service_->handle(request);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"token_type":"bearer","access_token":"demo-bearer-token"})");
  request.body = "";
  EXPECT_EQ(service_->handle(request).status, 403);
  EXPECT_EQ(
      service_->handle(request).body,
      R"({"errors":[{"code":170,"message":"Missing required parameter: grant_type","label":"forbidden_missing_parameter"}]})");
  request.headers[0].second = "Basic " + wire::oauth::base64_encode("demo-consumer-key:wrong");
  request.body = "grant_type=client_credentials";
  const HttpResponse refused = service_->handle(request);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(
      refused.body,
      R"({"errors":[{"code":99,"message":"Unable to verify your credentials","label":"authenticity_token_error"}]})");
}

TEST_F(ServiceTest, SearchWithBearerAnswersWithXRateLimitHeaders) {
  const HttpResponse response = service_->handle(
      search("query=%23xapi%20-is%3Aretweet&max_results=10", "Bearer demo-bearer-token"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("x-rate-limit-limit"), "450");
  EXPECT_EQ(response.header("x-rate-limit-remaining"), "449");
  EXPECT_EQ(parse_json(body_of(response))["meta"]["result_count"].GetUint(), 10u);
}

TEST_F(ServiceTest, SearchAcceptsOAuthUserContextSignedOverTheQuery) {
  const std::string query = "query=from%3Aacme&max_results=10";
  const std::string url =
      "http://" + std::string(kHost) + std::string(wire::kRecentSearchPath) + "?" + query;
  const std::string authorization =
      wire::oauth::authorization_header("GET", url, credentials_of("globex"), "s1", 1795132805);
  EXPECT_EQ(service_->handle(search(query, authorization)).status, 200);
}

TEST_F(ServiceTest, SearchErrorsUseProblemBodies) {
  const HttpResponse refused = service_->handle(search("query=%23xapi", "Bearer wrong"));
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(
      refused.body,
      R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})");
  const HttpResponse bad =
      service_->handle(search("query=%23xapi&max_results=5", "Bearer demo-bearer-token"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(
      bad.body,
      HasSubstr(
          R"("message":"The `max_results` query parameter value [5] is not between 10 and 100")"));
}

TEST_F(ServiceTest, SearchBeyondItsBudgetIs429WithTheProblemBody) {
  WorldConfig config = demo_world();
  config.limits.search_per_15min = 2;
  const World small_budget(config);
  Service service(small_budget, world_clock_, wall_, {}, {}, common::null_logger());
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(service.handle(search("query=%23xapi", "Bearer demo-bearer-token")).status, 200);
  }
  const HttpResponse refused = service.handle(search("query=%23xapi", "Bearer demo-bearer-token"));
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(
      refused.body,
      R"({"title":"Too Many Requests","type":"about:blank","status":429,"detail":"Too Many Requests"})");
  EXPECT_EQ(refused.header("x-rate-limit-limit"), "2");
  EXPECT_EQ(refused.header("x-rate-limit-remaining"), "0");
  EXPECT_EQ(refused.header("x-rate-limit-reset"), "1795133700");
}

TEST_F(ServiceTest, ErrorFaultAnswers5xxWithInternalServerErrorAndCountsIt) {
  FaultConfig faults;
  faults.error_rate = 1;
  rebuild(faults);
  const HttpResponse response = service_->handle(engagement(wire::kTotalsPath, "{}"));
  EXPECT_THAT((std::vector<int>{500, 502, 503}), ::testing::Contains(response.status));
  EXPECT_EQ(body_of(response), R"({"errors":["internal server error"]})");
  EXPECT_THAT(metrics_text(),
              HasSubstr("x_api_simulator_faults_injected_total{fault=\"error\"} 1"));
}

TEST_F(ServiceTest, SpoilingFaultsApplyToSuccessfulAnswers) {
  const std::string body = totals_body({id_text(acme_[0])}, R"(["favorites"])");
  FaultConfig faults;
  faults.malformed_rate = 1;
  rebuild(faults);
  const HttpResponse malformed = service_->handle(engagement(wire::kTotalsPath, body));
  EXPECT_EQ(malformed.status, 200);
  rapidjson::Document document;
  document.Parse(body_of(malformed).c_str());
  EXPECT_TRUE(document.HasParseError()) << body_of(malformed);
  EXPECT_EQ(body_of(malformed), R"({"g":{")" + id_text(acme_[0]) + R"(":{"favorites":")" +
                                    std::to_string(demo().cumulative(
                                        acme_[0], wire::EngagementType::favorites, kClockStart)) +
                                    R"("}},})");

  faults = {};
  faults.truncated_rate = 1;
  rebuild(faults);
  EXPECT_EQ(service_->handle(engagement(wire::kTotalsPath, body)).delivery, Delivery::truncated);
  // A refused request is not a 200 to spoil.
  EXPECT_EQ(service_->handle(engagement(wire::kTotalsPath, body, std::nullopt)).delivery,
            Delivery::complete);

  faults = {};
  faults.reset_rate = 1;
  faults.latency = 150ms;
  rebuild(faults);
  const HttpResponse reset = service_->handle(engagement(wire::kTotalsPath, body));
  EXPECT_EQ(reset.delivery, Delivery::reset);
  EXPECT_EQ(reset.delay, 150ms);
  const std::string metrics = metrics_text();
  EXPECT_THAT(metrics, HasSubstr("x_api_simulator_faults_injected_total{fault=\"reset\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("x_api_simulator_faults_injected_total{fault=\"latency\"} 1"));
  EXPECT_THAT(metrics,
              HasSubstr("x_api_simulator_requests_total{code=\"none\",endpoint=\"totals\"} 1"));
}

TEST_F(ServiceTest, RateLimitStormAnswers429WithNothingRemaining) {
  FaultConfig faults;
  faults.rate_limit_rate = 1;
  rebuild(faults);
  const HttpResponse response = service_->handle(
      engagement(wire::kTotalsPath, totals_body({id_text(acme_[0])}, R"(["favorites"])")));
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.header("x-per-minute-remaining"), "0");
  EXPECT_THAT(metrics_text(),
              HasSubstr("x_api_simulator_faults_injected_total{fault=\"rate_limit\"} 1"));
}

TEST_F(ServiceTest, RevokedAccountsAndDeletedPostsAreCountedFaults) {
  FaultConfig faults;
  faults.revoked_accounts = {"acme"};
  faults.deleted_posts = {globex_[0].id};
  rebuild(faults);
  const HttpResponse revoked = service_->handle(
      engagement(wire::kTotalsPath, totals_body({id_text(acme_[0])}, R"(["favorites"])")));
  EXPECT_EQ(revoked.status, 401);
  EXPECT_EQ(
      body_of(revoked),
      R"({"errors":["Your account could not be authenticated. Reason: Access token not found"]})");
  const HttpResponse deleted = service_->handle(engagement(
      wire::kTotalsPath,
      totals_body({id_text(globex_[0]), id_text(globex_[1])}, R"(["favorites"])"), "globex"));
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(parse_json(body_of(deleted))["unavailable_tweet_ids"][0].GetString(),
            id_text(globex_[0]));
  const std::string metrics = metrics_text();
  EXPECT_THAT(metrics,
              HasSubstr("x_api_simulator_faults_injected_total{fault=\"revoked_account\"} 1"));
  EXPECT_THAT(metrics,
              HasSubstr("x_api_simulator_faults_injected_total{fault=\"deleted_post\"} 1"));
}

TEST_F(ServiceTest, AdminEndpointIsOffByDefaultAndChangesFaultsWhenOn) {
  EXPECT_EQ(service_->handle(get("/admin/faults")).status, 404);
  rebuild({}, true);
  HttpRequest put = get("/admin/faults");
  put.method = "PUT";
  put.body = R"({"error_rate":1,"seed":3})";
  const HttpResponse changed = service_->handle(put);
  EXPECT_EQ(changed.status, 200);
  EXPECT_THAT(changed.body, HasSubstr(R"("error_rate":1.0)"));
  EXPECT_EQ(service_->faults().config().seed, 3u);
  EXPECT_GE(service_->handle(engagement(wire::kTotalsPath, "{}")).status, 500);
  put.body = R"({"error_rate":2})";
  const HttpResponse refused = service_->handle(put);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body,
            R"({"errors":["/admin/faults: error_rate must be between 0 and 1, got 2.000000"]})");
}

TEST_F(ServiceTest, LandingPageHealthAndMetricsDescribeTheSimulator) {
  const HttpResponse landing = service_->handle(get("/"));
  EXPECT_EQ(landing.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_THAT(landing.body, HasSubstr("X API simulator"));
  EXPECT_THAT(landing.body, HasSubstr("9.9.9"));
  EXPECT_THAT(landing.body, HasSubstr("@initech_archive"));
  EXPECT_THAT(landing.body, HasSubstr("#launchday"));
  EXPECT_THAT(landing.body, HasSubstr("World time 2026-11-20T00:00:00Z"));
  EXPECT_THAT(landing.body, HasSubstr("<a href=\"/metrics\">"));
  EXPECT_EQ(service_->handle(get("/-/healthy")).status, 200);
  const std::string metrics = metrics_text();
  EXPECT_THAT(metrics,
              HasSubstr("x_api_simulator_build_info{revision=\"abc\",version=\"9.9.9\"} 1"));
  EXPECT_THAT(metrics,
              HasSubstr("x_api_simulator_requests_total{code=\"200\",endpoint=\"landing\"} 1"));
}

}  // namespace
}  // namespace xee::simulator::server

#include "simulator/server/auth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/simulator/server/demo_world_fixture.h"
#include "wire/oauth.h"

namespace xee::simulator::server {
namespace {

using testing::at;

constexpr std::string_view kTotalsUrl = "http://127.0.0.1:10880/insights/engagement/totals";
constexpr std::string_view kBody = R"({"tweet_ids":["1"]})";
constexpr std::int64_t kWallNow = 1795132800;  // 2026-11-20T00:00:00Z

wire::oauth::Credentials acme_credentials() {
  return {"demo-consumer-key", "demo-consumer-secret", "1000001-acme-demo-token",
          "acme-demo-token-secret"};
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  AuthenticatorTest() : wall_(at("2026-11-20T00:00:00Z")), authenticator_(world_, wall_) {}

  tl::expected<Caller, AuthFailure> check(const std::string& authorization,
                                          std::string_view url = kTotalsUrl,
                                          AppOnlySchemes app_only = {true, true},
                                          std::string_view method = "POST") {
    return authenticator_.authenticate(
        AuthRequest{method, {std::string(url)}, authorization, kBody}, app_only, revoked_);
  }
  std::string signed_header(const wire::oauth::Credentials& credentials,
                            std::string_view nonce = "nonce-1", std::int64_t timestamp = kWallNow,
                            const wire::oauth::Params& extra = {},
                            std::string_view url = kTotalsUrl) {
    return wire::oauth::authorization_header("POST", url, credentials, nonce, timestamp, extra);
  }
  static void expect_refused(const tl::expected<Caller, AuthFailure>& result,
                             AuthFailureReason reason, std::string_view message) {
    ASSERT_FALSE(result) << "accepted";
    EXPECT_EQ(result.error().status, 401);
    EXPECT_EQ(reason_label(result.error().reason), reason_label(reason)) << result.error().detail;
    EXPECT_EQ(result.error().message, message);
  }

  WorldConfig world_ = demo_world();
  common::ManualClock wall_;
  Authenticator authenticator_;
  std::set<std::string> revoked_;
};

TEST_F(AuthenticatorTest, VerifiesXsPublishedSignatureExample) {
  // The app, account and request of "Creating a signature" on docs.x.com (tests/wire/oauth_test).
  world_.app.consumer_key = "xvz1evFS4wEEPTGEFPHBog";
  world_.app.consumer_secret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
  world_.accounts[0].access_token = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
  world_.accounts[0].access_token_secret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
  wall_.set(common::TimePoint(std::chrono::seconds(1318622958)));
  const std::string header =
      R"(OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", )"
      R"(oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", )"
      R"(oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", oauth_signature_method="HMAC-SHA1", )"
      R"(oauth_timestamp="1318622958", )"
      R"(oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0")";
  const std::string url =
      "https://api.twitter.com/1.1/statuses/update.json?include_entities=true&status=Hello%20Ladies"
      "%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21";
  const auto caller = check(header, url);
  ASSERT_TRUE(caller) << caller.error().detail;
  EXPECT_EQ(caller->kind, Caller::Kind::user);
  EXPECT_EQ(caller->account->handle, "acme");
}

TEST_F(AuthenticatorTest, AcceptsHeadersMadeByTheClientsSigner) {
  const auto caller = check(signed_header(acme_credentials()));
  ASSERT_TRUE(caller) << caller.error().detail;
  EXPECT_EQ(caller->account->user_id, 1000001u);
  // realm is not an oauth_* parameter and is not signed.
  const auto with_realm =
      check("OAuth realm=\"x\", " + signed_header(acme_credentials(), "n2").substr(6));
  EXPECT_TRUE(with_realm) << with_realm.error().detail;
}

TEST_F(AuthenticatorTest, RefusesATamperedSignature) {
  std::string header = signed_header(acme_credentials());
  const std::size_t at_signature = header.find("oauth_signature=\"") + 17;
  header[at_signature] = header[at_signature] == 'A' ? 'B' : 'A';
  expect_refused(check(header), AuthFailureReason::signature,
                 "Your account could not be authenticated. Reason: Invalid signature");
}

TEST_F(AuthenticatorTest, RefusesASignatureOverAnotherUrlOrQuery) {
  const std::string header = signed_header(acme_credentials(), "n", kWallNow, {},
                                           "http://127.0.0.1:10880/insights/engagement/28hr");
  expect_refused(check(header), AuthFailureReason::signature,
                 "Your account could not be authenticated. Reason: Invalid signature");
  const std::string search = "http://127.0.0.1:10880/2/tweets/search/recent?query=%23a";
  const std::string search_header = signed_header(acme_credentials(), "n3", kWallNow, {}, search);
  // The query string is part of what is signed.
  EXPECT_TRUE(check(search_header, search, {.bearer = true}, "POST"));
  expect_refused(check(signed_header(acme_credentials(), "n4", kWallNow, {}, search),
                       "http://127.0.0.1:10880/2/tweets/search/recent?query=%23b"),
                 AuthFailureReason::signature,
                 "Your account could not be authenticated. Reason: Invalid signature");
}

TEST_F(AuthenticatorTest, RefusesAnotherAppsConsumerKey) {
  auto credentials = acme_credentials();
  credentials.consumer_key = "other-consumer-key";
  expect_refused(check(signed_header(credentials)), AuthFailureReason::consumer_key,
                 "Your account could not be authenticated. Reason: Invalid consumer key");
}

TEST_F(AuthenticatorTest, RefusesAnUnknownOrRevokedTokenAsNotFound) {
  auto credentials = acme_credentials();
  credentials.token = "999-unknown";
  expect_refused(check(signed_header(credentials)), AuthFailureReason::unknown_token,
                 "Your account could not be authenticated. Reason: Access token not found");
  revoked_ = {"acme"};
  expect_refused(check(signed_header(acme_credentials())), AuthFailureReason::revoked_token,
                 "Your account could not be authenticated. Reason: Access token not found");
}

TEST_F(AuthenticatorTest, RefusesATimestampOutsideTheSkewOfTheWallClock) {
  EXPECT_TRUE(check(signed_header(acme_credentials(), "a", kWallNow + 300)));
  EXPECT_TRUE(check(signed_header(acme_credentials(), "b", kWallNow - 300)));
  expect_refused(check(signed_header(acme_credentials(), "c", kWallNow + 301)),
                 AuthFailureReason::timestamp,
                 "Your account could not be authenticated. Reason: Timestamp out of bounds");
  expect_refused(check(signed_header(acme_credentials(), "d", kWallNow - 301)),
                 AuthFailureReason::timestamp,
                 "Your account could not be authenticated. Reason: Timestamp out of bounds");
}

TEST_F(AuthenticatorTest, RefusesAReplayedNonceUntilItCouldNoLongerBeValid) {
  EXPECT_TRUE(check(signed_header(acme_credentials(), "once")));
  expect_refused(check(signed_header(acme_credentials(), "once")), AuthFailureReason::nonce_replay,
                 "Your account could not be authenticated. Reason: Nonce already used");
  wall_.advance(std::chrono::seconds(601));
  EXPECT_TRUE(check(signed_header(acme_credentials(), "once", kWallNow + 601)));
}

TEST_F(AuthenticatorTest, ChecksTheBodyHashWhenTheClientSendsOne) {
  EXPECT_TRUE(check(signed_header(acme_credentials(), "h1", kWallNow,
                                  {{"oauth_body_hash", wire::oauth::body_hash(kBody)}})));
  expect_refused(
      check(signed_header(acme_credentials(), "h2", kWallNow,
                          {{"oauth_body_hash", wire::oauth::body_hash("{}")}})),
      AuthFailureReason::body_hash,
      "Your account could not be authenticated. Reason: Body hash does not match the body");
}

TEST_F(AuthenticatorTest, RefusesMissingMalformedAndUnknownAuthorization) {
  expect_refused(check(""), AuthFailureReason::missing,
                 "Your account could not be authenticated. Reason: Unknown Authorization Type");
  expect_refused(check("Basic abc"), AuthFailureReason::unknown_scheme,
                 "Your account could not be authenticated. Reason: Unknown Authorization Type");
  expect_refused(check("OAuth oauth_token=abc"), AuthFailureReason::malformed,
                 "Your account could not be authenticated. Reason: Malformed OAuth header");
  expect_refused(check(R"(OAuth oauth_token="1000001-acme-demo-token")"),
                 AuthFailureReason::malformed,
                 "Your account could not be authenticated. Reason: Malformed OAuth header");
}

TEST_F(AuthenticatorTest, AcceptsOnlyTheAppsBearerTokenAndOnlyWhereAllowed) {
  const auto app = check("Bearer demo-bearer-token");
  ASSERT_TRUE(app);
  EXPECT_EQ(app->kind, Caller::Kind::bearer);
  expect_refused(check("Bearer someone-elses"), AuthFailureReason::bad_bearer,
                 "Your account could not be authenticated. Reason: Access token not found");
  expect_refused(check("Bearer demo-bearer-token", kTotalsUrl, {}),
                 AuthFailureReason::bearer_not_allowed,
                 "Your account could not be authenticated. Reason: Unknown Authorization Type");
}

TEST_F(AuthenticatorTest, AcceptsConsumerKeyOnlyOAuthAsTheAppWhereAllowed) {
  // Gnip-Insights-Interface signs public /totals requests with blank token and token secret;
  // requests-oauthlib then sends no oauth_token and signs with "consumer_secret&".
  const wire::oauth::Credentials app_only{"demo-consumer-key", "demo-consumer-secret", "", ""};
  const auto app = check(signed_header(app_only, "app-1"));
  ASSERT_TRUE(app) << app.error().detail;
  EXPECT_EQ(app->kind, Caller::Kind::app_oauth);
  EXPECT_TRUE(app->app_only());
  // An explicitly empty oauth_token means the same.
  const auto empty_token = check(signed_header(app_only, "app-2", kWallNow, {{"oauth_token", ""}}));
  ASSERT_TRUE(empty_token) << empty_token.error().detail;
  EXPECT_EQ(empty_token->kind, Caller::Kind::app_oauth);

  expect_refused(check(signed_header(app_only, "app-3"), kTotalsUrl, {.bearer = true}),
                 AuthFailureReason::app_oauth_not_allowed,
                 "Your account could not be authenticated. Reason: Application-only OAuth (no "
                 "oauth_token) is not supported on this endpoint; sign with the Post owner's "
                 "access token");
  // The signature still has to be the app's: signed with a token secret, or another app's key.
  auto with_secret = app_only;
  with_secret.token_secret = "acme-demo-token-secret";
  expect_refused(check(signed_header(with_secret, "app-4")), AuthFailureReason::signature,
                 "Your account could not be authenticated. Reason: Invalid signature");
  auto other_key = app_only;
  other_key.consumer_key = "other-consumer-key";
  expect_refused(check(signed_header(other_key, "app-5")), AuthFailureReason::consumer_key,
                 "Your account could not be authenticated. Reason: Invalid consumer key");
  expect_refused(check(signed_header(app_only, "app-1")), AuthFailureReason::nonce_replay,
                 "Your account could not be authenticated. Reason: Nonce already used");
}

TEST_F(AuthenticatorTest, VerifiesTheAppsBasicCredentialsForTheTokenEndpoint) {
  EXPECT_TRUE(authenticator_.verify_app_basic(
      "Basic " + wire::oauth::base64_encode("demo-consumer-key:demo-consumer-secret")));
  EXPECT_FALSE(authenticator_.verify_app_basic(
      "Basic " + wire::oauth::base64_encode("demo-consumer-key:wrong")));
  EXPECT_FALSE(authenticator_.verify_app_basic("Basic not-base64!"));
  EXPECT_FALSE(authenticator_.verify_app_basic("Bearer demo-bearer-token"));
  world_.app.consumer_key = "key with space";
  EXPECT_TRUE(authenticator_.verify_app_basic(
      "Basic " + wire::oauth::base64_encode("key%20with%20space:demo-consumer-secret")));
}

}  // namespace
}  // namespace xee::simulator::server

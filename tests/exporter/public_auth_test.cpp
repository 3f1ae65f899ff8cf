// How [app] public_auth and the credentials at hand decide the /totals collector's app auth.

#include <gtest/gtest.h>

#include "exporter/exporter_app.h"

namespace xee::exporter {
namespace {

using collectors::AppOAuth;
using collectors::BearerAuth;
using config::PublicAuthMode;

config::AppConfig app(bool key, bool bearer, PublicAuthMode mode) {
  config::AppConfig app;
  if (key) {
    app.consumer_key = config::Secret("demo-consumer-key", "test");
    app.consumer_secret = config::Secret("demo-consumer-secret", "test");
  }
  if (bearer) app.bearer_token = config::Secret("configured-bearer", "test");
  app.public_auth = mode;
  return app;
}

std::string shown(const collectors::PublicAuth& auth) {
  if (const auto* bearer = std::get_if<BearerAuth>(&auth)) return "bearer:" + bearer->token;
  const auto& credentials = std::get<AppOAuth>(auth).credentials;
  return "oauth1_app:" + credentials.consumer_key + "/" + credentials.consumer_secret + "/" +
         credentials.token + "/" + credentials.token_secret;
}

const std::optional<BearerAuth> kFetched = BearerAuth{"fetched-bearer"};
constexpr std::string_view kAppOnly = "oauth1_app:demo-consumer-key/demo-consumer-secret//";

TEST(PublicAuthFor, AutoPrefersTheConfiguredThenTheFetchedBearerThenTheConsumerKeyAlone) {
  EXPECT_EQ(shown(public_auth_for(app(true, true, PublicAuthMode::automatic), std::nullopt)),
            "bearer:configured-bearer");
  EXPECT_EQ(shown(public_auth_for(app(true, false, PublicAuthMode::automatic), kFetched)),
            "bearer:fetched-bearer");
  // No token configured and none fetched (yet): sign with the consumer key and secret alone.
  EXPECT_EQ(shown(public_auth_for(app(true, false, PublicAuthMode::automatic), std::nullopt)),
            kAppOnly);
}

TEST(PublicAuthFor, BearerNeverFallsBackAndOAuth1AppAlwaysSignsWithTheKey) {
  EXPECT_EQ(shown(public_auth_for(app(true, false, PublicAuthMode::bearer), std::nullopt)),
            "bearer:");
  EXPECT_EQ(shown(public_auth_for(app(true, false, PublicAuthMode::bearer), kFetched)),
            "bearer:fetched-bearer");
  EXPECT_EQ(shown(public_auth_for(app(true, true, PublicAuthMode::oauth1_app), kFetched)),
            kAppOnly);
}

}  // namespace
}  // namespace xee::exporter

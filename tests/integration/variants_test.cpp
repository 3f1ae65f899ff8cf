// X's answer variants against the simulator over real HTTP (issue 11, point 5): "Forbidden to
// access tweets" answered with 403, 400 or 200 with partial results, and public /totals metrics
// signed with the consumer key and secret alone. In every case the exporter serves the
// simulator's exact values and says in its own metrics what happened.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "collectors/client/http_transport.h"
#include "collectors/client/x_api_client.h"
#include "common/time_format.h"
#include "simulator/world/world.h"
#include "tests/integration/stack.h"

namespace xee::test_stack {
namespace {

using namespace std::chrono_literals;
using collectors::AppOAuth;
using collectors::FailureKind;
using collectors::TotalsRequest;
using collectors::UserAuth;
using wire::EngagementType;

const std::string kConfigTemplate = read_text_file(XEE_TEST_DIR "/configs/totals.toml");
constexpr auto kStartTimeout = 60s;
constexpr wire::PostId kAcmePost = 2123222773114340474ULL;
constexpr wire::PostId kAcmeVideoPost = 2123521096312426148ULL;
// globex's, configured as acme's in totals.toml.
constexpr wire::PostId kMisconfigured = 2123362625092853046ULL;
constexpr wire::PostId kPublicVideoPost = 2123555863147842837ULL;

std::uint64_t world_value(wire::PostId id, EngagementType type) {
  static const simulator::World world(simulator::demo_world());
  const auto now = common::parse_iso8601(kDemoClockStart).value();
  return world.cumulative(world.find_post(id, now).value(), type, now);
}

std::string series(std::string_view family, wire::PostId id) {
  return std::string(family) + "{post_id=\"" + wire::format_post_id(id) + "\"}";
}
std::string count_series(wire::PostId id, EngagementType type) {
  return "x_engagement_post_lifetime_interactions{post_id=\"" + wire::format_post_id(id) +
         "\",engagement_type=\"" + std::string(wire::to_string(type)) + "\"}";
}

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class VariantsAgainstSimulator : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("variants");
    auto simulator = Simulator::start(dir_);
    ASSERT_TRUE(simulator) << simulator.error().message;
    simulator_.emplace(std::move(*simulator));
  }

  void start_exporter(const std::string& config) {
    auto exporter = Exporter::start(dir_, config, simulator_->url());
    ASSERT_TRUE(exporter) << exporter.error().message;
    exporter_.emplace(std::move(*exporter));
    ASSERT_TRUE(exporter_->wait_ready(kStartTimeout)) << "exporter never became ready; its log:\n"
                                                      << exporter_->process().read_stderr();
  }

  // The owned Posts' seven values and the stripped Post's public ones, equal to the World's.
  static void expect_simulators_values(const std::string& metrics) {
    for (const wire::PostId id : {kAcmePost, kAcmeVideoPost}) {
      EXPECT_EQ(sample_value(metrics, series("x_engagement_post_lifetime_impressions", id)),
                world_value(id, EngagementType::impressions));
      EXPECT_EQ(sample_value(metrics, series("x_engagement_post_lifetime_engagements", id)),
                world_value(id, EngagementType::engagements));
      for (const EngagementType type : wire::kPublicTypes) {
        EXPECT_EQ(sample_value(metrics, count_series(id, type)), world_value(id, type))
            << wire::format_post_id(id) << " " << wire::to_string(type);
      }
    }
    EXPECT_FALSE(
        sample_value(metrics, series("x_engagement_post_lifetime_impressions", kMisconfigured)));
    for (const EngagementType type : wire::kPublicTypes) {
      EXPECT_EQ(sample_value(metrics, count_series(kMisconfigured, type)),
                world_value(kMisconfigured, type))
          << wire::to_string(type);
    }
    EXPECT_EQ(sample_value(metrics, count_series(kPublicVideoPost, EngagementType::video_views)),
              world_value(kPublicVideoPost, EngagementType::video_views));
    EXPECT_EQ(sample_value(metrics, "x_engagement_posts_excluded{reason=\"not_owned\"}"), 1);
    EXPECT_EQ(sample_value(metrics, "x_engagement_collector_up{collector=\"totals\"}"), 1);
  }

  std::string dir_;
  std::optional<Simulator> simulator_;
  std::optional<Exporter> exporter_;
};

class ForbiddenStatusVariant : public VariantsAgainstSimulator,
                               public ::testing::WithParamInterface<int> {};

TEST_P(ForbiddenStatusVariant, StripsTheRefusedPostAndServesEveryOtherValue) {
  const int status = GetParam();
  ASSERT_TRUE(
      simulator_->set_faults(R"({"forbidden_tweets_status":)" + std::to_string(status) + "}"));
  start_exporter(kConfigTemplate);
  const std::string metrics = exporter_->metrics();
  expect_simulators_values(metrics);
  EXPECT_EQ(sample_value(metrics, "x_engagement_posts_stripped_total{code=\"" +
                                      std::to_string(status) + "\",endpoint=\"totals\"}"),
            1);
  // A refusal as an error status costs a resend of the rest; inside a 200 it costs nothing.
  EXPECT_EQ(
      sample_value(metrics,
                   "x_engagement_api_retries_total{endpoint=\"totals\",reason=\"forbidden_ids\"}"),
      status == 200 ? std::nullopt : std::optional<double>(1));
  EXPECT_EQ(sample_value(metrics, "x_engagement_api_requests_total{code=\"" +
                                      std::to_string(status) + "\",endpoint=\"totals\"}") > 0,
            true);
}

INSTANTIATE_TEST_SUITE_P(Statuses, ForbiddenStatusVariant, ::testing::Values(403, 400, 200));

// No Bearer token configured and none can be fetched (the token endpoint does not answer):
// public metrics go signed with the consumer key and secret alone, and are the simulator's.
TEST_F(VariantsAgainstSimulator, FallsBackToConsumerKeyOnlyOAuthWhenNoBearerTokenCanBeFetched) {
  std::string config =
      replaced(kConfigTemplate, "bearer_token = { env = \"X_BEARER_TOKEN\" }\n", "");
  config =
      replaced(config, "search_url = \"@SIMULATOR_URL@\"", "search_url = \"http://127.0.0.1:9\"");
  start_exporter(config);
  expect_simulators_values(exporter_->metrics());
  EXPECT_NE(exporter_->process().read_stderr().find(
                "public /totals metrics are signed with the consumer key and secret alone"),
            std::string::npos);
}

// public_auth = "oauth1_app" uses the consumer key even beside a Bearer token: here one the
// simulator would refuse, so every public value served proves the OAuth 1.0a path.
TEST_F(VariantsAgainstSimulator, SignsPublicMetricsWithTheConsumerKeyAloneWhenConfiguredTo) {
  start_exporter(replaced(kConfigTemplate, "bearer_token = { env = \"X_BEARER_TOKEN\" }",
                          "bearer_token = \"not-the-apps-bearer-token\"\n"
                          "public_auth = \"oauth1_app\""));
  const std::string metrics = exporter_->metrics();
  expect_simulators_values(metrics);
  EXPECT_FALSE(
      sample_value(metrics, "x_engagement_api_requests_total{code=\"401\",endpoint=\"totals\"}"));
}

// The client itself: what the simulator accepts and refuses from consumer-key-only OAuth 1.0a.
TEST_F(VariantsAgainstSimulator, ConsumerKeyOnlyOAuthIsAcceptedForPublicTotalsOnly) {
  common::SystemClock wall_clock;
  collectors::client::CurlTransport transport;
  collectors::client::XApiClient client(transport, simulator_->url(), wall_clock);
  const AppOAuth app{{"demo-consumer-key", "demo-consumer-secret", "", ""}};
  const std::vector<EngagementType> public_types(wire::kPublicTypes.begin(),
                                                 wire::kPublicTypes.end());
  const auto ok = client.totals(TotalsRequest{{kPublicVideoPost}, public_types, app});
  ASSERT_TRUE(ok.value) << ok.value.error().message;
  for (const EngagementType type : wire::kPublicTypes) {
    EXPECT_EQ(ok.value->posts.at(0).second.value(type), world_value(kPublicVideoPost, type));
  }
  const auto impressions = client.totals(
      TotalsRequest{{kAcmePost}, {EngagementType::impressions, EngagementType::favorites}, app});
  ASSERT_FALSE(impressions.value);
  EXPECT_EQ(impressions.exchange.http_status, 403);
  EXPECT_EQ(impressions.value.error().message,
            "totals: HTTP 403: Forbidden to access metrics: impressions");
}

}  // namespace
}  // namespace xee::test_stack

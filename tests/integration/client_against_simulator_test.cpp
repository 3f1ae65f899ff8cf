// The project's own API client against the simulator over real HTTP: the simulator accepts what
// the client signs, and each of X's answers reaches the collector as the right value or failure.

#include <gtest/gtest.h>

#include "collectors/client/http_transport.h"
#include "collectors/client/x_api_client.h"
#include "common/time_format.h"
#include "simulator/world/world.h"
#include "tests/integration/stack.h"

namespace xee::test_stack {
namespace {

using collectors::ApiFailure;
using collectors::BearerAuth;
using collectors::FailureKind;
using collectors::TotalsRequest;
using collectors::UserAuth;
using wire::EngagementType;

const UserAuth kAcme{"acme",
                     {"demo-consumer-key", "demo-consumer-secret", "1000001-acme-demo-token",
                      "acme-demo-token-secret"}};
constexpr wire::PostId kAcmePost = 2123222773114340474ULL;
constexpr wire::PostId kGlobexPost = 2123482310501211442ULL;
const std::vector<EngagementType> kSevenTypes(wire::kTotalsTypes.begin(), wire::kTotalsTypes.end());

class ClientAgainstSimulator : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("client");
    auto simulator = Simulator::start(dir_);
    ASSERT_TRUE(simulator) << simulator.error().message;
    simulator_.emplace(std::move(*simulator));
    client_.emplace(transport_, simulator_->url(), wall_clock_);
  }

  std::string dir_;
  std::optional<Simulator> simulator_;
  common::SystemClock wall_clock_;
  collectors::client::CurlTransport transport_;
  std::optional<collectors::client::XApiClient> client_;
};

TEST_F(ClientAgainstSimulator, SignedUserContextRequestsAreAcceptedAndDecodedExactly) {
  const auto result = client_->totals(TotalsRequest{{kAcmePost}, kSevenTypes, kAcme});
  ASSERT_TRUE(result.value) << result.value.error().message;
  EXPECT_EQ(result.exchange.http_status, 200);
  EXPECT_EQ(result.exchange.rate_limit.minute_limit, 60);
  ASSERT_EQ(result.value->posts.size(), 1u);
  const auto& [id, values] = result.value->posts.front();
  EXPECT_EQ(id, kAcmePost);
  const simulator::World world(simulator::demo_world());
  const auto now = common::parse_iso8601(kDemoClockStart).value();
  const auto post = world.find_post(kAcmePost, now).value();
  for (const EngagementType type : kSevenTypes) {
    ASSERT_TRUE(values.has(type)) << wire::to_string(type);
    EXPECT_EQ(values.value(type), world.cumulative(post, type, now)) << wire::to_string(type);
  }
}

TEST_F(ClientAgainstSimulator, AnotherAccountsPostIsReportedAsForbiddenWithItsId) {
  const auto result = client_->totals(TotalsRequest{{kAcmePost, kGlobexPost}, kSevenTypes, kAcme});
  ASSERT_FALSE(result.value);
  EXPECT_EQ(result.exchange.http_status, 403);
  EXPECT_EQ(result.value.error().kind, FailureKind::forbidden_posts);
  EXPECT_EQ(result.value.error().forbidden_post_ids, std::vector<wire::PostId>{kGlobexPost});
}

TEST_F(ClientAgainstSimulator, BearerGetsPublicMetricsButNotImpressions) {
  const std::vector<EngagementType> public_types(wire::kPublicTypes.begin(),
                                                 wire::kPublicTypes.end());
  const auto ok =
      client_->totals(TotalsRequest{{kGlobexPost}, public_types, BearerAuth{"demo-bearer-token"}});
  ASSERT_TRUE(ok.value) << ok.value.error().message;
  EXPECT_TRUE(ok.value->posts.front().second.has(EngagementType::favorites));

  const auto refused =
      client_->totals(TotalsRequest{{kGlobexPost}, kSevenTypes, BearerAuth{"demo-bearer-token"}});
  ASSERT_FALSE(refused.value);
  EXPECT_EQ(refused.value.error().kind, FailureKind::auth);
  EXPECT_EQ(refused.exchange.http_status, 403);
}

TEST_F(ClientAgainstSimulator, AWrongTokenSecretFailsAuthenticationWithoutLeakingIt) {
  UserAuth wrong = kAcme;
  wrong.credentials.token_secret = "not-the-secret-s3cr3t";
  const auto result = client_->totals(TotalsRequest{{kAcmePost}, kSevenTypes, wrong});
  ASSERT_FALSE(result.value);
  EXPECT_EQ(result.exchange.http_status, 401);
  EXPECT_EQ(result.value.error().kind, FailureKind::auth);
  EXPECT_EQ(result.value.error().message.find("s3cr3t"), std::string::npos);
}

TEST_F(ClientAgainstSimulator, FetchesTheAppsBearerTokenWithConsumerCredentials) {
  const auto token = collectors::client::fetch_bearer_token(
      transport_, simulator_->url() + "/oauth2/token", "demo-consumer-key", "demo-consumer-secret");
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(*token, "demo-bearer-token");
  EXPECT_FALSE(collectors::client::fetch_bearer_token(
      transport_, simulator_->url() + "/oauth2/token", "demo-consumer-key", "wrong"));
}

TEST_F(ClientAgainstSimulator, BrokenAnswersBecomeDecodeOrNetworkFailures) {
  ASSERT_TRUE(simulator_->set_faults(R"({"malformed_rate":1})"));
  auto result = client_->totals(TotalsRequest{{kAcmePost}, kSevenTypes, kAcme});
  ASSERT_FALSE(result.value);
  EXPECT_EQ(result.value.error().kind, FailureKind::decode);

  // Half the body, then the connection closes: curl reports the short transfer.
  ASSERT_TRUE(simulator_->set_faults(R"({"malformed_rate":0,"truncated_rate":1})"));
  result = client_->totals(TotalsRequest{{kAcmePost}, kSevenTypes, kAcme});
  ASSERT_FALSE(result.value);
  EXPECT_EQ(result.value.error().kind, FailureKind::network);

  ASSERT_TRUE(simulator_->set_faults(R"({"truncated_rate":0,"reset_rate":1})"));
  result = client_->totals(TotalsRequest{{kAcmePost}, kSevenTypes, kAcme});
  ASSERT_FALSE(result.value);
  EXPECT_EQ(result.value.error().kind, FailureKind::network);
  EXPECT_EQ(result.exchange.http_status, 0);
}

}  // namespace
}  // namespace xee::test_stack

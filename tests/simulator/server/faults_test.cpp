#include "simulator/server/faults.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace xee::simulator::server {
namespace {

std::vector<FaultPlan> plans(FaultInjector& injector, int count) {
  std::vector<FaultPlan> out;
  for (int i = 0; i < count; ++i) out.push_back(injector.plan_next());
  return out;
}

FaultConfig mixed(std::uint64_t seed) {
  FaultConfig config;
  config.error_rate = 0.2;
  config.reset_rate = 0.1;
  config.malformed_rate = 0.1;
  config.seed = seed;
  return config;
}

TEST(FaultInjector, SameSeedGivesSameFaultsAndAnotherSeedOthers) {
  FaultInjector first(mixed(42));
  FaultInjector second(mixed(42));
  FaultInjector other(mixed(43));
  const auto a = plans(first, 200);
  EXPECT_EQ(plans(second, 200), a);
  EXPECT_NE(plans(other, 200), a);
}

TEST(FaultInjector, FiresAtTheConfiguredRateExactlyReproducibly) {
  FaultConfig config;
  config.error_rate = 0.3;
  config.seed = 7;
  FaultInjector injector(config);
  std::map<int, int> statuses;
  int errors = 0;
  for (const auto& plan : plans(injector, 1000)) {
    if (plan.error_status) {
      ++errors;
      ++statuses[*plan.error_status];
    }
  }
  // mt19937_64's output is fixed by the C++ standard, so these counts hold on every platform.
  EXPECT_EQ(errors, 286);
  EXPECT_EQ(statuses.size(), 3u);
  EXPECT_EQ(statuses[500] + statuses[502] + statuses[503], errors);
}

TEST(FaultInjector, RatesZeroAndOneNeverAndAlwaysFireWithResetFirst) {
  FaultInjector none(FaultConfig{});
  for (const auto& plan : plans(none, 100)) EXPECT_EQ(plan, FaultPlan{});
  FaultConfig all;
  all.reset_rate = 1;
  all.error_rate = 1;
  all.malformed_rate = 1;
  all.latency = std::chrono::milliseconds(250);
  FaultInjector always(all);
  for (const auto& plan : plans(always, 20)) {
    EXPECT_TRUE(plan.reset);
    EXPECT_FALSE(plan.error_status);
    EXPECT_FALSE(plan.malformed);
    EXPECT_EQ(plan.latency, std::chrono::milliseconds(250));
  }
}

TEST(FaultInjector, ChangingOneRateDoesNotMoveWhenTheOthersFire) {
  FaultConfig errors_only = mixed(9);
  errors_only.reset_rate = 0;
  errors_only.malformed_rate = 0;
  FaultConfig with_truncation = errors_only;
  with_truncation.truncated_rate = 0.5;
  FaultInjector a(errors_only);
  FaultInjector b(with_truncation);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(a.plan_next().error_status, b.plan_next().error_status);
}

TEST(FaultInjector, ReplaceReseedsSoTheSequenceStartsOver) {
  FaultInjector injector(mixed(5));
  const auto first = plans(injector, 50);
  injector.replace(mixed(5));
  EXPECT_EQ(plans(injector, 50), first);
  EXPECT_EQ(injector.config(), mixed(5));
}

TEST(FaultConfigJson, RoundTripsAndMergesOnlyTheFieldsGiven) {
  const WorldConfig world = demo_world();
  FaultConfig base;
  base.error_rate = 0.5;
  base.latency = std::chrono::milliseconds(200);
  base.seed = 42;
  EXPECT_EQ(faults_to_json(base),
            R"({"error_rate":0.5,"rate_limit_rate":0.0,"malformed_rate":0.0,"truncated_rate":0.0,)"
            R"("reset_rate":0.0,"latency":"200ms","revoked_accounts":[],"deleted_posts":[],)"
            R"("forbidden_tweets_status":null,"seed":42})");
  const auto merged = merge_faults_json(
      base,
      R"({"reset_rate":1,"revoked_accounts":["globex"],"deleted_posts":["123",456],)"
      R"("forbidden_tweets_status":200})",
      world);
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->error_rate, 0.5);
  EXPECT_EQ(merged->reset_rate, 1.0);
  EXPECT_EQ(merged->latency, std::chrono::milliseconds(200));
  EXPECT_EQ(merged->revoked_accounts, std::set<std::string>{"globex"});
  EXPECT_EQ(merged->deleted_posts, (std::set<wire::PostId>{123, 456}));
  EXPECT_EQ(merged->forbidden_tweets_status, 200);
  EXPECT_EQ(merge_faults_json(base, faults_to_json(*merged), world).value(), *merged);
  EXPECT_EQ(merge_faults_json(*merged, R"({"forbidden_tweets_status":null})", world)
                ->forbidden_tweets_status,
            std::nullopt);
}

TEST(FaultConfigJson, NamesTheFieldThatIsWrong) {
  const WorldConfig world = demo_world();
  EXPECT_EQ(merge_faults_json({}, R"({"error_rate":1.5})", world).error().message,
            "error_rate must be between 0 and 1, got 1.500000");
  EXPECT_EQ(merge_faults_json({}, R"({"error_rate":"high"})", world).error().message,
            "error_rate must be a number");
  EXPECT_EQ(merge_faults_json({}, R"({"latency":"soon"})", world).error().message,
            "latency must be a duration string such as \"200ms\"");
  EXPECT_EQ(merge_faults_json({}, R"({"revoked_accounts":["nobody"]})", world).error().message,
            "revoked_accounts: no configured account has the handle 'nobody'");
  EXPECT_EQ(merge_faults_json({}, R"({"deleted_posts":["x"]})", world).error().message,
            "deleted_posts contains a value that is not a Post ID");
  EXPECT_EQ(merge_faults_json({}, R"({"forbidden_tweets_status":"400"})", world).error().message,
            "forbidden_tweets_status must be 403, 400, 200 or null (the world's)");
  EXPECT_EQ(merge_faults_json({}, R"({"forbidden_tweets_status":404})", world).error().message,
            "forbidden_tweets_status must be 403, 400, 200 or null (the world's), got 404");
  EXPECT_EQ(merge_faults_json({}, R"({"errors_rate":1})", world).error().message,
            "unknown field 'errors_rate'");
  EXPECT_EQ(merge_faults_json({}, "[1]", world).error().message, "the body must be a JSON object");
}

}  // namespace
}  // namespace xee::simulator::server

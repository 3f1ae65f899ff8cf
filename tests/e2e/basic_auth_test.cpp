// End to end: the exporter with [web.basic_auth_users] is scraped by a real Prometheus that sends
// basic_auth (up 1) and refused to one that does not (up 0); a reload that changes the password
// locks the first one out without a restart.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "tests/exporter/basic_auth_fixtures.h"
#include "tests/integration/stack.h"
#include "tests/support/http_client.h"

namespace xee::test_stack {
namespace {

using namespace std::chrono_literals;

// The /totals integration config with one scrape user whose hash is `hash`.
std::string config_with_scrape_user(std::string_view hash) {
  return read_text_file(XEE_TEST_DIR "/../integration/configs/totals.toml") +
         "\n[web.basic_auth_users]\nprometheus = \"" + std::string(hash) + "\"\n";
}

bool scrape_target_up(const Prometheus& prometheus, double expected) {
  return prometheus.query_single_value("up{job=\"x-engagement\"}") == expected;
}

TEST(PrometheusScrapesWithBasicAuth, OnlyTheConfiguredPasswordGetsUpOneAndReloadChangesIt) {
  const std::string dir = make_temp_dir("e2e-basic-auth");
  auto simulator = Simulator::start(dir);
  ASSERT_TRUE(simulator) << simulator.error().message;
  auto exporter = Exporter::start(
      dir, config_with_scrape_user(exporter::testing::kScrapeSecretHash), simulator->url());
  ASSERT_TRUE(exporter) << exporter.error().message;
  const test_support::HttpRequestOptions as_prometheus{
      .headers = {
          {"Authorization", exporter::testing::basic_authorization("prometheus:scrape-secret")}}};
  ASSERT_TRUE(eventually(
      [&] {
        return test_support::http_get(exporter->url() + "/-/ready", as_prometheus).status == 200;
      },
      60s))
      << exporter->process().read_stderr();
  const auto anonymous = test_support::http_get(exporter->url() + "/metrics");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.header("WWW-Authenticate"), "Basic");

  const std::string target = exporter->url().substr(std::string("http://").size());
  std::filesystem::create_directories(dir + "/with-password");
  std::filesystem::create_directories(dir + "/without-password");
  auto with_password = Prometheus::start(dir + "/with-password", {target}, {},
                                         ScrapeBasicAuth{"prometheus", "scrape-secret"});
  ASSERT_TRUE(with_password) << with_password.error().message;
  auto without_password = Prometheus::start(dir + "/without-password", {target});
  ASSERT_TRUE(without_password) << without_password.error().message;

  // Prometheus's first scrape lands a few seconds after it starts.
  EXPECT_TRUE(eventually([&] { return scrape_target_up(*with_password, 1); }, 60s))
      << with_password->query("up");
  EXPECT_TRUE(eventually([&] { return scrape_target_up(*without_password, 0); }, 60s))
      << without_password->query("up");
  // The scraped page is the exporter's, not an error page that happened to parse.
  EXPECT_TRUE(eventually(
      [&] { return with_password->query_single_value("count(x_engagement_build_info)") == 1; },
      30s))
      << with_password->query("x_engagement_build_info");

  // The password changes on disk; SIGHUP applies it and the old one stops working.
  ASSERT_TRUE(
      exporter->reload_with(config_with_scrape_user(exporter::testing::kAlicePasswordHash)));
  EXPECT_TRUE(eventually([&] { return scrape_target_up(*with_password, 0); }, 30s))
      << with_password->query("up") << "\n"
      << exporter->process().read_stderr();
  const auto new_password = test_support::http_get(
      exporter->url() + "/-/healthy",
      {.headers = {{"Authorization",
                    exporter::testing::basic_authorization("prometheus:alice-password")}}});
  EXPECT_EQ(new_password.status, 200);
}

}  // namespace
}  // namespace xee::test_stack

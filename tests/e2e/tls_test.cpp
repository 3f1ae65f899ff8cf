// End to end over mutual TLS: the exporter with [web.tls] (RequireAndVerifyClientCert) is scraped
// by a real Prometheus with scheme https and a tls_config holding the test CA and a client
// certificate (up 1, the simulator's values arrive), while a Prometheus without a client
// certificate is refused (up 0); a renewed server certificate is served after SIGHUP and the
// scrapes go on.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "tests/integration/stack.h"
#include "tests/support/http_client.h"
#include "tests/support/test_certificates.h"

namespace xee::test_stack {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// The /totals integration config served over mutual TLS with the certificates in `dir`.
std::string config_with_mutual_tls(const std::string& dir) {
  return read_text_file(XEE_TEST_DIR "/../integration/configs/totals.toml") +
         "\n[web.tls]\ncert_file = \"" + dir + "/server.pem\"\nkey_file = \"" + dir +
         "/server-key.pem\"\nclient_ca_file = \"" + dir +
         "/ca.pem\"\nclient_auth_type = \"RequireAndVerifyClientCert\"\n";
}

bool scrape_target_up(const Prometheus& prometheus, double expected) {
  return prometheus.query_single_value("up{job=\"x-engagement\"}") == expected;
}

TEST(PrometheusScrapesOverMutualTls, OnlyAClientCertificateFromTheCaGetsUpOneAndReloadRenews) {
  const std::string dir = make_temp_dir("e2e-tls");
  auto certificates = test_support::make_test_certificates(dir);
  ASSERT_TRUE(certificates) << certificates.error().message;
  auto simulator = Simulator::start(dir);
  ASSERT_TRUE(simulator) << simulator.error().message;
  const test_support::HttpTlsOptions as_prometheus{.ca_file = certificates->ca.cert,
                                                   .cert_file = certificates->client.cert,
                                                   .key_file = certificates->client.key};
  auto exporter =
      Exporter::start_https(dir, config_with_mutual_tls(dir), simulator->url(), as_prometheus);
  ASSERT_TRUE(exporter) << exporter.error().message;
  ASSERT_TRUE(exporter->wait_ready(60s)) << exporter->process().read_stderr();

  const std::string target = exporter->url().substr(std::string("https://").size());
  std::filesystem::create_directories(dir + "/with-certificate");
  std::filesystem::create_directories(dir + "/without-certificate");
  auto with_certificate = Prometheus::start(
      dir + "/with-certificate", {target}, {}, std::nullopt,
      ScrapeTls{certificates->ca.cert, certificates->client.cert, certificates->client.key});
  ASSERT_TRUE(with_certificate) << with_certificate.error().message;
  auto without_certificate = Prometheus::start(dir + "/without-certificate", {target}, {},
                                               std::nullopt, ScrapeTls{certificates->ca.cert});
  ASSERT_TRUE(without_certificate) << without_certificate.error().message;

  EXPECT_TRUE(eventually([&] { return scrape_target_up(*with_certificate, 1); }, 60s))
      << with_certificate->query("up");
  EXPECT_TRUE(eventually([&] { return scrape_target_up(*without_certificate, 0); }, 60s))
      << without_certificate->query("up");
  // A real value, the same in Prometheus as on the exporter's own page.
  const std::string favorites =
      "x_engagement_post_lifetime_interactions{engagement_type=\"favorites\",post_id="
      "\"2123521096312426148\"}";
  const std::string exposition_series =
      "x_engagement_post_lifetime_interactions{post_id=\"2123521096312426148\",engagement_type="
      "\"favorites\"}";
  std::optional<double> on_page;
  ASSERT_TRUE(eventually(
      [&] {
        on_page = sample_value(exporter->metrics(), exposition_series);
        return on_page.has_value();
      },
      60s))
      << exporter->metrics();
  EXPECT_EQ(*on_page, 34);  // as in tests/integration/golden/totals.prom
  EXPECT_TRUE(
      eventually([&] { return with_certificate->query_single_value(favorites) == on_page; }, 60s))
      << with_certificate->query(favorites);

  // cert-manager style renewal: new key and certificate at the same paths, then SIGHUP.
  auto renewed = test_support::issue_certificate(dir, "server", "renewed", certificates->ca);
  ASSERT_TRUE(renewed) << renewed.error().message;
  ASSERT_TRUE(exporter->reload_with(config_with_mutual_tls(dir)));
  test_support::HttpRequestOptions probe;
  probe.tls = as_prometheus;
  EXPECT_TRUE(eventually(
      [&] {
        return test_support::http_get(exporter->url() + "/-/healthy", probe)
            .peer_subject.ends_with("CN = renewed");
      },
      30s))
      << exporter->process().read_stderr();
  // Every scrape of the last 3 s, all after the renewal, succeeded.
  std::this_thread::sleep_for(4s);
  EXPECT_EQ(with_certificate->query_single_value("min_over_time(up{job=\"x-engagement\"}[3s])"), 1)
      << with_certificate->query("up");
  EXPECT_THAT(exporter->process().read_stderr(), HasSubstr("TLS certificate reloaded"));
}

}  // namespace
}  // namespace xee::test_stack

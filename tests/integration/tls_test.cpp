// The exporter binary serving HTTPS from [web.tls], probed with libcurl: TLS 1.2 and 1.3 with the
// configured certificate, TLS 1.1 refused, mutual TLS refusing a client without a certificate,
// and a SIGHUP whose new key does not match keeping the old certificate serving while the reload
// failure shows in the exporter's own metrics.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "tests/integration/stack.h"
#include "tests/support/http_client.h"
#include "tests/support/test_certificates.h"

namespace xee::test_stack {
namespace {

using namespace std::chrono_literals;
using test_support::http_get;
using test_support::HttpRequestOptions;
using test_support::HttpTlsOptions;
using ::testing::HasSubstr;

std::string config_with_tls(const std::string& cert, const std::string& key,
                            const std::string& client_ca) {
  return read_text_file(XEE_TEST_DIR "/configs/totals.toml") + "\n[web.tls]\ncert_file = \"" +
         cert + "\"\nkey_file = \"" + key + "\"\nclient_ca_file = \"" + client_ca +
         "\"\nclient_auth_type = \"RequireAndVerifyClientCert\"\n";
}

TEST(ExporterOverTls, ServesTls12And13RefusesTls11AndClientsWithoutACertificate) {
  const std::string dir = make_temp_dir("integration-tls");
  auto certificates = test_support::make_test_certificates(dir);
  ASSERT_TRUE(certificates) << certificates.error().message;
  auto simulator = Simulator::start(dir);
  ASSERT_TRUE(simulator) << simulator.error().message;
  const HttpTlsOptions client{.ca_file = certificates->ca.cert,
                              .cert_file = certificates->client.cert,
                              .key_file = certificates->client.key};
  auto exporter = Exporter::start_https(
      dir,
      config_with_tls(certificates->server.cert, certificates->server.key, certificates->ca.cert),
      simulator->url(), client);
  ASSERT_TRUE(exporter) << exporter.error().message;
  ASSERT_TRUE(exporter->wait_ready(60s)) << exporter->process().read_stderr();

  for (const auto version : {HttpTlsOptions::Version::tls12, HttpTlsOptions::Version::tls13}) {
    HttpRequestOptions options;
    options.tls = client;
    options.tls.min_version = version;
    options.tls.max_version = version;
    const auto response = http_get(exporter->url() + "/metrics", options);
    ASSERT_EQ(response.status, 200) << response.transport_error;
    EXPECT_EQ(response.tls_version,
              version == HttpTlsOptions::Version::tls12 ? "TLSv1.2" : "TLSv1.3");
    EXPECT_THAT(response.peer_subject, HasSubstr("CN = exporter"));
    EXPECT_EQ(sample_value(response.body,
                           "x_engagement_post_lifetime_interactions{post_id="
                           "\"2123521096312426148\",engagement_type=\"favorites\"}"),
              34);
  }

  HttpRequestOptions tls11;
  tls11.tls = client;
  tls11.tls.min_version = HttpTlsOptions::Version::tls11;
  tls11.tls.max_version = HttpTlsOptions::Version::tls11;
  tls11.tls.cipher_list = "DEFAULT:@SECLEVEL=0";
  EXPECT_THAT(http_get(exporter->url() + "/-/healthy", tls11).transport_error,
              HasSubstr("alert protocol version"));

  HttpRequestOptions anonymous;
  anonymous.tls.ca_file = certificates->ca.cert;
  anonymous.tls.max_version = HttpTlsOptions::Version::tls12;
  EXPECT_THAT(http_get(exporter->url() + "/metrics", anonymous).transport_error,
              HasSubstr("alert handshake failure"));
  const auto plain = http_get("http" + exporter->url().substr(5) + "/metrics");
  EXPECT_EQ(plain.status, 0);
  EXPECT_FALSE(plain.ok());

  // A reload whose key belongs to another certificate fails; the old certificate keeps serving.
  ASSERT_TRUE(exporter->reload_with(
      config_with_tls(certificates->server.cert, certificates->client.key, certificates->ca.cert)));
  EXPECT_TRUE(eventually(
      [&] {
        return sample_value(exporter->metrics(), "x_engagement_config_last_reload_successful") == 0;
      },
      30s))
      << exporter->process().read_stderr();
  HttpRequestOptions trusted;
  trusted.tls = client;
  const auto after = http_get(exporter->url() + "/-/healthy", trusted);
  EXPECT_EQ(after.status, 200);
  EXPECT_THAT(after.peer_subject, HasSubstr("CN = exporter"));
  EXPECT_THAT(
      exporter->process().read_stderr(),
      HasSubstr("web.tls.key_file: " + certificates->client.key +
                " is not the private key of the certificate in " + certificates->server.cert));
}

}  // namespace
}  // namespace xee::test_stack

// The HTTP server over TLS (exporter/civetweb_tls.h) with certificates the openssl tool makes per
// run: versions, the client certificate policies, plain HTTP on the HTTPS port, many handshakes
// at once, and certificates and policies changed by reload_tls without a restart.

#include <curl/curl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "exporter/http_server.h"
#include "tests/exporter/exposition_fixtures.h"
#include "tests/support/http_client.h"
#include "tests/support/test_certificates.h"

namespace xee::exporter {
namespace {

using common::ClientAuth;
using common::TlsServerSettings;
using common::TlsVersion;
using test_support::http_get;
using test_support::HttpRequestOptions;
using test_support::HttpTlsOptions;
using ::testing::HasSubstr;

class HttpServerTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/xee-tls-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    auto certificates = test_support::make_test_certificates(dir_);
    ASSERT_TRUE(certificates) << certificates.error().message;
    certificates_ = *certificates;
    testing::record_small_telemetry(telemetry_);
    store_.publish_totals(std::make_shared<const store::TotalsSection>(testing::small_totals()));
  }

  TlsServerSettings settings(ClientAuth auth = ClientAuth::no_client_cert) const {
    TlsServerSettings tls;
    tls.cert_file = certificates_.server.cert;
    tls.key_file = certificates_.server.key;
    tls.client_auth = auth;
    if (auth != ClientAuth::no_client_cert) tls.client_ca_file = certificates_.ca.cert;
    return tls;
  }

  void start(const TlsServerSettings& tls) {
    HttpServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.tls = tls;
    options.logger = &logger_;
    auto started = HttpServer::start(options, store_, telemetry_, {});
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(*started);
  }

  std::string subject_served() const {
    return http_get(url("/-/healthy"), trusting()).peer_subject;
  }

  std::string url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

  // Trusts the test CA; presents `client` when given.
  HttpRequestOptions trusting(const test_support::CertificatePair* client = nullptr) const {
    HttpRequestOptions options;
    options.tls.ca_file = certificates_.ca.cert;
    if (client != nullptr) {
      options.tls.cert_file = client->cert;
      options.tls.key_file = client->key;
    }
    return options;
  }

  std::string expected_metrics() const {
    StringSink sink;
    Exposition({}).write(store_.snapshot(), telemetry_.collect(), sink);
    return sink.text();
  }

  // A client certificate from a CA the server does not trust.
  test_support::CertificatePair stranger() const {
    auto ca = test_support::make_ca(dir_, "stranger-ca", "stranger CA");
    EXPECT_TRUE(ca);
    auto client = test_support::issue_certificate(dir_, "stranger", "stranger", *ca, true);
    EXPECT_TRUE(client);
    return client ? *client : test_support::CertificatePair{};
  }

  std::string dir_;
  test_support::TestCertificates certificates_;
  std::ostringstream log_;
  common::SystemClock clock_;
  common::Logger logger_{log_, common::LogLevel::debug, common::LogFormat::logfmt, clock_};
  store::SnapshotStore store_;
  store::Telemetry telemetry_{testing::test_build_info()};
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTlsTest, ServesTls12AndTls13WithTheConfiguredCertificate) {
  start(settings());
  HttpRequestOptions tls12 = trusting();
  tls12.tls.max_version = HttpTlsOptions::Version::tls12;
  const auto over_tls12 = http_get(url("/metrics"), tls12);
  ASSERT_TRUE(over_tls12.ok()) << over_tls12.transport_error;
  EXPECT_EQ(over_tls12.status, 200);
  EXPECT_EQ(over_tls12.body, expected_metrics());
  EXPECT_EQ(over_tls12.tls_version, "TLSv1.2");
  EXPECT_THAT(over_tls12.peer_subject, HasSubstr("CN = exporter"));

  HttpRequestOptions tls13 = trusting();
  tls13.tls.min_version = HttpTlsOptions::Version::tls13;
  const auto over_tls13 = http_get(url("/metrics"), tls13);
  ASSERT_TRUE(over_tls13.ok()) << over_tls13.transport_error;
  EXPECT_EQ(over_tls13.body, expected_metrics());
  EXPECT_EQ(over_tls13.tls_version, "TLSv1.3");
}

TEST_F(HttpServerTlsTest, RefusesTls11EvenFromAClientWillingToUseIt) {
  start(settings());
  HttpRequestOptions tls11 = trusting();
  tls11.tls.min_version = HttpTlsOptions::Version::tls11;
  tls11.tls.max_version = HttpTlsOptions::Version::tls11;
  tls11.tls.cipher_list = "DEFAULT:@SECLEVEL=0";  // the client's own OpenSSL would refuse 1.1
  const auto refused = http_get(url("/-/healthy"), tls11);
  EXPECT_EQ(refused.curl_code, CURLE_SSL_CONNECT_ERROR);
  // The server's alert, not the client's own refusal.
  EXPECT_THAT(refused.transport_error, HasSubstr("alert protocol version"));
  EXPECT_EQ(refused.status, 0);
}

TEST_F(HttpServerTlsTest, MinVersionTls13RefusesATls12Client) {
  TlsServerSettings tls = settings();
  tls.min_version = TlsVersion::tls13;
  start(tls);
  HttpRequestOptions tls12 = trusting();
  tls12.tls.max_version = HttpTlsOptions::Version::tls12;
  const auto refused = http_get(url("/-/healthy"), tls12);
  EXPECT_EQ(refused.curl_code, CURLE_SSL_CONNECT_ERROR);
  EXPECT_THAT(refused.transport_error, HasSubstr("alert protocol version"));
  const auto tls13 = http_get(url("/-/healthy"), trusting());
  EXPECT_EQ(tls13.status, 200);
  EXPECT_EQ(tls13.tls_version, "TLSv1.3");
}

TEST_F(HttpServerTlsTest, PlainHttpOnTheHttpsPortGetsNoAnswerAndHttpsGoesOn) {
  start(settings());
  const auto plain = http_get("http://127.0.0.1:" + std::to_string(server_->port()) + "/metrics");
  EXPECT_FALSE(plain.ok());
  EXPECT_EQ(plain.status, 0);
  EXPECT_EQ(http_get(url("/-/healthy"), trusting()).status, 200);
}

TEST_F(HttpServerTlsTest, ManyHandshakesInARowAndAtOnceAllSucceed) {
  start(settings(ClientAuth::require_and_verify_client_cert));
  const auto options = trusting(&certificates_.client);
  for (int i = 0; i < 100; ++i) {
    const auto response = http_get(url("/-/healthy"), options);
    ASSERT_EQ(response.status, 200) << "handshake " << i << ": " << response.transport_error;
  }
  std::atomic<int> succeeded = 0;
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        const auto response = http_get(url("/metrics"), options);
        if (response.status == 200 && response.body == expected_metrics()) ++succeeded;
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(succeeded.load(), 200);
}

TEST_F(HttpServerTlsTest, RequireAndVerifyClientCertAcceptsOnlyACertificateFromTheClientCa) {
  start(settings(ClientAuth::require_and_verify_client_cert));
  // TLS 1.2 refuses within the handshake; TLS 1.3 after the client's last flight, so its alert
  // races the closed connection and only the missing answer is certain.
  HttpRequestOptions tls12 = trusting();
  tls12.tls.max_version = HttpTlsOptions::Version::tls12;
  const auto without = http_get(url("/metrics"), tls12);
  EXPECT_THAT(without.transport_error, HasSubstr("alert handshake failure"));
  EXPECT_EQ(without.status, 0);
  const auto without_over_tls13 = http_get(url("/metrics"), trusting());
  EXPECT_FALSE(without_over_tls13.ok());
  EXPECT_EQ(without_over_tls13.status, 0);
  const auto from_stranger = stranger();
  HttpRequestOptions stranger_tls12 = trusting(&from_stranger);
  stranger_tls12.tls.max_version = HttpTlsOptions::Version::tls12;
  const auto untrusted = http_get(url("/metrics"), stranger_tls12);
  EXPECT_THAT(untrusted.transport_error, HasSubstr("alert unknown ca"));
  EXPECT_EQ(untrusted.status, 0);
  const auto trusted = http_get(url("/metrics"), trusting(&certificates_.client));
  ASSERT_TRUE(trusted.ok()) << trusted.transport_error;
  EXPECT_EQ(trusted.body, expected_metrics());
}

TEST_F(HttpServerTlsTest, VerifyClientCertIfGivenLetsAnonymousClientsInButNotStrangers) {
  start(settings(ClientAuth::verify_client_cert_if_given));
  EXPECT_EQ(http_get(url("/-/healthy"), trusting()).status, 200);
  const auto from_stranger = stranger();
  EXPECT_EQ(http_get(url("/-/healthy"), trusting(&from_stranger)).status, 0);
  EXPECT_EQ(http_get(url("/-/healthy"), trusting(&certificates_.client)).status, 200);
}

TEST_F(HttpServerTlsTest, RequireAnyClientCertTakesAnyCertificateButNeedsOne) {
  start(settings(ClientAuth::require_any_client_cert));
  EXPECT_EQ(http_get(url("/-/healthy"), trusting()).status, 0);
  const auto from_stranger = stranger();
  EXPECT_EQ(http_get(url("/-/healthy"), trusting(&from_stranger)).status, 200);
}

TEST_F(HttpServerTlsTest, ReloadServesARenewedCertificateOnTheSamePort) {
  start(settings());
  const int port = server_->port();
  EXPECT_THAT(http_get(url("/-/healthy"), trusting()).peer_subject, HasSubstr("CN = exporter"));
  auto renewed = test_support::issue_certificate(dir_, "renewed", "renewed", certificates_.ca);
  ASSERT_TRUE(renewed) << renewed.error().message;
  TlsServerSettings tls = settings();
  tls.cert_file = renewed->cert;
  tls.key_file = renewed->key;
  ASSERT_TRUE(server_->reload_tls(tls));
  EXPECT_EQ(server_->port(), port);
  const auto after = http_get(url("/-/healthy"), trusting());
  EXPECT_EQ(after.status, 200);
  EXPECT_THAT(after.peer_subject, HasSubstr("CN = renewed"));
  EXPECT_THAT(server_->tls_certificate(), HasSubstr("subject=/CN=renewed"));
}

TEST_F(HttpServerTlsTest, ReloadWithAKeyOfAnotherCertificateKeepsTheOldOneServing) {
  start(settings());
  TlsServerSettings tls = settings();
  tls.key_file = certificates_.client.key;
  const auto reloaded = server_->reload_tls(tls);
  ASSERT_FALSE(reloaded);
  EXPECT_EQ(reloaded.error().message, certificates_.client.key +
                                          " is not the private key of the certificate in " +
                                          certificates_.server.cert + " (key values mismatch)");
  const auto still = http_get(url("/-/healthy"), trusting());
  EXPECT_EQ(still.status, 200);
  EXPECT_THAT(still.peer_subject, HasSubstr("CN = exporter"));
}

TEST_F(HttpServerTlsTest, ReloadTightensTheClientPolicyForTheNextHandshake) {
  start(settings());
  EXPECT_EQ(http_get(url("/-/healthy"), trusting()).status, 200);
  ASSERT_TRUE(server_->reload_tls(settings(ClientAuth::require_and_verify_client_cert)));
  EXPECT_EQ(http_get(url("/-/healthy"), trusting()).status, 0);
  EXPECT_EQ(http_get(url("/-/healthy"), trusting(&certificates_.client)).status, 200);
}

TEST_F(HttpServerTlsTest, ServesACertificateRenewedInPlaceWithoutAReload) {
  start(settings());
  EXPECT_THAT(subject_served(), HasSubstr("CN = exporter"));
  // New key and certificate written over the served files, as cert-manager's Secret update does.
  ASSERT_TRUE(test_support::issue_certificate(dir_, "server", "renewed", certificates_.ca));
  EXPECT_THAT(subject_served(), HasSubstr("CN = renewed"));
  EXPECT_THAT(log_.str(), HasSubstr("msg=\"TLS files changed; serving them\""));
  EXPECT_THAT(server_->tls_certificate(), HasSubstr("subject=/CN=renewed"));
}

TEST_F(HttpServerTlsTest, AHalfWrittenRenewalKeepsTheOldCertificateUntilTheKeyMatches) {
  start(settings());
  auto renewed = test_support::issue_certificate(dir_, "renewed", "renewed", certificates_.ca);
  ASSERT_TRUE(renewed) << renewed.error().message;
  const auto overwrite = std::filesystem::copy_options::overwrite_existing;
  // The new certificate lands first; with the old key it does not load.
  std::filesystem::copy_file(renewed->cert, certificates_.server.cert, overwrite);
  EXPECT_THAT(subject_served(), HasSubstr("CN = exporter"));
  EXPECT_THAT(log_.str(), HasSubstr("TLS files changed but do not load; keeping the current "
                                    "certificate\" error=\"" +
                                    certificates_.server.key));
  EXPECT_THAT(subject_served(), HasSubstr("CN = exporter"));
  // Then its key: the pair loads and is served.
  std::filesystem::copy_file(renewed->key, certificates_.server.key, overwrite);
  EXPECT_THAT(subject_served(), HasSubstr("CN = renewed"));
}

TEST_F(HttpServerTlsTest, AServerStartedWithoutTlsCannotSwitchItOnByReload) {
  HttpServerOptions options;
  options.listen_address = "127.0.0.1:0";
  auto plain = HttpServer::start(options, store_, telemetry_, {});
  ASSERT_TRUE(plain) << plain.error().message;
  const auto reloaded = (*plain)->reload_tls(settings());
  ASSERT_FALSE(reloaded);
  EXPECT_EQ(reloaded.error().message,
            "the listener was started without TLS; web.tls needs a restart");
}

TEST_F(HttpServerTlsTest, StartNamesTheFileThatDoesNotLoad) {
  TlsServerSettings tls = settings();
  tls.cert_file = dir_ + "/missing.pem";
  HttpServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.tls = tls;
  const auto started = HttpServer::start(options, store_, telemetry_, {});
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().message,
            "listen address \"127.0.0.1:0\": cannot serve HTTPS: cannot read " + dir_ +
                "/missing.pem: No such file or directory");
}

}  // namespace
}  // namespace xee::exporter

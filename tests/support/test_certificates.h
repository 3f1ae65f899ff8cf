#pragma once
// Certificates for HTTPS tests, made by the openssl command line tool into a test's folder: a
// CA, a server certificate for 127.0.0.1 and localhost, and client certificates, all P-256 and
// valid for a day. Generated per test run, so no key is committed and none expires in the tree.

#include <string>
#include <string_view>

#include "common/result.h"

namespace xee::test_support {

struct CertificatePair {
  std::string cert;  // PEM certificate path
  std::string key;   // PEM private key path
};

struct TestCertificates {
  std::string dir;
  CertificatePair ca;      // "CN=xee test CA", self-signed
  CertificatePair server;  // "CN=exporter", SAN IP:127.0.0.1, DNS:localhost, signed by ca
  CertificatePair client;  // "CN=prometheus", clientAuth, signed by ca
};

// Writes ca.pem, server.pem, client.pem and their keys into `dir` (which must exist).
Result<TestCertificates> make_test_certificates(const std::string& dir);

// Another certificate signed by `issuer` into <dir>/<name>.pem and <name>-key.pem: a server
// certificate for 127.0.0.1 and localhost, or (client = true) a client certificate.
Result<CertificatePair> issue_certificate(const std::string& dir, std::string_view name,
                                          std::string_view common_name,
                                          const CertificatePair& issuer, bool client = false);

// A self-signed CA into <dir>/<name>.pem and <name>-key.pem.
Result<CertificatePair> make_ca(const std::string& dir, std::string_view name,
                                std::string_view common_name);

}  // namespace xee::test_support

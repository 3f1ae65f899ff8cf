#include "tests/support/test_certificates.h"

#include <chrono>
#include <fstream>
#include <vector>

#include "tests/support/child_process.h"

namespace xee::test_support {
namespace {

constexpr std::string_view kOpenssl = "/usr/bin/openssl";

Result<void> run_openssl(const std::string& dir, std::vector<std::string> args) {
  LaunchOptions launch;
  launch.program = std::string(kOpenssl);
  launch.args = std::move(args);
  launch.stderr_path = dir + "/openssl.log";
  auto child = ChildProcess::start(launch);
  if (!child) return tl::unexpected(child.error());
  const auto status = child->wait_for_exit(std::chrono::seconds(30));
  if (!status || !status->exited || status->exit_code != 0) {
    return fail("openssl " + launch.args.front() + " failed; see " + launch.stderr_path);
  }
  return {};
}

Result<void> write_file(const std::string& path, std::string_view text) {
  std::ofstream out(path);
  out << text;
  if (!out) return fail("cannot write " + path);
  return {};
}

const std::vector<std::string> kP256 = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                        "-nodes"};

}  // namespace

Result<CertificatePair> make_ca(const std::string& dir, std::string_view name,
                                std::string_view common_name) {
  const CertificatePair ca{dir + "/" + std::string(name) + ".pem",
                           dir + "/" + std::string(name) + "-key.pem"};
  std::vector<std::string> args = {"req", "-x509"};
  args.insert(args.end(), kP256.begin(), kP256.end());
  args.insert(args.end(), {"-keyout", ca.key, "-out", ca.cert, "-days", "1", "-subj",
                           "/CN=" + std::string(common_name)});
  if (auto made = run_openssl(dir, args); !made) return tl::unexpected(made.error());
  return ca;
}

Result<CertificatePair> issue_certificate(const std::string& dir, std::string_view name,
                                          std::string_view common_name,
                                          const CertificatePair& issuer, bool client) {
  const std::string base = dir + "/" + std::string(name);
  const CertificatePair pair{base + ".pem", base + "-key.pem"};
  std::vector<std::string> request = {"req"};
  request.insert(request.end(), kP256.begin(), kP256.end());
  request.insert(request.end(), {"-keyout", pair.key, "-out", base + ".csr", "-subj",
                                 "/CN=" + std::string(common_name)});
  if (auto made = run_openssl(dir, request); !made) return tl::unexpected(made.error());
  const std::string extensions =
      client ? "extendedKeyUsage=clientAuth\n"
             : "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n";
  if (auto written = write_file(base + ".ext", extensions); !written) {
    return tl::unexpected(written.error());
  }
  const std::vector<std::string> sign = {
      "x509",      "-req",   "-in",      base + ".csr",     "-CA",
      issuer.cert, "-CAkey", issuer.key, "-CAcreateserial", "-out",
      pair.cert,   "-days",  "1",        "-extfile",        base + ".ext"};
  if (auto made = run_openssl(dir, sign); !made) return tl::unexpected(made.error());
  return pair;
}

Result<TestCertificates> make_test_certificates(const std::string& dir) {
  TestCertificates certificates;
  certificates.dir = dir;
  auto ca = make_ca(dir, "ca", "xee test CA");
  if (!ca) return tl::unexpected(ca.error());
  certificates.ca = *ca;
  auto server = issue_certificate(dir, "server", "exporter", certificates.ca);
  if (!server) return tl::unexpected(server.error());
  certificates.server = *server;
  auto client = issue_certificate(dir, "client", "prometheus", certificates.ca, true);
  if (!client) return tl::unexpected(client.error());
  certificates.client = *client;
  return certificates;
}

}  // namespace xee::test_support

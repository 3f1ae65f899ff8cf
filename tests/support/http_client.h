#pragma once
// A small blocking HTTP client for tests (libcurl): one request per call, the status, headers
// and body as values, and a transport error as text instead of an exception, so a test can assert
// on a connection reset or a truncated body as easily as on a 200.
//
//   auto response = http_get("http://127.0.0.1:1234/metrics");
//   ASSERT_TRUE(response.ok()) << response.transport_error;
//   EXPECT_EQ(response.status, 200);

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace xee::test_support {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// For https:// URLs. Without a CA file the server certificate is not checked.
struct HttpTlsOptions {
  enum class Version { any, tls11, tls12, tls13 };
  std::string ca_file{};    // trust only this CA (PEM)
  std::string cert_file{};  // the client certificate to present (PEM), with key_file
  std::string key_file{};
  Version min_version = Version::any;
  Version max_version = Version::any;
  // OpenSSL's cipher string, e.g. "DEFAULT:@SECLEVEL=0" to let the client offer TLS 1.1.
  std::string cipher_list{};
};

struct HttpRequestOptions {
  HttpHeaders headers;  // sent as given; libcurl adds Host, and Content-Length for POST
  // When the response says Content-Encoding: gzip, gunzip the body (decode_error on failure).
  // Off by default so tests can see the bytes on the wire.
  bool decode_gzip = false;
  std::chrono::milliseconds timeout{10'000};
  HttpTlsOptions tls{};
};

struct HttpResult {
  long status = 0;              // 0 when no status line arrived
  HttpHeaders headers;          // in arrival order, names as sent by the server
  std::string body;             // whatever arrived, even when the transfer then failed
  std::string transport_error;  // libcurl's detailed message ("" on success)
  int curl_code = 0;            // the CURLcode, for asserting on a specific failure
  std::string decode_error;     // gzip decoding failure, when decode_gzip was asked
  std::string tls_version;      // negotiated over https ("TLSv1.3"), "" otherwise
  std::string peer_subject;     // the server certificate's subject over https ("CN = exporter")

  bool ok() const { return transport_error.empty(); }
  // Case-insensitive; the last occurrence; nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
};

HttpResult http_get(const std::string& url, const HttpRequestOptions& options = {});
HttpResult http_post(const std::string& url, std::string_view body,
                     const HttpRequestOptions& options = {});
// Any method with an optional body ("PUT", "DELETE", …).
HttpResult http_request(std::string_view method, const std::string& url, std::string_view body,
                        const HttpRequestOptions& options = {});

// Polls `url` with GET until it answers one of the `expected` statuses or `timeout` (times
// XEE_TIME_SCALE) passes; any other status (a 404 from a server whose routes are not in place
// yet) means not ready.
// `still_alive` (e.g. a ChildProcess::running wrapper) is asked before each attempt so a server
// that died is reported at once instead of after the whole timeout. `tls` is used for https://.
Result<long> wait_until_answers(const std::string& url, std::chrono::milliseconds timeout,
                                const std::function<bool()>& still_alive = {},
                                const std::vector<long>& expected = {200},
                                const HttpTlsOptions& tls = {});

}  // namespace xee::test_support

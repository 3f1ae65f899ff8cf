#pragma once
// Moving bytes to and from X, and nothing else: no auth, no JSON, no retries. The API client is
// written against the abstract HttpTransport so its tests can hand it canned responses, while
// CurlTransport is the one real implementation.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

namespace xee::collectors::client {

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Header names are lower case; a header that came several times holds its values joined with
// ", " (RFC 9110 §5.3). std::less<> lets callers look names up with a string_view.
using HttpHeaders = std::map<std::string, std::string, std::less<>>;

struct HttpResponse {
  long status = 0;
  HttpHeaders headers;
  std::string body;  // already gunzipped
};

// `cancelled`: the transport was shut down (CurlTransport::cancel) before or during the exchange.
enum class TransportErrorKind { timeout, connect, reset, tls, cancelled, other };
std::string_view to_string(TransportErrorKind kind);

struct TransportError {
  TransportErrorKind kind = TransportErrorKind::other;
  std::string message;  // one line naming the method, URL and cause; never a header value
};

using TransportResult = tl::expected<HttpResponse, TransportError>;

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // One HTTP exchange. Any status is a response; only the absence of one is a TransportError.
  virtual TransportResult send(const HttpRequest& request) = 0;
};

// "x-engagement-exporter/<project version>".
std::string_view default_user_agent();

struct CurlTransportOptions {
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds total_timeout{30'000};
  // PEM bundle of trusted CAs; empty uses the system store. TLS verification itself cannot be
  // turned off: an exporter holding user tokens must not talk to an unverified peer.
  std::string ca_bundle_path;
  // Cap on the decoded body, so a broken server or a gzip bomb cannot exhaust memory.
  std::size_t max_response_bytes = 64u << 20;
  std::string user_agent = std::string(default_user_agent());
};

// libcurl, with idle easy handles kept in a pool: a sequential caller reuses one handle and so
// its open connection, and concurrent callers each get their own handle. Thread-safe.
class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  TransportResult send(const HttpRequest& request) override;

  // For shutdown: aborts transfers in flight within about a second (libcurl checks its progress
  // callback that often while a peer is silent) and fails every later send at once. Thread-safe.
  void cancel() { cancelled_.store(true); }

  // Connections opened so far (the sum of CURLINFO_NUM_CONNECTS): stays at 1 over sequential
  // requests to one keep-alive server, which proves connection reuse.
  long connections_opened() const { return connections_opened_.load(); }

 private:
  struct HandlePool;
  CurlTransportOptions options_;
  std::unique_ptr<HandlePool> pool_;
  std::atomic<long> connections_opened_{0};
  std::atomic<bool> cancelled_{false};
};

}  // namespace xee::collectors::client

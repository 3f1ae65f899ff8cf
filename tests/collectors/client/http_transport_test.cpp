#include "collectors/client/http_transport.h"

#include <CivetServer.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/gzip.h"
#include "common/thread_safe_gmtime.h"
#include "tests/support/thread_safe_gmtime_check.h"

namespace xee::collectors::client {
namespace {

using namespace std::chrono_literals;
using Headers = std::vector<std::pair<std::string, std::string>>;

std::string read_request_body(mg_connection* conn) {
  std::string body;
  char buffer[4096];
  int n = 0;
  while ((n = mg_read(conn, buffer, sizeof buffer)) > 0)
    body.append(buffer, static_cast<size_t>(n));
  return body;
}

std::string request_header(mg_connection* conn, const char* name) {
  const char* value = mg_get_header(conn, name);
  return value ? value : "<absent>";
}

// A complete response through civetweb's header API, so civetweb knows its status and length
// and can keep the connection alive.
void respond(mg_connection* conn, int status, std::string_view body, const Headers& headers = {}) {
  mg_response_header_start(conn, status);
  for (const auto& [name, value] : headers) {
    mg_response_header_add(conn, name.c_str(), value.c_str(), -1);
  }
  mg_response_header_add(conn, "Content-Length", std::to_string(body.size()).c_str(), -1);
  mg_response_header_send(conn);
  mg_write(conn, body.data(), body.size());
}

// A civetweb server on a free loopback port with keep-alive on; each route is a lambda given the
// connection. Stopping civetweb takes ~2 s (its listener polls in 2 s quanta), so one server
// serves the whole suite.
class TestServer {
 public:
  using Route = std::function<void(mg_connection*)>;

  TestServer()
      : server_(
            {"listening_ports", "127.0.0.1:0", "num_threads", "8", "enable_keep_alive", "yes"}) {
    common::use_thread_safe_gmtime();  // civetweb's Date header, from 8 workers at once
  }
  // Stalled routes wait on `release`; freeing them first lets civetweb's threads stop.
  ~TestServer() { release.request_stop(); }

  void route(const std::string& path, Route route) {
    handlers_.push_back(std::make_unique<RouteHandler>(std::move(route)));
    server_.addHandler(path, *handlers_.back());
  }
  std::string url(std::string_view path) {
    return "http://127.0.0.1:" + std::to_string(server_.getListeningPorts().at(0)) +
           std::string(path);
  }

  common::StopSignal release;

 private:
  class RouteHandler final : public CivetHandler {
   public:
    explicit RouteHandler(Route route) : route_(std::move(route)) {}
    bool handleGet(CivetServer*, mg_connection* conn) override { return serve(conn); }
    bool handlePost(CivetServer*, mg_connection* conn) override { return serve(conn); }

   private:
    bool serve(mg_connection* conn) {
      route_(conn);
      return true;
    }
    Route route_;
  };

  // Declared before the server so they outlive it.
  std::vector<std::unique_ptr<RouteHandler>> handlers_;
  CivetServer server_;
};

const std::string kGzipPayload = R"({"per_post":{}})" + std::string(5000, ' ');

class CurlTransportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    server_->route("/echo", [](mg_connection* conn) {
      const std::string body = read_request_body(conn);
      respond(conn, 200,
              std::string(mg_get_request_info(conn)->request_method) + "\n" +
                  std::to_string(body.size()) + "\n" + request_header(conn, "User-Agent") + "\n" +
                  request_header(conn, "Accept-Encoding") + "\n" + request_header(conn, "Expect") +
                  "\n" + request_header(conn, "X-Custom"));
    });
    server_->route("/gzip", [](mg_connection* conn) {
      read_request_body(conn);
      const bool gzip_offered = common::accepts_gzip(request_header(conn, "Accept-Encoding"));
      respond(conn, gzip_offered ? 200 : 406, common::gzip_compress(kGzipPayload),
              {{"Content-Encoding", "gzip"},
               {"X-Per-Minute-Remaining", "7"},
               {"X-Multi", "a"},
               {"X-Multi", "b"}});
    });
    server_->route("/down", [](mg_connection* conn) {
      read_request_body(conn);
      respond(conn, 503, R"({"errors":["internal server error"]})");
    });
    server_->route("/stall", [](mg_connection* conn) {
      server_->release.wait_for(10s);
      respond(conn, 200, "late");
    });
    server_->route("/silent", [](mg_connection* conn) { read_request_body(conn); });
    server_->route("/cut", [](mg_connection* conn) {
      read_request_body(conn);
      // Promises 100 bytes and sends 5; the request said "Connection: close", so civetweb then
      // closes the connection.
      mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
    });
    server_->route("/big", [](mg_connection* conn) {
      read_request_body(conn);
      respond(conn, 200, std::string(4096, 'x'));
    });
    // 1 MiB of zeros gzips to about 1 kB: the cap must apply to the decoded size.
    server_->route("/bomb", [](mg_connection* conn) {
      read_request_body(conn);
      respond(conn, 200, common::gzip_compress(std::string(1u << 20, '\0')),
              {{"Content-Encoding", "gzip"}});
    });
    server_->route("/ok", [](mg_connection* conn) {
      read_request_body(conn);
      respond(conn, 200, "ok");
    });
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static std::string url(std::string_view path) { return server_->url(path); }

  static TestServer* server_;
};

TestServer* CurlTransportTest::server_ = nullptr;

// Without it TSan reports a race on glibc's static gmtime buffer between civetweb's workers.
TEST(CivetwebInThisBinary, CallsTheThreadSafeGmtime) {
  EXPECT_TRUE(test_support::gmtime_is_per_thread());
}

HttpRequest post(std::string url, std::string body = "{}") {
  return HttpRequest{
      "POST", std::move(url), {{"Content-Type", "application/json"}}, std::move(body)};
}

// A failure of `kind`; the curl code in the message shows which failure libcurl itself saw.
void expect_failure(const TransportResult& response, TransportErrorKind kind, int curl_code) {
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, kind);
  EXPECT_TRUE(response.error().message.ends_with("(curl error " + std::to_string(curl_code) + ")"))
      << response.error().message;
}

// For routes that leave the connection unusable: without it civetweb would keep it open.
HttpRequest post_then_close(std::string url) {
  HttpRequest request = post(std::move(url));
  request.headers.emplace_back("Connection", "close");
  return request;
}

TEST_F(CurlTransportTest, SendsMethodBodyAndHeaders) {
  CurlTransport transport;
  HttpRequest request = post(url("/echo"), std::string(8192, 'b'));
  request.headers.emplace_back("X-Custom", "yes");
  auto response = transport.send(request);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  // No "Expect: 100-continue" despite the 8 KiB body: X never answers it.
  EXPECT_EQ(response->body,
            "POST\n8192\nx-engagement-exporter/" XEE_PROJECT_VERSION "\ngzip\n<absent>\nyes");
  EXPECT_EQ(default_user_agent(), "x-engagement-exporter/" XEE_PROJECT_VERSION);
}

TEST_F(CurlTransportTest, DecodesGzipAndLowerCasesHeaderNames) {
  CurlTransport transport;
  auto response = transport.send(post(url("/gzip")));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, kGzipPayload);
  EXPECT_EQ(response->headers.at("content-encoding"), "gzip");
  EXPECT_EQ(response->headers.at("x-per-minute-remaining"), "7");
  EXPECT_EQ(response->headers.at("x-multi"), "a, b");
}

TEST_F(CurlTransportTest, ErrorStatusIsAResponse) {
  CurlTransport transport;
  auto response = transport.send(post(url("/down")));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->body, R"({"errors":["internal server error"]})");
}

TEST_F(CurlTransportTest, TimesOutWhenTheServerStalls) {
  CurlTransportOptions options;
  options.total_timeout = 200ms;
  CurlTransport transport(options);
  const auto started = std::chrono::steady_clock::now();
  auto response = transport.send(post(url("/stall")));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_NO_FATAL_FAILURE(expect_failure(response, TransportErrorKind::timeout, 28));
  EXPECT_TRUE(response.error().message.starts_with("POST " + url("/stall") + ": "))
      << response.error().message;
  // The client gave up itself, long before the server's 10 s stall ended.
  EXPECT_LT(elapsed, 5s);
}

TEST_F(CurlTransportTest, CancelAbortsATransferInFlightAndRefusesLaterOnes) {
  CurlTransport transport;  // 30 s total timeout: only cancel() can end the stall early
  const auto started = std::chrono::steady_clock::now();
  std::thread canceller([&] {
    std::this_thread::sleep_for(300ms);
    transport.cancel();
  });
  const auto stalled = transport.send(post(url("/stall")));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  canceller.join();
  ASSERT_NO_FATAL_FAILURE(expect_failure(stalled, TransportErrorKind::cancelled, 42));
  // libcurl asks its progress callback at least once a second while the peer is silent.
  EXPECT_LT(elapsed, 2s);

  const auto later = transport.send(post(url("/ok")));
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().kind, TransportErrorKind::cancelled);
  EXPECT_EQ(later.error().message, "POST " + url("/ok") + ": shutting down");
}

TEST(CurlTransport, RefusedConnectionIsAConnectError) {
  // A bound socket that never listens: the kernel refuses connections to its port, and no other
  // process can take the port meanwhile.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/x";

  CurlTransport transport;
  auto response = transport.send(post(url));
  close(fd);
  expect_failure(response, TransportErrorKind::connect, 7);
}

TEST_F(CurlTransportTest, EmptyReplyIsAReset) {
  CurlTransport transport;
  auto response = transport.send(post_then_close(url("/silent")));
  expect_failure(response, TransportErrorKind::reset, 52);
}

TEST_F(CurlTransportTest, ConnectionClosedMidBodyIsAReset) {
  CurlTransport transport;
  auto response = transport.send(post_then_close(url("/cut")));
  expect_failure(response, TransportErrorKind::reset, 18);
}

TEST_F(CurlTransportTest, TlsHandshakeFailureIsATlsError) {
  std::string plain_http = url("/ok");
  plain_http.replace(0, 4, "https");
  CurlTransport transport;
  auto response = transport.send(post(plain_http));
  expect_failure(response, TransportErrorKind::tls, 35);
}

TEST_F(CurlTransportTest, UsesTheConfiguredCaBundle) {
  std::string plain_http = url("/ok");
  plain_http.replace(0, 4, "https");
  CurlTransportOptions options;
  options.ca_bundle_path = std::string(XEE_TEST_DIR) + "/fixtures/no-such-ca-bundle.pem";
  CurlTransport transport(options);
  auto response = transport.send(post(plain_http));
  expect_failure(response, TransportErrorKind::tls, 77);
}

TEST_F(CurlTransportTest, CapsTheResponseSize) {
  CurlTransportOptions options;
  options.max_response_bytes = 64u << 10;
  CurlTransport transport(options);
  auto bomb = transport.send(post(url("/bomb")));
  ASSERT_FALSE(bomb);
  EXPECT_EQ(bomb.error().kind, TransportErrorKind::other);
  EXPECT_EQ(bomb.error().message,
            "POST " + url("/bomb") + ": response exceeds the cap of 65536 bytes");

  options.max_response_bytes = 1024;
  CurlTransport small_cap(options);
  auto big = small_cap.send(post(url("/big")));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().message,
            "POST " + url("/big") + ": response exceeds the cap of 1024 bytes");
  auto small = small_cap.send(post(url("/ok")));
  ASSERT_TRUE(small) << small.error().message;
  EXPECT_EQ(small->body, "ok");
}

TEST_F(CurlTransportTest, ReusesTheConnectionAcrossSequentialRequests) {
  CurlTransport reusing;
  CurlTransport reconnecting;
  for (int i = 0; i < 3; ++i) {
    auto kept = reusing.send(post(url("/ok")));
    ASSERT_TRUE(kept) << kept.error().message;
    auto closed = reconnecting.send(post_then_close(url("/ok")));
    ASSERT_TRUE(closed) << closed.error().message;
  }
  EXPECT_EQ(reusing.connections_opened(), 1);
  // The control: the same counter does count a fresh connection per request.
  EXPECT_EQ(reconnecting.connections_opened(), 3);
}

TEST_F(CurlTransportTest, ConcurrentCallersEachReuseAPooledHandle) {
  constexpr int kThreads = 4;
  constexpr int kRequestsEach = 5;
  CurlTransport transport;
  std::atomic<int> succeeded{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < kThreads; ++t) {
    callers.emplace_back([&] {
      for (int i = 0; i < kRequestsEach; ++i) {
        auto response = transport.send(post(url("/ok")));
        if (response && response->body == "ok") ++succeeded;
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(succeeded.load(), kThreads * kRequestsEach);
  // At most one handle, and so one connection, per concurrent caller.
  EXPECT_GE(transport.connections_opened(), 1);
  EXPECT_LE(transport.connections_opened(), kThreads);
}

TEST(CurlTransport, RefusesHeaderValuesWithLineBreaks) {
  CurlTransport transport;
  HttpRequest request = post("http://127.0.0.1:9/x");
  request.headers.emplace_back("Authorization", "Bearer x\r\nX-Injected: 1");
  auto response = transport.send(request);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, TransportErrorKind::other);
  EXPECT_EQ(response.error().message,
            "POST http://127.0.0.1:9/x: header 'Authorization' contains a line break");
  EXPECT_EQ(transport.connections_opened(), 0);
}

}  // namespace
}  // namespace xee::collectors::client

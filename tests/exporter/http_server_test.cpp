#include "exporter/http_server.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/gzip.h"
#include "common/time_format.h"
#include "exporter/top_posts.h"
#include "tests/exporter/basic_auth_fixtures.h"
#include "tests/exporter/exposition_fixtures.h"
#include "tests/support/thread_safe_gmtime_check.h"

namespace xee::exporter {
namespace {

struct Response {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  long new_connections = 0;

  std::string header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? "<absent>" : found->second;
  }
};

struct RequestOptions {
  std::vector<std::string> headers;
  bool decode_gzip = false;  // let libcurl negotiate and gunzip
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

std::size_t record_header(char* data, std::size_t size, std::size_t count, void* headers) {
  const std::string line(data, size * count);
  const std::size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::size_t start = line.find_first_not_of(' ', colon + 1);
    const std::size_t end = line.find_last_not_of("\r\n");
    (*static_cast<std::map<std::string, std::string>*>(headers))[name] =
        line.substr(start, end + 1 - start);
  }
  return size * count;
}

// One request on `curl` (reused handles keep their connection alive between calls).
Response perform(CURL* curl, const std::string& method, const std::string& url,
                 const RequestOptions& options = {}) {
  Response response;
  curl_slist* headers = nullptr;
  for (const auto& header : options.headers) headers = curl_slist_append(headers, header.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 20000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, record_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, options.decode_gzip ? "gzip" : nullptr);
  if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);  // also clears NOBODY, so it comes first
  }
  curl_easy_setopt(curl, CURLOPT_NOBODY, method == "HEAD" ? 1L : 0L);
  curl_easy_setopt(
      curl, CURLOPT_CUSTOMREQUEST,
      method == "GET" || method == "HEAD" || method == "POST" ? nullptr : method.c_str());
  response.code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &response.new_connections);
  curl_slist_free_all(headers);
  return response;
}

Response fetch(const std::string& method, const std::string& url,
               const RequestOptions& options = {}) {
  CURL* curl = curl_easy_init();
  Response response = perform(curl, method, url, options);
  curl_easy_cleanup(curl);
  return response;
}

int connect_loopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{20, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends `request` as is and reads until the server closes: the bytes exactly as on the wire.
std::string raw_exchange(int port, const std::string& request) {
  const int fd = connect_loopback(port);
  if (fd < 0) return "<connect failed>";
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string received;
  char buffer[65536];
  ssize_t got = 0;
  while ((got = recv(fd, buffer, sizeof buffer, 0)) > 0) received.append(buffer, got);
  close(fd);
  return received;
}

struct ChunkedBody {
  std::vector<std::size_t> chunk_sizes;  // without the final 0
  std::string body;
  bool terminated = false;
};

ChunkedBody decode_chunked(std::string_view wire) {
  ChunkedBody decoded;
  while (!wire.empty()) {
    const std::size_t line_end = wire.find("\r\n");
    if (line_end == std::string_view::npos) break;
    const std::size_t size = std::stoul(std::string(wire.substr(0, line_end)), nullptr, 16);
    wire.remove_prefix(line_end + 2);
    if (size == 0) {
      decoded.terminated = wire == "\r\n";
      break;
    }
    decoded.chunk_sizes.push_back(size);
    decoded.body.append(wire.substr(0, size));
    wire.remove_prefix(std::min(wire.size(), size + 2));
  }
  return decoded;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::record_small_telemetry(telemetry_);
    publish(testing::small_totals());
    options_.listen_address = "127.0.0.1:0";
    options_.enable_lifecycle = true;
    options_.landing_page = {.name = "x-engagement-exporter",
                             .version = "0.1.0",
                             .docs_url = "https://example.org/docs"};
    auto started = HttpServer::start(options_, store_, telemetry_, callbacks());
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(*started);
    ASSERT_GT(server_->port(), 0);
  }

  HttpCallbacks callbacks() {
    return {.ready = [this] { return ready_.load(); },
            .reload = [this]() -> Result<void> {
              ++reloads_;
              if (reload_error_.empty()) return {};
              return fail(reload_error_);
            },
            .collector_status = [this] { return collectors_; }};
  }

  void publish(store::TotalsSection totals) {
    store_.publish_totals(std::make_shared<const store::TotalsSection>(std::move(totals)));
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

  std::string expected_metrics(const ExpositionOptions& options = {}) const {
    StringSink sink;
    Exposition(options).write(store_.snapshot(), telemetry_.collect(), sink);
    return sink.text();
  }

  store::SnapshotStore store_;
  store::Telemetry telemetry_{testing::test_build_info()};
  HttpServerOptions options_;
  std::atomic<bool> ready_{false};
  std::atomic<int> reloads_{0};
  std::string reload_error_;
  std::vector<CollectorStatus> collectors_{
      {.name = "totals",
       .up = true,
       .last_success =
           common::TimePoint{common::parse_iso8601("2026-11-20T00:05:00Z")->time_since_epoch()}}};
  std::unique_ptr<HttpServer> server_;
};

// HttpServer pulls common/thread_safe_gmtime in; without it TSan reports a race on glibc's static
// gmtime buffer between civetweb's workers writing Date headers.
TEST(CivetwebInThisBinary, CallsTheThreadSafeGmtime) {
  EXPECT_TRUE(test_support::gmtime_is_per_thread());
}

TEST_F(HttpServerTest, MetricsStreamsTheExpositionInTheTextFormat) {
  const Response response = fetch("GET", url("/metrics"));
  ASSERT_EQ(response.code, CURLE_OK);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(response.header("transfer-encoding"), "chunked");
  EXPECT_EQ(response.header("vary"), "Accept-Encoding");
  EXPECT_EQ(response.header("content-encoding"), "<absent>");
  EXPECT_EQ(response.body, expected_metrics());
  EXPECT_EQ(response.body.find("exposer_"), std::string::npos);
}

TEST_F(HttpServerTest, MetricsIsGzippedOnlyWhenTheClientAcceptsIt) {
  const Response raw = fetch("GET", url("/metrics"), {.headers = {"Accept-Encoding: gzip"}});
  ASSERT_EQ(raw.code, CURLE_OK);
  EXPECT_EQ(raw.header("content-encoding"), "gzip");
  EXPECT_EQ(raw.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(common::gzip_decompress(raw.body).value(), expected_metrics());

  const Response decoded = fetch("GET", url("/metrics"), {.headers = {}, .decode_gzip = true});
  EXPECT_EQ(decoded.header("content-encoding"), "gzip");
  EXPECT_EQ(decoded.body, expected_metrics());

  const Response refused =
      fetch("GET", url("/metrics"), {.headers = {"Accept-Encoding: gzip;q=0, identity"}});
  EXPECT_EQ(refused.header("content-encoding"), "<absent>");
  EXPECT_EQ(refused.body, expected_metrics());
}

TEST_F(HttpServerTest, HeadAnswersHeadersWithoutBody) {
  const Response metrics = fetch("HEAD", url("/metrics"), {.headers = {"Accept-Encoding: gzip"}});
  ASSERT_EQ(metrics.code, CURLE_OK);
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(metrics.header("content-encoding"), "gzip");
  EXPECT_EQ(metrics.body, "");

  const Response healthy = fetch("HEAD", url("/-/healthy"));
  EXPECT_EQ(healthy.status, 200);
  EXPECT_EQ(healthy.header("content-length"), "3");
  EXPECT_EQ(healthy.body, "");
}

store::TotalsSection many_posts(std::size_t count) {
  store::TotalsSection totals;
  totals.accounts = {"acme"};
  for (std::size_t i = 0; i < count; ++i) {
    store::PostTotals post;
    post.post_id = 1861000000000000000 + i * 4096;
    post.owned = true;
    post.created_unix = 1795046400;
    for (const auto type : wire::kTotalsTypes) post.set(type, i * 31);
    totals.posts.push_back(post);
  }
  return totals;
}

TEST_F(HttpServerTest, LargeScrapeLeavesInChunksOfAtMost64KiB) {
  publish(many_posts(30000));
  const std::string expected = expected_metrics();
  ASSERT_GT(expected.size(), 3'000'000u);

  const std::string wire = raw_exchange(
      server_->port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::size_t header_end = wire.find("\r\n\r\n");
  ASSERT_NE(header_end, std::string::npos);
  EXPECT_NE(wire.substr(0, header_end).find("\r\nTransfer-Encoding: chunked"), std::string::npos);
  const ChunkedBody chunked = decode_chunked(std::string_view(wire).substr(header_end + 4));
  EXPECT_TRUE(chunked.terminated);
  EXPECT_EQ(chunked.body, expected);
  EXPECT_EQ(chunked.chunk_sizes.size(), (expected.size() + kChunkBytes - 1) / kChunkBytes);
  EXPECT_EQ(*std::max_element(chunked.chunk_sizes.begin(), chunked.chunk_sizes.end()), kChunkBytes);
}

TEST_F(HttpServerTest, Http10ClientGetsThePlainBodyUntilTheConnectionCloses) {
  // Even when it asks to keep the connection: HTTP/1.0 has no chunks, so the close ends the body.
  for (const std::string extra_header : {"", "Connection: keep-alive\r\n"}) {
    const std::string wire =
        raw_exchange(server_->port(), "GET /metrics HTTP/1.0\r\n" + extra_header + "\r\n");
    const std::size_t header_end = wire.find("\r\n\r\n");
    ASSERT_NE(header_end, std::string::npos);
    const std::string head = wire.substr(0, header_end);
    EXPECT_TRUE(head.starts_with("HTTP/1.0 200 OK\r\n")) << head;
    EXPECT_EQ(head.find("Transfer-Encoding"), std::string::npos) << head;
    EXPECT_NE(head.find("\r\nConnection: close"), std::string::npos) << head;
    EXPECT_EQ(wire.substr(header_end + 4), expected_metrics());
  }
}

TEST_F(HttpServerTest, KeepAliveConnectionServesTheNextScrape) {
  CURL* curl = curl_easy_init();
  const Response first = perform(curl, "GET", url("/metrics"));
  const Response second =
      perform(curl, "GET", url("/metrics"), {.headers = {}, .decode_gzip = true});
  curl_easy_cleanup(curl);
  EXPECT_EQ(first.new_connections, 1);
  EXPECT_EQ(second.new_connections, 0);
  EXPECT_EQ(second.body, expected_metrics());
}

TEST_F(HttpServerTest, ClientLeavingMidScrapeDoesNotHurtTheServer) {
  publish(many_posts(30000));
  const int fd = connect_loopback(server_->port());
  ASSERT_GE(fd, 0);
  const std::string request = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  char buffer[1024];
  ASSERT_GT(recv(fd, buffer, sizeof buffer, 0), 0);
  close(fd);

  const Response next = fetch("GET", url("/metrics"));
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.body, expected_metrics());
}

TEST_F(HttpServerTest, LandingPageShowsVersionLinksAndCollectors) {
  const Response response = fetch("GET", url("/"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(response.body, render_landing_page(options_.landing_page, collectors_));
  EXPECT_NE(response.body.find("<tr><td>totals</td><td>yes</td><td>2026-11-20T00:05:00Z</td></tr>"),
            std::string::npos);
}

TEST_F(HttpServerTest, TopPostsRanksTheLiveSnapshot) {
  const Response before = fetch("GET", url("/top"));
  EXPECT_EQ(before.status, 200);
  EXPECT_EQ(before.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(before.body.find("No discovery data yet"), std::string::npos);

  store_.publish_discovery(
      std::make_shared<const store::DiscoverySection>(testing::small_discovery()));
  const Response page = fetch("GET", url("/top?n=2"));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(
      page.body,
      render_top_posts(store_.snapshot(), {.n = 2, .group = std::nullopt, .json = false}).body);
  EXPECT_NE(page.body.find("<h2>#launchday</h2>\n<p>3 Posts tracked.</p>"), std::string::npos);

  const Response json = fetch("GET", url("/top?format=json&group=xapi&n=1"));
  EXPECT_EQ(json.status, 200);
  EXPECT_EQ(json.header("content-type"), "application/json");
  const auto posts = testing::small_totals().posts;
  EXPECT_NE(json.body.find("\"favorites\":[{\"rank\":1,\"post_id\":\"" +
                           std::to_string(posts[1].post_id) + "\",\"value\":4021}]"),
            std::string::npos)
      << json.body;

  const Response head = fetch("HEAD", url("/top?format=json"));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
}

TEST_F(HttpServerTest, TopPostsRefusesBadParametersAndUnknownGroups) {
  store_.publish_discovery(
      std::make_shared<const store::DiscoverySection>(testing::small_discovery()));
  const Response bad_n = fetch("GET", url("/top?n=abc"));
  EXPECT_EQ(bad_n.status, 400);
  EXPECT_EQ(bad_n.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(bad_n.body, "n: \"abc\" is not a whole number between 1 and 100\n");
  EXPECT_EQ(fetch("GET", url("/top?n=101")).status, 400);
  EXPECT_EQ(fetch("GET", url("/top?format=csv")).body,
            "format: \"csv\" is neither html nor json\n");

  const Response unknown = fetch("GET", url("/top?group=nope"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body,
            "group \"nope\": no such hashtag or campaign (hashtags: launchday, xapi, acmecloud; "
            "campaigns: autumn_launch, odd\"campaign\\with\nnewline)\n");
}

TEST_F(HttpServerTest, HealthyIsAlwaysOk) {
  const Response response = fetch("GET", url("/-/healthy"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(response.body, "OK\n");
}

TEST_F(HttpServerTest, ReadyFlipsWhenTheCallbackSaysSo) {
  const Response before = fetch("GET", url("/-/ready"));
  EXPECT_EQ(before.status, 503);
  EXPECT_EQ(before.body, "Not ready\n");
  ready_ = true;
  const Response after = fetch("GET", url("/-/ready"));
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body, "OK\n");
}

TEST_F(HttpServerTest, ReloadCallsTheCallbackAndReportsItsResult) {
  const Response ok = fetch("POST", url("/-/reload"));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "OK\n");
  EXPECT_EQ(reloads_, 1);

  reload_error_ = "config.toml:3:5: unknown key \"intervl\" in [collectors.totals]";
  const Response failed = fetch("POST", url("/-/reload"));
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.body, "config.toml:3:5: unknown key \"intervl\" in [collectors.totals]\n");
  EXPECT_EQ(reloads_, 2);

  const Response get = fetch("GET", url("/-/reload"));
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.header("allow"), "POST");
  EXPECT_EQ(reloads_, 2);
}

TEST_F(HttpServerTest, EveryAnswerForbidsContentSniffing) {
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/"},
                                                        {"GET", "/metrics"},
                                                        {"GET", "/top?group=%3Cscript%3E"},
                                                        {"GET", "/top?n=zero"},
                                                        {"GET", "/-/healthy"},
                                                        {"POST", "/-/reload"},
                                                        {"GET", "/nope"},
                                                        {"PUT", "/metrics"}}) {
    const Response response = fetch(method, url(path));
    EXPECT_EQ(response.header("x-content-type-options"), "nosniff") << method << " " << path;
  }
}

// Writes `request` on a fresh connection and reads until the server closes it or `timeout`.
std::string raw_exchange(int port, const std::string& request, std::chrono::milliseconds timeout,
                         bool* closed) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string answer;
  char buffer[4096];
  *closed = false;
  while (true) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n == 0) *closed = true;
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return answer;
}

TEST_F(HttpServerTest, ARequestBodyIsRefusedAtOnceAndTheConnectionClosed) {
  using namespace std::chrono_literals;
  const std::vector<std::string> requests{
      // A lying length: waiting for the body would hold the worker until the request timeout.
      "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000000000000000\r\n\r\n",
      "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc",
      "POST /-/reload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nshort",
      "POST /-/reload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"};
  for (const std::string& request : requests) {
    bool closed = false;
    const auto started = std::chrono::steady_clock::now();
    const std::string answer = raw_exchange(server_->port(), request, 5s, &closed);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 413") || answer.starts_with("HTTP/1.1 400"))
        << request << " got: " << answer.substr(0, 200);
    EXPECT_TRUE(closed) << request;
    EXPECT_LT(took, 2s) << request;
  }
  EXPECT_EQ(reloads_, 0);
  EXPECT_EQ(fetch("GET", url("/-/healthy")).status, 200);
}

TEST(HttpServerLifecycle, ReloadOverHttpIsForbiddenUnlessEnabled) {
  store::SnapshotStore store;
  const store::Telemetry telemetry(testing::test_build_info());
  HttpServerOptions options;
  options.listen_address = "127.0.0.1:0";
  int reloads = 0;
  HttpCallbacks callbacks;
  callbacks.reload = [&reloads]() -> Result<void> {
    ++reloads;
    return {};
  };
  auto server = HttpServer::start(options, store, telemetry, std::move(callbacks));
  ASSERT_TRUE(server) << server.error().message;
  const std::string base = "http://127.0.0.1:" + std::to_string((*server)->port());
  const Response refused = fetch("POST", base + "/-/reload");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body,
            "Lifecycle API is not enabled; start with --web.enable-lifecycle or send SIGHUP\n");
  EXPECT_EQ(reloads, 0);
}

TEST_F(HttpServerTest, WrongMethodsOnKnownPathsAre405) {
  for (const std::string method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    for (const std::string path : {"/", "/metrics", "/top", "/-/healthy", "/-/ready"}) {
      const Response response = fetch(method, url(path));
      EXPECT_EQ(response.status, 405) << method << " " << path;
      EXPECT_EQ(response.header("allow"), "GET, HEAD") << method << " " << path;
    }
  }
  EXPECT_EQ(fetch("DELETE", url("/-/reload")).status, 405);
}

TEST_F(HttpServerTest, UnknownPathsAre404) {
  for (const std::string path : {"/nope", "/metrics/extra", "/-/", "/-/healthy/", "/index.html"}) {
    const Response response = fetch("GET", url(path));
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.body, "Not Found\n") << path;
  }
  EXPECT_EQ(fetch("POST", url("/nope")).status, 404);
}

TEST_F(HttpServerTest, NewExpositionOptionsChangeTheHelpText) {
  const ExpositionOptions every_minute{.totals_refresh_interval = std::chrono::minutes(1)};
  server_->set_exposition_options(every_minute);
  const Response response = fetch("GET", url("/metrics"));
  EXPECT_EQ(response.body, expected_metrics(every_minute));
  EXPECT_NE(response.body.find("(cached; refreshed every 1m)"), std::string::npos);
}

TEST_F(HttpServerTest, BindFailureNamesTheAddressAndTheReason) {
  HttpServerOptions taken = options_;
  taken.listen_address = "127.0.0.1:" + std::to_string(server_->port());
  const auto second = HttpServer::start(taken, store_, telemetry_, {});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().message,
            "listen address \"" + taken.listen_address +
                "\": cannot start the HTTP server: cannot bind to " + taken.listen_address +
                ": 98 (Address already in use); Failed to setup server ports");
}

TEST_F(HttpServerTest, MalformedAddressFailsBeforeBinding) {
  HttpServerOptions bad = options_;
  bad.listen_address = "metrics.example:10877";
  const auto server = HttpServer::start(bad, store_, telemetry_, {});
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().message,
            "listen address \"metrics.example:10877\": host \"metrics.example\" must be an IP "
            "address, \"localhost\" or empty (all interfaces)");
}

TEST_F(HttpServerTest, StopClosesThePort) {
  const std::string metrics_url = url("/metrics");
  server_->stop();
  server_->stop();
  EXPECT_EQ(fetch("GET", metrics_url).code, CURLE_COULDNT_CONNECT);
}

using testing::kAlicePasswordHash;
using testing::kScrapeSecretHash;

std::string authorization(std::string_view user_and_password) {
  return "Authorization: " + testing::basic_authorization(user_and_password);
}

class HttpServerBasicAuthTest : public HttpServerTest {
 protected:
  void SetUp() override {
    options_.basic_auth_users = {{"prometheus", std::string(kScrapeSecretHash)},
                                 {"alice", std::string(kAlicePasswordHash)}};
    options_.logger = &logger_;
    HttpServerTest::SetUp();
  }

  RequestOptions as(std::string_view user_and_password) const {
    return {.headers = {authorization(user_and_password)}};
  }

  common::ManualClock clock_{common::TimePoint{}};
  std::ostringstream log_;
  common::Logger logger_{log_, common::LogLevel::debug, common::LogFormat::logfmt, clock_};
};

const std::vector<std::pair<std::string, std::string>> kEveryRoute{
    {"GET", "/"},          {"GET", "/metrics"},   {"GET", "/top?hashtag=launchday"},
    {"GET", "/-/healthy"}, {"GET", "/-/ready"},   {"POST", "/-/reload"},
    {"GET", "/nope"},      {"DELETE", "/metrics"}};

TEST_F(HttpServerBasicAuthTest, EveryRouteWithoutCredentialsIs401AskingForBasic) {
  for (const auto& [method, path] : kEveryRoute) {
    const Response response = fetch(method, url(path));
    EXPECT_EQ(response.status, 401) << method << " " << path;
    EXPECT_EQ(response.header("www-authenticate"), "Basic") << method << " " << path;
    EXPECT_EQ(response.body, "Unauthorized\n") << method << " " << path;
  }
  const Response head = fetch("HEAD", url("/metrics"));
  EXPECT_EQ(head.status, 401);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(reloads_, 0);
}

TEST_F(HttpServerBasicAuthTest, RightPasswordServesEveryRouteAsWithoutAuth) {
  const RequestOptions prometheus = as("prometheus:scrape-secret");
  const Response metrics = fetch("GET", url("/metrics"), prometheus);
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.body, expected_metrics());
  EXPECT_EQ(fetch("GET", url("/-/healthy"), prometheus).body, "OK\n");
  EXPECT_EQ(fetch("GET", url("/-/ready"), prometheus).status, 503);
  EXPECT_EQ(fetch("GET", url("/nope"), prometheus).status, 404);
  EXPECT_EQ(fetch("DELETE", url("/metrics"), prometheus).status, 405);
  const Response landing = fetch("GET", url("/"), as("alice:alice-password"));
  EXPECT_EQ(landing.status, 200);
  EXPECT_NE(landing.body.find("x-engagement-exporter"), std::string::npos);
  EXPECT_EQ(fetch("POST", url("/-/reload"), as("alice:alice-password")).status, 200);
  EXPECT_EQ(reloads_, 1);
}

TEST_F(HttpServerBasicAuthTest, WrongPasswordsUnknownUsersAndMalformedHeadersAre401) {
  const std::vector<std::string> refused{
      authorization("prometheus:wrong"),
      authorization("alice:scrape-secret"),  // another user's password
      authorization("mallory:scrape-secret"),
      authorization("prometheus"),  // no colon
      "Authorization: Basic !!!!",  // not base64
      "Authorization: Basic",
      "Authorization: Bearer demo-bearer-token",
      "Authorization: Digest username=\"prometheus\", realm=\"x\""};
  for (const std::string& header : refused) {
    const Response response = fetch("GET", url("/metrics"), {.headers = {header}});
    EXPECT_EQ(response.status, 401) << header;
    EXPECT_EQ(response.header("www-authenticate"), "Basic") << header;
    EXPECT_EQ(response.body, "Unauthorized\n") << header;
  }
  // The server survived all of them.
  EXPECT_EQ(fetch("GET", url("/-/healthy"), as("prometheus:scrape-secret")).status, 200);
}

TEST_F(HttpServerBasicAuthTest, LogsTheUserOfAFailedAttemptButNeverThePassword) {
  EXPECT_EQ(fetch("GET", url("/metrics"), as("alice:hunter2-guess")).status, 401);
  EXPECT_EQ(fetch("GET", url("/metrics"), as("alice:hunter3-guess")).status, 401);
  const std::string log = log_.str();
  EXPECT_EQ(log.find("hunter"), std::string::npos) << log;
  // The first one warns; the next within a minute goes to the debug level.
  const std::size_t warning = log.find(
      "level=warn msg=\"basic authentication failed\" "
      "reason=\"wrong password\" user=alice path=/metrics");
  EXPECT_NE(warning, std::string::npos) << log;
  EXPECT_NE(log.find("failures_since_last_warning=0"), std::string::npos) << log;
  EXPECT_NE(log.find("level=debug msg=\"basic authentication failed\" reason=\"wrong password\" "
                     "user=alice path=/metrics",
                     warning),
            std::string::npos)
      << log;
}

TEST_F(HttpServerBasicAuthTest, NewUsersApplyToTheNextRequest) {
  server_->set_basic_auth_users({{"alice", std::string(kAlicePasswordHash)}});
  EXPECT_EQ(fetch("GET", url("/metrics"), as("prometheus:scrape-secret")).status, 401);
  EXPECT_EQ(fetch("GET", url("/metrics"), as("alice:alice-password")).status, 200);
  server_->set_basic_auth_users({});
  EXPECT_EQ(fetch("GET", url("/metrics")).status, 200);
}

TEST(HttpServerCallbacks, MissingCallbacksMeanReadyAndNoReload) {
  store::SnapshotStore store;
  const store::Telemetry telemetry(testing::test_build_info());
  HttpServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.enable_lifecycle = true;
  auto server = HttpServer::start(options, store, telemetry, {});
  ASSERT_TRUE(server) << server.error().message;
  const std::string base = "http://127.0.0.1:" + std::to_string((*server)->port());
  EXPECT_EQ(fetch("GET", base + "/-/ready").status, 200);
  const Response reload = fetch("POST", base + "/-/reload");
  EXPECT_EQ(reload.status, 500);
  EXPECT_EQ(reload.body, "reload is not supported\n");
  const Response landing = fetch("GET", base + "/");
  EXPECT_NE(landing.body.find("<p>No collector is running.</p>"), std::string::npos);
  // Nothing published yet: the telemetry alone.
  StringSink expected;
  Exposition(ExpositionOptions{}).write({}, telemetry.collect(), expected);
  EXPECT_EQ(fetch("GET", base + "/metrics").body, expected.text());
}

}  // namespace
}  // namespace xee::exporter

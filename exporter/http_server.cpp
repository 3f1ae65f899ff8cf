#include "exporter/http_server.h"

#include <CivetServer.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <exception>
#include <initializer_list>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>

#include "common/gzip.h"
#include "common/thread_safe_gmtime.h"
#include "exporter/civetweb_tls.h"
#include "exporter/listen_address.h"
#include "exporter/top_posts.h"

namespace xee::exporter {
namespace {

constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::string_view kTextContentType = "text/plain; charset=utf-8";
constexpr std::string_view kHtmlContentType = "text/html; charset=utf-8";
// At most one warning per this long about refused credentials; the rest go to the debug level.
constexpr std::chrono::minutes kAuthWarningInterval{1};
// A user name in the log is the client's input: long enough to recognise, too short to flood.
constexpr std::size_t kMaxLoggedUserLength = 64;

enum class Route { landing, metrics, top_posts, healthy, ready, reload, unknown };

Route route_of(std::string_view path) {
  if (path == "/") return Route::landing;
  if (path == "/metrics") return Route::metrics;
  if (path == "/top") return Route::top_posts;
  if (path == "/-/healthy") return Route::healthy;
  if (path == "/-/ready") return Route::ready;
  if (path == "/-/reload") return Route::reload;
  return Route::unknown;
}

// The Allow header of a route: what it answers; anything else is 405.
std::string_view allowed_methods(Route route) {
  return route == Route::reload ? "POST" : "GET, HEAD";
}

bool method_allowed(Route route, std::string_view method) {
  if (route == Route::reload) return method == "POST";
  return method == "GET" || method == "HEAD";
}

using HeaderList = std::initializer_list<std::pair<std::string_view, std::string_view>>;

void add_header(mg_connection* conn, std::string_view name, std::string_view value) {
  const std::string name_text(name);  // civetweb wants the name zero-terminated
  mg_response_header_add(conn, name_text.c_str(), value.data(), static_cast<int>(value.size()));
}

// A complete response with a known body; HEAD gets the same headers and no body. Does nothing
// once a response has begun (civetweb refuses a second status line).
void respond(mg_connection* conn, bool head_only, int status, std::string_view content_type,
             std::string_view body, HeaderList extra_headers = {}) {
  const std::string length = std::to_string(body.size());
  if (mg_response_header_start(conn, status) != 0) return;
  add_header(conn, "Content-Type", content_type);
  add_header(conn, "X-Content-Type-Options", "nosniff");
  add_header(conn, "Content-Length", length);
  for (const auto& [name, value] : extra_headers) add_header(conn, name, value);
  mg_response_header_send(conn);
  if (!head_only && !body.empty()) mg_write(conn, body.data(), body.size());
}

// Whether the request announced a body: a positive Content-Length or a Transfer-Encoding.
bool carries_body(mg_connection* conn, const mg_request_info& request) {
  return request.content_length > 0 || mg_get_header(conn, "Transfer-Encoding") != nullptr;
}

// The exposition's chunks, straight onto the socket: as HTTP/1.1 chunks, or raw for HTTP/1.0
// where the body ends when the connection closes. A chunk's size line, data and CRLF leave in one
// write (mg_send_chunk would make three system calls and small segments).
class ConnectionSink final : public ExpositionSink {
 public:
  ConnectionSink(mg_connection* conn, bool chunked) : conn_(conn), chunked_(chunked) {
    if (chunked_) frame_.reserve(kChunkBytes + 32);
  }

  bool write(std::string_view bytes) override {
    if (!chunked_) return send(bytes);
    char size_line[24];
    const int size_length = std::snprintf(size_line, sizeof size_line, "%zx\r\n", bytes.size());
    frame_.assign(size_line, static_cast<std::size_t>(size_length));
    frame_.append(bytes);
    frame_.append("\r\n");
    return send(frame_);
  }

  void end() {
    if (chunked_) send("0\r\n\r\n");
  }

 private:
  bool send(std::string_view bytes) {
    return mg_write(conn_, bytes.data(), bytes.size()) == static_cast<int>(bytes.size());
  }

  mg_connection* conn_;
  bool chunked_;
  std::string frame_;
};

// The IPv4 address a local connection reaches the listener on ("" for IPv6, which this civetweb
// cannot serve anyway), from civetweb's listening_ports spelling.
std::string local_ipv4_of(std::string_view civetweb_ports) {
  const std::size_t colon = civetweb_ports.rfind(':');
  if (civetweb_ports.starts_with('[')) return "";
  if (colon == std::string_view::npos) return "127.0.0.1";  // "10877" or "+10877": all interfaces
  const std::string host(civetweb_ports.substr(0, colon));
  return host == "0.0.0.0" ? "127.0.0.1" : host;
}

void connect_and_close(const std::string& ipv4, int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (inet_pton(AF_INET, ipv4.c_str(), &address.sin_addr) != 1) return;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  close(fd);
}

// Set while CivetServer starts on this thread, so start() can report why binding failed.
thread_local std::string* startup_messages = nullptr;

}  // namespace

struct HttpServer::State {
  State(const HttpServerOptions& server_options, const store::SnapshotStore& snapshot_store,
        const store::Telemetry& exporter_telemetry, HttpCallbacks server_callbacks)
      : options(server_options),
        store(snapshot_store),
        telemetry(exporter_telemetry),
        callbacks(std::move(server_callbacks)),
        exposition(std::make_shared<const Exposition>(server_options.exposition)),
        authenticator(server_options.basic_auth_users) {}

  void serve(mg_connection* conn);
  bool authorized(mg_connection* conn, const mg_request_info& request);
  void serve_metrics(mg_connection* conn, const mg_request_info& request, bool head_only);
  void serve_top_posts(mg_connection* conn, const mg_request_info& request, bool head_only);
  void serve_reload(mg_connection* conn);
  std::shared_ptr<const Exposition> current_exposition() const;
  void log_warning(std::string_view message, std::string_view detail) const;
  void log_handshake_failure(std::string_view detail) const;

  const HttpServerOptions options;
  const store::SnapshotStore& store;
  const store::Telemetry& telemetry;
  const HttpCallbacks callbacks;
  mutable std::mutex exposition_mutex;
  std::shared_ptr<const Exposition> exposition;
  std::mutex reload_mutex;
  BasicAuthenticator authenticator;
  WarningThrottle auth_warnings{kAuthWarningInterval};
  std::unique_ptr<TlsContexts> tls;  // set when serving HTTPS; outlives `server`
  mutable WarningThrottle tls_warnings{kAuthWarningInterval};
  std::atomic<bool> stopping = false;  // stop()'s knocks are not failed handshakes worth a log
  int port = 0;
  std::string local_ipv4;  // where stop() knocks to wake civetweb's accept loop
  // Last member: destroyed first, so no request runs while the rest goes away.
  std::unique_ptr<CivetServer> server;
};

namespace {

int on_civetweb_log(const mg_connection* conn, const char* message) {
  if (startup_messages != nullptr) {
    if (!startup_messages->empty()) *startup_messages += "; ";
    *startup_messages += message;
  } else if (conn != nullptr) {
    const auto* server = static_cast<const CivetServer*>(mg_get_user_data(mg_get_context(conn)));
    if (server != nullptr && server->getUserContext() != nullptr) {
      const auto* state = static_cast<const HttpServer::State*>(server->getUserContext());
      if (is_tls_handshake_failure(message)) {
        state->log_handshake_failure(message);
      } else {
        state->log_warning("civetweb reported a problem", message);
      }
    }
  }
  return 1;  // handled: civetweb prints nothing itself
}

// Every request is answered here, before civetweb looks for handlers: the routes exist from the
// moment the socket listens, so an early probe never sees a 404.
int on_begin_request(mg_connection* conn) {
  const auto* server = static_cast<const CivetServer*>(mg_get_user_data(mg_get_context(conn)));
  auto* state = static_cast<HttpServer::State*>(const_cast<void*>(server->getUserContext()));
  state->serve(conn);
  return 1;  // answered; civetweb adds nothing
}

// civetweb asks for the OpenSSL context when it starts (ssl_context null) and when it stops; the
// context belongs to TlsContexts, so civetweb must neither create nor free one (return 1).
int on_external_ssl_context(void** ssl_context, void* user_data) {
  const auto* server = static_cast<const CivetServer*>(user_data);
  const auto* state = static_cast<const HttpServer::State*>(server->getUserContext());
  if (state == nullptr || !state->tls) return -1;
  if (*ssl_context == nullptr) *ssl_context = state->tls->listener_context();
  return 1;
}

}  // namespace

// Any client can fail a handshake (a scanner, plain HTTP on the HTTPS port, a missing client
// certificate), so it is a warning at most once a minute, with the count, and debug otherwise.
// civetweb gives no client address before a request is read, so none is logged.
void HttpServer::State::log_handshake_failure(std::string_view detail) const {
  if (options.logger == nullptr || stopping.load()) return;
  if (const auto held_back = tls_warnings.admit(std::chrono::steady_clock::now())) {
    options.logger->warn("TLS handshake failed",
                         {{"detail", std::string(detail)},
                          {"failures_since_last_warning", std::to_string(*held_back)}});
  } else {
    options.logger->debug("TLS handshake failed", {{"detail", std::string(detail)}});
  }
}

void HttpServer::State::log_warning(std::string_view message, std::string_view detail) const {
  if (options.logger != nullptr) options.logger->warn(message, {{"detail", std::string(detail)}});
}

void HttpServer::State::serve(mg_connection* conn) {
  const mg_request_info* request = mg_get_request_info(conn);
  const std::string_view method = request->request_method;
  const bool head_only = method == "HEAD";
  const Route route = route_of(request->local_uri);
  // An exception must not unwind into civetweb's C code.
  try {
    if (carries_body(conn, *request)) {
      // No route reads a body. Left unread, civetweb would wait for it (all 1e20 bytes of a lying
      // Content-Length) before the next request: answer now and close instead.
      // civetweb's own error answer marks the connection to close, so it skips reading the body.
      mg_send_http_error(conn, 413, "%s", "This exporter takes no request bodies.\n");
    } else if (!authorized(conn, *request)) {
      respond(conn, head_only, 401, kTextContentType, "Unauthorized\n",
              {{"WWW-Authenticate", "Basic"}});
    } else if (route == Route::unknown) {
      respond(conn, head_only, 404, kTextContentType, "Not Found\n");
    } else if (!method_allowed(route, method)) {
      respond(conn, head_only, 405, kTextContentType, "Method Not Allowed\n",
              {{"Allow", allowed_methods(route)}});
    } else {
      switch (route) {
        case Route::landing: {
          const auto collectors = callbacks.collector_status ? callbacks.collector_status()
                                                             : std::vector<CollectorStatus>{};
          respond(conn, head_only, 200, kHtmlContentType,
                  render_landing_page(options.landing_page, collectors));
          break;
        }
        case Route::metrics:
          serve_metrics(conn, *request, head_only);
          break;
        case Route::top_posts:
          serve_top_posts(conn, *request, head_only);
          break;
        case Route::healthy:
          respond(conn, head_only, 200, kTextContentType, "OK\n");
          break;
        case Route::ready: {
          const bool ready = !callbacks.ready || callbacks.ready();
          respond(conn, head_only, ready ? 200 : 503, kTextContentType,
                  ready ? "OK\n" : "Not ready\n");
          break;
        }
        case Route::reload:
          if (options.enable_lifecycle) {
            serve_reload(conn);
          } else {
            // Prometheus' answer: reloading over HTTP is opt-in; SIGHUP always works.
            respond(conn, head_only, 403, kTextContentType,
                    "Lifecycle API is not enabled; start with --web.enable-lifecycle or send "
                    "SIGHUP\n");
          }
          break;
        case Route::unknown:
          break;
      }
    }
  } catch (const std::exception& error) {
    log_warning("request failed", error.what());
    // Answers only when nothing was sent yet; otherwise the client sees a truncated response.
    respond(conn, head_only, 500, kTextContentType, "Internal Server Error\n");
  }
}

// Refused credentials are logged with the user name, never the password: a warning now and then
// (a misconfigured scraper shows up), every one at the debug level. A missing header is what
// browsers send before asking for a password, so it is debug only.
bool HttpServer::State::authorized(mg_connection* conn, const mg_request_info& request) {
  const AuthDecision decision = authenticator.check(mg_get_header(conn, "Authorization"));
  if (decision.allowed() || options.logger == nullptr) return decision.allowed();
  const std::string user = decision.user.substr(0, kMaxLoggedUserLength);
  const std::string reason(to_string(decision.outcome));
  const std::string path = request.local_uri != nullptr ? request.local_uri : "";
  const std::string remote = request.remote_addr;
  const auto held_back = decision.outcome == AuthOutcome::no_credentials
                             ? std::nullopt
                             : auth_warnings.admit(std::chrono::steady_clock::now());
  if (held_back) {
    options.logger->warn("basic authentication failed",
                         {{"reason", reason},
                          {"user", user},
                          {"path", path},
                          {"remote", remote},
                          {"failures_since_last_warning", std::to_string(*held_back)}});
  } else {
    options.logger->debug("basic authentication failed",
                          {{"reason", reason}, {"user", user}, {"path", path}, {"remote", remote}});
  }
  return false;
}

void HttpServer::State::serve_metrics(mg_connection* conn, const mg_request_info& request,
                                      bool head_only) {
  const char* accept_encoding = mg_get_header(conn, "Accept-Encoding");
  const bool gzip = accept_encoding != nullptr && common::accepts_gzip(accept_encoding);
  const bool chunked = std::string_view(request.http_version) != "1.0";
  mg_response_header_start(conn, 200);
  add_header(conn, "Content-Type", kMetricsContentType);
  add_header(conn, "X-Content-Type-Options", "nosniff");
  add_header(conn, "Vary", "Accept-Encoding");
  if (gzip) add_header(conn, "Content-Encoding", "gzip");
  if (chunked) {
    add_header(conn, "Transfer-Encoding", "chunked");
  } else {
    add_header(conn, "Connection", "close");
  }
  mg_response_header_send(conn);
  if (head_only) return;

  const store::Snapshot snapshot = store.snapshot();
  const std::vector<prometheus::MetricFamily> families = telemetry.collect();
  ConnectionSink connection(conn, chunked);
  const auto writer = current_exposition();
  const bool complete = gzip
                            ? writer->write_gzip(snapshot, families, connection, options.gzip_level)
                            : writer->write(snapshot, families, connection);
  // A scrape cut short has no terminating chunk, so the scraper sees an error, not a short page.
  if (complete) connection.end();
}

void HttpServer::State::serve_top_posts(mg_connection* conn, const mg_request_info& request,
                                        bool head_only) {
  const auto query =
      parse_top_posts_query(request.query_string != nullptr ? request.query_string : "");
  if (!query) {
    respond(conn, head_only, 400, kTextContentType, query.error().message + "\n");
    return;
  }
  const TopPostsResponse page = render_top_posts(store.snapshot(), *query);
  respond(conn, head_only, page.status, page.content_type, page.body);
}

void HttpServer::State::serve_reload(mg_connection* conn) {
  if (!callbacks.reload) {
    respond(conn, false, 500, kTextContentType, "reload is not supported\n");
    return;
  }
  Result<void> result;
  {
    std::lock_guard lock(reload_mutex);
    result = callbacks.reload();
  }
  if (result) {
    respond(conn, false, 200, kTextContentType, "OK\n");
  } else {
    respond(conn, false, 500, kTextContentType, result.error().message + "\n");
  }
}

std::shared_ptr<const Exposition> HttpServer::State::current_exposition() const {
  std::lock_guard lock(exposition_mutex);
  return exposition;
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(const HttpServerOptions& options,
                                                      const store::SnapshotStore& store,
                                                      const store::Telemetry& telemetry,
                                                      HttpCallbacks callbacks) {
  auto listening_ports = to_civetweb_listening_ports(options.listen_address, civetweb_has_ipv6());
  if (!listening_ports) return tl::unexpected(listening_ports.error());
  auto state = std::make_unique<State>(options, store, telemetry, std::move(callbacks));
  common::use_thread_safe_gmtime();  // civetweb's Date header, from many workers at once
  if (options.tls) {
    auto tls = TlsContexts::create(*options.tls, [logger = options.logger](const auto& reread) {
      if (logger == nullptr) return;
      if (reread) {
        logger->info("TLS files changed; serving them", {{"certificate", *reread}});
      } else {
        logger->error("TLS files changed but do not load; keeping the current certificate",
                      {{"error", reread.error().message}});
      }
    });
    if (!tls) {
      return fail("listen address \"" + options.listen_address +
                  "\": cannot serve HTTPS: " + tls.error().message);
    }
    state->tls = std::move(*tls);
    *listening_ports += "s";  // civetweb's suffix for a TLS port
  }

  std::vector<std::string> civetweb_options{
      "listening_ports",
      *listening_ports,
      "enable_keep_alive",
      "yes",
      // Without it the last small segment of a scrape waits for a delayed ACK (40 ms here).
      "tcp_nodelay",
      "1",
  };
  for (std::string& option : common::civetweb_limit_options(options.limits)) {
    civetweb_options.push_back(std::move(option));
  }
  CivetCallbacks civetweb_callbacks;
  civetweb_callbacks.log_message = on_civetweb_log;
  civetweb_callbacks.begin_request = on_begin_request;
  if (state->tls) civetweb_callbacks.external_ssl_ctx = on_external_ssl_context;
  std::string messages;
  startup_messages = &messages;
  try {
    state->server =
        std::make_unique<CivetServer>(civetweb_options, &civetweb_callbacks, state.get());
  } catch (const std::exception& error) {
    startup_messages = nullptr;
    return fail(
        "listen address \"" + options.listen_address +
        "\": cannot start the HTTP server: " + (messages.empty() ? error.what() : messages));
  }
  startup_messages = nullptr;

  const std::vector<int> ports = state->server->getListeningPorts();
  state->port = ports.empty() ? 0 : ports.front();
  state->local_ipv4 = local_ipv4_of(*listening_ports);
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(state)));
}

HttpServer::HttpServer(std::unique_ptr<State> state) : state_(std::move(state)) {}

HttpServer::~HttpServer() {
  stop();
}

int HttpServer::port() const {
  return state_->port;
}

void HttpServer::set_exposition_options(const ExpositionOptions& options) {
  auto rebuilt = std::make_shared<const Exposition>(options);
  std::lock_guard lock(state_->exposition_mutex);
  state_->exposition = std::move(rebuilt);
}

void HttpServer::precompress(const std::shared_ptr<const store::TotalsSection>& section) {
  state_->current_exposition()->precompress(section, state_->options.gzip_level);
}

void HttpServer::set_basic_auth_users(BasicAuthUsers users) {
  state_->authenticator.set_users(std::move(users));
}

Result<void> HttpServer::reload_tls(const common::TlsServerSettings& tls) {
  if (!state_->tls) return fail("the listener was started without TLS; web.tls needs a restart");
  return state_->tls->update(tls);
}

std::string HttpServer::tls_certificate() const {
  return state_->tls ? state_->tls->describe() : "";
}

void HttpServer::stop() {
  if (!state_->server) return;
  state_->stopping = true;
  // civetweb 1.15 notices a stop only when its accept loop's poll() returns, which it does every
  // 2 s or when a connection arrives: knocking while close() waits makes shutdown prompt.
  std::atomic<bool> closed = false;
  std::thread knocker([this, &closed] {
    while (!closed.load() && !state_->local_ipv4.empty()) {
      connect_and_close(state_->local_ipv4, state_->port);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  state_->server->close();
  closed = true;
  knocker.join();
  state_->server.reset();
}

}  // namespace xee::exporter

#include "simulator/server/http_server.h"

#include <CivetServer.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <thread>
#include <vector>

#include "common/listener_limits.h"
#include "common/thread_safe_gmtime.h"

namespace xee::simulator::server {
namespace {

// Engagement bodies are a few kilobytes (250 IDs); anything far larger is not a real client.
constexpr std::size_t kMaxBodyBytes = 1 << 20;

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

HttpRequest read_request(mg_connection* conn, bool& body_too_large) {
  const mg_request_info* info = mg_get_request_info(conn);
  HttpRequest request;
  request.method = info->request_method ? info->request_method : "";
  request.path = info->local_uri ? info->local_uri : "";
  request.query = info->query_string ? info->query_string : "";
  for (int i = 0; i < info->num_headers; ++i) {
    request.headers.emplace_back(info->http_headers[i].name, info->http_headers[i].value);
  }
  std::vector<char> buffer(16 * 1024);
  body_too_large = false;
  for (;;) {
    const int read = mg_read(conn, buffer.data(), buffer.size());
    if (read <= 0) break;
    request.body.append(buffer.data(), static_cast<std::size_t>(read));
    if (request.body.size() > kMaxBodyBytes) {
      body_too_large = true;
      break;
    }
  }
  return request;
}

void write_response(mg_connection* conn, const HttpResponse& response) {
  if (response.delivery == Delivery::reset) return;  // closing without a byte is the fault
  std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " +
                     mg_get_response_code_text(conn, response.status) + "\r\n";
  for (const auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
  head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  // One request per connection keeps the reset and truncation faults simple to reason about.
  head += "Connection: close\r\n\r\n";
  mg_write(conn, head.data(), head.size());
  const std::size_t length =
      response.delivery == Delivery::truncated ? response.body.size() / 2 : response.body.size();
  mg_write(conn, response.body.data(), length);
}

// Opens and closes a TCP connection to 127.0.0.1:port. civetweb's listener polls with a 2 s
// timeout and only then sees the stop flag; an incoming connection wakes it at once.
void wake_listener(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  ::close(fd);
}

}  // namespace

// Answers every request from civetweb's begin_request callback, which is in place before the
// socket listens: no early request meets civetweb's 404 for a handler not yet added.
class HttpServer::Handler {
 public:
  Handler(Service& service, common::Logger& logger, common::StopSignal& stopping)
      : service_(service), logger_(logger), stopping_(stopping) {}

  static Handler& of(const mg_connection* conn) {
    const auto* civet = static_cast<const CivetServer*>(mg_get_user_data(mg_get_context(conn)));
    return *static_cast<Handler*>(const_cast<void*>(civet->getUserContext()));
  }

  static int on_begin_request(mg_connection* conn) {
    of(conn).handle(conn);
    return 1;  // answered
  }

  static int on_log_message(const mg_connection* conn, const char* message) {
    if (conn != nullptr) of(conn).logger_.debug("civetweb", {{"message", message}});
    return 1;
  }

 private:
  void handle(mg_connection* conn) {
    bool body_too_large = false;
    const HttpRequest request = read_request(conn, body_too_large);
    HttpResponse response;
    if (body_too_large) {
      response.status = 413;
      response.set_header("Content-Type", "application/json; charset=utf-8");
      response.body = R"({"errors":["Request body is larger than 1 MiB"]})";
    } else {
      response = service_.handle(request);
    }
    if (response.delay.count() > 0) stopping_.wait_for(response.delay);
    write_response(conn, response);
  }

  Service& service_;
  common::Logger& logger_;
  common::StopSignal& stopping_;
};

Result<std::string> civetweb_listening_port(std::string_view listen_address) {
  const std::size_t colon = listen_address.rfind(':');
  if (colon == std::string_view::npos) {
    return fail("'" + std::string(listen_address) + "' is not HOST:PORT or :PORT");
  }
  const std::string_view host = listen_address.substr(0, colon);
  const std::string_view port_text = listen_address.substr(colon + 1);
  int port = -1;
  if (all_digits(port_text))
    std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port < 0 || port > 65535) {
    return fail("'" + std::string(listen_address) + "' has no valid port (0-65535)");
  }
  if (host.empty()) return std::string(port_text);
  if (host == "localhost") return "127.0.0.1:" + std::string(port_text);
  const bool ipv6 = host.size() > 2 && host.front() == '[' && host.back() == ']';
  int dots = 0;
  bool ipv4 = !host.empty();
  for (const char c : host) {
    dots += c == '.';
    ipv4 = ipv4 && (std::isdigit(static_cast<unsigned char>(c)) || c == '.');
  }
  if (!ipv6 && !(ipv4 && dots == 3)) {
    return fail("'" + std::string(listen_address) +
                "': the host must be an IPv4 address, [IPv6], localhost or empty");
  }
  return std::string(listen_address);
}

HttpServer::HttpServer(Service& service, common::Logger& logger)
    : service_(service),
      logger_(logger),
      handler_(std::make_unique<Handler>(service, logger, stopping_)) {}

Result<std::unique_ptr<HttpServer>> HttpServer::start(std::string_view listen_address,
                                                      Service& service, common::Logger& logger) {
  auto ports = civetweb_listening_port(listen_address);
  if (!ports) return tl::unexpected(ports.error());
  std::unique_ptr<HttpServer> server(new HttpServer(service, logger));
  common::use_thread_safe_gmtime();  // civetweb's Date header, from many workers at once
  // One request per connection keeps the reset and truncation faults exact.
  std::vector<std::string> options{"listening_ports", *ports, "enable_keep_alive", "no"};
  for (std::string& option : common::civetweb_limit_options(common::ListenerLimits{})) {
    options.push_back(std::move(option));
  }
  CivetCallbacks callbacks;
  callbacks.log_message = &Handler::on_log_message;
  callbacks.begin_request = &Handler::on_begin_request;
  try {
    server->civet_ = std::make_unique<CivetServer>(options, &callbacks, server->handler_.get());
  } catch (const CivetException& error) {
    return fail("cannot listen on " + std::string(listen_address) + ": " + error.what());
  }
  const auto bound = server->civet_->getListeningPorts();
  const std::string host(listen_address.substr(0, listen_address.rfind(':')));
  server->port_ = bound.empty() ? 0 : bound.front();
  server->wake_on_loopback_ =
      host.empty() || host == "localhost" || host == "0.0.0.0" || host.starts_with("127.");
  server->address_ = (host.empty() ? "0.0.0.0" : host) + ":" + std::to_string(server->port_);
  return server;
}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::stop() {
  stopping_.request_stop();
  if (!civet_) return;
  if (!wake_on_loopback_) {
    civet_.reset();  // closes, waiting for requests in flight
    return;
  }
  std::atomic<bool> closed = false;
  std::thread closer([&] {
    civet_->close();
    closed = true;
  });
  while (!closed) {
    wake_listener(port_);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  closer.join();
  civet_.reset();
}

}  // namespace xee::simulator::server

#pragma once
// The thin civetweb layer: accepts connections, turns each request into an HttpRequest, asks the
// Service, and writes the HttpResponse back (including the injected latency, truncation and
// dropped connections). No API logic lives here.

#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/log.h"
#include "common/result.h"
#include "simulator/server/service.h"

class CivetServer;

namespace xee::simulator::server {

// "127.0.0.1:10880" stays as is, ":10880" (all interfaces) becomes "10880", "localhost:N" becomes
// "127.0.0.1:N", "[::1]:N" is kept: civetweb's listening_ports syntax. Errors name the problem.
Result<std::string> civetweb_listening_port(std::string_view listen_address);

class HttpServer {
 public:
  // Starts listening at once; fails (naming the address) when the port cannot be bound.
  static Result<std::unique_ptr<HttpServer>> start(std::string_view listen_address,
                                                   Service& service, common::Logger& logger);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // "127.0.0.1:10880": the host as configured and the port actually bound.
  const std::string& address() const { return address_; }
  // Cuts injected latencies short and waits for requests in flight; idempotent.
  void stop();

 private:
  class Handler;
  HttpServer(Service& service, common::Logger& logger);

  Service& service_;
  common::Logger& logger_;
  common::StopSignal stopping_;
  std::unique_ptr<Handler> handler_;
  std::unique_ptr<CivetServer> civet_;
  std::string address_;
  int port_ = 0;
  bool wake_on_loopback_ = false;  // the listener is reachable on 127.0.0.1 to speed up stop()
};

}  // namespace xee::simulator::server

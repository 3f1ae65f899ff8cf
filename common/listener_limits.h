#pragma once
// The civetweb settings that keep a listener answering when clients misbehave, shared by the
// exporter and the simulator. civetweb 1.15 gives each open connection a worker thread until the
// connection closes, so idle, trickling or lying clients can only be outlasted: enough workers for
// every scraper plus headroom, and short deadlines for requests that never complete.

#include <chrono>
#include <string>
#include <vector>

namespace xee::common {

struct ListenerLimits {
  // Worker threads: connections served at once. Further ones wait in the accept queue.
  int max_connections = 512;
  // A whole request (line, headers, any body) must arrive within this; a socket write may block
  // no longer either.
  std::chrono::milliseconds request_timeout = std::chrono::seconds(10);
  // Idle time allowed between two requests on a kept-alive connection.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(10);
  bool operator==(const ListenerLimits&) const = default;
};

// civetweb option pairs (name, value, …) for `limits`, to append after listening_ports.
inline std::vector<std::string> civetweb_limit_options(const ListenerLimits& limits) {
  const int workers = limits.max_connections < 1 ? 1 : limits.max_connections;
  return {
      "num_threads",
      std::to_string(workers),
      // Accepted sockets waiting for a worker; the kernel's backlog holds the ones after.
      "connection_queue",
      std::to_string(workers),
      "listen_backlog",
      "1024",
      "request_timeout_ms",
      std::to_string(limits.request_timeout.count()),
      "keep_alive_timeout_ms",
      std::to_string(limits.idle_timeout.count()),
      // Every answer, civetweb's own error pages included, tells browsers not to guess the type.
      "additional_header",
      "X-Content-Type-Options: nosniff",
  };
}

}  // namespace xee::common

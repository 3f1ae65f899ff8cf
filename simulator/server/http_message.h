#pragma once
// The simulator's HTTP exchange as plain values: the civetweb layer fills an HttpRequest from the
// socket and writes an HttpResponse back, and everything between is testable without sockets.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xee::simulator::server {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", …
  std::string path;    // percent-decoded path, no query: "/insights/engagement/totals"
  std::string query;   // raw query string without '?', still percent-encoded
  HeaderList headers;
  std::string body;

  // Case-insensitive lookup; nullopt when absent.
  std::optional<std::string_view> header(std::string_view name) const;
};

// How the bytes of a response reach the client; the non-complete forms are injected faults.
enum class Delivery {
  complete,
  truncated,  // headers announce the full Content-Length, half the body is sent, then close
  reset,      // the connection is closed before any byte of a response is written
};

struct HttpResponse {
  int status = 200;
  HeaderList headers;  // Content-Length is added when writing
  std::string body;
  Delivery delivery = Delivery::complete;
  std::chrono::milliseconds delay{0};  // injected latency, waited before writing

  void set_header(std::string name, std::string value);
  std::optional<std::string_view> header(std::string_view name) const;
};

bool iequals(std::string_view a, std::string_view b);

}  // namespace xee::simulator::server

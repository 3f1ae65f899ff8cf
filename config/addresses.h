#pragma once
// The two kinds of address in the configuration: where the exporter listens and the base URLs
// of X's APIs. Shared with the exporter's main so --web.listen-address is checked the same way.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace xee::config {

// "[host]:port" as Prometheus exporters write it: ":10877" (all interfaces),
// "127.0.0.1:10877", "[::1]:10877", "localhost:10877". The host is an IP address, localhost or
// empty; port 0 asks the kernel for a free port (tests).
struct ListenAddress {
  std::string host;  // lower case; empty for all interfaces; an IPv6 address without brackets
  std::uint16_t port = 0;
};
// Errors say what is wrong but not the text, which the caller quotes next to the setting's name.
Result<ListenAddress> parse_listen_address(std::string_view text);

// scheme://host[:port] with scheme http or https: API paths are appended by the client, so a
// path, query, fragment or user info is an error (a trailing "/" is tolerated).
struct BaseUrl {
  std::string scheme;  // lower case
  std::string host;    // lower case; IPv6 keeps its brackets
  std::optional<std::uint16_t> port;

  // The normalized form: "https://data-api.x.com", "http://127.0.0.1:10880".
  std::string to_string() const;
  // localhost, 127.0.0.0/8 or [::1]: plain http to these never leaves the machine.
  bool is_loopback() const;
};
Result<BaseUrl> parse_base_url(std::string_view text);

}  // namespace xee::config

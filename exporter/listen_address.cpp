#include "exporter/listen_address.h"

#include <arpa/inet.h>
#include <civetweb.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace xee::exporter {
namespace {

bool parses_as(int family, const std::string& host) {
  unsigned char address[sizeof(in6_addr)];
  return inet_pton(family, host.c_str(), address) == 1;
}

}  // namespace

Result<std::string> to_civetweb_listening_ports(std::string_view listen_address,
                                                bool ipv6_available) {
  const std::string quoted = "listen address \"" + std::string(listen_address) + "\"";
  const std::size_t colon = listen_address.rfind(':');
  if (colon == std::string_view::npos) {
    return fail(quoted + ": missing port; write host:port, e.g. :10877 or 127.0.0.1:10877");
  }
  const std::string_view port_text = listen_address.substr(colon + 1);
  unsigned port = 0;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc{} || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return fail(quoted + ": port \"" + std::string(port_text) + "\" is not a number 0-65535");
  }
  const std::string port_string = std::to_string(port);
  const std::string_view host = listen_address.substr(0, colon);

  if (host.empty()) {
    // civetweb's "+P" is IPv4 and IPv6; a build without IPv6 only knows plain "P".
    return (ipv6_available ? "+" : "") + port_string;
  }
  if (host.front() == '[') {
    const std::string inner(host.substr(1, host.size() >= 2 ? host.size() - 2 : 0));
    if (host.size() < 2 || host.back() != ']' || !parses_as(AF_INET6, inner)) {
      return fail(quoted + ": \"" + std::string(host) + "\" is not an IPv6 address in brackets");
    }
    if (!ipv6_available) {
      return fail(quoted +
                  ": this civetweb was built without IPv6 support, so IPv6 addresses cannot be "
                  "served; listen on 127.0.0.1 or :" +
                  port_string + " instead");
    }
    return std::string(host) + ":" + port_string;
  }
  std::string lowered(host);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lowered == "localhost") return "127.0.0.1:" + port_string;
  if (!parses_as(AF_INET, lowered)) {
    return fail(quoted + ": host \"" + std::string(host) +
                "\" must be an IP address, \"localhost\" or empty (all interfaces)");
  }
  return lowered + ":" + port_string;
}

bool civetweb_has_ipv6() {
  // Feature bit 8 of mg_check_feature is IPv6 support.
  return mg_check_feature(8) != 0;
}

}  // namespace xee::exporter

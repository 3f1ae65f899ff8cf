#pragma once
// --web.listen-address as the Prometheus ecosystem writes it (":10877", "127.0.0.1:10877",
// "[::1]:10877") translated to civetweb's listening_ports syntax.

#include <string>
#include <string_view>

#include "common/result.h"

namespace xee::exporter {

// ":P" means every interface; "localhost" is taken as 127.0.0.1; any other host must be an IP
// literal. Port 0 asks the kernel for a free port (tests use it). IPv6 hosts need a civetweb built
// with IPv6, which `ipv6_available` tells; Debian's 1.15 has none. Errors name the address.
Result<std::string> to_civetweb_listening_ports(std::string_view listen_address,
                                                bool ipv6_available);

// Whether the linked civetweb can listen on IPv6.
bool civetweb_has_ipv6();

}  // namespace xee::exporter

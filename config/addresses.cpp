#include "config/addresses.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "config/text.h"

namespace xee::config {
namespace {

std::optional<unsigned> parse_number(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool parses_as(int family, const std::string& host) {
  unsigned char address[sizeof(in6_addr)];
  return inet_pton(family, host.c_str(), address) == 1;
}

bool is_host_name(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  });
}

struct HostPort {
  std::string host;  // lower case, brackets removed
  bool bracketed = false;
  std::optional<std::string_view> port;  // the text after the host's ':'
};

// Splits "host[:port]" or "[v6][:port]"; an IPv6 address must be in brackets and valid.
Result<HostPort> split_host_port(std::string_view text) {
  HostPort out;
  std::string_view rest;
  if (text.starts_with('[')) {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return fail("unclosed '[' around an IPv6 address");
    out.host = to_lower(text.substr(1, close - 1));
    out.bracketed = true;
    if (!parses_as(AF_INET6, out.host)) return fail("invalid IPv6 address [" + out.host + "]");
    rest = text.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return fail("unexpected text after ']'");
  } else {
    const std::size_t colon = text.rfind(':');
    out.host = to_lower(text.substr(0, colon));
    if (out.host.find(':') != std::string::npos) {
      return fail("an IPv6 address needs brackets, as in [::1]:10877");
    }
    rest = colon == std::string_view::npos ? std::string_view{} : text.substr(colon);
  }
  if (rest.starts_with(':')) out.port = rest.substr(1);
  return out;
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view text) {
  auto split = split_host_port(text);
  if (!split) return tl::unexpected(split.error());
  if (!split->port) return fail("expected [host]:port, as in \":10877\" or \"127.0.0.1:10877\"");
  const auto port = parse_number(*split->port);
  if (!port || *port > 65535) return fail("the port must be a number from 0 to 65535");
  // The same hosts exporter/listen_address.h can bind: names other than localhost would need a
  // resolver and could mean several addresses.
  const std::string& host = split->host;
  if (!split->bracketed && !host.empty() && host != "localhost" && !parses_as(AF_INET, host)) {
    return fail("the host must be an IP address, \"localhost\" or empty (all interfaces)");
  }
  return ListenAddress{host, static_cast<std::uint16_t>(*port)};
}

std::string BaseUrl::to_string() const {
  std::string out = scheme + "://" + host;
  if (port) out += ":" + std::to_string(*port);
  return out;
}

bool BaseUrl::is_loopback() const {
  return host == "localhost" || host == "[::1]" ||
         (host.starts_with("127.") && parses_as(AF_INET, host));
}

Result<BaseUrl> parse_base_url(std::string_view text) {
  const std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return fail("expected scheme://host[:port]");
  BaseUrl url;
  url.scheme = to_lower(text.substr(0, scheme_end));
  if (url.scheme != "http" && url.scheme != "https")
    return fail("the scheme must be http or https");

  std::string_view authority = text.substr(scheme_end + 3);
  const std::size_t authority_end = authority.find_first_of("/?#");
  const std::string_view after = authority_end == std::string_view::npos
                                     ? std::string_view{}
                                     : authority.substr(authority_end);
  authority = authority.substr(0, authority.size() - after.size());
  if (after.find_first_of("?#") != std::string_view::npos) {
    return fail("a base URL has no query or fragment");
  }
  if (!after.empty() && after != "/") {
    return fail("a base URL has no path; the exporter appends the API paths");
  }
  if (authority.find('@') != std::string_view::npos) {
    return fail("credentials do not belong in the URL; set them in [app]");
  }
  if (authority.empty() || authority.starts_with(':')) return fail("the host is missing");

  auto split = split_host_port(authority);
  if (!split) return tl::unexpected(split.error());
  if (!split->bracketed && !is_host_name(split->host)) {
    return fail("invalid host \"" + split->host + "\"");
  }
  url.host = split->bracketed ? "[" + split->host + "]" : split->host;
  if (split->port) {
    const auto port = parse_number(*split->port);
    if (!port || *port < 1 || *port > 65535) {
      return fail("the port must be a number from 1 to 65535");
    }
    url.port = static_cast<std::uint16_t>(*port);
  }
  return url;
}

}  // namespace xee::config

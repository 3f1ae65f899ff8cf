#include "config/addresses.h"

#include <gtest/gtest.h>

namespace xee::config {
namespace {

void expect_listen(std::string_view text, std::string_view host, std::uint16_t port) {
  const auto parsed = parse_listen_address(text);
  ASSERT_TRUE(parsed) << text << ": " << parsed.error().message;
  EXPECT_EQ(parsed->host, host) << text;
  EXPECT_EQ(parsed->port, port) << text;
}

std::string listen_error(std::string_view text) {
  const auto parsed = parse_listen_address(text);
  return parsed ? "parsed" : parsed.error().message;
}

std::string url_error(std::string_view text) {
  const auto parsed = parse_base_url(text);
  return parsed ? "parsed" : parsed.error().message;
}

TEST(ParseListenAddress, AcceptsTheEcosystemsForms) {
  expect_listen(":10877", "", 10877);
  expect_listen("127.0.0.1:10877", "127.0.0.1", 10877);
  expect_listen("[::1]:10877", "::1", 10877);
  expect_listen("LocalHost:9", "localhost", 9);
  expect_listen(":0", "", 0);
}

TEST(ParseListenAddress, ExplainsWhatIsWrong) {
  EXPECT_EQ(listen_error("10877"), "expected [host]:port, as in \":10877\" or \"127.0.0.1:10877\"");
  EXPECT_EQ(listen_error("127.0.0.1:"), "the port must be a number from 0 to 65535");
  EXPECT_EQ(listen_error(":65536"), "the port must be a number from 0 to 65535");
  EXPECT_EQ(listen_error("exporter.example.com:10877"),
            "the host must be an IP address, \"localhost\" or empty (all interfaces)");
  EXPECT_EQ(listen_error("300.1.1.1:10877"),
            "the host must be an IP address, \"localhost\" or empty (all interfaces)");
  EXPECT_EQ(listen_error("::1:10877"), "an IPv6 address needs brackets, as in [::1]:10877");
  EXPECT_EQ(listen_error("[::g]:10877"), "invalid IPv6 address [::g]");
  EXPECT_EQ(listen_error("[::1:10877"), "unclosed '[' around an IPv6 address");
  EXPECT_EQ(listen_error("[::1]10877"), "unexpected text after ']'");
}

TEST(ParseBaseUrl, NormalizesSchemeHostAndTrailingSlash) {
  EXPECT_EQ(parse_base_url("https://data-api.x.com")->to_string(), "https://data-api.x.com");
  EXPECT_EQ(parse_base_url("HTTPS://Data-API.X.com/")->to_string(), "https://data-api.x.com");
  EXPECT_EQ(parse_base_url("http://127.0.0.1:10880")->to_string(), "http://127.0.0.1:10880");
  EXPECT_EQ(parse_base_url("http://[::1]:10880/")->to_string(), "http://[::1]:10880");
}

TEST(ParseBaseUrl, KnowsWhichHostsAreLoopback) {
  EXPECT_TRUE(parse_base_url("http://localhost:10880")->is_loopback());
  EXPECT_TRUE(parse_base_url("http://127.0.0.2")->is_loopback());
  EXPECT_TRUE(parse_base_url("http://[::1]")->is_loopback());
  EXPECT_FALSE(parse_base_url("http://data-api.x.com")->is_loopback());
  EXPECT_FALSE(parse_base_url("http://127.example.com")->is_loopback());
}

TEST(ParseBaseUrl, ExplainsWhatIsWrong) {
  EXPECT_EQ(url_error("data-api.x.com"), "expected scheme://host[:port]");
  EXPECT_EQ(url_error("ftp://data-api.x.com"), "the scheme must be http or https");
  EXPECT_EQ(url_error("https://data-api.x.com/insights"),
            "a base URL has no path; the exporter appends the API paths");
  EXPECT_EQ(url_error("https://api.x.com?x=1"), "a base URL has no query or fragment");
  EXPECT_EQ(url_error("https://user:pw@api.x.com"),
            "credentials do not belong in the URL; set them in [app]");
  EXPECT_EQ(url_error("https://"), "the host is missing");
  EXPECT_EQ(url_error("https://:443"), "the host is missing");
  EXPECT_EQ(url_error("https://api_x.com"), "invalid host \"api_x.com\"");
  EXPECT_EQ(url_error("https://api.x.com:0"), "the port must be a number from 1 to 65535");
  EXPECT_EQ(url_error("https://api.x.com:https"), "the port must be a number from 1 to 65535");
}

}  // namespace
}  // namespace xee::config

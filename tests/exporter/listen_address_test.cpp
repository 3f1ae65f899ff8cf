#include "exporter/listen_address.h"

#include <gtest/gtest.h>

namespace xee::exporter {
namespace {

std::string ports(std::string_view address, bool ipv6) {
  const auto translated = to_civetweb_listening_ports(address, ipv6);
  return translated ? *translated : "error: " + translated.error().message;
}

TEST(ListenAddress, TranslatesThePrometheusSpellings) {
  EXPECT_EQ(ports(":10877", false), "10877");
  EXPECT_EQ(ports(":10877", true), "+10877");
  EXPECT_EQ(ports("0.0.0.0:10877", false), "0.0.0.0:10877");
  EXPECT_EQ(ports("127.0.0.1:10877", false), "127.0.0.1:10877");
  EXPECT_EQ(ports("localhost:10877", false), "127.0.0.1:10877");
  EXPECT_EQ(ports("LocalHost:0", false), "127.0.0.1:0");
  EXPECT_EQ(ports("[::1]:10877", true), "[::1]:10877");
  EXPECT_EQ(ports("[::]:10877", true), "[::]:10877");
}

TEST(ListenAddress, ErrorsNameTheAddressAndTheProblem) {
  EXPECT_EQ(ports("10877", false),
            "error: listen address \"10877\": missing port; write host:port, e.g. :10877 or "
            "127.0.0.1:10877");
  EXPECT_EQ(ports("127.0.0.1:", false),
            "error: listen address \"127.0.0.1:\": port \"\" is not a number 0-65535");
  EXPECT_EQ(ports(":65536", false),
            "error: listen address \":65536\": port \"65536\" is not a number 0-65535");
  EXPECT_EQ(ports(":10877s", false),
            "error: listen address \":10877s\": port \"10877s\" is not a number 0-65535");
  EXPECT_EQ(ports(":-1", false),
            "error: listen address \":-1\": port \"-1\" is not a number 0-65535");
  EXPECT_EQ(ports("example.com:10877", false),
            "error: listen address \"example.com:10877\": host \"example.com\" must be an IP "
            "address, \"localhost\" or empty (all interfaces)");
  EXPECT_EQ(ports("256.0.0.1:10877", false),
            "error: listen address \"256.0.0.1:10877\": host \"256.0.0.1\" must be an IP address, "
            "\"localhost\" or empty (all interfaces)");
  EXPECT_EQ(ports("[::1:10877", true),
            "error: listen address \"[::1:10877\": \"[::1\" is not an IPv6 address in brackets");
  EXPECT_EQ(
      ports("[nope]:10877", true),
      "error: listen address \"[nope]:10877\": \"[nope]\" is not an IPv6 address in brackets");
  EXPECT_EQ(ports("[::1]:10877", false),
            "error: listen address \"[::1]:10877\": this civetweb was built without IPv6 support, "
            "so IPv6 addresses cannot be served; listen on 127.0.0.1 or :10877 instead");
}

}  // namespace
}  // namespace xee::exporter

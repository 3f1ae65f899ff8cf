#include "simulator/server/http_server.h"

#include <gtest/gtest.h>

namespace xee::simulator::server {
namespace {

TEST(CivetwebListeningPort, TranslatesPrometheusStyleAddresses) {
  EXPECT_EQ(civetweb_listening_port("127.0.0.1:10880").value(), "127.0.0.1:10880");
  EXPECT_EQ(civetweb_listening_port(":10880").value(), "10880");
  EXPECT_EQ(civetweb_listening_port("localhost:10880").value(), "127.0.0.1:10880");
  EXPECT_EQ(civetweb_listening_port("[::1]:10880").value(), "[::1]:10880");
}

TEST(CivetwebListeningPort, NamesWhatIsWrong) {
  EXPECT_EQ(civetweb_listening_port("10880").error().message, "'10880' is not HOST:PORT or :PORT");
  EXPECT_EQ(civetweb_listening_port("127.0.0.1:70000").error().message,
            "'127.0.0.1:70000' has no valid port (0-65535)");
  EXPECT_EQ(civetweb_listening_port("example.com:80").error().message,
            "'example.com:80': the host must be an IPv4 address, [IPv6], localhost or empty");
}

}  // namespace
}  // namespace xee::simulator::server

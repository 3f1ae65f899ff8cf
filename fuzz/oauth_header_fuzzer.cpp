// Fuzzes the simulator's reading of an Authorization header: Authenticator::authenticate (OAuth
// 1.0a user context or a Bearer token, against the demo world at a fixed wall-clock time, for
// POST /insights/engagement/totals), verify_app_basic (POST /oauth2/token), and the parser both
// use, wire::oauth::parse_authorization_header. A parsed header written back with each key and
// value percent-encoded must parse to the same parameters.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "fuzz/fuzz_support.h"
#include "simulator/server/auth.h"
#include "wire/oauth.h"

namespace {

using namespace xee;

// 2026-11-20T00:00:00Z, the time signed into the seeds' oauth_timestamp.
constexpr std::int64_t kWallNow = 1795132800;

const simulator::WorldConfig& world() {
  static const simulator::WorldConfig config = simulator::demo_world();
  return config;
}

void check_round_trip(std::string_view header) {
  const auto params = wire::oauth::parse_authorization_header(header);
  if (!params) {
    XEE_FUZZ_REQUIRE(!params.error().message.empty());
    return;
  }
  std::string written = "OAuth ";
  for (const auto& [key, value] : *params) {
    written +=
        wire::oauth::percent_encode(key) + "=\"" + wire::oauth::percent_encode(value) + "\", ";
  }
  const auto again = wire::oauth::parse_authorization_header(written);
  XEE_FUZZ_REQUIRE(again.has_value() && *again == *params);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view header = fuzz::as_text(data, size);
  check_round_trip(header);

  // A fresh authenticator per input: a verified request consumes its nonce, and the same input
  // must give the same answer every time.
  const common::ManualClock wall{common::TimePoint{std::chrono::seconds{kWallNow}}};
  simulator::server::Authenticator authenticator(world(), wall);
  const simulator::server::AuthRequest request{
      .method = "POST",
      .signed_url_candidates = {"http://127.0.0.1:10880/insights/engagement/totals"},
      .authorization = header,
      .body = R"({"tweet_ids":["1"]})"};
  const std::set<std::string> revoked = {size % 3 == 0 ? "globex" : ""};
  const simulator::server::AppOnlySchemes app_only{.bearer = size % 2 == 0, .oauth = size % 4 < 2};
  const auto caller = authenticator.authenticate(request, app_only, revoked);
  if (!caller) {
    XEE_FUZZ_REQUIRE(caller.error().status == 401);
    XEE_FUZZ_REQUIRE(!caller.error().message.empty());
  }
  (void)authenticator.verify_app_basic(header);
  return 0;
}

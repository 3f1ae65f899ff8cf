// Fuzzes the exporter listener's basic auth: parse_basic_authorization and the decision
// BasicAuthenticator::check makes from the header (as civetweb hands it over: a C string, so
// the input is cut at its first NUL). bcrypt is replaced by a comparison with the known password
// ("scrape-secret" for user "prometheus"): at cost 4 it would still cap the run at ~1000 inputs
// per second, and libxcrypt is not what is under test. One authenticator serves every input with a
// cache of 4, so eviction is exercised too. Checks: the outcome follows from what was parsed, and
// parsed credentials written back as a header parse to the same.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "exporter/basic_auth.h"
#include "fuzz/fuzz_support.h"
#include "wire/oauth.h"

namespace {

using namespace xee::exporter;

constexpr std::string_view kUser = "prometheus";
constexpr std::string_view kPassword = "scrape-secret";
constexpr std::string_view kHash = "$2b$04$QG2xyWsg3P.ILoYmySg78.ERHo6kgVM6xbK5wOripUkeplxKICYqS";

BasicAuthenticator& authenticator() {
  static BasicAuthenticator instance(
      BasicAuthUsers{{std::string(kUser), std::string(kHash)}},
      [](std::string_view password, const std::string& hash) {
        return hash == kHash && password == kPassword;
      },
      4);
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // What civetweb passes: the header's value up to the first NUL.
  const std::string_view input = xee::fuzz::as_text(data, size);
  const std::string header(input.substr(0, input.find('\0')));
  const auto credentials = parse_basic_authorization(header);
  if (credentials) {
    XEE_FUZZ_REQUIRE(credentials->user.find(':') == std::string::npos);
    const auto again =
        parse_basic_authorization("Basic " + xee::wire::oauth::base64_encode(
                                                 credentials->user + ":" + credentials->password));
    XEE_FUZZ_REQUIRE(again && again->user == credentials->user &&
                     again->password == credentials->password);
  }

  const AuthDecision decision = authenticator().check(header.c_str());
  if (!credentials) {
    XEE_FUZZ_REQUIRE(decision.outcome == AuthOutcome::malformed);
  } else if (credentials->user != kUser) {
    XEE_FUZZ_REQUIRE(decision.outcome == AuthOutcome::unknown_user);
  } else {
    XEE_FUZZ_REQUIRE(
        decision.outcome ==
        (credentials->password == kPassword ? AuthOutcome::accepted : AuthOutcome::wrong_password));
  }
  XEE_FUZZ_REQUIRE(authenticator().cached_verifications() <= 4);
  return 0;
}

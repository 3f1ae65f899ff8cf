#pragma once
// Known bcrypt hashes for the basic auth tests (exporter, e2e), made with libxcrypt's
// crypt_gensalt_rn at cost 4 so the tests stay fast (a real config uses 10 or more).

#include <string>
#include <string_view>

#include "wire/oauth.h"

namespace xee::exporter::testing {

inline constexpr std::string_view kScrapeSecretHash =
    "$2b$04$QG2xyWsg3P.ILoYmySg78.ERHo6kgVM6xbK5wOripUkeplxKICYqS";  // "scrape-secret"
inline constexpr std::string_view kAlicePasswordHash =
    "$2a$04$qeExUOttWM9HG8v4RJsW3O0EOighgaC9ZpHoYBMVrOBQz3XuvbrnG";  // "alice-password"
inline constexpr std::string_view kBobPasswordHash =
    "$2y$04$RbjHHAZuBWN99ibct9lRZuabWsopRAD7XJU5EeZ3J0BtA.PWRL5ZC";  // "bob-password"

// The value of an Authorization header for "user:password".
inline std::string basic_authorization(std::string_view user_and_password) {
  return "Basic " + wire::oauth::base64_encode(user_and_password);
}

}  // namespace xee::exporter::testing

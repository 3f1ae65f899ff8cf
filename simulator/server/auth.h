#pragma once
// Verifies who is calling (spec §5): OAuth 1.0a user context, checked the way X documents it, or
// an app-only Bearer token; and the Basic credentials of POST /oauth2/token.
//
// What OAuth 1.0a verification covers: every oauth_* parameter of the Authorization header except
// oauth_signature (realm is not an oauth_* parameter) plus the query string's parameters, never a
// JSON body. oauth_body_hash, when sent, is signed like the rest and must match the body.
// oauth_timestamp is compared with the *wall* clock: clients sign with real time even when the
// world's clock runs fast or stands still.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "common/clock.h"
#include "simulator/server/caller.h"
#include "simulator/world/world.h"

namespace xee::simulator::server {

enum class AuthFailureReason {
  missing,             // no Authorization header
  unknown_scheme,      // neither OAuth nor Bearer
  bearer_not_allowed,  // Bearer where only user context is allowed (/28hr, /historical)
  bad_bearer,          // not the app's bearer token
  malformed,           // unparsable OAuth header, or a required oauth_* parameter missing
  consumer_key,        // not the app's consumer key
  unknown_token,       // no configured account has this access token
  revoked_token,       // the account's tokens are revoked (an injected fault)
  signature,           // HMAC-SHA1 signature does not verify
  timestamp,           // oauth_timestamp further than timestamp_skew from the wall clock
  nonce_replay,        // nonce already seen within the skew window
  body_hash,           // oauth_body_hash does not match the body
};

// The metric label value: "missing", "bad_bearer", "signature", …
std::string_view reason_label(AuthFailureReason reason);
inline constexpr std::size_t kAuthFailureReasonCount = 12;

struct AuthFailure {
  int status = 401;
  AuthFailureReason reason = AuthFailureReason::missing;
  std::string message;  // the Engagement API's `errors` string
  std::string detail;   // for the log: what exactly did not match
};

// What the client sent that authentication looks at.
struct AuthRequest {
  std::string_view method;
  // The request URLs (scheme://host/path?query) the client may have signed: the simulator's own
  // address as the Host header gives it, and X's real hosts for clients configured with those.
  std::vector<std::string> signed_url_candidates;
  std::string_view authorization;  // the header's value; "" when absent
  std::string_view body;
};

class Authenticator {
 public:
  Authenticator(const WorldConfig& world, const common::Clock& wall_clock);

  // `bearer_allowed` is false on /28hr and /historical. `revoked_handles` are accounts whose
  // tokens are refused as if unknown.
  tl::expected<Caller, AuthFailure> authenticate(const AuthRequest& request, bool bearer_allowed,
                                                 const std::set<std::string>& revoked_handles);

  // POST /oauth2/token: `Authorization: Basic base64(pct(key):pct(secret))` of the app.
  bool verify_app_basic(std::string_view authorization) const;

 private:
  tl::expected<Caller, AuthFailure> authenticate_oauth(
      const AuthRequest& request, const std::set<std::string>& revoked_handles);
  // Records the nonce; false when it was already seen within the skew window.
  bool remember_nonce(const std::string& token, const std::string& nonce);

  const WorldConfig& world_;
  const common::Clock& wall_clock_;
  std::mutex nonce_mutex_;
  std::map<std::pair<std::string, std::string>, common::TimePoint> seen_nonces_;
};

}  // namespace xee::simulator::server

#pragma once
// Verifies who is calling (spec §5): OAuth 1.0a user context, checked the way X documents it, an
// app-only Bearer token, or app-only OAuth 1.0a (consumer key and secret, no oauth_token, which
// X's API reference allows for public /totals metrics); and the Basic credentials of POST
// /oauth2/token.
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
#include <optional>
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
  missing,                // no Authorization header
  unknown_scheme,         // neither OAuth nor Bearer
  bearer_not_allowed,     // Bearer where only user context is allowed (/28hr, /historical)
  app_oauth_not_allowed,  // OAuth 1.0a without oauth_token anywhere but /totals
  bad_bearer,             // not the app's bearer token
  malformed,              // unparsable OAuth header, or a required oauth_* parameter missing
  consumer_key,           // not the app's consumer key
  unknown_token,          // no configured account has this access token
  revoked_token,          // the account's tokens are revoked (an injected fault)
  signature,              // HMAC-SHA1 signature does not verify
  timestamp,              // oauth_timestamp further than timestamp_skew from the wall clock
  nonce_replay,           // nonce already seen within the skew window
  body_hash,              // oauth_body_hash does not match the body
};

// The metric label value: "missing", "bad_bearer", "signature", …
std::string_view reason_label(AuthFailureReason reason);
inline constexpr std::size_t kAuthFailureReasonCount = 13;

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

// The app-only schemes an endpoint takes besides OAuth 1.0a user context.
struct AppOnlySchemes {
  bool bearer = false;
  bool oauth = false;  // OAuth 1.0a signed with the consumer key and secret only
};

class Authenticator {
 public:
  Authenticator(const WorldConfig& world, const common::Clock& wall_clock);

  // `app_only` says which app-only schemes the endpoint takes (Bearer on /totals and search,
  // app-only OAuth 1.0a on /totals only). `revoked_handles` are accounts whose tokens are refused
  // as if unknown.
  tl::expected<Caller, AuthFailure> authenticate(const AuthRequest& request,
                                                 AppOnlySchemes app_only,
                                                 const std::set<std::string>& revoked_handles);

  // POST /oauth2/token: `Authorization: Basic base64(pct(key):pct(secret))` of the app.
  bool verify_app_basic(std::string_view authorization) const;

 private:
  tl::expected<Caller, AuthFailure> authenticate_oauth(
      const AuthRequest& request, bool app_only_allowed,
      const std::set<std::string>& revoked_handles);
  // Timestamp, body hash and nonce, once the signature verified; `token` is "" for app-only.
  std::optional<AuthFailure> check_freshness(const AuthRequest& request,
                                             const std::map<std::string, std::string>& named,
                                             const std::string& token);
  // Records the nonce; false when it was already seen within the skew window.
  bool remember_nonce(const std::string& token, const std::string& nonce);

  const WorldConfig& world_;
  const common::Clock& wall_clock_;
  std::mutex nonce_mutex_;
  std::map<std::pair<std::string, std::string>, common::TimePoint> seen_nonces_;
};

}  // namespace xee::simulator::server

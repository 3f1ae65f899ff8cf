#pragma once
// HTTP basic authentication for the exporter's listener, with prometheus/exporter-toolkit's
// semantics (docs/web-configuration.md there): users map to bcrypt hashes; with at least one user
// every request needs a valid user and password, with none the listener stays open.
//
// bcrypt is slow on purpose (~50-100 ms at cost 10), too slow to run on every scrape of every
// Prometheus replica, so a successful check is remembered in a small cache keyed by a keyed hash
// (HMAC-SHA256 with a per-process random key) of user, stored hash and password: the password is
// never kept, and the digest is useless outside this process. A changed hash (reload) is a new
// key, and set_users() forgets everything anyway. Failures are not cached, so a wrong password
// costs a full bcrypt every time; checks run one at a time, so guessing burns at most one core.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace xee::exporter {

// User name → bcrypt hash ($2a$, $2b$ or $2y$), as config::WebConfig::basic_auth_users.
using BasicAuthUsers = std::map<std::string, std::string>;

// True when `password` hashes to `bcrypt_hash`: libxcrypt's crypt_rn (reentrant), the result
// compared in constant time. False for a malformed hash.
bool bcrypt_matches(std::string_view password, const std::string& bcrypt_hash);

struct BasicCredentials {
  std::string user;
  std::string password;
};

// The credentials of an Authorization header value "Basic <base64(user:password)>" (RFC 7617;
// the scheme is case-insensitive). nullopt for another scheme, bad base64 or no colon.
std::optional<BasicCredentials> parse_basic_authorization(std::string_view header);

enum class AuthOutcome {
  open,            // no users configured
  accepted,        // verified now or found in the cache
  no_credentials,  // no Authorization header
  malformed,       // not Basic, bad base64, no colon
  unknown_user,
  wrong_password,
};

struct AuthDecision {
  AuthOutcome outcome = AuthOutcome::open;
  std::string user;  // as sent, for the log; never the password

  bool allowed() const { return outcome == AuthOutcome::open || outcome == AuthOutcome::accepted; }
};

std::string_view to_string(AuthOutcome outcome);

class BasicAuthenticator {
 public:
  // How a password is checked against a stored hash; bcrypt_matches unless a test counts calls.
  using Verifier = std::function<bool(std::string_view password, const std::string& hash)>;
  // Plenty for the handful of scrapers and people a listener has; bounded so that a client
  // sending many valid-but-distinct credentials cannot grow memory.
  static constexpr std::size_t kDefaultCacheCapacity = 64;

  explicit BasicAuthenticator(BasicAuthUsers users = {}, Verifier verifier = bcrypt_matches,
                              std::size_t cache_capacity = kDefaultCacheCapacity);
  ~BasicAuthenticator();
  BasicAuthenticator(const BasicAuthenticator&) = delete;
  BasicAuthenticator& operator=(const BasicAuthenticator&) = delete;

  // Takes effect for the next request (a reload); every cached verification is forgotten.
  void set_users(BasicAuthUsers users);

  // `authorization`: the header's value, nullptr when the request has none. Thread-safe.
  AuthDecision check(const char* authorization);

  std::size_t cached_verifications() const;

 private:
  struct Cache;

  std::string cache_key(const BasicCredentials& credentials, const std::string& hash) const;

  const Verifier verifier_;
  const std::string cache_secret_;  // the HMAC key, random per process
  mutable std::mutex mutex_;        // users_ and cache_
  std::shared_ptr<const BasicAuthUsers> users_;
  std::unique_ptr<Cache> cache_;
  std::mutex verify_mutex_;  // one bcrypt at a time
};

// Lets one warning through per `interval` and counts the ones held back, so a client retrying a
// wrong password cannot flood the log.
class WarningThrottle {
 public:
  explicit WarningThrottle(std::chrono::steady_clock::duration interval) : interval_(interval) {}

  // nullopt: hold this one back. Otherwise log it, with the number held back since the last.
  std::optional<std::size_t> admit(std::chrono::steady_clock::time_point now);

 private:
  const std::chrono::steady_clock::duration interval_;
  std::mutex mutex_;
  std::optional<std::chrono::steady_clock::time_point> last_;
  std::size_t held_back_ = 0;
};

}  // namespace xee::exporter

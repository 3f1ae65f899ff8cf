#include "exporter/basic_auth.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <list>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "wire/oauth.h"

namespace xee::exporter {
namespace {

// A bcrypt hash (cost 10) of a password nobody uses. An unknown user is checked against it, so
// a wrong user name takes as long as a wrong password and timing does not reveal which users
// exist (as exporter-toolkit does).
constexpr std::string_view kUnknownUserHash =
    "$2b$10$NwYjgPTZFJeHA0F8qrjTue/7ez2nQubzotjtDzDHFApunDePnWAre";

constexpr std::size_t kCacheSecretBytes = 32;

bool equals_in_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool starts_with_case_insensitive(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

std::string random_secret() {
  std::string secret(kCacheSecretBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()),
                 static_cast<int>(secret.size())) != 1) {
    throw std::runtime_error("basic auth: OpenSSL could not produce random bytes");
  }
  return secret;
}

std::string length_prefixed(std::string_view part) {
  return std::to_string(part.size()) + ":" + std::string(part);
}

}  // namespace

bool bcrypt_matches(std::string_view password, const std::string& bcrypt_hash) {
  // crypt_data is ~32 KiB: on the heap, not on a civetweb worker's stack.
  auto scratch = std::make_unique<crypt_data>();
  const std::string password_text(password);  // crypt_rn wants it zero-terminated
  const char* computed = crypt_rn(password_text.c_str(), bcrypt_hash.c_str(), scratch.get(),
                                  static_cast<int>(sizeof(crypt_data)));
  const bool matches = computed != nullptr && equals_in_constant_time(computed, bcrypt_hash);
  OPENSSL_cleanse(scratch.get(), sizeof(crypt_data));
  return matches;
}

std::optional<BasicCredentials> parse_basic_authorization(std::string_view header) {
  constexpr std::string_view kScheme = "Basic ";
  if (!starts_with_case_insensitive(header, kScheme)) return std::nullopt;
  std::string_view encoded = header.substr(kScheme.size());
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);
  if (encoded.empty()) return std::nullopt;
  const auto decoded = wire::oauth::base64_decode(encoded);
  if (!decoded) return std::nullopt;
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

std::string_view to_string(AuthOutcome outcome) {
  switch (outcome) {
    case AuthOutcome::open:
      return "open";
    case AuthOutcome::accepted:
      return "accepted";
    case AuthOutcome::no_credentials:
      return "no credentials";
    case AuthOutcome::malformed:
      return "malformed Authorization header";
    case AuthOutcome::unknown_user:
      return "unknown user";
    case AuthOutcome::wrong_password:
      return "wrong password";
  }
  return "unknown";
}

// Least recently used first out.
struct BasicAuthenticator::Cache {
  explicit Cache(std::size_t max_entries) : capacity(max_entries) {}

  bool contains(const std::string& key) {
    const auto found = index.find(key);
    if (found == index.end()) return false;
    order.splice(order.end(), order, found->second);
    return true;
  }

  void insert(const std::string& key) {
    if (capacity == 0 || contains(key)) return;
    if (index.size() >= capacity) {
      index.erase(order.front());
      order.pop_front();
    }
    order.push_back(key);
    index.emplace(key, std::prev(order.end()));
  }

  void clear() {
    index.clear();
    order.clear();
  }

  const std::size_t capacity;
  std::list<std::string> order;
  std::unordered_map<std::string, std::list<std::string>::iterator> index;
};

BasicAuthenticator::BasicAuthenticator(BasicAuthUsers users, Verifier verifier,
                                       std::size_t cache_capacity)
    : verifier_(std::move(verifier)),
      cache_secret_(random_secret()),
      users_(std::make_shared<const BasicAuthUsers>(std::move(users))),
      cache_(std::make_unique<Cache>(cache_capacity)) {}

BasicAuthenticator::~BasicAuthenticator() = default;

void BasicAuthenticator::set_users(BasicAuthUsers users) {
  auto next = std::make_shared<const BasicAuthUsers>(std::move(users));
  std::lock_guard lock(mutex_);
  users_ = std::move(next);
  cache_->clear();
}

std::size_t BasicAuthenticator::cached_verifications() const {
  std::lock_guard lock(mutex_);
  return cache_->index.size();
}

std::string BasicAuthenticator::cache_key(const BasicCredentials& credentials,
                                          const std::string& hash) const {
  const std::string message =
      length_prefixed(credentials.user) + length_prefixed(hash) + credentials.password;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_length = 0;
  HMAC(EVP_sha256(), cache_secret_.data(), static_cast<int>(cache_secret_.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
       &digest_length);
  return std::string(reinterpret_cast<const char*>(digest.data()), digest_length);
}

AuthDecision BasicAuthenticator::check(const char* authorization) {
  std::shared_ptr<const BasicAuthUsers> users;
  {
    std::lock_guard lock(mutex_);
    users = users_;
  }
  if (users->empty()) return {AuthOutcome::open, ""};
  if (authorization == nullptr) return {AuthOutcome::no_credentials, ""};
  const auto credentials = parse_basic_authorization(authorization);
  if (!credentials) return {AuthOutcome::malformed, ""};

  const auto user = users->find(credentials->user);
  const bool known = user != users->end();
  const std::string hash = known ? user->second : std::string(kUnknownUserHash);
  const std::string key = cache_key(*credentials, hash);
  const auto cached = [&] {
    std::lock_guard lock(mutex_);
    return cache_->contains(key);
  };
  if (known && cached()) return {AuthOutcome::accepted, credentials->user};

  // Parallel scrapes with the same credentials wait here; the first one verifies and caches them
  // for the others before letting go.
  std::lock_guard verifying(verify_mutex_);
  if (known && cached()) return {AuthOutcome::accepted, credentials->user};
  const bool matches = verifier_(credentials->password, hash);
  if (!known) return {AuthOutcome::unknown_user, credentials->user};
  if (!matches) return {AuthOutcome::wrong_password, credentials->user};
  {
    std::lock_guard lock(mutex_);
    // A reload while bcrypt ran may have replaced the users: cache only what is still current.
    if (users_ == users) cache_->insert(key);
  }
  return {AuthOutcome::accepted, credentials->user};
}

std::optional<std::size_t> WarningThrottle::admit(std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (last_ && now - *last_ < interval_) {
    ++held_back_;
    return std::nullopt;
  }
  last_ = now;
  return std::exchange(held_back_, 0);
}

}  // namespace xee::exporter

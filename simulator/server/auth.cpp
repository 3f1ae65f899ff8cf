#include "simulator/server/auth.h"

#include <openssl/crypto.h>

#include <array>
#include <charconv>

#include "simulator/server/http_message.h"
#include "wire/api_errors.h"
#include "wire/api_limits.h"
#include "wire/oauth.h"

namespace xee::simulator::server {
namespace {

constexpr std::array<std::string_view, kAuthFailureReasonCount> kReasonLabels{
    "missing",   "unknown_scheme", "bearer_not_allowed", "app_oauth_not_allowed", "bad_bearer",
    "malformed", "consumer_key",   "unknown_token",      "revoked_token",         "signature",
    "timestamp", "nonce_replay",   "body_hash"};

// Secrets are compared in constant time so the simulator does not teach a timing oracle.
bool secure_equals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool has_scheme(std::string_view header, std::string_view scheme) {
  return header.size() > scheme.size() && iequals(header.substr(0, scheme.size()), scheme) &&
         header[scheme.size()] == ' ';
}

tl::unexpected<AuthFailure> refuse(AuthFailureReason reason, std::string message,
                                   std::string detail) {
  return tl::unexpected(AuthFailure{401, reason, std::move(message), std::move(detail)});
}

tl::unexpected<AuthFailure> refuse_reason(AuthFailureReason reason, std::string_view wire_reason,
                                          std::string detail) {
  return refuse(reason, wire::auth_failed_message(wire_reason), std::move(detail));
}

}  // namespace

std::string_view reason_label(AuthFailureReason reason) {
  return kReasonLabels[static_cast<std::size_t>(reason)];
}

Authenticator::Authenticator(const WorldConfig& world, const common::Clock& wall_clock)
    : world_(world), wall_clock_(wall_clock) {}

tl::expected<Caller, AuthFailure> Authenticator::authenticate(
    const AuthRequest& request, AppOnlySchemes app_only,
    const std::set<std::string>& revoked_handles) {
  if (request.authorization.empty()) {
    return refuse(AuthFailureReason::missing, std::string(wire::kUnknownAuthorizationType),
                  "no Authorization header");
  }
  if (has_scheme(request.authorization, "Bearer")) {
    if (!app_only.bearer) {
      return refuse(AuthFailureReason::bearer_not_allowed,
                    std::string(wire::kUnknownAuthorizationType),
                    "Bearer token on an endpoint that needs OAuth 1.0a user context");
    }
    std::string_view token = request.authorization.substr(7);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    if (!secure_equals(token, world_.app.bearer_token)) {
      return refuse(AuthFailureReason::bad_bearer, std::string(wire::kAccessTokenNotFound),
                    "Bearer token is not the app's");
    }
    return Caller::app();
  }
  if (has_scheme(request.authorization, "OAuth")) {
    return authenticate_oauth(request, app_only.oauth, revoked_handles);
  }
  return refuse(AuthFailureReason::unknown_scheme, std::string(wire::kUnknownAuthorizationType),
                "Authorization scheme is neither OAuth nor Bearer");
}

tl::expected<Caller, AuthFailure> Authenticator::authenticate_oauth(
    const AuthRequest& request, bool app_only_allowed,
    const std::set<std::string>& revoked_handles) {
  auto parsed = wire::oauth::parse_authorization_header(request.authorization);
  if (!parsed) {
    return refuse_reason(AuthFailureReason::malformed, wire::kReasonMalformedHeader,
                         parsed.error().message);
  }
  std::map<std::string, std::string> named;
  wire::oauth::Params signed_params;
  for (const auto& [key, value] : *parsed) {
    if (!key.starts_with("oauth_")) continue;  // realm and anything else is not signed
    named[key] = value;
    if (key != "oauth_signature") signed_params.emplace_back(key, value);
  }
  // oauth_token may be absent (RFC 5849 §3.1): the app alone, signed with its key and secret.
  for (const char* required : {"oauth_consumer_key", "oauth_signature", "oauth_signature_method",
                               "oauth_timestamp", "oauth_nonce"}) {
    if (!named.contains(required)) {
      return refuse_reason(AuthFailureReason::malformed, wire::kReasonMalformedHeader,
                           std::string("OAuth header lacks ") + required);
    }
  }
  if (named["oauth_signature_method"] != "HMAC-SHA1") {
    return refuse_reason(AuthFailureReason::malformed, wire::kReasonMalformedHeader,
                         "oauth_signature_method is " + named["oauth_signature_method"] +
                             ", only HMAC-SHA1 is supported");
  }
  if (!secure_equals(named["oauth_consumer_key"], world_.app.consumer_key)) {
    return refuse_reason(AuthFailureReason::consumer_key, wire::kReasonInvalidConsumerKey,
                         "oauth_consumer_key is not the app's");
  }
  const std::string token = named.contains("oauth_token") ? named["oauth_token"] : "";
  const AccountConfig* account = nullptr;
  if (token.empty()) {
    if (!app_only_allowed) {
      return refuse_reason(AuthFailureReason::app_oauth_not_allowed,
                           wire::kReasonUserContextRequired,
                           "OAuth 1.0a without oauth_token on an endpoint that needs user context");
    }
  } else {
    for (const auto& candidate : world_.accounts) {
      if (secure_equals(candidate.access_token, token)) account = &candidate;
    }
    if (account == nullptr) {
      return refuse(AuthFailureReason::unknown_token, std::string(wire::kAccessTokenNotFound),
                    "oauth_token belongs to no configured account");
    }
    if (revoked_handles.contains(account->handle)) {
      return refuse(AuthFailureReason::revoked_token, std::string(wire::kAccessTokenNotFound),
                    "tokens of @" + account->handle + " are revoked (fault injection)");
    }
  }
  const std::string token_secret = account != nullptr ? account->access_token_secret : "";
  const std::string signer = account != nullptr ? "@" + account->handle : "the app alone";
  bool signature_ok = false;
  for (const auto& url : request.signed_url_candidates) {
    const std::string expected = wire::oauth::sign(request.method, url, signed_params,
                                                   world_.app.consumer_secret, token_secret);
    signature_ok = signature_ok || secure_equals(expected, named["oauth_signature"]);
  }
  if (!signature_ok) {
    return refuse_reason(AuthFailureReason::signature, wire::kReasonInvalidSignature,
                         "oauth_signature matches none of the signed URLs for " + signer);
  }
  if (auto stale = check_freshness(request, named, token)) return tl::unexpected(*stale);
  return account != nullptr ? Caller::user(*account) : Caller::app_oauth();
}

std::optional<AuthFailure> Authenticator::check_freshness(
    const AuthRequest& request, const std::map<std::string, std::string>& named,
    const std::string& token) {
  const std::string& timestamp_text = named.at("oauth_timestamp");
  std::int64_t timestamp = 0;
  const auto [end, error] = std::from_chars(
      timestamp_text.data(), timestamp_text.data() + timestamp_text.size(), timestamp);
  const auto wall_seconds =
      std::chrono::floor<std::chrono::seconds>(wall_clock_.now()).time_since_epoch().count();
  const auto skew = world_.limits.timestamp_skew.count();
  if (error != std::errc() || end != timestamp_text.data() + timestamp_text.size() ||
      timestamp < wall_seconds - skew || timestamp > wall_seconds + skew) {
    return refuse_reason(AuthFailureReason::timestamp, wire::kReasonTimestampOutOfBounds,
                         "oauth_timestamp " + timestamp_text + " is more than " +
                             std::to_string(skew) + " s from the wall clock (" +
                             std::to_string(wall_seconds) + ")")
        .value();
  }
  if (const auto hash = named.find("oauth_body_hash"); hash != named.end()) {
    if (!secure_equals(hash->second, wire::oauth::body_hash(request.body))) {
      return refuse_reason(AuthFailureReason::body_hash, wire::kReasonBodyHashMismatch,
                           "oauth_body_hash is not base64(SHA1(body))")
          .value();
    }
  }
  // Only a request that verified consumes its nonce, so a forger cannot burn others' nonces.
  if (!remember_nonce(token, named.at("oauth_nonce"))) {
    return refuse_reason(AuthFailureReason::nonce_replay, wire::kReasonNonceUsed,
                         "oauth_nonce " + named.at("oauth_nonce") + " was already used")
        .value();
  }
  return std::nullopt;
}

bool Authenticator::remember_nonce(const std::string& token, const std::string& nonce) {
  const common::TimePoint now = wall_clock_.now();
  // A nonce older than the skew window cannot come back: its timestamp would now be refused.
  const auto horizon = 2 * std::chrono::duration_cast<common::Millis>(world_.limits.timestamp_skew);
  std::lock_guard lock(nonce_mutex_);
  std::erase_if(seen_nonces_, [&](const auto& entry) { return now - entry.second > horizon; });
  return seen_nonces_.try_emplace({token, nonce}, now).second;
}

bool Authenticator::verify_app_basic(std::string_view authorization) const {
  if (!has_scheme(authorization, "Basic")) return false;
  std::string_view encoded = authorization.substr(6);
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  const auto decoded = wire::oauth::base64_decode(encoded);
  if (!decoded) return false;
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  const auto key = wire::oauth::percent_decode(std::string_view(*decoded).substr(0, colon), false);
  const auto secret =
      wire::oauth::percent_decode(std::string_view(*decoded).substr(colon + 1), false);
  return key && secret && secure_equals(*key, world_.app.consumer_key) &&
         secure_equals(*secret, world_.app.consumer_secret);
}

}  // namespace xee::simulator::server

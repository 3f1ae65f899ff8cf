#pragma once
// OAuth 1.0a HMAC-SHA1 signatures (RFC 5849 as X documents it) and the encodings around OAuth.
// The client signs with these functions and the simulator verifies with the same ones; the
// known-answer test against X's published example keeps both honest.
//
// What is signed: every oauth_* parameter of the Authorization header except oauth_signature
// (and realm), plus the query string's parameters. A JSON body is never signed; a client may add
// oauth_body_hash, which is then signed like any other oauth_* parameter (spec §5.1).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace xee::wire::oauth {

using Params = std::vector<std::pair<std::string, std::string>>;

struct Credentials {
  std::string consumer_key;
  std::string consumer_secret;
  std::string token;
  std::string token_secret;
};

// RFC 3986 percent-encoding: everything but ALPHA / DIGIT / "-" / "." / "_" / "~".
std::string percent_encode(std::string_view text);
// Decodes %XX and (in query strings) '+' as space. Fails on a malformed escape.
Result<std::string> percent_decode(std::string_view text, bool plus_is_space = true);

// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}. Fails on a malformed escape.
Result<Params> parse_query(std::string_view query);

// scheme://host[:port]/path with scheme and host in lower case, default ports and the query
// removed.
std::string base_string_uri(std::string_view url);

// METHOD & pct(base uri) & pct(sorted pct(k)=pct(v) joined with &).
std::string signature_base_string(std::string_view method, std::string_view url,
                                  const Params& params);

std::string hmac_sha1_base64(std::string_view key, std::string_view text);
std::string base64_encode(std::string_view bytes);
Result<std::string> base64_decode(std::string_view text);
// base64(SHA1(body)), the oauth_body_hash value.
std::string body_hash(std::string_view body);

// oauth_signature for a request: `oauth_params` are the oauth_* parameters without
// oauth_signature; the query parameters of `url` are added here.
std::string sign(std::string_view method, std::string_view url, const Params& oauth_params,
                 std::string_view consumer_secret, std::string_view token_secret);

// The complete `Authorization: OAuth …` header value for a request, signed now. An empty
// credentials.token signs app-only (consumer key and secret, no oauth_token, key "secret&").
std::string authorization_header(std::string_view method, std::string_view url,
                                 const Credentials& credentials, std::string_view nonce,
                                 std::int64_t timestamp, const Params& extra_oauth_params = {});

// Parses `OAuth k="v", k2="v2"` (values percent-decoded). Fails naming what is malformed.
Result<Params> parse_authorization_header(std::string_view value);

// A random 32-character alphanumeric nonce from OpenSSL's CSPRNG.
std::string make_nonce();

}  // namespace xee::wire::oauth

#include "wire/oauth.h"

#include <gtest/gtest.h>

namespace xee::wire::oauth {
namespace {

// X's published example ("Creating a signature", docs.x.com/fundamentals/authentication).
constexpr std::string_view kConsumerKey = "xvz1evFS4wEEPTGEFPHBog";
constexpr std::string_view kConsumerSecret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
constexpr std::string_view kToken = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
constexpr std::string_view kTokenSecret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
constexpr std::string_view kNonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
constexpr std::int64_t kTimestamp = 1318622958;
constexpr std::string_view kExpectedSignature = "hCtSmYh+iHYCEqBWrE7C7hYmtUk=";
constexpr std::string_view kUrl =
    "https://api.twitter.com/1.1/statuses/"
    "update.json?include_entities=true&status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%"
    "20OAuth%20request%21";

Params example_oauth_params() {
  return {{"oauth_consumer_key", std::string(kConsumerKey)},
          {"oauth_nonce", std::string(kNonce)},
          {"oauth_signature_method", "HMAC-SHA1"},
          {"oauth_timestamp", std::to_string(kTimestamp)},
          {"oauth_token", std::string(kToken)},
          {"oauth_version", "1.0"}};
}

TEST(OAuthSignature, MatchesXPublishedBaseString) {
  Params params = example_oauth_params();
  params.emplace_back("include_entities", "true");
  params.emplace_back("status", "Hello Ladies + Gentlemen, a signed OAuth request!");
  EXPECT_EQ(
      signature_base_string("post", "https://api.twitter.com/1.1/statuses/update.json", params),
      "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%"
      "3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%"
      "3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%"
      "26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-"
      "GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%"
      "2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%"
      "2521");
}

TEST(OAuthSignature, MatchesXPublishedSignature) {
  EXPECT_EQ(sign("POST", kUrl, example_oauth_params(), kConsumerSecret, kTokenSecret),
            kExpectedSignature);
}

TEST(OAuthSignature, HeaderRoundTripsThroughParser) {
  const Credentials credentials{std::string(kConsumerKey), std::string(kConsumerSecret),
                                std::string(kToken), std::string(kTokenSecret)};
  const std::string header = authorization_header("POST", kUrl, credentials, kNonce, kTimestamp);
  auto parsed = parse_authorization_header(header);
  ASSERT_TRUE(parsed) << parsed.error().message;
  std::string signature;
  for (const auto& [key, value] : *parsed) {
    if (key == "oauth_signature") signature = value;
  }
  EXPECT_EQ(signature, kExpectedSignature);
  EXPECT_NE(header.find("oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\""), std::string::npos);
}

TEST(OAuthSignature, AppOnlyCredentialsOmitTheTokenAndSignWithAnEmptyTokenSecret) {
  // Expected value computed apart from this code (Python's hmac over the RFC 5849 base string
  // without oauth_token, key "demo-consumer-secret&").
  const Credentials app_only{"demo-consumer-key", "demo-consumer-secret", "", ""};
  const std::string header = authorization_header(
      "POST", "http://127.0.0.1:10880/insights/engagement/totals", app_only, "nonce-1", 1795132800);
  EXPECT_EQ(header.find("oauth_token"), std::string::npos) << header;
  EXPECT_NE(header.find(R"(oauth_signature="puu7PgG%2F9cbrrSkprbJNbPcqz6s%3D")"), std::string::npos)
      << header;
}

TEST(OAuthSignature, BodyHashIsSignedLikeAnyOAuthParameter) {
  const Credentials credentials{"ck", "cs", "t", "ts"};
  const Params extra{{"oauth_body_hash", body_hash("{\"tweet_ids\":[\"1\"]}")}};
  const std::string with_hash =
      authorization_header("POST", "http://127.0.0.1:1/x", credentials, "n", 1, extra);
  const std::string without_hash =
      authorization_header("POST", "http://127.0.0.1:1/x", credentials, "n", 1);
  EXPECT_NE(with_hash, without_hash);
  EXPECT_EQ(body_hash(""), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
}

TEST(OAuthEncoding, PercentEncodesReservedCharacters) {
  EXPECT_EQ(percent_encode("Ladies + Gentlemen"), "Ladies%20%2B%20Gentlemen");
  EXPECT_EQ(percent_encode("An encoded string!"), "An%20encoded%20string%21");
  EXPECT_EQ(percent_encode("Dogs, Cats & Mice"), "Dogs%2C%20Cats%20%26%20Mice");
  EXPECT_EQ(percent_encode("☃"), "%E2%98%83");
  EXPECT_EQ(percent_encode("-._~"), "-._~");
}

TEST(OAuthEncoding, PercentDecodeRejectsMalformedEscapes) {
  EXPECT_EQ(percent_decode("a%20b+c").value(), "a b c");
  EXPECT_EQ(percent_decode("a+b", false).value(), "a+b");
  EXPECT_FALSE(percent_decode("%2"));
  EXPECT_FALSE(percent_decode("%zz"));
  EXPECT_FALSE(percent_decode("abc%"));
}

TEST(OAuthEncoding, BaseStringUriNormalises) {
  EXPECT_EQ(base_string_uri("HTTP://Example.COM:80/r%20v/X?id=123"), "http://example.com/r%20v/X");
  EXPECT_EQ(base_string_uri("https://www.example.net:8080/?q=1"), "https://www.example.net:8080/");
  EXPECT_EQ(base_string_uri("https://data-api.x.com:443/insights/engagement/totals"),
            "https://data-api.x.com/insights/engagement/totals");
}

TEST(OAuthHeaderParser, NamesWhatIsMalformed) {
  EXPECT_EQ(parse_authorization_header("Bearer abc").error().message,
            "Authorization header is not of the OAuth scheme");
  EXPECT_EQ(parse_authorization_header("OAuth oauth_token=abc").error().message,
            "OAuth header: value of 'oauth_token' is not quoted");
  EXPECT_EQ(parse_authorization_header("OAuth oauth_token=\"abc").error().message,
            "OAuth header: value of 'oauth_token' has no closing quote");
}

TEST(OAuthEncoding, Base64RoundTrip) {
  EXPECT_EQ(base64_encode("key:secret"), "a2V5OnNlY3JldA==");
  EXPECT_EQ(base64_decode("a2V5OnNlY3JldA==").value(), "key:secret");
  EXPECT_FALSE(base64_decode("abc"));
}

TEST(OAuthNonce, IsAlphanumericAndUnique) {
  const std::string a = make_nonce();
  const std::string b = make_nonce();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            std::string::npos);
}

}  // namespace
}  // namespace xee::wire::oauth

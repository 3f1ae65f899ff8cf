#include "collectors/client/engagement_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/collectors/client/fixture.h"

namespace xee::collectors::client {
namespace {

using testing::read_fixture;
using wire::EngagementType;
using enum wire::EngagementType;

constexpr PostId kFirst = 1800000000000000011u;
constexpr PostId kSecond = 1800000000000000022u;
const std::vector<PostId> kTwoPosts{kFirst, kSecond};
const std::vector<EngagementType> kPublic(wire::kPublicTypes.begin(), wire::kPublicTypes.end());
const std::vector<EngagementType> kTotals(wire::kTotalsTypes.begin(), wire::kTotalsTypes.end());

EngagementValues values_of(std::initializer_list<std::pair<EngagementType, std::uint64_t>> list) {
  EngagementValues values;
  for (const auto& [type, value] : list) values.set(type, value);
  return values;
}

std::string decode_error(std::string_view body,
                         const std::vector<EngagementType>& types = kPublic) {
  auto decoded = decode_totals_response(body, kTwoPosts, types);
  return decoded ? "decoded without error" : decoded.error().message;
}

TEST(EncodeTotalsRequest, WritesIdsAsStringsAndTheOneGrouping) {
  const std::vector<EngagementType> types{impressions, engagements, favorites};
  EXPECT_EQ(encode_totals_request(kTwoPosts, types),
            R"({"tweet_ids":["1800000000000000011","1800000000000000022"],)"
            R"("engagement_types":["impressions","engagements","favorites"],)"
            R"("groupings":{"per_post":{"group_by":["tweet.id","engagement.type"]}}})");
}

// Spec §3.1: public metrics of two Posts with a Bearer token.
TEST(DecodeTotalsResponse, PublicMetricsOfTwoPosts) {
  auto decoded =
      decode_totals_response(read_fixture("totals_public_two_posts.json"), kTwoPosts, kPublic);
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->posts.size(), 2u);
  EXPECT_EQ(decoded->posts[0].first, kFirst);
  EXPECT_EQ(
      decoded->posts[0].second,
      values_of(
          {{favorites, 412}, {quote_tweets, 9}, {replies, 31}, {retweets, 88}, {video_views, 0}}));
  EXPECT_EQ(decoded->posts[1].first, kSecond);
  EXPECT_EQ(decoded->posts[1].second, values_of({{favorites, 1204},
                                                 {quote_tweets, 40},
                                                 {replies, 77},
                                                 {retweets, 301},
                                                 {video_views, 250113}}));
  EXPECT_TRUE(decoded->unavailable.empty());
  EXPECT_TRUE(decoded->unsupported_impressions.empty());
  EXPECT_TRUE(decoded->unsupported_video_views.empty());
  EXPECT_TRUE(decoded->errors.empty());
}

// Spec §3.5 and §4.2: owned metrics with unavailable and unsupported IDs (200 partial).
TEST(DecodeTotalsResponse, PartialSuccessCarriesEveryArray) {
  constexpr PostId kOld = 480000000000000001u;
  constexpr PostId kOwned = 1800000000000000033u;
  constexpr PostId kGone = 1800000000000000099u;
  const std::vector<PostId> requested{kOld, kOwned, kGone};
  auto decoded =
      decode_totals_response(read_fixture("totals_owned_partial.json"), requested, kTotals);
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->posts.size(), 2u);
  EXPECT_EQ(decoded->posts[0].first, kOld);
  EXPECT_EQ(decoded->posts[0].second,
            values_of({{favorites, 69}, {retweets, 142}, {video_views, 0}}));
  EXPECT_FALSE(decoded->posts[0].second.has(impressions));
  EXPECT_EQ(decoded->posts[1].first, kOwned);
  EXPECT_EQ(decoded->posts[1].second, values_of({{engagements, 1337},
                                                 {favorites, 268},
                                                 {impressions, 26803},
                                                 {retweets, 56},
                                                 {video_views, 17902}}));
  EXPECT_EQ(decoded->unavailable, std::vector<PostId>{kGone});
  EXPECT_EQ(decoded->unsupported_impressions, std::vector<PostId>{kOld});
  EXPECT_EQ(decoded->unsupported_video_views, std::vector<PostId>{kOld});
  EXPECT_EQ(decoded->errors,
            (std::vector<std::string>{"1 Tweet ID(s) are unavailable",
                                      "Impressions & engagements for tweets older than 90 days "
                                      "(2026-08-22T00:00:00Z) are not supported"}));
}

// The docs' one bare-number value, the largest count, and start/end (ignored) at the top level.
TEST(DecodeTotalsResponse, AcceptsBareIntegerAndIgnoresWindowFields) {
  auto decoded = decode_totals_response(read_fixture("totals_bare_number_and_window.json"),
                                        kTwoPosts, kPublic);
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->posts.size(), 1u);
  EXPECT_EQ(decoded->posts[0].second,
            values_of({{favorites, 0}, {retweets, 26}, {replies, 18446744073709551615u}}));
}

// X's own owned /totals example answers quote_tweets, which its request did not ask for (IDs made
// up); a type no client knows ("bookmarks") and a malformed one come along here too. Each is
// skipped and noted with the Posts that carried it; the asked values are all kept.
TEST(DecodeTotalsResponse, UnrequestedTypesAreSkippedAndNotedNeverFailingTheBatch) {
  const std::vector<EngagementType> asked{favorites,   replies,     retweets,
                                          video_views, impressions, engagements};
  UnrequestedTypes unrequested;
  auto decoded = decode_totals_response(read_fixture("totals_docs_unrequested_quote_tweets.json"),
                                        kTwoPosts, asked, &unrequested);
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->posts.size(), 2u);
  EXPECT_EQ(decoded->posts[0].second, values_of({{engagements, 2},
                                                 {favorites, 0},
                                                 {impressions, 47},
                                                 {replies, 0},
                                                 {retweets, 8},
                                                 {video_views, 0}}));
  EXPECT_EQ(decoded->posts[1].second, values_of({{engagements, 4},
                                                 {favorites, 0},
                                                 {impressions, 148},
                                                 {replies, 1},
                                                 {retweets, 9},
                                                 {video_views, 0}}));
  EXPECT_FALSE(decoded->posts[0].second.has(quote_tweets));
  EXPECT_EQ(unrequested, (UnrequestedTypes{{"bookmarks", {kSecond}},
                                           {"favorites_v2", {kSecond}},
                                           {"quote_tweets", {kFirst, kSecond}}}));
  // Without a sink the same body decodes the same.
  EXPECT_EQ(decode_totals_response(read_fixture("totals_docs_unrequested_quote_tweets.json"),
                                   kTwoPosts, asked)
                ->posts,
            decoded->posts);
}

// Recorded from x_api_simulator (clock 2026-11-20T00:00:00Z frozen, /admin/faults
// {"forbidden_tweets_status":200}): acme's tokens asked for two acme Posts and one of globex.
TEST(DecodeTotalsResponse, RecordedSimulatorForbiddenPostsInsideA200) {
  constexpr PostId kAcmeOlder = 2123222773114340474u;
  constexpr PostId kGlobex = 2123482310501211442u;
  constexpr PostId kAcmeNewer = 2123521096312426148u;
  const std::vector<PostId> asked{kAcmeOlder, kGlobex, kAcmeNewer};
  auto decoded =
      decode_totals_response(read_fixture("totals_simulator_forbidden_200.json"), asked, kTotals);
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->posts.size(), 2u);
  EXPECT_EQ(decoded->posts[0].first, kAcmeOlder);
  EXPECT_EQ(decoded->posts[0].second, values_of({{impressions, 9186},
                                                 {engagements, 518},
                                                 {favorites, 104},
                                                 {retweets, 17},
                                                 {quote_tweets, 4},
                                                 {replies, 15},
                                                 {video_views, 0}}));
  EXPECT_EQ(decoded->posts[1].first, kAcmeNewer);
  EXPECT_EQ(decoded->posts[1].second.value(video_views), 503u);
  EXPECT_EQ(decoded->forbidden, std::vector<PostId>{kGlobex});
  EXPECT_EQ(decoded->errors,
            std::vector<std::string>{"Forbidden to access tweets: 2123482310501211442"});
}

// A Post named forbidden loses any values X gave it anyway; a malformed forbidden message names
// nobody and costs nobody's values.
TEST(DecodeTotalsResponse, ForbiddenPostsInsideA200LoseTheirValues) {
  const std::string body =
      R"({"per_post":{"1800000000000000011":{"favorites":"3"},"1800000000000000022":{"favorites":"4"}},)"
      R"("errors":["Forbidden to access tweets: 1800000000000000022","Forbidden to access tweets: x"]})";
  auto decoded = decode_totals_response(body, kTwoPosts, kPublic);
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->posts.size(), 1u);
  EXPECT_EQ(decoded->posts[0].first, kFirst);
  EXPECT_EQ(decoded->forbidden, std::vector<PostId>{kSecond});
  EXPECT_EQ(decoded->errors.size(), 2u);
}

TEST(DecodeTotalsResponse, NoGroupingWhenEveryPostIsUnavailable) {
  auto decoded =
      decode_totals_response(read_fixture("totals_all_unavailable.json"), kTwoPosts, kPublic);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_TRUE(decoded->posts.empty());
  EXPECT_EQ(decoded->unavailable, kTwoPosts);
  EXPECT_EQ(decoded->errors, std::vector<std::string>{"2 Tweet ID(s) are unavailable"});
}

struct InvalidBody {
  std::string_view fixture;
  std::string_view expected_message;
};

class DecodeInvalidTotals : public ::testing::TestWithParam<InvalidBody> {};

TEST_P(DecodeInvalidTotals, FailsWithExactMessage) {
  const std::string body = read_fixture("totals_invalid/" + std::string(GetParam().fixture));
  ASSERT_FALSE(body.empty()) << "missing fixture " << GetParam().fixture;
  EXPECT_EQ(decode_error(body), GetParam().expected_message);
}

INSTANTIATE_TEST_SUITE_P(
    RecordedBodies, DecodeInvalidTotals,
    ::testing::Values(
        InvalidBody{"trailing_garbage.json",
                    "totals: invalid JSON at offset 16: The document root must not be followed by "
                    "other values."},
        InvalidBody{"invalid_utf8.json",
                    "totals: invalid JSON at offset 49: Invalid encoding in string."},
        InvalidBody{"root_is_array.json", "totals: response: expected an object, got an array"},
        InvalidBody{"grouping_is_array.json", "totals: per_post: expected an object, got an array"},
        InvalidBody{"values_too_shallow.json",
                    "totals: post 1800000000000000011: expected an object, got a string"},
        InvalidBody{"values_too_deep.json",
                    "totals: post 1800000000000000011: favorites: expected a count, got an object"},
        InvalidBody{
            "value_not_numeric.json",
            R"(totals: post 1800000000000000011: favorites: value "12x" is not a non-negative integer)"},
        InvalidBody{"value_negative_number.json",
                    "totals: post 1800000000000000011: favorites: value -3 is not a non-negative "
                    "integer"},
        InvalidBody{
            "value_negative_string.json",
            R"(totals: post 1800000000000000011: favorites: value "-3" is not a non-negative integer)"},
        InvalidBody{"value_fractional.json",
                    "totals: post 1800000000000000011: favorites: value 12.5 is not a non-negative "
                    "integer"},
        InvalidBody{
            "value_empty_string.json",
            R"(totals: post 1800000000000000011: favorites: value "" is not a non-negative integer)"},
        InvalidBody{
            "value_huge_string.json",
            R"(totals: post 1800000000000000011: favorites: value "18446744073709551616" is out of range (max 18446744073709551615))"},
        InvalidBody{"value_huge_number.json",
                    "totals: post 1800000000000000011: favorites: value 18446744073709553000.0 is "
                    "out of range (max 18446744073709551615)"},
        InvalidBody{"value_null.json",
                    "totals: post 1800000000000000011: favorites: expected a count, got null"},
        InvalidBody{"unknown_post.json", "totals: post 1800000000000000099 was not requested"},
        InvalidBody{"duplicate_type.json",
                    "totals: post 1800000000000000011: favorites appears twice"},
        InvalidBody{"duplicate_post.json", "totals: post 1800000000000000011 appears twice"},
        InvalidBody{"post_key_not_an_id.json",
                    R"(totals: per_post: key "18000000000000000x1" is not a Post ID)"},
        InvalidBody{"unavailable_not_array.json",
                    "totals: unavailable_tweet_ids: expected an array, got a string"},
        InvalidBody{"unavailable_bad_id.json",
                    R"(totals: unavailable_tweet_ids[1]: "x1" is not a Post ID)"},
        InvalidBody{
            "errors_item_number.json",
            R"(totals: errors[0]: expected a string or an object with a string "message", got a number)"}));

// Cuts of a good body at chosen points, as a dropped connection would leave it.
TEST(DecodeTotalsResponse, TruncatedBodiesSayWhereTheyEnd) {
  const std::string good = read_fixture("totals_public_two_posts.json");
  const std::string numeric = read_fixture("totals_bare_number_and_window.json");
  const auto cut_after = [](const std::string& body, std::string_view marker) {
    const std::size_t at = body.find(marker);
    EXPECT_NE(at, std::string::npos) << marker;
    return body.substr(0, at + marker.size());
  };
  EXPECT_EQ(decode_error(cut_after(good, R"("favo)")),
            "totals: JSON body ends early at offset 45: Missing a closing quotation mark in "
            "string.");
  EXPECT_EQ(decode_error(cut_after(numeric, R"("retweets":2)")),
            "totals: JSON body ends early at offset 126: Missing a comma or '}' after an object "
            "member.");
  EXPECT_EQ(decode_error(cut_after(good, R"("video_views":"0"},)")),
            "totals: JSON body ends early at offset 127: Missing a name for object member.");
  EXPECT_EQ(decode_error(good.substr(0, good.size() - 2)),
            "totals: JSON body ends early at offset 249: Missing a comma or '}' after an object "
            "member.");
  EXPECT_EQ(decode_error(""), "totals: JSON body ends early at offset 0: The document is empty.");
}

TEST(DecodeTotalsResponse, NonJsonBodyNamesTheOffset) {
  EXPECT_EQ(decode_error(read_fixture("error_proxy_502.html")),
            "totals: invalid JSON at offset 0: Invalid value.");
}

TEST(DecodeErrorMessages, ReadsStringsAndMessageObjects) {
  EXPECT_EQ(decode_error_messages(read_fixture("error_rate_limited.json"), wire::Endpoint::totals),
            std::vector<std::string>{"Exceeded rate limit"});
  EXPECT_EQ(
      decode_error_messages(read_fixture("error_token_objects.json"), wire::Endpoint::oauth2_token),
      std::vector<std::string>{"Unable to verify your credentials"});
}

TEST(DecodeErrorMessages, RejectsOtherShapes) {
  EXPECT_EQ(
      decode_error_messages(R"({"title":"Unauthorized"})", wire::Endpoint::totals).error().message,
      R"(totals: error body has no "errors" field)");
  EXPECT_EQ(decode_error_messages(R"(["x"])", wire::Endpoint::totals).error().message,
            "totals: error body: expected an object, got an array");
  EXPECT_EQ(decode_error_messages("<html>", wire::Endpoint::totals).error().message,
            "totals: invalid JSON at offset 0: Invalid value.");
}

TEST(DecodeBearerTokenResponse, ReturnsTheAccessToken) {
  EXPECT_EQ(decode_bearer_token_response(read_fixture("token_ok.json")),
            "AAAAAAAAAAAAAAAAAAAAAdemo%2Fbearer%3Dtoken");
  EXPECT_EQ(decode_bearer_token_response(R"({"token_type":"Bearer","access_token":"T"})"), "T");
}

TEST(DecodeBearerTokenResponse, NamesTheBadFieldButNeverTheToken) {
  EXPECT_EQ(decode_bearer_token_response(R"({"access_token":"SECRET"})").error().message,
            "token: token_type is missing");
  EXPECT_EQ(decode_bearer_token_response(R"({"token_type":"mac","access_token":"SECRET"})")
                .error()
                .message,
            R"(token: token_type is not "bearer")");
  EXPECT_EQ(
      decode_bearer_token_response(R"({"token_type":"bearer","access_token":7})").error().message,
      "token: access_token: expected a string, got a number");
  EXPECT_EQ(
      decode_bearer_token_response(R"({"token_type":"bearer","access_token":""})").error().message,
      "token: access_token is empty");
}

TEST(ForbiddenPostIds, ParsesTheCurrentForm) {
  EXPECT_TRUE(is_forbidden_posts_message("Forbidden to access tweets: 1800000000000000011"));
  EXPECT_EQ(parse_forbidden_post_ids(
                "Forbidden to access tweets: 1800000000000000011, 1800000000000000022"),
            kTwoPosts);
  EXPECT_EQ(parse_forbidden_post_ids(
                "Forbidden to access tweets: 1800000000000000011,1800000000000000022 "),
            kTwoPosts);
}

TEST(ForbiddenPostIds, ParsesTheOlderPerAuthorForm) {
  EXPECT_EQ(parse_forbidden_post_ids(
                "Forbidden to access tweets for author id 1000002: 1800000000000000011, "
                "1800000000000000022"),
            kTwoPosts);
}

TEST(ForbiddenPostIds, CollectsEveryForbiddenMessageOfABody) {
  auto messages =
      decode_error_messages(read_fixture("error_forbidden_by_author.json"), wire::Endpoint::totals);
  ASSERT_TRUE(messages) << messages.error().message;
  EXPECT_EQ(forbidden_post_ids(*messages),
            (std::vector<PostId>{kFirst, kSecond, 1800000000000000044u}));
  const std::vector<std::string> mixed{"Forbidden to access metrics: impressions",
                                       "Forbidden to access tweets: 1800000000000000011"};
  EXPECT_EQ(forbidden_post_ids(mixed), std::vector<PostId>{kFirst});
  const std::vector<std::string> none{"Forbidden to access metrics: impressions"};
  EXPECT_EQ(forbidden_post_ids(none), std::vector<PostId>{});
}

TEST(ForbiddenPostIds, RejectsMalformedMessages) {
  EXPECT_FALSE(is_forbidden_posts_message("Forbidden to access metrics: impressions"));
  EXPECT_EQ(
      parse_forbidden_post_ids("Forbidden to access metrics: impressions").error().message,
      R"("Forbidden to access metrics: impressions" is not a "Forbidden to access tweets" message)");
  EXPECT_EQ(parse_forbidden_post_ids("Forbidden to access tweets: 18, abc").error().message,
            R"("Forbidden to access tweets: 18, abc": "abc" is not a Post ID)");
  EXPECT_EQ(parse_forbidden_post_ids("Forbidden to access tweets: ").error().message,
            R"("Forbidden to access tweets: ": "" is not a Post ID)");
  EXPECT_EQ(
      parse_forbidden_post_ids("Forbidden to access tweets for author id x: 18").error().message,
      R"("Forbidden to access tweets for author id x: 18" has no author id followed by ':')");
  const std::vector<std::string> broken{"Forbidden to access tweets: 18, abc"};
  EXPECT_FALSE(forbidden_post_ids(broken));
}

}  // namespace
}  // namespace xee::collectors::client

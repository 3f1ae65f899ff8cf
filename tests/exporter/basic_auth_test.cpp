#include "exporter/basic_auth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "tests/exporter/basic_auth_fixtures.h"
#include "wire/oauth.h"

namespace xee::exporter {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

using testing::basic_authorization;
using testing::kAlicePasswordHash;
using testing::kBobPasswordHash;
using testing::kScrapeSecretHash;

TEST(BcryptMatches, AcceptsOpenBsdTestVectorsAndEveryVariant) {
  // From the OpenBSD / jBCrypt test vectors, made by other implementations than libxcrypt.
  EXPECT_TRUE(
      bcrypt_matches("abc", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"));
  EXPECT_TRUE(bcrypt_matches("", "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s."));
  EXPECT_TRUE(bcrypt_matches("scrape-secret", std::string(kScrapeSecretHash)));
  EXPECT_TRUE(bcrypt_matches("alice-password", std::string(kAlicePasswordHash)));
  EXPECT_TRUE(bcrypt_matches("bob-password", std::string(kBobPasswordHash)));
}

TEST(BcryptMatches, RefusesWrongPasswordsAndMalformedHashes) {
  EXPECT_FALSE(
      bcrypt_matches("abd", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"));
  EXPECT_FALSE(bcrypt_matches("scrape-secret ", std::string(kScrapeSecretHash)));
  EXPECT_FALSE(bcrypt_matches("", std::string(kScrapeSecretHash)));
  EXPECT_FALSE(bcrypt_matches("scrape-secret", ""));
  EXPECT_FALSE(bcrypt_matches("scrape-secret", "scrape-secret"));
  EXPECT_FALSE(bcrypt_matches("scrape-secret", std::string(kScrapeSecretHash.substr(0, 40))));
}

TEST(ParseBasicAuthorization, SplitsAtTheFirstColon) {
  const auto credentials = parse_basic_authorization(basic_authorization("alice:pass:with:colons"));
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->user, "alice");
  EXPECT_EQ(credentials->password, "pass:with:colons");

  const auto empty_password =
      parse_basic_authorization("basic " + wire::oauth::base64_encode("bob:"));
  ASSERT_TRUE(empty_password);
  EXPECT_EQ(empty_password->user, "bob");
  EXPECT_EQ(empty_password->password, "");
}

TEST(ParseBasicAuthorization, RefusesOtherSchemesBadBase64AndMissingColons) {
  for (const std::string& header :
       {std::string("Bearer abc"), std::string("Basic"), std::string("Basic "),
        std::string("Basic !!!!"), std::string("Basic YWxpY2U6c"),
        basic_authorization("no-colon-here"), std::string("Digest username=\"alice\""),
        std::string("Basicabc"), std::string("")}) {
    EXPECT_FALSE(parse_basic_authorization(header)) << header;
  }
}

// bcrypt_matches, counting the calls and the hashes it was asked about.
class CountingVerifier {
 public:
  BasicAuthenticator::Verifier verifier() {
    return [this](std::string_view password, const std::string& hash) {
      ++calls_;
      {
        std::lock_guard lock(mutex_);
        hashes_.push_back(hash);
      }
      if (delay_ > 0ms) std::this_thread::sleep_for(delay_);
      return bcrypt_matches(password, hash);
    };
  }
  int calls() const { return calls_; }
  std::vector<std::string> hashes() const {
    std::lock_guard lock(mutex_);
    return hashes_;
  }
  void slow_down(std::chrono::milliseconds delay) { delay_ = delay; }

 private:
  std::atomic<int> calls_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> hashes_;
  std::chrono::milliseconds delay_{0};
};

BasicAuthUsers demo_users() {
  return {{"prometheus", std::string(kScrapeSecretHash)},
          {"alice", std::string(kAlicePasswordHash)}};
}

TEST(BasicAuthenticator, WithoutUsersEveryRequestPassesUnchecked) {
  CountingVerifier counting;
  BasicAuthenticator authenticator({}, counting.verifier());
  EXPECT_EQ(authenticator.check(nullptr).outcome, AuthOutcome::open);
  EXPECT_EQ(authenticator.check("Basic !!!!").outcome, AuthOutcome::open);
  EXPECT_TRUE(authenticator.check(nullptr).allowed());
  EXPECT_EQ(counting.calls(), 0);
}

TEST(BasicAuthenticator, RightPasswordIsVerifiedOnceThenServedFromTheCache) {
  CountingVerifier counting;
  BasicAuthenticator authenticator(demo_users(), counting.verifier());
  const std::string header = basic_authorization("prometheus:scrape-secret");

  const AuthDecision first = authenticator.check(header.c_str());
  EXPECT_EQ(first.outcome, AuthOutcome::accepted);
  EXPECT_EQ(first.user, "prometheus");
  EXPECT_EQ(counting.calls(), 1);
  EXPECT_EQ(authenticator.cached_verifications(), 1u);

  for (int scrape = 0; scrape < 5; ++scrape) {
    EXPECT_EQ(authenticator.check(header.c_str()).outcome, AuthOutcome::accepted);
  }
  EXPECT_EQ(counting.calls(), 1);
}

TEST(BasicAuthenticator, WrongPasswordsAreRefusedAndVerifiedEveryTime) {
  CountingVerifier counting;
  BasicAuthenticator authenticator(demo_users(), counting.verifier());
  const std::string header = basic_authorization("alice:scrape-secret");
  for (int attempt = 0; attempt < 3; ++attempt) {
    const AuthDecision decision = authenticator.check(header.c_str());
    EXPECT_EQ(decision.outcome, AuthOutcome::wrong_password);
    EXPECT_EQ(decision.user, "alice");
    EXPECT_FALSE(decision.allowed());
  }
  EXPECT_EQ(counting.calls(), 3);
  EXPECT_EQ(authenticator.cached_verifications(), 0u);
}

TEST(BasicAuthenticator, UnknownUserCostsABcryptAgainstNoConfiguredHash) {
  CountingVerifier counting;
  BasicAuthenticator authenticator(demo_users(), counting.verifier());
  const std::string header = basic_authorization("mallory:scrape-secret");
  const AuthDecision decision = authenticator.check(header.c_str());
  EXPECT_EQ(decision.outcome, AuthOutcome::unknown_user);
  EXPECT_EQ(decision.user, "mallory");
  // Timed like a wrong password, against a cost-10 hash that is none of the users'.
  ASSERT_EQ(counting.calls(), 1);
  const std::string dummy = counting.hashes().front();
  EXPECT_TRUE(dummy.starts_with("$2b$10$")) << dummy;
  EXPECT_EQ(dummy.size(), 60u);
  EXPECT_NE(dummy, kScrapeSecretHash);
  EXPECT_NE(dummy, kAlicePasswordHash);
}

TEST(BasicAuthenticator, MissingAndMalformedHeadersAreRefusedWithoutBcrypt) {
  CountingVerifier counting;
  BasicAuthenticator authenticator(demo_users(), counting.verifier());
  EXPECT_EQ(authenticator.check(nullptr).outcome, AuthOutcome::no_credentials);
  for (const std::string& header :
       {std::string("Bearer demo-bearer-token"), std::string("Basic !!!!"),
        basic_authorization("prometheus"), std::string("Basic")}) {
    EXPECT_EQ(authenticator.check(header.c_str()).outcome, AuthOutcome::malformed) << header;
  }
  EXPECT_EQ(counting.calls(), 0);
}

TEST(BasicAuthenticator, NewUsersReplaceTheOldAndForgetTheCache) {
  CountingVerifier counting;
  BasicAuthenticator authenticator(demo_users(), counting.verifier());
  const std::string alice = basic_authorization("alice:alice-password");
  ASSERT_EQ(authenticator.check(alice.c_str()).outcome, AuthOutcome::accepted);

  // Alice's password changed: the cached success must not outlive the old hash.
  authenticator.set_users({{"alice", std::string(kBobPasswordHash)}});
  EXPECT_EQ(authenticator.cached_verifications(), 0u);
  EXPECT_EQ(authenticator.check(alice.c_str()).outcome, AuthOutcome::wrong_password);
  const std::string alice_new = basic_authorization("alice:bob-password");
  EXPECT_EQ(authenticator.check(alice_new.c_str()).outcome, AuthOutcome::accepted);
  const std::string prometheus = basic_authorization("prometheus:scrape-secret");
  EXPECT_EQ(authenticator.check(prometheus.c_str()).outcome, AuthOutcome::unknown_user);

  authenticator.set_users({});
  EXPECT_EQ(authenticator.check(nullptr).outcome, AuthOutcome::open);
}

TEST(BasicAuthenticator, CacheKeepsTheMostRecentlyUsedWithinItsCapacity) {
  CountingVerifier counting;
  BasicAuthUsers users = demo_users();
  users.emplace("bob", std::string(kBobPasswordHash));
  BasicAuthenticator authenticator(users, counting.verifier(), 2);
  const std::string prometheus = basic_authorization("prometheus:scrape-secret");
  const std::string alice = basic_authorization("alice:alice-password");
  const std::string bob = basic_authorization("bob:bob-password");

  ASSERT_TRUE(authenticator.check(prometheus.c_str()).allowed());
  ASSERT_TRUE(authenticator.check(alice.c_str()).allowed());
  ASSERT_TRUE(authenticator.check(prometheus.c_str()).allowed());  // prometheus now most recent
  ASSERT_TRUE(authenticator.check(bob.c_str()).allowed());         // evicts alice
  EXPECT_EQ(counting.calls(), 3);
  EXPECT_EQ(authenticator.cached_verifications(), 2u);

  ASSERT_TRUE(authenticator.check(prometheus.c_str()).allowed());
  ASSERT_TRUE(authenticator.check(bob.c_str()).allowed());
  EXPECT_EQ(counting.calls(), 3);
  ASSERT_TRUE(authenticator.check(alice.c_str()).allowed());
  EXPECT_EQ(counting.calls(), 4);
}

TEST(BasicAuthenticator, ParallelScrapesWithTheSameCredentialsShareOneBcrypt) {
  CountingVerifier counting;
  counting.slow_down(100ms);
  BasicAuthenticator authenticator(demo_users(), counting.verifier());
  const std::string header = basic_authorization("prometheus:scrape-secret");
  std::vector<AuthOutcome> outcomes(4);
  std::vector<std::thread> scrapers;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    scrapers.emplace_back([&, i] { outcomes[i] = authenticator.check(header.c_str()).outcome; });
  }
  for (std::thread& scraper : scrapers) scraper.join();
  EXPECT_THAT(outcomes, ElementsAre(AuthOutcome::accepted, AuthOutcome::accepted,
                                    AuthOutcome::accepted, AuthOutcome::accepted));
  EXPECT_EQ(counting.calls(), 1);
}

TEST(WarningThrottle, LetsOneThroughPerIntervalAndCountsTheRest) {
  WarningThrottle throttle(1min);
  const auto start = std::chrono::steady_clock::time_point{} + 1h;
  EXPECT_EQ(throttle.admit(start), 0u);
  EXPECT_EQ(throttle.admit(start + 10s), std::nullopt);
  EXPECT_EQ(throttle.admit(start + 59s), std::nullopt);
  EXPECT_EQ(throttle.admit(start + 60s), 2u);
  EXPECT_EQ(throttle.admit(start + 61s), std::nullopt);
  EXPECT_EQ(throttle.admit(start + 3min), 1u);
}

}  // namespace
}  // namespace xee::exporter

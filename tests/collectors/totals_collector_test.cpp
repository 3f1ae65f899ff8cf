#include "collectors/totals_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "fake_engagement_api.h"
#include "metric_reader.h"

namespace xee::collectors {
namespace {

using namespace std::chrono_literals;
using common::Millis;
using testing::answer_all;
using testing::failure;
using testing::FakeEngagementApi;
using ::testing::HasSubstr;
using testing::metric_value;
using ::testing::Not;
using testing::value_for;
using wire::EngagementType;

const common::TimePoint kStart = std::chrono::sys_days{std::chrono::year{2026} / 11 / 20};
const std::vector<EngagementType> kSevenTypes(wire::kTotalsTypes.begin(), wire::kTotalsTypes.end());
const std::vector<EngagementType> kFivePublicTypes(wire::kPublicTypes.begin(),
                                                   wire::kPublicTypes.end());
const std::vector<EngagementType> kPublicTypesWithoutVideo{
    EngagementType::favorites, EngagementType::retweets, EngagementType::quote_tweets,
    EngagementType::replies};

// The demo world's app and accounts.
const UserAuth kAcme{"acme",
                     {"demo-consumer-key", "demo-consumer-secret", "1000001-acme-demo-token",
                      "acme-demo-token-secret"}};
const UserAuth kGlobex{"globex",
                       {"demo-consumer-key", "demo-consumer-secret", "1000002-globex-demo-token",
                        "globex-demo-token-secret"}};
const BearerAuth kBearer{"demo-bearer-token"};

PostId post_aged(Millis age, std::uint32_t sequence) {
  return wire::make_snowflake(kStart - age, 1, sequence);
}

// `count` Posts a few hours old, sorted by ID; sequences start at `first_sequence`.
std::vector<PostId> recent_posts(std::uint32_t count, std::uint32_t first_sequence = 0) {
  std::vector<PostId> ids;
  for (std::uint32_t i = 0; i < count; ++i) {
    ids.push_back(post_aged(3h + Millis{i}, first_sequence + i));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<TrackedPost> tracked(const std::vector<PostId>& ids, const std::string& account) {
  std::vector<TrackedPost> posts;
  for (const PostId id : ids) posts.push_back({id, account});
  return posts;
}

std::vector<TrackedPost> operator+(std::vector<TrackedPost> a, const std::vector<TrackedPost>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<PostId> slice(const std::vector<PostId>& ids, std::size_t begin, std::size_t end) {
  return {ids.begin() + static_cast<std::ptrdiff_t>(begin),
          ids.begin() + static_cast<std::ptrdiff_t>(end)};
}

double unix_seconds(common::TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

class TotalsCollectorTest : public ::testing::Test {
 protected:
  static TotalsCollectorOptions default_options() {
    TotalsCollectorOptions options;
    options.user_auth = {{"acme", kAcme}, {"globex", kGlobex}};
    options.public_auth = kBearer;
    options.backoff = {.base = 1s, .cap = 30s, .max_attempts = 4};
    options.jitter = seeded_random_source(42);
    return options;
  }

  std::unique_ptr<TotalsCollector> make_collector(
      std::vector<TrackedPost> posts, TotalsCollectorOptions options = default_options()) {
    options.posts = std::move(posts);
    return std::make_unique<TotalsCollector>(api_, pacer_, store_, telemetry_, clock_, logger_,
                                             std::move(options));
  }

  const store::PostTotals* published(PostId id) const {
    const auto section = store_.snapshot().totals;
    if (!section) return nullptr;
    for (const store::PostTotals& post : section->posts) {
      if (post.post_id == id) return &post;
    }
    return nullptr;
  }

  std::vector<PostId> published_ids() const {
    std::vector<PostId> ids;
    for (const store::PostTotals& post : store_.snapshot().totals->posts)
      ids.push_back(post.post_id);
    return ids;
  }

  double metric(std::string_view family, const testing::Labels& labels = {}) const {
    return metric_value(telemetry_, family, labels).value_or(-1);
  }
  double excluded(std::string_view reason) const {
    return metric("x_engagement_posts_excluded", {{"reason", std::string(reason)}});
  }
  double requests_with_code(std::string code) const {
    return metric("x_engagement_api_requests_total", {{"endpoint", "totals"}, {"code", code}});
  }
  double retries(std::string reason) const {
    return metric("x_engagement_api_retries_total", {{"endpoint", "totals"}, {"reason", reason}});
  }
  double stripped_with_code(std::string code) const {
    return metric("x_engagement_posts_stripped_total", {{"endpoint", "totals"}, {"code", code}});
  }
  double collector_up() const {
    return metric("x_engagement_collector_up", {{"collector", "totals"}});
  }

  std::size_t log_count(std::string_view needle) const {
    const std::string text = log_.str();
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
      ++count;
    }
    return count;
  }

  common::ManualClock clock_{kStart};
  store::Telemetry telemetry_{store::BuildInfo{"test", "test", "test"}};
  store::SnapshotStore store_;
  std::ostringstream log_;
  common::Logger logger_{log_, common::LogLevel::debug, common::LogFormat::logfmt, clock_};
  // Every wait (pacing and backoff) is recorded and passes instantly on the manual clock.
  std::vector<Millis> sleeps_;
  RequestPacer pacer_{clock_,
                      [this](Millis duration) {
                        sleeps_.push_back(duration);
                        clock_.advance(duration);
                        return false;
                      },
                      telemetry_, RequestPacerOptions{.budget_per_minute = 1000}};
  FakeEngagementApi api_{clock_};
};

TEST_F(TotalsCollectorTest, AsksUnownedPostsInBatchesOf250WithTheBearerToken) {
  const auto ids = recent_posts(251);
  auto collector = make_collector(tracked(ids, ""));
  EXPECT_TRUE(collector->poll_once());

  const auto& requests = api_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].post_ids, slice(ids, 0, 250));
  EXPECT_EQ(requests[1].post_ids, slice(ids, 250, 251));
  for (const auto& request : requests) {
    EXPECT_EQ(request.auth, "bearer");
    EXPECT_EQ(request.token, "demo-bearer-token");
    EXPECT_EQ(request.types, kFivePublicTypes);
  }
  EXPECT_EQ(published_ids(), ids);
  EXPECT_EQ(metric("x_engagement_posts_tracked", {{"collector", "totals"}}), 251);
  EXPECT_EQ(collector_up(), 1);
}

TEST_F(TotalsCollectorTest, AsksOwnedPostsPerOwnerWithTheOwnersTokensForAllSevenTypes) {
  const auto acme = recent_posts(251, 0);
  const auto globex = recent_posts(2, 1000);
  const auto unowned = recent_posts(1, 2000);
  auto collector =
      make_collector(tracked(acme, "acme") + tracked(globex, "globex") + tracked(unowned, ""));
  EXPECT_TRUE(collector->poll_once());

  const auto& requests = api_.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].post_ids, slice(acme, 0, 250));
  EXPECT_EQ(requests[1].post_ids, slice(acme, 250, 251));
  EXPECT_EQ(requests[2].post_ids, globex);
  EXPECT_EQ(requests[3].post_ids, unowned);
  EXPECT_EQ(requests[0].auth, "acme");
  EXPECT_EQ(requests[0].token, "1000001-acme-demo-token");
  EXPECT_EQ(requests[1].auth, "acme");
  EXPECT_EQ(requests[2].auth, "globex");
  EXPECT_EQ(requests[2].token, "1000002-globex-demo-token");
  EXPECT_EQ(requests[3].auth, "bearer");
  EXPECT_EQ(requests[0].types, kSevenTypes);
  EXPECT_EQ(requests[2].types, kSevenTypes);
  EXPECT_EQ(requests[3].types, kFivePublicTypes);

  const auto section = store_.snapshot().totals;
  ASSERT_NE(section, nullptr);
  EXPECT_EQ(section->accounts, (std::vector<std::string>{"acme", "globex"}));
  const store::PostTotals* owned = published(globex[1]);
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(owned->account_index, 1u);
  EXPECT_TRUE(owned->owned);
  EXPECT_EQ(owned->value(EngagementType::impressions),
            value_for(globex[1], EngagementType::impressions));
  EXPECT_EQ(owned->value(EngagementType::video_views),
            value_for(globex[1], EngagementType::video_views));
  const store::PostTotals* public_only = published(unowned[0]);
  ASSERT_NE(public_only, nullptr);
  EXPECT_EQ(public_only->account_index, store::kNoAccount);
  EXPECT_FALSE(public_only->owned);
  EXPECT_FALSE(public_only->has(EngagementType::impressions));
  EXPECT_EQ(public_only->value(EngagementType::favorites),
            value_for(unowned[0], EngagementType::favorites));
}

TEST_F(TotalsCollectorTest, AsksImpressionsForOwnedPostsUpToExactly90DaysOld) {
  const PostId at_limit = post_aged(std::chrono::days{90}, 1);
  const PostId past_limit = post_aged(std::chrono::days{90} + 1ms, 2);
  auto collector = make_collector(tracked({at_limit, past_limit}, "acme"));
  EXPECT_TRUE(collector->poll_once());

  const auto& requests = api_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].post_ids, std::vector<PostId>{at_limit});
  EXPECT_EQ(requests[0].auth, "acme");
  EXPECT_EQ(requests[0].types, kSevenTypes);
  EXPECT_EQ(requests[1].post_ids, std::vector<PostId>{past_limit});
  EXPECT_EQ(requests[1].auth, "bearer");
  EXPECT_EQ(requests[1].types, kFivePublicTypes);

  EXPECT_EQ(excluded("unsupported_impressions"), 1);
  const store::PostTotals* old_post = published(past_limit);
  ASSERT_NE(old_post, nullptr);
  EXPECT_TRUE(old_post->owned);
  EXPECT_FALSE(old_post->has(EngagementType::impressions));
  EXPECT_TRUE(old_post->has(EngagementType::favorites));
}

TEST_F(TotalsCollectorTest, MeasuresPostAgesOnThePostAgeClockWhenGiven) {
  // The wall clock says the Post is 89 days old; X's (the simulator's) clock, a day ahead, says
  // 90 days + 1 ms: X's clock decides, so impressions are no longer asked.
  const PostId post = post_aged(std::chrono::days{89}, 1);
  common::ManualClock world_clock{kStart + std::chrono::days{1} + 1ms};
  TotalsCollectorOptions options = default_options();
  options.post_age_clock = &world_clock;
  auto collector = make_collector(tracked({post}, "acme"), std::move(options));
  EXPECT_TRUE(collector->poll_once());

  const auto& requests = api_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].auth, "bearer");
  EXPECT_EQ(requests[0].types, kFivePublicTypes);
  EXPECT_EQ(excluded("unsupported_impressions"), 1);
}

TEST_F(TotalsCollectorTest, AsksVideoViewsForPostsUpToExactly1800DaysOld) {
  const PostId at_limit = post_aged(std::chrono::days{1800}, 1);
  const PostId past_limit = post_aged(std::chrono::days{1800} + 1ms, 2);
  auto collector = make_collector(tracked({at_limit, past_limit}, ""));
  EXPECT_TRUE(collector->poll_once());

  const auto& requests = api_.requests();
  ASSERT_EQ(requests.size(), 2u);
  // Batches are ordered by their type set; the one without video_views sorts first.
  EXPECT_EQ(requests[0].post_ids, std::vector<PostId>{past_limit});
  EXPECT_EQ(requests[0].types, kPublicTypesWithoutVideo);
  EXPECT_EQ(requests[1].post_ids, std::vector<PostId>{at_limit});
  EXPECT_EQ(requests[1].types, kFivePublicTypes);
  EXPECT_EQ(excluded("unsupported_video_views"), 1);
  EXPECT_EQ(excluded("unsupported_impressions"), 0);
  EXPECT_FALSE(published(past_limit)->has(EngagementType::video_views));
  EXPECT_TRUE(published(at_limit)->has(EngagementType::video_views));
}

TEST_F(TotalsCollectorTest, StripsPostsTheOwnerDoesNotOwnAndAsksThemWithBearer) {
  const auto ids = recent_posts(250);
  const std::vector<PostId> refused{ids[10], ids[200]};
  std::vector<PostId> kept = ids;
  std::erase_if(kept, [&](PostId id) { return id == ids[10] || id == ids[200]; });
  api_.push(failure(FailureKind::forbidden_posts, 403,
                    "totals: HTTP 403: Forbidden to access tweets: " +
                        wire::format_post_id(ids[10]) + ", " + wire::format_post_id(ids[200]),
                    refused));
  auto collector = make_collector(tracked(ids, "acme"));
  EXPECT_TRUE(collector->poll_once());

  const auto& requests = api_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].post_ids, ids);
  EXPECT_EQ(requests[1].post_ids, kept);
  EXPECT_EQ(requests[1].auth, "acme");
  EXPECT_EQ(requests[1].types, kSevenTypes);
  EXPECT_EQ(requests[2].post_ids, refused);
  EXPECT_EQ(requests[2].auth, "bearer");
  EXPECT_EQ(requests[2].types, kFivePublicTypes);

  EXPECT_EQ(stripped_with_code("403"), 2);
  EXPECT_EQ(excluded("not_owned"), 2);
  EXPECT_EQ(retries("forbidden_ids"), 1);
  EXPECT_EQ(requests_with_code("403"), 1);
  EXPECT_EQ(requests_with_code("200"), 2);
  EXPECT_EQ(collector_up(), 1);
  EXPECT_THAT(log_.str(), HasSubstr("level=warn"));
  EXPECT_THAT(log_.str(),
              HasSubstr("account=acme code=403 post_ids=" + wire::format_post_id(ids[10]) + "," +
                        wire::format_post_id(ids[200])));

  const store::PostTotals* stripped = published(ids[200]);
  ASSERT_NE(stripped, nullptr);
  EXPECT_FALSE(stripped->owned);
  EXPECT_EQ(stripped->account_index, 0u);  // still shown under the account it was configured for
  EXPECT_FALSE(stripped->has(EngagementType::impressions));
  EXPECT_EQ(stripped->value(EngagementType::replies), value_for(ids[200], EngagementType::replies));
  EXPECT_EQ(published(ids[0])->value(EngagementType::impressions),
            value_for(ids[0], EngagementType::impressions));

  // The next round knows: no refusal, no second warning.
  EXPECT_TRUE(collector->poll_once());
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_EQ(requests[3].post_ids, kept);
  EXPECT_EQ(requests[4].post_ids, refused);
  EXPECT_EQ(requests[4].auth, "bearer");
  EXPECT_EQ(log_count("post_ids="), 1u);
  EXPECT_EQ(stripped_with_code("403"), 2);
}

// X's API reference lists no 403 for this API: the same refusal in a 400 strips and resends too.
TEST_F(TotalsCollectorTest, StripsForbiddenPostsNamedInA400AndSendsTheRestAgain) {
  const auto ids = recent_posts(3);
  api_.push(failure(FailureKind::forbidden_posts, 400,
                    "totals: HTTP 400: Forbidden to access tweets: " + wire::format_post_id(ids[1]),
                    {ids[1]}));
  auto collector = make_collector(tracked(ids, "acme"));
  EXPECT_TRUE(collector->poll_once());
  const auto& requests = api_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].post_ids, (std::vector<PostId>{ids[0], ids[2]}));
  EXPECT_EQ(requests[1].auth, "acme");
  EXPECT_EQ(requests[2].post_ids, std::vector<PostId>{ids[1]});
  EXPECT_EQ(requests[2].auth, "bearer");
  EXPECT_EQ(stripped_with_code("400"), 1);
  EXPECT_EQ(retries("forbidden_ids"), 1);
  for (const PostId id : ids) {
    EXPECT_EQ(published(id)->value(EngagementType::favorites),
              value_for(id, EngagementType::favorites));
  }
  EXPECT_THAT(log_.str(), HasSubstr("code=400 post_ids=" + wire::format_post_id(ids[1])));
}

// X's partial-result variant: a 200 with the owned Posts' values and the refused ones named in
// errors. Nothing is sent again for the owned Posts; the refused one continues with Bearer in the
// same round.
TEST_F(TotalsCollectorTest, StripsForbiddenPostsNamedInsideA200AndKeepsTheOthersValues) {
  const auto ids = recent_posts(3);
  api_.push([&](const TotalsRequest& request) {
    auto result = answer_all(request);
    std::erase_if(result.value->posts, [&](const auto& entry) { return entry.first == ids[2]; });
    result.value->forbidden = {ids[2]};
    result.value->errors = {"Forbidden to access tweets: " + wire::format_post_id(ids[2])};
    return result;
  });
  auto collector = make_collector(tracked(ids, "acme"));
  EXPECT_TRUE(collector->poll_once());
  const auto& requests = api_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].post_ids, ids);
  EXPECT_EQ(requests[1].post_ids, std::vector<PostId>{ids[2]});
  EXPECT_EQ(requests[1].auth, "bearer");
  EXPECT_EQ(stripped_with_code("200"), 1);
  EXPECT_EQ(excluded("not_owned"), 1);
  EXPECT_EQ(published(ids[0])->value(EngagementType::impressions),
            value_for(ids[0], EngagementType::impressions));
  EXPECT_FALSE(published(ids[2])->owned);
  EXPECT_EQ(published(ids[2])->value(EngagementType::favorites),
            value_for(ids[2], EngagementType::favorites));
  EXPECT_THAT(log_.str(),
              HasSubstr("account=acme code=200 post_ids=" + wire::format_post_id(ids[2])));
}

// Refused for the app's own credentials inside a 200: nothing else can ask it, so unavailable.
TEST_F(TotalsCollectorTest, PostsRefusedToTheAppInsideA200AreUnavailable) {
  const auto ids = recent_posts(2);
  api_.push([&](const TotalsRequest& request) {
    auto result = answer_all(request);
    std::erase_if(result.value->posts, [&](const auto& entry) { return entry.first == ids[0]; });
    result.value->forbidden = {ids[0]};
    return result;
  });
  auto collector = make_collector(tracked(ids, ""));
  EXPECT_TRUE(collector->poll_once());
  EXPECT_EQ(api_.requests().size(), 1u);
  EXPECT_EQ(excluded("unavailable"), 1);
  EXPECT_EQ(stripped_with_code("200"), 1);
  EXPECT_EQ(published(ids[0])->present, 0u);
  EXPECT_EQ(published(ids[1])->value(EngagementType::retweets),
            value_for(ids[1], EngagementType::retweets));
}

TEST_F(TotalsCollectorTest, CountsAndLogsUnrequestedTypesOnceAndKeepsTheBatch) {
  const auto ids = recent_posts(2);
  const auto with_quote_tweets = [&](const TotalsRequest& request) {
    auto result = answer_all(request);
    result.exchange.unrequested_types = {{"quote_tweets", ids}, {"bookmarks", {ids[1]}}};
    return result;
  };
  api_.push(with_quote_tweets);
  api_.push(with_quote_tweets);
  auto collector = make_collector(tracked(ids, "acme"));
  EXPECT_TRUE(collector->poll_once());
  EXPECT_TRUE(collector->poll_once());
  EXPECT_EQ(metric("x_engagement_api_unrequested_types_total",
                   {{"endpoint", "totals"}, {"engagement_type", "quote_tweets"}}),
            4);
  EXPECT_EQ(metric("x_engagement_api_unrequested_types_total",
                   {{"endpoint", "totals"}, {"engagement_type", "unknown"}}),
            2);
  EXPECT_EQ(log_count("level=warn msg=\"X answered an engagement type"), 2u);
  EXPECT_THAT(log_.str(),
              HasSubstr("engagement_type=bookmarks post_ids=" + wire::format_post_id(ids[1])));
  EXPECT_EQ(published(ids[0])->value(EngagementType::impressions),
            value_for(ids[0], EngagementType::impressions));
}

TEST_F(TotalsCollectorTest, PublicMetricsGoWithConsumerKeyOnlyOAuthWhenThatIsThePublicAuth) {
  const auto ids = recent_posts(2);
  TotalsCollectorOptions options = default_options();
  options.public_auth = AppOAuth{{"demo-consumer-key", "demo-consumer-secret", "", ""}};
  auto collector = make_collector(tracked({ids[0]}, "acme") + tracked({ids[1]}, ""), options);
  EXPECT_TRUE(collector->poll_once());
  const auto& requests = api_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].post_ids, std::vector<PostId>{ids[1]});
  EXPECT_EQ(requests[1].auth, "app_oauth");
  EXPECT_EQ(requests[1].token, "demo-consumer-key");
  EXPECT_EQ(requests[1].types, kFivePublicTypes);
  collector->set_credentials({{"acme", kAcme}}, kBearer);
  EXPECT_TRUE(collector->poll_once());
  EXPECT_EQ(requests[3].auth, "bearer");
}

TEST_F(TotalsCollectorTest, AsksUnavailablePostsAgainOnlyEveryFewRoundsAndLogsThemOnce) {
  const auto ids = recent_posts(2);
  const PostId gone = ids[0];
  api_.push([&](const TotalsRequest& request) {
    auto result = answer_all(request);
    std::erase_if(result.value->posts, [&](const auto& entry) { return entry.first == gone; });
    result.value->unavailable = {gone};
    result.value->errors = {"1 Tweet ID(s) are unavailable"};
    return result;
  });
  TotalsCollectorOptions options = default_options();
  options.unavailable_retry_rounds = 3;
  auto collector = make_collector(tracked(ids, ""), options);

  EXPECT_TRUE(collector->poll_once());  // a partial answer is still an answer
  EXPECT_EQ(excluded("unavailable"), 1);
  ASSERT_NE(published(gone), nullptr);  // its _info stays
  EXPECT_EQ(published(gone)->present, 0u);
  EXPECT_TRUE(collector->poll_once());
  EXPECT_TRUE(collector->poll_once());
  EXPECT_TRUE(collector->poll_once());  // round 4 = round 1 + 3: asked again, and answered

  const auto& requests = api_.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].post_ids, ids);
  EXPECT_EQ(requests[1].post_ids, std::vector<PostId>{ids[1]});
  EXPECT_EQ(requests[2].post_ids, std::vector<PostId>{ids[1]});
  EXPECT_EQ(requests[3].post_ids, ids);
  EXPECT_EQ(log_count("reason=unavailable"), 1u);
  EXPECT_EQ(log_count("Post is available again"), 1u);
  EXPECT_EQ(excluded("unavailable"), 0);
  EXPECT_EQ(published(gone)->value(EngagementType::favorites),
            value_for(gone, EngagementType::favorites));
}

TEST_F(TotalsCollectorTest, RetriesARateLimitedBatchAfterXsReset) {
  const auto ids = recent_posts(1);
  const std::int64_t reset =
      std::chrono::floor<std::chrono::seconds>(kStart + 30s).time_since_epoch().count();
  RateLimitHeaders exhausted;
  exhausted.minute_limit = 60;
  exhausted.minute_remaining = 0;
  exhausted.minute_reset_unix = reset;
  api_.push(failure(FailureKind::rate_limited, 429, "totals: HTTP 429: Exceeded rate limit", {},
                    exhausted));
  auto collector = make_collector(tracked(ids, ""));
  EXPECT_TRUE(collector->poll_once());

  const auto& requests = api_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].sent_at - kStart, 31s);  // the reset plus the pacer's 1 s margin
  EXPECT_EQ(sleeps_, std::vector<Millis>{31s});
  EXPECT_EQ(retries("rate_limited"), 1);
  EXPECT_EQ(requests_with_code("429"), 1);
  EXPECT_EQ(requests_with_code("200"), 1);
  const testing::Labels minute{{"endpoint", "totals"}, {"window", "minute"}};
  EXPECT_EQ(metric("x_engagement_api_rate_limit_remaining", minute), 0);
  EXPECT_EQ(metric("x_engagement_api_rate_limit_limit", minute), 60);
  EXPECT_EQ(metric("x_engagement_api_rate_limit_reset_timestamp_seconds", minute),
            static_cast<double>(reset));
  EXPECT_EQ(collector_up(), 1);
}

TEST_F(TotalsCollectorTest, GivesUpARateLimitedBatchAfterMaxRetries) {
  const auto ids = recent_posts(1);
  for (int i = 0; i < 2; ++i) {
    api_.push(failure(FailureKind::rate_limited, 429, "totals: HTTP 429: Exceeded rate limit"));
  }
  TotalsCollectorOptions options = default_options();
  options.max_rate_limited_retries = 1;
  auto collector = make_collector(tracked(ids, ""), options);
  EXPECT_FALSE(collector->poll_once());
  EXPECT_EQ(api_.requests().size(), 2u);
  EXPECT_EQ(sleeps_, std::vector<Millis>{60s});  // no reset given: the 60 s default
  EXPECT_EQ(retries("rate_limited"), 1);
  EXPECT_EQ(collector_up(), 0);
}

TEST_F(TotalsCollectorTest, RetriesServerAndNetworkErrorsWithJitteredBackoff) {
  const auto ids = recent_posts(1);
  api_.push(failure(FailureKind::server, 503, "totals: HTTP 503: internal server error"));
  api_.push(failure(FailureKind::network, 0, "totals: connection refused"));
  auto collector = make_collector(tracked(ids, ""));
  EXPECT_TRUE(collector->poll_once());

  // mt19937_64(42) draws 13930160852258120406 % 1001 = 937 and 11788048577503494824 % 2001 =
  // 1766 (see backoff_test).
  EXPECT_EQ(sleeps_, (std::vector<Millis>{937ms, 1766ms}));
  const auto& requests = api_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].sent_at - kStart, 937ms);
  EXPECT_EQ(requests[2].sent_at - kStart, 2703ms);
  EXPECT_EQ(retries("server_error"), 1);
  EXPECT_EQ(retries("network"), 1);
  EXPECT_EQ(requests_with_code("503"), 1);
  EXPECT_EQ(requests_with_code("error"), 1);
  EXPECT_EQ(metric("x_engagement_collector_poll_duration_seconds", {{"collector", "totals"}}),
            2.703);
  EXPECT_EQ(published(ids[0])->value(EngagementType::retweets),
            value_for(ids[0], EngagementType::retweets));
}

TEST_F(TotalsCollectorTest, ExhaustedRetriesKeepTheLastGoodValuesAndFailTheRound) {
  const auto ids = recent_posts(1);
  auto collector = make_collector(tracked(ids, ""));
  EXPECT_TRUE(collector->poll_once());
  clock_.advance(60s);
  for (int i = 0; i < 4; ++i) {
    api_.push(failure(FailureKind::server, 500, "totals: HTTP 500: internal server error"));
  }
  api_.set_value_offset(1000);
  EXPECT_FALSE(collector->poll_once());

  EXPECT_EQ(api_.requests().size(), 5u);  // 1 in the first round, 4 attempts in the second
  EXPECT_EQ(sleeps_, (std::vector<Millis>{937ms, 1766ms, 134ms}));
  EXPECT_EQ(api_.unused_scripted(), 0u);
  EXPECT_EQ(published(ids[0])->value(EngagementType::favorites),
            value_for(ids[0], EngagementType::favorites));
  EXPECT_EQ(collector_up(), 0);
  EXPECT_EQ(
      metric("x_engagement_collector_last_success_timestamp_seconds", {{"collector", "totals"}}),
      unix_seconds(kStart));
  EXPECT_EQ(metric("x_engagement_collector_polls_total",
                   {{"collector", "totals"}, {"result", "failure"}}),
            1);
  EXPECT_THAT(log_.str(), HasSubstr("level=warn msg=\"/totals batch failed\""));
  EXPECT_THAT(log_.str(), HasSubstr("error=\"totals: HTTP 500: internal server error\""));

  EXPECT_TRUE(collector->poll_once());  // X is back: the new values replace the kept ones
  EXPECT_EQ(published(ids[0])->value(EngagementType::favorites),
            value_for(ids[0], EngagementType::favorites, 1000));
  EXPECT_EQ(collector_up(), 1);
}

TEST_F(TotalsCollectorTest, ADecodeErrorIsNotRetriedAndKeepsTheLastGoodValues) {
  const auto ids = recent_posts(1);
  auto collector = make_collector(tracked(ids, "acme"));
  EXPECT_TRUE(collector->poll_once());
  api_.set_value_offset(1000);
  api_.push(failure(FailureKind::decode, 200, "totals: invalid JSON at offset 17: missing value"));
  EXPECT_FALSE(collector->poll_once());

  EXPECT_EQ(api_.requests().size(), 2u);
  EXPECT_EQ(metric("x_engagement_api_decode_errors_total", {{"endpoint", "totals"}}), 1);
  EXPECT_EQ(published(ids[0])->value(EngagementType::impressions),
            value_for(ids[0], EngagementType::impressions));
  EXPECT_EQ(collector_up(), 0);
}

TEST_F(TotalsCollectorTest, AnAuthErrorIsNotRetriedAndIsLoggedWithTheAccountButNoSecret) {
  const auto ids = recent_posts(1);
  api_.push(failure(FailureKind::auth, 401,
                    "totals: HTTP 401: Your account could not be authenticated. Reason: Access "
                    "token not found"));
  auto collector = make_collector(tracked(ids, "acme"));
  EXPECT_FALSE(collector->poll_once());

  EXPECT_EQ(api_.requests().size(), 1u);
  EXPECT_THAT(log_.str(), HasSubstr("level=error msg=\"/totals batch failed\""));
  EXPECT_THAT(log_.str(), HasSubstr("account=acme"));
  EXPECT_THAT(log_.str(), Not(HasSubstr("1000001-acme-demo-token")));
  EXPECT_THAT(log_.str(), Not(HasSubstr("acme-demo-token-secret")));
  EXPECT_THAT(log_.str(), Not(HasSubstr("demo-consumer-secret")));
  ASSERT_NE(published(ids[0]), nullptr);  // never fetched: no values, but its _info
  EXPECT_EQ(published(ids[0])->present, 0u);
  EXPECT_EQ(published(ids[0])->created_unix,
            std::chrono::floor<std::chrono::seconds>(kStart - 3h).time_since_epoch().count());
  EXPECT_EQ(
      metric("x_engagement_collector_last_success_timestamp_seconds", {{"collector", "totals"}}),
      0);
}

TEST_F(TotalsCollectorTest, APostOmittedFromAnAnswerKeepsItsLastGoodValues) {
  const auto ids = recent_posts(2);
  auto collector = make_collector(tracked(ids, ""));
  EXPECT_TRUE(collector->poll_once());
  api_.push([&](const TotalsRequest& request) {
    auto result = answer_all(request, 1000);
    result.value->posts.pop_back();  // no word on ids[1]
    return result;
  });
  EXPECT_TRUE(collector->poll_once());
  EXPECT_EQ(published(ids[0])->value(EngagementType::replies),
            value_for(ids[0], EngagementType::replies, 1000));
  EXPECT_EQ(published(ids[1])->value(EngagementType::replies),
            value_for(ids[1], EngagementType::replies));
}

TEST_F(TotalsCollectorTest, FollowsXWhenItReportsImpressionsUnsupportedBeforeOurEstimate) {
  const PostId post = post_aged(std::chrono::days{89}, 7);
  api_.push([&](const TotalsRequest& request) {
    auto result = answer_all(request);
    result.value->posts = {{post, testing::values_for(post, kFivePublicTypes)}};
    result.value->unsupported_impressions = {post};
    return result;
  });
  auto collector = make_collector(tracked({post}, "acme"));
  EXPECT_TRUE(collector->poll_once());
  EXPECT_EQ(excluded("unsupported_impressions"), 1);
  EXPECT_FALSE(published(post)->has(EngagementType::impressions));
  EXPECT_TRUE(published(post)->has(EngagementType::favorites));
  EXPECT_THAT(log_.str(), HasSubstr("level=info"));

  EXPECT_TRUE(collector->poll_once());
  ASSERT_EQ(api_.requests().size(), 2u);
  EXPECT_EQ(api_.requests()[1].auth, "bearer");
  EXPECT_EQ(api_.requests()[1].types, kFivePublicTypes);
  EXPECT_EQ(log_count("reason=unsupported_impressions"), 1u);
}

TEST_F(TotalsCollectorTest, SetPostsRemovesAPostAtTheNextPublish) {
  const auto ids = recent_posts(2);
  auto collector = make_collector(tracked(ids, ""));
  EXPECT_TRUE(collector->poll_once());
  EXPECT_EQ(published_ids(), ids);

  collector->set_posts(tracked({ids[1]}, ""));
  EXPECT_EQ(published_ids(), ids);  // nothing changes until the next round publishes
  EXPECT_TRUE(collector->poll_once());
  EXPECT_EQ(published_ids(), std::vector<PostId>{ids[1]});
  EXPECT_EQ(api_.requests().back().post_ids, std::vector<PostId>{ids[1]});
  EXPECT_EQ(metric("x_engagement_posts_tracked", {{"collector", "totals"}}), 1);
}

// A scrape can come at any moment of the round: when it sees a round's values it must also see
// how many Posts that round tracked.
TEST_F(TotalsCollectorTest, CountsArePublishedNoLaterThanTheValues) {
  const auto ids = recent_posts(3);
  auto collector = make_collector(tracked({ids[0]}, ""));
  EXPECT_TRUE(collector->poll_once());
  std::vector<double> tracked_at_publish;
  store_.set_totals_listener([&](const std::shared_ptr<const store::TotalsSection>& section) {
    tracked_at_publish.push_back(metric("x_engagement_posts_tracked", {{"collector", "totals"}}));
    EXPECT_EQ(static_cast<double>(section->posts.size()), tracked_at_publish.back());
  });
  collector->set_posts(tracked(ids, ""));
  EXPECT_TRUE(collector->poll_once());
  EXPECT_EQ(tracked_at_publish, std::vector<double>{3});
}

TEST_F(TotalsCollectorTest, PacesItsBatchesThroughTheSharedBudget) {
  RequestPacer slow_pacer(
      clock_,
      [this](Millis duration) {
        sleeps_.push_back(duration);
        clock_.advance(duration);
        return false;
      },
      telemetry_, RequestPacerOptions{.budget_per_minute = 2});
  TotalsCollectorOptions options = default_options();
  options.posts = tracked(recent_posts(751), "");
  TotalsCollector collector(api_, slow_pacer, store_, telemetry_, clock_, logger_, options);
  EXPECT_TRUE(collector.poll_once());

  const auto& requests = api_.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].sent_at - kStart, 0s);
  EXPECT_EQ(requests[1].sent_at - kStart, 0s);
  EXPECT_EQ(requests[2].sent_at - kStart, 60s);
  EXPECT_EQ(requests[3].sent_at - kStart, 60s);
}

}  // namespace
}  // namespace xee::collectors

namespace xee::collectors {
namespace {

TEST_F(TotalsCollectorTest, ReportsThePostsOfEveryAnsweredRequestForBilling) {
  const auto acme = recent_posts(2, 0);
  const auto unowned = recent_posts(3, 2000);
  std::vector<std::vector<PostId>> answered;
  TotalsCollectorOptions options = default_options();
  options.posts_answered = [&answered](const std::vector<PostId>& ids) { answered.push_back(ids); };
  auto collector = make_collector(tracked(acme, "acme") + tracked(unowned, ""), options);
  api_.push(failure(FailureKind::auth, 401, "totals: HTTP 401"));  // acme's batch: not answered
  collector->poll_once();
  EXPECT_EQ(answered, std::vector<std::vector<PostId>>{unowned});
}

}  // namespace
}  // namespace xee::collectors

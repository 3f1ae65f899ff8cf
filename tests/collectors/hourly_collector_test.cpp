#include "collectors/hourly_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <sstream>

#include "common/time_format.h"
#include "fake_engagement_api.h"
#include "metric_reader.h"
#include "tests/state/temp_folder.h"

namespace xee::collectors {
namespace {

using namespace std::chrono_literals;
using common::Millis;
using testing::FakeEngagementApi;
using testing::metric_value;
using wire::EngagementType;

const common::TimePoint kMidnight = *common::parse_iso8601("2026-11-20T00:00:00Z");

const UserAuth kAcme{"acme",
                     {"demo-consumer-key", "demo-consumer-secret", "1000001-acme-demo-token",
                      "acme-demo-token-secret"}};
const UserAuth kGlobex{"globex",
                       {"demo-consumer-key", "demo-consumer-secret", "1000002-globex-demo-token",
                        "globex-demo-token-secret"}};

// Sequences that are multiples of 10 give every Post the same hourly values (hourly_value_for).
PostId post(std::uint32_t n) {
  return wire::make_snowflake(kMidnight - 3h - Millis{n}, 1, (n * 10) % 4090);
}

std::vector<TrackedPost> owned_by(const std::string& account, std::uint32_t count,
                                  std::uint32_t first = 0) {
  std::vector<TrackedPost> posts;
  for (std::uint32_t i = first; i < first + count; ++i) posts.push_back({post(i), account});
  return posts;
}

// Sum of hourly_value_for over the hours [from, to) for a Post with sequence % 10 == 0.
std::uint64_t expected_sum(EngagementType type, Hour from, Hour to) {
  std::uint64_t sum = 0;
  for (Hour hour = from; hour < to; hour += 1h) sum += testing::hourly_value_for(0, type, hour);
  return sum;
}

const Hour kMidnightHour = std::chrono::floor<std::chrono::seconds>(kMidnight);

class HourlyCollectorTest : public ::testing::Test {
 protected:
  HourlyCollectorOptions options(std::vector<TrackedPost> posts) const {
    HourlyCollectorOptions options;
    options.posts = std::move(posts);
    options.user_auth = {{"acme", kAcme}, {"globex", kGlobex}};
    options.cadence = {.delay = 5min, .inactive_after = 48h, .slow_interval = 6h};
    return options;
  }

  std::unique_ptr<HourlyCollector> make(std::vector<TrackedPost> posts, bool with_state = false) {
    return make_with(options(std::move(posts)), with_state);
  }
  std::unique_ptr<HourlyCollector> make_with(HourlyCollectorOptions options, bool with_state) {
    auto collector =
        std::make_unique<HourlyCollector>(api_, pacer_, store_, telemetry_, clock_, logger_,
                                          with_state ? &state_ : nullptr, std::move(options));
    collector->load_state();
    return collector;
  }

  const store::PostHourly* published(PostId id) const {
    const auto section = store_.snapshot().hourly;
    if (!section) return nullptr;
    for (const auto& hourly : section->posts) {
      if (hourly.post_id == id) return &hourly;
    }
    return nullptr;
  }
  std::uint64_t tally(PostId id, EngagementType type) const {
    const auto* hourly = published(id);
    return hourly ? hourly->tally[wire::index_of(type)] : 0;
  }
  double metric(std::string_view family, const testing::Labels& labels = {}) const {
    return metric_value(telemetry_, family, labels).value_or(-1);
  }
  std::size_t log_count(std::string_view needle) const {
    const std::string text = log_.str();
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
      ++count;
    }
    return count;
  }
  std::size_t requests() const { return api_.time_series_requests().size(); }

  common::ManualClock clock_{kMidnight + 5min};
  store::Telemetry telemetry_{store::BuildInfo{"test", "test", "test"}};
  store::SnapshotStore store_;
  std::ostringstream log_;
  common::Logger logger_{log_, common::LogLevel::debug, common::LogFormat::logfmt, clock_};
  RequestPacer pacer_{clock_,
                      [this](Millis duration) {
                        clock_.advance(duration);
                        return false;
                      },
                      telemetry_, RequestPacerOptions{.budget_per_minute = 1000}};
  FakeEngagementApi api_{clock_};
  state::testing::TempFolder folder_;
  state::StateFile state_{folder_.file("x.state.json"), clock_};
};

TEST_F(HourlyCollectorTest, AsksOwnedPostsPerAccountInBatchesOf25WithAll17Types) {
  auto posts = owned_by("acme", 30);
  posts.push_back({post(40), "globex"});
  posts.push_back({post(41), ""});  // not owned: no hourly data
  auto collector = make(posts);
  EXPECT_TRUE(collector->tick());
  const auto& sent = api_.time_series_requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].endpoint, wire::Endpoint::hr28);
  EXPECT_EQ(sent[0].account, "acme");
  EXPECT_EQ(sent[0].post_ids.size(), 25u);
  EXPECT_EQ(sent[0].types, 17u);
  EXPECT_EQ(sent[1].post_ids.size(), 5u);
  EXPECT_EQ(sent[2].account, "globex");
  EXPECT_EQ(sent[2].post_ids, std::vector<PostId>{post(40)});
  EXPECT_EQ(store_.snapshot().hourly->posts.size(), 31u);
  EXPECT_EQ(published(post(41)), nullptr);
  EXPECT_EQ(metric("x_engagement_posts_tracked", {{"collector", "28hr"}}), 31);
  EXPECT_EQ(metric("x_engagement_collector_up", {{"collector", "28hr"}}), 1);
}

TEST_F(HourlyCollectorTest, PublishesTheLastHourThe28HourSumAndTheTally) {
  auto collector = make(owned_by("acme", 1));
  collector->tick();
  const store::PostHourly* hourly = published(post(0));
  ASSERT_NE(hourly, nullptr);
  EXPECT_EQ(hourly->last_hour_start_unix, (kMidnightHour - 1h).time_since_epoch().count());
  // 23:00 + sequence 0 + type index.
  EXPECT_EQ(hourly->last_hour[wire::index_of(EngagementType::impressions)], 23u);
  EXPECT_EQ(hourly->last_hour[wire::index_of(EngagementType::replies)], 23u + 5u);
  EXPECT_EQ(hourly->window_28h[wire::index_of(EngagementType::impressions)], 362u);
  EXPECT_EQ(hourly->tally[wire::index_of(EngagementType::impressions)], 362u);
  EXPECT_EQ(hourly->tally[wire::index_of(EngagementType::user_follows)], 362u + 28u * 16u);
}

TEST_F(HourlyCollectorTest, AsksAgainOnlyWhenTheNextHourIsCompleteAndTheDelayHasPassed) {
  auto collector = make(owned_by("acme", 1));
  collector->tick();
  EXPECT_EQ(requests(), 1u);
  clock_.set(kMidnight + 1h + 4min + 59s);
  collector->tick();
  EXPECT_EQ(requests(), 1u);
  clock_.set(kMidnight + 1h + 5min);
  collector->tick();
  EXPECT_EQ(requests(), 2u);
  // Exactly the hour 00:00 was added: value 0 + type index.
  EXPECT_EQ(tally(post(0), EngagementType::impressions), 362u + 0u);
  EXPECT_EQ(tally(post(0), EngagementType::favorites), 362u + 56u + 2u);
  EXPECT_EQ(published(post(0))->window_28h[wire::index_of(EngagementType::impressions)],
            362u - 20u);  // 20:00 left the window, 00:00 (0) joined
  clock_.set(kMidnight + 1h + 59min);
  collector->tick();
  EXPECT_EQ(requests(), 2u);
}

TEST_F(HourlyCollectorTest, InactivePostsMoveToTheSlowCadence) {
  api_.set_hourly_values([](PostId, EngagementType, Hour) -> std::uint64_t { return 0; });
  HourlyCollectorOptions opts = options(owned_by("acme", 1));
  opts.cadence = {.delay = 5min, .inactive_after = 2h, .slow_interval = 6h};
  auto collector = make_with(opts, false);
  collector->tick();  // last activity: the first hour seen, 20:00 two days before
  for (int hour = 1; hour <= 5; ++hour) {
    clock_.set(kMidnight + std::chrono::hours{hour} + 5min);
    collector->tick();
  }
  EXPECT_EQ(requests(), 1u);
  clock_.set(kMidnight + 6h + 5min);
  collector->tick();
  EXPECT_EQ(requests(), 2u);
  // All six hours came in with the one request.
  EXPECT_EQ(published(post(0))->last_hour_start_unix,
            (kMidnightHour + 5h).time_since_epoch().count());
}

TEST_F(HourlyCollectorTest, UsesAtMostItsShareOfTheBudgetPerMinute) {
  pacer_.set_budget(10);  // share 0.5: 5 requests per minute
  auto collector = make(owned_by("acme", 8 * 25));
  EXPECT_TRUE(collector->tick());
  EXPECT_EQ(requests(), 5u);
  collector->tick();
  EXPECT_EQ(requests(), 5u);
  clock_.advance(60s);
  collector->tick();
  EXPECT_EQ(requests(), 8u);
  EXPECT_EQ(store_.snapshot().hourly->posts.size(), 200u);
}

TEST_F(HourlyCollectorTest, ReportsABudgetShortfallOncePerChange) {
  pacer_.set_budget(2);  // share 0.5: 1 request per minute, 60 per hour
  auto collector = make(owned_by("acme", 61 * 25));
  collector->tick();
  EXPECT_EQ(metric("x_engagement_hourly_requests_needed_per_hour"), 61);
  EXPECT_EQ(metric("x_engagement_hourly_requests_available_per_hour"), 60);
  EXPECT_EQ(log_count("the hourly budget cannot refresh every owned Post"), 1u);
  EXPECT_EQ(log_count("requests_needed_per_hour=61 requests_available_per_hour=60 posts=1525"), 1u);
  clock_.advance(60s);
  collector->tick();
  EXPECT_EQ(log_count("the hourly budget cannot refresh every owned Post"), 1u);
  pacer_.set_budget(4);
  collector->tick();
  EXPECT_EQ(metric("x_engagement_hourly_requests_available_per_hour"), 120);
  EXPECT_EQ(log_count("the hourly budget covers every owned Post again"), 1u);
}

TEST_F(HourlyCollectorTest, TalliesSurviveARestartWithoutDoubleCounting) {
  {
    auto first = make(owned_by("acme", 2), /*with_state=*/true);
    first->tick();
  }
  store_.publish_hourly(nullptr);
  auto second = make(owned_by("acme", 2), /*with_state=*/true);
  EXPECT_EQ(log_count("loaded hourly tallies from the state file"), 1u);
  second->tick();  // refills the window; the 28 hours are already in the tally
  EXPECT_EQ(requests(), 2u);
  EXPECT_EQ(tally(post(1), EngagementType::impressions), 362u);
  EXPECT_EQ(published(post(1))->window_28h[wire::index_of(EngagementType::impressions)], 362u);
  clock_.set(kMidnight + 1h + 5min);
  second->tick();
  EXPECT_EQ(tally(post(1), EngagementType::impressions), 362u);
  EXPECT_EQ(tally(post(1), EngagementType::retweets), 362u + 28u * 3u + 3u);
  EXPECT_EQ(metric("x_engagement_state_file_ok", {{"operation", "save"}}), 1);
  EXPECT_EQ(metric("x_engagement_state_file_ok", {{"operation", "load"}}), 1);
}

TEST_F(HourlyCollectorTest, RestoredTalliesAreServedAtOnceEvenWhileXFails) {
  {
    auto first = make(owned_by("acme", 1), /*with_state=*/true);
    first->tick();
  }
  store_.publish_hourly(nullptr);
  auto second = make(owned_by("acme", 1), /*with_state=*/true);
  api_.push_time_series([](const TimeSeriesRequest&) {
    return testing::time_series_failure(wire::Endpoint::hr28, FailureKind::server, 503,
                                        "28hr: HTTP 503: internal server error");
  });
  EXPECT_FALSE(second->tick());
  // A tally once served stays served across a restart: from the state file, before X answers.
  ASSERT_NE(published(post(0)), nullptr);
  EXPECT_FALSE(published(post(0))->has_last_hour);
  EXPECT_EQ(tally(post(0), EngagementType::impressions), 362u);
  clock_.advance(1min);
  EXPECT_TRUE(second->tick());
  EXPECT_TRUE(published(post(0))->has_last_hour);
  EXPECT_EQ(tally(post(0), EngagementType::impressions), 362u);
  EXPECT_EQ(published(post(0))->window_28h[wire::index_of(EngagementType::impressions)], 362u);
}

TEST_F(HourlyCollectorTest, FillsAGapLongerThan28HoursFromHistoricalExactlyOnce) {
  {
    auto first = make(owned_by("acme", 1), /*with_state=*/true);
    first->tick();  // hours up to 23:00 on Nov 19
  }
  clock_.set(kMidnight + 40 * 24h + 5min);  // 40 days later
  auto second = make(owned_by("acme", 1), /*with_state=*/true);
  second->tick();
  const auto& sent = api_.time_series_requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[1].endpoint, wire::Endpoint::historical);
  EXPECT_EQ(sent[1].start, kMidnightHour);
  EXPECT_EQ(sent[1].end, kMidnightHour + 28 * 24h);
  EXPECT_EQ(sent[2].endpoint, wire::Endpoint::historical);
  EXPECT_EQ(sent[2].start, kMidnightHour + 28 * 24h);
  EXPECT_EQ(sent[2].end, kMidnightHour + 40 * 24h);
  // 28 hours before, then 40 whole days of hour-of-day sums (276 each).
  EXPECT_EQ(tally(post(0), EngagementType::impressions), 362u + 40u * 276u);
  EXPECT_EQ(
      tally(post(0), EngagementType::engagements),
      expected_sum(EngagementType::engagements, kMidnightHour - 28h, kMidnightHour + 40 * 24h));
  EXPECT_EQ(published(post(0))->window_28h[wire::index_of(EngagementType::impressions)],
            expected_sum(EngagementType::impressions, kMidnightHour + 40 * 24h - 28h,
                         kMidnightHour + 40 * 24h));
  // Nothing is due until the next hour.
  second->tick();
  EXPECT_EQ(requests(), 3u);
}

TEST_F(HourlyCollectorTest, AGapReportedBy28hrItselfIsFilledBeforeItsHoursAreAdded) {
  auto collector = make(owned_by("acme", 1));
  collector->tick();
  // Within the delay the schedule still asks /28hr, whose window already starts an hour later.
  clock_.set(kMidnight + 29h + 4min);
  collector->tick();
  const auto& sent = api_.time_series_requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[1].endpoint, wire::Endpoint::hr28);
  EXPECT_EQ(sent[2].endpoint, wire::Endpoint::historical);
  EXPECT_EQ(sent[2].start, kMidnightHour);
  EXPECT_EQ(sent[2].end, kMidnightHour + 28h);
  EXPECT_EQ(tally(post(0), EngagementType::impressions),
            expected_sum(EngagementType::impressions, kMidnightHour - 28h, kMidnightHour + 28h));
}

TEST_F(HourlyCollectorTest, AFailedBatchIsRetriedAfterTheFailureDelay) {
  auto collector = make(owned_by("acme", 1));
  api_.push_time_series([](const TimeSeriesRequest&) {
    return testing::time_series_failure(wire::Endpoint::hr28, FailureKind::server, 503,
                                        "28hr: HTTP 503: internal server error");
  });
  EXPECT_FALSE(collector->tick());
  EXPECT_EQ(metric("x_engagement_collector_up", {{"collector", "28hr"}}), 0);
  EXPECT_EQ(log_count("28hr: HTTP 503: internal server error"), 1u);
  clock_.advance(59s);
  collector->tick();
  EXPECT_EQ(requests(), 1u);
  clock_.advance(1s);
  EXPECT_TRUE(collector->tick());
  EXPECT_EQ(requests(), 2u);
  EXPECT_EQ(tally(post(0), EngagementType::impressions), 362u);
}

// X's partial-result variant: the refused Post absorbs nothing (no zero hours in its tally) and
// waits like any refusal; the other Post's hours count as usual.
TEST_F(HourlyCollectorTest, APostRefusedInsideA200AbsorbsNothingAndWaits) {
  HourlyCollectorOptions refusal_waits_2h = options(owned_by("acme", 2));
  refusal_waits_2h.retry_after_refusal = 2h;
  auto collector = make_with(refusal_waits_2h, false);
  api_.push_time_series([](const TimeSeriesRequest& request) {
    auto response = testing::hourly_answer(request, kMidnightHour - 28h, kMidnightHour + 1h,
                                           testing::hourly_value_for);
    std::erase_if(response.counts,
                  [](const HourlyCount& count) { return count.post_id == post(1); });
    response.forbidden = {post(1)};
    response.errors = {"Forbidden to access tweets: " + wire::format_post_id(post(1))};
    return ApiResult<TimeSeriesResponse>{
        ApiExchange{wire::Endpoint::hr28, 200, {}, common::Millis{40}, {}}, std::move(response)};
  });
  EXPECT_TRUE(collector->tick());
  EXPECT_EQ(tally(post(0), EngagementType::impressions), 362u);
  EXPECT_EQ(published(post(1)), nullptr);
  EXPECT_EQ(metric("x_engagement_posts_stripped_total", {{"endpoint", "28hr"}, {"code", "200"}}),
            1);
  EXPECT_EQ(log_count("account=acme code=200 post_ids=" + wire::format_post_id(post(1))), 1u);
  // The next hour asks the owned Post only; the refused one waits its 2 hours.
  clock_.advance(1h);
  collector->tick();
  ASSERT_EQ(requests(), 2u);
  EXPECT_EQ(api_.time_series_requests()[1].post_ids, std::vector<PostId>{post(0)});
}

// The same refusal as an error status (403, or the 400 X's API reference implies) is counted
// under that status; the rest of the batch goes again at the next tick.
TEST_F(HourlyCollectorTest, APostRefusedWithA400WaitsAndTheRestIsAskedAgain) {
  auto collector = make(owned_by("acme", 2));
  api_.push_time_series([](const TimeSeriesRequest&) {
    return testing::time_series_failure(
        wire::Endpoint::hr28, FailureKind::forbidden_posts, 400,
        "28hr: HTTP 400: Forbidden to access tweets: " + wire::format_post_id(post(1)), {post(1)});
  });
  EXPECT_FALSE(collector->tick());
  EXPECT_EQ(metric("x_engagement_posts_stripped_total", {{"endpoint", "28hr"}, {"code", "400"}}),
            1);
  clock_.advance(1s);
  EXPECT_TRUE(collector->tick());
  ASSERT_EQ(requests(), 2u);
  EXPECT_EQ(api_.time_series_requests()[1].post_ids, std::vector<PostId>{post(0)});
  EXPECT_EQ(tally(post(0), EngagementType::impressions), 362u);
}

TEST_F(HourlyCollectorTest, APostLeavingTheConfigurationDisappears) {
  auto collector = make(owned_by("acme", 2), /*with_state=*/true);
  collector->tick();
  collector->set_posts(owned_by("acme", 1));
  collector->tick();
  EXPECT_EQ(store_.snapshot().hourly->posts.size(), 1u);
  EXPECT_EQ(published(post(1)), nullptr);
  EXPECT_EQ(state_.section("hourly")->find(wire::format_post_id(post(1))), std::string::npos);
}

TEST_F(HourlyCollectorTest, PostsWhoseTokensAreGoneKeepTheirTalliesButAreNotAsked) {
  auto posts = owned_by("acme", 1);
  posts.push_back({post(1), "globex"});
  auto collector = make(posts);
  collector->tick();
  collector->set_credentials({{"globex", kGlobex}});
  clock_.set(kMidnight + 1h + 5min);
  collector->tick();
  ASSERT_EQ(requests(), 3u);
  EXPECT_EQ(api_.time_series_requests()[2].account, "globex");
  EXPECT_EQ(tally(post(0), EngagementType::impressions), 362u);  // kept, not asked
  collector->set_credentials({{"acme", kAcme}, {"globex", kGlobex}});
  collector->tick();
  EXPECT_EQ(requests(), 4u);
  EXPECT_EQ(tally(post(0), EngagementType::favorites), 362u + 56u + 2u);  // 00:00 added once
}

TEST_F(HourlyCollectorTest, ACorruptStateFileIsMovedAsideAndTalliesStartAfresh) {
  state::testing::write_text(state_.path(), "{\"version\":1,");
  auto collector = make(owned_by("acme", 1), /*with_state=*/true);
  EXPECT_EQ(metric("x_engagement_state_file_ok", {{"operation", "load"}}), 0);
  EXPECT_EQ(log_count("state file unreadable; moved aside"), 1u);
  EXPECT_TRUE(std::filesystem::exists(state_.path() + ".corrupt-20261120T000500Z"));
  collector->tick();
  EXPECT_EQ(tally(post(0), EngagementType::impressions), 362u);
  EXPECT_EQ(metric("x_engagement_state_file_ok", {{"operation", "save"}}), 1);
}

TEST_F(HourlyCollectorTest, AnUnreadableHourlySectionStartsAfresh) {
  state::testing::write_text(state_.path(),
                             R"({"version":1,"sections":{"hourly":{"posts":7},"other":[]}})");
  auto collector = make(owned_by("acme", 1), /*with_state=*/true);
  EXPECT_EQ(log_count("problem=\"missing or non-array \\\"posts\\\"\""), 1u);
  collector->tick();
  EXPECT_EQ(tally(post(0), EngagementType::impressions), 362u);
  // Other parts' sections are kept.
  EXPECT_EQ(state_.section("other"), "[]");
}

}  // namespace
}  // namespace xee::collectors

// The client's /28hr and /historical against the simulator frozen at the demo clock: every hour
// of every type decodes to exactly the World's value, and the hours add up to its totals.

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "collectors/client/http_transport.h"
#include "collectors/client/x_api_client.h"
#include "common/time_format.h"
#include "simulator/world/world.h"
#include "tests/integration/stack.h"

namespace xee::test_stack {
namespace {

using collectors::FailureKind;
using collectors::HourlyCount;
using collectors::TimeSeriesRequest;
using collectors::TimeSeriesResponse;
using collectors::UserAuth;
using std::chrono::hours;
using wire::EngagementType;

const UserAuth kAcme{"acme",
                     {"demo-consumer-key", "demo-consumer-secret", "1000001-acme-demo-token",
                      "acme-demo-token-secret"}};
const std::vector<EngagementType> kSeventeen(wire::kTimeSeriesTypes.begin(),
                                             wire::kTimeSeriesTypes.end());

std::chrono::sys_seconds at(std::string_view iso) {
  return common::parse_iso8601(iso).value();
}

class TimeSeriesAgainstSimulator : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto simulator = Simulator::start(make_temp_dir("time_series_client"));
    ASSERT_TRUE(simulator) << simulator.error().message;
    simulator_ = new Simulator(std::move(*simulator));
  }
  static void TearDownTestSuite() {
    delete simulator_;
    simulator_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(simulator_, nullptr);
    client_.emplace(transport_, simulator_->url(), wall_clock_);
  }

  // acme's Posts created in [from, to), oldest first, at most `limit`.
  std::vector<simulator::Post> acme_posts(std::chrono::sys_seconds from,
                                          std::chrono::sys_seconds to,
                                          std::size_t limit = wire::kTimeSeriesMaxIds) const {
    std::vector<simulator::Post> posts;
    for (auto& post : world_.posts_between(from, to)) {
      if (post.author_handle == "acme") posts.push_back(std::move(post));
    }
    std::reverse(posts.begin(), posts.end());
    if (posts.size() > limit) posts.resize(limit);
    return posts;
  }

  // What the simulator must answer for `posts` over [start, end): every hour, every type.
  std::vector<HourlyCount> world_hours(const std::vector<simulator::Post>& posts,
                                       std::chrono::sys_seconds start,
                                       std::chrono::sys_seconds end) const {
    std::vector<HourlyCount> expected;
    auto sorted = posts;
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    for (const auto& post : sorted) {
      for (const EngagementType type : wire::kTimeSeriesTypes) {
        for (auto hour = start; hour < end; hour += hours{1}) {
          expected.push_back({post.id, type, hour, world_.hourly(post, type, hour, now_)});
        }
      }
    }
    // kTimeSeriesTypes is in enum order, as the decoded counts are.
    return expected;
  }

  static std::vector<wire::PostId> ids_of(const std::vector<simulator::Post>& posts) {
    std::vector<wire::PostId> ids;
    for (const auto& post : posts) ids.push_back(post.id);
    return ids;
  }

  static Simulator* simulator_;
  const simulator::World world_{simulator::demo_world()};
  const std::chrono::sys_seconds now_ = at(kDemoClockStart);
  common::SystemClock wall_clock_;
  collectors::client::CurlTransport transport_;
  std::optional<collectors::client::XApiClient> client_;
};

Simulator* TimeSeriesAgainstSimulator::simulator_ = nullptr;

TEST_F(TimeSeriesAgainstSimulator, Last28HoursIsTheWorldsHourlySeriesExactly) {
  const auto posts = acme_posts(now_ - std::chrono::days{3}, now_);
  ASSERT_EQ(posts.size(), 18u);  // 6 a day
  const auto result =
      client_->last_28_hours(TimeSeriesRequest{ids_of(posts), kSeventeen, kAcme, {}, {}});
  ASSERT_TRUE(result.value) << result.value.error().message;
  EXPECT_EQ(result.exchange.http_status, 200);
  // The current hour (still filling) and the 28 before it.
  EXPECT_EQ(result.value->start, at("2026-11-18T20:00:00Z"));
  EXPECT_EQ(result.value->end, at("2026-11-20T01:00:00Z"));
  EXPECT_EQ(result.value->counts, world_hours(posts, result.value->start, result.value->end));
  EXPECT_TRUE(result.value->unavailable.empty());
}

TEST_F(TimeSeriesAgainstSimulator, HistoricalIsTheWorldsHourlySeriesAndAddsUpToItsTotals) {
  const auto start = at("2026-11-10T00:00:00Z");
  const auto end = at("2026-11-17T00:00:00Z");
  // Two Posts older than the window and the rest created inside it.
  auto posts = acme_posts(start - std::chrono::days{1}, end, 2);
  const auto inside = acme_posts(start, end, wire::kTimeSeriesMaxIds - 2);
  posts.insert(posts.end(), inside.begin(), inside.end());
  ASSERT_EQ(posts.size(), wire::kTimeSeriesMaxIds);
  const auto result =
      client_->historical(TimeSeriesRequest{ids_of(posts), kSeventeen, kAcme, start, end});
  ASSERT_TRUE(result.value) << result.value.error().message;
  EXPECT_EQ(result.value->start, start);
  EXPECT_EQ(result.value->end, end);
  EXPECT_EQ(result.value->counts, world_hours(posts, start, end));

  for (const auto& post : inside) {
    for (const EngagementType type : wire::kTimeSeriesTypes) {
      std::uint64_t sum = 0;
      for (const HourlyCount& count : result.value->counts) {
        if (count.post_id == post.id && count.type == type) sum += count.value;
      }
      EXPECT_EQ(sum, world_.cumulative(post, type, end))
          << wire::format_post_id(post.id) << " " << wire::to_string(type);
    }
  }
  // Not a window of zeros: the sums above compare real engagement.
  EXPECT_GT(world_.cumulative(inside.front(), EngagementType::impressions, end), 0u);
}

TEST_F(TimeSeriesAgainstSimulator, AnotherAccountsPostIsForbiddenWithItsId) {
  const auto acme = acme_posts(now_ - std::chrono::days{1}, now_, 1);
  std::optional<wire::PostId> globex;
  for (const auto& post : world_.posts_between(now_ - std::chrono::days{1}, now_)) {
    if (post.author_handle == "globex") globex = post.id;
  }
  ASSERT_EQ(acme.size(), 1u);
  ASSERT_TRUE(globex);
  for (const bool historical : {false, true}) {
    const TimeSeriesRequest request{{acme.front().id, *globex}, kSeventeen, kAcme, {}, {}};
    const auto result = historical ? client_->historical(request) : client_->last_28_hours(request);
    ASSERT_FALSE(result.value);
    EXPECT_EQ(result.exchange.http_status, 403);
    EXPECT_EQ(result.value.error().kind, FailureKind::forbidden_posts);
    EXPECT_EQ(result.value.error().forbidden_post_ids, std::vector<wire::PostId>{*globex});
  }
}

// TimeSeriesRequest carries UserAuth only, so app-only auth shows up as a user auth without the
// owner's token; it is refused before anything is sent.
TEST_F(TimeSeriesAgainstSimulator, AppOnlyAuthIsRefusedBeforeSending) {
  const auto acme = acme_posts(now_ - std::chrono::days{1}, now_, 1);
  ASSERT_EQ(acme.size(), 1u);
  UserAuth app_only = kAcme;
  app_only.credentials.token.clear();
  app_only.credentials.token_secret.clear();
  const auto result =
      client_->last_28_hours(TimeSeriesRequest{{acme.front().id}, kSeventeen, app_only, {}, {}});
  ASSERT_FALSE(result.value);
  EXPECT_EQ(result.exchange.http_status, 0);
  EXPECT_EQ(result.value.error().kind, FailureKind::bad_request);
}

}  // namespace
}  // namespace xee::test_stack

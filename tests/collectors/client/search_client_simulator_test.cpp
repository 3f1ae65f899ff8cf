// The search client against the real x_api_simulator over HTTP, frozen at the demo clock: queries
// built by wire/search_query.h find exactly the Posts of the simulator's World (seed 42), pages
// walk them once, since_id and start_time bound them, and X's window headers and problems arrive.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "collectors/client/http_transport.h"
#include "collectors/client/search_client.h"
#include "common/time_format.h"
#include "simulator/world/world.h"
#include "tests/integration/stack.h"
#include "wire/api_limits.h"
#include "wire/search_query.h"

namespace xee::collectors::client {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kBearerToken = "demo-bearer-token";
// The first Post of "#launchday -is:retweet" in fixtures/search/page_with_next_token.json,
// recorded from the simulator: ties the World computation below to an independent record.
constexpr wire::PostId kNewestLaunchdayPost = 2123565960884390364u;

std::chrono::sys_seconds demo_now() {
  return common::parse_iso8601(test_stack::kDemoClockStart).value();
}

SearchRequest request_for(std::string query) {
  SearchRequest request;
  request.query = std::move(query);
  request.max_results = wire::kSearchMaxResults;
  request.auth.token = std::string(kBearerToken);
  return request;
}

// What the simulator must find for `keep` at the demo clock: X's default window, the last 7 days
// up to 30 s ago, newest first.
template <typename Keep>
std::vector<FoundPost> world_posts(Keep keep) {
  const simulator::World world(simulator::demo_world());
  const auto now = demo_now();
  std::vector<FoundPost> found;
  for (const auto& post :
       world.posts_between(now - wire::kSearchWindow, now - wire::kSearchDefaultEndLag)) {
    if (!keep(post)) continue;
    found.push_back({post.id, std::chrono::floor<std::chrono::seconds>(post.created),
                     std::to_string(post.author_id), post.author_handle});
  }
  return found;
}

bool tagged_launchday(const simulator::Post& post) {
  return std::find(post.hashtags.begin(), post.hashtags.end(), "launchday") != post.hashtags.end();
}

class SearchClientAgainstSimulator : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto simulator = test_stack::Simulator::start(test_stack::make_temp_dir("search_client"));
    ASSERT_TRUE(simulator) << simulator.error().message;
    simulator_ = new test_stack::Simulator(std::move(*simulator));
  }
  static void TearDownTestSuite() {
    delete simulator_;
    simulator_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(simulator_, nullptr);
    client_.emplace(transport_, simulator_->url());
  }

  // Every page of `request`, following next_token; fails the test on a failed page.
  std::vector<SearchPage> all_pages(SearchRequest request) {
    std::vector<SearchPage> pages;
    for (int guard = 0; guard < 100; ++guard) {
      auto result = client_->search_recent(request);
      if (!result.value) {
        ADD_FAILURE() << result.value.error().message;
        break;
      }
      pages.push_back(std::move(*result.value));
      if (!pages.back().next_token) break;
      request.next_token = pages.back().next_token;
    }
    return pages;
  }

  static test_stack::Simulator* simulator_;
  CurlTransport transport_;
  std::optional<SearchClient> client_;
};

test_stack::Simulator* SearchClientAgainstSimulator::simulator_ = nullptr;

TEST_F(SearchClientAgainstSimulator, HashtagPageIsTheWorldsNewestPosts) {
  const auto query = wire::hashtag_query("launchday", "-is:retweet");
  ASSERT_TRUE(query) << query.error().message;
  const auto result = client_->search_recent(request_for(*query));
  ASSERT_TRUE(result.value) << result.value.error().message;
  const auto expected = world_posts(&tagged_launchday);
  ASSERT_GT(expected.size(), wire::kSearchMaxResults);
  const std::vector<FoundPost> first_hundred(expected.begin(),
                                             expected.begin() + wire::kSearchMaxResults);
  EXPECT_EQ(result.value->posts, first_hundred);
  EXPECT_EQ(result.value->posts.front().id, kNewestLaunchdayPost);
  EXPECT_EQ(result.value->posts.front().author_handle, "user_2232");
  EXPECT_EQ(result.value->result_count, wire::kSearchMaxResults);
  EXPECT_EQ(result.value->newest_id, expected.front().id);
  EXPECT_EQ(result.value->oldest_id, expected[wire::kSearchMaxResults - 1].id);
  EXPECT_TRUE(result.value->next_token);
  EXPECT_EQ(result.exchange.http_status, 200);
}

TEST_F(SearchClientAgainstSimulator, NextTokenWalksEveryPostOnce) {
  const auto pages = all_pages(request_for(wire::hashtag_query("launchday", "").value()));
  const auto expected = world_posts(&tagged_launchday);
  std::vector<FoundPost> walked;
  std::set<wire::PostId> distinct;
  for (const SearchPage& page : pages) {
    EXPECT_EQ(page.result_count, page.posts.size());
    for (const FoundPost& post : page.posts) {
      walked.push_back(post);
      distinct.insert(post.id);
    }
  }
  EXPECT_EQ(walked, expected);
  EXPECT_EQ(distinct.size(), walked.size());
  EXPECT_EQ(pages.size(),
            (expected.size() + wire::kSearchMaxResults - 1) / wire::kSearchMaxResults);
  // The account streams tag some of their Posts too, so they are found beside the public ones.
  EXPECT_TRUE(std::any_of(walked.begin(), walked.end(),
                          [](const FoundPost& post) { return post.author_handle == "acme"; }));
  EXPECT_TRUE(std::any_of(walked.begin(), walked.end(),
                          [](const FoundPost& post) { return post.author_handle == "globex"; }));
}

TEST_F(SearchClientAgainstSimulator, AccountQueryFindsOnlyItsPosts) {
  const auto pages = all_pages(request_for(wire::account_query("globex", "").value()));
  std::vector<FoundPost> walked;
  for (const SearchPage& page : pages)
    walked.insert(walked.end(), page.posts.begin(), page.posts.end());
  const auto expected =
      world_posts([](const simulator::Post& post) { return post.author_handle == "globex"; });
  EXPECT_EQ(walked, expected);
  ASSERT_EQ(walked.size(), 21u);
  // fixtures/search/last_page.json: the oldest of them, recorded as the last of three pages of 10.
  EXPECT_EQ(walked.back().id, 2121083617210799041u);
  EXPECT_EQ(walked.back().author_id, "1000002");
}

TEST_F(SearchClientAgainstSimulator, SinceIdReturnsOnlyNewerPosts) {
  const auto expected = world_posts(&tagged_launchday);
  SearchRequest request = request_for("#launchday");
  request.since_id = expected[30].id;
  // since_id wins over start_time (X refuses the pair); the simulator would answer 400 otherwise.
  request.start_time = demo_now() - 24h;
  const auto result = client_->search_recent(request);
  ASSERT_TRUE(result.value) << result.value.error().message;
  EXPECT_EQ(result.value->posts, std::vector<FoundPost>(expected.begin(), expected.begin() + 30));
  EXPECT_EQ(result.value->next_token, std::nullopt);
}

TEST_F(SearchClientAgainstSimulator, StartTimeBoundsTheFirstLookBack) {
  SearchRequest request = request_for("#launchday");
  request.start_time = demo_now() - 2h;
  const auto result = client_->search_recent(request);
  ASSERT_TRUE(result.value) << result.value.error().message;
  const auto expected = world_posts([](const simulator::Post& post) {
    return tagged_launchday(post) && post.created >= demo_now() - 2h;
  });
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(result.value->posts, expected);
}

TEST_F(SearchClientAgainstSimulator, WindowHeadersCountDownPerRequest) {
  const auto first = client_->search_recent(request_for("#nosuchtag"));
  const auto second = client_->search_recent(request_for("#nosuchtag"));
  ASSERT_TRUE(first.value) << first.value.error().message;
  ASSERT_TRUE(second.value) << second.value.error().message;
  EXPECT_TRUE(second.value->posts.empty());
  EXPECT_EQ(first.exchange.rate_limit.window_limit, wire::kSearchRequestsPerWindow);
  EXPECT_EQ(second.exchange.rate_limit.window_limit, wire::kSearchRequestsPerWindow);
  ASSERT_TRUE(first.exchange.rate_limit.window_remaining);
  EXPECT_EQ(second.exchange.rate_limit.window_remaining,
            *first.exchange.rate_limit.window_remaining - 1);
  ASSERT_TRUE(second.exchange.rate_limit.window_reset_unix);
  EXPECT_EQ(second.exchange.rate_limit.window_reset_unix,
            first.exchange.rate_limit.window_reset_unix);
  // The simulator keeps the window on the wall clock, so the reset is within 15 minutes of now.
  const auto wall_now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  EXPECT_GE(*second.exchange.rate_limit.window_reset_unix, wall_now - 1);
  EXPECT_LE(*second.exchange.rate_limit.window_reset_unix,
            wall_now + std::chrono::seconds(wire::kSearchRateWindow).count() + 1);
  EXPECT_EQ(second.exchange.rate_limit.minute_limit, std::nullopt);
}

TEST_F(SearchClientAgainstSimulator, RefusedQueryNamesTheProblem) {
  const auto result = client_->search_recent(request_for("("));
  ASSERT_FALSE(result.value);
  EXPECT_EQ(result.value.error().kind, FailureKind::bad_request);
  EXPECT_EQ(result.exchange.http_status, 400);
  EXPECT_EQ(result.value.error().message,
            "search: HTTP 400: Invalid Request: Unsupported query syntax '(': the simulator "
            "supports #hashtag, from:handle, lang:xx, is:retweet, a leading - to negate them, and "
            "spaces for AND");
}

TEST_F(SearchClientAgainstSimulator, WrongBearerTokenIsAnAuthFailure) {
  SearchRequest request = request_for("#launchday");
  request.auth.token = "not-the-demo-token";
  const auto result = client_->search_recent(request);
  ASSERT_FALSE(result.value);
  EXPECT_EQ(result.value.error().kind, FailureKind::auth);
  EXPECT_EQ(result.exchange.http_status, 401);
  EXPECT_EQ(result.value.error().message, "search: HTTP 401: Unauthorized");
}

}  // namespace
}  // namespace xee::collectors::client

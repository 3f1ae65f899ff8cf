#include "collectors/request_pacer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "metric_reader.h"

namespace xee::collectors {
namespace {

using namespace std::chrono_literals;
using common::Millis;
using testing::metric_value;

const common::TimePoint kStart = std::chrono::sys_days{std::chrono::year{2026} / 11 / 20};

std::int64_t unix_at(common::TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

// X's view of one window; no reset time when X sent none.
struct Window {
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::optional<std::int64_t> reset_unix{};
};

RateLimitHeaders headers(std::optional<Window> minute, std::optional<Window> second = {}) {
  RateLimitHeaders result;
  if (minute) {
    result.minute_limit = minute->limit;
    result.minute_remaining = minute->remaining;
    result.minute_reset_unix = minute->reset_unix;
  }
  if (second) {
    result.second_limit = second->limit;
    result.second_remaining = second->remaining;
    result.second_reset_unix = second->reset_unix;
  }
  return result;
}

class RequestPacerTest : public ::testing::Test {
 protected:
  // Every wait is recorded and passes instantly on the manual clock.
  std::unique_ptr<RequestPacer> make_pacer(std::int64_t budget) {
    return std::make_unique<RequestPacer>(
        clock_,
        [this](Millis duration) {
          sleeps_.push_back(duration);
          clock_.advance(duration);
          return false;
        },
        telemetry_, RequestPacerOptions{.budget_per_minute = budget});
  }

  // When each of `count` acquires returned, as offsets from the start.
  std::vector<Millis> acquire_offsets(RequestPacer& pacer, int count) {
    std::vector<Millis> offsets;
    for (int i = 0; i < count; ++i) {
      EXPECT_TRUE(pacer.acquire());
      offsets.push_back(clock_.now() - kStart);
    }
    return offsets;
  }

  double budget_gauge() const {
    return metric_value(telemetry_, "x_engagement_request_budget_per_minute").value_or(-1);
  }

  common::ManualClock clock_{kStart};
  store::Telemetry telemetry_{store::BuildInfo{"test", "test", "test"}};
  std::vector<Millis> sleeps_;
};

TEST_F(RequestPacerTest, NeverSendsMoreThanTheBudgetInAnySixtySeconds) {
  auto pacer = make_pacer(3);
  const auto offsets = acquire_offsets(*pacer, 10);
  EXPECT_EQ(offsets, (std::vector<Millis>{0s, 0s, 0s, 60s, 60s, 60s, 120s, 120s, 120s, 180s}));
  for (std::size_t i = 0; i + 3 < offsets.size(); ++i) EXPECT_GE(offsets[i + 3] - offsets[i], 60s);
  EXPECT_EQ(budget_gauge(), 3);
}

TEST_F(RequestPacerTest, WindowSlidesWithEachSendInsteadOfCalendarMinutes) {
  auto pacer = make_pacer(3);
  ASSERT_TRUE(pacer->acquire());  // t = 0
  clock_.advance(20s);
  ASSERT_TRUE(pacer->acquire());  // t = 20
  clock_.advance(20s);
  ASSERT_TRUE(pacer->acquire());  // t = 40
  clock_.advance(5s);
  ASSERT_TRUE(pacer->acquire());  // the send of t = 0 leaves the window at t = 60
  EXPECT_EQ(clock_.now() - kStart, 60s);
  ASSERT_TRUE(pacer->acquire());  // the send of t = 20 leaves it at t = 80
  EXPECT_EQ(clock_.now() - kStart, 80s);
  EXPECT_EQ(sleeps_, (std::vector<Millis>{15s, 20s}));
}

TEST_F(RequestPacerTest, XsLowerPerMinuteLimitLowersTheBudgetAndAHigherOneDoesNotRaiseIt) {
  auto pacer = make_pacer(10);
  EXPECT_EQ(budget_gauge(), 10);
  pacer->observe(headers(Window{100, 99}));
  EXPECT_EQ(pacer->effective_budget(), 10);
  pacer->observe(headers(Window{2, 1}));
  EXPECT_EQ(pacer->effective_budget(), 2);
  EXPECT_EQ(budget_gauge(), 2);
  EXPECT_EQ(acquire_offsets(*pacer, 3), (std::vector<Millis>{0s, 0s, 60s}));
}

TEST_F(RequestPacerTest, WaitsUntilXsResetPlusTheMarginWhenNoRequestRemains) {
  auto pacer = make_pacer(60);
  pacer->observe(headers(Window{60, 0, unix_at(kStart + 20s)}));
  ASSERT_TRUE(pacer->acquire());
  EXPECT_EQ(sleeps_, (std::vector<Millis>{21s}));
}

TEST_F(RequestPacerTest, AResetFarInTheFutureWaitsAtMostOneWindow) {
  // X's clock (or the simulator's accelerated one) may disagree with ours; a per-minute window
  // resets within a minute whatever the header says.
  auto pacer = make_pacer(60);
  pacer->observe(headers(Window{60, 0, unix_at(kStart + std::chrono::days{200})}));
  ASSERT_TRUE(pacer->acquire());
  EXPECT_EQ(sleeps_, (std::vector<Millis>{61s}));
}

TEST_F(RequestPacerTest, AResetInThePastWaitsOnlyTheMargin) {
  auto pacer = make_pacer(60);
  pacer->observe(headers(Window{60, 0, unix_at(kStart - 5s)}));
  ASSERT_TRUE(pacer->acquire());
  EXPECT_EQ(sleeps_, (std::vector<Millis>{1s}));
}

TEST_F(RequestPacerTest, KeepsWithinXsPerSecondLimit) {
  auto pacer = make_pacer(60);
  pacer->observe(headers({}, Window{2, 1}));
  EXPECT_EQ(acquire_offsets(*pacer, 3), (std::vector<Millis>{0s, 0s, 1s}));
  pacer->observe(headers({}, Window{2, 0, unix_at(clock_.now() + 1s)}));
  ASSERT_TRUE(pacer->acquire());
  EXPECT_EQ(sleeps_, (std::vector<Millis>{1s, 2s}));
}

TEST_F(RequestPacerTest, ALimitOfZeroIsNotEnforced) {
  auto pacer = make_pacer(60);
  pacer->observe(headers({}, Window{0, 0}));
  EXPECT_EQ(acquire_offsets(*pacer, 5), (std::vector<Millis>{0s, 0s, 0s, 0s, 0s}));
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(RequestPacerTest, ARateLimitedAnswerBlocksUntilXsReset) {
  auto pacer = make_pacer(60);
  pacer->on_rate_limited(unix_at(kStart + 30s));
  ASSERT_TRUE(pacer->acquire());
  EXPECT_EQ(clock_.now() - kStart, 31s);
}

TEST_F(RequestPacerTest, ARateLimitedAnswerWithoutResetBlocksSixtySeconds) {
  auto pacer = make_pacer(60);
  pacer->on_rate_limited(std::nullopt);
  ASSERT_TRUE(pacer->acquire());
  EXPECT_EQ(sleeps_, (std::vector<Millis>{60s}));
}

TEST_F(RequestPacerTest, ANewBudgetAppliesAtOnce) {
  auto pacer = make_pacer(1);
  pacer->set_budget(2);
  EXPECT_EQ(budget_gauge(), 2);
  EXPECT_EQ(acquire_offsets(*pacer, 3), (std::vector<Millis>{0s, 0s, 60s}));
}

TEST_F(RequestPacerTest, StopCutsAWaitShort) {
  common::StopSignal stop;
  std::promise<void> waiting;
  RequestPacer pacer(
      clock_,
      [&](Millis duration) {
        waiting.set_value();
        return stop.wait_for(duration);
      },
      telemetry_, RequestPacerOptions{.budget_per_minute = 1});
  ASSERT_TRUE(pacer.acquire());

  const auto started = std::chrono::steady_clock::now();
  auto second = std::async(std::launch::async, [&] { return pacer.acquire(); });
  waiting.get_future().wait();  // the second acquire is inside its 60 s wait
  stop.request_stop();
  EXPECT_FALSE(second.get());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

TEST_F(RequestPacerTest, NoRequestStartsOnceStopIsRequestedEvenWithRoomInTheBudget) {
  common::StopSignal stop;
  RequestPacer pacer(
      clock_, [](Millis) { return false; }, telemetry_,
      RequestPacerOptions{.budget_per_minute = 60, .stop = &stop});
  EXPECT_TRUE(pacer.acquire());
  stop.request_stop();
  EXPECT_FALSE(pacer.acquire());
  EXPECT_FALSE(pacer.acquire());
}

}  // namespace
}  // namespace xee::collectors

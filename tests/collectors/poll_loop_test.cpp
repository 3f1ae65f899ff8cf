#include "collectors/poll_loop.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <vector>

namespace xee::collectors {
namespace {

using namespace std::chrono_literals;
using common::Millis;

const common::TimePoint kStart = std::chrono::sys_days{std::chrono::year{2026} / 11 / 20};

// What the loop did, recorded from its thread and read by the test after the loop is gone.
struct LoopRecord {
  std::mutex mutex;
  std::vector<Millis> round_starts;
  std::vector<bool> ready_at_round_start;
  std::vector<Millis> waits;
};

TEST(PollLoop, RunsAtOnceThenOncePerIntervalFromRoundStartToRoundStart) {
  common::ManualClock clock(kStart);
  common::StopSignal stop;
  LoopRecord record;
  std::promise<void> third_wait;
  std::optional<PollLoop> loop;
  {
    std::lock_guard lock(record.mutex);  // the loop starts before `loop` is assigned
    loop.emplace(
        [&] {
          std::lock_guard inner(record.mutex);
          record.round_starts.push_back(clock.now() - kStart);
          record.ready_at_round_start.push_back(loop->ready());
          clock.advance(2s);                       // each round takes 2 s
          return record.round_starts.size() >= 2;  // the first round fails
        },
        10s, clock, stop,
        [&](Millis wait) {
          std::lock_guard inner(record.mutex);
          record.waits.push_back(wait);
          clock.advance(wait);
          if (record.waits.size() == 3) {
            third_wait.set_value();
            return true;  // as if stopped during the third wait
          }
          return false;
        });
  }
  third_wait.get_future().wait();
  loop.reset();

  EXPECT_EQ(record.round_starts, (std::vector<Millis>{0s, 10s, 20s}));
  EXPECT_EQ(record.waits, (std::vector<Millis>{8s, 8s, 8s}));
  EXPECT_EQ(record.ready_at_round_start, (std::vector<bool>{false, false, true}));
}

TEST(PollLoop, ARoundLongerThanTheIntervalIsFollowedAtOnce) {
  common::ManualClock clock(kStart);
  common::StopSignal stop;
  std::promise<Millis> first_wait;
  PollLoop loop(
      [&] {
        clock.advance(15s);
        return true;
      },
      10s, clock, stop,
      [&](Millis wait) {
        first_wait.set_value(wait);
        return true;
      });
  EXPECT_EQ(first_wait.get_future().get(), 0s);
}

TEST(PollLoop, BecomesReadyAfterTheFirstSuccessfulRoundAndStopsPromptly) {
  common::SystemClock clock;
  common::StopSignal stop;
  std::promise<void> first_round;
  int rounds = 0;
  const auto started = std::chrono::steady_clock::now();
  {
    PollLoop loop(
        [&] {
          if (++rounds == 1) first_round.set_value();
          return true;
        },
        1h, clock, stop);
    first_round.get_future().wait();
    // ready() is set right after the round returns; poll for it rather than sleep.
    while (!loop.ready()) std::this_thread::yield();
  }  // the destructor stops the hour-long wait and joins
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(rounds, 1);
  EXPECT_TRUE(stop.stop_requested());
}

}  // namespace
}  // namespace xee::collectors

namespace xee::collectors {
namespace {

TEST(PollLoopWake, CutsTheWaitShortSoTheNextRoundRunsNow) {
  common::SystemClock clock;
  common::StopSignal stop;
  std::mutex mutex;
  std::condition_variable rounds_changed;
  int rounds = 0;
  PollLoop loop(
      [&] {
        {
          std::lock_guard lock(mutex);
          ++rounds;
        }
        rounds_changed.notify_all();
        return true;
      },
      std::chrono::hours{1}, clock, stop);
  const auto reached = [&](int count) {
    std::unique_lock lock(mutex);
    return rounds_changed.wait_for(lock, std::chrono::seconds{10},
                                   [&] { return rounds >= count; });
  };
  ASSERT_TRUE(reached(1));
  // Without wake() the second round would wait an hour.
  loop.wake();
  EXPECT_TRUE(reached(2));
  loop.wake();
  EXPECT_TRUE(reached(3));
  std::lock_guard lock(mutex);
  EXPECT_EQ(rounds, 3);
}

TEST(PollLoopWake, WithAnInjectedSleeperTheRoundAfterTheWaitSkipsItsWait) {
  common::ManualClock clock(std::chrono::sys_days{std::chrono::year{2026} / 11 / 20});
  common::StopSignal stop;
  std::mutex mutex;
  std::vector<common::Millis> waits;
  std::promise<void> second_round;
  int rounds = 0;
  std::optional<PollLoop> loop;
  {
    std::lock_guard guard(mutex);
    loop.emplace(
        [&] {
          std::lock_guard lock(mutex);
          if (++rounds == 1) loop->wake();  // a wake during the round: no wait after it
          if (rounds == 2) second_round.set_value();
          return true;
        },
        common::Millis{60000}, clock, stop,
        [&](common::Millis duration) {
          std::lock_guard lock(mutex);
          waits.push_back(duration);
          return rounds >= 2;  // stop after the second round
        });
  }
  second_round.get_future().wait();
  loop.reset();
  std::lock_guard lock(mutex);
  EXPECT_EQ(rounds, 2);
  EXPECT_EQ(waits.size(), 1u);  // only after the second round
}

}  // namespace
}  // namespace xee::collectors

// The hourly collector against the simulator over real HTTP: last-hour, 28-hour and tally values
// equal to the simulator's own hourly model, kept without double counting across a restart.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "common/time_format.h"
#include "simulator/world/world.h"
#include "tests/integration/stack.h"

namespace xee::test_stack {
namespace {

using namespace std::chrono_literals;
using wire::EngagementType;

const std::string kConfigTemplate = read_text_file(XEE_TEST_DIR "/configs/hourly.toml");
constexpr auto kStartTimeout = 60s;
const std::vector<wire::PostId> kPosts{2123222773114340474ULL, 2123521096312426148ULL,
                                       2087272001008830085ULL, 2123482310501211442ULL};

const simulator::World& world() {
  static const simulator::World demo(simulator::demo_world());
  return demo;
}

// The simulator's count of `type` for the Post over the hours [from, to), seen at `now`.
std::uint64_t world_hours(wire::PostId id, EngagementType type, common::Seconds from,
                          common::Seconds to, common::Seconds now) {
  const auto post = world().find_post(id, now);
  if (!post) return 0;
  std::uint64_t sum = 0;
  for (auto hour = from; hour < to; hour += 1h) {
    sum += world().hourly(*post, type, hour, now);
  }
  return sum;
}

std::string series(std::string_view family, wire::PostId id, EngagementType type) {
  std::string text = std::string(family) + "{post_id=\"" + wire::format_post_id(id) + "\"";
  if (type != EngagementType::impressions && type != EngagementType::engagements) {
    text += ",engagement_type=\"" + std::string(wire::to_string(type)) + "\"";
  }
  return text + "}";
}

// The family of `window` ("last_hour", "28h", "tally") that holds `type`.
std::string family(std::string_view window, EngagementType type) {
  const std::string kind = type == EngagementType::impressions   ? "impressions"
                           : type == EngagementType::engagements ? "engagements"
                                                                 : "interactions";
  return "x_engagement_post_" + std::string(window) + "_" + kind;
}

class HourlyAgainstSimulator : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = make_temp_dir("hourly"); }

  void start_simulator() {
    auto simulator = Simulator::start(dir_);
    ASSERT_TRUE(simulator) << simulator.error().message;
    simulator_.emplace(std::move(*simulator));
  }

  void start_exporter() {
    auto exporter = Exporter::start(dir_, kConfigTemplate, simulator_->url());
    ASSERT_TRUE(exporter) << exporter.error().message;
    exporter_.emplace(std::move(*exporter));
    ASSERT_TRUE(exporter_->wait_ready(kStartTimeout)) << exporter_->process().read_stderr();
  }

  // Waits until every Post's last-hour series is published.
  bool hourly_published() {
    return eventually(
        [&] {
          const std::string metrics = exporter_->metrics();
          for (const wire::PostId id : kPosts) {
            const auto start = sample_value(
                metrics, "x_engagement_post_last_hour_start_timestamp_seconds{post_id=\"" +
                             wire::format_post_id(id) + "\"}");
            if (!start) return false;
          }
          return true;
        },
        kStartTimeout);
  }

  // Last hour and 28 hours before `now`; the tally over every hour since `tracked_from`.
  void expect_world_values(const std::string& metrics, common::Seconds now,
                           common::Seconds tracked_from) {
    const common::Seconds until = common::floor_hour(now);
    for (const wire::PostId id : kPosts) {
      for (const EngagementType type : wire::kTimeSeriesTypes) {
        const std::string name =
            wire::format_post_id(id) + " " + std::string(wire::to_string(type));
        EXPECT_EQ(sample_value(metrics, series(family("last_hour", type), id, type)),
                  world_hours(id, type, until - 1h, until, now))
            << name;
        EXPECT_EQ(sample_value(metrics, series(family("28h", type), id, type)),
                  world_hours(id, type, until - 28h, until, now))
            << name;
        EXPECT_EQ(sample_value(metrics, series(family("tally", type), id, type)),
                  world_hours(id, type, tracked_from, until, now))
            << name;
      }
    }
  }

  std::string dir_;
  std::optional<Simulator> simulator_;
  std::optional<Exporter> exporter_;
};

const common::Seconds kDemoNow = common::parse_iso8601(kDemoClockStart).value();

TEST_F(HourlyAgainstSimulator, PublishesTheSimulatorsExactHourlyValues) {
  start_simulator();
  start_exporter();
  ASSERT_TRUE(hourly_published()) << exporter_->process().read_stderr();
  const std::string metrics = exporter_->metrics();
  expect_world_values(metrics, kDemoNow, kDemoNow - 28h);

  // A Post created inside the window: its tally of hours is its lifetime total.
  const auto young = world().find_post(2123222773114340474ULL, kDemoNow);
  ASSERT_TRUE(young);
  EXPECT_EQ(sample_value(metrics, series("x_engagement_post_tally_impressions",
                                         2123222773114340474ULL, EngagementType::impressions)),
            world().cumulative(*young, EngagementType::impressions, common::TimePoint(kDemoNow)));
  EXPECT_EQ(sample_value(metrics,
                         "x_engagement_post_last_hour_start_timestamp_seconds{post_id="
                         "\"2123222773114340474\"}"),
            (kDemoNow - 1h).time_since_epoch().count());
  EXPECT_EQ(sample_value(metrics, "x_engagement_state_file_ok{operation=\"save\"}"), 1);
  EXPECT_EQ(sample_value(metrics, "x_engagement_hourly_requests_needed_per_hour"), 2);
  EXPECT_EQ(sample_value(metrics, "x_engagement_hourly_requests_available_per_hour"), 25 * 60);
}

TEST_F(HourlyAgainstSimulator, ARestartKeepsTheTalliesWithoutCountingAgain) {
  start_simulator();
  start_exporter();
  ASSERT_TRUE(hourly_published()) << exporter_->process().read_stderr();
  const std::string before = exporter_->metrics();
  exporter_.reset();
  ASSERT_TRUE(std::filesystem::exists(dir_ + "/exporter.state.json"));

  start_exporter();
  ASSERT_TRUE(hourly_published()) << exporter_->process().read_stderr();
  const std::string after = exporter_->metrics();
  expect_world_values(after, kDemoNow, kDemoNow - 28h);
  const std::string tally = series("x_engagement_post_tally_engagements", 2123482310501211442ULL,
                                   EngagementType::engagements);
  EXPECT_EQ(sample_value(after, tally), sample_value(before, tally));
  EXPECT_NE(exporter_->process().read_stderr().find("loaded hourly tallies from the state file"),
            std::string::npos);
}

TEST_F(HourlyAgainstSimulator, APostRemovedByAReloadDisappears) {
  start_simulator();
  start_exporter();
  ASSERT_TRUE(hourly_published()) << exporter_->process().read_stderr();
  std::string without_globex = kConfigTemplate;
  const std::string globex_post = "[[posts]]\nid = \"2123482310501211442\"\naccount = \"globex\"\n";
  const auto at = without_globex.find(globex_post);
  ASSERT_NE(at, std::string::npos);
  without_globex.erase(at, globex_post.size());
  ASSERT_TRUE(exporter_->reload_with(without_globex));
  const std::string gone = series("x_engagement_post_tally_impressions", 2123482310501211442ULL,
                                  EngagementType::impressions);
  EXPECT_TRUE(eventually([&] { return !sample_value(exporter_->metrics(), gone); }, 30s))
      << exporter_->process().read_stderr();
  const std::string metrics = exporter_->metrics();
  EXPECT_EQ(sample_value(metrics, "x_engagement_posts_tracked{collector=\"28hr\"}"), 3);
  EXPECT_TRUE(sample_value(metrics, series("x_engagement_post_tally_impressions",
                                           2123222773114340474ULL, EngagementType::impressions)));
}

TEST_F(HourlyAgainstSimulator, DowntimeLongerThan28HoursIsFilledFromHistorical) {
  start_simulator();
  start_exporter();
  ASSERT_TRUE(hourly_published()) << exporter_->process().read_stderr();
  exporter_.reset();
  simulator_.reset();

  // 60 hours later on X's clock: 32 hours lie before /28hr's window.
  const ClockOptions later{.start = "2026-11-22T12:00:00Z", .speed = 0};
  const common::Seconds later_now = common::parse_iso8601(later.start).value();
  auto simulator = Simulator::start_with_clock(dir_, later);
  ASSERT_TRUE(simulator) << simulator.error().message;
  simulator_.emplace(std::move(*simulator));
  auto exporter = Exporter::start_with_clock(dir_, kConfigTemplate, simulator_->url(), later);
  ASSERT_TRUE(exporter) << exporter.error().message;
  exporter_.emplace(std::move(*exporter));
  ASSERT_TRUE(exporter_->wait_ready(kStartTimeout)) << exporter_->process().read_stderr();
  ASSERT_TRUE(eventually(
      [&] {
        return sample_value(exporter_->metrics(),
                            "x_engagement_post_last_hour_start_timestamp_seconds{post_id="
                            "\"2123482310501211442\"}") ==
               (later_now - 1h).time_since_epoch().count();
      },
      kStartTimeout))
      << exporter_->process().read_stderr();

  // Every hour since tracking began, once: the first 28, the 32 missed, the last 28.
  expect_world_values(exporter_->metrics(), later_now, kDemoNow - 28h);
  EXPECT_NE(exporter_->process().read_stderr().find("filled missed hours from /historical"),
            std::string::npos);
}

}  // namespace
}  // namespace xee::test_stack

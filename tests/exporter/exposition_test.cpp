#include "exporter/exposition.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "common/gzip.h"
#include "exporter/deflate_sink.h"
#include "tests/exporter/exposition_fixtures.h"
#include "tests/exporter/text_format_parser.h"

namespace xee::exporter {
namespace {

using testing::parse_exposition;
using testing::read_test_file;

std::string render(const Exposition& exposition, const store::Snapshot& snapshot,
                   const std::vector<prometheus::MetricFamily>& telemetry = {}) {
  StringSink sink;
  EXPECT_TRUE(exposition.write(snapshot, telemetry, sink));
  return sink.text();
}

store::Snapshot snapshot_of(store::TotalsSection totals) {
  return {std::make_shared<const store::TotalsSection>(std::move(totals))};
}

// Compares with tests/exporter/golden/<name>; XEE_UPDATE_GOLDEN=1 rewrites the file instead (and
// fails, so an update is never mistaken for a pass).
void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = "golden/" + name;
  if (std::getenv("XEE_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(std::string(XEE_TEST_DIR) + "/" + path, std::ios::binary) << actual;
    ADD_FAILURE() << "rewrote " << path << "; review it and run again without XEE_UPDATE_GOLDEN";
    return;
  }
  const std::string expected = read_test_file(path);
  ASSERT_FALSE(expected.empty()) << path << " is missing";
  EXPECT_EQ(actual, expected) << "differs from " << path;
}

std::vector<prometheus::MetricFamily> small_telemetry() {
  store::Telemetry telemetry(testing::test_build_info());
  testing::record_small_telemetry(telemetry);
  return telemetry.collect();
}

TEST(Exposition, SmallSnapshotAndTelemetryMatchGolden) {
  const Exposition exposition(ExpositionOptions{});
  expect_golden("small.prom",
                render(exposition, snapshot_of(testing::small_totals()), small_telemetry()));
}

TEST(Exposition, HourlySectionMatchesGoldenAfterTheTotalsFamilies) {
  const Exposition exposition(ExpositionOptions{});
  store::Snapshot snapshot = snapshot_of(testing::small_totals());
  snapshot.hourly = std::make_shared<const store::HourlySection>(testing::small_hourly());
  const std::string text = render(exposition, snapshot);
  const auto totals_end = render(exposition, snapshot_of(testing::small_totals())).size();
  EXPECT_EQ(text.substr(0, totals_end), render(exposition, snapshot_of(testing::small_totals())));
  expect_golden("hourly.prom", text.substr(totals_end));
  // The gzip form carries the same text.
  StringSink gzipped;
  ASSERT_TRUE(exposition.write_gzip(snapshot, {}, gzipped, kScrapeGzipLevel));
  EXPECT_EQ(common::gzip_decompress(gzipped.text()).value(), text);
  // An empty section writes nothing, like an absent one.
  snapshot.hourly = std::make_shared<const store::HourlySection>();
  EXPECT_EQ(render(exposition, snapshot).size(), totals_end);
}

TEST(Exposition, HourlyHelpStatesTheCadence) {
  const Exposition exposition(ExpositionOptions{.hourly_delay = std::chrono::minutes(10),
                                                .hourly_slow_interval = std::chrono::hours(3)});
  store::Snapshot snapshot;
  snapshot.hourly = std::make_shared<const store::HourlySection>(testing::small_hourly());
  EXPECT_NE(render(exposition, snapshot)
                .find("# HELP x_engagement_post_28h_impressions Organic impressions of the Post "
                      "summed over the 28 complete hours ending with the last complete hour. "
                      "From X's /28hr endpoint, refreshed once per completed hour 10m after it "
                      "ends (Posts without activity for a while every 3h); owned Posts only.\n"),
            std::string::npos);
}

TEST(Exposition, EmptySnapshotWritesOnlyTelemetry) {
  const Exposition exposition(ExpositionOptions{});
  const store::Telemetry fresh(testing::test_build_info());
  const std::string unpublished = render(exposition, store::Snapshot{}, fresh.collect());
  expect_golden("empty.prom", unpublished);
  // A published section without Posts is the same as none.
  EXPECT_EQ(render(exposition, snapshot_of({{"acme"}, {}}), fresh.collect()), unpublished);
  EXPECT_EQ(render(exposition, store::Snapshot{}), "");
}

TEST(Exposition, RemovedPostDisappearsFromTheNextScrape) {
  const Exposition exposition(ExpositionOptions{});
  store::TotalsSection totals = testing::small_totals();
  const std::string before = render(exposition, snapshot_of(totals));
  const std::string removed_id = std::to_string(totals.posts[3].post_id);
  EXPECT_NE(before.find(removed_id), std::string::npos);

  totals.posts.erase(totals.posts.begin() + 3);
  const std::string after = render(exposition, snapshot_of(totals));
  EXPECT_EQ(after.find(removed_id), std::string::npos);
  expect_golden("after_removal.prom", after);
}

TEST(Exposition, HelpStatesTheConfiguredRefreshInterval) {
  const Exposition exposition(
      ExpositionOptions{.totals_refresh_interval = std::chrono::seconds(90)});
  const std::string text = render(exposition, snapshot_of(testing::small_totals()));
  EXPECT_NE(text.find("# HELP x_engagement_post_lifetime_impressions Lifetime organic impressions "
                      "of the Post, from X's /totals endpoint (cached; refreshed every 1m30s). "
                      "Owned Posts up to 90 days old only.\n"),
            std::string::npos);
}

TEST(Exposition, WritesHistogramSummaryUntypedAndSpecialValues) {
  prometheus::MetricFamily summary{
      "test_latency_seconds", "A summary.", prometheus::MetricType::Summary, {}};
  prometheus::ClientMetric summary_metric;
  summary_metric.label = {{"path", "a\\b"}};
  summary_metric.summary.sample_count = 3;
  summary_metric.summary.sample_sum = 1.5;
  summary_metric.summary.quantile = {{0.5, 0.25}, {0.99, std::nan("")}};
  summary.metric.push_back(summary_metric);

  prometheus::MetricFamily untyped{
      "test_value", "Help with \\ and\nnewline.", prometheus::MetricType::Untyped, {}};
  prometheus::ClientMetric plain;
  plain.untyped.value = -std::numeric_limits<double>::infinity();
  plain.timestamp_ms = 1795046400123;
  untyped.metric.push_back(plain);

  // A hand-built histogram without the +Inf bucket gets one.
  prometheus::MetricFamily histogram{
      "test_size_bytes", "A histogram.", prometheus::MetricType::Histogram, {}};
  prometheus::ClientMetric buckets;
  buckets.histogram.sample_count = 4;
  buckets.histogram.sample_sum = 4096;
  buckets.histogram.bucket = {{1, 512}, {3, 2048}};
  histogram.metric.push_back(buckets);

  const prometheus::MetricFamily empty{
      "test_empty", "No samples.", prometheus::MetricType::Gauge, {}};

  const Exposition exposition(ExpositionOptions{});
  EXPECT_EQ(render(exposition, store::Snapshot{}, {summary, untyped, histogram, empty}),
            "# HELP test_latency_seconds A summary.\n"
            "# TYPE test_latency_seconds summary\n"
            "test_latency_seconds{path=\"a\\\\b\",quantile=\"0.5\"} 0.25\n"
            "test_latency_seconds{path=\"a\\\\b\",quantile=\"0.99\"} NaN\n"
            "test_latency_seconds_sum{path=\"a\\\\b\"} 1.5\n"
            "test_latency_seconds_count{path=\"a\\\\b\"} 3\n"
            "# HELP test_value Help with \\\\ and\\nnewline.\n"
            "# TYPE test_value untyped\n"
            "test_value -Inf 1795046400123\n"
            "# HELP test_size_bytes A histogram.\n"
            "# TYPE test_size_bytes histogram\n"
            "test_size_bytes_bucket{le=\"512\"} 1\n"
            "test_size_bytes_bucket{le=\"2048\"} 3\n"
            "test_size_bytes_bucket{le=\"+Inf\"} 4\n"
            "test_size_bytes_sum 4096\n"
            "test_size_bytes_count 4\n");
}

TEST(FormatValue, SpellsNumbersAsPrometheusDoes) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(-0.0), "0");
  EXPECT_EQ(format_value(1), "1");
  EXPECT_EQ(format_value(-42), "-42");
  EXPECT_EQ(format_value(1e6), "1000000");
  EXPECT_EQ(format_value(1795046400), "1795046400");
  EXPECT_EQ(format_value(1e20), "100000000000000000000");
  EXPECT_EQ(format_value(1e21), "1e+21");
  EXPECT_EQ(format_value(0.1), "0.1");
  EXPECT_EQ(format_value(2.5), "2.5");
  EXPECT_EQ(format_value(1795046399.5), "1795046399.5");
  EXPECT_EQ(format_value(1e-7), "1e-07");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::denorm_min()), "-5e-324");
  EXPECT_EQ(format_value(std::numeric_limits<double>::lowest()).size(), 24u);
}

// A sink that takes a fixed number of chunks and then reports the client gone.
class RefusingSink final : public ExpositionSink {
 public:
  explicit RefusingSink(int accepted_chunks) : remaining_(accepted_chunks) {}
  bool write(std::string_view bytes) override {
    ++calls_;
    largest_ = std::max(largest_, bytes.size());
    return remaining_-- > 0;
  }
  int calls() const { return calls_; }
  std::size_t largest() const { return largest_; }

 private:
  int remaining_;
  int calls_ = 0;
  std::size_t largest_ = 0;
};

store::TotalsSection many_posts(std::size_t count) {
  store::TotalsSection totals;
  totals.accounts = {"acme"};
  for (std::size_t i = 0; i < count; ++i) {
    store::PostTotals post;
    post.post_id = 1861000000000000000 + i;
    post.owned = true;
    post.created_unix = 1795046400;
    for (const auto type : wire::kTotalsTypes) post.set(type, i);
    totals.posts.push_back(post);
  }
  return totals;
}

TEST(Exposition, LargeOutputLeavesInFullChunksAndStopsWhenTheSinkRefuses) {
  const Exposition exposition(ExpositionOptions{});
  const auto snapshot = snapshot_of(many_posts(20000));

  RefusingSink counting(1'000'000);
  ASSERT_TRUE(exposition.write(snapshot, {}, counting));
  const std::size_t total = render(exposition, snapshot).size();
  EXPECT_EQ(counting.largest(), kChunkBytes);
  EXPECT_EQ(counting.calls(), static_cast<int>((total + kChunkBytes - 1) / kChunkBytes));

  RefusingSink refusing(2);
  EXPECT_FALSE(exposition.write(snapshot, {}, refusing));
  EXPECT_EQ(refusing.calls(), 3);
}

std::string render_gzip(const Exposition& exposition, const store::Snapshot& snapshot,
                        const std::vector<prometheus::MetricFamily>& telemetry) {
  StringSink sink;
  EXPECT_TRUE(exposition.write_gzip(snapshot, telemetry, sink, kScrapeGzipLevel));
  return common::gzip_decompress(sink.text()).value();
}

TEST(Exposition, GzipDecodesToThePlainTextAndCompressesEachSectionOnce) {
  const Exposition exposition(ExpositionOptions{});
  store::Telemetry telemetry(testing::test_build_info());
  const auto first = snapshot_of(testing::small_totals());

  EXPECT_EQ(render_gzip(exposition, first, telemetry.collect()),
            render(exposition, first, telemetry.collect()));
  EXPECT_EQ(exposition.gzip_post_compressions(), 1u);

  // Same section, newer telemetry: the cached Post part is reused and the telemetry is current.
  testing::record_small_telemetry(telemetry);
  EXPECT_EQ(render_gzip(exposition, first, telemetry.collect()),
            render(exposition, first, telemetry.collect()));
  EXPECT_EQ(exposition.gzip_post_compressions(), 1u);

  // A newly published section, even with equal content, is compressed again.
  const auto second = snapshot_of(many_posts(3000));
  EXPECT_EQ(render_gzip(exposition, second, telemetry.collect()),
            render(exposition, second, telemetry.collect()));
  EXPECT_EQ(exposition.gzip_post_compressions(), 2u);
  const auto republished = snapshot_of(many_posts(3000));
  EXPECT_EQ(render_gzip(exposition, republished, {}), render(exposition, republished, {}));
  EXPECT_EQ(exposition.gzip_post_compressions(), 3u);

  EXPECT_EQ(render_gzip(exposition, store::Snapshot{}, {}), "");
  EXPECT_EQ(render_gzip(exposition, store::Snapshot{}, telemetry.collect()),
            render(exposition, store::Snapshot{}, telemetry.collect()));
  EXPECT_EQ(exposition.gzip_post_compressions(), 4u);
}

TEST(Exposition, ConcurrentGzipScrapesOfANewSectionCompressItOnce) {
  const Exposition exposition(ExpositionOptions{});
  const auto snapshot = snapshot_of(many_posts(20000));
  const std::string plain = render(exposition, snapshot);
  std::vector<std::string> decoded(4);
  std::vector<std::thread> scrapers;
  for (auto& text : decoded) {
    scrapers.emplace_back([&] {
      StringSink sink;
      exposition.write_gzip(snapshot, {}, sink, kScrapeGzipLevel);
      text = common::gzip_decompress(sink.text()).value_or("<corrupt>");
    });
  }
  for (auto& scraper : scrapers) scraper.join();
  for (const auto& text : decoded) EXPECT_EQ(text, plain);
  EXPECT_EQ(exposition.gzip_post_compressions(), 1u);
}

TEST(Exposition, GzipStopsWhenTheSinkRefuses) {
  const Exposition exposition(ExpositionOptions{});
  RefusingSink refusing(2);
  EXPECT_FALSE(
      exposition.write_gzip(snapshot_of(many_posts(20000)), {}, refusing, kScrapeGzipLevel));
  EXPECT_EQ(refusing.calls(), 3);
}

// prometheus-cpp's TextSerializer is the reference for the telemetry families: both must say the
// same samples with the same HELP and TYPE, whatever the spelling of the numbers.
TEST(Exposition, TelemetryParsesToTheSameSamplesAsPrometheusCppTextSerializer) {
  auto families = small_telemetry();
  prometheus::MetricFamily extra{
      "test_special", "Special values.", prometheus::MetricType::Gauge, {}};
  for (const double value : {std::nan(""), std::numeric_limits<double>::infinity(), 0.1, 1e-7}) {
    prometheus::ClientMetric metric;
    metric.label = {{"value", format_value(value)}, {"quoted", "say \"hi\"\n"}};
    metric.gauge.value = value;
    metric.timestamp_ms = 1795046400000;
    extra.metric.push_back(metric);
  }
  families.push_back(extra);

  const Exposition exposition(ExpositionOptions{});
  const auto ours = parse_exposition(render(exposition, store::Snapshot{}, families));
  const auto reference = parse_exposition(prometheus::TextSerializer().Serialize(families));
  ASSERT_TRUE(ours) << ours.error().message;
  ASSERT_TRUE(reference) << reference.error().message;

  ASSERT_EQ(ours->samples.size(), reference->samples.size());
  EXPECT_EQ(ours->samples.size(), 40u);  // 22 gauges and counters, 14 histogram, 4 extra
  for (std::size_t i = 0; i < ours->samples.size(); ++i) {
    EXPECT_EQ(ours->samples[i], reference->samples[i])
        << "ours " << to_string(ours->samples[i]) << "\nreference "
        << to_string(reference->samples[i]);
  }
  EXPECT_EQ(ours->help, reference->help);
  EXPECT_EQ(ours->type, reference->type);
}

struct CommandOutput {
  int exit_code = -1;
  std::string output;
};

// Runs `command` with `input` on stdin; stdout and stderr together.
CommandOutput run_with_stdin(const std::string& command, const std::string& input) {
  // Per process: parallel test runs must not feed each other's files to promtool.
  const std::string input_path =
      ::testing::TempDir() + "exposition_promtool_" + std::to_string(getpid()) + ".prom";
  std::ofstream(input_path, std::ios::binary) << input;
  CommandOutput result;
  FILE* pipe = popen((command + " < " + input_path + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  std::size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    result.output.append(buffer, read);
  const int status = pclose(pipe);
  std::remove(input_path.c_str());
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// promtool lints names and types as a reviewer would: the whole exposition must be clean.
TEST(Exposition, PromtoolFindsNothingToLint) {
  const Exposition exposition(ExpositionOptions{});
  const std::string text =
      render(exposition, snapshot_of(testing::small_totals()), small_telemetry());
  const CommandOutput promtool = run_with_stdin("/usr/bin/promtool check metrics", text);
  EXPECT_EQ(promtool.output, "");
  EXPECT_EQ(promtool.exit_code, 0);
}

TEST(Exposition, PromtoolFindsNothingToLintInTheHourlyFamilies) {
  const Exposition exposition(ExpositionOptions{});
  store::Snapshot snapshot = snapshot_of(testing::small_totals());
  snapshot.hourly = std::make_shared<const store::HourlySection>(testing::small_hourly());
  store::Telemetry telemetry(testing::test_build_info());
  telemetry.set_hourly_requests(3, 900);
  telemetry.record_state_file("save", true, 1795046400);
  const CommandOutput promtool = run_with_stdin("/usr/bin/promtool check metrics",
                                                render(exposition, snapshot, telemetry.collect()));
  EXPECT_EQ(promtool.output, "");
  EXPECT_EQ(promtool.exit_code, 0);
}

}  // namespace
}  // namespace xee::exporter

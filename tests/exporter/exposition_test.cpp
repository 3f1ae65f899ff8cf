#include "exporter/exposition.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <string>
#include <thread>
#include <utility>
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

TEST(Exposition, APostRestoredWithoutItsLastHourServesOnlyItsTally) {
  const Exposition exposition(ExpositionOptions{});
  store::HourlySection hourly = testing::small_hourly();
  store::PostHourly& restored = hourly.posts.front();
  restored.has_last_hour = false;
  const std::string id = wire::format_post_id(restored.post_id);
  store::Snapshot snapshot;
  snapshot.hourly = std::make_shared<const store::HourlySection>(hourly);
  const std::string text = render(exposition, snapshot);
  EXPECT_NE(text.find("x_engagement_post_tally_impressions{post_id=\"" + id + "\"} 100\n"),
            std::string::npos);
  EXPECT_NE(text.find("x_engagement_post_tally_interactions{post_id=\"" + id +
                      "\",engagement_type=\"favorites\"} 300\n"),
            std::string::npos);
  for (const std::string family : {"x_engagement_post_last_hour_start_timestamp_seconds",
                                   "x_engagement_post_last_hour_", "x_engagement_post_28h_"}) {
    const std::string line_start = "\n" + family;
    for (auto at = text.find(line_start); at != std::string::npos;
         at = text.find(line_start, at + 1)) {
      const std::string line = text.substr(at + 1, text.find('\n', at + 1) - at - 1);
      EXPECT_EQ(line.find(id), std::string::npos) << line;
    }
  }
  // The other Post keeps every family.
  const std::string other = wire::format_post_id(hourly.posts.back().post_id);
  EXPECT_NE(text.find("x_engagement_post_28h_impressions{post_id=\"" + other + "\"}"),
            std::string::npos);
}

TEST(Exposition, APostWithout28KnownHoursServesNo28HourSums) {
  const Exposition exposition(ExpositionOptions{});
  store::HourlySection hourly = testing::small_hourly();
  hourly.posts.front().has_28h = false;
  const std::string id = wire::format_post_id(hourly.posts.front().post_id);
  store::Snapshot snapshot;
  snapshot.hourly = std::make_shared<const store::HourlySection>(hourly);
  const std::string text = render(exposition, snapshot);
  EXPECT_EQ(text.find("x_engagement_post_28h_impressions{post_id=\"" + id), std::string::npos);
  EXPECT_EQ(text.find("x_engagement_post_28h_interactions{post_id=\"" + id), std::string::npos);
  EXPECT_NE(text.find("x_engagement_post_last_hour_impressions{post_id=\"" + id + "\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("x_engagement_post_tally_impressions{post_id=\"" + id + "\"} 100\n"),
            std::string::npos);
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

TEST(Exposition, APrecompressedSectionIsServedWithoutCompressingInTheScrape) {
  const Exposition exposition(ExpositionOptions{});
  const auto snapshot = snapshot_of(many_posts(3000));
  exposition.precompress(snapshot.totals, kScrapeGzipLevel);
  EXPECT_EQ(exposition.gzip_post_compressions(), 1u);
  EXPECT_EQ(render_gzip(exposition, snapshot, {}), render(exposition, snapshot, {}));
  EXPECT_EQ(exposition.gzip_post_compressions(), 1u);  // the scrape reused it
  // Another level is another cache entry: the scrape's own level decides.
  exposition.precompress(snapshot.totals, kScrapeGzipLevel == 9 ? 8 : kScrapeGzipLevel + 1);
  EXPECT_EQ(render_gzip(exposition, snapshot, {}), render(exposition, snapshot, {}));
  EXPECT_EQ(exposition.gzip_post_compressions(), 3u);
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
  EXPECT_EQ(ours->samples.size(), 41u);  // 23 gauges and counters, 14 histogram, 4 extra
  for (std::size_t i = 0; i < ours->samples.size(); ++i) {
    EXPECT_EQ(ours->samples[i], reference->samples[i])
        << "ours " << to_string(ours->samples[i]) << "\nreference "
        << to_string(reference->samples[i]);
  }
  EXPECT_EQ(ours->help, reference->help);
  EXPECT_EQ(ours->type, reference->type);
}

store::Snapshot with_discovery(store::Snapshot snapshot) {
  snapshot.discovery = std::make_shared<const store::DiscoverySection>(testing::small_discovery());
  return snapshot;
}

// The value of the one sample of `name` with exactly `labels`; NaN when there is none.
double sample_value(const testing::ParsedExposition& parsed, const std::string& name,
                    const std::map<std::string, std::string>& labels) {
  for (const auto& sample : parsed.samples) {
    if (sample.name == name && sample.labels == labels) return sample.value;
  }
  return std::nan("");
}

std::size_t series_count(const testing::ParsedExposition& parsed, const std::string& name) {
  return static_cast<std::size_t>(
      std::count_if(parsed.samples.begin(), parsed.samples.end(),
                    [&name](const testing::Sample& sample) { return sample.name == name; }));
}

TEST(Exposition, DiscoveryFamiliesMatchGoldenAfterTheHourlyFamilies) {
  const Exposition exposition(ExpositionOptions{});
  store::Snapshot snapshot = snapshot_of(testing::small_totals());
  snapshot.hourly = std::make_shared<const store::HourlySection>(testing::small_hourly());
  const std::string without = render(exposition, snapshot, small_telemetry());
  const std::string before_telemetry = render(exposition, snapshot);
  snapshot = with_discovery(snapshot);
  const std::string text = render(exposition, snapshot, small_telemetry());

  ASSERT_EQ(text.substr(0, before_telemetry.size()), before_telemetry);
  const std::string telemetry_text = without.substr(before_telemetry.size());
  ASSERT_TRUE(text.ends_with(telemetry_text));
  expect_golden("discovery.prom",
                text.substr(before_telemetry.size(),
                            text.size() - before_telemetry.size() - telemetry_text.size()));
  // gzip keeps caching only the /totals families; the discovery part follows uncached.
  EXPECT_EQ(render_gzip(exposition, snapshot, small_telemetry()), text);
  EXPECT_EQ(render_gzip(exposition, snapshot, small_telemetry()), text);
  EXPECT_EQ(exposition.gzip_post_compressions(), 1u);
}

TEST(Exposition, DiscoverySumsTheMembersTotalsPerGroup) {
  const Exposition exposition(ExpositionOptions{});
  const auto parsed =
      parse_exposition(render(exposition, with_discovery(snapshot_of(testing::small_totals()))));
  ASSERT_TRUE(parsed) << parsed.error().message;
  const auto value = [&parsed](const std::string& name,
                               const std::map<std::string, std::string>& labels) {
    return sample_value(*parsed, name, labels);
  };
  const auto interactions = [&value](const std::string& label, const std::string& group,
                                     const std::string& type) {
    return value("x_engagement_" + label + "_lifetime_interactions",
                 {{label, group}, {"engagement_type", type}});
  };

  // launchday: the unowned Post, the full acme Post and a member without /totals values.
  EXPECT_EQ(value("x_engagement_hashtag_posts_tracked", {{"hashtag", "launchday"}}), 3);
  EXPECT_EQ(value("x_engagement_hashtag_posts_discovered_total", {{"hashtag", "launchday"}}), 7);
  EXPECT_EQ(value("x_engagement_hashtag_lifetime_impressions", {{"hashtag", "launchday"}}), 48213);
  EXPECT_EQ(value("x_engagement_hashtag_lifetime_engagements", {{"hashtag", "launchday"}}), 1307);
  EXPECT_EQ(interactions("hashtag", "launchday", "favorites"), 5 + 912);
  EXPECT_EQ(interactions("hashtag", "launchday", "retweets"), 0 + 143);
  EXPECT_EQ(interactions("hashtag", "launchday", "quote_tweets"), 0 + 21);
  EXPECT_EQ(interactions("hashtag", "launchday", "replies"), 1 + 77);
  EXPECT_EQ(interactions("hashtag", "launchday", "video_views"), 0 + 15320);

  // xapi: the globex Post older than 90 days (no impressions) and the acme Post, which counts in
  // launchday as well.
  EXPECT_EQ(value("x_engagement_hashtag_posts_tracked", {{"hashtag", "xapi"}}), 2);
  EXPECT_EQ(value("x_engagement_hashtag_lifetime_impressions", {{"hashtag", "xapi"}}), 48213);
  EXPECT_EQ(interactions("hashtag", "xapi", "favorites"), 4021 + 912);
  EXPECT_EQ(interactions("hashtag", "xapi", "retweets"), 611 + 143);
  EXPECT_EQ(interactions("hashtag", "xapi", "quote_tweets"), 58 + 21);
  EXPECT_EQ(interactions("hashtag", "xapi", "replies"), 240 + 77);
  EXPECT_EQ(interactions("hashtag", "xapi", "video_views"), 0 + 15320);

  // acmecloud has no members: counts, no sums, no membership.
  EXPECT_EQ(value("x_engagement_hashtag_posts_tracked", {{"hashtag", "acmecloud"}}), 0);
  EXPECT_EQ(value("x_engagement_hashtag_posts_discovered_total", {{"hashtag", "acmecloud"}}), 4);
  EXPECT_EQ(series_count(*parsed, "x_engagement_hashtag_lifetime_impressions"), 2u);
  EXPECT_EQ(series_count(*parsed, "x_engagement_hashtag_lifetime_interactions"), 10u);

  const auto posts = testing::small_totals().posts;
  const auto id = [&posts](std::size_t index) { return std::to_string(posts[index].post_id); };
  EXPECT_EQ(series_count(*parsed, "x_engagement_post_hashtag_info"), 5u);
  for (const auto& [hashtag, post_id] : std::vector<std::pair<std::string, std::string>>{
           {"launchday", id(2)},
           {"launchday", id(3)},
           {"launchday", std::to_string(testing::kMissingFromTotals)},
           {"xapi", id(1)},
           {"xapi", id(3)}}) {
    EXPECT_EQ(value("x_engagement_post_hashtag_info", {{"hashtag", hashtag}, {"post_id", post_id}}),
              1)
        << hashtag << " " << post_id;
  }

  // Accounts: counts only.
  EXPECT_EQ(value("x_engagement_account_posts_tracked", {{"account", "acme"}}), 2);
  EXPECT_EQ(value("x_engagement_account_posts_discovered_total", {{"account", "acme"}}), 2);
  EXPECT_EQ(value("x_engagement_account_posts_tracked", {{"account", "globex"}}), 1);
  EXPECT_EQ(value("x_engagement_account_posts_discovered_total", {{"account", "globex"}}), 1);

  // The escaped campaign: the 1800-day-old Post (no video_views, no impressions) and the Post whose
  // first poll failed (nothing) leave only four interaction series.
  const std::string odd(testing::kOddCampaign);
  EXPECT_EQ(value("x_engagement_campaign_posts_tracked", {{"campaign", odd}}), 2);
  EXPECT_EQ(value("x_engagement_campaign_posts_discovered_total", {{"campaign", odd}}), 0);
  EXPECT_EQ(interactions("campaign", odd, "favorites"), 3);
  EXPECT_EQ(interactions("campaign", odd, "retweets"), 1);
  EXPECT_EQ(interactions("campaign", odd, "quote_tweets"), 0);
  EXPECT_EQ(interactions("campaign", odd, "replies"), 2);
  EXPECT_TRUE(std::isnan(interactions("campaign", odd, "video_views")));
  EXPECT_TRUE(std::isnan(value("x_engagement_campaign_lifetime_impressions", {{"campaign", odd}})));
  EXPECT_EQ(value("x_engagement_campaign_lifetime_impressions", {{"campaign", "autumn_launch"}}),
            48213);
  EXPECT_EQ(series_count(*parsed, "x_engagement_campaign_lifetime_interactions"), 9u);
  EXPECT_EQ(value("x_engagement_post_campaign_info", {{"campaign", odd}, {"post_id", id(0)}}), 1);
  EXPECT_EQ(value("x_engagement_post_campaign_info", {{"campaign", odd}, {"post_id", id(4)}}), 1);
}

TEST(Exposition, DiscoveryLabelsAreSortedAndEscaped) {
  const Exposition exposition(ExpositionOptions{});
  const std::string text = render(exposition, with_discovery(snapshot_of(testing::small_totals())));
  const auto posts = testing::small_totals().posts;
  // Label names sorted, as prometheus-cpp writes them: campaign < engagement_type < hashtag.
  EXPECT_NE(text.find("x_engagement_campaign_lifetime_interactions{campaign=\"odd\\\"campaign\\\\"
                      "with\\nnewline\",engagement_type=\"favorites\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("x_engagement_hashtag_lifetime_interactions{engagement_type=\"favorites\","
                      "hashtag=\"xapi\"} 4933\n"),
            std::string::npos);
  EXPECT_NE(
      text.find("x_engagement_post_campaign_info{campaign=\"odd\\\"campaign\\\\with\\nnewline\","
                "post_id=\"" +
                std::to_string(posts[0].post_id) + "\"} 1\n"),
      std::string::npos);
  // Groups by name, not in configuration order: acmecloud, launchday, xapi.
  const auto acmecloud = text.find("x_engagement_hashtag_posts_tracked{hashtag=\"acmecloud\"} 0\n");
  const auto launchday = text.find("x_engagement_hashtag_posts_tracked{hashtag=\"launchday\"} 3\n");
  const auto xapi = text.find("x_engagement_hashtag_posts_tracked{hashtag=\"xapi\"} 2\n");
  ASSERT_NE(xapi, std::string::npos);
  EXPECT_LT(acmecloud, launchday);
  EXPECT_LT(launchday, xapi);
}

TEST(Exposition, DiscoveryWithoutTotalsHasCountsAndMembershipButNoSums) {
  const Exposition exposition(ExpositionOptions{});
  store::Snapshot snapshot;
  snapshot = with_discovery(snapshot);
  const auto parsed = parse_exposition(render(exposition, snapshot));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(sample_value(*parsed, "x_engagement_hashtag_posts_tracked", {{"hashtag", "xapi"}}), 2);
  EXPECT_EQ(series_count(*parsed, "x_engagement_post_hashtag_info"), 5u);
  EXPECT_EQ(series_count(*parsed, "x_engagement_post_campaign_info"), 3u);
  for (const auto& [name, _] : parsed->type) {
    EXPECT_EQ(name.find("_lifetime_"), std::string::npos) << name;
  }
}

TEST(Exposition, EmptyDiscoverySectionWritesNothing) {
  const Exposition exposition(ExpositionOptions{});
  store::Snapshot snapshot = snapshot_of(testing::small_totals());
  const std::string without = render(exposition, snapshot);
  snapshot.discovery = std::make_shared<const store::DiscoverySection>();
  EXPECT_EQ(render(exposition, snapshot), without);
}

TEST(Exposition, DiscoveryHelpStatesBothRefreshIntervalsAndTheJoin) {
  const Exposition exposition(
      ExpositionOptions{.totals_refresh_interval = std::chrono::minutes(1),
                        .discovery_refresh_interval = std::chrono::minutes(2)});
  const auto parsed =
      parse_exposition(render(exposition, with_discovery(snapshot_of(testing::small_totals()))));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->help.at("x_engagement_hashtag_posts_tracked"),
            "Posts carrying the hashtag (label hashtag: the tag as configured, without '#') "
            "currently tracked (cached; membership refreshed every 2m by the discovery "
            "collector). A Post with several configured hashtags counts in each.");
  EXPECT_EQ(parsed->help.at("x_engagement_hashtag_lifetime_impressions"),
            "Lifetime organic impressions summed over the tracked Posts of the hashtag, from X's "
            "/totals endpoint (cached; refreshed every 1m), members (cached; membership "
            "refreshed every 2m by the discovery collector). Only owned Posts up to 90 days old "
            "have it; other members add nothing, and the series is absent while no member has a "
            "value. A Post with several configured hashtags counts in each. Per Post: "
            "x_engagement_post_lifetime_interactions * on (post_id) group_left "
            "x_engagement_post_hashtag_info{hashtag=\"launchday\"}.");
  EXPECT_EQ(parsed->type.at("x_engagement_campaign_posts_discovered_total"), "counter");
  EXPECT_EQ(parsed->type.at("x_engagement_post_campaign_info"), "gauge");
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

TEST(Exposition, PromtoolFindsNothingToLintInTheDiscoveryFamilies) {
  const Exposition exposition(ExpositionOptions{});
  store::Snapshot snapshot = with_discovery(snapshot_of(testing::small_totals()));
  snapshot.hourly = std::make_shared<const store::HourlySection>(testing::small_hourly());
  const CommandOutput promtool = run_with_stdin("/usr/bin/promtool check metrics",
                                                render(exposition, snapshot, small_telemetry()));
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

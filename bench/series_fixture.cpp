#include "bench/series_fixture.h"

#include <prometheus/gauge.h>

#include <string>

#include "exporter/exposition.h"
#include "wire/snowflake.h"

namespace xee::bench {
namespace {

using wire::EngagementType;

constexpr std::array<EngagementType, 4> kBenchCountTypes{
    EngagementType::favorites, EngagementType::retweets, EngagementType::quote_tweets,
    EngagementType::replies};

}  // namespace

store::TotalsSection make_totals(std::size_t series) {
  store::TotalsSection totals;
  totals.accounts = {"acme", "globex", "initech_archive"};
  const std::size_t posts = (series + kSeriesPerPost - 1) / kSeriesPerPost;
  totals.posts.reserve(posts);
  // 2026-08-22T00:00:00Z, 90 days before the demo's clock start; Posts spread evenly after it.
  const std::int64_t first_unix = 1787356800;
  const std::int64_t spacing_ms = 90LL * 86400 * 1000 / static_cast<std::int64_t>(posts);
  std::uint64_t state = 42;
  const auto next = [&state](std::uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  for (std::size_t i = 0; i < posts; ++i) {
    const std::int64_t created_ms = first_unix * 1000 + static_cast<std::int64_t>(i) * spacing_ms;
    store::PostTotals post;
    post.post_id = wire::make_snowflake(
        std::chrono::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{created_ms}},
        static_cast<std::uint32_t>(i % 1024), 0);
    post.account_index = static_cast<std::uint32_t>(i % totals.accounts.size());
    post.owned = true;
    post.created_unix = created_ms / 1000;
    const std::uint64_t impressions = 1000 + next(2'000'000);
    post.set(EngagementType::impressions, impressions);
    post.set(EngagementType::engagements, impressions / 40 + next(500));
    for (const auto type : kBenchCountTypes) post.set(type, next(impressions / 20 + 1));
    totals.posts.push_back(post);
  }
  return totals;
}

std::size_t series_of(const store::TotalsSection& totals) {
  return totals.posts.size() * kSeriesPerPost;
}

std::shared_ptr<prometheus::Registry> make_registry(const store::TotalsSection& totals) {
  auto registry = std::make_shared<prometheus::Registry>();
  const auto family = [&registry](std::string_view name) -> prometheus::Family<prometheus::Gauge>& {
    return prometheus::BuildGauge()
        .Name(std::string(name))
        .Help("Benchmark copy.")
        .Register(*registry);
  };
  auto& info = family(exporter::kPostInfo);
  auto& created = family(exporter::kPostCreated);
  auto& impressions = family(exporter::kPostImpressions);
  auto& engagements = family(exporter::kPostEngagements);
  auto& counts = family(exporter::kPostInteractions);
  for (const auto& post : totals.posts) {
    const std::string id = std::to_string(post.post_id);
    info.Add({{"post_id", id},
              {"account", totals.accounts[post.account_index]},
              {"owned", post.owned ? "true" : "false"}})
        .Set(1);
    created.Add({{"post_id", id}}).Set(static_cast<double>(post.created_unix));
    impressions.Add({{"post_id", id}})
        .Set(static_cast<double>(post.value(EngagementType::impressions)));
    engagements.Add({{"post_id", id}})
        .Set(static_cast<double>(post.value(EngagementType::engagements)));
    for (const auto type : kBenchCountTypes) {
      counts.Add({{"post_id", id}, {"engagement_type", std::string(wire::to_string(type))}})
          .Set(static_cast<double>(post.value(type)));
    }
  }
  return registry;
}

}  // namespace xee::bench

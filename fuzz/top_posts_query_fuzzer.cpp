// Fuzzes the query string of GET /top: parse_top_posts_query, then render_top_posts over a fixed
// snapshot (two hashtags, a campaign, /totals values) as the HTTP server does. Checks: a refused
// query says why on one line; an accepted one has n in 1..100 and a non-empty group; the page is
// 200, or 404 only for a group that is not there; JSON is valid with at most n Posts per metric.

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "exporter/top_posts.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace xee;

store::PostTotals totals_of(wire::PostId id, std::uint64_t base) {
  store::PostTotals post;
  post.post_id = id;
  for (const wire::EngagementType type : wire::kPublicTypes) {
    post.values[wire::index_of(type)] = base + wire::index_of(type);
    post.present |= 1u << wire::index_of(type);
  }
  return post;
}

const store::Snapshot& snapshot() {
  static const store::Snapshot instance = [] {
    auto totals = std::make_shared<store::TotalsSection>();
    for (wire::PostId id = 1855555555555555550; id < 1855555555555555565; ++id) {
      totals->posts.push_back(totals_of(id, (id * 7919) % 1000));
    }
    auto discovery = std::make_shared<store::DiscoverySection>();
    discovery->hashtags = {
        {"launchday", {1855555555555555550, 1855555555555555551, 1855555555555555552}, 3},
        {"Caf\xC3\xA9", {1855555555555555553, 1855555555555555560}, 2}};
    discovery->campaigns = {{"acme-launch",
                             {1855555555555555550, 1855555555555555554, 1855555555555555555,
                              1855555555555555556, 1855555555555555557, 1855555555555555558},
                             6}};
    return store::Snapshot{totals, nullptr, discovery};
  }();
  return instance;
}

void check_json(const std::string& body, std::size_t n) {
  rapidjson::Document document;
  document.Parse(body.data(), body.size());
  XEE_FUZZ_REQUIRE(!document.HasParseError() && document.IsObject());
  XEE_FUZZ_REQUIRE(document["n"].GetUint64() == n);
  for (const auto& group : document["groups"].GetArray()) {
    for (const auto& metric : group["metrics"].GetObject()) {
      XEE_FUZZ_REQUIRE(metric.value.Size() <= n);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view query_string = fuzz::as_text(data, size);
  const auto query = exporter::parse_top_posts_query(query_string);
  if (!query) {
    XEE_FUZZ_REQUIRE(!query.error().message.empty());
    return 0;
  }
  XEE_FUZZ_REQUIRE(query->n >= 1 && query->n <= exporter::kTopPostsMax);
  XEE_FUZZ_REQUIRE(!query->group || !query->group->empty());

  const exporter::TopPostsResponse page = exporter::render_top_posts(snapshot(), *query);
  XEE_FUZZ_REQUIRE(page.status == 200 || (page.status == 404 && query->group));
  if (page.status == 200 && query->json) check_json(page.body, query->n);
  return 0;
}

#pragma once
// The page at /top: for each hashtag and campaign, its tracked Posts ranked by each /totals metric,
// like the "Top Tweets" of X's sample client. It reads the snapshot a scrape would (the discovery
// groups joined with the /totals values) and never calls X.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/snapshot.h"
#include "wire/engagement_types.h"

namespace xee::exporter {

inline constexpr std::size_t kTopPostsDefault = 10;
inline constexpr std::size_t kTopPostsMax = 100;

struct TopPostsQuery {
  std::size_t n = kTopPostsDefault;  // Posts per metric, 1..kTopPostsMax
  std::optional<std::string> group;  // one hashtag or campaign only
  bool json = false;                 // ?format=json instead of HTML
};

// The query string of a /top request ("n=5&group=launchday"), percent-decoded. Errors name the
// parameter and its value: `n: "abc" is not a whole number between 1 and 100`.
Result<TopPostsQuery> parse_top_posts_query(std::string_view query_string);

struct RankedPost {
  std::size_t rank = 0;  // from 1
  wire::PostId post_id = 0;
  std::uint64_t value = 0;
};

struct MetricRanking {
  wire::EngagementType metric = wire::EngagementType::impressions;
  // Members with a value for the metric, highest first, ties by post_id ascending; at most n.
  std::vector<RankedPost> posts;
};

struct GroupRanking {
  enum class Kind { hashtag, campaign };
  Kind kind = Kind::hashtag;
  std::string name;
  std::size_t tracked = 0;              // members, with or without values
  std::vector<MetricRanking> rankings;  // one per wire::kTotalsTypes, in that order
};

// Hashtags, then campaigns, each in configuration order; only those named `query.group` when it
// is set (a hashtag matches regardless of case, as X's search does). Empty when `discovery` has
// no such group.
std::vector<GroupRanking> rank_top_posts(const store::DiscoverySection& discovery,
                                         const store::TotalsSection* totals,
                                         const TopPostsQuery& query);

struct TopPostsResponse {
  int status = 200;
  std::string_view content_type;
  std::string body;
};

// The whole answer to GET /top: 200 with the HTML page (or JSON), a page saying there is no
// discovery data yet before the first discovery round, 404 when `query.group` names no hashtag or
// campaign.
TopPostsResponse render_top_posts(const store::Snapshot& snapshot, const TopPostsQuery& query);

}  // namespace xee::exporter

#include "exporter/top_posts.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <charconv>
#include <optional>

#include "common/text.h"
#include "exporter/exposition.h"
#include "exporter/landing_page.h"
#include "wire/oauth.h"
#include "wire/snowflake.h"

namespace xee::exporter {
namespace {

constexpr std::string_view kHtmlContentType = "text/html; charset=utf-8";
constexpr std::string_view kJsonContentType = "application/json";
constexpr std::string_view kTextContentType = "text/plain; charset=utf-8";

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

std::optional<std::size_t> parse_count(std::string_view text) {
  std::size_t count = 0;
  if (text.empty() || text.size() > 3) return std::nullopt;  // also refuses signs and spaces
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (count < 1 || count > kTopPostsMax) return std::nullopt;
  return count;
}

bool group_matches(GroupRanking::Kind kind, std::string_view name, std::string_view wanted) {
  // X's hashtags are case-insensitive (the configuration keeps them unique regardless of case);
  // campaign names are the exporter's own and match exactly.
  if (kind == GroupRanking::Kind::hashtag) {
    return common::ascii_lower(name) == common::ascii_lower(wanted);
  }
  return name == wanted;
}

GroupRanking rank_group(GroupRanking::Kind kind, const store::PostGroup& group,
                        const store::TotalsSection* totals, std::size_t n) {
  GroupRanking ranking{
      .kind = kind, .name = group.name, .tracked = group.posts.size(), .rankings = {}};
  for (const wire::EngagementType metric : wire::kTotalsTypes) {
    MetricRanking& metric_ranking = ranking.rankings.emplace_back();
    metric_ranking.metric = metric;
    if (totals == nullptr) continue;
    std::vector<RankedPost>& posts = metric_ranking.posts;
    for (const wire::PostId member : group.posts) {
      const store::PostTotals* values = find_post_totals(*totals, member);
      if (values != nullptr && values->has(metric)) {
        posts.push_back({.rank = 0, .post_id = member, .value = values->value(metric)});
      }
    }
    const auto top = posts.begin() + static_cast<std::ptrdiff_t>(std::min(n, posts.size()));
    std::partial_sort(posts.begin(), top, posts.end(),
                      [](const RankedPost& a, const RankedPost& b) {
                        return a.value != b.value ? a.value > b.value : a.post_id < b.post_id;
                      });
    posts.erase(top, posts.end());
    for (std::size_t i = 0; i < posts.size(); ++i) posts[i].rank = i + 1;
  }
  return ranking;
}

std::string_view kind_name(GroupRanking::Kind kind) {
  return kind == GroupRanking::Kind::hashtag ? "hashtag" : "campaign";
}

std::string names_of(const std::vector<store::PostGroup>& groups) {
  if (groups.empty()) return "none";
  std::string names;
  for (const auto& group : groups) {
    if (!names.empty()) names += ", ";
    names += group.name;
  }
  return names;
}

std::string render_json(const std::vector<GroupRanking>& groups, const TopPostsQuery& query,
                        bool discovery_ready) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("n");
  writer.Uint64(query.n);
  writer.Key("discovery_ready");
  writer.Bool(discovery_ready);
  writer.Key("groups");
  writer.StartArray();
  for (const GroupRanking& group : groups) {
    writer.StartObject();
    writer.Key("kind");
    writer.String(std::string(kind_name(group.kind)));
    writer.Key("name");
    writer.String(group.name);
    writer.Key("tracked");
    writer.Uint64(group.tracked);
    writer.Key("metrics");
    writer.StartObject();
    for (const MetricRanking& ranking : group.rankings) {
      const std::string_view metric = wire::to_string(ranking.metric);
      writer.Key(metric.data(), static_cast<rapidjson::SizeType>(metric.size()));
      writer.StartArray();
      for (const RankedPost& post : ranking.posts) {
        writer.StartObject();
        writer.Key("rank");
        writer.Uint64(post.rank);
        // A string: JavaScript's numbers cannot hold every 64-bit Post ID.
        writer.Key("post_id");
        writer.String(wire::format_post_id(post.post_id));
        writer.Key("value");
        writer.Uint64(post.value);
        writer.EndObject();
      }
      writer.EndArray();
    }
    writer.EndObject();
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string render_html(const std::vector<GroupRanking>& groups, const TopPostsQuery& query,
                        bool discovery_ready) {
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Top "
      "Posts</title></head>\n<body>\n<h1>Top Posts</h1>\n<p>The top " +
      std::to_string(query.n) +
      " tracked Posts of each hashtag and campaign by each metric, as of the exporter's last "
      "/totals and discovery rounds. <a href=\"/\">Home</a></p>\n";
  if (!discovery_ready) {
    page += "<p>No discovery data yet: the first discovery round has not finished.</p>\n";
  } else if (groups.empty()) {
    page += "<p>No hashtag or campaign is configured.</p>\n";
  }
  for (const GroupRanking& group : groups) {
    page += group.kind == GroupRanking::Kind::hashtag ? "<h2>#" : "<h2>Campaign ";
    page += html_escape(group.name) + "</h2>\n<p>" + std::to_string(group.tracked) +
            (group.tracked == 1 ? " Post" : " Posts") + " tracked.</p>\n";
    for (const MetricRanking& ranking : group.rankings) {
      const std::string metric(wire::to_string(ranking.metric));
      page += "<h3>" + metric + "</h3>\n";
      if (ranking.posts.empty()) {
        page += "<p>No values.</p>\n";
        continue;
      }
      page += "<table>\n<tr><th>Rank</th><th>Post</th><th>" + metric + "</th></tr>\n";
      for (const RankedPost& post : ranking.posts) {
        const std::string id = wire::format_post_id(post.post_id);
        page += "<tr><td>" + std::to_string(post.rank) +
                "</td><td><a href=\"https://x.com/i/web/status/" + id + "\">" + id +
                "</a></td><td>" + std::to_string(post.value) + "</td></tr>\n";
      }
      page += "</table>\n";
    }
  }
  page += "</body>\n</html>\n";
  return page;
}

}  // namespace

Result<TopPostsQuery> parse_top_posts_query(std::string_view query_string) {
  auto params = wire::oauth::parse_query(query_string);
  if (!params) return fail("query string: " + params.error().message);
  TopPostsQuery query;
  bool seen_n = false;
  bool seen_format = false;
  for (const auto& [name, value] : *params) {
    if (name == "n") {
      if (seen_n) return fail("n: given more than once");
      seen_n = true;
      const auto count = parse_count(value);
      if (!count) {
        return fail("n: " + quoted(value) + " is not a whole number between 1 and " +
                    std::to_string(kTopPostsMax));
      }
      query.n = *count;
    } else if (name == "group") {
      if (query.group) return fail("group: given more than once");
      if (value.empty()) return fail("group: \"\" is empty; name a hashtag or campaign");
      query.group = value;
    } else if (name == "format") {
      if (seen_format) return fail("format: given more than once");
      seen_format = true;
      if (value != "html" && value != "json") {
        return fail("format: " + quoted(value) + " is neither html nor json");
      }
      query.json = value == "json";
    } else {
      return fail("unknown parameter " + quoted(name) + " (known: n, group, format)");
    }
  }
  return query;
}

std::vector<GroupRanking> rank_top_posts(const store::DiscoverySection& discovery,
                                         const store::TotalsSection* totals,
                                         const TopPostsQuery& query) {
  std::vector<GroupRanking> groups;
  const auto add_kind = [&](GroupRanking::Kind kind, const std::vector<store::PostGroup>& list) {
    for (const store::PostGroup& group : list) {
      if (query.group && !group_matches(kind, group.name, *query.group)) continue;
      groups.push_back(rank_group(kind, group, totals, query.n));
    }
  };
  add_kind(GroupRanking::Kind::hashtag, discovery.hashtags);
  add_kind(GroupRanking::Kind::campaign, discovery.campaigns);
  return groups;
}

TopPostsResponse render_top_posts(const store::Snapshot& snapshot, const TopPostsQuery& query) {
  const bool discovery_ready = snapshot.discovery != nullptr;
  std::vector<GroupRanking> groups;
  if (discovery_ready) {
    groups = rank_top_posts(*snapshot.discovery, snapshot.totals.get(), query);
    if (query.group && groups.empty()) {
      return {404, kTextContentType,
              "group " + quoted(*query.group) + ": no such hashtag or campaign (hashtags: " +
                  names_of(snapshot.discovery->hashtags) +
                  "; campaigns: " + names_of(snapshot.discovery->campaigns) + ")\n"};
    }
  }
  if (query.json) return {200, kJsonContentType, render_json(groups, query, discovery_ready)};
  return {200, kHtmlContentType, render_html(groups, query, discovery_ready)};
}

}  // namespace xee::exporter

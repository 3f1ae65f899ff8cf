#include "simulator/server/landing_page.h"

#include <sstream>

#include "common/time_format.h"
#include "wire/api_limits.h"

namespace xee::simulator::server {
namespace {

// Handles and tags come from a user's TOML file, so they are escaped like any untrusted text.
std::string escape_html(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string iso(common::TimePoint t) {
  return common::format_iso8601(std::chrono::floor<std::chrono::seconds>(t));
}

}  // namespace

std::string landing_page(const WorldConfig& world, const LandingInfo& info) {
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>X API simulator</title>"
          "</head><body>\n<h1>X API simulator</h1>\n"
       << "<p>A local stand-in for X's Enterprise Engagement API and v2 recent search, for "
          "x-engagement-exporter. Version "
       << escape_html(info.version) << " (revision " << escape_html(info.revision) << ").</p>\n"
       << "<h2>Clock</h2>\n<p>World time " << iso(info.world_now) << " (started at "
       << iso(info.clock_start) << ", speed " << info.clock_speed
       << "&times;). Rate limits and OAuth timestamps use the wall clock.</p>\n"
       << "<h2>Accounts</h2>\n<table border=\"1\"><tr><th>handle</th><th>user id</th>"
          "<th>posting since</th><th>posts/day</th><th>hashtags</th></tr>\n";
  for (const auto& account : world.accounts) {
    std::string tags;
    for (const auto& tag : account.hashtags) tags += (tags.empty() ? "#" : ", #") + tag;
    html << "<tr><td>@" << escape_html(account.handle) << "</td><td>" << account.user_id
         << "</td><td>" << iso(account.posting_since) << "</td><td>" << account.posts_per_day
         << "</td><td>" << escape_html(tags) << "</td></tr>\n";
  }
  html << "</table>\n<h2>Hashtag streams</h2>\n<table border=\"1\"><tr><th>tag</th>"
          "<th>posting since</th><th>posts/hour</th><th>lang</th></tr>\n";
  for (const auto& hashtag : world.hashtags) {
    html << "<tr><td>#" << escape_html(hashtag.tag) << "</td><td>" << iso(hashtag.posting_since)
         << "</td><td>" << hashtag.posts_per_hour << "</td><td>" << escape_html(hashtag.lang)
         << "</td></tr>\n";
  }
  html << "</table>\n<h2>Limits</h2>\n<p>" << world.limits.per_minute
       << " Engagement API requests per minute";
  if (world.limits.per_second > 0) html << ", " << world.limits.per_second << " per second";
  html << "; " << world.limits.search_per_15min << " searches per 15 minutes.</p>\n"
       << "<h2>Endpoints</h2>\n<ul>\n"
       << "<li>POST " << wire::kTotalsPath << ", " << wire::k28hrPath << ", "
       << wire::kHistoricalPath << "</li>\n"
       << "<li>GET " << wire::kRecentSearchPath << "</li>\n"
       << "<li>POST " << wire::kOAuth2TokenPath << "</li>\n"
       << "<li><a href=\"/metrics\">/metrics</a></li>\n"
       << "<li><a href=\"/-/healthy\">/-/healthy</a></li>\n";
  if (info.admin_enabled) html << "<li><a href=\"/admin/faults\">/admin/faults</a></li>\n";
  html << "</ul>\n</body></html>\n";
  return html.str();
}

}  // namespace xee::simulator::server

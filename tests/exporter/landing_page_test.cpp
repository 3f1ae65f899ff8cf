#include "exporter/landing_page.h"

#include <gtest/gtest.h>

#include "common/time_format.h"

namespace xee::exporter {
namespace {

TEST(LandingPage, NamesTheExporterLinksItsEndpointsAndListsCollectors) {
  const LandingPageInfo info{.name = "x-engagement-exporter",
                             .version = "0.1.0 (0123456789ab)",
                             .docs_url = "https://example.org/docs?a=1&b=2"};
  const std::vector<CollectorStatus> collectors{
      {.name = "totals",
       .up = true,
       .last_success =
           common::TimePoint{common::parse_iso8601("2026-11-20T00:05:00Z")->time_since_epoch()} +
           common::Millis{750}},
      {.name = "<28hr>", .up = false, .last_success = std::nullopt},
  };
  EXPECT_EQ(render_landing_page(info, collectors),
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
            "<title>x-engagement-exporter</title></head>\n<body>\n"
            "<h1>x-engagement-exporter</h1>\n"
            "<p>Prometheus exporter for X's Enterprise Engagement API. Version 0.1.0 "
            "(0123456789ab).</p>\n<ul>\n"
            "<li><a href=\"/metrics\">Metrics</a></li>\n"
            "<li><a href=\"/top\">Top Posts</a> per hashtag and campaign</li>\n"
            "<li><a href=\"/-/healthy\">Health</a></li>\n"
            "<li><a href=\"/-/ready\">Readiness</a></li>\n"
            "<li><a href=\"https://example.org/docs?a=1&amp;b=2\">Documentation</a></li>\n"
            "</ul>\n<h2>Collectors</h2>\n<table>\n"
            "<tr><th>Collector</th><th>Up</th><th>Last success</th></tr>\n"
            "<tr><td>totals</td><td>yes</td><td>2026-11-20T00:05:00Z</td></tr>\n"
            "<tr><td>&lt;28hr&gt;</td><td>no</td><td>never</td></tr>\n"
            "</table>\n</body>\n</html>\n");
}

TEST(LandingPage, WithoutDocsOrCollectors) {
  const std::string page = render_landing_page({.name = "x", .version = "1", .docs_url = ""}, {});
  EXPECT_NE(page.find("<li><a href=\"/-/ready\">Readiness</a></li>\n<li>Documentation: "
                      "docs/metrics.md in the source tree</li>\n</ul>"),
            std::string::npos);
  EXPECT_NE(page.find("<h2>Collectors</h2>\n<p>No collector is running.</p>\n</body>"),
            std::string::npos);
}

TEST(LandingPage, HtmlEscape) {
  EXPECT_EQ(html_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
}

}  // namespace
}  // namespace xee::exporter

#include "exporter/landing_page.h"

#include <chrono>

#include "common/time_format.h"

namespace xee::exporter {

std::string html_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string render_landing_page(const LandingPageInfo& info,
                                const std::vector<CollectorStatus>& collectors) {
  const std::string title = html_escape(info.name);
  std::string page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" +
                     title + "</title></head>\n<body>\n<h1>" + title +
                     "</h1>\n<p>Prometheus exporter for X's Enterprise "
                     "Engagement API. Version " +
                     html_escape(info.version) +
                     ".</p>\n<ul>\n"
                     "<li><a href=\"/metrics\">Metrics</a></li>\n"
                     "<li><a href=\"/top\">Top Posts</a> per hashtag and campaign</li>\n"
                     "<li><a href=\"/-/healthy\">Health</a></li>\n"
                     "<li><a href=\"/-/ready\">Readiness</a></li>\n";
  if (info.docs_url.empty()) {
    page += "<li>Documentation: docs/metrics.md in the source tree</li>\n";
  } else {
    page += "<li><a href=\"" + html_escape(info.docs_url) + "\">Documentation</a></li>\n";
  }
  page += "</ul>\n<h2>Collectors</h2>\n";
  if (collectors.empty()) {
    page += "<p>No collector is running.</p>\n";
  } else {
    page += "<table>\n<tr><th>Collector</th><th>Up</th><th>Last success</th></tr>\n";
    for (const auto& collector : collectors) {
      const std::string last_success =
          collector.last_success ? common::format_iso8601(std::chrono::floor<std::chrono::seconds>(
                                       *collector.last_success))
                                 : "never";
      page += "<tr><td>" + html_escape(collector.name) + "</td><td>" +
              (collector.up ? "yes" : "no") + "</td><td>" + last_success + "</td></tr>\n";
    }
    page += "</table>\n";
  }
  page += "</body>\n</html>\n";
  return page;
}

}  // namespace xee::exporter

#pragma once
// The HTML page at "/": what this is, where the metrics and health endpoints are, and how fresh
// each collector is, so a person opening the exporter in a browser sees it working.

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace xee::exporter {

struct CollectorStatus {
  std::string name;  // "totals", "28hr", …
  bool up = false;   // the last poll round succeeded (false before the first)
  std::optional<common::TimePoint> last_success;  // empty until a round succeeds
};

struct LandingPageInfo {
  std::string name = "x-engagement-exporter";
  std::string version;
  // The project documentation; when empty the page names the docs in the source tree instead.
  std::string docs_url;
};

std::string render_landing_page(const LandingPageInfo& info,
                                const std::vector<CollectorStatus>& collectors);

// Text safe inside HTML element content and double-quoted attribute values.
std::string html_escape(std::string_view text);

}  // namespace xee::exporter

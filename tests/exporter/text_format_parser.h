#pragma once
// Reads the Prometheus text format back into samples, so two expositions can be compared by
// meaning (same series, same values) rather than by bytes: prometheus-cpp writes 0.25 as
// "0.25000000000000000", we write "0.25".

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace xee::exporter::testing {

struct Sample {
  std::string name;
  // `le` and `quantile` values are numbers and are kept in one canonical spelling.
  std::map<std::string, std::string> labels;
  double value = 0;
  std::optional<std::int64_t> timestamp_ms;

  // NaN equals NaN here: a sample that is NaN on both sides matches.
  bool operator==(const Sample& other) const;
};

struct ParsedExposition {
  std::vector<Sample> samples;              // sorted by name, then labels
  std::map<std::string, std::string> help;  // family name -> HELP text (unescaped)
  std::map<std::string, std::string> type;  // family name -> TYPE
};

// Errors name the line number and what is wrong with it.
Result<ParsedExposition> parse_exposition(std::string_view text);

std::string to_string(const Sample& sample);

}  // namespace xee::exporter::testing

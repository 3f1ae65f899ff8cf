#include "tests/exporter/text_format_parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <tuple>

namespace xee::exporter::testing {
namespace {

std::optional<double> parse_double(std::string_view text) {
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);  // takes NaN, Nan, +Inf, -Inf as well
  if (copy.empty() || end != copy.c_str() + copy.size()) return std::nullopt;
  return value;
}

std::string canonical_number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      ++i;
      out += text[i] == 'n' ? '\n' : text[i];
    } else {
      out += text[i];
    }
  }
  return out;
}

Result<Sample> parse_sample(std::string_view line, const std::string& where) {
  Sample sample;
  std::size_t pos = line.find_first_of("{ ");
  if (pos == std::string_view::npos) return fail(where + ": no value");
  sample.name = std::string(line.substr(0, pos));
  if (line[pos] == '{') {
    ++pos;
    while (pos < line.size() && line[pos] != '}') {
      const std::size_t equals = line.find("=\"", pos);
      if (equals == std::string_view::npos) return fail(where + ": label without =\"");
      const std::string name(line.substr(pos, equals - pos));
      std::size_t end = equals + 2;
      while (end < line.size() && line[end] != '"') end += line[end] == '\\' ? 2 : 1;
      if (end >= line.size()) return fail(where + ": unterminated label value");
      std::string value = unescape(line.substr(equals + 2, end - equals - 2));
      if (name == "le" || name == "quantile") {
        const auto number = parse_double(value);
        if (!number) return fail(where + ": " + name + " is not a number");
        value = canonical_number(*number);
      }
      if (!sample.labels.emplace(name, std::move(value)).second) {
        return fail(where + ": label " + name + " twice");
      }
      pos = end + 1;
      if (pos < line.size() && line[pos] == ',') ++pos;
    }
    if (pos >= line.size()) return fail(where + ": unterminated label set");
    ++pos;
  }
  if (pos >= line.size() || line[pos] != ' ') return fail(where + ": no space before the value");
  const std::string_view rest = line.substr(pos + 1);
  const std::size_t space = rest.find(' ');
  const auto value = parse_double(rest.substr(0, space));
  if (!value) return fail(where + ": bad value \"" + std::string(rest.substr(0, space)) + "\"");
  sample.value = *value;
  if (space != std::string_view::npos) {
    std::int64_t timestamp = 0;
    const std::string_view text = rest.substr(space + 1);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), timestamp);
    if (error != std::errc{} || end != text.data() + text.size()) {
      return fail(where + ": bad timestamp");
    }
    sample.timestamp_ms = timestamp;
  }
  return sample;
}

}  // namespace

bool Sample::operator==(const Sample& other) const {
  const bool same_value = value == other.value || (std::isnan(value) && std::isnan(other.value));
  return name == other.name && labels == other.labels && same_value &&
         timestamp_ms == other.timestamp_ms;
}

Result<ParsedExposition> parse_exposition(std::string_view text) {
  ParsedExposition parsed;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t newline = text.find('\n');
    if (newline == std::string_view::npos) {
      return fail("line " + std::to_string(line_number) + ": no final newline");
    }
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline + 1);
    const std::string where = "line " + std::to_string(line_number);
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      const std::string_view rest = line.substr(7);
      const std::size_t space = rest.find(' ');
      if (space == std::string_view::npos) return fail(where + ": metadata without text");
      auto& metadata = line.starts_with("# HELP ") ? parsed.help : parsed.type;
      metadata[std::string(rest.substr(0, space))] = unescape(rest.substr(space + 1));
      continue;
    }
    if (line.empty() || line.front() == '#') continue;
    auto sample = parse_sample(line, where);
    if (!sample) return tl::unexpected(sample.error());
    parsed.samples.push_back(std::move(*sample));
  }
  std::sort(parsed.samples.begin(), parsed.samples.end(), [](const Sample& a, const Sample& b) {
    return std::tie(a.name, a.labels) < std::tie(b.name, b.labels);
  });
  return parsed;
}

std::string to_string(const Sample& sample) {
  std::string text = sample.name + "{";
  for (const auto& [name, value] : sample.labels) text += name + "=\"" + value + "\",";
  text += "} " + canonical_number(sample.value);
  if (sample.timestamp_ms) text += " @" + std::to_string(*sample.timestamp_ms);
  return text;
}

}  // namespace xee::exporter::testing

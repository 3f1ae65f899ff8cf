#pragma once
// How a TOML value's type reads in an error message ("expected a string, got an integer"), for
// every strict TOML loader (the exporter's config, the simulator's world files). Header-only, so
// xee_common itself need not link toml++; include it only from targets that do.

#include <toml++/toml.h>

#include <string_view>

namespace xee::common {

constexpr std::string_view toml_type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

}  // namespace xee::common

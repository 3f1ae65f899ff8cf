#pragma once
// Post IDs in one log field.

#include <string>
#include <vector>

#include "wire/snowflake.h"

namespace xee::collectors {

// "1859…,1860…": comma-separated, in the given order.
inline std::string comma_separated_post_ids(const std::vector<wire::PostId>& ids) {
  std::string joined;
  for (const wire::PostId id : ids) {
    if (!joined.empty()) joined += ',';
    joined += wire::format_post_id(id);
  }
  return joined;
}

}  // namespace xee::collectors

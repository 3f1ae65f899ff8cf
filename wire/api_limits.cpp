#include "wire/api_limits.h"

namespace xee::wire {

std::string_view endpoint_name(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::totals: return "totals";
    case Endpoint::hr28: return "28hr";
    case Endpoint::historical: return "historical";
    case Endpoint::recent_search: return "search";
    case Endpoint::oauth2_token: return "token";
  }
  return "unknown";
}

}  // namespace xee::wire

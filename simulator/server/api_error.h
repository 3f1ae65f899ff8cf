#pragma once
// A request the simulator refuses: the HTTP status and the `errors` strings of X's body.

#include <string>
#include <vector>

namespace xee::simulator::server {

struct ApiError {
  int status = 400;
  std::vector<std::string> errors;
  bool operator==(const ApiError&) const = default;
};

inline ApiError bad_request(std::string message) {
  return ApiError{400, {std::move(message)}};
}

}  // namespace xee::simulator::server

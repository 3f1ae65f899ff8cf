#pragma once
// Fallible operations return Result<T>: a value, or an Error whose message names what went wrong
// and where (file:line:column, Post ID, endpoint). No exceptions cross module boundaries.

#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace xee {

struct Error {
  std::string message;
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(std::string message) {
  return tl::unexpected<Error>(Error{std::move(message)});
}

}  // namespace xee

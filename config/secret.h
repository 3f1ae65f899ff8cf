#pragma once
// A credential read from the configuration. It cannot be printed by accident: every way of
// turning it into text shows "<redacted>", so a Secret may sit in structs that get logged or
// printed by test failures. Only reveal() yields the value, for the code that signs requests.

#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace xee::config {

inline constexpr std::string_view kRedacted = "<redacted>";

class Secret {
 public:
  Secret() = default;
  // `origin` says where the value came from ("environment variable X_BEARER_TOKEN",
  // "file /run/secrets/key", "inline at x.toml:3:16"); it is safe to log.
  Secret(std::string value, std::string origin)
      : value_(std::move(value)), origin_(std::move(origin)) {}

  const std::string& reveal() const { return value_; }
  const std::string& origin() const { return origin_; }
  bool empty() const { return value_.empty(); }

  // Lets a reload tell whether credentials changed without revealing them.
  bool operator==(const Secret&) const = default;

 private:
  std::string value_;
  std::string origin_;
};

std::ostream& operator<<(std::ostream& out, const Secret& secret);
std::string to_string(const Secret& secret);

}  // namespace xee::config

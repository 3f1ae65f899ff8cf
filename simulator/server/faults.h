#pragma once
// Failures on demand, so clients can be tested against the ways X fails: server errors, latency,
// 429 storms, malformed or truncated bodies, dropped connections, revoked tokens and deleted
// Posts. Which request gets which fault comes from a seeded RNG: the same seed and the same
// sequence of requests give the same faults.

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "simulator/world/world.h"
#include "wire/snowflake.h"

namespace xee::simulator::server {

struct FaultConfig {
  double error_rate = 0;       // answered 500/502/503 {"errors":["internal server error"]}
  double rate_limit_rate = 0;  // answered 429 whatever the budget
  double malformed_rate = 0;   // a 200 whose body is not valid JSON
  double truncated_rate = 0;   // a 200 whose body stops half-way
  double reset_rate = 0;       // the connection closed without an answer
  std::chrono::milliseconds latency{0};    // added to every Engagement/search request
  std::set<std::string> revoked_accounts;  // handles whose tokens get 401
  std::set<wire::PostId> deleted_posts;    // reported unavailable
  // The status "Forbidden to access tweets" comes with (403, 400 or 200 with partial results);
  // unset: the world's [variants] forbidden_tweets_status.
  std::optional<int> forbidden_tweets_status;
  std::uint64_t seed = 1;
  bool operator==(const FaultConfig&) const = default;
};

enum class FaultKind {
  error,
  latency,
  rate_limit,
  malformed,
  truncated,
  reset,
  revoked_account,
  deleted_post,
};
inline constexpr std::array<FaultKind, 8> kAllFaultKinds{
    FaultKind::error,     FaultKind::latency, FaultKind::rate_limit,      FaultKind::malformed,
    FaultKind::truncated, FaultKind::reset,   FaultKind::revoked_account, FaultKind::deleted_post};
// The metric label value: "error", "latency", "rate_limit", …
std::string_view fault_label(FaultKind kind);

// Checks rates are in [0, 1] and revoked handles are accounts of `world`; errors name the field.
Result<FaultConfig> validate_faults(FaultConfig config, const WorldConfig& world);

// The admin endpoint's JSON: {"error_rate":0.0,…,"latency":"200ms","revoked_accounts":["acme"],
// "deleted_posts":["123"],"forbidden_tweets_status":null,"seed":42} (null: the world's status).
std::string faults_to_json(const FaultConfig& config);
// Applies the fields present in `json` on top of `base` (absent fields keep their values); unknown
// fields and wrong types are errors naming the field.
Result<FaultConfig> merge_faults_json(const FaultConfig& base, std::string_view json,
                                      const WorldConfig& world);

// The faults drawn for one request. At most one of reset, error_status, rate_limited, malformed,
// truncated is set, in that precedence; latency applies to every request.
struct FaultPlan {
  bool reset = false;
  std::optional<int> error_status;
  bool rate_limited = false;
  bool malformed = false;
  bool truncated = false;
  std::chrono::milliseconds latency{0};
  bool operator==(const FaultPlan&) const = default;
};

class FaultInjector {
 public:
  explicit FaultInjector(FaultConfig config);

  // Thread-safe. Every call consumes the same number of draws, whatever the rates, so changing one
  // rate does not reshuffle when the others fire.
  FaultPlan plan_next();
  FaultConfig config() const;
  // Replaces the configuration and reseeds the RNG from its seed.
  void replace(FaultConfig config);

 private:
  double draw();  // uniform in [0, 1), identical on every standard library

  mutable std::mutex mutex_;
  FaultConfig config_;
  std::mt19937_64 rng_;
};

}  // namespace xee::simulator::server
